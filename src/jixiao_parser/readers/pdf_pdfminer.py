"""The pdfminer.six backend of the PDF reader: each page's glyphs and ruling edges.

pdfminer.six interprets one page at a time (no layout analysis) into a device
of ours that keeps only glyphs — characters with their boxes, made as they are
drawn — and ruling edges from lines, rectangles and curves. What happens to
them next (the grid rebuild, the placing of glyphs) is backend-neutral and
lives in :mod:`jixiao_parser.readers.pdf`.

>>> from pathlib import Path
>>> data = Path("corpus/renditions/seed_003/seed_003.pdf").read_bytes()
>>> page = next(read_pages(data, "seed_003.pdf"))
>>> page.number, "".join(g.text for g in reversed(page.glyphs))[:9], len(page.edges) > 10
(1, '项目支出绩效自评表', True)
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from io import BytesIO
from typing import Any, BinaryIO, TypeVar

import pdfminer.pdftypes
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTContainer, LTCurve, LTImage, LTLine, LTPage, LTRect
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, resolve1
from pdfminer.psexceptions import PSEOF
from pdfminer.psparser import LIT, PSKeyword
from pdfminer.utils import Matrix, apply_matrix_rect

from .. import limits
from ..errors import CorruptDocument, EncryptedDocument, ResourceLimitExceeded, UnreadableSource
from .pdf import Edge, Glyph, PageContent, on_page, shape_edges, upright

__all__ = ["read_pages"]

# Memory stays flat in the page count. Pages are read one at a time and handed
# over as glyphs and edges, without pdfminer's per-character layout objects;
# a page's layout is dropped when the next page begins. pdfminer keeps every
# object it parses and every font it builds until the document is closed, which
# on a long file (a year's forms bound into one PDF, each with its own fonts)
# grows with the page count: here those caches keep their most recently used
# entries only, enough for what pages share (fonts, resources).

OBJECT_CACHE = 128  # parsed PDF objects: dictionaries, content and font streams
OBJSTM_CACHE = 16  # decompressed object streams, each a list of many objects
FONT_CACHE = 32  # fonts, with their width tables and Unicode maps

# -- guards inside pdfminer's loops ---------------------------------------------
#
# pdfminer has no limits of its own. Three of its functions are wrapped, for every
# caller in this process: the wrappers only count against the active budget
# (jixiao_parser.limits), and outside a parse the budget is unlimited.
#
# - resolving a reference follows a chain of references with a visited set: a
#   reference to itself (``6 0 obj 6 0 R endobj``), a longer cycle, or an object
#   whose own parsing needs it (a stream whose /Length refers to the stream) is
#   unresolved (None), where pdfminer looped or recursed for ever; each
#   resolution also checks the time budget;
# - Flate data (zlib) is inflated in pieces and counted as it grows: past
#   ``max_stream_bytes`` for one stream, or ``max_inflated_bytes`` for the
#   document, ResourceLimitExceeded (a few MB of zeros inflate to many GB).

_resolving = threading.local()
_original_resolve = PDFObjRef.resolve


def _resolve(self: PDFObjRef, default: object = None) -> Any:
    """:meth:`PDFObjRef.resolve`, safe from reference cycles (see above)."""
    limits.budget().often()
    active: set[tuple[int, int]] | None = getattr(_resolving, "ids", None)
    if active is None:
        active = _resolving.ids = set()
    key = (id(self.doc), self.objid)
    if key in active:
        return default  # needed to parse itself
    active.add(key)
    seen = {self.objid}
    try:
        x = _original_resolve(self, default)
        while isinstance(x, PDFObjRef):
            if x.objid in seen:
                return default  # a cycle of references
            seen.add(x.objid)
            x = _original_resolve(x, default)
        return x
    finally:
        active.discard(key)


PDFObjRef.resolve = _resolve  # type: ignore[method-assign]


class _CountedZlib:
    """What pdfminer.pdftypes calls ``zlib``: ``decompress`` inflates in pieces,
    counting them against the budget; the rest is zlib's."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        budget = limits.budget()
        inflater = zlib.decompressobj()
        out = bytearray()
        for piece in limits.inflate_pieces(inflater, bytes(data)):
            out += piece
            budget.decoding(len(out))
            budget.often()
        if not inflater.eof:
            out += inflater.flush()
            if not out:
                raise zlib.error("incomplete or truncated stream")
        budget.decoding(len(out))
        return bytes(out)


_original_decode = PDFStream.decode


