"""Read PDF forms: ruled table grids rebuilt from the page's drawing, glyphs placed by position.

pdfminer.six interprets one page at a time (no layout analysis) into a device
of ours that keeps only glyphs — characters with their boxes, made as they are
drawn — and ruling edges from lines, rectangles and curves; from there the
table finder is a chain of pure functions, after pdfplumber's: ``edges →
merge_edges → intersections → cells → group_tables → grid``. Glyphs go to the
cell that holds their centre; text outside every table becomes paragraphs
(title, year). Merged cells keep their spans. Text that a spreadsheet printed
with fixed row heights lets run on across a ruling goes back to the cell it was
set in (``_join_overflow``, by geometry only; the rules are in the comment that
opens its section). A table that continues on the next page simply follows as
the next Table block: segmentation reads blocks as one stream, skips a repeated
header row and rejoins a row that the page break cut in two
(:mod:`jixiao_parser.segment.stitch`: it takes the vocabulary to tell a remnant
from a row of its own, which a reader never knows).

Memory is flat in the page count but for the blocks themselves: a page is
reduced to its blocks before the next is read, pdfminer's document-wide caches
(parsed objects, fonts) are bounded, and the texts and cell boxes that a
document's forms repeat are kept once.
"""

from __future__ import annotations

import bisect
import itertools
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from io import BytesIO
from typing import Any, BinaryIO, NamedTuple, TypeVar

import attrs
import regex
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTContainer, LTCurve, LTImage, LTLine, LTPage, LTRect
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.utils import Matrix, apply_matrix_rect

from .. import limits
from ..document import Block, Cell, Document, Paragraph, Table, join_wrapped
from ..errors import CorruptDocument, EncryptedDocument, NeedsOCR, UnreadableSource
from .text import PAGE_MARK, clean_cell

__all__ = ["Edge", "Glyph", "GridCell", "read_pdf", "tables_from_edges"]

SNAP = 3.0  # points: edges closer than this are one line
JOIN = 3.0  # points: collinear edges with a gap up to this are one edge
MIN_CELL = 2.0  # points: thinner "cells" are double rules, not cells
MAX_CROSSINGS = 40_000  # more line crossings on one page than any form table has
# a PDF's page furniture: the shared marks, and a bare number on a line of its own
_PAGE_NUMBER = regex.compile(rf"^\s*(?:{PAGE_MARK}|\d{{1,4}})\s*$")


