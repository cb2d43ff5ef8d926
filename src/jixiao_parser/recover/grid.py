"""Cells with their empties but no row marks → rows.

One cell per line (a blank line an empty cell) or ``cell |`` per line keeps
every cell of the grid in reading order, so the rows are there to be found:
cut the run of cells at the width at which the columns agree best — where a
cell and the cell one row below it are alike (both empty, both figures, both
labels, both other text) most often. A multiple of the width agrees as well,
a fraction worse: of the best width and its divisors, the smallest that agrees
nearly as well is taken.

Title and year lines before a form's cells (and a title starting the next
form) stay paragraphs.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import regex

from ..document import Block, Cell, Paragraph, Table
from ..segment.labels import label_kind, opens_row

__all__ = ["best_width", "grid_blocks"]

_FIGURE = regex.compile(r"[-+]?[\d,.]*\d[%‰]?")
MAX_WIDTH = 24
_TOLERANCE = 0.02  # a smaller width this close to the best agreement wins
_OPENING = 0.5  # the weight of how rows open against how columns agree


class _Token(NamedTuple):
    text: str
    line: int | None
    page: int
    plain: bool = False  # a line without the cell mark (bars): a paragraph


def _tokens(paragraphs: list[Paragraph], bars: bool) -> list[_Token]:
    out: list[_Token] = []
    last: int | None = None
    for p in paragraphs:
        text = p.text.strip()
        if bars:
            if text.endswith("|"):
                out.append(_Token(text[:-1].rstrip(), p.line, p.page))
            else:
                out.append(_Token(text, p.line, p.page, plain=True))
            continue
        if last is not None and p.line is not None:
            out.extend(_Token("", last + k, p.page) for k in range(1, p.line - last))
        out.append(_Token(text, p.line, p.page))
        last = p.line
    return out


@functools.lru_cache(maxsize=65536)
def _kind(text: str) -> str:
    if not text:
        return "empty"
    if _FIGURE.fullmatch(text):
        return "figure"
    return "label" if label_kind(text) is not None else "text"


def best_width(kinds: list[str], opens: list[int] | None = None) -> int:
    """The row width at which the cells' kinds agree best with the row below,
    and (given ``opens``: +1 for a cell that may open a row, -1 for one that
    may not) at which rows open as rows do.

    >>> best_width(["label", "text", "empty", "figure"] * 5)
    4
    """
    n = len(kinds)
    scores: dict[int, float] = {}
    # one byte per cell kind: the cells equal to the cell w further on are the
    # zero bytes of the two runs xor-ed (whole integers, no loop over cells)
    codes = {k: i for i, k in enumerate(dict.fromkeys(kinds), start=1)}
    run = bytes([codes[k] for k in kinds])
    for w in range(2, min(MAX_WIDTH, n // 2) + 1):
        xor = int.from_bytes(run[:-w], "big") ^ int.from_bytes(run[w:], "big")
        same = xor.to_bytes(n - w, "big").count(0)
        scores[w] = same / (n - w)
        if opens is not None:
            starts = opens[::w]
            scores[w] += _OPENING * sum(starts) / len(starts)
    if not scores:
        return max(1, n)
    best = max(scores, key=lambda w: (scores[w], -w))
    # a multiple of the width agrees about as well: the smallest divisor of the
    # best that agrees nearly as well is the width
    return min(w for w in scores if best % w == 0 and scores[w] >= scores[best] - _TOLERANCE)


def grid_blocks(paragraphs: list[Paragraph], *, bars: bool) -> list[Block]:
    """One cell per line (``bars``: ``cell |`` per line) → paragraphs and tables."""
    tokens = _tokens(paragraphs, bars)
    out: list[Block] = []
    k = 0
    while k < len(tokens):
        # the preamble: title and year lines (blank lines between them)
        while k < len(tokens) and _preamble(tokens[k]):
            if tokens[k].text:
                out.append(Paragraph(tokens[k].text, tokens[k].line, tokens[k].page))
            k += 1
        start = k
        k += 1
        while k < len(tokens) and not _next_form(tokens, k):
            k += 1
        cells = tokens[start:k]
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            width = best_width([_kind(t.text) for t in cells], [_opens(t.text) for t in cells])
            phase = _phase(cells, width)
            out.extend(Paragraph(t.text, t.line, t.page) for t in cells[:phase] if t.text)
            out.append(_table(cells[phase:], width))
    return out


def _phase(cells: list[_Token], width: int) -> int:
    """Where the first row starts: of the offsets below ``width`` that hold a
    label opening rows (项目名称, 合计, 产出指标, 一级指标 …), the one at which most
    rows open with such a label and fewest with a figure; the cells before it
    are lines of their own (``报表编号:…`` above the table)."""

    def score(phase: int) -> int:
        total = 0
        for start in range(phase, len(cells), width):
            text = cells[start].text
            if opens_row(text):
                total += 1
            elif _FIGURE.fullmatch(text):
                total -= 1
        return total

    starts = [p for p in range(min(width, len(cells))) if opens_row(cells[p].text)]
    return max(starts or [0], key=lambda p: (score(p), -p))


@functools.lru_cache(maxsize=65536)
def _opens(text: str) -> int:
    """+1 for a cell a row may open with (a row label, or an empty cell under a
    merged label), -1 for any other (a value, a name, a column label)."""
    if not text:
        return 1
    return 1 if opens_row(text) else -1


def _preamble(token: _Token) -> bool:
    return token.plain or not token.text or label_kind(token.text) in ("title", "year")


def _next_form(tokens: list[_Token], k: int) -> bool:
    token = tokens[k]
    return token.plain or (label_kind(token.text) == "title" and _blank_after(tokens, k))


def _blank_after(tokens: list[_Token], k: int) -> bool:
    return k + 1 >= len(tokens) or not tokens[k + 1].text


def _table(cells: list[_Token], width: int) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for start in range(0, len(cells), width):
        chunk = cells[start : start + width]
        while chunk and not chunk[-1].text:
            chunk.pop()
        if chunk:
            r = len(rows)
            rows.append(
                tuple(Cell(t.text, r, c, t.line, t.page, offset=0) for c, t in enumerate(chunk))
            )
    return Table(tuple(rows), spans=False)
