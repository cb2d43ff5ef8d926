"""``compound``: a numbered list of two or more items (``1.… 2.…``, ``(1)…``,
``①…``), each item read on its own.

>>> from jixiao_parser import parse_value
>>> v = parse_value("1.保险覆盖率=100% 2.活动2场")
>>> (v.kind, [i.value for i in v.items])
('compound', [Decimal('100'), Decimal('2')])
>>> parse_value("1.5万元").kind
'comparison'

An unnumbered list is a compound too when every item separated by ``;`` or
``,`` is a figure with its unit or a date: the items of one cell are not one
figure with a long subject.

>>> w = parse_value("6月份完成宣传片制作；9月份完成文本；11月完成专家评审")
>>> (w.kind, [i.date for i in w.items])
('compound', ['--06', '--09', '--11'])
>>> w = parse_value("完成1部宣传片，2套方案")
>>> [(i.value, i.unit) for i in w.items]
[(Decimal('1'), '部宣传片'), (Decimal('2'), '套方案')]
>>> [parse_value(t).kind for t in ("1,000万元", "满意度高,效果好", "12月,完成")]
['comparison', 'qualitative', 'qualitative']

A numbered target is met when every item is met by the item of the same
number, missed when one is missed:

>>> from jixiao_parser.values.kinds import attained
>>> attained(v, parse_value("1.100% 2.活动3场")), attained(v, parse_value("1.90% 2.活动3场"))
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from ...model import Value
from ..normalize import numbered_items
from ..words import LIST_SEPARATORS
from . import Judge, Kind

# a separator, but not the comma of a thousands group ("1,000")
_SEPARATOR = regex.compile(
    "|".join(regex.escape(s) + (r"(?!\d{3}(?:\D|$))" if s == "," else "") for s in LIST_SEPARATORS)
)
# what an item of an unnumbered list may be: a figure with its unit, or a date
_LISTED_KINDS = frozenset(("comparison", "duration", "deadline"))
_MAX_LISTED = 12


def parse(raw: str, t: str) -> Value | None:
    from ..grammar import parse_value  # each item is a cell of its own (cached)

    items = numbered_items(raw)
    if items is not None:
        return Value(raw=raw, kind="compound", items=tuple(parse_value(i) for i in items))
    return _listed(raw, t, parse_value)


def _listed(raw: str, t: str, parse_value: Callable[[str], Value]) -> Value | None:
    """Items separated by ``;`` or ``,``, each a figure with a unit or a date."""
    if not any(s in t for s in LIST_SEPARATORS):
        return None
    texts = [p for p in _SEPARATOR.split(t) if p]
    if not 2 <= len(texts) <= _MAX_LISTED:
        return None
    values = []
    for text in texts:
        v = parse_value(text)
        if v.kind not in _LISTED_KINDS or (v.kind != "deadline" and v.unit is None):
            return None
        values.append(v)
    return Value(raw=raw, kind="compound", items=tuple(values))


def attained(target: Value, actual: Value, judge: Judge) -> bool | None:
    if actual.kind != "compound" or len(target.items) != len(actual.items):
        return None
    results = [judge.attained(t, a) for t, a in zip(target.items, actual.items, strict=True)]
    if any(r is False for r in results):
        return False
    return True if results and all(results) else None


KIND = Kind("compound", parse, attained, target_like=True, fields=("items",))
