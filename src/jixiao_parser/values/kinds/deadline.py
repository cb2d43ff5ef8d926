"""``deadline``: a date, or a date bound (前 / 之前 / 截至 / 以内 …).

``date`` is ISO: ``2023-12-31``, ``--03-30`` with only month and day,
``2021-12`` with year and month, ``--12`` with only a month; ``op`` is ``<=``
for a bound, else ``=``.

>>> from jixiao_parser import parse_value
>>> [(parse_value(t).op, parse_value(t).date) for t in ("3月30日前", "2023年底", "2021.12")]
[('<=', '--03-30'), ('=', '2023-12-31'), ('=', '2021-12')]
>>> parse_value("2月30日").kind  # no such day
'qualitative'

A deadline is met by a date on or before it:

>>> from jixiao_parser.values.kinds import attained
>>> attained(parse_value("3月30日前"), parse_value("3月28日"))
True
>>> attained(parse_value("2023年6月底前"), parse_value("2023年7月"))
False
"""

from __future__ import annotations

import calendar
import re

import regex

from ...model import Value
from ..numbers import chinese_to_int
from ..words import DEADLINE, alternation
from . import Judge, Kind
from ._shared import MAX_VALUE_TEXT, TIMEOUT, body

_MONTH = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_DEADLINE = regex.compile(
    rf"""^(?P<pre>{alternation(DEADLINE["bound_prefixes"] + DEADLINE["prefixes"])})?
    (?:(?P<y>\d{{4}})年度?)?
    (?:
        (?P<m>{_MONTH})月(?:份)?(?:(?P<d>\d{{1,2}})[日号]?|(?P<end>{alternation(DEADLINE["month_end"])}|份))?
      | (?P<yearend>年?(?:{alternation(DEADLINE["year_end"])}))
    )
    (?P<post>{alternation(DEADLINE["bound_suffixes"])})?
    (?P<rest>(?:{alternation(DEADLINE["after_bound"])}).*)?$""",
    regex.VERBOSE,
)
_BOUND_PREFIXES = alternation(DEADLINE["bound_prefixes"])
_DOTTED_DATE = regex.compile(
    rf"^(?P<pre>{_BOUND_PREFIXES})?(?P<y>(?:19|20)\d\d)(?P<sep>[./-])(?P<m>1[0-2]|0?[1-9])"
    rf"(?:(?P=sep)(?P<d>\d{{1,2}}))?(?P<post>{alternation(DEADLINE['dotted_bound_suffixes'])})?$"
)
_BOUND = frozenset(DEADLINE["bound_suffixes"]) | frozenset(DEADLINE["bound_prefixes"])
_DATE_MARKS = frozenset(DEADLINE["month_end"] + DEADLINE["year_end"] + ("月",))
# what a dotted date opens with: a year (19xx, 20xx) or a bound prefix (截至)
_DOTTED_STARTS = ("1", "2", *sorted({w[0] for w in DEADLINE["bound_prefixes"]}))
_ISO = re.compile(r"^(?:(\d{4})|-)-(\d{2})?(?:-(\d{2}))?$")


def may_match(t: str) -> bool:
    """A month or year-end word, or what a dotted date opens with."""
    if len(t) > MAX_VALUE_TEXT and len(body(t)) > MAX_VALUE_TEXT:
        return False
    return not _DATE_MARKS.isdisjoint(t) or t[:1] in _DOTTED_STARTS


def parse(raw: str, t: str) -> Value | None:
    t = body(t)
    if not _DATE_MARKS.isdisjoint(t):
        m = _DEADLINE.match(t, timeout=TIMEOUT)
        if m is not None:
            return _worded(raw, m)
    if t[:1] in _DOTTED_STARTS:
        m = _DOTTED_DATE.match(t, timeout=TIMEOUT)
        if m is not None:
            day = int(m.group("d")) if m.group("d") else None
            bound = m.group("post") is not None or m.group("pre") is not None
            op = "<=" if bound else "="
            return _date_value(raw, int(m.group("y")), int(m.group("m")), day, op)
    return None


def _worded(raw: str, m: regex.Match[str]) -> Value | None:
    if m.group("rest") and not m.group("post") and not m.group("pre"):
        if not m.group("rest").startswith(DEADLINE["done"]):
            return None
    y = int(m.group("y")) if m.group("y") else None
    day: int | None
    if m.group("yearend"):
        month, day = 12, 31
    else:
        found = _month(m.group("m"))
        if found is None:
            return None
        month = found
        day = int(m.group("d")) if m.group("d") else None
        if m.group("end") in DEADLINE["month_end"]:
            day = calendar.monthrange(y or 2001, month)[1]
    bound = m.group("post") in _BOUND or m.group("pre") in _BOUND
    return _date_value(raw, y, month, day, "<=" if bound else "=")


def _month(text: str) -> int | None:
    n = int(text) if text.isdigit() else chinese_to_int(text)
    return n if n is not None and 1 <= n <= 12 else None


def _date_value(raw: str, y: int | None, month: int, day: int | None, op: str) -> Value | None:
    if day is not None and not 1 <= day <= calendar.monthrange(y or 2000, month)[1]:
        return None  # 2月30日 is no date
    if y is None:
        date = f"--{month:02d}" + (f"-{day:02d}" if day else "")
    else:
        date = f"{y:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return Value(raw=raw, kind="deadline", op=op, date=date)


def attained(target: Value, actual: Value, _judge: Judge) -> bool | None:
    if actual.kind != "deadline":
        return None
    t, a = _ISO.match(target.date or ""), _ISO.match(actual.date or "")
    if not t or not a:
        return None
    ty, tm, td = t.groups()
    ay, am, ad = a.groups()
    if ty and ay and ty != ay:
        return int(ay) < int(ty)
    if not tm or not am:
        return None
    if tm != am:
        return int(am) < int(tm)
    if td and ad:
        return int(ad) <= int(td)
    return True if not td else None


KIND = Kind(
    "deadline",
    parse,
    attained,
    target_like=True,
    may_match=may_match,
    fields=("op", "date"),
    patterns=(_DEADLINE, _DOTTED_DATE),
)
