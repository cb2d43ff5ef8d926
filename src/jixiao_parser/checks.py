"""Consistency checks and target attainment: does the form add up, was each target met?

Every report gets ``checks`` (one :class:`~jixiao_parser.Check` per rule and
line or indicator it applies to, each with a stable ``code``) and each
indicator its ``attained`` (true / false / null). Tolerances follow how forms
round: a figure printed with two decimals is right when it is within half a
unit of its last printed digit of the exact value.

Codes: ``execution_rate`` (executed / annual budget), ``funding_score`` (weight
× rate, capped at the weight), ``funding_subtotal`` (sub-lines add up to the
total line), ``score_within_weight``, ``weights_total`` (indicator weights plus
the funding weight make the total weight), ``level1_points`` (weights under a
"(50分)" level-1 label add up to it), ``scores_total`` (indicator scores plus
the funding score make the total score), ``full_marks_unmet`` (full marks
claimed for a target that was not met).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Context, Decimal, localcontext

import attrs

from .model import Check, Funding, FundingLine, Indicator, Report, Total
from .values.attainment import is_cost, with_attainment
from .values.kinds import attained
from .values.words import MONEY_UNITS

__all__ = [
    "attained",
    "check_report",
    "check_sections",
    "is_cost",
    "run_checks",
    "with_attainment",
]

_SUB_ROLES = ("current_appropriation", "carryover", "other", "special_account", "unit_funds")
_MONEY = ("initial_budget", "annual_budget", "executed")
# The checks' arithmetic: wide enough for any figure a form's cell can state (a
# figure is at most 40 characters), so that a 39-digit weight or a rate with 30
# decimals is checked like any other, never an InvalidOperation. Exponents stay
# within what a cell can write.
_WIDE = Context(prec=200, Emax=10_000, Emin=-10_000)


def _half_unit(stated: Decimal) -> Decimal:
    """Half a unit of the last digit ``stated`` was written with (9.73 → 0.005)."""
    exponent = stated.as_tuple().exponent
    return Decimal(5).scaleb(int(exponent) - 1) if isinstance(exponent, int) else Decimal(0)


# Checks are built as Check(code, ok, message, expected, stated), by position:
# keywords cost a dict per object in type.__call__, and a form has dozens.


def _fmt(x: Decimal) -> str:
    return format(x.normalize(), "f")


# -- funding -------------------------------------------------------------------


def _rate_checks(line: FundingLine) -> list[Check]:
    out: list[Check] = []
    base = line.annual_budget if line.annual_budget else line.initial_budget
    rate = line.execution_rate
    # half a unit of the stated rate: both checks allow for it
    rate_half = _half_unit(rate) if rate is not None else Decimal(0)
    if line.executed is not None and base and rate is not None:
        exact = line.executed / base
        ok = abs(exact - rate) <= rate_half + Decimal("1e-12")
        expected = exact.quantize(Decimal(1).scaleb(min(-4, int(rate.as_tuple().exponent))))
        msg = (
            f"{line.label}: executed {_fmt(line.executed)} / budget {_fmt(base)} = {_fmt(expected)}"
        )
        msg += "" if ok else f", form states {_fmt(rate)}"
        out.append(Check("execution_rate", ok, msg, expected, rate))
    if line.weight is not None and line.score is not None:
        if rate is None and line.executed is not None and base:
            rate = line.executed / base
            rate_half = _half_unit(rate)
        if rate is not None:
            exact = min(line.weight, line.weight * rate)
            tolerance = _half_unit(line.score) + line.weight * rate_half + Decimal("1e-12")
            ok = abs(exact - line.score) <= tolerance
            expected = exact.quantize(Decimal("0.01"))
            msg = f"{line.label}: weight {_fmt(line.weight)} × rate {_fmt(rate)} = {_fmt(expected)}"
            msg += "" if ok else f", form states {_fmt(line.score)}"
            out.append(Check("funding_score", ok, msg, expected, line.score))
    return out


def _subtotal_checks(funding: Funding) -> list[Check]:
    totals = [ln for ln in funding.lines if ln.role == "total"]
    subs = [ln for ln in funding.lines if ln.role in _SUB_ROLES]
    if len(totals) != 1 or not subs:
        return []
    total = totals[0]
    step = Decimal("0.01") * MONEY_UNITS.get(funding.unit or "", Decimal(1))  # a cent, in yuan
    out = []
    for field in _MONEY:
        stated = getattr(total, field)
        parts = [getattr(s, field) for s in subs]
        if stated is None or all(p is None for p in parts):
            continue
        expected = sum((p for p in parts if p is not None), Decimal(0))
        ok = abs(expected - stated) <= step * len(subs) / 2
        msg = f"{field}: sub-lines add up to {_fmt(expected)}, total line states {_fmt(stated)}"
        out.append(Check("funding_subtotal", ok, msg, expected, stated))
    return out


# -- indicators ---------------------------------------------------------------


def _indicator_checks(
    indicators: Iterable[Indicator], funding: Funding, total: Total
) -> list[Check]:
    inds = list(indicators)
    out: list[Check] = []
    for ind in inds:
        if ind.weight is not None and ind.score is not None:
            ok = ind.score <= ind.weight
            msg = f"{_name(ind)}: score {_fmt(ind.score)} of weight {_fmt(ind.weight)}"
            out.append(Check("score_within_weight", ok, msg, ind.weight, ind.score))
        if (
            ind.attained is False
            and ind.weight is not None
            and ind.score == ind.weight
            and ind.weight > 0
        ):
            pair = f"{ind.target.raw!r} → {ind.actual.raw!r}"
            msg = f"{_name(ind)}: full marks for a target not met ({pair})"
            out.append(Check("full_marks_unmet", False, msg, Decimal(0), ind.score))
    funding_total = next((ln for ln in funding.lines if ln.role == "total"), None)
    funding_weight = funding_total.weight if funding_total else None
    funding_score = funding_total.score if funding_total else None
    weights = [i.weight for i in inds if i.weight is not None]
    if total.weight is not None and weights:
        expected = sum(weights, Decimal(0)) + (funding_weight or 0)
        msg = f"weights + funding weight = {_fmt(expected)}, total states {_fmt(total.weight)}"
        ok = expected == total.weight
        out.append(Check("weights_total", ok, msg, expected, total.weight))
    scores = [i.score for i in inds if i.score is not None]
    if total.score is not None and scores:
        expected = sum(scores, Decimal(0)) + (funding_score or 0)
        tolerance = Decimal("0.005") * (len(scores) + 1) + _half_unit(total.score)
        msg = f"scores + funding score = {_fmt(expected)}, total states {_fmt(total.score)}"
        ok = abs(expected - total.score) <= tolerance
        out.append(Check("scores_total", ok, msg, expected, total.score))
    groups: dict[tuple[str | None, Decimal], list[Decimal]] = defaultdict(list)
    for ind in inds:
        if ind.level1_points is not None:
            groups[(ind.level1, ind.level1_points)].append(ind.weight or Decimal(0))
    for (level1, points), ws in groups.items():
        expected = sum(ws, Decimal(0))
        msg = f"{level1}: weights add up to {_fmt(expected)}, label says {_fmt(points)}分"
        out.append(Check("level1_points", expected == points, msg, expected, points))
    return out


def _name(ind: Indicator) -> str:
    name = ind.name or ind.level2 or ind.level1 or "?"
    return name if len(name) <= 30 else name[:29] + "…"


# -- the whole report ----------------------------------------------------------------


def run_checks(report: Report) -> tuple[Check, ...]:
    """All consistency checks of ``report`` (attainment must already be set)."""
    return check_sections(report.funding, report.indicators, report.total)


def check_sections(
    funding: Funding, indicators: Iterable[Indicator], total: Total
) -> tuple[Check, ...]:
    """The consistency checks of a form's funding, indicators and total (what
    :func:`run_checks` checks of a report, before the report is built)."""
    out: list[Check] = []
    with localcontext(_WIDE):
        for line in funding.lines:
            out.extend(_rate_checks(line))
        out.extend(_subtotal_checks(funding))
        out.extend(_indicator_checks(indicators, funding, total))
    return tuple(out)


def with_checks(report: Report) -> Report:
    """``report`` with ``checks`` filled, trusting the ``attained`` already set on
    its indicators (the parser sets them; :func:`check_report` sets them anew)."""
    return attrs.evolve(report, checks=run_checks(report))


def check_report(report: Report) -> Report:
    """``report`` with ``attained`` set on every indicator (and part) and ``checks`` filled.

    >>> from jixiao_parser import parse
    >>> r = parse("corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt")  # doctest: +SKIP
    >>> [c.code for c in r.checks if not c.ok]                          # doctest: +SKIP
    ['execution_rate']
    """
    indicators = tuple([with_attainment(i) for i in report.indicators])
    return with_checks(attrs.evolve(report, indicators=indicators))
