"""The indicator table: header roles, row alignment, carry-down, parts.

Rows are ragged in published forms: a leading ``绩效指标`` cell, merged
level-1/level-2 cells that come out empty or vanish, a level-3 name at
column 0. Each row is therefore *aligned* against the header's column roles
by content, not copied by position: a small dynamic programme assigns cells to
roles in order (a role may be skipped, an empty cell dropped) at the least
cost, where the cost says how badly a cell fits a role (a level-2 term in the
name column, text in the score column …) plus a tie-break for staying in the
header's column.
"""

from __future__ import annotations

import functools
from collections import Counter
from decimal import Decimal

import attrs
import regex

from .. import vocab
from ..document import Cell, Line
from ..model import GoalItem, Indicator, Value
from ..segment import SectionTable, goal_subtable
from ..values import parse_value
from ..values.attainment import in_target_unit, is_cost, judge_row, with_attainment
from ..values.kinds import operator_only, target_like
from ..values.normalize import numbered_items
from ..values.words import NATURES
from .common import Sink, fold_label, is_dash, read_decimal, read_goal_item, read_points, tidy

__all__ = ["parse_indicators"]

_POINTS = regex.compile(r"^(?P<label>.*?)[(（]\s*(?P<points>\d+(?:\.\d+)?)\s*分\s*[)）]$")
_INF = 1e9
_FIXED = ("group", "level1", "level2", "name", "target", "actual", "weight", "score", "note")


@functools.lru_cache(maxsize=1024)  # level-1 labels recur (产出指标(50分))
def _split_points(text: str) -> tuple[str, Decimal | None]:
    t = fold_label(text)
    m = _POINTS.match(t)
    if m:
        return m.group("label"), Decimal(m.group("points"))
    return t, None


def _is_l1(text: str) -> bool:
    return vocab.label_key(_split_points(text)[0]) in vocab.LEVEL1_TERMS


def _is_l2(text: str) -> bool:
    return vocab.label_key(text) in vocab.LEVEL2_TERMS


def _is_group(text: str) -> bool:
    return vocab.label_key(text) in vocab.GROUP_LABELS


@functools.lru_cache(maxsize=4096)
def _costs(text: str) -> dict[str, float]:
    """How badly a cell holding ``text`` fits each role (0 fits, negative fits well).

    Roles not listed (notes, extra columns) cost ``out["*"]``, else 0.
    """
    costs = _rough_costs(text)
    if costs.get("target") == 0.0 and target_like(parse_value(text)):
        return {**costs, "target": -0.2}  # a value that reads as a target fits it well
    return costs


@functools.lru_cache(maxsize=4096)
def _rough_costs(text: str) -> dict[str, float]:
    """:func:`_costs` without reading the text as a value: the ``target`` cost of
    text that is no label is 0 here where :func:`_costs` may lower it to -0.2.
    Whether a cost is below 1 (what :func:`positional` asks) is the same in both.
    """
    if not text:
        return {"name": 0.5, "target": 0.5, "actual": 0.5, "weight": 1.5, "score": 1.5}
    group = _is_group(text)
    out = {"group": 0.0 if group else _INF}
    term1, term2 = _is_l1(text), _is_l2(text)
    out["level1"] = -0.5 if term1 else (3.0 if term2 else 4.0)
    if term2:
        out["level2"] = -0.5
    else:
        label_like = vocab.label_key(text).endswith(vocab.LABEL_SUFFIX) and len(text) <= 10
        out["level2"] = 3.0 if term1 else (1.0 if label_like else 4.0)
    if term1 or term2 or group:
        out.update(name=4.0, target=4.0, actual=4.0, weight=4.0, score=4.0, note=4.0)
        out["*"] = 2.0  # an unknown column may hold labels (指标类型), a data column not
        return out
    number = read_decimal(text) is not None
    out["name"] = 2.0 if number else 0.0
    points = number or read_points(text) is not None
    out["weight"] = out["score"] = 0.0 if points else (0.3 if is_dash(text) else 6.0)
    out["target"] = 0.0  # _costs reads the value
    op_like = vocab.label_key(text) in NATURES or operator_only(text)
    out["target_op"] = -0.2 if op_like else 3.0
    out["target_unit"] = 0.0 if len(text) <= 8 and not number else 3.0
    out["note"] = 0.3 if number else 0.0
    return out