def _decode(self: PDFStream) -> None:
    """:meth:`PDFStream.decode`, counting the decoded stream against the budget
    (whatever its filters; Flate is also counted while it inflates)."""
    key = (self.objid, self.genno) if self.objid else None
    _original_decode(self)
    if self.data is not None:
        limits.budget().inflate(key, len(self.data))


pdfminer.pdftypes.zlib = _CountedZlib  # type: ignore[assignment,attr-defined]
PDFStream.decode = _decode  # type: ignore[method-assign]


def _corrupted(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted``, counted: what inflates before the data
    goes wrong (a bad checksum at its end, above all)."""
    budget = limits.budget()
    out = bytearray()
    try:
        for piece in limits.inflate_pieces(zlib.decompressobj(), bytes(data)):
            out += piece
            budget.decoding(len(out))
    except zlib.error:
        if not out:
            raise
    return bytes(out)


pdfminer.pdftypes.decompress_corrupted = _corrupted


class _Parser(PDFParser):
    """A PDFParser that takes a stream's data up to its ``endstream`` whatever its
    ``/Length`` says. A length that runs past ``endstream`` would keep the next
    objects' bytes in the stream (another page's content drawn on this one) and
    leave the parser inside them; a length that stops short, or one that is no
    number (a reference that cannot be resolved: to itself, say), would lose the
    data. pdfminer finds ``endstream`` from the declared end only; here the data is
    cut at an ``endstream endobj`` inside it, or, when the declared end is not
    followed by ``endstream``, found by scanning for it from the data's start."""

    def do_keyword(self, pos: int, token: PSKeyword) -> None:
        if token is not self.KEYWORD_STREAM:
            super().do_keyword(pos, token)
            return
        popped = self.pop(1)
        if len(popped) != 1:
            raise PDFSyntaxError(f"Invalid stream dictionary: {popped!r}"[:200])
        dic = dict_value(popped[0][1])
        length = resolve1(dic.get("Length"))
        self.seek(pos)
        try:
            _, line = self.nextline()  # "stream" and its end of line
        except PSEOF:
            return
        start = pos + len(line)
        data = None
        if isinstance(length, int) and 0 <= length:
            self.fp.seek(start)
            data = self.fp.read(length)
            cut = _END.search(data)
            if cut is not None:
                data = data[: cut.start()]
            elif not _ENDS.match(self.fp.read(32)):
                data = None  # the declared end is not the stream's end
        if data is None:
            data = _scan_to_end(self.fp, start)
        self.seek(start + len(data))
        assert self.doc is not None
        self.push((pos, PDFStream(dic, data, self.doc.decipher)))


_END = re.compile(rb"\r?\n?endstream\s+endobj\b")
_ENDS = re.compile(rb"\s*endstream\b")
_SCAN = 1 << 16


def _scan_to_end(fp: BinaryIO, start: int) -> bytes:
    """The bytes from ``start`` up to the next ``endstream`` (without the end of
    line before it), or to the end of the file."""
    fp.seek(start)
    out = bytearray()
    budget = limits.budget()
    while True:
        chunk = fp.read(_SCAN)
        if not chunk:
            return bytes(out)
        out += chunk
        budget.often()
        found = out.find(b"endstream", max(0, len(out) - len(chunk) - 9))
        if found >= 0:
            del out[found:]
            if out.endswith(b"\r\n"):
                del out[-2:]
            elif out.endswith((b"\n", b"\r")):
                del out[-1:]
            return bytes(out)


_K = TypeVar("_K")
_V = TypeVar("_V")


class _LRU(OrderedDict[_K, _V]):
    """A dict that keeps only its ``maxsize`` most recently used entries."""

    def __init__(self, maxsize: int, items: Mapping[_K, _V] | None = None) -> None:
        self.maxsize = maxsize
        super().__init__()
        self.update(items or {})

    def __getitem__(self, key: _K) -> _V:
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key: _K, value: _V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.maxsize:
            self.popitem(last=False)


class _Document(PDFDocument):
    """A PDFDocument whose caches of parsed objects are bounded (pdfminer reads an
    evicted object again from the file when it is asked for it)."""

    def __init__(self, parser: PDFParser) -> None:
        super().__init__(parser)
        self._cached_objs = _LRU(OBJECT_CACHE, self._cached_objs)
        self._parsed_objs = _LRU(OBJSTM_CACHE, self._parsed_objs)


class _Resources(PDFResourceManager):
    """A PDFResourceManager whose font cache is bounded."""

    def __init__(self) -> None:
        super().__init__(caching=True)
        self._cached_fonts = _LRU(FONT_CACHE)


