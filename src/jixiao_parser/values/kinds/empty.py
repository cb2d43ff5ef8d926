"""``empty``: a cell that states nothing — blank, dashes, slashes, dots — and the
placeholder words (无, 不适用 …), which read as ``qualitative`` with
``placeholder=True``.

>>> from jixiao_parser import parse_value
>>> [parse_value(t).kind for t in ("", "—", "/ / /", "……")]
['empty', 'empty', 'empty', 'empty']
>>> v = parse_value("不适用")
>>> (v.kind, v.placeholder)
('qualitative', True)

An empty target cannot be met or missed:

>>> from jixiao_parser.values.kinds import attained
>>> attained(parse_value("—"), parse_value("95%")) is None
True
"""

from __future__ import annotations

import regex

from ...model import Value
from ..words import EMPTY_CHARS, PLACEHOLDERS
from . import Judge, Kind
from ._shared import body

_EMPTY = regex.compile(rf"^[\s{regex.escape(EMPTY_CHARS)}]*$")


def parse(raw: str, t: str) -> Value | None:
    if _EMPTY.match(t):
        return Value(raw=raw, kind="empty")
    if body(t) in PLACEHOLDERS:
        return Value(raw=raw, kind="qualitative", placeholder=True)
    return None


def attained(_target: Value, _actual: Value, _judge: Judge) -> bool | None:
    return None  # nothing was stated


KIND = Kind("empty", parse, attained, target_like=False)