@functools.lru_cache(maxsize=4096)
def _fits(
    text: str, names: tuple[str, ...], at: int | None, columns: tuple[int, ...]
) -> tuple[float, ...]:
    """How badly a cell holding ``text`` fits each role of ``names`` (:func:`_costs`),
    in order, plus — for a cell expected at header column ``at`` — the tie-break
    for staying in the role's column (``columns``). On a role a cell cannot take
    (cost ``_INF``) the tie-break changes nothing: such a take never beats a drop.
    (Cached: a table asks for the same roles in every row.)"""
    costs = _costs(text)
    other = costs.get("*", 0.0)
    if at is None:
        return tuple([costs.get(name, other) for name in names])
    leans = [0.02 * abs(at - col) for col in columns]
    return tuple([costs.get(name, other) + lean for name, lean in zip(names, leans, strict=True)])


# What leaving a role without a cell costs: cheap for the columns forms often
# lack (group, merged levels, notes), dear for the ones every row has.
_SKIP = {
    "group": 0.0, "level1": 0.3, "level2": 0.3, "name": 1.0, "target": 0.8, "actual": 0.8,
    "weight": 1.0, "score": 1.0, "note": 0.1, "target_op": 0.3, "target_unit": 0.3,
}  # fmt: skip


def positional(
    cells: tuple[Cell, ...], role_at: dict[int, str], shift: int
) -> dict[str, Cell] | None:
    """The row read column by column (data cells ``shift`` columns right of their
    header; ``role_at`` maps a header column to its role), or ``None`` when a
    non-empty cell does not fit its column well — the common, regular row needs
    no alignment search. A group label (绩效指标) opening the row outside the
    header's columns is the row's group."""
    out: dict[str, Cell] = {}
    for cell in cells:
        role = role_at.get(cell.col - shift)
        if role is None:
            if cell.text:
                if out or not _is_group(cell.norm):
                    return None
                out["group"] = cell  # 绩效指标 opening the row, left of every header column
            continue
        if not _fits_roughly(cell.norm, role):
            return None
        out[role] = cell
    return out


@functools.lru_cache(maxsize=4096)  # one probe per cell where there were a probe and two lookups
def _fits_roughly(text: str, role: str) -> bool:
    """Whether a cell holding ``text`` fits ``role`` at a cost below 1
    (:func:`_rough_costs` is enough to tell)."""
    costs = _rough_costs(text)
    return costs.get(role, costs.get("*", 0.0)) < 1.0


_SKIP_ROLE, _DROP_CELL, _TAKE = 1, 2, 3


def align_row(
    cells: tuple[Cell, ...], roles: list[tuple[str, int]], shift: int | None = None
) -> dict[str, Cell]:
    """Assign cells to roles in order at the least cost (see module docstring).

    With ``shift`` (the table's usual offset of data cells against the header),
    staying in the expected column breaks ties.

    State (i, j) is "i cells read, j roles passed". Row i + 1 of the cost table
    follows from row i: a cell taking role j - 1 (from (i, j - 1)) or dropped
    (from (i, j)), then roles skipped left to right. On equal costs a take wins
    over a drop, and both over a skip.
    """
    m = len(roles)
    names = tuple([role for role, _ in roles])
    skip = [_SKIP.get(role, 0.1) for role in names]
    columns = tuple([col for _, col in roles])
    row = [0.0]  # passing the first j roles with no cell read: skip them all
    moves = [0]
    for j in range(m):
        row.append(row[j] + skip[j])
        moves.append(_SKIP_ROLE)
    back = [moves]
    for cell in cells:
        at = None if shift is None else cell.col - shift
        fits = _fits(cell.norm, names, at, columns)
        drop = 0.2 if not cell.text else 10.0
        # One pass over the states j = 1 … m: into j by taking role j - 1 (from
        # ``left`` = row[j - 1]), by dropping the cell (from ``here`` = row[j]), or
        # by skipping role j - 1 from ``last``, the state j - 1 just settled; a
        # take wins ties with a drop, both beat a skip.
        last = row[0] + drop
        new = [last]
        moves = [_DROP_CELL]
        # (``row`` holds one state more: the pass stops at the shortest; no keyword, no dict)
        for fit, passing, left, here in zip(fits, skip, row, row[1:]):  # noqa: B905
            take, dropped, skipped = left + fit, here + drop, last + passing
            if take <= dropped:
                last, move = take, _TAKE
            else:
                last, move = dropped, _DROP_CELL
            if skipped < last:
                last, move = skipped, _SKIP_ROLE
            new.append(last)
            moves.append(move)
        row = new
        back.append(moves)
    out: dict[str, Cell] = {}
    i, j = len(cells), m
    while i or j:
        move = back[i][j]
        if move == _SKIP_ROLE:
            j -= 1
        elif move == _DROP_CELL:
            i -= 1
        elif move == _TAKE:
            i, j = i - 1, j - 1
            out[names[j]] = cells[i]
        else:  # pragma: no cover - every state is reachable
            break
    return out


