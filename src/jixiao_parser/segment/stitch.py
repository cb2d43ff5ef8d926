"""Rows a page break cut in two, rejoined before segmentation (PDF input).

A PDF table that runs over a page break may leave the end of its last row on
the next page: ``项目支出符合 | =1百 | 1 | 10 | 10`` on page 1 and
``协会财务制度规定 | 分比 | | |`` on page 2. The reader keeps both as it found
them; this stage rejoins them by the cells' geometry, and asks the vocabulary
whether the row on the new page is a row of its own (``总分``, ``产出指标`` …),
which a reader never knows.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import vocab
from ..document import Block, Cell, Table, join_wrapped

__all__ = ["stitch_split_rows"]

_SNAP = 3.0  # points: cells whose left and right edges agree this closely share a column


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
        after = {_slot(c): c for c in first}
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
    after = {_slot(c): c for c in first}
    filled = [s for s, c in after.items() if c.text]
    if not filled or any(s not in before or not before[s].text for s in filled):
        return False
    if 2 * len(filled) > sum(1 for c in last if c.text):
        return False  # a new row fills about as many cells as the one before: not a remnant
    if any(_is_label(after[s]) for s in filled):
        return False  # 总分, 产出指标 …: a row of its own
    return any(before[s].text and not (s in after and after[s].text) for s in before)


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
