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

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from io import BytesIO
from typing import Any, BinaryIO, TypeVar

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTContainer, LTCurve, LTImage, LTLine, LTPage, LTRect
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.utils import Matrix, apply_matrix_rect

from ..errors import CorruptDocument, EncryptedDocument, UnreadableSource
from .pdf import Edge, Glyph, PageContent, on_page, shape_edges

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
        self._page: tuple[list[Glyph], list[Edge], bool] = ([], [], False)

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        super().begin_page(page, ctm)
        self._width, self._height = self.cur_item.width, self.cur_item.height
        self._glyphs = []

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
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
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
        return adv

    def receive_layout(self, ltpage: LTPage) -> None:
        edges, images = _shapes(ltpage)
        # last drawn first, the order they always came in from pdfminer's layout
        # tree: it decides which copy of a doubled glyph _dedupe keeps
        self._glyphs.reverse()
        self._page = (on_page(self._glyphs, self._width, self._height), edges, images)
        self._glyphs = []

    def take(self) -> tuple[list[Glyph], list[Edge], bool]:
        """The page just processed: its glyphs, ruling edges and whether it holds images."""
        page, self._page = self._page, ([], [], False)
        return page


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
        document = _Document(PDFParser(BytesIO(data) if isinstance(data, bytes) else data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(source, "the PDF is password-protected") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise CorruptDocument(source, f"cannot open the PDF: {type(exc).__name__}: {exc}") from exc
    manager = _Resources()
    device = _PageDevice(manager)
    interpreter = PDFPageInterpreter(manager, device)
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            page.mediabox = page.cropbox  # the page as shown: what lies outside is hidden
            interpreter.process_page(page)
            yield PageContent(number, *device.take())
    except (EncryptedDocument, CorruptDocument):
        raise
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