@attrs.frozen
class IndicatorTable:
    """What :func:`parse_indicators` read: rows and goal sub-tables."""

    indicators: list[Indicator]
    goals: list[GoalItem]


_Row = tuple[Line, tuple[Cell, ...], str | None]  # a data row, its cells, its goal
# a data row, its cells by role, its goal, whether it was read by position
_Aligned = tuple[Line, dict[str, Cell], str | None, bool]


def parse_indicators(
    goal_lines: tuple[Line, ...],
    table: SectionTable | None,
    sink: Sink,
    goal: str | None = None,
) -> IndicatorTable:
    """The indicator table as segmentation resolved it (rows under the header,
    the column map) → :class:`Indicator` list, and the goal sub-tables
    (``年度绩效目标2(30分)``) before the header (``goal_lines``) and among the rows."""
    goals = [read_goal_item(ln) for ln in goal_lines]
    if goals:
        goal = goals[-1].label
    if table is None or table.columns is None:
        return IndicatorTable([], goals)
    columns = table.columns
    roles, role_at = list(columns.roles), columns.role_at
    rows = _data_rows(table.rows, goals, goal, sink)
    fitted = [_fit(cells, role_at) for _, cells, _ in rows]
    mode = _usual_shift(rows, fitted, roles)
    aligned: list[_Aligned] = []
    for (line, cells, g), fit in zip(rows, fitted, strict=True):
        found = _at_shift(cells, fit, role_at, mode)
        # off the usual shift: read by position at the shift where every cell fits
        # its column, else aligned by content
        read = found or (fit[1] if fit is not None else None) or align_row(cells, roles, mode)
        aligned.append((line, read, g, bool(found)))
    return IndicatorTable(_read_rows(aligned, columns.col_of, mode, sink), goals)


def _data_rows(
    lines: tuple[Line, ...], goals: list[GoalItem], goal: str | None, sink: Sink
) -> list[_Row]:
    """The rows to align, each with the goal sub-table it is under; a goal
    sub-table row met on the way is added to ``goals``."""
    rows: list[_Row] = []
    for line in lines:
        if goal_subtable(line) is not None:
            goals.append(read_goal_item(line))
            goal = goals[-1].label
            continue
        if line.paragraph:
            sink.keep(line.cells[0], "indicators")
            continue
        cells = line.cells
        while cells and not cells[-1].text:
            cells = cells[:-1]
        rows.append((line, cells, goal))
    return rows


def _read_rows(
    aligned: list[_Aligned], role_col: dict[str, int], mode: int, sink: Sink
) -> list[Indicator]:
    """Aligned rows → indicators, merged level-1/level-2 labels carried down."""
    out: list[Indicator] = []
    level1: str | None = None
    points: Decimal | None = None
    level2: str | None = None
    inferred: list[int] = []
    extras = any(role.startswith("extra:") for role in role_col)  # unknown columns: per table
    for line, a, row_goal, by_position in aligned:
        if not by_position:  # a row read by position has nothing to report here
            note_alignment(line, a, role_col, mode, sink)
        if (cell := a.get("level1")) and cell.text:
            level1, points = _split_points(cell.norm)
            level2 = None
        if (cell := a.get("level2")) and cell.text:
            level2 = fold_label(cell.norm)
        indicator = _indicator(a, level1, points, level2, row_goal, line, sink, extras=extras)
        if indicator is None:
            continue
        if level2 is None and "level2" in role_col:
            inferred.append(len(out))
        out.append(indicator)
    return _infer_level2(out, inferred, sink)


def note_alignment(
    line: Line, a: dict[str, Cell], role_col: dict[str, int], mode: int, sink: Sink
) -> None:
    """Keep the filled cells of ``line`` the alignment ``a`` left out, and note a
    row whose cells sit off the table's usual shift ``mode``.

    A row read by position at ``mode`` (:func:`positional`) needs neither: it
    gives every filled cell the role of its column ``mode`` to the left.
    """
    assigned = {id(c) for c in a.values()}
    for c in line.cells:
        if c.text and id(c) not in assigned:
            sink.keep(c, "indicators")
    if any(c.text and c.col - role_col[r] != mode for r, c in a.items()):
        sink.note(
            "row_realigned",
            "info",
            "indicator row cells shifted against the header; aligned by content",
            line.where,
        )