@attrs.frozen
class Glyph:
    """One drawn character, in top-down page coordinates."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@attrs.frozen
class Edge:
    """A ruling line: horizontal (``orient="h"``: y = ``at``, from ``lo`` to ``hi`` in x)
    or vertical (``"v"``: x = ``at``, ``lo``..``hi`` in y, top-down)."""

    orient: str
    at: float
    lo: float
    hi: float


@attrs.frozen
class GridCell:
    """A table cell rectangle (top-down coordinates)."""

    x0: float
    top: float
    x1: float
    bottom: float


# -- pdfminer → glyphs and edges ---------------------------------------------
#
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
        self._height = 0.0
        self._glyphs: list[Glyph] = []
        self._page: tuple[list[Glyph], list[Edge], bool] = ([], [], False)

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        super().begin_page(page, ctm)
        self._height = self.cur_item.height
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
        self._page = (self._glyphs, edges, images)
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


def _read_pages(
    data: bytes | BinaryIO, source: str
) -> Iterator[tuple[int, list[Glyph], list[Edge], bool]]:
    """Each page in turn: its number, glyphs, ruling edges and whether it holds images."""
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
            interpreter.process_page(page)
            yield (number, *device.take())
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
    x0, y0, x1, y1 = obj.x0, height - obj.y1, obj.x1, height - obj.y0
    w, h = x1 - x0, y1 - y0
    if h <= MIN_CELL and w > MIN_CELL:
        return [Edge("h", (y0 + y1) / 2, x0, x1)]
    if w <= MIN_CELL and h > MIN_CELL:
        return [Edge("v", (x0 + x1) / 2, y0, y1)]
    pts = getattr(obj, "pts", None) or []
    if type(obj).__name__ == "LTRect" or len(pts) < 2:
        return [
            Edge("h", y0, x0, x1),
            Edge("h", y1, x0, x1),
            Edge("v", x0, y0, y1),
            Edge("v", x1, y0, y1),
        ]
    out = []
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        ay, by = height - ay, height - by
        if abs(ay - by) <= 0.5 and abs(ax - bx) > MIN_CELL:
            out.append(Edge("h", ay, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= 0.5 and abs(ay - by) > MIN_CELL:
            out.append(Edge("v", ax, min(ay, by), max(ay, by)))
    return out


# -- edges → tables -----------------------------------------------------------


def merge_edges(edges: Iterable[Edge]) -> list[Edge]:
    """Snap nearly collinear edges together and join touching ones."""
    out: list[Edge] = []
    for orient in ("h", "v"):
        group = sorted((e for e in edges if e.orient == orient), key=lambda e: e.at)
        clusters: list[list[Edge]] = []
        for e in group:
            if clusters and e.at - clusters[-1][0].at <= SNAP:
                clusters[-1].append(e)
            else:
                clusters.append([e])
        for cluster in clusters:
            at = sum(e.at for e in cluster) / len(cluster)
            spans = sorted((e.lo, e.hi) for e in cluster)
            lo, hi = spans[0]
            for a, b in spans[1:]:
                if a <= hi + JOIN:
                    hi = max(hi, b)
                else:
                    out.append(Edge(orient, at, lo, hi))
                    lo, hi = a, b
            out.append(Edge(orient, at, lo, hi))
    return out


def _covers(edges: list[Edge], at: float, lo: float, hi: float) -> bool:
    return any(abs(e.at - at) <= SNAP and e.lo <= lo + SNAP and e.hi >= hi - SNAP for e in edges)


def tables_from_edges(edges: Iterable[Edge]) -> list[list[GridCell]]:
    """Ruling edges → tables, each a list of its smallest closed cells.

    A cell is the smallest rectangle whose four sides lie on edges, found from
    each intersection as its top-left corner (pdfplumber's method).
    """
    merged = merge_edges(edges)
    hs = [e for e in merged if e.orient == "h"]
    vs = [e for e in merged if e.orient == "v"]
    if len(hs) * len(vs) > MAX_CROSSINGS:
        return []  # a hatching or chart, not a form's table: its text is read as paragraphs
    by_y: dict[float, list[Edge]] = defaultdict(list)
    by_x: dict[float, list[Edge]] = defaultdict(list)
    for e in hs:
        by_y[e.at].append(e)
    for e in vs:
        by_x[e.at].append(e)
    points = sorted(
        {(v.at, h.at) for h in hs for v in vs
         if h.lo - SNAP <= v.at <= h.hi + SNAP and v.lo - SNAP <= h.at <= v.hi + SNAP}
    )  # fmt: skip
    point_set = set(points)
    xs_at: dict[float, list[float]] = defaultdict(list)  # y → sorted xs
    ys_at: dict[float, list[float]] = defaultdict(list)  # x → sorted ys
    for x, y in points:
        xs_at[y].append(x)
        ys_at[x].append(y)
    cells: list[GridCell] = []
    for x, y in points:
        right = [q for q in xs_at[y] if q > x + MIN_CELL]
        below = [q for q in ys_at[x] if q > y + MIN_CELL]
        found = None
        # merged edges sit exactly at the points' coordinates: look them up by position
        for by in sorted(below):
            if not _covers(by_x[x], x, y, by):
                break
            for rx in sorted(right):
                if not _covers(by_y[y], y, x, rx):
                    break
                if (
                    (rx, by) in point_set
                    and _covers(by_x[rx], rx, y, by)
                    and _covers(by_y[by], by, x, rx)
                ):
                    found = GridCell(x, y, rx, by)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return _group_tables(cells)


def _group_tables(cells: list[GridCell]) -> list[list[GridCell]]:
    """Cells that share a corner belong to one table."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[int, int], int] = {}
    for i, c in enumerate(cells):
        for corner in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            key = (round(corner[0]), round(corner[1]))
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[GridCell]] = defaultdict(list)
    for i, c in enumerate(cells):
        groups[find(i)].append(c)
    tables = [g for g in groups.values() if len(g) >= 2]
    return sorted(tables, key=lambda g: min(c.top for c in g))


