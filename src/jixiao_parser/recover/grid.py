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

import regex

from ..document import Block, Cell, Paragraph, Table
from ..segment.labels import label_kind, opens_row

__all__ = ["best_width", "grid_blocks"]

_FIGURE = regex.compile(r"[-+]?[\d,.]*\d[%‰]?")
MAX_WIDTH = 24
_TOLERANCE = 0.02  # a smaller width this close to the best agreement wins
_OPENING = 0.5  # the weight of how rows open against how columns agree


# a cell: (text, line, page) — plain tuples, made for every line of the text
_Token = tuple[str, "int | None", int]


def _tokens(paragraphs: list[Paragraph], bars: bool) -> tuple[list[_Token], set[int]]:
    """The cells in reading order, and the places of the lines that are no cell
    (bars: a line without the ``|`` mark, a paragraph of its own)."""
    out: list[_Token] = []
    plain: set[int] = set()
    if bars:
        for p in paragraphs:
            text = p.text.strip()
            if text[-1:] == "|":
                out.append((text[:-1].rstrip(), p.line, p.page))
            else:
                plain.add(len(out))
                out.append((text, p.line, p.page))
        return out, plain
    last: int | None = None
    for p in paragraphs:
        line = p.line
        if last is not None and line is not None and line - last > 1:  # blank lines: empties
            out.extend([("", k, p.page) for k in range(last + 1, line)])
        out.append((p.text.strip(), line, p.page))
        last = line
    return out, plain


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
    tokens, plain = _tokens(paragraphs, bars)
    traits = [_traits(t[0]) for t in tokens]  # (kind, opens, title, preamble)
    n = len(tokens)
    out: list[Block] = []
    k = 0
    while k < n:
        # the preamble: title and year lines (blank lines between them)
        while k < n and (k in plain or traits[k][3]):
            text, line, page = tokens[k]
            if text:
                out.append(Paragraph(text, line, page))
            k += 1
        start = k
        k += 1
        # the next form: a plain line (bars), or a title with a blank after it
        while k < n and not (k in plain or (traits[k][2] and (k + 1 >= n or not tokens[k + 1][0]))):
            k += 1
        end = min(k, n)  # (a preamble may run to the end: then no cells)
        while end > start and not tokens[end - 1][0]:
            end -= 1
        if end > start:
            cells = tokens[start:end]
            width = best_width([t[0] for t in traits[start:end]], [t[1] for t in traits[start:end]])
            phase = _phase(cells, width)
            out.extend(Paragraph(*t) for t in cells[:phase] if t[0])
            out.append(_table(cells[phase:], width))
    return out


@functools.lru_cache(maxsize=65536)
def _traits(text: str) -> tuple[str, int, bool, bool]:
    """A cell's kind (empty, figure, label or text), whether a row may open with
    it (+1) or not (-1), whether it is a form title, and whether it may stand
    before a form's cells (empty, a title or a year)."""
    if not text:
        return "empty", 1, False, True
    kind = label_kind(text)
    shape = "figure" if _FIGURE.fullmatch(text) else ("text" if kind is None else "label")
    return shape, _opens(text), kind == "title", kind in ("title", "year")


def _phase(cells: list[_Token], width: int) -> int:
    """Where the first row starts: of the offsets below ``width`` that hold a
    label opening rows (项目名称, 合计, 产出指标, 一级指标 …), the one at which most
    rows open with such a label and fewest with a figure; the cells before it
    are lines of their own (``报表编号:…`` above the table)."""

    def score(phase: int) -> int:
        total = 0
        for start in range(phase, len(cells), width):
            text = cells[start][0]
            if opens_row(text):
                total += 1
            elif _FIGURE.fullmatch(text):
                total -= 1
        return total

    starts = [p for p in range(min(width, len(cells))) if opens_row(cells[p][0])]
    return max(starts or [0], key=lambda p: (score(p), -p))


def _opens(text: str) -> int:
    """+1 for a cell a row may open with (a row label, or an empty cell under a
    merged label), -1 for any other (a value, a name, a column label)."""
    if not text:
        return 1
    return 1 if opens_row(text) else -1


def _table(cells: list[_Token], width: int) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for start in range(0, len(cells), width):
        chunk = cells[start : start + width]
        while chunk and not chunk[-1][0]:
            chunk.pop()
        if chunk:
            r = len(rows)
            rows.append(
                tuple([Cell(t, r, c, ln, pg, offset=0) for c, (t, ln, pg) in enumerate(chunk)])
            )
    return Table(tuple(rows), spans=False)
