"""Hypothesis strategies: typed values, their written renderings, synthetic forms."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

CN_DIGITS = "零一二三四五六七八九"
FULL = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789%=<>."})

# (op, how it may be written before the number, after the number)
OP_STYLES: dict[str, tuple[tuple[str, str], ...]] = {
    "=": (("", ""), ("=", ""), ("＝", ""), ("﹦", ""), ("═", ""), ("等于", "")),
    ">=": (("≥", ""), (">=", ""), ("≧", ""), ("＞＝", ""), ("不少于", ""), ("不低于", ""),
           ("至少", ""), ("大于等于", ""), ("", "以上"), ("", "及以上")),
    "<=": (("≤", ""), ("<=", ""), ("≦", ""), ("不超过", ""), ("不高于", ""),
           ("", "以内"), ("", "以下")),
    ">": ((">", ""), ("大于", ""), ("超过", ""), ("高于", "")),
    "<": (("<", ""), ("小于", ""), ("低于", "")),
}  # fmt: skip
UNITS = ("个", "人", "场", "份", "户", "次", "平方米", "%", "篇", "元", "公里", "人次", None)
NAME_CHARS = "计划生育宣传服务项目资金保障覆盖对象家庭培训活动建设管理质量满意"


def to_chinese(n: int) -> str:
    """A non-negative integer below 10,000 in Chinese numerals (test-side renderer)."""
    if n == 0:
        return "零"
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
                zero = False
            out += ("" if (unit == "十" and digit == 1 and not out) else CN_DIGITS[digit]) + unit
        elif out:
            zero = True
    return out


@st.composite
def typed_values(draw: st.DrawFn) -> tuple[str, Decimal, str | None]:
    """(op, value, unit) with a value that any style can write."""
    op = draw(st.sampled_from(sorted(OP_STYLES)))
    unit = draw(st.sampled_from(UNITS))
    if draw(st.booleans()):
        value = Decimal(draw(st.integers(0, 9999)))
    else:
        value = Decimal(draw(st.integers(0, 999999))) / Decimal(100)
    return op, value, unit


@st.composite
def renderings(draw: st.DrawFn, typed: tuple[str, Decimal, str | None]) -> str:
    """One way a clerk might write ``typed``: symbol or word, width, numerals."""
    op, value, unit = typed
    before, after = draw(st.sampled_from(OP_STYLES[op]))
    if value == value.to_integral_value() and draw(st.booleans()):
        number = to_chinese(int(value))
    else:
        number = format(value.normalize(), "f")
        if draw(st.booleans()):
            number = number.translate(FULL)
    text = f"{before}{number}{unit or ''}{after}"
    if draw(st.booleans()):
        text = text.translate(FULL)
    if draw(st.booleans()):
        text = f" {text} "
    return text


def _not_a_label(name: str) -> bool:
    from jixiao_parser import vocab

    key = vocab.label_key(name)
    tables = (
        vocab.HEADER_FIELDS,
        vocab.FUNDING_COLUMNS,
        vocab.GOAL_LABELS,
        vocab.INDICATOR_COLUMNS,
    )
    return not (
        key in vocab.LEVEL1_TERMS or key in vocab.LEVEL2_TERMS or key in vocab.GROUP_LABELS
        or key in vocab.TOTAL_LABELS or any(vocab.lookup(t, key) for t in tables)
        or vocab.TITLE.search(key)
    )  # fmt: skip


names = st.text(alphabet=NAME_CHARS, min_size=2, max_size=12).filter(_not_a_label)
