"""The pdfium backend of the PDF reader (pypdfium2), and page rendering.

pdfium's text page gives every character with its box, and its page objects
give every painted path with its segments; both come out here as what the
grid rebuild of :mod:`jixiao_parser.readers.pdf` reads, the same as from the
pdfminer backend (:mod:`jixiao_parser.readers.pdf_pdfminer`):

- a character becomes a :class:`~jixiao_parser.readers.pdf.Glyph` with
  pdfminer's box: from its origin across its advance, and from the baseline up
  one font size (see :func:`_glyphs` for fonts that state a descent); the
  spaces and line breaks pdfium generates between words and lines are
  skipped, a space drawn in the file is kept (but for one drawn at the end of
  a line, which pdfium makes its line break: a line's last space says nothing);
- a path is split into subpaths at each move, each classified as pdfminer
  classifies it (a line, a rectangle or a curve), and each becomes ruling
  edges by :func:`~jixiao_parser.readers.pdf.shape_edges`; paths inside form
  XObjects count, with the form's matrix;
- coordinates are those of the page as shown: its crop box, turned by its
  ``/Rotate``, top down.

pdfium is a C++ library running in this process. It is not thread-safe, so
every call into it holds one lock (pages are read one at a time, and other
threads interleave between pages); every exception it raises while a file is
read becomes :class:`~jixiao_parser.CorruptDocument` naming the file, and a
read of the open file that fails, :class:`~jixiao_parser.UnreadableSource`.
It keeps what it has parsed until the document is closed, so a long file is
opened afresh every :data:`REOPEN_EVERY` pages: memory stays flat in pages.

:func:`render_pages` renders pages to images (for OCR).

>>> from pathlib import Path
>>> data = Path("corpus/renditions/seed_003/seed_003.pdf").read_bytes()
>>> page = next(read_pages(data, "seed_003.pdf"))
>>> page.number, "".join(g.text for g in reversed(page.glyphs))[:9], len(page.edges) > 10
(1, '项目支出绩效自评表', True)
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .. import limits
from ..errors import (
    CorruptDocument,
    EncryptedDocument,
    MissingDependency,
    ResourceLimitExceeded,
    UnreadableSource,
)
from .pdf import Edge, Glyph, PageContent, on_page, shape_edges, upright
from .pdf_streams import check_streams, may_nest_forms

__all__ = ["read_pages", "render_pages"]

#: held around every call into pdfium, which is not thread-safe
LOCK = threading.RLock()

#: pages read before the document is opened afresh: pdfium keeps every object it
#: has parsed (fonts above all) until the document is closed, which on a long file
#: of many forms, each with its own fonts, grows with the page count
REOPEN_EVERY = 16

# an affine map (a, b, c, d, e, f): (x, y) → (a·x + c·y + e, b·x + d·y + f), as in PDF
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(first: Matrix, then: Matrix) -> Matrix:
    """The map that applies ``first``, then ``then``."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


