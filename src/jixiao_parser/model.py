"""The typed result of parsing: frozen attrs classes and their ``jixiao/1`` dicts.

Amounts, weights, scores and value figures are :class:`decimal.Decimal`;
``to_dict()`` turns them into exact JSON numbers (``int`` when integral,
else ``float`` whose shortest repr is the decimal as written)::

    >>> from jixiao_parser import parse
    >>> report = parse("../shared/seeds/000_f4fd78449f7adfd3.txt")  # doctest: +SKIP
    >>> report.funding.lines[0].executed                            # doctest: +SKIP
    Decimal('965043.97')
    >>> report.to_dict()["funding"]["lines"][0]["executed"]         # doctest: +SKIP
    965043.97
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs

__all__ = [
    "SCHEMA_ID",
    "Check",
    "Diagnostic",
    "Funding",
    "FundingLine",
    "GoalItem",
    "Goals",
    "Header",
    "Indicator",
    "Leftover",
    "Part",
    "Report",
    "Source",
    "Total",
    "Value",
]

SCHEMA_ID = "jixiao/1"

_C = TypeVar("_C", bound=type)


def pickled_by_fields(cls: _C) -> _C:
    """Pickle instances of the attrs class ``cls`` as ``cls(*fields)``.

    attrs pickles a slotted class as a dict per object; a tuple is smaller and
    quicker both ways, and :func:`~jixiao_parser.parse_many` sends every report
    from a worker process back to the caller. The fields go by position: such
    pickles move reports between processes of one installation; to store
    reports, write ``to_dict()`` / ``to_json()``. A subclass pickles by its own
    fields.

    >>> import pickle
    >>> pickle.loads(pickle.dumps(Source("a.txt", "text", 0))) == Source("a.txt", "text", 0)
    True
    """
    getters: dict[type, Callable[[Any], tuple[Any, ...]]] = {}

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        kind = type(self)
        fields = getters.get(kind)
        if fields is None:
            names = [a.name for a in attrs.fields(kind)]
            fields = getters[kind] = (
                operator.attrgetter(*names)
                if len(names) > 1
                else lambda obj: (getattr(obj, names[0]),)
            )
        return kind, fields(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls


def _num(x: Decimal | None) -> int | float | None:
    """Decimal → exact JSON number (int when integral)."""
    if x is None:
        return None
    if x == x.to_integral_value():
        return int(x)
    return float(x)


@pickled_by_fields
@attrs.frozen
class Value:
    """A typed target or actual cell.

    >>> from jixiao_parser import parse_value
    >>> v = parse_value("≥95%")
    >>> (v.kind, v.op, v.value, v.unit, v.ratio)
    ('comparison', '>=', Decimal('95'), '%', Decimal('0.95'))
    """

    raw: str
    kind: str
    op: str | None = None
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    ratio: Decimal | None = None
    subject: str | None = None
    approx: str | None = None
    date: str | None = None
    items: tuple[Value, ...] = ()
    placeholder: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``jixiao/1`` Value object (see SCHEMA.md)."""
        return {
            "raw": self.raw,
            "kind": self.kind,
            "op": self.op,
            "value": _num(self.value),
            "upper": _num(self.upper),
            "unit": self.unit,
            "ratio": _num(self.ratio),
            "subject": self.subject,
            "approx": self.approx,
            "date": self.date,
            "items": [i.to_dict() for i in self.items],
            "placeholder": self.placeholder,
        }


@pickled_by_fields
@attrs.frozen
class Source:
    """Where a report came from: ``path`` (None for in-memory input), ``format``,
    ``form_index`` (0-based) and ``pages`` (first, last) for paged formats."""

    path: str | None
    format: str
    form_index: int
    pages: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "form_index": self.form_index,
            "pages": list(self.pages) if self.pages else None,
        }


@pickled_by_fields
@attrs.frozen
class Header:
    """The header block: well-known fields plus every label → value pair as read."""

    project_name: str | None = None
    project_code: str | None = None
    supervisor: str | None = None
    implementer: str | None = None
    budget_unit: str | None = None
    fields: dict[str, str | None] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_name": self.project_name,
            "project_code": self.project_code,
            "supervisor": self.supervisor,
            "implementer": self.implementer,
            "budget_unit": self.budget_unit,
            "fields": dict(self.fields),
        }


@pickled_by_fields
@attrs.frozen
class FundingLine:
    """One row of the funding matrix; money in yuan, ``execution_rate`` a ratio."""

    label: str
    role: str
    initial_budget: Decimal | None = None
    annual_budget: Decimal | None = None
    executed: Decimal | None = None
    weight: Decimal | None = None
    execution_rate: Decimal | None = None
    score: Decimal | None = None
    extra: dict[str, str] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "role": self.role,
            "initial_budget": _num(self.initial_budget),
            "annual_budget": _num(self.annual_budget),
            "executed": _num(self.executed),
            "weight": _num(self.weight),
            "execution_rate": _num(self.execution_rate),
            "score": _num(self.score),
            "extra": dict(self.extra),
        }


