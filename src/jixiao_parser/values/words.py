"""The words of value cells, loaded from ``data/values.toml``.

Every Chinese word the value kinds match on lives in that file; this module
turns it into the tables and regex alternations the kinds use, and decides
the ``百分比`` rule once (:func:`percent_ratio`).

>>> OP_WORDS["不少于"], SUFFIX_OPS["以上"]
('>=', '>=')
>>> percent_ratio(Decimal("95"), "%"), percent_ratio(Decimal("1"), "百分比")
(Decimal('0.95'), Decimal('1'))
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import regex

from .._data import load_data

__all__ = [
    "BARE_RATIO_BOUND",
    "CHANGE_AFTER_DIRECTION",
    "CHANGE_DOWN",
    "CHANGE_POINT_UNITS",
    "CHANGE_UNITS",
    "CHANGE_UP",
    "CN_DIGITS",
    "CN_UNITS",
    "COST_WORDS",
    "DEADLINE",
    "DEPARTMENT_WORDS",
    "EMPTY_CHARS",
    "FILLERS",
    "GRADES",
    "HEDGES_AFTER",
    "HEDGES_AROUND",
    "HEDGES_BEFORE",
    "HEDGES_UNCERTAIN",
    "LIST_SEPARATORS",
    "MONEY_UNITS",
    "MONEY_UNIT_LABEL",
    "MULTIPLIERS",
    "NATURES",
    "OPERATOR_SPELLINGS",
    "OP_WORDS",
    "PERCENT_UNITS",
    "PERCENT_WORD",
    "PLACEHOLDERS",
    "RANGE_SEPARATORS",
    "SUFFIX_OPS",
    "TIME_UNITS",
    "alternation",
    "percent_ratio",
]


def _by_word(spec: dict[str, list[str]]) -> dict[str, str]:
    """``{op: [word, …]}`` → ``{word: op}``."""
    return {word: op for op, words in spec.items() for word in words}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (大于等于 before 大于).

    >>> alternation(["大于", "大于等于", "="])
    '大于等于|大于|='
    """
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_DATA = load_data("values.toml")

#: operator word → op (``不少于`` → ``>=``), written before the figure
OP_WORDS: dict[str, str] = _by_word(_DATA["operators"])
#: operator word → op (``以上`` → ``>=``), written after the figure
SUFFIX_OPS: dict[str, str] = _by_word(_DATA["suffix_operators"])
#: (ASCII spelling, operator): ``>=`` → ``≥``, in the order they are folded
OPERATOR_SPELLINGS: tuple[tuple[str, str], ...] = tuple(_DATA["operator_spellings"].items())
FILLERS: tuple[str, ...] = tuple(_DATA["fillers"])
HEDGES_BEFORE: tuple[str, ...] = tuple(_DATA["hedges"]["before"])
HEDGES_AFTER: tuple[str, ...] = tuple(_DATA["hedges"]["after"])
HEDGES_AROUND: tuple[str, ...] = tuple(_DATA["hedges"]["around"])
HEDGES_UNCERTAIN = frozenset(_DATA["hedges"]["uncertain"])
CN_DIGITS: dict[str, int] = dict(_DATA["numerals"]["digits"])
CN_UNITS: dict[str, int] = dict(_DATA["numerals"]["units"])
MULTIPLIERS: dict[str, Decimal] = {
    k: Decimal(v) for k, v in _DATA["numerals"]["multipliers"].items()
}
TIME_UNITS = frozenset(_DATA["units"]["time"])
PERCENT_UNITS: dict[str, Decimal] = {k: Decimal(v) for k, v in _DATA["units"]["percent"].items()}
PERCENT_WORD: str = _DATA["units"]["percent_word"]
_PERCENT_WORD_BOUND = Decimal(str(_DATA["units"]["percent_word_ratio_bound"]))
BARE_RATIO_BOUND = Decimal(str(_DATA["units"]["bare_ratio_bound"]))
PLACEHOLDERS = frozenset(_DATA["placeholders"])
EMPTY_CHARS: str = _DATA["empty_chars"]
RANGE_SEPARATORS: tuple[str, ...] = tuple(_DATA["range_separators"])
LIST_SEPARATORS: tuple[str, ...] = tuple(_DATA["list_separators"])
DEADLINE: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["deadline"].items()}
CHANGE_UP: tuple[str, ...] = tuple(_DATA["change"]["up"])
CHANGE_DOWN: tuple[str, ...] = tuple(_DATA["change"]["down"])
CHANGE_AFTER_DIRECTION: tuple[str, ...] = tuple(_DATA["change"]["after_direction"])
CHANGE_POINT_UNITS = frozenset(_DATA["change"]["point_units"])
CHANGE_UNITS: tuple[str, ...] = tuple(_DATA["change"]["units"])
GRADES = frozenset(_DATA["grades"])
NATURES = frozenset(_DATA["natures"])
COST_WORDS: tuple[str, ...] = tuple(_DATA["cost_words"])
DEPARTMENT_WORDS: tuple[str, ...] = tuple(_DATA["department_words"])
MONEY_UNITS: dict[str, Decimal] = {k: Decimal(v) for k, v in _DATA["money_units"].items()}
MONEY_UNIT_LABEL: str = _DATA["money"]["unit_label"]


def percent_ratio(value: Decimal | None, unit: str | None) -> Decimal | None:
    """``value`` in ``unit`` as a ratio, or ``None`` when the unit is no percent.

    ``%`` and ``‰`` divide; the word ``百分比`` is a ratio up to 1 and a percent
    above it (the one place this rule is decided).

    >>> [percent_ratio(Decimal(v), u) for v, u in (("95", "%"), ("0.9", "百分比"),
    ...                                            ("100", "百分比"), ("5", "个"))]
    [Decimal('0.95'), Decimal('0.9'), Decimal('1'), None]
    """
    if value is None or unit is None:
        return None
    if unit in PERCENT_UNITS:
        return value / PERCENT_UNITS[unit]
    if unit == PERCENT_WORD:
        return value if value <= _PERCENT_WORD_BOUND else value / 100
    return None