class _Stream:
    """An open file as pdfium reads it (through pypdfium2's callback, which would
    swallow an exception): a read that fails is recorded and looks to pdfium like
    the end of the file, and :meth:`check` raises it afterwards, naming the file."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.error: OSError | None = None

    def seek(self, offset: int, whence: int = 0) -> int:
        try:
            return self.fh.seek(offset, whence)
        except OSError as exc:
            self.error = self.error or exc
            return self.fh.tell() if whence == 0 else 0

    def tell(self) -> int:
        return self.fh.tell()

    def read(self, size: int = -1) -> bytes:
        try:
            return self.fh.read(size)
        except OSError as exc:
            self.error = self.error or exc
            return b""

    def readinto(self, buffer: Any) -> int:
        try:
            return self.fh.readinto(buffer)  # type: ignore[attr-defined,no-any-return]
        except OSError as exc:
            self.error = self.error or exc
            return 0

    def check(self, source: str) -> None:
        if self.error is not None:
            reason = self.error.strerror or self.error
            raise UnreadableSource(source, f"cannot read file: {reason}") from self.error


def _open(data: bytes | BinaryIO | _Stream, source: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if isinstance(data, _Stream):
            data.check(source)
        if exc.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise EncryptedDocument(source, "the PDF is password-protected") from exc
        raise CorruptDocument(source, f"cannot open the PDF: {exc}") from exc
    except OSError as exc:  # the open file failed under pdfium (streamed input)
        raise UnreadableSource(source, f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:
        raise CorruptDocument(source, f"cannot open the PDF: {type(exc).__name__}: {exc}") from exc


def read_pages(data: bytes | BinaryIO, source: str) -> Iterator[PageContent]:
    """Each page in turn as the grid rebuild reads it: its number, glyphs (last drawn
    first), ruling edges and whether it holds images; in the coordinates of the page
    as shown (its crop box, turned by its rotation), top down.

    Raises :class:`~jixiao_parser.EncryptedDocument` for a protected file,
    :class:`~jixiao_parser.CorruptDocument` for one pdfium cannot read.
    """
    check_streams(data)
    if limits.budget().limits.max_form_draws is not None and may_nest_forms(data):
        from .pdf_pdfminer import check_form_draws  # (pdfminer loaded only for such a file)

        check_form_draws(data, source)
    stream = None if isinstance(data, bytes) else _Stream(data)
    with LOCK:
        document = _open(data if stream is None else stream, source)
    try:
        with LOCK:
            count = len(document)
        for index in range(count):
            with LOCK:
                if index and index % REOPEN_EVERY == 0:  # let pdfium's caches go
                    document.close()
                    document = _open(data if stream is None else stream, source)
                try:
                    content = _read_page(document, index)
                except ResourceLimitExceeded:
                    raise
                except Exception as exc:
                    if stream is not None:
                        stream.check(source)
                    msg = f"cannot read page {index + 1}: {type(exc).__name__}: {exc}"
                    raise CorruptDocument(source, msg) from exc
            if stream is not None:  # a failed read leaves pdfium with a part of the page
                stream.check(source)
            yield content
    finally:
        with LOCK:
            document.close()


def _read_page(document: pdfium.PdfDocument, index: int) -> PageContent:
    page = document[index]
    try:
        width, height, to_page = _display(page)
        textpage = page.get_textpage()
        turns = [0, 0, 0, 0]
        try:
            glyphs, unmapped = _glyphs(textpage.raw, to_page, turns)
        finally:
            textpage.close()
        edges: list[Edge] = []
        images = _shapes(
            page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, to_page, edges, [0]
        )
    finally:
        page.close()
    glyphs.reverse()  # last drawn first, as from pdfminer
    glyphs, edges = upright(on_page(glyphs, width, height), edges, width, height, turns)
    return PageContent(index + 1, glyphs, edges, images, unmapped)


def _display(page: pdfium.PdfPage) -> tuple[float, float, Matrix]:
    """The page as shown: its width and height, and the map from PDF user space to
    its top-down coordinates (origin at the top left of the crop box)."""
    box = raw.FS_RECTF()
    raw.FPDF_GetPageBoundingBox(page.raw, box)  # the crop box, within the media box
    left, right = sorted((box.left, box.right))
    bottom, top = sorted((box.bottom, box.top))
    turn = raw.FPDFPage_GetRotation(page.raw) % 4  # quarter turns clockwise
    w, h = right - left, top - bottom
    if turn == 1:
        return h, w, (0.0, 1.0, 1.0, 0.0, -bottom, -left)
    if turn == 2:
        return w, h, (-1.0, 0.0, 0.0, 1.0, right, -bottom)
    if turn == 3:
        return h, w, (0.0, -1.0, -1.0, 0.0, top, right)
    return w, h, (1.0, 0.0, 0.0, -1.0, -left, top)


def _glyphs(textpage: Any, to_page: Matrix, turns: list[int]) -> tuple[list[Glyph], int]:
    """The characters of a text page in drawing order, as glyphs in page coordinates,
    and how many were drawn without a Unicode mapping (pdfium gives their codes,
    control characters); ``turns`` counts the glyphs by the direction their text
    runs on the page (quarter turns clockwise, see
    :func:`~jixiao_parser.readers.pdf.upright`).

    A glyph's box runs from its origin across its advance (pdfium's loose box
    gives it) and from the baseline up one font size on the page, which is the
    glyph's size: pdfminer's box for a font whose descriptor gives no descent
    (as LibreOffice writes them); where it gives one, pdfminer's box sits lower
    by it (a fifth of the font size, about). pdfium does not say what the
    descriptor gives (it falls back to the font program's descent), and the
    placing of text was tuned on pdfminer's boxes of such files.
    """
    a, b, c, d, e, f = to_page
    unicode_of, loose_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    size_of, matrix_of = raw.FPDFText_GetFontSize, raw.FPDFText_GetMatrix
    generated = raw.FPDFText_IsGenerated
    origin_of, ox, oy = raw.FPDFText_GetCharOrigin, ctypes.c_double(), ctypes.c_double()
    rect, m = raw.FS_RECTF(), raw.FS_MATRIX()
    out: list[Glyph] = []
    append = out.append
    unmapped = 0
    budget = limits.budget()
    count = raw.FPDFText_CountChars(textpage)
    for i in range(count):
        budget.often()
        code = unicode_of(textpage, i)
        if code < 0x21 or code == 0xFFFE or 0xD800 <= code < 0xE000:
            # only a space drawn in the file separates words as pdfminer sees them,
            # not one pdfium put between words, nor its line breaks or control codes
            if code == 0x20:
                if generated(textpage, i):
                    continue
            elif (code < 0x20 or code == 0xFFFE) and not generated(textpage, i):
                unmapped += 1  # a code its font maps to no character
                continue
            elif (
                0xD800 <= code < 0xDC00  # UTF-16, as pdfium gives it on Windows: a pair
                and i + 1 < count
                and 0xDC00 <= (low := unicode_of(textpage, i + 1)) < 0xE000
            ):
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            else:
                continue
        text = chr(code)
        if code > 0x7F and not text.strip():
            continue  # other white space (pdfminer keeps no blank glyph but " ")
        matrix_of(textpage, i, m)
        vx, vy = a * m.a + c * m.b, b * m.a + d * m.b  # the baseline, on the page
        turns[(0 if vx > 0 else 2) if abs(vx) >= abs(vy) else (1 if vy > 0 else 3)] += 1
        if m.b == 0 and m.c == 0 and m.a > 0 and m.d > 0:  # upright, as nearly all text
            loose_box(textpage, i, rect)
            origin_of(textpage, i, ox, oy)
            x0, x1, y0 = rect.left, rect.right, oy.value
            y1 = y0 + size_of(textpage, i) * m.d
        else:  # turned, mirrored or sheared: pdfium's loose box assumes upright text
            x0, y0, x1, y1 = _turned_box(textpage, i, code, m)
        # to page coordinates; the map only turns by quarter turns
        p, q = a * x0 + c * y0 + e, a * x1 + c * y1 + e
        r, s = b * x0 + d * y0 + f, b * x1 + d * y1 + f
        left, right = (p, q) if p <= q else (q, p)
        top, bottom = (r, s) if r <= s else (s, r)
        append(Glyph(text, left, top, right, bottom, bottom - top))
    return out, unmapped


def _turned_box(textpage: Any, i: int, code: int, m: Any) -> tuple[float, float, float, float]:
    """The box of a character drawn turned, mirrored or sheared: from its origin
    across its advance, from the baseline up one font size, through its matrix."""
    ox, oy = ctypes.c_double(), ctypes.c_double()
    width = ctypes.c_float()
    size = raw.FPDFText_GetFontSize(textpage, i)
    font = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, i))
    if not (
        font
        and raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
        and raw.FPDFFont_GetGlyphWidth(font, code, size, width)
    ):
        return _tight_box(textpage, i)
    lo, hi = 0.0, size
    xs, ys = [], []
    for x, y in ((0.0, lo), (width.value, lo), (0.0, hi), (width.value, hi)):
        xs.append(ox.value + m.a * x + m.c * y)
        ys.append(oy.value + m.b * x + m.d * y)
    return min(xs), min(ys), max(xs), max(ys)


def _tight_box(textpage: Any, i: int) -> tuple[float, float, float, float]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    raw.FPDFText_GetCharBox(textpage, i, left, right, bottom, top)
    return left.value, bottom.value, right.value, top.value


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _shapes(
    parent: Any, count: Any, get: Any, to_page: Matrix, edges: list[Edge], forms: list[int]
) -> bool:
    """Add the ruling edges of every path under ``parent`` (a page or a form
    object) to ``edges``; whether any image is drawn there. ``forms`` counts the
    form objects met on the page (``max_form_draws``)."""
    images = False
    budget = limits.budget()
    for k in range(count(parent)):
        budget.often()
        obj = get(parent, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            edges.extend(_path_edges(obj, _compose(_matrix(obj), to_page)))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images = True
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            forms[0] += 1
            budget.exceeded("Form XObjects drawn on one page", forms[0],
                            budget.limits.max_form_draws, "", "max_form_draws")  # fmt: skip
            inner = _compose(_matrix(obj), to_page)
            found = _shapes(
                obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, inner, edges, forms
            )
            images = images or found
    return images


def _path_edges(obj: Any, to_page: Matrix) -> list[Edge]:
    """A path object's subpaths, each as pdfminer would paint it, → ruling edges."""
    a, b, c, d, e, f = to_page
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[tuple[list[str], list[tuple[float, float]]]] = []
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    curve_points = 0
    for j in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, j)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            ops, pts = ["m"], [point]
            subpaths.append((ops, pts))
            curve_points = 0
        elif not ops:
            continue  # no subpath begun with a move: pdfminer paints nothing
        elif kind == raw.FPDF_SEGMENT_LINETO:
            ops.append("l")
            pts.append(point)
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            curve_points += 1
            if curve_points % 3 == 0:  # two control points, then the end point
                ops.append("c")
                pts.append(point)
        if raw.FPDFPathSegment_GetClose(segment):
            ops.append("h")
            pts.append(pts[0])
    if len(subpaths) > 1:  # pdfminer paints each subpath that has more than its move
        subpaths = [(o, p) for o, p in subpaths if len(o) > 1]
    out: list[Edge] = []
    for o, p in subpaths:
        out.extend(_subpath_edges("".join(o), p))
    return out


