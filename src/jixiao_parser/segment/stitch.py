"""Rows cut in two, rejoined before segmentation: by a page break (PDF input)
or by a line break inside a cell (text input).

A PDF table that runs over a page break may leave the end of its last row on
the next page: ``项目支出符合 | =1百 | 1 | 10 | 10`` on page 1 and
``协会财务制度规定 | 分比 | | |`` on page 2. The reader keeps both as it found
them; this stage rejoins them by the cells' geometry, and asks the vocabulary
whether the row on the new page is a row of its own (``总分``, ``产出指标`` …),
which a reader never knows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import regex

from .. import vocab
from ..document import Block, Cell, Line, Table, join_wrapped
from .labels import label_kind, opens_row

__all__ = ["join_wrapped_lines", "stitch_split_rows"]

_SNAP = 3.0  # points: cells whose left and right edges agree this closely share a column
_OCR_SNAP = 8.0  # the same for cells of scanned pages (each page turned and read on its own)


def stitch_split_rows(blocks: Sequence[Block]) -> list[Block]:
    """Rejoin a table row that a page break cut in two.

    When a page starts with a table whose first row continues the last row of
    the table ending the page before — it has text only in columns where that
    row has text, and is empty in at least one of them (the figures stayed on
    the first page) — its texts are appended to that row's cells. Cells without
    a box (input other than PDF) are never stitched.
    """
    out = list(blocks)
    for k in range(1, len(out)):
        prev, cur = out[k - 1], out[k]
        if not (isinstance(prev, Table) and isinstance(cur, Table) and prev.rows and cur.rows):
            continue
        last, first = prev.rows[-1], cur.rows[0]
        if not _continues(last, first):
            continue
        after = dict(_aligned(last, first))
        joined = tuple(_join_cell(c, after.get(_slot(c))) for c in last)
        out[k - 1] = Table((*prev.rows[:-1], joined))
        # merged cells that started in the rejoined row now start one row lower
        moved = tuple(
            c.replace(text="", row=c.row + 1, rowspan=c.rowspan - 1) for c in first if c.rowspan > 1
        )
        rest = cur.rows[1:]
        if moved and rest:
            rest = (tuple(sorted(moved + rest[0], key=lambda c: c.col)), *rest[1:])
        out[k] = Table(rest)
    return [b for b in out if not isinstance(b, Table) or b.rows]


def _continues(last: tuple[Cell, ...], first: tuple[Cell, ...]) -> bool:
    """Whether ``first`` (a page's first row) is the rest of ``last`` (the row
    ending the page before)."""
    if not last or not first or first[0].page != last[0].page + 1:
        return False
    if any(c.bbox is None for c in last) or any(c.bbox is None for c in first):
        return False
    before = {_slot(c): c for c in last}
    after = dict(_aligned(last, first))
    filled = [s for s, c in after.items() if c.text]
    if not filled or any(s not in before or not before[s].text for s in filled):
        return False
    if 2 * len(filled) > sum(1 for c in last if c.text):
        return False  # a new row fills about as many cells as the one before: not a remnant
    if any(_is_label(after[s]) for s in filled):
        return False  # 总分, 产出指标 …: a row of its own
    return any(before[s].text and not (s in after and after[s].text) for s in before)


def _aligned(last: tuple[Cell, ...], first: tuple[Cell, ...]) -> list[tuple[tuple[int, int], Cell]]:
    """The cells of ``first`` keyed by their column's slot. A cell read by OCR takes
    the slot of the cell of ``last`` whose left and right edges are within
    :data:`_OCR_SNAP` of its own (the pages of a scan are not drawn alike)."""
    if first[0].ocr is None or last[0].ocr is None:
        return [(_slot(c), c) for c in first]
    out = []
    for c in first:
        x0, _, x1, _ = c.bbox or (0.0, 0.0, 0.0, 0.0)
        near = [
            d
            for d in last
            if d.bbox is not None
            and abs(d.bbox[0] - x0) <= _OCR_SNAP
            and abs(d.bbox[2] - x1) <= _OCR_SNAP
        ]
        out.append((_slot(near[0]) if len(near) == 1 else _slot(c), c))
    return out


def _join_cell(cell: Cell, rest: Cell | None) -> Cell:
    """``cell`` with the text of ``rest`` (its column's cell on the next page) after it."""
    if rest is None or not rest.text:
        return cell
    return cell.replace(text=join_wrapped([cell.text, rest.text]))


def _is_label(cell: Cell) -> bool:
    key = vocab.label_key(cell.norm)
    return (
        key in vocab.TOTAL_LABELS
        or key in vocab.LEVEL1_TERMS
        or key in vocab.LEVEL2_TERMS
        or vocab.lookup(vocab.INDICATOR_COLUMNS, cell.norm) is not None
    )


def _slot(cell: Cell) -> tuple[int, int]:
    bbox = cell.bbox
    if bbox is None:  # pragma: no cover - _continues looks first
        return (-1, -1)
    return round(bbox[0] / _SNAP), round(bbox[2] / _SNAP)


def join_wrapped_lines(lines: list[Line]) -> list[Line]:
    """Rejoin text rows that a line break inside a cell cut in two.

    Tab-separated text copied out of a page keeps a cell's line break, so the
    rest of the row goes on on the next line: ``||质量指标|1.甲合格率`` then
    ``2.乙合规率|1.≥90% 2.=100%|…``. A row is joined to the row before it when

    - both come from text (cells with a line number) on consecutive lines,
    - the row before ends in a filled cell, which is no goal label (the text
      below ``项目年度目标 | 年度目标完成情况`` is the goal texts),
    - this row's first cell holds text that opens no row (anything but a label
      such as 产出指标 or 总分; an inner column's label such as 得分 may be the
      rest of a heading), and
    - together they are no wider than the widest row (one cell more in a table
      six or more cells wide when the break is not right after a figure: a
      ragged table may have held one row wider than the rest);

    A row opening with a label the vocabulary does not know, after a short row
    ending in text, cannot be told from the rest of that row unless its label
    ends with a colon; it is joined.

    its first cell then continues the last cell of the row before
    (:func:`~jixiao_parser.document.join_wrapped`) and its other cells follow
    it. A paragraph line right after a row continues that row's last cell in the
    same way (the tail of a wrapped note, or of a goal text), unless it is a
    label, a title, a year or section heading, or the row is a total or ends in
    a goal label. A label
    that ends the label before it (``未完成原因和`` + ``改进措施``) is joined too.
    Cells keep their own line numbers.
    """
    # flags[k - 1]: whether lines k - 1 and k may be one row cut in two
    flags = list(map(_may_continue, lines, lines[1:]))
    if not any(flags):
        return lines  # the common case: nothing cut
    width = max((len(line.cells) for line in lines if not line.paragraph), default=0)
    out = list(lines)
    # Breaks inside text or inside a figure first, then breaks right after a
    # figure ("5" + "个…" may be a cut, or a row ending in a score before a row
    # opening with a name): a wrapped row is judged with its own rest joined.
    for weak in (False, True):
        k = 1
        while k < len(out):
            if not flags[k - 1]:
                k += 1
                continue
            prev, line = out[k - 1], out[k]
            if _weak(prev.cells[-1], line.cells[0]) == weak and (
                _tail_of(prev, line) if line.paragraph else _rest_of(prev, line, width)
            ):
                out[k - 1 : k + 1] = [_joined(prev, line.cells)]
                del flags[k - 1]
                for j in (k - 1, k):  # the pairs the joined row is in
                    if 1 <= j < len(out):
                        flags[j - 1] = _may_continue(out[j - 1], out[j])
                continue
            k += 1
    return out


def _may_continue(prev: Line, line: Line) -> bool:
    """What every join needs: a row ending in a filled cell, then a line
    opening with text that opens no row (or a paragraph)."""
    if prev.paragraph or not line.cells or not prev.cells:
        return False
    head, first = prev.cells[-1].norm, line.cells[0].norm
    return bool(head and first) and (line.paragraph or _GO_ON[head, first])


class _GoOnCache(dict[tuple[str, str], bool]):
    """Whether a row opening with ``first`` may go on from a row ending in
    ``head``, by their texts alone (asked of every pair of rows: a hit is a
    dictionary lookup)."""

    def __missing__(self, key: tuple[str, str]) -> bool:
        head, first = key
        found = self[key] = _starts_no_row_text(first) or _ends_label_text(head, first)
        if len(self) > 65536:
            self.clear()
        return found


_GO_ON = _GoOnCache()


def _weak(head: Cell, tail: Cell) -> bool:
    """A break right after a whole figure, with text after it (``5`` + ``河道…``)."""
    return tail.norm[:1] not in _FIGURE_CHARS and _is_figure(head.norm)


@functools.lru_cache(maxsize=65536)
def _is_figure(text: str) -> bool:
    return bool(_FIGURE.fullmatch(text))


def _next_line(prev: Line, line: Line) -> bool:
    end = max((c.line for c in prev.cells if c.line is not None), default=None)
    start = line.cells[0].line if line.cells else None
    return end is not None and start is not None and start == end + 1


def _rest_of(prev: Line, line: Line, width: int) -> bool:
    first, last = line.cells[0], prev.cells[-1]
    return (
        bool(last.text)
        and bool(first.text)
        and len(prev.cells) + len(line.cells) - 1 <= width + _slack(last, first, width)
        and ((_starts_no_row(first) and not _is_goal_label(last)) or _ends_label(last, first))
        and _next_line(prev, line)
    )


_FIGURE = regex.compile(r"[-+]?[\d,.]*\d%?")
_FIGURE_CHARS = frozenset("0123456789.,%")


def _slack(head: Cell, tail: Cell, width: int) -> int:
    """One cell more than the widest row of a table as wide as an indicator
    table, unless the break is right after a whole figure: a ragged table may
    have had one row wider than any other, while a short row ending in a figure
    is a row of its own, like a total."""
    return 0 if width < _RAGGED_WIDTH or _weak(head, tail) else 1


_RAGGED_WIDTH = 6


# indicator columns that never open a row (一级指标 or 指标名称 may)
_INNER_COLUMNS = frozenset(
    {"target", "target_op", "target_unit", "actual", "weight", "score", "note"}
)


def _starts_no_row(cell: Cell) -> bool:
    """Text that no row opens with: no label, or the label of an inner
    indicator column (``得分`` after ``单项指标`` is the rest of a heading)."""
    return _starts_no_row_text(cell.norm)


def _starts_no_row_text(text: str) -> bool:
    if label_kind(text) is None:
        return not text.endswith(":")  # 说明: opens a label–value pair
    return vocab.lookup(vocab.INDICATOR_COLUMNS, text) in _INNER_COLUMNS


def _is_goal_label(cell: Cell) -> bool:
    """A goal label (``年度目标完成情况``, ``2.项目实施内容及过程概述``): the text
    on the next line is its goal text, not the rest of the label."""
    return label_kind(cell.norm) == "goal"


def _ends_label(head: Cell, tail: Cell) -> bool:
    """Whether ``tail`` ends a column or row label that ``head`` begins
    (``未完成原因和`` + ``改进措施``, ``其中:`` + ``当年财政拨款``); a header
    label with its value (``金额单位:万元``) is ended, and a label opening a row
    after it (``资金情况``) opens a row of its own."""
    return _ends_label_text(head.norm, tail.norm)


def _ends_label_text(head: str, tail: str) -> bool:
    label, _, value = vocab.label_key(head).partition(":")
    if value and label in vocab.HEADER_FIELDS and opens_row(tail):
        return False
    return label_kind(head + tail) not in (None, "title", "year", "section")


def _tail_of(prev: Line, paragraph: Line) -> bool:
    if prev.paragraph or not prev.cells or not prev.cells[-1].text:
        return False
    cell = paragraph.cells[0]
    if label_kind(cell.norm) is not None:
        return _ends_label(prev.cells[-1], cell)
    if _is_goal_label(prev.cells[-1]):
        return False
    if vocab.label_key(cell.norm).split(":", 1)[0] in vocab.FOOTER_LABELS:
        return False  # 注:本表… after the table
    lead = prev.filled[0].norm if prev.filled else ""
    return label_kind(lead) != "total"


def _joined(prev: Line, rest: tuple[Cell, ...]) -> Line:
    last = prev.cells[-1]
    cells = [*prev.cells[:-1], last.replace(text=join_wrapped([last.text, rest[0].text]))]
    col = last.col
    for k, cell in enumerate(rest[1:], start=1):
        cells.append(cell.replace(row=last.row, col=col + k))
    return Line(tuple(cells))
