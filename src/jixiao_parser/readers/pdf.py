"""Read PDF forms: ruled table grids rebuilt from the page's drawing, glyphs placed by position.

pdfminer.six interprets each page (no layout analysis: ``laparams=None``, so
its objects arrive ungrouped); from there the table finder is a chain of
pure functions, after pdfplumber's: ``page_objects → edges → merge_edges →
intersections → cells → group_tables → grid``. Glyphs go to the cell that
holds their centre; text outside every table becomes paragraphs (title,
year). Merged cells keep their spans. A table that continues on the next page
simply follows as the next Table block: segmentation reads blocks as one
stream, and a repeated header row is skipped there.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any

import attrs
import regex

from .. import limits, vocab
from ..document import Block, Cell, Document, Paragraph, Table
from ..errors import CorruptDocument, EncryptedDocument, NeedsOCR
from .text import PAGE_MARK, clean_cell

__all__ = ["Edge", "Glyph", "GridCell", "read_pdf", "tables_from_edges"]

SNAP = 3.0  # points: edges closer than this are one line
JOIN = 3.0  # points: collinear edges with a gap up to this are one edge
MIN_CELL = 2.0  # points: thinner "cells" are double rules, not cells
MAX_CROSSINGS = 40_000  # more line crossings on one page than any form table has
# a PDF's page furniture: the shared marks, and a bare number on a line of its own
_PAGE_NUMBER = regex.compile(rf"^\s*(?:{PAGE_MARK}|\d{{1,4}})\s*$")
_NO_SPACE_AFTER = ",.;:，。；：、！？!?"
# "2.活动" or "3.9月30日前" starts a numbered item; "0.9" does not
_MARKER_START = regex.compile(r"^(?:[(（]?\d{1,2}[.、．)）](?:(?!\d)|(?=\d{1,2}月))|[①②③④⑤⑥⑦⑧⑨⑩])")


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


def _page_layouts(data: bytes, source: str) -> Iterator[tuple[int, Any]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(source, "the PDF is password-protected") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise CorruptDocument(source, f"cannot open the PDF: {type(exc).__name__}: {exc}") from exc
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            interpreter.process_page(page)
            yield number, device.get_result()
    except (EncryptedDocument, CorruptDocument):
        raise
    except Exception as exc:
        raise CorruptDocument(source, f"cannot read the PDF: {type(exc).__name__}: {exc}") from exc


def page_objects(layout: Any) -> tuple[list[Glyph], list[Edge], bool]:
    """Glyphs, ruling edges and whether the page holds images (for the OCR check)."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTRect

    height = layout.height
    glyphs: list[Glyph] = []
    edges: list[Edge] = []
    images = False
    stack = list(layout)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if text.strip() or text == " ":  # a drawn space separates words
                glyphs.append(
                    Glyph(text, obj.x0, height - obj.y1, obj.x1, height - obj.y0, obj.size)
                )
        elif isinstance(obj, LTImage):
            images = True
        elif isinstance(obj, (LTLine, LTRect, LTCurve)):
            edges.extend(_shape_edges(obj, height))
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    return glyphs, edges, images


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
    near: dict[tuple[str, int, int], list[Glyph]] = defaultdict(list)
    out = []
    for g in glyphs:
        bx, by = int(g.x0 // 2), int(g.top // 2)
        cells = [(g.text, bx + dx, by + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        if any(
            abs(o.x0 - g.x0) < 1.0 and abs(o.top - g.top) < 1.0
            for c in cells
            for o in near.get(c, ())
        ):
            continue
        near[(g.text, bx, by)].append(g)
        out.append(g)
    return out


def text_lines(glyphs: list[Glyph]) -> list[tuple[float, str]]:
    """Glyphs → (top, text) lines, top to bottom; a wide gap inside a line is a space."""
    lines: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.cy, g.x0)):
        if lines and abs(g.cy - lines[-1][0].cy) <= max(g.size, lines[-1][0].size) * 0.5:
            lines[-1].append(g)
        else:
            lines.append([g])
    out = []
    for line in lines:
        line.sort(key=lambda g: g.x0)
        text = line[0].text
        for a, b in itertools.pairwise(line):
            gap = b.x0 - a.x1
            wide = gap > 0.3 * min(a.size, b.size) and b.text != " " and a.text != " "
            text += (" " if wide else "") + b.text
        text = " ".join(text.split())
        if text:
            out.append((min(g.top for g in line), text))
    return out


def join_wrapped(lines: list[str]) -> str:
    """Join a cell's wrapped lines: no space between CJK characters or inside a
    number (``116.3`` + ``7``), a space between words and before a new
    numbered item (``1.…`` / ``2.…``)."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
            continue
        before, after = out[-1], line[:1]
        words = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
        item = _MARKER_START.match(line) and before not in _NO_SPACE_AFTER
        out += (" " if words or item else "") + line
    return out


# -- the reader -----------------------------------------------------------------


def read_pdf(data: bytes, path: str | None, source: str) -> Document:
    """Read a PDF into a Document: one Table per ruled grid, paragraphs for the rest.

    Raises :class:`~jixiao_parser.EncryptedDocument` for protected files,
    :class:`~jixiao_parser.NeedsOCR` when no page has a text layer but pages
    hold images, :class:`~jixiao_parser.CorruptDocument` when pdfminer cannot
    read the file.
    """
    blocks: list[Block] = []
    pages = 0
    any_text = any_image = False
    budget = limits.budget()
    for number, layout in _page_layouts(data, source):
        pages = number
        budget.pages(number)
        glyphs, edges, images = page_objects(layout)
        any_text = any_text or bool(glyphs)
        any_image = any_image or images
        blocks.extend(page_blocks(_dedupe(glyphs), edges, number))
    if not any_text and any_image:
        raise NeedsOCR(source, "the PDF has no text layer (scanned pages): run OCR first")
    return Document(
        path=path, format="pdf", blocks=tuple(stitch_split_rows(blocks)), pages=max(pages, 1)
    )


def _is_label(text: str) -> bool:
    key = vocab.label_key(text)
    return (
        key in vocab.TOTAL_LABELS
        or key in vocab.LEVEL1_TERMS
        or key in vocab.LEVEL2_TERMS
        or vocab.lookup(vocab.INDICATOR_COLUMNS, text) is not None
    )


def _slot(cell: Cell) -> tuple[int, int]:
    assert cell.bbox is not None
    return round(cell.bbox[0] / SNAP), round(cell.bbox[2] / SNAP)


def stitch_split_rows(blocks: list[Block]) -> list[Block]:
    """Rejoin a table row that a page break cut in two.

    When a page starts with a table whose first row continues the last row of
    the table ending the page before — it has text only in columns where that
    row has text, and is empty in at least one of them (the figures stayed on
    the first page) — its texts are appended to that row's cells.
    """
    out = list(blocks)
    for k in range(1, len(out)):
        prev, cur = out[k - 1], out[k]
        if not (isinstance(prev, Table) and isinstance(cur, Table) and prev.rows and cur.rows):
            continue
        last, first = prev.rows[-1], cur.rows[0]
        if not last or not first or first[0].page != last[0].page + 1:
            continue
        before = {_slot(c): c for c in last}
        after = {_slot(c): c for c in first}
        filled = [s for s, c in after.items() if c.text]
        if not filled or any(s not in before or not before[s].text for s in filled):
            continue
        if 2 * len(filled) > sum(1 for c in last if c.text):
            continue  # a new row fills about as many cells as the one before: not a remnant
        if any(_is_label(after[s].text) for s in filled):
            continue  # 总分, 产出指标 …: a row of its own
        if not any(before[s].text and not (s in after and after[s].text) for s in before):
            continue
        joined = tuple(
            attrs.evolve(c, text=join_wrapped([c.text, after[_slot(c)].text]))
            if _slot(c) in after and after[_slot(c)].text else c
            for c in last
        )  # fmt: skip
        out[k - 1] = Table((*prev.rows[:-1], joined))
        # merged cells that started in the rejoined row now start one row lower
        moved = tuple(
            attrs.evolve(c, text="", row=c.row + 1, rowspan=c.rowspan - 1)
            for c in first
            if c.rowspan > 1
        )
        rest = cur.rows[1:]
        if moved and rest:
            rest = (tuple(sorted(moved + rest[0], key=lambda c: c.col)), *rest[1:])
        out[k] = Table(rest)
    return [b for b in out if not isinstance(b, Table) or b.rows]


def _place_glyphs(
    glyphs: list[Glyph], cells: list[GridCell], xs: list[float], ys: list[float], taken: set[int]
) -> dict[GridCell, list[Glyph]]:
    """Each glyph to the cell holding its centre, found through the grid's axes."""
    owner: dict[tuple[int, int], GridCell] = {}
    for c in cells:
        for r in range(_index(ys, c.top), max(_index(ys, c.bottom), _index(ys, c.top) + 1)):
            for k in range(_index(xs, c.x0), max(_index(xs, c.x1), _index(xs, c.x0) + 1)):
                owner[(r, k)] = c
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    content: dict[GridCell, list[Glyph]] = defaultdict(list)
    for k, g in enumerate(glyphs):
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if k in taken or not (left <= cx <= right and top <= cy <= bottom):
            continue
        hit = owner.get((bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1))
        if hit is not None and hit.x0 <= cx <= hit.x1 and hit.top <= cy <= hit.bottom:
            content[hit].append(g)
            taken.add(k)
    return content


def page_blocks(glyphs: list[Glyph], edges: list[Edge], page: int) -> list[Block]:
    """One page's blocks in reading order: paragraphs and tables by their top."""
    placed: list[tuple[float, Block]] = []
    taken: set[int] = set()
    for cells in tables_from_edges(edges):
        xs = _axis([c.x0 for c in cells] + [c.x1 for c in cells])
        ys = _axis([c.top for c in cells] + [c.bottom for c in cells])
        content = _place_glyphs(glyphs, cells, xs, ys, taken)
        rows: dict[int, list[Cell]] = defaultdict(list)
        for c in cells:
            row, col = _index(ys, c.top), _index(xs, c.x0)
            text = clean_cell(join_wrapped([t for _, t in text_lines(content[c])]))
            rows[row].append(Cell(
                text, row=row, col=col, page=page,
                rowspan=max(1, _index(ys, c.bottom) - row), colspan=max(1, _index(xs, c.x1) - col),
                bbox=(round(c.x0, 2), round(c.top, 2), round(c.x1, 2), round(c.bottom, 2)),
            ))  # fmt: skip
        table = Table(tuple(tuple(sorted(rows[r], key=lambda c: c.col)) for r in sorted(rows)))
        placed.append((min(c.top for c in cells), table))
    rest = [g for k, g in enumerate(glyphs) if k not in taken]
    for top, text in text_lines(rest):
        text = clean_cell(text)
        if text and not _PAGE_NUMBER.match(text):
            placed.append((top, Paragraph(text, page=page)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]
