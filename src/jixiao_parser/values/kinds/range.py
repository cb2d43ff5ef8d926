"""``range``: two figures joined by ``-``, ``~``, ``至`` or ``到``, a unit after
either or both; ``value`` is the lower bound, ``upper`` the upper. A range in
units of time is a ``duration``.

>>> from jixiao_parser import parse_value
>>> v = parse_value("30%-50%")
>>> (v.kind, v.value, v.upper, v.unit, v.ratio)
('range', Decimal('30'), Decimal('50'), '%', Decimal('0.3'))
>>> parse_value("0.6~0.8万元").value
Decimal('6000.0')

A range is met by a figure inside it:

>>> from jixiao_parser.values.kinds import attained
>>> attained(v, parse_value("45%")), attained(v, parse_value("55%"))
(True, False)
"""

from __future__ import annotations

import functools

import regex

from ...model import Value
from ..words import RANGE_SEPARATORS, TIME_UNITS, alternation, percent_ratio
from . import Judge, Kind
from ._shared import (
    MAX_VALUE_TEXT,
    MULT,
    NUM,
    TIMEOUT,
    UNIT,
    body,
    on_one_scale,
    scaled,
    subject_of,
)

_RANGE = regex.compile(
    rf"""^(?P<subject>[^\d]*?)
    (?P<a>{NUM})(?P<ma>{MULT})?(?P<ua>{UNIT})??
    (?:{alternation(RANGE_SEPARATORS)})
    (?P<b>{NUM})(?P<mb>{MULT})?(?P<ub>{UNIT})?$""",
    regex.VERBOSE,
)


def may_match(t: str) -> bool:
    """A range separator somewhere."""
    return any(sep in t for sep in RANGE_SEPARATORS) and len(body(t)) <= MAX_VALUE_TEXT


@functools.lru_cache(maxsize=64)  # the duration kind reads the same text first
def read(raw: str, t: str) -> Value | None:
    """The text as a range of figures: kind ``range``, or ``duration`` in units of time."""
    t = body(t)
    if not may_match(t):
        return None
    m = _RANGE.match(t, timeout=TIMEOUT)
    if m is None:
        return None
    unit = m.group("ub") or m.group("ua")
    if m.group("ua") and m.group("ub") and m.group("ua") != m.group("ub"):
        return None
    mult_b = m.group("mb")
    lo = scaled(m.group("a"), m.group("ma") or mult_b)
    hi = scaled(m.group("b"), mult_b)
    if lo is None or hi is None or lo > hi:
        return None
    kind = "duration" if unit in TIME_UNITS else "range"
    return Value(
        raw=raw, kind=kind, value=lo, upper=hi, unit=unit,
        ratio=percent_ratio(lo, unit), subject=subject_of(m.group("subject")),
    )  # fmt: skip


def parse(raw: str, t: str) -> Value | None:
    value = read(raw, t)
    return value if value is not None and value.kind == "range" else None


def attained(target: Value, actual: Value, _judge: Judge) -> bool | None:
    if actual.kind not in ("comparison", "duration"):
        return None
    pair = on_one_scale(target, actual)
    if pair is None or target.upper is None or target.value is None:
        return None
    lo, got = pair
    hi = lo * target.upper / target.value if target.value else target.upper
    return lo <= got <= hi


KIND = Kind(
    "range",
    parse,
    attained,
    target_like=True,
    may_match=may_match,
    fields=("value", "upper", "unit", "ratio", "subject"),
    patterns=(_RANGE,),
)
