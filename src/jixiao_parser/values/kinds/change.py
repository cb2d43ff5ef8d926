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

Attainment compares signed changes: a rise is reached by at least as much
rise, a fall by at least as much fall; other units cannot be compared.

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

import regex

from ...model import Value
from ..numbers import parse_number
from ..words import (
    CHANGE_BASELINES,
    CHANGE_DOWN,
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
from ._shared import FILLER, MAX_VALUE_TEXT, NUM, OPS, TIMEOUT, body, compare_op, subject_of

_CHANGE = regex.compile(
    rf"""^(?P<subject>.*?(?:{alternation(CHANGE_BASELINES)})?)
    (?P<dir>{alternation((*CHANGE_UP, *CHANGE_DOWN))})
    (?:{FILLER}|了)?(?P<op>{OPS})?
    (?P<approx>{alternation(HEDGES_BEFORE)})?
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
    magnitude = parse_number(m.group("num"))
    if magnitude is None or magnitude < 0:
        return None
    down = m.group("dir") in _DOWN
    suffix = m.group("suffix")
    op = OP_WORDS.get(m.group("op") or "") or SUFFIX_OPS.get(suffix or "") or "="
    value = -magnitude if down else magnitude
    unit = m.group("unit")
    approx = m.group("approx") or (suffix if suffix in HEDGES_AROUND else None)
    return Value(
        raw=raw, kind="change", op=_FLIP[op] if down else op, value=value, unit=unit,
        ratio=percent_ratio(value, unit), subject=subject_of(m.group("subject")), approx=approx,
    )  # fmt: skip


def attained(target: Value, actual: Value, _judge: Judge) -> bool | None:
    if actual.kind != "change" or target.value is None or actual.value is None:
        return None
    if target.ratio is not None and actual.ratio is not None:
        want, got = target.ratio, actual.ratio
    elif target.unit == actual.unit:
        want, got = target.value, actual.value
    else:
        return None  # percent against percentage points
    if actual.approx in HEDGES_UNCERTAIN and got == want:
        return None
    op = target.op or "="
    if op == "=" and want != 0:
        op = "<=" if want < 0 else ">="  # a fall is reached by falling at least as far
    return compare_op(op, got, want)


KIND = Kind("change", parse, attained, target_like=True, may_match=may_match,
            fields=("op", "value", "unit", "ratio", "subject", "approx"))  # fmt: skip