_SHIFTS = (0, 1, -1)  # the shifts a row is read at by position, in order of preference


def _fit(cells: tuple[Cell, ...], role_at: dict[int, str]) -> tuple[int, dict[str, Cell]] | None:
    """The first shift at which the row reads by position, with that reading."""
    for shift in _SHIFTS:
        found = positional(cells, role_at, shift)
        if found is not None:
            return shift, found
    return None


def _at_shift(
    cells: tuple[Cell, ...],
    fit: tuple[int, dict[str, Cell]] | None,
    role_at: dict[int, str],
    shift: int,
) -> dict[str, Cell] | None:
    """``positional(cells, role_at, shift)``, reusing what :func:`_fit` found:
    the shifts it tried before the one that fitted (all three when none did)
    do not fit."""
    if fit is not None and fit[0] == shift:
        return fit[1]
    tried = _SHIFTS if fit is None else _SHIFTS[: _SHIFTS.index(fit[0])]
    return None if shift in tried else positional(cells, role_at, shift)


def _usual_shift(
    rows: list[_Row],
    fitted: list[tuple[int, dict[str, Cell]] | None],
    roles: list[tuple[str, int]],
) -> int:
    """How many columns right of its header a data cell usually sits: the shift
    most filled cells agree on, rows read by position where they fit (``fitted``,
    from :func:`_fit`) and by content alone where not (ties go to the shift met
    first)."""
    role_col = dict(roles)
    counts: Counter[int] = Counter()
    unfit_cells = 0
    for (line, _, _), fit in zip(rows, fitted, strict=True):
        if fit is None:
            unfit_cells += len(line.filled)
        else:
            counts[fit[0]] += len(line.filled)
    top = counts.most_common(2)
    lead = top[0][1] - (top[1][1] if len(top) > 1 else 0) if top else 0
    if unfit_cells < lead:
        # an aligned row adds at most its filled cells: no need to align them
        return top[0][0]
    shifts: Counter[int] = Counter()  # again in row order, for the tie-break
    for (line, cells, _), fit in zip(rows, fitted, strict=True):
        if fit is not None:
            shifts[fit[0]] += len(line.filled)
        else:
            shifts.update(c.col - role_col[r] for r, c in align_row(cells, roles).items() if c.text)
    return shifts.most_common(1)[0][0] if shifts else 0


def _text(a: dict[str, Cell], role: str) -> str:
    cell = a.get(role)
    return cell.text if cell else ""


def _indicator(
    a: dict[str, Cell],
    level1: str | None,
    points: Decimal | None,
    level2: str | None,
    goal: str | None,
    line: Line,
    sink: Sink,
    *,
    extras: bool = True,
) -> Indicator | None:
    """One row as an :class:`Indicator`, judged (:func:`judge_row`); ``None`` for
    an empty row. ``extras`` is False when the table has no unknown columns."""
    name_text = _text(a, "name")
    name = tidy(name_text) or None
    target_text, actual_text = _target_text(a), _text(a, "actual")
    target_cell = a.get("target") or a.get("target_op") or a.get("target_unit")
    actual_cell = a.get("actual")
    target_at = target_cell.where if target_cell is not None else None
    actual_at = actual_cell.where if actual_cell is not None else None
    target, actual = parse_value(target_text).at(target_at), parse_value(actual_text).at(actual_at)
    weight, score = _figure(a, "weight", sink), _figure(a, "score", sink)
    note_text = _text(a, "note")
    note = None if is_dash(note_text) else tidy(note_text)
    extra: dict[str, str] = {}
    if extras:
        extra = {
            r.removeprefix("extra:"): c.text
            for r, c in a.items()
            if r.startswith("extra:") and c.text
        }
    if "target_op" in a:
        nature = a["target_op"].text.strip()
        if vocab.label_key(nature) in NATURES:
            extra["指标性质"] = nature  # 定量 / 定性 / 正向 …: not part of the value, kept here
    if target.kind == "empty" and actual.kind == "empty" and weight is None and score is None:
        if name is not None and not note and not extra and vocab.TEMPLATE_ROW.match(name):
            sink.note("template_row_dropped", "info", f"template row {name!r} dropped", line.where)
            return None
    if (
        name is None
        and target.kind == "empty"
        and actual.kind == "empty"
        and weight is None
        and score is None
    ):
        if note or extra:
            sink.note("indicator_without_name", "warning", "row has only a note", line.where)
        else:
            return None
    # split the cells as read: a line break may be all that separates two items
    cells = (name_text or None, target_text, actual_text)
    items = _parts(cells, (target_at, actual_at), line, sink)
    actual = in_target_unit(target, actual)
    verdict, parts = judge_row(target, actual, items, (level1, level2, name))
    # by position, in field order: keywords cost a dict per object in type.__call__
    return Indicator(
        level1, points, level2, name, target, actual,
        weight, score, note, parts, verdict, extra, line.where, goal,
    )  # fmt: skip


