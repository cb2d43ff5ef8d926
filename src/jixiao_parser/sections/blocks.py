"""Section parsers for the header, funding, goals, total and footer blocks."""

from __future__ import annotations

import functools
from decimal import Decimal

import attrs
import regex

from .. import vocab
from ..document import Cell, Line
from ..model import Funding, FundingLine, GoalItem, Goals, Header, Total
from ..segment import ColumnMap, SectionTable, goal_subtable
from ..values.words import GRADES, MONEY_UNIT_LABEL, MONEY_UNITS, MULTIPLIERS, alternation
from .common import Sink, fold_label, is_dash, read_decimal, read_goal_item, read_points, tidy

__all__ = ["parse_footer", "parse_funding", "parse_goals", "parse_header", "parse_total"]

_INLINE_LABEL = regex.compile(r"^(?P<label>[^:：]{1,16})[:：]\s*(?P<value>.*)$", regex.DOTALL)
_YEAR = regex.compile(r"(?:19|20)\d\d")
# a row opening with the year line's cell: "（2023年度） | … | 金额单位：万元"
_YEAR_CELL = regex.compile(r"^[(]?\s*(?P<y>(?:19|20)\d\d)\s*年度?\s*[)]?$")
_UNITS = alternation(MONEY_UNITS)
_UNIT = regex.compile(
    rf"[(（]\s*({_UNITS})\s*[)）]|{regex.escape(MONEY_UNIT_LABEL)}\s*[:：]?\s*({_UNITS})"
)
# the weight a score column's label states: 得分(20分*执行率) → 20
_SCORE_WEIGHT = regex.compile(r"[(](\d+(?:\.\d+)?)分\s*[*×xX]")
# the unit a bare figure is in (元): stripped, the figure is in the block's unit
_YUAN = tuple(unit for unit, factor in MONEY_UNITS.items() if factor == 1)


def _pairs(
    line: Line, table: dict[str, str], sink: Sink, section: str
) -> list[tuple[str, str | None, Cell]]:
    """Label → value pairs of one row, in order (``项目名称\\t示例``, ``项目编码:123``).

    A cell is a label when the vocabulary knows it or it ends with a colon; its
    value is the next non-empty cell that is not itself a label.
    """
    out: list[tuple[str, str | None, Cell]] = []
    cells = line.filled
    i = 0
    while i < len(cells):
        cell = cells[i]
        known = vocab.lookup(table, cell.norm) is not None
        if known or cell.norm.endswith(":"):
            value: str | None = None
            if i + 1 < len(cells) and not _is_label(cells[i + 1].norm, table):
                value = tidy(cells[i + 1].text)
                i += 1
            out.append((vocab.label_key(cell.norm), value, cell))
        elif m := _INLINE_LABEL.match(cell.text):
            out.append((vocab.label_key(m.group("label")), tidy(m.group("value")) or None, cell))
        else:
            sink.keep(cell, section)
        i += 1
    return out


def _is_label(norm: str, table: dict[str, str]) -> bool:
    return vocab.lookup(table, norm) is not None or norm.endswith(":")


def parse_header(lines: tuple[Line, ...], sink: Sink) -> tuple[Header, int | None]:
    """Header rows → :class:`Header` and the year when a field states it.

    ``项目编码:\\t4403…\\t项目名称:\\t计生协会工作\\t绩效自评年度:\\t2023``
    """
    fields: dict[str, str | None] = {}
    where: dict[str, str] = {}
    roles: dict[str, str] = {}
    year = None
    for line in lines:
        first = line.filled[0] if line.filled and len(line.filled) > 1 else None
        if first is not None and (m := _YEAR_CELL.match(first.norm)):
            # the year line's cell opening a row of header fields
            year = year or int(m.group("y"))
            line = Line(tuple(c for c in line.cells if c is not first))
        for label, value, cell in _pairs(line, vocab.HEADER_FIELDS, sink, "header"):
            key = _fresh(fields, label)
            fields[key] = value
            where[key] = cell.where
            role = vocab.lookup(vocab.HEADER_FIELDS, label)
            if role == "year" and value and (m := _YEAR.search(value)):
                year = int(m.group())
            elif role and role not in ("other", "year") and value and role not in roles:
                roles[role] = value
            if value is None:
                sink.note(
                    "header_value_missing",
                    "info",
                    f"header label {label!r} has no value",
                    cell.where,
                )
    header = Header(
        project_name=roles.get("project_name"),
        project_code=roles.get("project_code"),
        supervisor=roles.get("supervisor"),
        implementer=roles.get("implementer"),
        budget_unit=roles.get("budget_unit"),
        fields=fields,
        where=where,
    )
    return header, year


