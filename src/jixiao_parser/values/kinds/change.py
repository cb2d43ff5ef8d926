"""``change``: a signed change against a baseline, in percent or percentage points.

``value`` is signed (a fall is negative), ``unit`` is ``%``/``‰`` (then
``ratio`` is the signed ratio) or ``个百分点``; ``subject`` keeps the words
before the direction word, the baseline among them (较上年, 同比 …); ``op``
is the comparison on the signed value (``降幅不低于5%`` is a change of at most
−5%: ``<=``). Every word comes from ``data/values.toml`` (``[change]``).

>>> from jixiao_parser import parse_value
>>> v = parse_value("提高2个百分点")
>>> (v.kind, v.op, v.value, v.unit, v.ratio)
('change', '=', Decimal('2'), '个百分点', None)
>>> v = parse_value("下降5%")
>>> (v.value, v.unit, v.ratio)
(Decimal('-5'), '%', Decimal('-0.05'))
>>> v = parse_value("较上年增长10%")
>>> (v.subject, v.value)
('较上年', Decimal('10'))
>>> [(parse_value(t).op, parse_value(t).value) for t in ("同比减少3个百分点", "增幅不低于8%")]
[('=', Decimal('-3')), ('>=', Decimal('8'))]

A level named with a direction word is no change: ``提升为95%`` (raised *to* 95%)
is a comparison.

Attainment compares signed changes: a rise is reached by at least as much
rise, a fall by at least as much fall; a bare figure is the size of a change
in the target's direction (``下降5%`` is reached by ``6%``); percent and
percentage points cannot be compared. A cost label does not change the rule.

>>> from jixiao_parser.values.kinds import attained
>>> attained(parse_value("提高2个百分点"), parse_value("提高2.5个百分点"))
True
>>> fall = parse_value("下降5%")
>>> attained(fall, parse_value("下降3%")), attained(fall, parse_value("下降6%"))
(False, True)
>>> attained(parse_value("下降5%"), parse_value("下降2个百分点")) is None
True
"""

from __future__ import annotations

import attrs
import regex

from ...model import Value
from ..numbers import parse_number
from ..words import (
    CHANGE_AFTER_DIRECTION,
    CHANGE_DOWN,
    CHANGE_POINT_UNITS,
    CHANGE_UNITS,
    CHANGE_UP,
    HEDGES_AROUND,
    HEDGES_BEFORE,
    HEDGES_UNCERTAIN,
    OP_WORDS,
    SUFFIX_OPS,
    alternation,
    percent_ratio,
)
from . import Judge, Kind
from ._shared import (
    MAX_VALUE_TEXT,
    NUM,
    OPS,
    TIMEOUT,
    body,
    compare_op,
    magnitude,
    on_one_scale,
    subject_of,
)

_HEDGE = alternation(HEDGES_BEFORE)
_CHANGE = regex.compile(
    rf"""^(?P<subject>.*?)(?P<approx0>{_HEDGE})?
    (?P<dir>{alternation((*CHANGE_UP, *CHANGE_DOWN))})
    (?:{alternation(CHANGE_AFTER_DIRECTION)})?(?P<op>{OPS})?
    (?P<approx>{_HEDGE})?
    (?P<num>{NUM})
    (?P<unit>{alternation(CHANGE_UNITS)})
    (?P<suffix>{alternation([*SUFFIX_OPS, *HEDGES_AROUND])})?$""",
    regex.VERBOSE,
)
_DOWN = frozenset(CHANGE_DOWN)
_UNIT_ENDS = tuple(CHANGE_UNITS)
_SUFFIX_ENDS = tuple([*SUFFIX_OPS, *HEDGES_AROUND])
_DIRECTIONS = (*CHANGE_UP, *CHANGE_DOWN)
_FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "=": "="}


def may_match(t: str) -> bool:
    """A change unit at the end (before a suffix) and a direction word."""
    t = body(t)
    if len(t) > MAX_VALUE_TEXT:
        return False
    for suffix in _SUFFIX_ENDS:
        if t.endswith(suffix):
            t = t[: -len(suffix)]
            break
    return t.endswith(_UNIT_ENDS) and any(word in t for word in _DIRECTIONS)


def parse(raw: str, t: str) -> Value | None:
    m = _CHANGE.match(body(t), timeout=TIMEOUT)
    if m is None:
        return None
    size = parse_number(m.group("num"))
    if size is None or size < 0:
        return None
    down = m.group("dir") in _DOWN
    suffix = m.group("suffix")
    op = OP_WORDS.get(m.group("op") or "") or SUFFIX_OPS.get(suffix or "") or "="
    value = -size if down else size
    unit = m.group("unit")
    around = suffix if suffix in HEDGES_AROUND else None
    approx = m.group("approx0") or m.group("approx") or around
    return Value(
        raw=raw, kind="change", op=_FLIP[op] if down else op, value=value, unit=unit,
        ratio=percent_ratio(value, unit), subject=subject_of(m.group("subject")), approx=approx,
    )  # fmt: skip


def attained(target: Value, actual: Value, _judge: Judge) -> bool | None:
    """A change actual, or a bare figure read as a change in the target's direction
    (``增长10%`` is reached by ``12%``, ``下降5%`` by ``6%``)."""
    if target.value is None or actual.value is None:
        return None
    if actual.kind == "comparison" and actual.op == "=" and actual.value >= 0:
        # a bare figure: the size of the change, in the target's direction
        pair = on_one_scale(_one_point_unit(magnitude(target)), _one_point_unit(actual))
        if pair is None:
            return None
        sign = -1 if target.value < 0 else 1
        want, got = sign * pair[0], sign * pair[1]
    elif actual.kind != "change":
        return None
    elif target.ratio is not None and actual.ratio is not None:
        want, got = target.ratio, actual.ratio
    elif _unit(target.unit) == _unit(actual.unit):
        want, got = target.value, actual.value
    else:
        return None  # percent against percentage points
    if actual.approx in HEDGES_UNCERTAIN and got == want:
        return None
    op = target.op or "="
    if op == "=" and want != 0:
        op = "<=" if want < 0 else ">="  # a fall is reached by falling at least as far
    return compare_op(op, got, want)


def _unit(unit: str | None) -> str | None:
    """个百分点 and 百分点 are one unit."""
    return "百分点" if unit in CHANGE_POINT_UNITS else unit


def _one_point_unit(value: Value) -> Value:
    unit = _unit(value.unit)
    return value if unit == value.unit else attrs.evolve(value, unit=unit)


KIND = Kind(
    "change",
    parse,
    attained,
    target_like=True,
    may_match=may_match,
    fields=("op", "value", "unit", "ratio", "subject", "approx"),
    patterns=(_CHANGE,),
)
