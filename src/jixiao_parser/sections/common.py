"""Helpers shared by the section parsers: text tidying, numbers, the sink."""

from __future__ import annotations

from decimal import Decimal

import attrs
import regex

from ..document import Cell, Line
from ..figures import read_decimal, read_points
from ..model import Diagnostic, GoalItem, Leftover
from ..segment import goal_subtable

__all__ = [
    "Sink",
    "fold_label",
    "is_dash",
    "read_decimal",
    "read_goal_item",
    "read_points",
    "tidy",
]

_CJK = r"\p{Han}\p{InCJK_Symbols_and_Punctuation}\p{InHalfwidth_and_Fullwidth_Forms}"
_SPACE_IN_CJK = regex.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_ANY_SPACE = regex.compile(r"\s+")
_BREAK = regex.compile(r"\s*\n\s*")
_SPACES = regex.compile(r"[ \t\u00a0\u3000]+")
_DASH = regex.compile(r"^[\s\-—–_/\\.…·|]*$")
_DASH_CHARS = "-—–_/\\.…·|"  # what _DASH admits besides whitespace


def tidy(text: str) -> str:
    """Join wrapped lines and drop layout spaces between CJK characters.

    >>> tidy("扩大选择\\n范围，实现")
    '扩大选择范围，实现'
    >>> tidy("经济效益 指标"), tidy("1.活动2场 2.讲座3场")
    ('经济效益指标', '1.活动2场 2.讲座3场')
    """
    text = text.strip()
    if not _has_space(text):
        return text  # nothing to join or drop
    # each pass only where it can change something (goal texts run to hundreds of
    # characters): every whitespace character but " " is unprintable
    out = _join_breaks(text) if "\n" in text else text
    printable = out.isprintable()
    if "  " in out or not printable:
        out = _SPACES.sub(" ", out)
        printable = out.isprintable()
    if not printable:
        out = _SPACE_IN_CJK.sub("", out)
    elif " " in out:  # the only whitespace: the pattern is tried from the first to the last
        out = _SPACE_IN_CJK.sub("", out, pos=out.index(" "), endpos=out.rindex(" ") + 2)
    return out


def _join_breaks(text: str) -> str:
    """``_BREAK.sub(_join_break, text)``, the pattern tried only from the
    whitespace before the first line break to the whitespace after the last
    (``str.strip`` strips what ``\\s`` matches and more: the span is never short)."""
    first, last = text.index("\n"), text.rindex("\n")
    start = len(text[:first].rstrip())
    end = len(text) - len(text[last + 1 :].lstrip())
    return _BREAK.sub(_join_break, text, pos=start, endpos=end)


def _join_break(m: regex.Match[str]) -> str:
    return _joiner(m.string, m.start(), m.end())


def _has_space(text: str) -> bool:
    """Whether ``text`` holds whitespace (``\\s``): every whitespace character but
    the plain space is unprintable, so most cells are settled without a regex.

    >>> _has_space("示例项目"), _has_space("示例 项目"), _has_space("示例\\u3000项目")
    (False, True, True)
    """
    if " " in text or "\n" in text:
        return True
    return not text.isprintable() and _ANY_SPACE.search(text) is not None


def _joiner(s: str, start: int, end: int) -> str:
    before = s[start - 1] if start else ""
    after = s[end] if end < len(s) else ""
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return " "
    return ""


def fold_label(norm: str) -> str:
    """A label as the schema wants it, from normalised text (``Cell.norm``: width
    folded already): no spaces or line breaks at all.

    >>> from jixiao_parser.document import normalize_text
    >>> fold_label(normalize_text("其中：当年财政 拨款")), fold_label("产出指标 (50分)")
    ('其中:当年财政拨款', '产出指标(50分)')
    """
    return _ANY_SPACE.sub("", norm) if _has_space(norm) else norm


def is_dash(text: str) -> bool:
    """Empty or a dash/slash placeholder (``—``, ``/``, ``……``)."""
    if text and text[0] not in _DASH_CHARS and not text[0].isspace():
        return False  # settled by the first character (most cells)
    return bool(_DASH.match(text))


@attrs.define
class Sink:
    """Collects diagnostics and left-over cells while a form is parsed."""

    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    leftover: list[Leftover] = attrs.field(factory=list)

    def note(self, code: str, severity: str, message: str, where: str | None = None) -> None:
        """Record a diagnostic; ``code`` must be registered in
        :mod:`jixiao_parser.diagnostics` with this ``severity`` (else ``ValueError``)."""
        self.diagnostics.append(Diagnostic(code, severity, message, where))

    def keep(self, cell: Cell, section: str) -> None:
        """Record a non-empty cell no field took."""
        if not is_dash(cell.text):
            self.leftover.append(Leftover(cell.text, f"{section} {cell.where}"))


def read_goal_item(line: Line) -> GoalItem:
    """A row opening a goal sub-table → its :class:`GoalItem`.

    ``年度绩效目标1(40分)\t完成道路养护…`` → label ``年度绩效目标1``, points 40, the text.
    """
    found = goal_subtable(line)
    if found is None:
        msg = f"not a goal sub-table row: {line.where}"
        raise ValueError(msg)
    label, points = found
    text = tidy("\n".join(c.text for c in line.filled[1:])) or None
    return GoalItem(label, Decimal(points) if points else None, text, where=line.where)