def parse_footer(lines: tuple[Line, ...], sink: Sink) -> dict[str, str | None]:
    """Rows after the total → label → text (``评价结论``, ``项目负责人:张三``)."""
    fields: dict[str, str | None] = {}
    table = {label: "footer" for label in vocab.FOOTER_LABELS}
    for line in lines:
        for label, value, _cell in _pairs(line, table, sink, "footer"):
            fields[_fresh(fields, label)] = value
    return fields


def _fresh(fields: dict[str, str | None], label: str) -> str:
    """``label``, or ``label(2)``, ``label(3)`` … when the form repeats it."""
    key, n = label, 1
    while key in fields:
        n += 1
        key = f"{label}({n})"
    return key


# -- funding -----------------------------------------------------------------


def _funding_unit(lines: tuple[Line, ...]) -> str | None:
    """The money unit a cell states (``项目资金（万元）``, ``金额单位：万元``,
    ``年初预算数(单位：元)``), folded to Simplified (``萬元`` → ``万元``)."""
    for line in lines:
        for cell in line.filled:
            m = _UNIT.search(cell.norm)
            if m is None and not cell.norm.isascii():
                m = _UNIT.search(vocab.label_key(cell.norm))
            if m:
                return m.group(1) or m.group(2)
    return None


def _header_weight(columns: ColumnMap) -> Decimal | None:
    """The weight the score column's label states when no column holds the
    weight: ``得分(20分*执行率)`` → 20."""
    if "weight" in columns.col_of:
        return None
    for line in columns.lines:
        for c in line.filled:
            if columns.role_at.get(c.col) == "score" and (m := _SCORE_WEIGHT.search(c.norm)):
                return Decimal(m.group(1))
    return None


def _money(norm: str, factor: Decimal) -> Decimal | None:
    """An amount in yuan: ``965,043.97`` (in the block's unit: × ``factor``),
    ``12.5万元`` / ``10万`` (a multiplier written with the figure)."""
    t = norm.replace(" ", "")
    for yuan in _YUAN:
        t = t.removesuffix(yuan)
    if t[-1:] in MULTIPLIERS:
        n = read_decimal(t[:-1])
        return n * MULTIPLIERS[t[-1]] if n is not None else None
    n = read_decimal(t)
    return n * factor if n is not None else None


def _rate(norm: str, percent_header: bool) -> tuple[Decimal | None, bool]:
    """Execution rate as a ratio, and whether a bare number was read as a percent."""
    t = norm.replace(" ", "")
    if t.endswith("%"):
        n = read_decimal(t[:-1])
        return (n / 100 if n is not None else None), False
    n = read_decimal(t)
    if n is None:
        return None, False
    if percent_header:
        return n / 100, False
    if n > Decimal("1.5"):
        return n / 100, True
    return n, False


@functools.lru_cache(maxsize=1024)
def _row_role(label: str) -> str:
    key = vocab.label_key(label)
    for prefix in vocab.FUNDING_SUB_LINE:
        key = key.removeprefix(prefix)
    key = key.lstrip(":")
    if key in vocab.FUNDING_ROWS:
        return vocab.FUNDING_ROWS[key]
    for known in sorted(vocab.FUNDING_ROWS, key=len, reverse=True):
        if known in key:
            return vocab.FUNDING_ROWS[known]
    return "unknown"


