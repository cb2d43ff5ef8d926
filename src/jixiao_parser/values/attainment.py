"""Attainment of an indicator row: its target against its actual, part by part.

The one place an indicator's ``attained`` is decided: the indicator parser
calls :func:`judge_row` as it builds each row, and :func:`with_attainment` again
for a row whose level-2 label it infers afterwards (a cost label changes the
rule); :func:`jixiao_parser.checks.check_report` calls :func:`with_attainment`
to judge a report anew. The rule for each pair
of values is the target's value kind's (:mod:`jixiao_parser.values.kinds`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import attrs

from ..model import Indicator, Part, Value
from .kinds import REGISTRY
from .kinds.comparison import written_multiplier
from .words import COST_WORDS

__all__ = ["in_target_unit", "is_cost", "judge_row", "with_attainment"]

# :func:`jixiao_parser.values.kinds.attained`, called without its wrapper (a row
# asks it once, and once per part)
attained = REGISTRY.attained


@functools.lru_cache(maxsize=4096)  # a form asks for each of its rows' labels
def is_cost(level1: str | None, level2: str | None, name: str | None) -> bool:
    """Whether an indicator is a cost one (成本指标), by its labels: then a bare
    or ``=`` figure is a ceiling, not a goal to reach.

    >>> is_cost("成本指标", None, "单位成本"), is_cost("产出指标", "数量指标", "场次")
    (True, False)
    """
    labels = (level1 or "", level2 or "", name or "")
    return any(word in label for word in COST_WORDS for label in labels)


def in_target_unit(target: Value, actual: Value) -> Value:
    """``actual`` read in the target's unit and multiplier when it is a bare figure
    beside a target with a unit (``unit_inherited``); else ``actual`` itself.

    The multiplier is taken when the figure is nearer the target as written
    (``6.2`` beside ``≥5万元`` is 62000 元) than the target in yuan (``62000``
    beside ``≥5万元`` stays 62000 元). Percent targets are left to the attainment
    rule, which reads a bare figure as a ratio or a percent.

    >>> from jixiao_parser import parse_value as v
    >>> a = in_target_unit(v("≥5万元"), v("6.2"))
    >>> (a.value, a.unit, a.unit_inherited, a.raw)
    (Decimal('62000.0'), '元', True, '6.2')
    >>> [in_target_unit(v("≥5万元"), v(t)).value for t in ("62000", "6.2万元")]
    [Decimal('62000'), Decimal('62000.0')]
    >>> in_target_unit(v("≥50个"), v("50")).unit, in_target_unit(v("≥95%"), v("96")).unit
    ('个', None)
    """
    if (
        actual.unit is not None  # most actuals: first
        or target.unit is None
        or actual.kind != "comparison"
        or actual.subject is not None
        or actual.value is None
        or target.ratio is not None
        or target.value is None
        or target.kind not in _FIGURE_KINDS
    ):
        return actual
    value = actual.value
    scale = written_multiplier(target.raw)
    if scale != 1 and value > 0 and target.value > 0:
        written = target.value / scale
        # nearer the written figure than the scaled one: below their geometric mean
        if value * value < written * target.value:
            value *= scale
    return actual.in_unit(value, target.unit)


_FIGURE_KINDS = frozenset(("comparison", "duration"))


def judge_row(
    target: Value,
    actual: Value,
    parts: Sequence[tuple[str | None, Value | None, Value | None]],
    labels: tuple[str | None, str | None, str | None],
) -> tuple[bool | None, tuple[Part, ...]]:
    """The row's verdict and its judged parts; ``labels`` are (level1, level2, name).

    ``actual`` is judged as given: read it :func:`in_target_unit` first. The parts'
    actuals are read so here.

    >>> from jixiao_parser import parse_value as v
    >>> verdict, parts = judge_row(v("≥95%"), v("96%"), [("甲", v("=2场"), v("1场"))],
    ...                            ("产出指标", None, "甲"))
    >>> verdict, [p.attained for p in parts]
    (True, [False])
    """
    cost = is_cost(*labels)
    if not parts:
        return attained(target, actual, cost=cost), ()
    judged = []
    for name, t, a in parts:
        if t is None or a is None:
            judged.append(Part(name, t, a, None))
        else:
            a = in_target_unit(t, a)
            judged.append(Part(name, t, a, attained(t, a, cost=cost)))
    return attained(target, actual, cost=cost), tuple(judged)


def with_attainment(ind: Indicator) -> Indicator:
    """``ind`` with ``attained`` set on it and its parts (itself when already right);
    a bare actual is read in its target's unit (:func:`in_target_unit`)."""
    actual = in_target_unit(ind.target, ind.actual)
    verdict, parts = judge_row(
        ind.target,
        actual,
        [(p.name, p.target, p.actual) for p in ind.parts],
        (ind.level1, ind.level2, ind.name),
    )
    if verdict is ind.attained and parts == ind.parts and actual is ind.actual:
        return ind
    return attrs.evolve(ind, actual=actual, parts=parts, attained=verdict)
