"""The value grammar: one cell's text → a typed :class:`~jixiao_parser.model.Value`.

The kinds live in :mod:`jixiao_parser.values.kinds`, one module each, tried
in the order of their registry (see ``docs/values.md``); this module holds
the cached entry point.
"""

from __future__ import annotations

import functools

from ..model import Value
from .kinds import REGISTRY

__all__ = ["parse_value"]


@functools.lru_cache(maxsize=16384)
def parse_value(text: str) -> Value:
    """Normalise one target or actual cell into a typed :class:`Value`.

    Never raises: text it cannot read becomes ``kind="qualitative"``.

    >>> v = parse_value("不少于六十场")
    >>> (v.kind, v.op, v.value, v.unit)
    ('comparison', '>=', Decimal('60'), '场')
    >>> parse_value("3月30日前").date
    '--03-30'
    >>> [i.value for i in parse_value("1.保险覆盖率=100% 2.活动2场").items]
    [Decimal('100'), Decimal('2')]
    """
    return REGISTRY.parse(text)