def parse_funding(
    tables: tuple[SectionTable, ...], sink: Sink, before: tuple[Line, ...] = ()
) -> Funding:
    """The funding matrix, as segmentation split it under its column header rows
    → :class:`Funding` (money in yuan, rate a ratio).

    ``项目资金 (元)\\t\\t年初预算数\\t全年预算数\\t全年执行数\\t分值\\t执行率\\t得分``
    ``\\t年度资金总额\\t1100000.00\\t991403.00\\t965,043.97\\t10\\t97.35%\\t9.73``
    """
    lines = tuple(ln for t in tables for ln in (*(t.columns.lines if t.columns else ()), *t.rows))
    unit = _funding_unit(lines) or _funding_unit(before)
    factor = MONEY_UNITS.get(unit or "", Decimal(1))
    out: list[FundingLine] = []
    for table in tables:
        columns = table.columns.role_at if table.columns else {}
        percent_header = table.columns is not None and _percent_header(table.columns)
        # the first column of figures: a row's values start there
        first = min((k for k, r in columns.items() if not r.startswith("extra:")), default=0)
        weight = _header_weight(table.columns) if table.columns else None
        for line in table.rows:
            parsed = _funding_line(line, (columns, first), factor, percent_header, sink)
            if parsed is not None and weight is not None and parsed.score is not None:
                parsed = attrs.evolve(parsed, weight=weight)  # a line that states a score
            if parsed is not None:
                out.append(parsed)
    if lines and all(t.columns is None for t in tables):
        sink.note(
            "funding_columns_missing",
            "warning",
            "funding block has no column header row",
            lines[0].where,
        )
    return Funding(unit=unit, lines=tuple(out))


def _percent_header(columns: ColumnMap) -> bool:
    """Whether the execution-rate column's label says ``(%)``: its bare figures are percents."""
    return any(
        "%" in c.norm for ln in columns.lines for c in ln.filled
        if columns.role_at.get(c.col) == "execution_rate"
    )  # fmt: skip


def _funding_line(
    line: Line,
    table: tuple[dict[int, str], int],
    factor: Decimal,
    percent_header: bool,
    sink: Sink,
) -> FundingLine | None:
    """One row under the columns ``table`` = (column → role, first figure column)."""
    columns, first = table
    label_cell = None
    for c in line.filled:
        key = vocab.label_key(c.norm)
        if (
            key.startswith(vocab.FUNDING_SECTION)
            or read_decimal(c.norm) is not None
            or is_dash(c.text)
        ):
            continue
        label_cell = c
        break
    if label_cell is None or not columns:
        for c in line.filled:
            if not vocab.label_key(c.norm).startswith(vocab.FUNDING_SECTION):
                sink.keep(c, "funding")
        return None
    after = next((c for c in line.cells if c.col == label_cell.col + 1), None)
    if after is not None and after.text:
        shift = first - after.col  # values follow the label: they start at the first column
    else:
        shift = 0 if label_cell.col < first else first - (label_cell.col + 1)
    values: dict[str, Decimal | None] = {}
    extra: dict[str, str] = {}
    guessed = False
    for c in line.cells:
        if c.col <= label_cell.col or not c.text:
            continue
        role = columns.get(c.col + shift)
        if role is None:
            sink.keep(c, "funding")
            continue
        if role.startswith("extra:"):
            extra[role.removeprefix("extra:")] = c.text
            continue
        if role in ("initial_budget", "annual_budget", "executed"):
            values[role] = _money(c.norm, factor)
        elif role == "execution_rate":
            values[role], bare = _rate(c.norm, percent_header)
            guessed = guessed or bare
        else:
            values[role] = read_points(c.norm)
        if values[role] is None and not is_dash(c.text):
            sink.note("unreadable_amount", "warning", f"cannot read {c.text!r} as {role}", c.where)
            sink.keep(c, "funding")
    if guessed:
        sink.note(
            "rate_read_as_percent", "info", "bare execution rate read as a percent", line.where
        )
    if shift:
        sink.note("row_realigned", "info", "funding row shifted against its header", line.where)
    role = _row_role(label_cell.norm)
    if role == "unknown":
        sink.note(
            "funding_row_unknown",
            "info",
            f"unknown funding row {label_cell.text!r}",
            label_cell.where,
        )
    label = fold_label(label_cell.norm)
    return FundingLine(label=label, role=role, extra=extra, where=line.where, **values)


# -- goals -------------------------------------------------------------------


