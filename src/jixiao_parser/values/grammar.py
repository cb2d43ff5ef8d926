"""The value grammar: one cell's text → a typed :class:`~jixiao_parser.model.Value`.

The rules are tried in order (see ``docs/values.md``): empty, compound,
placeholder, deadline, range, comparison/duration, qualitative. Each rule is a
small function that returns ``None`` when the text is not its shape.
"""

from __future__ import annotations

import calendar
import functools
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

import regex

from ..model import Value
from ..vocab import PLACEHOLDERS
from .normalize import normalize_value_text, split_numbered_items
from .numbers import MULTIPLIERS, chinese_to_int, parse_number

__all__ = ["parse_value"]

# Operator words, longest first so that 大于等于 beats 大于.
_OP_WORDS: dict[str, str] = {
    "≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=",
    "大于或等于": ">=", "大于等于": ">=", "不少于": ">=", "不低于": ">=", "不小于": ">=",
    "至少": ">=", "小于或等于": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=",
    "不大于": "<=", "不多于": "<=", "最多": "<=", "大于": ">", "超过": ">", "高于": ">",
    "多于": ">", "小于": "<", "低于": "<", "少于": "<", "等于": "=",
}  # fmt: skip
_SUFFIX_OPS = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "内": "<="}
_TIME_UNITS = frozenset(
    {"年", "个月", "月", "周", "天", "日", "小时", "分钟", "个工作日", "工作日"}
)
_PERCENT_UNITS = {"%": Decimal(100), "‰": Decimal(1000)}