class _PageDevice(PDFLayoutAnalyzer):
    """A pdfminer device that hands over each page as what the table finder reads.

    A character becomes a :class:`Glyph` as it is drawn, with the box pdfminer's
    LTChar would give it, and no LTChar is made; lines, rectangles, curves and
    images still arrive as pdfminer layout objects and become edges when the
    page ends. :meth:`take` returns the page and keeps nothing of it.
    """

    def __init__(self, manager: PDFResourceManager) -> None:
        super().__init__(manager, laparams=None)
        self._height = self._width = 0.0
        self._glyphs: list[Glyph] = []
        self._turns = [0, 0, 0, 0]  # glyphs by their text's quarter turns clockwise
        self._unmapped = 0  # characters without a Unicode mapping
        self._forms = 0  # Form XObjects drawn on the page
        self._page: PageContent = PageContent(0, [], [], False)
        self._budget = limits.budget()

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        super().begin_page(page, ctm)
        self._width, self._height = self.cur_item.width, self.cur_item.height
        self._glyphs = []
        self._turns = [0, 0, 0, 0]
        self._unmapped = self._forms = 0
        self._budget = limits.budget()

    def begin_figure(self, name: str, bbox: Any, matrix: Matrix) -> None:
        self._forms += 1
        budget = self._budget
        budget.exceeded("Form XObjects drawn on one page", self._forms,
                        budget.limits.max_form_draws, "", "max_form_draws")  # fmt: skip
        budget.often()
        super().begin_figure(name, bbox, matrix)

    def render_char(
        self,
        matrix: Matrix,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> float:
        self._budget.often()
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = ""  # pdfminer's "(cid:N)" is no text: counted, not read
            self._unmapped += 1
        adv = font.char_width(cid) * fontsize * scaling
        # the box of pdfminer.layout.LTChar
        vertical = font.is_vertical()
        if vertical:
            vx, vy = font.char_disp(cid)  # type: ignore[misc]
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            box = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            box = (0, descent + rise, adv, descent + rise + fontsize)
        x0, y0, x1, y1 = apply_matrix_rect(matrix, box)
        if text.strip() or text == " ":  # a drawn space separates words
            size = x1 - x0 if vertical else y1 - y0
            self._glyphs.append(Glyph(text, x0, self._height - y1, x1, self._height - y0, size))
            if text != " " and not vertical:  # (pdfium does not tell vertical fonts)
                # the baseline's direction on the page as shown (top down)
                a, b = matrix[0], -matrix[1]
                turn = (0 if a > 0 else 2) if abs(a) >= abs(b) else (1 if b > 0 else 3)
                self._turns[turn] += 1
        return adv

    def receive_layout(self, ltpage: LTPage) -> None:
        edges, images = _shapes(ltpage)
        # last drawn first, the order they always came in from pdfminer's layout
        # tree: it decides which copy of a doubled glyph _dedupe keeps
        self._glyphs.reverse()
        glyphs = on_page(self._glyphs, self._width, self._height)
        glyphs, edges = upright(glyphs, edges, self._width, self._height, self._turns)
        self._page = PageContent(0, glyphs, edges, images, self._unmapped)
        self._glyphs = []

    def take(self, number: int) -> PageContent:
        """The page just processed: its glyphs, ruling edges, whether it holds
        images, and how many characters had no Unicode mapping."""
        page, self._page = self._page, PageContent(0, [], [], False)
        return page._replace(number=number)


def _shapes(layout: LTPage) -> tuple[list[Edge], bool]:
    """A page layout's ruling edges, and whether it holds images (for the OCR check)."""
    height = layout.height
    edges: list[Edge] = []
    images = False
    stack: list[Any] = list(layout)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTImage):
            images = True
        elif isinstance(obj, (LTLine, LTRect, LTCurve)):
            edges.extend(_shape_edges(obj, height))
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    return edges, images


