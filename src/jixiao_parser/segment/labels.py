"""What a line says by its labels: a title, a year, a section's first row.

Each predicate reads a :class:`~jixiao_parser.document.Line` by the label
vocabulary (:mod:`jixiao_parser.vocab`) on its cells' normalised text, never
by its position in the document.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from .. import vocab
from ..document import Line

__all__ = [
    "FUNDING_ROLE",
    "GOAL_ROLE",
    "HEADER_ROLE",
    "INDICATOR_ROLE",
    "goal_subtable",
    "heading_of",
    "is_footer_row",
    "is_funding_columns",
    "is_funding_start",
    "is_goals_start",
    "is_header_row",
    "is_indicator_header",
    "is_title",
    "is_total",
    "labels",
    "starts_project",
    "year_of_line",
]

#: the role of a cell's normalised text in each label table (cached lookups)
HEADER_ROLE = vocab.finder(vocab.HEADER_FIELDS)
FUNDING_ROLE = vocab.finder(vocab.FUNDING_COLUMNS, prefix=True)
GOAL_ROLE = vocab.finder(vocab.GOAL_LABELS)
INDICATOR_ROLE = vocab.finder(vocab.INDICATOR_COLUMNS)

_YEAR_LINE = regex.compile(r"^[(（]?\s*(?P<y>(?:19|20)\d\d)\s*年度?\s*[)）]?$")
_VALUE_ROLES = frozenset({"target", "actual", "target_op"})
_GOAL_SUBTABLE = regex.compile(
    rf"^(?P<label>(?:{'|'.join(sorted(vocab.GOAL_SUBTABLE, key=len, reverse=True))})\d+)"
    r"(?:[(](?P<points>\d+(?:\.\d+)?)分[)])?$"
)


def labels(line: Line, find: Callable[[str], str | None]) -> list[str]:
    """The roles ``find`` gives the line's filled cells, those it knows only."""
    return [r for r in line.roles(find) if r]


def _known(line: Line, find: Callable[[str], str | None]) -> set[str | None]:
    """The distinct roles ``find`` gives the line's filled cells, ``None`` left out."""
    found = set(line.roles(find))
    found.discard(None)
    return found


def is_title(line: Line) -> bool:
    """A short line naming a self-evaluation form (``项目支出绩效自评表``)."""
    filled = line.filled
    if len(filled) != 1 or len(filled[0].text) > 60:
        return False
    return bool(vocab.TITLE.search(vocab.label_key(filled[0].norm)))


def year_of_line(line: Line) -> int | None:
    """``(2021 年度)`` / ``（2023年度）`` on a line of its own."""
    filled = line.filled
    if len(filled) != 1:
        return None
    m = _YEAR_LINE.match(filled[0].norm)
    return int(m.group("y")) if m else None


def is_header_row(line: Line) -> bool:
    return not line.paragraph and any(line.roles(HEADER_ROLE))


def starts_project(line: Line) -> bool:
    return "project_name" in line.roles(HEADER_ROLE)


def is_funding_columns(line: Line) -> bool:
    """A row of three or more money column labels (``年初预算数 全年预算数 全年执行数``)."""
    return len(_known(line, FUNDING_ROLE)) >= 3


def is_funding_start(line: Line) -> bool:
    if line.paragraph:
        return False
    if is_funding_columns(line):
        return True
    first = line.filled[0].norm if line.filled else ""
    return vocab.label_key(first).startswith(vocab.FUNDING_SECTION)


def is_goals_start(line: Line) -> bool:
    if line.paragraph:
        return False
    return any(line.roles(GOAL_ROLE)) or goal_subtable(line) is not None


def is_indicator_header(line: Line, below: Line | None = None) -> bool:
    """A row of indicator column labels (``一级指标 … 三级指标 年度指标值 …``), alone
    or completed by the row ``below`` (a two-row header whose first row only
    says ``绩效指标 … 年度指标值 实际完成值``)."""
    roles = _known(line, INDICATOR_ROLE)
    if len(roles) < 2:
        return False  # most rows: too few labels even with the row below
    if below is not None:
        roles |= _known(below, INDICATOR_ROLE)
    return "name" in roles and bool(roles & _VALUE_ROLES) and len(roles) >= 3


def goal_subtable(line: Line) -> tuple[str, str | None] | None:
    """``年度绩效目标1(40分)`` opening a repeated goal sub-table → (label, points)."""
    filled = line.filled
    if not filled:
        return None
    key = vocab.label_key(filled[0].norm)
    if not key.startswith(vocab.GOAL_SUBTABLE):
        return None  # what _GOAL_SUBTABLE opens with
    m = _GOAL_SUBTABLE.match(key)
    return (m.group("label"), m.group("points")) if m else None


def heading_of(line: Line) -> str | None:
    """The section a row that only names a section opens (``四、年度绩效指标完成情况``)."""
    filled = line.filled
    if not filled:
        return None
    heading = vocab.section_heading(filled[0].norm)
    if heading is None or len({c.text for c in filled}) != 1:
        return None  # (the heading first: most rows name none)
    return heading


def is_footer_row(line: Line) -> bool:
    """A row led by a footer label (``评价结论``, ``项目负责人:张三``)."""
    filled = line.filled
    if not filled:
        return False
    key = vocab.label_key(filled[0].norm)
    return key in vocab.FOOTER_LABELS or key.split(":", 1)[0] in vocab.FOOTER_LABELS


def is_total(line: Line) -> bool:
    filled = line.filled
    return bool(filled) and vocab.label_key(filled[0].norm) in vocab.TOTAL_LABELS