def _alt(words: Iterable[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_CN = "零〇一二两三四五六七八九十百千"
_NUM = rf"-?(?:\d+(?:,\d{{3}})*(?:\.\d+)?|\.\d+)|[{_CN}][{_CN}万亿]*"
_STOP = r"\d≥≤<>=,;:!?，。；：！？、()（）\[\]【】\-~"
_UNIT = rf"(?:[^{_STOP}]{{1,6}}?(?:/[^{_STOP}]{{1,4}}?)?|%|‰)"
_OPS = _alt(_OP_WORDS)
_FILLER = r"已达到|已达|达到|达|为|:"
_COMPARISON = regex.compile(
    rf"""^(?P<subject>.*?)
    (?:(?P<filler>{_FILLER})?(?P<op>{_OPS}))?(?P<filler2>{_FILLER})?
    (?P<approx1>大约|将近|约|近)?
    (?P<num>{_NUM})(?P<mult>万|亿)?(?P<approx2>余|多)?
    (?P<unit>{_UNIT})??
    (?P<suffix>{_alt(_SUFFIX_OPS)}|左右)?$""",
    regex.VERBOSE,
)
_RANGE = regex.compile(
    rf"""^(?P<subject>[^\d]*?)
    (?P<a>{_NUM})(?P<ma>万|亿)?(?P<ua>{_UNIT})??
    (?:-|~|至|到)
    (?P<b>{_NUM})(?P<mb>万|亿)?(?P<ub>{_UNIT})?$""",
    regex.VERBOSE,
)
_MONTH = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_DEADLINE = regex.compile(
    rf"""^(?P<pre>截至|截止到|截止|于|在|到)?
    (?:(?P<y>\d{{4}})年度?)?
    (?:
        (?P<m>{_MONTH})月(?:份)?(?:(?P<d>\d{{1,2}})[日号]?|(?P<end>底|末|份))?
      | (?P<yearend>年?(?:底|末|终))
    )
    (?P<post>前完成|之前|以前|前|以内|内|止)?
    (?P<rest>(?:已|完成|全部|全面).*)?$""",
    regex.VERBOSE,
)
_DOTTED_DATE = regex.compile(
    r"^(?P<pre>截至|截止到|截止)?(?P<y>(?:19|20)\d\d)(?P<sep>[./-])(?P<m>1[0-2]|0?[1-9])"
    r"(?:(?P=sep)(?P<d>\d{1,2}))?(?P<post>前完成|之前|以前|前|止)?$"
)
_DATE_TAIL = regex.compile(r"[\d.]$|\d[年月]$")
_BOUND_PREFIXES = frozenset({"截至", "截止到", "截止"})
_TRAILING_PUNCT = "。；;，,!！"
_TIMEOUT = 0.5  # seconds: no value cell takes a regex this long unless it is hostile
_MAX_VALUE_TEXT = 200  # longer cells are prose: read as qualitative without matching
_EMPTY = regex.compile(r"^[\s\-—–_/\\.…·。、|]*$")
_OP_PREFIX = regex.compile(rf"^(?P<op>{_OPS})(?P<rest>[^\d]+)$")
_SUBJECT_TRIM = regex.compile(rf"(?:{_FILLER})+$")
_DEADLINE_BOUND = frozenset({"前", "之前", "以前", "前完成", "以内", "内", "止"})

# What each rule's pattern cannot match without: checked first, so that prose and
# names skip the patterns. Each test is necessary for its pattern, never sufficient.
# _COMPARISON ends in a number followed by at most 万/亿 (1), 余/多 (1), a unit
# (_UNIT: 6 + "/" + 4 = 11) and a suffix (及以上: 3), 16 characters in all.
_AFTER_NUMBER = 16
_NUMBER_CHAR = regex.compile(rf"[\d{_CN}万亿]")


def _may_compare(t: str) -> bool:
    return _NUMBER_CHAR.search(t, max(0, len(t) - _AFTER_NUMBER - 1)) is not None


def _may_range(t: str) -> bool:
    return "-" in t or "~" in t or "至" in t or "到" in t


def _may_be_deadline(t: str) -> bool:
    return "月" in t or "底" in t or "末" in t or "终" in t


def _may_be_dotted_date(t: str) -> bool:
    return t[:1] in ("1", "2", "截")


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
    raw = text.strip()
    if _EMPTY.match(unicodedata.normalize("NFKC", raw)):
        return Value(raw=raw, kind="empty")
    items = split_numbered_items(raw)
    if items is not None:
        return Value(raw=raw, kind="compound", items=tuple(parse_value(i) for i in items))
    t = normalize_value_text(raw).rstrip(_TRAILING_PUNCT)
    if t in PLACEHOLDERS:
        return Value(raw=raw, kind="qualitative", placeholder=True)
    if len(t) > _MAX_VALUE_TEXT:
        return Value(raw=raw, kind="qualitative")
    for rule in (_deadline, _range, _comparison):
        try:
            value = rule(raw, t)
        except TimeoutError:  # the regex module's guard against runaway matching
            continue
        if value is not None:
            return value
    return _qualitative(raw, t)


def _deadline(raw: str, t: str) -> Value | None:
    m = _DEADLINE.match(t, timeout=_TIMEOUT) if _may_be_deadline(t) else None
    if m is not None:
        if m.group("rest") and not m.group("post") and not m.group("pre"):
            if not m.group("rest").startswith(("完成", "已完成")):
                return None
        y = int(m.group("y")) if m.group("y") else None
        if m.group("yearend"):
            month: int | None = 12
            day: int | None = 31
        else:
            month = _month(m.group("m"))
            if month is None:
                return None
            day = int(m.group("d")) if m.group("d") else None
            if m.group("end") in ("底", "末"):
                day = calendar.monthrange(y or 2001, month)[1]
        bound = m.group("post") in _DEADLINE_BOUND or m.group("pre") in _BOUND_PREFIXES
        return _date_value(raw, y, month, day, "<=" if bound else "=")
    m = _DOTTED_DATE.match(t, timeout=_TIMEOUT) if _may_be_dotted_date(t) else None
    if m is not None:
        day = int(m.group("d")) if m.group("d") else None
        bound = m.group("post") is not None or m.group("pre") is not None
        return _date_value(raw, int(m.group("y")), int(m.group("m")), day, "<=" if bound else "=")
    return None


def _month(text: str) -> int | None:
    n = int(text) if text.isdigit() else chinese_to_int(text)
    return n if n is not None and 1 <= n <= 12 else None


def _date_value(
    raw: str, y: int | None, month: int | None, day: int | None, op: str
) -> Value | None:
    if month is None:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(y or 2000, month)[1]:
        return None  # 2月30日 is no date
    if y is None:
        date = f"--{month:02d}" + (f"-{day:02d}" if day else "")
    else:
        date = f"{y:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return Value(raw=raw, kind="deadline", op=op, date=date)


def _scaled(num: str, mult: str | None) -> Decimal | None:
    value = parse_number(num)
    if value is None:
        return None
    return value * MULTIPLIERS[mult] if mult else value


def _ratio(value: Decimal | None, unit: str | None) -> Decimal | None:
    if value is None or unit is None:
        return None
    if unit in _PERCENT_UNITS:
        return value / _PERCENT_UNITS[unit]
    if unit == "百分比":
        return value if value <= 1 else value / 100
    return None


def _subject(text: str) -> str | None:
    s = _SUBJECT_TRIM.sub("", text).strip(" :,，、")
    return s or None


def _range(raw: str, t: str) -> Value | None:
    if not _may_range(t):
        return None
    m = _RANGE.match(t, timeout=_TIMEOUT)
    if m is None:
        return None
    unit = m.group("ub") or m.group("ua")
    if m.group("ua") and m.group("ub") and m.group("ua") != m.group("ub"):
        return None
    mult_b = m.group("mb")
    lo = _scaled(m.group("a"), m.group("ma") or mult_b)
    hi = _scaled(m.group("b"), mult_b)
    if lo is None or hi is None or lo > hi:
        return None
    kind = "duration" if unit in _TIME_UNITS else "range"
    return Value(
        raw=raw, kind=kind, value=lo, upper=hi, unit=unit,
        ratio=_ratio(lo, unit), subject=_subject(m.group("subject")),
    )  # fmt: skip


def _comparison(raw: str, t: str) -> Value | None:
    if not _may_compare(t):
        return None
    m = _COMPARISON.match(t, timeout=_TIMEOUT)
    if m is None:
        return None
    value = _scaled(m.group("num"), m.group("mult"))
    if value is None:
        return None
    suffix = m.group("suffix")
    op = _OP_WORDS.get(m.group("op") or "") or _SUFFIX_OPS.get(suffix or "") or "="
    unit = m.group("unit") or None
    approx = m.group("approx1") or m.group("approx2") or ("左右" if suffix == "左右" else None)
    subject = _subject(m.group("subject"))
    kind = "duration" if unit in _TIME_UNITS else "comparison"
    if subject is not None and _DATE_TAIL.search(subject):
        return None  # "2021.1", "2月30日": digits or a date glued to the subject
    return Value(
        raw=raw, kind=kind, op=op, value=value, unit=unit, ratio=_ratio(value, unit),
        subject=subject, approx=approx,
    )  # fmt: skip


def _qualitative(raw: str, t: str) -> Value:
    m = _OP_PREFIX.match(t)
    if m is not None:
        return Value(raw=raw, kind="qualitative", op=_OP_WORDS[m.group("op")],
                     subject=_subject(m.group("rest")))  # fmt: skip
    return Value(raw=raw, kind="qualitative")
