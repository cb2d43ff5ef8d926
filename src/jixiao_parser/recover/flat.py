"""Cells without their empties → rows: a table flattened into one line.

Most HTML-to-text and PDF-to-text tools give a table as its non-empty cells
joined by single spaces; some join them with nothing (glued, see
:mod:`.glued`). The cells are read back in order, and the form's label
vocabulary says where each section and row starts:

- header: a header label (项目名称, 主管部门 …) and the text up to the next label;
- funding: the block label (项目资金 (元)), the column labels in their order,
  then each row label (年度资金总额, 其中:当年财政拨款 …) with the figures after
  it, taken in the columns' order;
- goals: the goal labels, then their texts (two texts after a 预算目标 /
  实际完成情况 pair are split at the sentence boundary between them);
- indicators: the header's column labels give the columns; the rows are found
  by a dynamic programme over the cells with that column order as its grammar
  (:func:`indicator_rows`): level-1/level-2 labels, names, target-like cells
  (asked of the value kinds), actuals, weight and score figures and notes each
  fit some columns, and a row starts where the columns start over;
- total and footer: the label and what follows it.

Before that, a space inside a cell is undone where it shows: a ``*`` mark
or a ``(50分)``/``(元)`` annotation joins the label it belongs to, and a
numbered item (``2.活动2场``) joins the item before it (``1.…``).

The rows are laid out as a text form's: the funding block label in the first
column and the row labels in the second, the indicator cells under their
header labels; an empty cell where a flattened table had lost one.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

import regex

from .. import vocab
from ..document import Block, Cell, Paragraph, Table
from ..segment.labels import (
    ends_section,
    goal_subtable_label,
    is_level_label,
    label_kind,
    opens_row,
)
from ..values.grammar import parse_value
from ..values.kinds import target_like
from ..values.words import EMPTY_CHARS, NATURES, OP_WORDS, PLACEHOLDERS
from .shapes import LONG

__all__ = ["Tok", "flat_blocks", "indicator_rows", "merge_tokens", "rows_of"]


class Tok(NamedTuple):
    """A cell read back from flattened text, with where it starts."""

    text: str
    line: int | None
    page: int
    offset: int


Row = list[Tok | None]

#: ``_new_tok((text, line, page, offset))``: a Tok made without a Python call
#: (text is cut into hundreds of them per form)
_new_tok: Callable[[tuple[str, int | None, int, int]], Tok] = functools.partial(tuple.__new__, Tok)

_ANNOTATION = regex.compile(r"^[(（][^()（）]{1,16}[)）]$")
_MARKS_ONLY = regex.compile(r"^[*★☆※]+$")
# "2.活动" or "3.9月30日前" opens a numbered item; "0.9" does not
_ITEM = regex.compile(r"^(?:(\d{1,2})[.、．](?:(?!\d)|(?=\d{1,2}月))|[(（](\d{1,2})[)）]|([①-⑳]))")
_FIGURE = regex.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[%‰]?$")
_ASCII_FIGURE = re.compile(_FIGURE.pattern)
_SENTENCE_END = regex.compile(r"[。.!！?？；;]$")
# what a split target's 符号 / 指标性质 column holds
_OPERATOR = frozenset(OP_WORDS) | {">=", "<="} | NATURES


def flat_blocks(paragraphs: list[Paragraph], *, glued: bool) -> list[Block]:
    """Paragraphs of flattened text → paragraphs and tables (``glued``: cells
    joined with no separator)."""
    from .glued import glued_tokens

    out: list[Block] = []
    state = _State()
    for p in paragraphs:
        if len(p.text) < LONG and not _holds_cells(p.text):
            if label_kind(p.text) == "title":
                state = _State()
            out.append(p)
            continue
        tokens = glued_tokens(p) if glued else _space_tokens(p)
        rows = rows_of(merge_tokens(tokens), state)
        if rows:
            out.append(_table(rows))
    return out


def _holds_cells(text: str) -> bool:
    """A short line that is a flattened row (``总分 100 98.5``), not a heading."""
    words = text.split(" ")
    return len(words) >= 2 and opens_row(words[0]) and label_kind(text) is None


def _space_tokens(p: Paragraph) -> list[Tok]:
    out = []
    offset = 0
    line, page = p.line, p.page
    for word in p.text.split(" "):
        if word:
            out.append(_new_tok((word, line, page, offset)))
        offset += len(word) + 1
    return out


def _table(rows: list[Row]) -> Table:
    cells: list[tuple[Cell, ...]] = []
    for row in rows:
        while row and row[-1] is None:
            row.pop()
        if not row:
            continue
        r = len(cells)
        out = []
        for c, t in enumerate(row):
            if t is None:
                out.append(Cell("", r, c))
            else:
                out.append(Cell(t.text, r, c, t.line, t.page, 1, 1, None, t.offset))
        cells.append(tuple(out))
    return Table(tuple(cells), spans=False)


# -- undoing spaces inside cells ---------------------------------------------


def _joined(a: Tok, b: Tok) -> Tok:
    """``a`` and ``b`` as one cell: with a space between them unless they were
    glued in the text (``b`` starts where ``a`` ends)."""
    return Tok(a.text + _gap(a, b) + b.text, a.line, a.page, a.offset)


def _gap(a: Tok, b: Tok) -> str:
    glued = a.line == b.line and a.offset + len(a.text) == b.offset
    return "" if glued else " "


def merge_tokens(tokens: Sequence[Tok]) -> list[Tok]:
    """Join the pieces of a cell that a space split: a ``*`` mark and the label
    after it, a label and its ``(50分)``/``(元)`` annotation, numbered items.

    >>> words = ("*", "实际完成值", "产出指标", "(50分)", "1.甲", "2.乙", "1.丙")
    >>> [x.text for x in merge_tokens([Tok(x, 1, 1, 0) for x in words])]
    ['* 实际完成值', '产出指标 (50分)', '1.甲 2.乙', '1.丙']
    """
    out: list[Tok] = []
    pending_mark: Tok | None = None
    for tok in tokens:
        first = tok.text[0]
        if first not in _MAY_JOIN and pending_mark is None:
            out.append(tok)  # most cells: nothing to join
            continue
        if first in _MARK_CHARS and _MARKS_ONLY.match(tok.text):
            pending_mark = tok if pending_mark is None else _joined(pending_mark, tok)
            continue
        if pending_mark is not None:
            tok = _joined(pending_mark, tok)
            pending_mark = None
        if (
            out
            and tok.text[0] in "(（"
            and _ANNOTATION.match(tok.text)
            and label_kind(out[-1].text) is not None
        ):
            out[-1] = _joined(out[-1], tok)
            continue
        if out and _item_number(tok.text) and _continues_items(out[-1].text, tok.text):
            out[-1] = _joined(out[-1], tok)
            continue
        out.append(tok)
    if pending_mark is not None:
        out.append(pending_mark)
    return out


# what a piece that joins the cell before it may start with: a mark, an
# annotation's bracket, an item number
_MARK_CHARS = frozenset("*★☆※")
_MAY_JOIN = _MARK_CHARS | frozenset("(（0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")


@functools.lru_cache(maxsize=65536)
def _item_number(text: str) -> int | None:
    m = _ITEM.match(text)
    if not m:
        return None
    return _number(*m.groups())


def _number(arabic: str | None, bracketed: str | None, circled: str | None) -> int:
    if circled:
        return ord(circled) - ord("①") + 1
    return int(arabic or bracketed or 0)


def _continues_items(before: str, text: str) -> bool:
    """``2.乙`` after a cell whose last numbered item is ``1.``."""
    n = _item_number(text)
    if n is None or n < 2:
        return False
    numbers = [_number(*found) for found in _ITEMS_IN.findall(before)]
    return bool(numbers) and numbers[-1] == n - 1 and _item_number(before) == 1


_ITEMS_IN = regex.compile(
    r"(?:^|\s)(?:(\d{1,2})[.、．](?:(?!\d)|(?=\d{1,2}月))|[(（](\d{1,2})[)）])|([①-⑳])"
)


# -- sections ----------------------------------------------------------------


class _State:
    """What the lines of one form have said so far: the indicator columns."""

    def __init__(self) -> None:
        self.roles: list[str | None] = []
        self.in_indicators = False


def _is_dash(text: str) -> bool:
    return text in PLACEHOLDERS or (bool(text) and not text.strip(EMPTY_CHARS))


@functools.lru_cache(maxsize=65536)
def _is_figure(text: str) -> bool:
    if text.isascii():  # (the standard library's engine costs a fraction per call)
        return _ASCII_FIGURE.match(text) is not None
    return _FIGURE.match(text) is not None


@functools.lru_cache(maxsize=65536)
def _funding_column(text: str) -> bool:
    return vocab.lookup(vocab.FUNDING_COLUMNS, text) is not None


@functools.lru_cache(maxsize=65536)
def _funding_row(text: str) -> bool:
    key = vocab.label_key(text)
    return vocab.lookup(vocab.FUNDING_ROWS, text) is not None or key.startswith(
        vocab.FUNDING_SUB_LINE
    )


@functools.lru_cache(maxsize=65536)
def _funding_block(text: str) -> bool:
    return vocab.label_key(text).startswith(vocab.FUNDING_SECTION)


@functools.lru_cache(maxsize=65536)
def _indicator_column(text: str) -> str | None:
    return vocab.lookup(vocab.INDICATOR_COLUMNS, text)


@functools.lru_cache(maxsize=65536)
def _group(text: str) -> bool:
    # (the group labels, 绩效指标 …, are section headings of the indicators too)
    return vocab.section_heading(text) == "indicators"


def rows_of(tokens: list[Tok], state: _State) -> list[Row]:
    """The rows of one flattened table (see the module's docstring)."""
    rows: list[Row] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        text = tok.text
        kind = label_kind(text)
        if _may_open_header(text) and _starts_indicator_header(tokens, i):
            i = _indicator_section(tokens, i, rows, state)
        elif state.in_indicators and kind == "total":
            i = _total(tokens, i, rows, state)
        elif kind == "section" and not _funding_block(text):
            rows.append([tok])
            i += 1
        elif goal_subtable_text(text) or kind == "goal":
            i = _goals(tokens, i, rows)
        elif kind == "funding" and not state.in_indicators:
            i = _funding(tokens, i, rows)
        elif kind == "footer" or (kind == "total" and not state.in_indicators):
            i = _pair(tokens, i, rows)
        elif kind is not None:
            i = _pair(tokens, i, rows)
        elif rows and rows[-1] and len(rows[-1]) >= 1:
            rows[-1].append(tok)  # more text of the row before
            i += 1
        else:
            rows.append([tok])
            i += 1
    return rows


@functools.lru_cache(maxsize=65536)
def goal_subtable_text(text: str) -> bool:
    """``年度绩效目标1(40分)``: a goal sub-table's label."""
    return goal_subtable_label(text) is not None


def _until_label(tokens: list[Tok], i: int) -> int:
    """The index of the next cell that is a label opening a row (or a
    section's first label) at or after ``i``."""
    n = len(tokens)
    while i < n and not _stops(tokens, i):
        i += 1
    return i


def _stops(tokens: list[Tok], i: int) -> bool:
    text = tokens[i].text
    return _stop_text(text) or (_may_open_header(text) and _starts_indicator_header(tokens, i))


@functools.lru_cache(maxsize=65536)
def _stop_text(text: str) -> bool:
    """A label opening a row, a goal sub-table's label, or a header, goal,
    footer, total or section label."""
    return (
        opens_row(text)
        or goal_subtable_text(text)
        or label_kind(text) in ("header", "goal", "footer", "total", "section")
    )


def _pair(tokens: list[Tok], i: int, rows: list[Row]) -> int:
    """A label and the text after it, up to the next label: one row."""
    end = _until_label(tokens, i + 1)
    rows.append([tokens[i], _merged(tokens[i + 1 : end])])
    return end


def _merged(tokens: Sequence[Tok]) -> Tok | None:
    if not tokens:
        return None
    out = tokens[0]
    for tok in tokens[1:]:
        out = _joined(out, tok)
    return out


def _funding(tokens: list[Tok], i: int, rows: list[Row]) -> int:
    n = len(tokens)
    block: Tok | None = None
    if _funding_block(tokens[i].text) and not _funding_column(tokens[i].text):
        block = tokens[i]
        i += 1
    columns: list[Tok] = []
    # every cell up to the first row label is a column label (追加预算② too)
    while i < n and not _funding_row(tokens[i].text) and not _funding_block(tokens[i].text):
        if not _funding_column(tokens[i].text) and (
            _stops(tokens, i) or _is_figure(tokens[i].text)
        ):
            break
        columns.append(tokens[i])
        i += 1
    head: Row = [block, None, *columns]
    rows.append(head)
    while i < n:
        text = tokens[i].text
        if _funding_block(text) and not _funding_row(text) and head[0] is None:
            head[0] = tokens[i]  # 项目资金(元) standing before the first row label
            i += 1
            continue
        if not _funding_row(text):
            break
        row: Row = [None, tokens[i]]
        i += 1
        while i < n and len(row) < 2 + max(len(columns), 1) and not _stops(tokens, i):
            row.append(tokens[i])
            i += 1
        rows.append(row)
    return i


def _goals(tokens: list[Tok], i: int, rows: list[Row]) -> int:
    n = len(tokens)
    labels: list[Tok] = []
    while i < n and (label_kind(tokens[i].text) == "goal" or goal_subtable_text(tokens[i].text)):
        labels.append(tokens[i])
        i += 1
        if goal_subtable_text(labels[-1].text) or _goal_role(labels[-1]) != "group":
            # a label with its own text right after it (年初设定目标 …)
            if i < n and not _stops(tokens, i) and len(labels) == 1:
                end = _until_label(tokens, i)
                rows.append([labels[0], _merged(tokens[i:end])])
                return end
    end = _until_label(tokens, i)
    texts = tokens[i:end]
    # the last two labels name the texts; any before them head the block
    # (年度总体目标完成情况 预期目标 实际完成情况)
    named = [t for t in labels if _goal_role(t) != "group"][-2:]
    groups = [t for t in labels if t not in named]
    for g in groups:
        rows.append([g])
    if named:
        rows.append(list(named))
    if len(named) >= 2 and texts:
        rows.append(list(_split_two(texts)))
    elif texts:
        rows.append([_merged(texts)])
    return end


def _goal_role(tok: Tok) -> str | None:
    return vocab.lookup(vocab.GOAL_LABELS, tok.text)


def _split_two(texts: Sequence[Tok]) -> tuple[Tok | None, Tok | None]:
    """Two goal texts from the cells between them: split at a sentence end,
    the first one if any (the planned text is one cell; numbered actual
    items after it may hold spaces)."""
    if len(texts) == 1:
        return texts[0], None
    cut = next(
        (k for k in range(1, len(texts)) if _SENTENCE_END.search(texts[k - 1].text)),
        len(texts) // 2,
    )
    return _merged(texts[:cut]), _merged(texts[cut:])


# -- indicators --------------------------------------------------------------


def _starts_indicator_header(tokens: list[Tok], i: int) -> bool:
    """``一级指标 二级指标 三级指标 …`` (or 指标名称 …), after an optional group label.
    (Callers ask the cheap :func:`_may_open_header` of the first cell before this.)"""
    j = i + 1 if _group(tokens[i].text) else i
    roles: list[str] = []
    while j < len(tokens) and len(roles) < 4:
        role = _indicator_column(tokens[j].text)
        if role is None:
            break
        roles.append(role)
        j += 1
    return len(roles) >= 3 and ("name" in roles or "level1" in roles)


def _indicator_section(tokens: list[Tok], i: int, rows: list[Row], state: _State) -> int:
    n = len(tokens)
    head: list[Tok] = []
    if _group(tokens[i].text):
        head.append(tokens[i])
        i += 1
    while i < n and _in_header(tokens, i):
        head.append(tokens[i])
        i += 1
    roles: list[str | None] = [None if _group(t.text) else _indicator_column(t.text) for t in head]
    head, roles = _flatten_header(head, roles)
    state.roles = roles
    state.in_indicators = True
    rows.append(list(head))
    end = i
    while end < n and not _ends_indicators(tokens, end):
        end += 1
    rows.extend(indicator_rows(tokens[i:end], roles))
    return end


def _in_header(tokens: list[Tok], i: int) -> bool:
    """A column label of the indicator header, or a label the vocabulary does
    not know (指标解释) between two it knows."""
    text = tokens[i].text
    if _indicator_column(text) is not None:
        return True
    if label_kind(text) is not None or _is_figure(text) or len(text) > 12:
        return False
    return i + 1 < len(tokens) and _indicator_column(tokens[i + 1].text) is not None


def _ends_indicators(tokens: list[Tok], i: int) -> bool:
    text = tokens[i].text
    return _ends_section(text) or (_may_open_header(text) and _starts_indicator_header(tokens, i))


@functools.lru_cache(maxsize=65536)
def _ends_section(text: str) -> bool:
    """A total, footer, section or title label, or a goal sub-table's."""
    return ends_section(text) or goal_subtable_text(text)


@functools.lru_cache(maxsize=65536)
def _may_open_header(text: str) -> bool:
    """A group label or an indicator column label (an indicator header may open here)."""
    return _group(text) or _indicator_column(text) is not None


# the columns a second header row may split a first-row column into
_FAMILY = {
    "target": frozenset({"target", "target_op", "target_unit"}),
    "score": frozenset({"score", "weight", None}),
    "weight": frozenset({"score", "weight", None}),
    "actual": frozenset({"actual"}),
}


def _flatten_header(head: list[Tok], roles: list[str | None]) -> tuple[list[Tok], list[str | None]]:
    """A two-row header read as one run (``… 预期指标值 实际完成值 自评得分
    未完成原因分析 符号 指标值 单位 单项指标得分 权重占比 单项指标折算得分``): the
    labels after the note column are the second row; each replaces the
    first-row label it falls under, by their roles."""
    if "note" not in roles or roles.index("note") == len(roles) - 1:
        return head, roles
    split = roles.index("note") + 1
    first, children = (
        list(zip(head[:split], roles[:split], strict=True)),
        list(zip(head[split:], roles[split:], strict=True)),
    )
    under: dict[int, list[tuple[Tok, str | None]]] = {}
    parent = 0
    for tok, role in children:
        # the first first-row column, from the current one on, that may hold it
        parent = next(
            (
                k
                for k in range(parent, len(first))
                if first[k][1] in _FAMILY and role in _FAMILY[first[k][1] or ""]
            ),
            -1,
        )
        if parent < 0:
            return head, roles  # not a second row we can place
        under.setdefault(parent, []).append((tok, role))
    out_head: list[Tok] = []
    out_roles: list[str | None] = []
    for k, (tok, role) in enumerate(first):
        for child, child_role in under.get(k, [(tok, role)]):
            out_head.append(child)
            out_roles.append(child_role)
    return out_head, out_roles


_NEG = -1e9
_HALF_NEG = _NEG / 2  # (a fit below it: the cell cannot go there)
_NEW_ROW = -1.0
_SHORT_ROW = -2.5
_EXTRA_TOKEN = -0.8
_MAX_SPAN = 3
# the columns a cell of a few tokens may go to (a split target's figure among them)
_TEXT_ROLES = frozenset({"name", "note", "actual", "target", "target_figure", None})
_FIRST_ROLES = ("level1", "level2", "name")
# a cell's fit in a target or actual column, by whether it reads as a target:
# until the value grammar is asked, the programme assumes it does (the higher)
_VALUE_FITS = {True: (2.0, 1.0), False: (-0.2, 0.3)}

Fits = dict[str | None, float]


# what a cell's fits depend on (:func:`_traits`): its level-1 and level-2 fits,
# whether it is a level label, a dash or a figure, its fit as points, whether it
# is an operator, a short word, a single character, holds a sentence, is long
_Traits = tuple[float, float, bool, bool, bool, float, bool, bool, bool, bool, bool]


@functools.lru_cache(maxsize=65536)
def _traits(text: str) -> tuple[_Traits, bool]:
    """What a cell's fits depend on (:func:`_fits_of`), and whether its target
    and actual fits are assumed (the value grammar not asked yet: see
    :data:`_EXACT_FITS`). Texts of the same traits share their fits, and the
    columns those give (:func:`_laid_of`)."""
    bare = vocab.without_points(vocab.label_key(text))
    level = is_level_label(text)  # a level label the vocabulary knows: nothing else
    # a short text ending in 指标 may be a level label it does not know
    level_like = level or (
        text.endswith(vocab.LABEL_SUFFIX) and len(text) <= 10 and label_kind(text) is None
    )
    figure = _is_figure(text)
    if bare in vocab.LEVEL1_TERMS:
        level1 = 2.0 if bare in vocab.LEVEL2_TERMS else 3.0  # 成本指标: level 2 more often
    else:
        level1 = 1.0 if level_like else _NEG
    level2 = 3.0 if vocab.label_key(text) in vocab.LEVEL2_TERMS else (1.0 if level_like else _NEG)
    if level:
        return (level1, level2, True, False, False, _NEG, False, False, False, False, False), False
    dash = _is_dash(text)
    if figure:  # points: a hundred at most
        points = 2.0 if float(text.rstrip("%‰").replace(",", "")) <= 100 else -1.0
    else:
        points = 0.3 if dash else _NEG
    short_word = len(text) <= 4 and not figure and not any(c.isdigit() for c in text)
    sentence = any(c in text for c in "，。；")
    traits = (
        level1, level2, False, dash, figure, points, text in _OPERATOR, short_word,
        len(text) < 2, sentence, len(text) > 24,
    )  # fmt: skip
    return traits, not dash and not figure


@functools.lru_cache(maxsize=4096)
def _fits_of(traits: _Traits, target: bool) -> Fits:
    """How well a cell of ``traits`` fits a column of each role (higher is
    better; the role ``target_figure`` is the figure of a split target, 符号 |
    指标值 | 单位); ``target``: whether it reads as a target (or is assumed to)."""
    level1, level2, level, dash, figure, points, op, short_word, tiny, sentence, long = traits
    out: Fits = {"level1": level1, "level2": level2}
    if level:
        for role in ("weight", "score", "target_op", "target_unit", "name", "note", None):
            out[role] = _NEG
        out["target"] = out["actual"] = out["target_figure"] = _NEG
        return out
    out["weight"] = out["score"] = points
    out["target_op"] = 3.0 if op else _NEG
    out["target_unit"] = 2.0 if short_word else _NEG
    if figure:
        out["name"] = out["note"] = -3.0
    else:
        out["name"] = -0.5 if dash or tiny or sentence else 1.0
        out["note"] = 1.5 if sentence or long or dash else -0.5
    out[None] = 0.0
    if dash:
        out["target"] = out["actual"] = 0.3
    elif figure:  # a bare figure: more often an actual, a weight or a score
        out["target"], out["actual"] = 0.5, 1.0
    else:
        out["target"], out["actual"] = _VALUE_FITS[target]
    out["target_figure"] = 2.0 if figure else out["target"]
    return out


def _exact_fits(text: str) -> tuple[_Traits, bool]:
    """:func:`_traits` with the value grammar asked whether the text reads as a
    target: the traits, and whether it does."""
    traits, lazy = _traits(text)
    return traits, not lazy or target_like(parse_value(text))


class _Exact(dict[str, tuple[_Traits, bool]]):
    """The exact fits of the texts asked so far (``exact[text]``: the traits and
    whether the text reads as a target, :func:`_exact_fits`), so that a text
    asked once is never assumed again (``text in exact``); emptied when full."""

    def __missing__(self, text: str) -> tuple[_Traits, bool]:
        if len(self) >= 65536:
            self.clear()
        asked = self[text] = _exact_fits(text)
        return asked

    def cache_clear(self) -> None:
        """Forget every text (as ``functools.lru_cache`` wrappers do)."""
        self.clear()


_EXACT_FITS = _Exact()


def _span_fits(dash: bool, sentence: bool, short: bool, long: bool) -> Fits:
    """:func:`_fits_of` of a cell of a few tokens in the columns it may go to
    (:data:`_TEXT_ROLES`), assuming that it is no level label and that it reads
    as a target: the higher fits, which depend on nothing but whether the text
    is a dash, holds a sentence, or is short or long (:func:`_exact_fits` asks
    the vocabulary and the value grammar)."""
    target, actual = (0.3, 0.3) if dash else _VALUE_FITS[True]
    return {
        "name": -0.5 if dash or short or sentence else 1.0,
        "note": 1.5 if sentence or long or dash else -0.5,
        "target": target,
        "actual": actual,
        "target_figure": target,
        None: 0.0,
    }


class _Grammar(NamedTuple):
    """What the row programme needs of the columns' roles, made once per header."""

    roles: tuple[str | None, ...]  # by column, a split target's figure as target_figure
    short: tuple[float, ...]  # by column: the cost of a row ending there
    first_figure: int  # the first weight or score column (0 when none: no row is short)
    last_figure: int  # the last weight or score column (the width when none)
    first_start: int  # the first column a row may open in
    opening: dict[int, float]  # the columns a row may open in, with the cost
    valued: frozenset[int]  # the target and actual columns (their fit may be assumed)
    columns: tuple[tuple[int, str | None], ...]  # (column, role as fitted)
    text_columns: tuple[tuple[int, str | None], ...]  # those a cell of a few tokens may go to


@functools.lru_cache(maxsize=256)
def _grammar(key: str) -> _Grammar:
    roles = [None if r == "None" else r for r in key.split("|")]
    width = len(roles)
    starts = [c for c, r in enumerate(roles) if r in _FIRST_ROLES] or [0]
    # a row that stops before its weight and score columns is rarely whole
    figures = [c for c, r in enumerate(roles) if r in ("weight", "score")]
    short = tuple(_SHORT_ROW if figures and c < figures[0] else 0.0 for c in range(width))
    # ...or that goes on past them with both empty (a note, and no figures):
    # the programme charges _SHORT_ROW for that too
    opening = {c: _NEW_ROW - 0.5 * (c - starts[0]) for c in starts}
    first, last = (figures[0], figures[-1]) if figures else (0, width)
    split = "target_unit" in roles or "target_op" in roles
    fitted = tuple("target_figure" if split and r == "target" else r for r in roles)
    valued = frozenset(c for c, r in enumerate(roles) if r in ("target", "actual"))
    columns = tuple(enumerate(fitted))
    text_columns = tuple((c, r) for c, r in columns if r in _TEXT_ROLES)
    return _Grammar(fitted, short, first, last, starts[0], opening, valued, columns, text_columns)


# a cell's columns with its fit, the columns a row may open in (fit, cost), and
# which of the fits are assumed (see _traits): none, those in the target and
# actual columns, or all of them
_Options = tuple[tuple[tuple[int, float], ...], tuple[tuple[int, float, float], ...], int]
_EXACT, _ASSUMED_VALUES, _ASSUMED_ALL = 0, 1, 2


@functools.lru_cache(maxsize=65536)
def _options(text: str, key: str, span: int, exact: bool) -> _Options:
    """The columns a cell of ``span`` tokens may go to, with its fit in each
    (``key``: the columns' roles joined by ``|``); and of those, the columns a
    row may open in, with the fit and the cost of opening the row there; and
    which fits are assumed, the higher ones (``exact``: none, the vocabulary and
    the value grammar are asked instead; a cell of a few tokens not asked yet
    goes to :func:`_span_options`)."""
    if span > 1 and any(_is_figure(part) for part in text.split(" ")[1:]):
        return (), (), _EXACT  # a figure after text is a cell of its own (达成预期指标 | 10)
    if exact:
        return _laid_of(*_EXACT_FITS[text], key, span, _EXACT)
    if span > 1:
        return _span_options(key, span, *_span_traits(text))
    return _label_options(text, key, span)


def _label_options(text: str, key: str, span: int) -> _Options:
    """:func:`_options` with the vocabulary asked (whether the text is a level
    label) but not the value grammar: its fits in the target and actual
    columns are still assumed (a single token's, or a few tokens' once the
    programme has put them outside those columns)."""
    traits, lazy = _traits(text)
    return _laid_of(traits, True, key, span, _ASSUMED_VALUES if lazy else _EXACT)


@functools.lru_cache(maxsize=65536)
def _laid_of(traits: _Traits, target: bool, key: str, span: int, assumed: int) -> _Options:
    """:func:`_laid` of the fits of ``traits`` (:func:`_fits_of`): once for the
    many texts that share them."""
    return _laid(_fits_of(traits, target), _grammar(key), span, assumed)


def _span_traits(text: str) -> tuple[bool, bool, bool, bool]:
    """What :func:`_span_fits` asks of a text: dash, sentence, short, long."""
    sentence = "，" in text or "。" in text or "；" in text
    return _is_dash(text), sentence, len(text) < 2, len(text) > 24


@functools.lru_cache(maxsize=4096)
def _span_options(
    key: str, span: int, dash: bool, sentence: bool, short: bool, long: bool
) -> _Options:
    """:func:`_options` of a cell of a few tokens not asked yet, by its traits."""
    fits = _span_fits(dash, sentence, short, long)
    return _laid(fits, _grammar(key), span, _ASSUMED_ALL)


def _laid(fits: Fits, grammar: _Grammar, span: int, assumed: int) -> _Options:
    """``fits`` laid out over the columns of ``grammar`` (see :func:`_options`)."""
    extra = _EXTRA_TOKEN * (span - 1)
    get, other = fits.get, fits[None]
    opening = grammar.opening
    columns = grammar.columns if span == 1 else grammar.text_columns
    # (list comprehensions: cheaper than generators here, asked once per cell text)
    goes = tuple([(c, f + extra) for c, role in columns if (f := get(role, other)) > _HALF_NEG])
    if assumed == _ASSUMED_VALUES and grammar.valued.isdisjoint([c for c, _ in goes]):
        assumed = _EXACT
    return goes, tuple([(c, f, opening[c]) for c, f in goes if c in opening]), assumed


def indicator_rows(tokens: Sequence[Tok], roles: Sequence[str | None]) -> list[Row]:
    """The indicator rows in ``tokens``, each laid out in the columns ``roles``.

    A dynamic programme: each cell (one token, or a few for text columns) goes
    to a column after the one before it in its row, or opens a new row at a
    level-1, level-2 or name column; the layout whose cells fit their columns
    best (:func:`_fits_of`) wins.

    Whether a cell of a few tokens is a level label (the vocabulary) is asked
    only of the cells the best layout holds, and whether a cell reads as a
    target (the value grammar) only of those it holds in a target or actual
    column: until then the programme assumes the higher fit, and it runs again
    from the first cell whose fit was lower than assumed, until the best layout
    assumes nothing of the columns it puts its cells in. No other layout can
    then do better, as every assumed fit is an upper bound.

    >>> roles = ["level1", "level2", "name", "target", "actual", "weight", "score", "note"]
    >>> words = "产出指标 数量指标 场次 ≥10场 12场 10 10 时效 6月前 5月 5 4 延误".split()
    >>> rows = indicator_rows([Tok(t, 1, 1, 0) for t in words], roles)
    >>> [[t.text if t else "" for t in row] for row in rows]  # doctest: +NORMALIZE_WHITESPACE
    [['产出指标', '数量指标', '场次', '≥10场', '12场', '10', '10', ''],
     ['', '', '时效', '6月前', '5月', '5', '4', '延误']]
    """
    n, width = len(tokens), len(roles)
    if not n or not width:
        return []
    key = "|".join(map(str, roles))  # (a string hashes once)
    grammar = _grammar(key)
    # fits[i][s - 1]: the columns the cell of tokens[i : i + s] may go to (_options)
    fits: list[list[_Options]] = []
    cells: list[list[str]] = []  # the texts of those cells
    texts = [t.text for t in tokens]
    figure = [_is_figure(t) for t in texts]
    # a figure after text is a cell of its own (see _options): a token holding
    # one (as a whole, or any word of it), or after its first word, ends a cell
    holds_figure, figure_after = figure[:], [False] * n
    for i, text in enumerate(texts):
        if " " in text:
            words = text.split(" ")
            figure_after[i] = any(_is_figure(w) for w in words[1:])
            holds_figure[i] = figure[i] or figure_after[i] or _is_figure(words[0])
    known = _EXACT_FITS  # (a text asked before is not assumed)
    for i in range(n):
        text = texts[i]
        spans = [_options(text, key, 1, text in known)]
        joined = [text]
        stop = figure_after[i]
        for s in range(2, min(_MAX_SPAN, n - i) + 1):
            if stop or holds_figure[i + s - 1]:
                break
            text = f"{text} {texts[i + s - 1]}"
            joined.append(text)
            if text in known:
                spans.append(_options(text, key, s, True))
            else:  # (a text of a few tokens is seldom seen again: not cached)
                spans.append(_span_options(key, s, *_span_traits(text)))
        fits.append(spans)
        cells.append(joined)
    # best[i][c]: best score with tokens[:i] placed and the last cell in column c
    best = [[_NEG] * width for _ in range(n + 1)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * width for _ in range(n + 1)]
    start = 0
    while True:
        _forward(fits, best, back, start, grammar)
        placed = _layout(best, back, grammar)
        if placed is None:
            return [[None] * grammar.first_start + list(tokens)]
        start = n
        for i, j, col, _ in placed:
            span = j - i
            options = fits[i][span - 1]
            assumed = options[2]
            valued = col in grammar.valued
            if assumed == _ASSUMED_ALL and not valued:
                # (outside the target and actual columns the value grammar's
                # answer changes nothing: the vocabulary alone is asked)
                asked = _label_options(cells[i][span - 1], key, span)
            elif assumed == _ASSUMED_ALL or (assumed and valued):
                asked = _options(cells[i][span - 1], key, span, True)
            else:
                continue
            fits[i][span - 1] = asked
            if asked[:2] != options[:2]:
                start = min(start, i)  # a lower fit than assumed: run again from here
        if start == n:
            break
        for k in range(start + 1, n + 1):
            best[k] = [_NEG] * width
            back[k] = [None] * width
    rows: list[Row] = []
    for i, j, col, new_row in placed:
        if new_row or not rows:
            rows.append([None] * width)
        rows[-1][col] = tokens[i] if j == i + 1 else _merged(tokens[i:j])
    return rows


def _forward(
    fits: list[list[_Options]],
    best: list[list[float]],
    back: list[list[tuple[int, int, bool] | None]],
    start: int,
    grammar: _Grammar,
) -> None:
    """Fill ``best`` and ``back`` past token ``start`` (those up to it are kept)."""
    first_figure, last_figure = grammar.first_figure, grammar.last_figure
    n, width = len(fits), len(grammar.short)
    source = [-1] * width
    value = [_NEG] * width
    # (the cells that end past `start` begin at most _MAX_SPAN - 1 tokens before it;
    # those that end before it are tried again and change nothing)
    low = max(start - _MAX_SPAN + 1, 0)
    if low == 0:
        for s, (_, opens, _) in enumerate(fits[0], start=1):
            for c2, f, o in opens:
                if f + o - _NEW_ROW > best[s][c2]:
                    best[s][c2], back[s][c2] = f + o - _NEW_ROW, (0, -1, True)
    for i in range(max(low, 1), n):
        row = best[i]
        # value[c2], source[c2]: the best column before c2 to go on from in the
        # same row (a row that skips its figure columns pays); closing,
        # close_c: the best row to close, its first best column
        top, top_c = _NEG, -1  # best of row[:c2], up to the last figure column
        closing, close_c = -math.inf, 0
        c2 = 0
        for here in row[:first_figure]:  # a row closed here is short
            value[c2], source[c2] = top, top_c
            if here > top:
                top, top_c = here, c2
            if (v := here + _SHORT_ROW) > closing:
                closing, close_c = v, c2
            c2 += 1
        for here in row[first_figure:last_figure]:
            value[c2], source[c2] = top, top_c
            if here > top:
                top, top_c = here, c2
            if here > closing:
                closing, close_c = here, c2
            c2 += 1
        # past the figure columns: from the best column before them, the row
        # skips them and pays, or from the best one after them
        skip, skip_c = top + _SHORT_ROW, top_c
        tail, tail_c = _NEG, -1  # best of row[last_figure:c2]: no figure column skipped
        for here in row[last_figure:]:
            if c2 == last_figure:
                value[c2], source[c2] = top, top_c
            elif tail >= skip:
                value[c2], source[c2] = tail, tail_c
            else:
                value[c2], source[c2] = skip, skip_c
            if here > tail:
                tail, tail_c = here, c2
            if here > closing:
                closing, close_c = here, c2
            c2 += 1
        if top <= _HALF_NEG and tail <= _HALF_NEG:
            continue
        for s, (goes, opens, _) in enumerate(fits[i], start=1):
            target, links = best[i + s], back[i + s]
            for c2, f in goes:
                if (v := value[c2] + f) > target[c2]:
                    target[c2] = v
                    links[c2] = (i, source[c2], False)
            for c2, f, o in opens:
                if (v := closing + f + o) > target[c2]:
                    target[c2] = v
                    links[c2] = (i, close_c, True)


def _layout(
    best: list[list[float]], back: list[list[tuple[int, int, bool] | None]], grammar: _Grammar
) -> list[tuple[int, int, int, bool]] | None:
    """The cells of the best layout: (first token, end, column, opens a row);
    None when no layout fits."""
    short, n = grammar.short, len(best) - 1
    end_col = max(range(len(short)), key=lambda c: best[n][c] + short[c])
    if best[n][end_col] <= _NEG / 2:
        return None
    placed: list[tuple[int, int, int, bool]] = []
    j, c = n, end_col
    while j > 0:
        step = back[j][c]
        assert step is not None
        i, prev_c, new_row = step
        placed.append((i, j, c, new_row))
        j, c = i, prev_c
    placed.reverse()
    return placed


def _total(tokens: list[Tok], i: int, rows: list[Row], state: _State) -> int:
    label = tokens[i]
    end = _until_label(tokens, i + 1)
    values = list(tokens[i + 1 : end])
    roles = state.roles
    if not roles:
        rows.append([label, *values])
        return end
    row: Row = [None] * max(len(roles), 1)
    row[0] = label
    figures = [t for t in values if _is_figure(t.text)]
    rest = [t for t in values if not _is_figure(t.text)]
    weight = roles.index("weight") if "weight" in roles else None
    score = roles.index("score") if "score" in roles else None
    if len(figures) >= 2 and weight is not None and score is not None:
        row[weight], row[score] = figures[0], figures[1]
        tail = score
    elif figures and score is not None:
        row[score] = figures[0]
        tail = score
    else:
        row[1 : 1 + len(values)] = values
        rows.append(row)
        return end
    row.extend([None] * (tail + 1 + len(rest) - len(row)))
    for k, t in enumerate(rest):
        row[tail + 1 + k] = t
    rows.append(row)
    return end