@pickled_by_fields
@attrs.frozen
class Funding:
    """The funding block: the money ``unit`` the form states and its lines."""

    unit: str | None = None
    lines: tuple[FundingLine, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "lines": [line.to_dict() for line in self.lines]}


@pickled_by_fields
@attrs.frozen
class GoalItem:
    """One goal of a form with repeated goal sub-tables (``年度绩效目标1(40分)``)."""

    label: str
    points: Decimal | None
    text: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "points": _num(self.points), "text": self.text}


@pickled_by_fields
@attrs.frozen
class Goals:
    """Planned (预期目标) and actual (实际完成情况) goal texts, and the goal
    sub-tables of forms that repeat them (``items``)."""

    planned: str | None = None
    actual: str | None = None
    items: tuple[GoalItem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "planned": self.planned,
            "actual": self.actual,
            "items": [i.to_dict() for i in self.items],
        }


@pickled_by_fields
@attrs.frozen
class Part:
    """One numbered item of a multi-item indicator row."""

    name: str | None
    target: Value | None
    actual: Value | None
    attained: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target": self.target.to_dict() if self.target else None,
            "actual": self.actual.to_dict() if self.actual else None,
            "attained": self.attained,
        }


@pickled_by_fields
@attrs.frozen
class Indicator:
    """One row of the indicator table."""

    level1: str | None
    level1_points: Decimal | None
    level2: str | None
    name: str | None
    target: Value
    actual: Value
    weight: Decimal | None = None
    score: Decimal | None = None
    note: str | None = None
    parts: tuple[Part, ...] = ()
    attained: bool | None = None
    extra: dict[str, str] = attrs.field(factory=dict)
    where: str | None = None
    goal: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level1": self.level1,
            "level1_points": _num(self.level1_points),
            "level2": self.level2,
            "name": self.name,
            "target": self.target.to_dict(),
            "actual": self.actual.to_dict(),
            "weight": _num(self.weight),
            "score": _num(self.score),
            "note": self.note,
            "parts": [p.to_dict() for p in self.parts],
            "attained": self.attained,
            "extra": dict(self.extra),
            "where": self.where,
            "goal": self.goal,
        }


@pickled_by_fields
@attrs.frozen
class Total:
    """The 总分 / 合计 row: total ``weight``, ``score`` and a grade word when printed."""

    weight: Decimal | None = None
    score: Decimal | None = None
    grade: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"weight": _num(self.weight), "score": _num(self.score), "grade": self.grade}


@pickled_by_fields
@attrs.frozen
class Check:
    """A consistency check: ``ok`` with the ``expected`` and ``stated`` figures."""

    code: str
    ok: bool
    message: str
    expected: Decimal | None = None
    stated: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "ok": self.ok,
            "message": self.message,
            "expected": _num(self.expected),
            "stated": _num(self.stated),
        }


@pickled_by_fields
@attrs.frozen
class Diagnostic:
    """Something the parser inferred or could not read, with its location."""

    code: str
    severity: str  # "info" | "warning" | "error"
    message: str
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "where": self.where,
        }


@pickled_by_fields
@attrs.frozen
class Leftover:
    """A non-empty cell of the form that no field took, kept with its location."""

    text: str
    where: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "where": self.where}


@pickled_by_fields
@attrs.frozen
class Report:
    """One parsed form. ``to_dict()`` / ``to_json()`` give the ``jixiao/1`` contract."""

    kind: str
    title: str | None
    year: int | None
    source: Source
    header: Header
    funding: Funding
    goals: Goals
    indicators: tuple[Indicator, ...]
    total: Total
    footer: dict[str, str | None] = attrs.field(factory=dict)
    checks: tuple[Check, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    leftover: tuple[Leftover, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data, keyed as in SCHEMA.md.

        >>> from jixiao_parser import parse_text
        >>> d = parse_text("项目支出绩效自评表\\n项目名称\\t示例项目\\n")[0].to_dict()
        >>> d["schema"], d["header"]["project_name"]
        ('jixiao/1', '示例项目')
        """
        return {
            "schema": SCHEMA_ID,
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
            "source": self.source.to_dict(),
            "header": self.header.to_dict(),
            "funding": self.funding.to_dict(),
            "goals": self.goals.to_dict(),
            "indicators": [i.to_dict() for i in self.indicators],
            "total": self.total.to_dict(),
            "footer": {"fields": dict(self.footer)},
            "checks": [c.to_dict() for c in self.checks],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "leftover": [x.to_dict() for x in self.leftover],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text (UTF-8 characters kept, not escaped).

        >>> from jixiao_parser import parse_text
        >>> parse_text("项目支出绩效自评表\\n项目名称\\t示例\\n")[0].to_json(indent=None)[:21]
        '{"schema": "jixiao/1"'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
