"""Column headers, found once: which rows of a table section are its header,
and which role each column plays.

Segmentation resolves them here and hands each section parser a
:class:`SectionTable`: the rows under a header and a :class:`ColumnMap` of the
header's columns (role → column and column → role). Section parsers align
cells against the map; they never look for a header again.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .. import vocab
from ..document import Cell, Line
from ..figures import read_decimal
from .labels import (
    FUNDING_ROLE,
    INDICATOR_ROLE,
    goal_subtable,
    is_funding_columns,
    is_indicator_header,
)

__all__ = [
    "ColumnMap",
    "SectionTable",
    "count_header_lines",
    "funding_columns",
    "header_roles",
    "is_sub_header",
    "split_funding",
    "split_indicators",
]


@attrs.frozen
class ColumnMap:
    """A table's column header: its rows and the role of each column.

    ``roles`` lists (role, col) in column order; ``col_of`` maps a role to its
    column, ``role_at`` a column to its role.
    """

    lines: tuple[Line, ...]
    roles: tuple[tuple[str, int], ...]
    col_of: dict[str, int] = attrs.field(eq=False)
    role_at: dict[int, str] = attrs.field(eq=False)

    @classmethod
    def of(cls, lines: tuple[Line, ...], roles: Sequence[tuple[str, int]]) -> ColumnMap:
        """The map of ``roles`` read from header ``lines``.

        >>> ColumnMap.of((), [("name", 2), ("target", 3)]).role_at
        {2: 'name', 3: 'target'}
        """
        return cls(lines, tuple(roles), dict(roles), {col: role for role, col in roles})


@attrs.frozen
class SectionTable:
    """The rows of a table section under one column header (``columns`` is
    ``None`` for rows before any header); a repeated header is not among them."""

    columns: ColumnMap | None
    rows: tuple[Line, ...]


# -- the indicator table ------------------------------------------------------


def split_indicators(lines: tuple[Line, ...]) -> tuple[tuple[Line, ...], SectionTable | None]:
    """The indicator section → (the goal sub-table rows before its header, the table).

    ``年度绩效目标1(40分)`` rows may open the section; then come one or two header
    rows and sub-header rows (``指标性质 | 指标值 | 度量单位``); the header
    repeated after a page break or a goal sub-table is dropped from the rows.
    """
    start = next(
        (k for k, ln in enumerate(lines) if goal_subtable(ln) is None or is_indicator_header(ln)),
        len(lines),
    )
    rest = lines[start:]
    if not rest:
        return lines[:start], None
    goals = lines[:start]
    if goal_subtable(rest[0]) is not None:
        # 年度绩效目标1(80分) | 二级指标 | …: the goal's label heads the header row
        goals = (*goals, Line((rest[0].filled[0],)))
    n_header = count_header_lines(rest)
    header = rest[:n_header]
    rows = tuple(ln for ln in rest[n_header:] if not _repeats_header(ln))
    return goals, SectionTable(ColumnMap.of(header, header_roles(header)), rows)


def count_header_lines(lines: tuple[Line, ...]) -> int:
    """How many lines at the top are header rows (one, or a two-row header,
    then sub-header rows)."""
    if not lines:
        return 0
    count = 1
    if (
        len(lines) > 1
        and not is_indicator_header(lines[0])
        and is_indicator_header(lines[0], lines[1])
    ):
        count = 2
    while count < len(lines) and is_sub_header(lines[count]):
        count += 1
    return count


def _repeats_header(line: Line) -> bool:
    """A header or sub-header row again (after a page break or a goal sub-table);
    either holds two labels at least, which most rows settle."""
    roles = line.roles(INDICATOR_ROLE)
    if len(roles) - roles.count(None) < 2:
        return False
    return is_indicator_header(line) or is_sub_header(line)


_SPLIT_PARTS = frozenset({"target_op", "target_unit", "target", "weight", "score"})


def is_sub_header(line: Line) -> bool:
    """A second header row of column labels (``指标性质 | 指标值 | 度量单位``,
    ``单项指标得分 | 权重占比(%) | 单项指标折算得分``): two or more known labels,
    among them a part of a split target or of a split score, and no figures."""
    roles = set(line.roles(INDICATOR_ROLE)) - {None}
    if len(roles) < 2 or roles.isdisjoint(_SPLIT_PARTS):
        return False
    return all(read_decimal(c.norm) is None for c in line.filled)


def header_roles(lines: Sequence[Line]) -> list[tuple[str, int]]:
    """``一级指标\\t二级指标\\t三级指标\\t年度指标值…`` → [(role, col), …].

    With several header rows (``年度指标值`` over ``指标性质 | 指标值 | 度量单位``)
    the lowest label of each column wins. Unknown columns become
    ``extra:<label>``; a leading group label (``年度绩效指标``) is the ``group`` role.
    """
    by_col = {cell.col: cell for row in lines for cell in row.filled}
    roles: list[tuple[str, int]] = []
    seen: set[str] = set()
    for col in sorted(by_col):
        cell = by_col[col]
        role = INDICATOR_ROLE(cell.norm)
        written = "".join(cell.text.split())  # extra columns keep their label as written
        if role is None:
            role = "group" if _group_label(cell) else f"extra:{written}"
        if role in seen:
            role = f"extra:{written}"
        seen.add(role)
        roles.append((role, cell.col))
    if not roles or roles[0][0] != "group":
        roles.insert(0, ("group", (roles[0][1] if roles else 0) - 1))
    elif "level1" not in seen and len(roles) > 1 and roles[1] == ("level2", roles[0][1] + 1):
        # 年度绩效指标 | 二级指标 | …: the group label heads the level-1 column
        roles[0] = ("level1", roles[0][1])
    return roles


def _group_label(cell: Cell) -> bool:
    """``年度绩效指标``, ``绩效指标(90分)``, ``年度绩效目标1 (80分)``: a label naming
    the indicator section or a goal sub-table, standing in a header row."""
    # (the group labels, 绩效指标 …, are section headings of the indicators too)
    if vocab.section_heading(cell.norm) == "indicators":
        return True
    return goal_subtable(Line((cell,))) is not None


# -- the funding block ---------------------------------------------------------


def split_funding(lines: tuple[Line, ...]) -> tuple[SectionTable, ...]:
    """The funding block → its rows under each column header row, in order.

    ``项目资金 (元) | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分``
    is a header row; rows before the first one have no columns.
    """
    parts: list[SectionTable] = []
    columns: ColumnMap | None = None
    rows: list[Line] = []
    for line in lines:
        found = funding_columns(line)
        if found is None:
            rows.append(line)
            continue
        if columns is not None or rows:
            parts.append(SectionTable(columns, tuple(rows)))
        columns, rows = found, []
    if columns is not None or rows:
        parts.append(SectionTable(columns, tuple(rows)))
    return tuple(parts)


def funding_columns(line: Line) -> ColumnMap | None:
    """A row of three or more money column labels → its map; other columns
    (``追加预算②``, ``原因`` …) become ``extra:<label as written>``."""
    if line.paragraph or not is_funding_columns(line):
        return None
    found = line.roles(FUNDING_ROLE)
    role_at = {c.col: r for c, r in zip(line.filled, found, strict=True) if r}
    for c in line.filled:
        if c.col not in role_at and not vocab.label_key(c.norm).startswith(vocab.FUNDING_SECTION):
            role_at[c.col] = "extra:" + "".join(c.text.split())  # label as written
    return ColumnMap.of((line,), sorted(((r, k) for k, r in role_at.items()), key=_col))


def _col(role_col: tuple[str, int]) -> int:
    return role_col[1]
