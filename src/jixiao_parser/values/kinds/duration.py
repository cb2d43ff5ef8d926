"""``duration``: a figure or a range in units of time (年, 个月, 天 …, from
``data/values.toml``).

>>> from jixiao_parser import parse_value
>>> v = parse_value("一年")
>>> (v.kind, v.op, v.value, v.unit)
('duration', '=', Decimal('1'), '年')
>>> v = parse_value("3到5年")
>>> (v.kind, v.value, v.upper)
('duration', Decimal('3'), Decimal('5'))

A duration target is judged like a comparison (``≥15年`` is met by 16 年; a
range of durations, ``3到5年``, by its lower bound):

>>> from jixiao_parser.values.kinds import attained
>>> attained(parse_value("≥15年"), parse_value("16年"))
True
>>> attained(parse_value("≤30天"), parse_value("45天"))
False
"""

from __future__ import annotations

from ...model import Value
from ..words import TIME_UNITS
from . import Judge, Kind, comparison, range

# the characters units of time end with: a duration's text holds one of them
_LAST_CHARS = frozenset(unit[-1] for unit in TIME_UNITS)


def may_match(t: str) -> bool:
    return not _LAST_CHARS.isdisjoint(t)


def parse(raw: str, t: str) -> Value | None:
    for read in (range.read, comparison.read):
        value = read(raw, t)
        if value is not None:
            return value if value.kind == "duration" else None
    return None


def attained(target: Value, actual: Value, judge: Judge) -> bool | None:
    return comparison.attained(target, actual, judge)


KIND = Kind(
    "duration",
    parse,
    attained,
    target_like=True,
    may_match=may_match,
    fields=("op", "value", "upper", "unit", "subject", "approx"),
)
