"""``comparison``: ``[subject][达|为][op][approx]figure[万|亿][余|多][unit][以上|左右…]``.

``op`` is ``=`` when no operator is written; every operator word, hedge and
filler comes from ``data/values.toml``. A figure in units of time is a
``duration``.

>>> from jixiao_parser import parse_value
>>> v = parse_value("不少于六十场")
>>> (v.kind, v.op, v.value, v.unit)
('comparison', '>=', Decimal('60'), '场')
>>> v = parse_value("活动17场")
>>> (v.subject, v.value, v.unit)
('活动', Decimal('17'), '场')
>>> (parse_value("近400个").approx, parse_value("≤90万元").value)
('近', Decimal('900000'))

``=`` means "reach" (met at or above); under a cost label it is a ceiling;
percent figures compare as ratios; a bare actual takes the target's unit:

>>> from jixiao_parser.values.kinds import attained
>>> attained(parse_value("≥95%"), parse_value("0.96"))
True
>>> attained(parse_value("=3000份"), parse_value("2900份"))
False
>>> attained(parse_value("=380元"), parse_value("372元"), cost=True)
True
"""

from __future__ import annotations

import functools
from decimal import Decimal

import regex

from ...model import Value
from ..normalize import normalize_value_text
from ..words import (
    FILLERS,
    HEDGES_AFTER,
    HEDGES_AROUND,
    HEDGES_BEFORE,
    HEDGES_UNCERTAIN,
    MULTIPLIERS,
    OP_WORDS,
    SUFFIX_OPS,
    TIME_UNITS,
    alternation,
    percent_ratio,
)
from . import Judge, Kind
from ._shared import (
    CN,
    FILLER,
    MAX_VALUE_TEXT,
    MULT,
    NUM,
    OPS,
    TIMEOUT,
    UNIT,
    body,
    compare_op,
    magnitude,
    on_one_scale,
    scaled,
    subject_of,
)

# what may follow the subject: a filler, an operator, a hedge or the figure
# (the lazy subject then grows past every other character at once)
_AFTER_SUBJECT = "".join(
    sorted({"-", ".", *CN} | {w[0] for w in (*FILLERS, *OP_WORDS, *HEDGES_BEFORE)})
)
_COMPARISON = regex.compile(
    rf"""^(?P<subject>.*?)(?=[\d{regex.escape(_AFTER_SUBJECT)}])
    (?:(?P<filler>{FILLER})?(?P<op>{OPS}))?(?P<filler2>{FILLER})?
    (?P<approx1>{alternation(HEDGES_BEFORE)})?
    (?P<num>{NUM})(?P<mult>{MULT})?(?P<approx2>{alternation(HEDGES_AFTER)})?
    (?P<unit>{UNIT})??
    (?P<suffix>{alternation([*SUFFIX_OPS, *HEDGES_AROUND])})?$""",
    regex.VERBOSE,
)
_DATE_TAIL = regex.compile(r"[\d.]$|\d[年月]$")
# The pattern ends in a figure followed by at most a multiplier (1), a hedge (1),
# a unit (6 + "/" + 4 = 11) and a suffix (及以上: 3): 16 characters in all.
_AFTER_NUMBER = 16
_NUMBER_CHAR = regex.compile(rf"[\d{CN}{''.join(MULTIPLIERS)}]")


def may_match(t: str) -> bool:
    """A figure near the end."""
    return (
        _NUMBER_CHAR.search(t, max(0, len(body(t)) - _AFTER_NUMBER - 1)) is not None
        and len(body(t)) <= MAX_VALUE_TEXT
    )


@functools.lru_cache(maxsize=64)  # the duration kind reads the same text first
def read(raw: str, t: str) -> Value | None:
    """The text as one figure: kind ``comparison``, or ``duration`` in units of time."""
    t = body(t)
    if not may_match(t):
        return None
    m = _COMPARISON.match(t, timeout=TIMEOUT)
    if m is None:
        return None
    value = scaled(m.group("num"), m.group("mult"))
    if value is None:
        return None
    suffix = m.group("suffix")
    op = OP_WORDS.get(m.group("op") or "") or SUFFIX_OPS.get(suffix or "") or "="
    unit = m.group("unit") or None
    around = suffix if suffix in HEDGES_AROUND else None
    approx = m.group("approx1") or m.group("approx2") or around
    subject = subject_of(m.group("subject"))
    kind = "duration" if unit in TIME_UNITS else "comparison"
    if subject is not None and _DATE_TAIL.search(subject):
        return None  # "2021.1", "2月30日": digits or a date glued to the subject
    return Value(
        raw=raw, kind=kind, op=op, value=value, unit=unit, ratio=percent_ratio(value, unit),
        subject=subject, approx=approx,
    )  # fmt: skip


@functools.lru_cache(maxsize=1024)
def written_multiplier(raw: str) -> Decimal:
    """The multiplier written with a figure (``≥5万元`` → 10000; 1 when none).

    >>> written_multiplier("≥5万元"), written_multiplier("≥50个")
    (Decimal('10000'), Decimal('1'))
    """
    m = _COMPARISON.match(body(normalize_value_text(raw)), timeout=TIMEOUT)
    mult = m.group("mult") if m is not None else None
    return MULTIPLIERS[mult] if mult else _ONE


_ONE = Decimal(1)


def parse(raw: str, t: str) -> Value | None:
    value = read(raw, t)
    return value if value is not None and value.kind == "comparison" else None


def attained(target: Value, actual: Value, judge: Judge) -> bool | None:
    """A comparison or duration target against a comparison or duration actual, or
    a change actual by its size (``≥10%`` is met by ``增长12%``)."""
    if actual.kind == "change":
        actual = magnitude(actual)
    elif actual.kind not in ("comparison", "duration"):
        return None
    pair = on_one_scale(target, actual)
    if pair is None:
        return None
    want, got = pair
    op = target.op or "="
    if judge.cost and op == "=":
        op = "<="
    if actual.approx in HEDGES_UNCERTAIN and got == want:
        return None  # "近95%" against 95%: cannot tell
    return compare_op(op, got, want)


KIND = Kind(
    "comparison",
    parse,
    attained,
    target_like=True,
    may_match=may_match,
    fields=("op", "value", "unit", "ratio", "subject", "approx"),
    patterns=(_COMPARISON,),
)


_OPERATOR_ONLY = regex.compile(rf"^(?:{OPS})+$")


def operator_only(text: str) -> bool:
    """Whether a cell holds only operator words (a split target's 指标性质 column).

    >>> operator_only("≧"), operator_only(" 不低于 "), operator_only("＞＝"), operator_only("95%")
    (True, True, True, False)
    """
    return _OPERATOR_ONLY.match(normalize_value_text(text)) is not None
