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
from .kinds import attained
from .words import COST_WORDS

__all__ = ["is_cost", "judge_row", "with_attainment"]


@functools.lru_cache(maxsize=4096)  # a form asks for each of its rows' labels
def is_cost(level1: str | None, level2: str | None, name: str | None) -> bool:
    """Whether an indicator is a cost one (成本指标), by its labels: then a bare
    or ``=`` figure is a ceiling, not a goal to reach.

    >>> is_cost("成本指标", None, "单位成本"), is_cost("产出指标", "数量指标", "场次")
    (True, False)
    """
    labels = (level1 or "", level2 or "", name or "")
    return any(word in label for word in COST_WORDS for label in labels)


def judge_row(
    target: Value,
    actual: Value,
    parts: Sequence[tuple[str | None, Value | None, Value | None]],
    labels: tuple[str | None, str | None, str | None],
) -> tuple[bool | None, tuple[Part, ...]]:
    """The row's verdict and its judged parts; ``labels`` are (level1, level2, name).

    >>> from jixiao_parser import parse_value as v
    >>> verdict, parts = judge_row(v("≥95%"), v("96%"), [("甲", v("=2场"), v("1场"))],
    ...                            ("产出指标", None, "甲"))
    >>> verdict, [p.attained for p in parts]
    (True, [False])
    """
    cost = is_cost(*labels)
    if not parts:
        return attained(target, actual, cost=cost), ()
    judged = tuple(
        Part(name, t, a, attained(t, a, cost=cost) if t is not None and a is not None else None)
        for name, t, a in parts
    )
    return attained(target, actual, cost=cost), judged


def with_attainment(ind: Indicator) -> Indicator:
    """``ind`` with ``attained`` set on it and its parts (itself when already right)."""
    verdict, parts = judge_row(
        ind.target,
        ind.actual,
        [(p.name, p.target, p.actual) for p in ind.parts],
        (ind.level1, ind.level2, ind.name),
    )
    if verdict is ind.attained and parts == ind.parts:
        return ind
    return attrs.evolve(ind, parts=parts, attained=verdict)