def _axis(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(axis: list[float], v: float) -> int:
    k = bisect.bisect_left(axis, v - SNAP)
    return min(k, len(axis) - 1)


# -- glyphs → text ------------------------------------------------------------


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop glyphs drawn twice within a point of each other (fake bold)."""
    near: dict[tuple[str, int, int], list[Glyph]] = {}  # (text, 2-pt square) → glyphs kept
    out = []
    for g in glyphs:
        x, y, text = g.x0, g.top, g.text
        bx, by = int(x // 2), int(y // 2)
        # a copy within a point lies in this square or in the neighbours on the
        # sides of it that the glyph is nearer to
        nx = bx - 1 if x - 2 * bx < 1 else bx + 1
        ny = by - 1 if y - 2 * by < 1 else by + 1
        for key in ((text, bx, by), (text, nx, by), (text, bx, ny), (text, nx, ny)):
            kept = near.get(key)
            if kept and any(abs(o.x0 - x) < 1.0 and abs(o.top - y) < 1.0 for o in kept):
                break
        else:
            near.setdefault((text, bx, by), []).append(g)
            out.append(g)
    return out


def _group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs → lines, top to bottom, each left to right: a glyph joins the line
    whose first glyph's centre is within half a glyph height of its own."""
    lines: list[list[Glyph]] = []
    line_cy = 0.0  # the centre of the line's first glyph
    # by centre, then left edge (the index keeps ties in the order given)
    for cy, _, k in sorted(((g.top + g.bottom) / 2, g.x0, k) for k, g in enumerate(glyphs)):
        g = glyphs[k]
        if lines and abs(cy - line_cy) <= max(g.size, lines[-1][0].size) * 0.5:
            lines[-1].append(g)
        else:
            lines.append([g])
            line_cy = cy
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return [line for line in lines if any(g.text.strip() for g in line)]


def _line_text(line: list[Glyph]) -> str:
    """A line's text (its glyphs left to right); a wide gap inside it is a space."""
    text = line[0].text
    for a, b in itertools.pairwise(line):
        gap = b.x0 - a.x1
        wide = gap > 0.3 * min(a.size, b.size) and b.text != " " and a.text != " "
        text += (" " if wide else "") + b.text
    return " ".join(text.split())


def text_lines(glyphs: list[Glyph]) -> list[tuple[float, str]]:
    """Glyphs → (top, text) lines, top to bottom; a wide gap inside a line is a space."""
    out = []
    for line in _group_lines(glyphs):
        text = _line_text(line)
        if text:
            out.append((min(g.top for g in line), text))
    return out


# -- text that overflows its cell ---------------------------------------------
#
# A spreadsheet printed with fixed row heights draws a wrapped cell's text in
# full even where it is taller than its row: the lines run on across the ruling
# into the cell below (top-aligned text), above (bottom-aligned) or both
# (centred), and each line lands in the cell its centre falls in. Such a run of
# lines goes back to the one cell it belongs to, by geometry alone:
#
# - one column: the cells it touches are stacked between the same two rulings;
# - one paragraph: one glyph size, one x-run (a common left edge, centre or
#   right edge), one line pitch across the rulings, and the line before each
#   ruling full (the next line's first word would not have fitted after it);
# - nothing else there: every cell the run touches holds no other line;
# - placed as one cell's text and as no other's: the run is centred on a cell
#   it overflows on both sides (its ink above and below that cell), or starts
#   at its first cell's top padding (ends at its last cell's bottom padding)
#   while none of its other parts sits in its cell as that cell's own text
#   would (inside the cell, and centred or at that padding from either ruling).
#
# Anything less certain stays where it is: a part that could be its cell's own
# text is its cell's own text.

_SIZE_TOL = 0.5  # points: glyph sizes within one paragraph
_ALIGN_TOL = 1.5  # points: the common left edge, centre or right edge of its lines
_PITCH_TOL = 0.1  # × glyph size: line pitch within one paragraph
_FIT = 0.15  # × glyph size: text centred on its cell
_OFF = 0.3  # × glyph size: a part clearly off the padding its own text would sit at
_TOP_PAD = 0.5  # × glyph size: at most this below a ruling, a line is at the padding
_INSIDE = 0.1  # × glyph size: how far a cell's own text may reach past its rulings


class _Box(NamedTuple):
    """A line of glyphs with the box of its visible glyphs."""

    glyphs: list[Glyph]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    first: float  # width of its first word: an ASCII run up to a space, else one glyph

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _box(line: list[Glyph]) -> _Box:
    ink = [g for g in line if g.text.strip()]
    word = [ink[0]]
    if ink[0].text.isascii():
        for g in line[line.index(ink[0]) + 1 :]:
            if not g.text.strip() or not g.text.isascii():
                break
            word.append(g)
    return _Box(
        line,
        min(g.top for g in ink),
        max(g.bottom for g in ink),
        ink[0].x0,
        max(g.x1 for g in ink),
        max(g.size for g in ink),
        word[-1].x1 - word[0].x0,
    )


def _join_overflow(slots: list[tuple[int, int, int, int]], cells: list[GridCell],
                   lines: list[list[list[Glyph]]]) -> None:  # fmt: skip
    """Move each run of lines that overflows its cell back into that cell (in
    ``lines``, each cell's lines, in place)."""
    by_top = {(row, col, col_end): i for i, (row, col, _, col_end) in enumerate(slots)}
    below: dict[int, int] = {}
    for i, (_, col, row_end, col_end) in enumerate(slots):
        j = by_top.get((row_end, col, col_end))
        if j is not None:
            below[i] = j
    for head in sorted(set(below) - set(below.values())):
        chain = [head]
        while chain[-1] in below:
            chain.append(below[chain[-1]])
        if sum(1 for k in chain if lines[k]) >= 2:
            _join_column([cells[k] for k in chain], [lines[k] for k in chain])


def _join_column(column: list[GridCell], lines: list[list[list[Glyph]]]) -> None:
    """One column of stacked cells: join the paragraphs that overflow their cell.

    A paragraph crosses a ruling only where the last line above it and the first
    below it could be one paragraph's (a quick test that spares the boxes of the
    other lines): only the stretches of cells joined by such rulings are read.
    """
    start = above = None
    for pos, cell_lines in enumerate(lines):
        if not cell_lines:
            continue
        if above is not None and _near(lines[above][-1], cell_lines[0]):
            a, b = _box(lines[above][-1]), _box(cell_lines[0])
            if _same_paragraph(column[above], a, b, 0.0, {"left", "centre", "right"}, True):
                start = above if start is None else start
            elif start is not None:
                _join_stretch(column[start : above + 1], lines[start : above + 1])
                start = None
        above = pos
    if start is not None and above is not None:
        _join_stretch(column[start : above + 1], lines[start : above + 1])


def _near(a: list[Glyph], b: list[Glyph]) -> bool:
    """Whether line ``b`` is about one line pitch below line ``a`` (by their first
    glyphs: no box is worked out for the lines of most rulings)."""
    step, size = b[0].top - a[0].top, a[0].size
    return 0.8 * size <= step <= 2.2 * size


def _join_stretch(column: list[GridCell], lines: list[list[list[Glyph]]]) -> None:
    """Stacked cells that a paragraph may cross: find the paragraphs, join those
    that overflow."""
    run: list[tuple[int, _Box]] = []
    pitch = 0.0
    modes = {"left", "centre", "right"}
    for pos, cell_lines in enumerate(lines):
        for line in cell_lines:
            b = _box(line)
            if run:
                ppos, a = run[-1]
                same = _same_paragraph(column[ppos], a, b, pitch, modes, pos != ppos)
                if same and all(not lines[k] for k in range(ppos + 1, pos)):
                    pitch = pitch or b.top - a.top
                    run.append((pos, b))
                    continue
                _join_run(column, lines, run, pitch)
            run, pitch, modes = [(pos, b)], 0.0, {"left", "centre", "right"}
    _join_run(column, lines, run, pitch)


def _same_paragraph(
    cell: GridCell, a: _Box, b: _Box, pitch: float, modes: set[str], crossing: bool
) -> bool:
    """Whether line ``b`` goes on the paragraph whose last line is ``a`` (in
    ``cell``; ``b`` is past a ruling if ``crossing``) at ``pitch`` (0: not known
    yet); narrows ``modes``, the x-runs the paragraph's lines share."""
    if abs(a.size - b.size) > _SIZE_TOL:
        return False
    modes &= {
        m
        for m, d in (("left", a.x0 - b.x0), ("centre", a.cx - b.cx), ("right", a.x1 - b.x1))
        if abs(d) <= _ALIGN_TOL
    }
    step = b.top - a.top
    if not modes or not (
        abs(step - pitch) <= _PITCH_TOL * a.size if pitch else a.size <= step <= 2 * a.size
    ):
        return False
    # across a ruling, the text wrapped: b's first word did not fit after a
    return not crossing or (cell.x1 - cell.x0) - (a.x1 - a.x0) < b.first + a.size


def _join_run(column: list[GridCell], lines: list[list[list[Glyph]]],
              run: list[tuple[int, _Box]], pitch: float) -> None:  # fmt: skip
    """Put ``run``, one paragraph, into its cell if it overflows into others."""
    first, last = run[0][0], run[-1][0]
    if first == last:
        return
    parts: dict[int, list[_Box]] = defaultdict(list)
    for pos, b in run:
        parts[pos].append(b)
    if any(len(lines[pos]) != len(parts.get(pos, ())) for pos in range(first, last + 1)):
        return  # a cell it touches holds other lines too
    origin = _origin(column, parts, first, last)
    if origin is None:
        return
    for pos in range(first, last + 1):
        lines[pos].clear()
    lines[origin].extend(b.glyphs for _, b in run)


def _origin(column: list[GridCell], parts: dict[int, list[_Box]], first: int, last: int
            ) -> int | None:  # fmt: skip
    """The cell a paragraph spread over ``column[first..last]`` was set in, or
    None when one of its parts may be its own cell's text."""
    size = parts[first][0].size
    top, bottom = parts[first][0].top, parts[last][-1].bottom

    def mid(a: float, b: float) -> float:
        return (a + b) / 2

    def own(pos: int, pad: float | None = None) -> bool:
        """Whether the part in ``column[pos]`` sits there as that cell's own text
        would: inside it, and centred or ``pad`` from its top or bottom ruling."""
        a, b, cell = parts[pos][0], parts[pos][-1], column[pos]
        if a.top < cell.top - _INSIDE * size or b.bottom > cell.bottom + _INSIDE * size:
            return False
        if abs(mid(a.top, b.bottom) - mid(cell.top, cell.bottom)) <= _FIT * size:
            return True
        gaps = (a.top - cell.top, cell.bottom - b.bottom)
        return pad is not None and any(abs(gap - pad) <= _OFF * size for gap in gaps)

    for k in range(first, last + 1):  # centred, overflowing both ways
        cell = column[k]
        if (
            top < cell.top
            and bottom > cell.bottom
            and abs(mid(top, bottom) - mid(cell.top, cell.bottom)) <= _FIT * size
        ):
            return None if any(own(pos) for pos in parts if pos != k) else k
    pad = top - column[first].top  # top-aligned, overflowing down
    if 0 <= pad <= _TOP_PAD * size and not any(own(pos, pad) for pos in parts if pos != first):
        return first
    pad = column[last].bottom - bottom  # bottom-aligned, overflowing up
    if 0 <= pad <= _TOP_PAD * size and not any(own(pos, pad) for pos in parts if pos != last):
        return last
    return None


# -- the reader -----------------------------------------------------------------


def read_pdf(data: bytes | BinaryIO, path: str | None, source: str) -> Document:
    """Read a PDF (bytes, or an open binary file read as pages need it) into a
    Document: one Table per ruled grid, paragraphs for the rest.

    Raises :class:`~jixiao_parser.EncryptedDocument` for protected files,
    :class:`~jixiao_parser.NeedsOCR` when no page has a text layer but pages
    hold images, :class:`~jixiao_parser.CorruptDocument` when pdfminer cannot
    read the file.
    """
    blocks: list[Block] = []
    pages = 0
    any_text = any_image = False
    budget = limits.budget()
    shared: dict[Any, Any] = {}
    for number, glyphs, edges, images in _read_pages(data, source):
        pages = number
        budget.pages(number)
        any_text = any_text or bool(glyphs)
        any_image = any_image or images
        blocks.extend(page_blocks(_dedupe(glyphs), edges, number, shared))
    if not any_text and any_image:
        raise NeedsOCR(source, "the PDF has no text layer (scanned pages): run OCR first")
    return Document(
        path=path, format="pdf", blocks=tuple(blocks), pages=max(pages, 1), pdf_backend="pdfminer"
    )


def _place_glyphs(
    glyphs: list[Glyph],
    cells: list[GridCell],
    slots: list[tuple[int, int, int, int]],
    xs: list[float],
    ys: list[float],
    taken: set[int],
) -> list[list[Glyph]]:
    """Each glyph to the cell holding its centre, found through the grid's axes.

    ``slots`` are the cells' (row, col, row below, col after) on the axes;
    returns the glyphs of each cell, in the order of ``cells``.
    """
    owner: dict[tuple[int, int], int] = {}
    for i, (row, col, row_end, col_end) in enumerate(slots):
        for r in range(row, max(row_end, row + 1)):
            for k in range(col, max(col_end, col + 1)):
                owner[(r, k)] = i
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    content: list[list[Glyph]] = [[] for _ in cells]
    for k, g in enumerate(glyphs):
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if k in taken or not (left <= cx <= right and top <= cy <= bottom):
            continue
        n = owner.get((bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1))
        if n is None:
            continue
        hit = cells[n]
        if hit.x0 <= cx <= hit.x1 and hit.top <= cy <= hit.bottom:
            content[n].append(g)
            taken.add(k)
    return content


def page_blocks(
    glyphs: list[Glyph], edges: list[Edge], page: int, shared: dict[Any, Any] | None = None
) -> list[Block]:
    """One page's blocks in reading order: paragraphs and tables by their top.

    Equal texts and cell boxes become one object through ``shared``, which a
    document keeps across its pages: forms of one template repeat their labels
    and their geometry page after page.
    """
    share = (shared if shared is not None else {}).setdefault
    placed: list[tuple[float, Block]] = []
    taken: set[int] = set()
    for cells in tables_from_edges(edges):
        xs = _axis([c.x0 for c in cells] + [c.x1 for c in cells])
        ys = _axis([c.top for c in cells] + [c.bottom for c in cells])
        slots = [
            (_index(ys, c.top), _index(xs, c.x0), _index(ys, c.bottom), _index(xs, c.x1))
            for c in cells
        ]
        content = _place_glyphs(glyphs, cells, slots, xs, ys, taken)
        lines = [_group_lines(inside) if inside else [] for inside in content]
        _join_overflow(slots, cells, lines)
        # one rounded number per ruling line, shared by the bboxes of the cells on it
        coords = {v for c in cells for v in (c.x0, c.top, c.x1, c.bottom)}
        at = {v: round(v, 2) for v in coords}
        rows: dict[int, list[Cell]] = defaultdict(list)
        for c, (row, col, row_end, col_end), inside in zip(cells, slots, lines, strict=True):
            text = clean_cell(join_wrapped([_line_text(line) for line in inside])) if inside else ""
            bbox = (at[c.x0], at[c.top], at[c.x1], at[c.bottom])
            rows[row].append(Cell(
                share(text, text), row=row, col=col, page=page,
                rowspan=max(1, row_end - row), colspan=max(1, col_end - col),
                bbox=share(bbox, bbox),
            ))  # fmt: skip
        table = Table(tuple(tuple(sorted(rows[r], key=lambda c: c.col)) for r in sorted(rows)))
        placed.append((min(c.top for c in cells), table))
    rest = [g for k, g in enumerate(glyphs) if k not in taken]
    for top, text in text_lines(rest):
        text = clean_cell(text)
        if text and not _PAGE_NUMBER.match(text):
            placed.append((top, Paragraph(share(text, text), page=page)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]