def _target_text(a: dict[str, Cell]) -> str:
    """The target cell, or the split target's parts joined: ``≧`` ``95`` ``%`` → ``≧95%``.

    The nature of an indicator (定性 / 定量 / 正向 …) is not part of its value.
    """
    value = _text(a, "target").strip()
    if "target_op" not in a and "target_unit" not in a:
        return value
    op = _text(a, "target_op").strip()
    if vocab.label_key(op) in NATURES:
        op = ""
    unit = _text(a, "target_unit").strip()
    if not value or value.endswith(unit):
        unit = ""  # a unit already written with the figure, or nothing to qualify
    return f"{op}{value}{unit}"


def _figure(a: dict[str, Cell], role: str, sink: Sink) -> Decimal | None:
    cell = a.get(role)
    if cell is None:
        return None
    n = read_points(cell.norm)  # a dash never reads as a figure
    if n is None:
        if is_dash(cell.text):
            return None
        sink.note(
            "unreadable_figure", "warning", f"cannot read {cell.text!r} as {role}", cell.where
        )
        sink.keep(cell, "indicators")
    return n


def _parts(
    cells: tuple[str | None, str, str],
    where: tuple[str | None, str | None],
    line: Line,
    sink: Sink,
) -> list[tuple[str | None, Value | None, Value | None]]:
    """Numbered ``1.… 2.…`` name, target and actual cells → (name, target, actual)
    of each part, item by item; ``where`` locates the target and actual cells."""
    lists = [numbered_items(t) if t else None for t in cells]
    if not any(lists):  # (a list of items is never empty)
        return []
    count = max(len(x) for x in lists if x is not None)
    if any(x is None or len(x) != count for x in lists):
        sink.note(
            "parts_mismatch",
            "warning",
            "numbered cells of one row hold different item counts",
            line.where,
        )
    names, targets, actuals = (x or () for x in lists)
    return [
        (
            tidy(names[k]) if k < len(names) else None,
            parse_value(targets[k]).at(where[0]) if k < len(targets) else None,
            parse_value(actuals[k]).at(where[1]) if k < len(actuals) else None,
        )
        for k in range(count)
    ]


def _infer_level2(out: list[Indicator], missing: list[int], sink: Sink) -> list[Indicator]:
    """Fill a left-out level-2 label from the canonical order of its level-1 group.

    Seed 000 leaves 数量指标 out before 质量指标 under 产出指标: the label before
    the next explicit one is the only one that fits.
    """
    explicit = {(o.level1, o.level2) for o in out if o.level2}
    for k in missing:
        ind = out[k]
        order = vocab.LEVEL2_ORDER.get(vocab.label_key(ind.level1 or ""))
        guess = None
        if order:
            nxt = next(
                (
                    vocab.label_key(o.level2)
                    for o in out[k + 1 :]
                    if o.level1 == ind.level1 and o.level2
                ),
                None,
            )
            used = {vocab.label_key(l2) for l1, l2 in explicit if l1 == ind.level1}
            if nxt in order and order.index(nxt) > 0 and order[order.index(nxt) - 1] not in used:
                guess = order[order.index(nxt) - 1]
        if guess is None:
            sink.note("level2_missing", "info", "row has no level-2 label", ind.where)
            continue
        sink.note(
            "level2_inferred",
            "info",
            f"level-2 label {guess} inferred from the order of {ind.level1}",
            ind.where,
        )
        inferred = attrs.evolve(ind, level2=guess)
        if is_cost(ind.level1, guess, ind.name) != is_cost(ind.level1, ind.level2, ind.name):
            inferred = with_attainment(inferred)  # 成本 decides it: judged anew
        out[k] = inferred
    return out