def _subpath_edges(shape: str, pts: list[tuple[float, float]]) -> list[Edge]:
    """One subpath (operators ``m l c h``, their end points) → edges, classified as
    pdfminer's ``paint_path`` classifies it: a line, a rectangle, or a curve."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-1]  # a redundant line back to the start
    if shape in ("mlh", "ml"):
        pts = pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return shape_edges((min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2)), None)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return shape_edges((min(xs), min(ys), max(xs), max(ys)), pts)


# -- rendering -------------------------------------------------------------------


def render_pages(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    dpi: float = 150,
    pages: Iterable[int] | None = None,
    grayscale: bool = False,
    array: bool = False,
) -> Iterator[tuple[int, Any]]:
    """Render a PDF's pages as images: ``(page number, image)`` for each page (from 1),
    or for the page numbers in ``pages``.

    This is the one place the library draws PDF pages (for OCR of pages without a
    text layer). A page is drawn as shown (crop box, rotation) at ``dpi`` dots per
    inch on white, so an A4 page at 150 dpi is 1241 × 1754 pixels (rounded up). The image is a
    ``PIL.Image.Image`` (RGB, or ``L`` with ``grayscale``), or with ``array=True``
    a ``numpy.ndarray`` of shape (height, width, 3) — (height, width) in grayscale —
    and dtype uint8. Needs Pillow (and numpy for ``array``): a missing one raises
    :class:`~jixiao_parser.MissingDependency`. A file pdfium cannot read raises
    :class:`~jixiao_parser.CorruptDocument` or
    :class:`~jixiao_parser.EncryptedDocument`, one that cannot be opened
    :class:`~jixiao_parser.UnreadableSource`, naming the file; a page number
    the PDF does not have, ``ValueError``.

    >>> from jixiao_parser.readers.pdf_pdfium import render_pages
    >>> number, image = next(render_pages("corpus/renditions/seed_003/seed_003.pdf", dpi=72))
    >>> number, image.size, image.mode
    (1, (596, 842), 'RGB')
    """
    label = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<bytes>"
    try:
        import PIL.Image  # noqa: F401  (pdfium's images are made with it)
    except ImportError as exc:
        raise MissingDependency(
            label, "rendering PDF pages needs Pillow (pip install pillow)"
        ) from exc
    if array:
        try:
            import numpy  # noqa: F401
        except ImportError as exc:
            raise MissingDependency(label, "array=True needs numpy (pip install numpy)") from exc
    if isinstance(source, (str, os.PathLike)):
        try:
            fh = open(source, "rb")  # closed below, after the pages
        except OSError as exc:
            raise UnreadableSource(label, f"cannot read file: {exc.strerror or exc}") from exc
        with fh:
            yield from _render(fh, label, dpi, pages, grayscale, array)
    else:
        yield from _render(source, label, dpi, pages, grayscale, array)


def _render(
    data: bytes | BinaryIO,
    label: str,
    dpi: float,
    pages: Iterable[int] | None,
    grayscale: bool,
    array: bool,
) -> Iterator[tuple[int, Any]]:
    with LOCK:
        document = _open(data, label)
    try:
        with LOCK:
            count = len(document)
        for number in range(1, count + 1) if pages is None else pages:
            if not 1 <= number <= count:
                msg = f"no page {number} (the PDF has {count})"
                raise ValueError(msg)
            with LOCK:
                try:
                    page = document[number - 1]
                    try:
                        bitmap = page.render(scale=dpi / 72, grayscale=grayscale)
                        image = bitmap.to_numpy().copy() if array else bitmap.to_pil()
                        if not array:
                            image.load()  # its own pixels, not the bitmap's buffer
                            image = image.copy()
                        bitmap.close()
                    finally:
                        page.close()
                except Exception as exc:
                    msg = f"cannot render page {number}: {type(exc).__name__}: {exc}"
                    raise CorruptDocument(label, msg) from exc
            if array and image.ndim == 3:
                image = image[:, :, 2::-1].copy()  # pdfium draws BGR
            elif not array and image.mode != ("L" if grayscale else "RGB"):
                image = image.convert("L" if grayscale else "RGB")
            yield number, image
    finally:
        with LOCK:
            document.close()
