"""``qualitative``: any text the other kinds do not take — words, prose, an
operator word before words (``不高于预算下达数``: ``op`` ``<=``, ``subject``
``预算下达数``). The last kind of the registry: it takes every text.

>>> from jixiao_parser import parse_value
>>> v = parse_value("不高于预算下达数")
>>> (v.kind, v.op, v.subject)
('qualitative', '<=', '预算下达数')
>>> parse_value("效果显著").kind
'qualitative'

A qualitative target is met by the same words; other words cannot be judged:

>>> from jixiao_parser.values.kinds import attained
>>> attained(parse_value("有效提升"), parse_value("有效 提升"))
True
>>> attained(parse_value("效果显著"), parse_value("较好")) is None
True
"""

from __future__ import annotations

import regex

from ...model import Value
from ..words import OP_WORDS
from . import Judge, Kind
from ._shared import MAX_VALUE_TEXT, OPS, body, subject_of

_OP_PREFIX = regex.compile(rf"^(?P<op>{OPS})(?P<rest>[^\d]+)$")


def parse(raw: str, t: str) -> Value:
    t = body(t)
    m = _OP_PREFIX.match(t) if len(t) <= MAX_VALUE_TEXT else None
    if m is not None:
        op = OP_WORDS[m.group("op")]
        return Value(raw=raw, kind="qualitative", op=op, subject=subject_of(m.group("rest")))
    return Value(raw=raw, kind="qualitative")


def attained(target: Value, actual: Value, _judge: Judge) -> bool | None:
    if actual.kind != "qualitative" or target.placeholder:
        return None
    same = "".join(target.raw.split()) == "".join(actual.raw.split())
    return True if same else None


KIND = Kind("qualitative", parse, attained, target_like=False, fields=("op", "subject"))
