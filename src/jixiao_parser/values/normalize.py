"""Normalise a value cell once, before any matching (idempotent).

The cell's text goes through the document's one normalisation stage
(:func:`jixiao_parser.document.normalize_text`: width, operator look-alikes,
whitespace runs); a value then also loses every space and line break, has its
ASCII operator spellings folded (``>=`` → ``≥``) and says ``%`` once (``%(百分比)``).
"""

from __future__ import annotations

import functools

import regex

from ..document import normalize_text
from .words import OPERATOR_SPELLINGS, PERCENT_WORD

__all__ = ["LIST_OPENERS", "normalize_value_text", "numbered_items", "split_numbered_items"]

_SPACE = regex.compile(r"\s+")
_PERCENT_WORD = regex.compile(rf"%\(?{regex.escape(PERCENT_WORD)}\)?")


@functools.lru_cache(maxsize=16384)  # the value grammar and the 指标性质 test share cells
def normalize_value_text(text: str) -> str:
    """Fold width and operator look-alikes, drop all whitespace.

    >>> normalize_value_text("＞＝ ９５ ％")
    '≥95%'
    >>> normalize_value_text("≧|300 公\\n里".replace("|", ""))
    '≥300公里'
    >>> normalize_value_text(">= 98 %(百分比)")
    '≥98%'
    >>> normalize_value_text("≥1000㎡")
    '≥1000m²'
    """
    t = text
    for _ in range(4):  # dropping a space can join what NFKC composes: to a fixed point
        before = t
        t = normalize_text(t)
        if " " in t or not t.isprintable():  # every \s but " " is unprintable
            t = _SPACE.sub("", t)
        for a, b in OPERATOR_SPELLINGS:
            if a in t:
                t = t.replace(a, b)
        if "%" in t:
            t = _PERCENT_WORD.sub("%", t)
        if t == before:
            break
    return t


# "1." "1、" "1．" "(1)" "（1）" at the start or after whitespace / punctuation.
_MARKER = regex.compile(
    r"(?:^|(?<=[\s,，;；。!！?？]))(?:(?P<n>\d{1,2})[.、．]|[(（](?P<p>\d{1,2})[)）])"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
#: what a numbered list opens with besides a digit: ( （ ①…
LIST_OPENERS = frozenset("(（" + _CIRCLED)


def split_numbered_items(text: str) -> list[str] | None:
    """Split a numbered list ``1.… 2.… 3.…`` into its items, or ``None``.

    The numbers must run 1, 2, 3 … with at least two items.

    >>> split_numbered_items("1.保险覆盖率=100% 2.活动2场 3.活动17场")
    ['保险覆盖率=100%', '活动2场', '活动17场']
    >>> split_numbered_items("1.3月30日前 2.9月30日前")
    ['3月30日前', '9月30日前']
    >>> split_numbered_items("1.5万元") is None
    True
    """
    items = numbered_items(text)
    return None if items is None else list(items)


# the value grammar and the indicator parts split the same cells
@functools.lru_cache(maxsize=16384)
def numbered_items(text: str) -> tuple[str, ...] | None:
    """:func:`split_numbered_items` as a tuple, cached (for callers that only read it).

    >>> numbered_items("1.活动2场 2.讲座3场")
    ('活动2场', '讲座3场')
    """
    t = text.strip()
    if not t or not (t[0].isdecimal() or t[0] in LIST_OPENERS):
        return None  # the first item's marker opens the text
    if t[0] not in _CIRCLED and sum(map(t.count, ".、．)）")) < 2:
        return None  # every marker ends in one of these, and two are needed
    starts: list[tuple[int, int]] = []  # (marker start, content start)
    if t[0] in _CIRCLED:
        for k, ch in enumerate(_CIRCLED):
            pos = t.find(ch, starts[-1][1] if starts else 0)
            if pos < 0:
                break
            if k == 0 and pos != 0:
                return None
            starts.append((pos, pos + 1))
    else:
        expected = 1
        for m in _MARKER.finditer(t):
            n = int(m.group("n") or m.group("p"))
            if n != expected:
                continue
            if expected == 1 and m.start() != 0:
                return None
            if starts and m.start() < starts[-1][1]:
                continue
            starts.append((m.start(), m.end()))
            expected += 1
    if len(starts) < 2:
        return None
    items = []
    for k, (_, begin) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(t)
        items.append(t[begin:end].strip().rstrip(";；,，").strip())
    return tuple(items)
