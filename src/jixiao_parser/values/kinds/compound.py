"""``compound``: a numbered list of two or more items (``1.… 2.…``, ``(1)…``,
``①…``), each item read on its own.

>>> from jixiao_parser import parse_value
>>> v = parse_value("1.保险覆盖率=100% 2.活动2场")
>>> (v.kind, [i.value for i in v.items])
('compound', [Decimal('100'), Decimal('2')])
>>> parse_value("1.5万元").kind
'comparison'

A numbered target is met when every item is met by the item of the same
number, missed when one is missed:

>>> from jixiao_parser.values.kinds import attained
>>> attained(v, parse_value("1.100% 2.活动3场")), attained(v, parse_value("1.90% 2.活动3场"))
(True, False)
"""

from __future__ import annotations

from ...model import Value
from ..normalize import numbered_items
from . import Judge, Kind


def parse(raw: str, _t: str) -> Value | None:
    items = numbered_items(raw)
    if items is None:
        return None
    from ..grammar import parse_value  # each item is a cell of its own (cached)

    return Value(raw=raw, kind="compound", items=tuple(parse_value(i) for i in items))


def attained(target: Value, actual: Value, judge: Judge) -> bool | None:
    if actual.kind != "compound" or len(target.items) != len(actual.items):
        return None
    results = [judge.attained(t, a) for t, a in zip(target.items, actual.items, strict=True)]
    if any(r is False for r in results):
        return False
    return True if results and all(results) else None


KIND = Kind("compound", parse, attained, target_like=True, fields=("items",))