def parse_goals(lines: tuple[Line, ...], sink: Sink) -> Goals:
    """Planned and actual goal texts, joined across wrapped lines and pages.

    ``\\t预算目标\\t\\t\\t实际完成情况`` then ``\\t<p>1、…</p>\\t\\t\\t<p>一是…</p>``;
    a paragraph line after them continues the last text. An item label
    (``2.项目实施内容及过程概述``) opens a text of its own, up to the next goal
    label: it goes to ``items`` (label without its number, no points).
    """
    label_cols: dict[int, str] = {}
    texts: dict[str, list[str]] = {"planned": [], "actual": []}
    last: str | None = None
    # goal sub-tables, and items still taking text: (label, row, text parts)
    items: list[GoalItem | tuple[str, str, list[str]]] = []
    item: list[str] | None = None  # the text parts of the item open now
    for line in lines:
        if goal_subtable(line) is not None:
            items.append(read_goal_item(line))
            item = None
            continue
        if line.paragraph:
            cell = line.cells[0]
            if vocab.goal_role(cell.norm) == "item":
                item = []
                items.append((vocab.unnumbered(cell.norm), line.where, item))
            elif item is not None:
                item.append(cell.text)
            elif last is None:
                sink.keep(line.cells[0], "goals")
            else:
                texts[last].append(line.cells[0].text)
            continue
        inline: str | None = None
        for cell in line.filled:
            role = vocab.goal_role(cell.norm)
            if role == "item":  # 2.项目实施内容及过程概述: a text of its own follows
                item = []
                items.append((vocab.unnumbered(cell.norm), line.where, item))
                continue
            if role in ("planned", "actual"):
                label_cols[cell.col] = role
                inline = role
                item = None
                continue
            if role == "group" or is_dash(cell.text):
                continue
            if item is not None:
                item.append(cell.text)
                continue
            target = inline or _nearest(label_cols, cell.col)
            if target is None:
                target = "actual" if texts["planned"] else "planned"
            texts[target].append(cell.text)
            last = target
    # with goal sub-tables and no planned text, the caller joins the sub-goals
    return Goals(
        planned=_join(texts["planned"]),
        actual=_join(texts["actual"]),
        items=tuple(_goal_item(i) for i in items),
    )


def _goal_item(item: GoalItem | tuple[str, str, list[str]]) -> GoalItem:
    if isinstance(item, GoalItem):
        return item
    label, where, parts = item
    return GoalItem(label, None, _join(parts), where=where)


def _nearest(label_cols: dict[int, str], col: int) -> str | None:
    if not label_cols:
        return None
    left = [k for k in label_cols if k <= col]
    key = max(left) if left else min(label_cols, key=lambda k: abs(k - col))
    return label_cols[key]


def _join(parts: list[str]) -> str | None:
    if not parts:
        return None
    return tidy("\n".join(parts)) or None


# -- total -------------------------------------------------------------------


def parse_total(
    line: Line | None,
    weight_col: int | None,
    score_col: int | None,
    sink: Sink,
    weight_sums: tuple[Decimal, ...] | None = None,
) -> Total:
    """``总分\\t\\t\\t\\t\\t100\\t99.43`` → weight 100, score 99.43 (and a grade word).

    ``weight_sums`` are what the weights add up to (the indicators', and with
    the funding weight) when no indicator states a score: then a lone figure
    equal to one of them, or under the weight column, is the total weight
    (``合计 | 100 |``), not the score.
    """
    if line is None:
        return Total()
    numbers: list[tuple[Cell, Decimal]] = []
    grade = None
    for cell in line.filled[1:]:
        n = read_points(cell.norm)
        if n is not None:
            numbers.append((cell, n))
        elif vocab.label_key(cell.norm) in GRADES and grade is None:
            grade = tidy(cell.text)  # as written (優 stays 優)
        else:
            sink.keep(cell, "total")
    by_col = {c.col: n for c, n in numbers}
    if weight_col in by_col and score_col in by_col:
        weight, score = by_col[weight_col], by_col[score_col]
        rest = [c for c, _ in numbers if c.col not in (weight_col, score_col)]
    elif len(numbers) >= 2:
        weight, score = numbers[0][1], numbers[1][1]
        rest = [c for c, _ in numbers[2:]]
    elif numbers and weight_sums is not None and _is_weight(numbers[0], weight_col, weight_sums):
        weight, score = numbers[0][1], None
        rest = []
        sink.note(
            "total_score_missing",
            "info",
            "total row states one figure and no indicator a score: read as the weight",
            line.where,
        )
    elif numbers:
        weight, score = None, numbers[0][1]
        rest = []
        sink.note(
            "total_weight_missing",
            "info",
            "total row states one figure, read as the score",
            line.where,
        )
    else:
        weight = score = None
        rest = []
    for cell in rest:
        sink.keep(cell, "total")
    return Total(weight=weight, score=score, grade=grade)


def _is_weight(
    number: tuple[Cell, Decimal], weight_col: int | None, weight_sums: tuple[Decimal, ...]
) -> bool:
    """Whether a total row's lone figure is its weight: under the weight column,
    or what the weights add up to."""
    cell, n = number
    return cell.col == weight_col or n in weight_sums
