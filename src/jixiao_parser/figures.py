"""Plain figures as a cell states them: ``965,043.97``, ``10``, ``50分``.

Segmentation (is this row of labels a column header, or does it hold figures?)
and the section parsers (weights, scores, amounts) read figures the same way.
The text is normalised already (:attr:`~jixiao_parser.document.Cell.norm`):
full-width digits and separators are ASCII by then.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

import regex

__all__ = ["read_decimal", "read_points"]

_MAX_FIGURE = 40  # longer "figures" are not amounts: refuse them
_DECIMAL = regex.compile(r"^[+-]?(?:\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)$")


@functools.lru_cache(maxsize=4096)  # weights and scores (10, 20, 100) recur in every form
def read_decimal(text: str) -> Decimal | None:
    """A plain figure (``965,043.97``, ``10``, ``9.7``) in normalised text; ``None`` otherwise.

    >>> read_decimal("965,043.97"), read_decimal("—"), read_decimal("10分")
    (Decimal('965043.97'), None, None)
    """
    t = text.strip()
    if len(t) > _MAX_FIGURE or not _DECIMAL.match(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None


@functools.lru_cache(maxsize=4096)  # as read_decimal: every row has a weight and a score
def read_points(text: str) -> Decimal | None:
    """A weight or score, with or without a trailing 分.

    >>> read_points("50分"), read_points("9.7"), read_points("分")
    (Decimal('50'), Decimal('9.7'), None)
    """
    t = text.strip()
    return read_decimal(t[:-1] if t.endswith("分") else t)
