"""The value normaliser: target and actual cells → typed values."""

from __future__ import annotations

from .grammar import parse_value
from .normalize import normalize_value_text, split_numbered_items
from .numbers import chinese_to_int, parse_number

__all__ = [
    "chinese_to_int",
    "normalize_value_text",
    "parse_number",
    "parse_value",
    "split_numbered_items",
]
