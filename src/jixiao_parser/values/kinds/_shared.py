"""Pieces the value kinds share: the figure pattern, scaling, subjects, comparing.

Every word comes from ``data/values.toml`` (:mod:`jixiao_parser.values.words`).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import regex

from ...model import Value
from ..numbers import parse_number
from ..words import (
    BARE_RATIO_BOUND,
    CN_DIGITS,
    CN_UNITS,
    FILLERS,
    MULTIPLIERS,
    OP_WORDS,
    alternation,
)

__all__ = [
    "CN",
    "FILLER",
    "MAX_VALUE_TEXT",
    "MULT",
    "NUM",
    "OPS",
    "TIMEOUT",
    "UNIT",
    "body",
    "compare_op",
    "magnitude",
    "on_one_scale",
    "scaled",
    "subject_of",
]

TIMEOUT = 0.5  # seconds: no value cell takes a regex this long unless it is hostile

#: the characters of a Chinese numeral (digits and units below 万)
CN = "".join(CN_DIGITS) + "".join(CN_UNITS)
MULT = alternation(MULTIPLIERS)
#: a figure: Arabic with separators, or a Chinese numeral (with 万/亿 sections)
NUM = rf"-?(?:\d+(?:,\d{{3}})*(?:\.\d+)?|\.\d+)|[{CN}][{CN}{''.join(MULTIPLIERS)}]*"
_STOP = r"\d≥≤<>=,;:!?，。；：！？、()（）\[\]【】\-~"
#: a unit after a figure: up to 6 characters, optionally "/" and 4 more (元/平方米)
UNIT = rf"(?:[^{_STOP}]{{1,6}}?(?:/[^{_STOP}]{{1,4}}?)?|%|‰)"
OPS = alternation(OP_WORDS)
FILLER = alternation(FILLERS)
_SUBJECT_TRIM = regex.compile(rf"(?:{FILLER})+$")


def scaled(num: str, mult: str | None) -> Decimal | None:
    """A figure times its multiplier (``5``, ``万`` → 50000)."""
    value = parse_number(num)
    if value is None:
        return None
    return value * MULTIPLIERS[mult] if mult else value


def subject_of(text: str) -> str | None:
    """The words before a figure, without trailing fillers (``保险覆盖率达`` → ``保险覆盖率``)."""
    s = _SUBJECT_TRIM.sub("", text).strip(" :,，、")
    return s or None


def on_one_scale(target: Value, actual: Value) -> tuple[Decimal, Decimal] | None:
    """(target, actual) figures on one scale, or ``None`` when the units differ.

    Percent figures compare as ratios; a bare actual takes the target's unit (as
    a ratio when it is small: ``0.96`` against ``≥95%``).
    """
    if target.value is None or actual.value is None:
        return None
    if target.ratio is not None:
        if actual.ratio is not None:
            return target.ratio, actual.ratio
        if actual.unit is not None:
            return None
        # a bare actual against a percent target: a ratio when small, else a percent
        small = actual.value <= BARE_RATIO_BOUND
        return target.ratio, actual.value if small else actual.value / 100
    if actual.ratio is not None:
        return None
    if actual.unit is not None and target.unit is not None and actual.unit != target.unit:
        return None
    return target.value, actual.value


def compare_op(op: str, got: Decimal, want: Decimal) -> bool | None:
    """``got`` against ``want`` under ``op``; ``=`` means "reach" (at or above),
    except that a target of 0 must be met exactly."""
    if op in (">=", "="):
        return got == want if (op == "=" and want == 0) else got >= want
    if op == ">":
        return got > want
    if op == "<=":
        return got <= want
    if op == "<":
        return got < want
    return None


_TRAILING_PUNCT = "。；;，,!！"
MAX_VALUE_TEXT = 200  # longer cells are prose: read as qualitative without matching


def body(t: str) -> str:
    """The normalised text without trailing sentence punctuation (``≥90%；``)."""
    return t.rstrip(_TRAILING_PUNCT)


def magnitude(value: Value) -> Value:
    """A change as the size of its figure, unsigned, for comparing with figures
    that state no direction (``下降3%`` → 3 %).

    >>> from jixiao_parser import parse_value
    >>> v = magnitude(parse_value("下降3%"))
    >>> (v.value, v.ratio, v.unit)
    (Decimal('3'), Decimal('0.03'), '%')
    """
    ratio = None if value.ratio is None else abs(value.ratio)
    size = None if value.value is None else abs(value.value)
    return attrs.evolve(value, value=size, ratio=ratio)