def read_pages(data: bytes | BinaryIO, source: str) -> Iterator[PageContent]:
    """Each page in turn as the grid rebuild reads it: its number, glyphs (last drawn
    first), ruling edges and whether it holds images; in the coordinates of the page as
    shown (its crop box, turned by its rotation), top down.

    Raises :class:`~jixiao_parser.EncryptedDocument` for a protected file,
    :class:`~jixiao_parser.CorruptDocument` for one pdfminer cannot read.
    """
    try:
        document = _Document(_Parser(BytesIO(data) if isinstance(data, bytes) else data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(source, "the PDF is password-protected") from exc
    except ResourceLimitExceeded:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise CorruptDocument(source, f"cannot open the PDF: {type(exc).__name__}: {exc}") from exc
    manager = _Resources()
    device = _PageDevice(manager)
    interpreter = PDFPageInterpreter(manager, device)
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            page.mediabox = page.cropbox  # the page as shown: what lies outside is hidden
            interpreter.process_page(page)
            yield device.take(number)
    except (EncryptedDocument, CorruptDocument, ResourceLimitExceeded):
        raise
    except RecursionError as exc:
        msg = "cannot read the PDF: its objects nest too deep (RecursionError)"
        raise CorruptDocument(source, msg) from exc
    except OSError as exc:  # the open file failed under pdfminer (streamed input)
        raise UnreadableSource(source, f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:
        raise CorruptDocument(source, f"cannot read the PDF: {type(exc).__name__}: {exc}") from exc
    finally:
        # the document and its parser refer to each other, so they wait for the
        # garbage collector: let the cached objects and fonts go now
        document._cached_objs.clear()
        document._parsed_objs.clear()
        manager._cached_fonts.clear()


def _shape_edges(obj: Any, height: float) -> list[Edge]:
    """A pdfminer line, rectangle or curve → its ruling edges (top-down coordinates)."""
    box = (obj.x0, height - obj.y1, obj.x1, height - obj.y0)
    if isinstance(obj, LTRect):
        return shape_edges(box, None)
    return shape_edges(box, [(x, height - y) for x, y in getattr(obj, "pts", None) or []])


# -- Form XObject draws, counted from the file's structure ---------------------------
#
# pdfium expands every Form XObject drawn on a page when it loads the page, in
# C++: forms nested 9 deep, each drawing the next 10 times, are 10^9 objects
# before anything returns to Python. So for pdfium the draws of each page are
# counted here first, from the content streams' ``/Name Do`` operators and the
# XObject dictionaries (pdfminer.six reads them), each form's count worked out
# once: a page over ``max_form_draws`` is refused before pdfium loads it. A file
# with fewer than two Form XObjects cannot nest forms and is not read for this.

_LIT_FORM = LIT("Form")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def check_form_draws(data: bytes | BinaryIO, source: str) -> None:
    """Raise :class:`~jixiao_parser.ResourceLimitExceeded` when a page of the PDF
    ``data`` draws more Form XObjects (nested ones counted as often as they are
    drawn) than ``max_form_draws`` allows; the file is left where it was. (The
    pdfium backend asks :func:`~.pdf_streams.may_nest_forms` first: a file with
    fewer than two Form XObjects does not load pdfminer.)"""
    budget = limits.budget()
    limit = budget.limits.max_form_draws
    if limit is None:
        return
    fh: BinaryIO = BytesIO(data) if isinstance(data, bytes) else data
    home = fh.tell()
    try:
        document = _Document(_Parser(fh))
        memo: dict[tuple[int, int], int] = {}
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            draws = _draws(_list_of(page.contents), page.resources, memo, set())
            budget.exceeded(f"Form XObjects drawn on page {number}", draws, limit, "",
                            "max_form_draws")  # fmt: skip
    except (ResourceLimitExceeded, EncryptedDocument):
        raise
    except Exception:  # pdfium reads what pdfminer cannot: it says what is wrong
        return
    finally:
        fh.seek(home)


def _list_of(x: object) -> list[Any]:
    """A page's /Contents as a list of streams."""
    x = resolve1(x)
    return [resolve1(v) for v in x] if isinstance(x, list) else [x] if x is not None else []


def _draws(streams: list[Any], resources: Any, memo: dict[tuple[int, int], int],
           active: set[int]) -> int:  # fmt: skip
    """Form XObjects drawn by ``streams`` with ``resources``, nested ones counted."""
    budget = limits.budget()
    xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
    if not isinstance(xobjects, dict):
        return 0
    total = 0
    for stream in streams:
        if not isinstance(stream, PDFStream):
            continue
        for m in _DO.finditer(stream.get_data()):
            budget.often()
            name = _ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), m.group(1))
            xobj = resolve1(xobjects.get(name.decode("latin-1")))
            if not isinstance(xobj, PDFStream) or resolve1(xobj.get("Subtype")) is not _LIT_FORM:
                continue
            own = xobj.get("Resources")
            # a form with resources of its own draws the same wherever it is drawn
            key = (xobj.objid or id(xobj), 0 if own else id(resources))
            if key[0] in active:
                continue  # a form drawing itself: pdfium stops there
            if key not in memo:
                active.add(key[0])
                memo[key] = _draws([xobj], own or resources, memo, active)
                active.discard(key[0])
            total += 1 + memo[key]
            budget.exceeded("Form XObjects drawn on one page", total,
                            budget.limits.max_form_draws, "", "max_form_draws")  # fmt: skip
    return total
