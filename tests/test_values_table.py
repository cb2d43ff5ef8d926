"""Table tests for ``parse_value``: one value cell in, one ``Value`` out.

Every expectation here is written by hand from the specification
(``shared/SCHEMA.md`` section "Value" and ``docs/values.md``), not from the
implementation. Raw strings come from SCHEMA.md's example table, from
``shared/VALUES.md`` (strings seen in published forms) and from the grammar in
``docs/values.md``.

Each case gives ``kind`` and the fields it pins; fields it leaves out are not
checked. The builders below (``cmp``, ``dur``, ``rng``, ``ddl``, ``qual``,
``EMPTY``) pin every field the spec decides for that kind, so a comparison case
also checks that ``upper``/``date`` are null and that ``ratio`` is null for
units other than %/‰/百分比.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao_parser import parse_value

D = Decimal

# Fields whose values are numbers: must be Decimal (or None), compared by value.
_NUMERIC = ("value", "upper", "ratio")


# --------------------------------------------------------------------------
# Expected-value builders (each returns a plain dict of field -> expected)
# --------------------------------------------------------------------------


def _num(x: str | None) -> Decimal | None:
    return None if x is None else Decimal(x)


def cmp(
    op: str,
    value: str,
    unit: str | None = None,
    *,
    ratio: str | None = None,
    subject: str | None = None,
    approx: str | None = None,
) -> dict[str, Any]:
    """A ``comparison``: ``op`` number [unit]."""
    return {
        "kind": "comparison",
        "op": op,
        "value": _num(value),
        "upper": None,
        "unit": unit,
        "ratio": _num(ratio),
        "subject": subject,
        "approx": approx,
        "date": None,
        "placeholder": False,
        "n_items": 0,
    }


def dur(
    op: str | None,
    value: str,
    unit: str,
    *,
    upper: str | None = None,
    subject: str | None = None,
    approx: str | None = None,
) -> dict[str, Any]:
    """A ``duration``: a number with a unit of time (or a range of them)."""
    return {
        "kind": "duration",
        "op": op,
        "value": _num(value),
        "upper": _num(upper),
        "unit": unit,
        "ratio": None,
        "subject": subject,
        "approx": approx,
        "date": None,
        "placeholder": False,
        "n_items": 0,
    }


def rng(value: str, upper: str, unit: str | None, *, ratio: str | None = None) -> dict[str, Any]:
    """A ``range``: value = lower bound, upper = upper bound, op null."""
    return {
        "kind": "range",
        "op": None,
        "value": _num(value),
        "upper": _num(upper),
        "unit": unit,
        "ratio": _num(ratio),
        "subject": None,
        "approx": None,
        "date": None,
        "placeholder": False,
        "n_items": 0,
    }


def ddl(op: str, date: str) -> dict[str, Any]:
    """A ``deadline``: ISO date (or --MM-DD / YYYY-MM / --MM), value/unit null."""
    return {
        "kind": "deadline",
        "op": op,
        "value": None,
        "upper": None,
        "unit": None,
        "ratio": None,
        "date": date,
        "placeholder": False,
        "n_items": 0,
    }


def qual(
    op: str | None = None, subject: str | None = None, *, placeholder: bool = False
) -> dict[str, Any]:
    """A ``qualitative`` cell: no number; op/subject only for 不高于X-style text."""
    return {
        "kind": "qualitative",
        "op": op,
        "value": None,
        "upper": None,
        "unit": None,
        "ratio": None,
        "subject": subject,
        "approx": None,
        "date": None,
        "placeholder": placeholder,
        "n_items": 0,
    }


PLACEHOLDER = qual(placeholder=True)

EMPTY: dict[str, Any] = {
    "kind": "empty",
    "op": None,
    "value": None,
    "upper": None,
    "unit": None,
    "ratio": None,
    "subject": None,
    "approx": None,
    "date": None,
    "n_items": 0,
}


def compound(n_items: int) -> dict[str, Any]:
    """A ``compound`` cell: only ``items`` is set, everything else null."""
    return {
        "kind": "compound",
        "op": None,
        "value": None,
        "upper": None,
        "unit": None,
        "ratio": None,
        "subject": None,
        "approx": None,
        "date": None,
        "n_items": n_items,
    }


def chg(
    op: str,
    value: str,
    unit: str,
    *,
    ratio: str | None = None,
    subject: str | None = None,
    approx: str | None = None,
) -> dict[str, Any]:
    """A ``change``: a signed change (a fall is negative) against a baseline; the
    same fields as a comparison."""
    fields = cmp(op, value, unit, ratio=ratio, subject=subject, approx=approx)
    return {**fields, "kind": "change"}


def case(raw: str, expected: dict[str, Any]) -> Any:
    """One table row; the test id is the raw string itself."""
    return pytest.param(raw, expected, id=raw if raw else "<empty>")


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------

SCHEMA_EXAMPLES = [
    # SCHEMA.md, "Examples the normaliser must get right", row by row.
    case("=90", cmp("=", "90")),
    case("=3000份", cmp("=", "3000", "份")),
    case("=1百分比", cmp("=", "1", "百分比", ratio="1.0")),
    case(">=0.9百分比", cmp(">=", "0.9", "百分比", ratio="0.9")),
    case("活动17场", cmp("=", "17", "场", subject="活动")),
    case("保险覆盖率=100%", cmp("=", "100", "%", ratio="1.0", subject="保险覆盖率")),
    case("≥95%", cmp(">=", "95", "%", ratio="0.95")),
    case("不高于预算下达数", qual("<=", "预算下达数")),
    case("3月30日前", ddl("<=", "--03-30")),
    case("一年", dur("=", "1", "年")),
    case("12000", cmp("=", "12000")),
    case("90", cmp("=", "90")),  # an actual cell
    case("不适用", PLACEHOLDER),
    case("≤90万元", cmp("<=", "900000", "元")),
    case("近400个", cmp("=", "400", "个", approx="近")),
    case("5支以上", cmp(">=", "5", "支")),
    case("不少于六十场", cmp(">=", "60", "场")),
    # `≧|95|%` spread over three cells reaches parse_value joined: raw `≧95%`.
    case("≧95%", cmp(">=", "95", "%", ratio="0.95")),
    case("30%-50%", rng("30", "50", "%", ratio="0.3")),
    case("1.保险覆盖率=100% 2.活动2场", compound(2)),
]

COMPARISONS = [
    # Unicode operators
    case("≥50个", cmp(">=", "50", "个")),
    case("≥100百分比", cmp(">=", "100", "百分比", ratio="1")),
    case("=95百分比", cmp("=", "95", "百分比", ratio="0.95")),
    case("=8个", cmp("=", "8", "个")),
    case("=100%", cmp("=", "100", "%", ratio="1")),
    case("≤10次", cmp("<=", "10", "次")),
    case("≤5%", cmp("<=", "5", "%", ratio="0.05")),
    case("≥266米", cmp(">=", "266", "米")),
    case("≥50厘米", cmp(">=", "50", "厘米")),
    case("≥200平方米", cmp(">=", "200", "平方米")),
    case("≥20座", cmp(">=", "20", "座")),
    case("≥10户", cmp(">=", "10", "户")),
    case("≥100%", cmp(">=", "100", "%", ratio="1")),
    case("≥8400元", cmp(">=", "8400", "元")),
    case("≤28.40/株", cmp("<=", "28.40", "/株")),
    # ASCII operators (>= <= => =< fold to ≥ ≤)
    case(">=98%", cmp(">=", "98", "%", ratio="0.98")),
    case("<=475元/亩", cmp("<=", "475", "元/亩")),
    case("<=3000元/平方米", cmp("<=", "3000", "元/平方米")),
    case(">=17600株", cmp(">=", "17600", "株")),
    case(">=85", cmp(">=", "85")),
    case("=>90%", cmp(">=", "90", "%", ratio="0.9")),
    case("=<10%", cmp("<=", "10", "%", ratio="0.1")),
    case(">0", cmp(">", "0")),
    case("<5%", cmp("<", "5", "%", ratio="0.05")),
    # Full-width digits and operators (NFKC)
    case("≥９５％", cmp(">=", "95", "%", ratio="0.95")),
    case("＞＝９５％", cmp(">=", "95", "%", ratio="0.95")),
    case("＝１００％", cmp("=", "100", "%", ratio="1")),
    case("＜＝５％", cmp("<=", "5", "%", ratio="0.05")),
    case("１２０人", cmp("=", "120", "人")),
    # Operator look-alikes
    case("≦5%", cmp("<=", "5", "%", ratio="0.05")),
    case("≦0", cmp("<=", "0")),
    case("═100%", cmp("=", "100", "%", ratio="1")),
    case("﹦72890元", cmp("=", "72890", "元")),
    case("≧735人次", cmp(">=", "735", "人次")),
    # `W` (OCR of ≤) is NOT folded: it must not become <=. Subject left unchecked.
    case(
        "W 100%",
        {"kind": "comparison", "op": "=", "value": D("100"), "unit": "%", "ratio": D("1")},
    ),
    # Operator words
    case("不低于95%", cmp(">=", "95", "%", ratio="0.95")),
    case("不小于90%", cmp(">=", "90", "%", ratio="0.9")),
    case("大于等于90%", cmp(">=", "90", "%", ratio="0.9")),
    case("至少2次", cmp(">=", "2", "次")),
    case("不超过10万元", cmp("<=", "100000", "元")),
    case("不大于10%", cmp("<=", "10", "%", ratio="0.1")),
    case("小于等于5%", cmp("<=", "5", "%", ratio="0.05")),
    case("最多3次", cmp("<=", "3", "次")),
    case("大于0", cmp(">", "0")),
    case("超过50人", cmp(">", "50", "人")),
    case("高于80%", cmp(">", "80", "%", ratio="0.8")),
    case("低于3%", cmp("<", "3", "%", ratio="0.03")),
    case("等于100%", cmp("=", "100", "%", ratio="1")),
    # Suffix operators
    case("95%以上", cmp(">=", "95", "%", ratio="0.95")),
    case("5%以内", cmp("<=", "5", "%", ratio="0.05")),
    case("10人以下", cmp("<=", "10", "人")),
    case("20个及以上", cmp(">=", "20", "个")),
    case("3次及以下", cmp("<=", "3", "次")),
    # 万 / 亿 multipliers: the multiplier leaves the unit
    case("≤202.6万元", cmp("<=", "2026000", "元")),
    case(">=2.61万元", cmp(">=", "26100", "元")),
    case("≥80万元", cmp(">=", "800000", "元")),
    case("15万元", cmp("=", "150000", "元")),
    case("5万余份", cmp("=", "50000", "份", approx="余")),
    case("10万", cmp("=", "100000")),
    case("854万", cmp("=", "8540000")),
    case("1.2亿元", cmp("=", "120000000", "元")),
    case("1.5万元", cmp("=", "15000", "元")),  # NOT a numbered list
    # Hedges (approx)
    case("约1000人", cmp("=", "1000", "人", approx="约")),
    case("大约50次", cmp("=", "50", "次", approx="大约")),
    case("将近300户", cmp("=", "300", "户", approx="将近")),
    case("40余篇", cmp("=", "40", "篇", approx="余")),
    case("30多家", cmp("=", "30", "家", approx="多")),
    case("100人左右", cmp("=", "100", "人", approx="左右")),
    case("95%左右", cmp("=", "95", "%", ratio="0.95", approx="左右")),
    case("近百头", cmp("=", "100", "头", approx="近")),
    # Chinese numerals
    case("一百二十人", cmp("=", "120", "人")),
    case("两个", cmp("=", "2", "个")),
    case("十二次", cmp("=", "12", "次")),
    case("十次", cmp("=", "10", "次")),
    case("二十五个", cmp("=", "25", "个")),
    case("一千人", cmp("=", "1000", "人")),
    case("两万元", cmp("=", "20000", "元")),
    # Subjects (words before the number / operator, minus 达/达到/为/已达/:)
    case("足额保障率=100%", cmp("=", "100", "%", ratio="1", subject="足额保障率")),
    case("保险覆盖率达100%", cmp("=", "100", "%", ratio="1", subject="保险覆盖率")),
    case("满意度达到95%", cmp("=", "95", "%", ratio="0.95", subject="满意度")),
    case("完成率为100%", cmp("=", "100", "%", ratio="1", subject="完成率")),
    case("覆盖率已达90%", cmp("=", "90", "%", ratio="0.9", subject="覆盖率")),
    case("培训人数：200人", cmp("=", "200", "人", subject="培训人数")),
    case("满意度≥90%", cmp(">=", "90", "%", ratio="0.9", subject="满意度")),
    case("满意度不低于90%", cmp(">=", "90", "%", ratio="0.9", subject="满意度")),
    case(
        "政策性挂账利息补贴保障率 100%",
        cmp("=", "100", "%", ratio="1", subject="政策性挂账利息补贴保障率"),
    ),
    # Bare numbers and number + unit
    case("0", cmp("=", "0")),  # stated as 0 -> 0, never null
    case("43.2", cmp("=", "43.2")),
    case("0.9", cmp("=", "0.9")),
    case("132.9", cmp("=", "132.9")),
    case("0.0900000762939453", cmp("=", "0.0900000762939453")),  # exact, no float noise
    case("2370人", cmp("=", "2370", "人")),
    case("8例", cmp("=", "8", "例")),
    case("0起", cmp("=", "0", "起")),
    case("5.5亩", cmp("=", "5.5", "亩")),
    case("3500公斤", cmp("=", "3500", "公斤")),
    case("1600元/亩", cmp("=", "1600", "元/亩")),
    case("2200篇", cmp("=", "2200", "篇")),
    # Plain percentages
    case("100.00%", cmp("=", "100.00", "%", ratio="1")),
    case("97.30%", cmp("=", "97.30", "%", ratio="0.973")),
    case("72.74%", cmp("=", "72.74", "%", ratio="0.7274")),
    case("3%", cmp("=", "3", "%", ratio="0.03")),
    # Thousands separators
    case("965,043.97", cmp("=", "965043.97")),
    case("1,200人", cmp("=", "1200", "人")),
    case("≤1,000,000元", cmp("<=", "1000000", "元")),
    # Spaces and line breaks inside the cell
    case("300 公\n里", cmp("=", "300", "公里")),
    case("不少于12 种", cmp(">=", "12", "种")),
    case("200 人次", cmp("=", "200", "人次")),
    case("≥ 95 %", cmp(">=", "95", "%", ratio="0.95")),
    case("≧ 735\n人次", cmp(">=", "735", "人次")),
    # "%(百分比)" after % is dropped
    case(">= 98 %(百分比)", cmp(">=", "98", "%", ratio="0.98")),
    case(">= 99 %（百分比）", cmp(">=", "99", "%", ratio="0.99")),
    # Per-mille
    case("小于0.9‰", cmp("<", "0.9", "‰", ratio="0.0009")),
    case("≤3‰", cmp("<=", "3", "‰", ratio="0.003")),
]

RANGES = [
    case("0.6~0.8万元", rng("6000", "8000", "元")),
    case("80%~90%", rng("80", "90", "%", ratio="0.8")),
    case("80%～90%", rng("80", "90", "%", ratio="0.8")),  # full-width tilde
    case("10-20人", rng("10", "20", "人")),
    case("5至10个", rng("5", "10", "个")),
    case("3万-5万元", rng("30000", "50000", "元")),
]

DURATIONS = [
    case("≥15年", dur(">=", "15", "年")),
    case("15年", dur("=", "15", "年")),
    case("≥20年", dur(">=", "20", "年")),
    case("6小时内", dur("<=", "6", "小时")),
    case("3到5年", dur(None, "3", "年", upper="5")),
    case("1-2个月", dur(None, "1", "个月", upper="2")),
    case("2～3天", dur(None, "2", "天", upper="3")),
    case("五年", dur("=", "5", "年")),
    case("三个月", dur("=", "3", "个月")),
    case("12个月", dur("=", "12", "个月")),
    case("30天", dur("=", "30", "天")),
    case("2周", dur("=", "2", "周")),
    case("48小时", dur("=", "48", "小时")),
    case("30分钟", dur("=", "30", "分钟")),
    case("不超过3个月", dur("<=", "3", "个月")),
    case("不少于3年", dur(">=", "3", "年")),
    case("约3年", dur("=", "3", "年", approx="约")),
    case("项目期限 3年", dur("=", "3", "年", subject="项目期限")),
]

DEADLINES = [
    case("2023年12月31日前", ddl("<=", "2023-12-31")),
    case("2022年12月31日之前", ddl("<=", "2022-12-31")),
    case("2022年6月30日以前", ddl("<=", "2022-06-30")),
    case("截至2023年12月31日", ddl("<=", "2023-12-31")),
    case("12月31日前", ddl("<=", "--12-31")),
    case("6月前", ddl("<=", "--06")),
    case("年底前", ddl("<=", "--12-31")),
    case("年末", ddl("=", "--12-31")),
    case("年底完成", ddl("=", "--12-31")),
    case("2021年12月完成", ddl("=", "2021-12")),
    case("2023年10月", ddl("=", "2023-10")),
    case("2023年2月24日", ddl("=", "2023-02-24")),
    case("2021.12", ddl("=", "2021-12")),
]

QUALITATIVE = [
    case("效果显著", qual()),
    case("效果明显", qual()),
    case("达成预期指标", qual()),
    case("优良中低差", qual()),
    case("合格", qual()),
    case("是", qual()),
    case("高", qual()),
    case("优", qual()),
    case("有效", qual()),
    case("完成", qual()),
    case("已完成", qual()),
    case("应保尽保", qual()),
    case("显著提升", qual()),
    case("按质按量完成", qual()),
    case("符合相关规定", qual()),
    case("严格执行相关制度规定", qual()),
    case("社会认可的办学环境.", qual()),
    case("完成年度目标。", qual()),
    case("目标明确、内容细化、目标量化", qual()),
    case("财务制度健全,严格执行制度,会计核算规范", qual()),
    case("按月安排", qual()),
    case("在项目计划完成时间内完成", qual()),
    case("无安全事故", qual()),  # not the bare placeholder word
    # An operator word with no number: op set, subject = the rest
    case("不超过预算数", qual("<=", "预算数")),
    case("不低于上年水平", qual(">=", "上年水平")),
    case("低于市场价", qual("<", "市场价")),
    # Template remnant: operator but no number -> qualitative, never a crash
    case("≥**个", {"kind": "qualitative", "value": None, "unit": None}),
    # Placeholders
    case("无", PLACEHOLDER),
    case("暂无", PLACEHOLDER),
    case("无此项", PLACEHOLDER),
]

EMPTIES = [
    case("", EMPTY),
    case("—", EMPTY),
    case("——", EMPTY),
    case("-", EMPTY),
    case("－", EMPTY),  # full-width hyphen
    case("/", EMPTY),
    case("/ / /", EMPTY),
    case("……", EMPTY),
    case("...", EMPTY),
]

COMPOUNDS = [
    case("1.保险覆盖率=100% 2.活动2场 3.活动17场", compound(3)),
    case("1.3月30日前 2.9月30日前", compound(2)),
    case("1、≥95% 2、≥90%", compound(2)),
    case("(1)≥95% (2)≤5%", compound(2)),
    case("（1）100% （2）95%", compound(2)),
    case("1．保险覆盖率=100% 2．活动2场", compound(2)),
    case("①活动2场 ②培训3次", compound(2)),
    case("1、2023年12月31日前；2、95%", compound(2)),
]

# SCHEMA.md's change examples, and the wordings of the issue that added the kind.
CHANGES = [
    case("提高2个百分点", chg("=", "2", "个百分点")),
    case("下降5%", chg("=", "-5", "%", ratio="-0.05")),
    case("较上年增长10%", chg("=", "10", "%", ratio="0.1", subject="较上年")),
    case("同比减少3个百分点", chg("=", "-3", "个百分点", subject="同比")),
    case("增幅不低于8%", chg(">=", "8", "%", ratio="0.08")),
    # a fall of at least 5%: the signed change is at most -5
    case("降幅不低于5%", chg("<=", "-5", "%", ratio="-0.05")),
    case("下降5%以上", chg("<=", "-5", "%", ratio="-0.05")),
    case("增长不超过10%", chg("<=", "10", "%", ratio="0.1")),
    case("投诉率同比下降12%", chg("=", "-12", "%", ratio="-0.12", subject="投诉率同比")),
    case("提高约0.5个百分点", chg("=", "0.5", "个百分点", approx="约")),
    case("比上年提高２个百分点", chg("=", "2", "个百分点", subject="比上年")),
    # not a change: an amount (the change units are percent and percentage points)
    case("降低1000元", cmp("=", "1000", "元", subject="降低")),
]

CASES = (
    SCHEMA_EXAMPLES
    + CHANGES
    + COMPARISONS
    + RANGES
    + DURATIONS
    + DEADLINES
    + QUALITATIVE
    + EMPTIES
    + COMPOUNDS
)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _observed(v: Any, expected: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``v`` that ``expected`` names, in the same shape."""
    got: dict[str, Any] = {}
    for field in expected:
        if field == "n_items":
            got[field] = len(v.items)
        else:
            got[field] = getattr(v, field)
    return got


def check_value(v: Any, expected: dict[str, Any]) -> None:
    """``kind`` always; then exactly the fields ``expected`` names.

    Numbers are compared as Decimal by value (``Decimal("1") == Decimal("1.0")``);
    a float would not compare equal to the exact Decimal, and an int is rejected
    by the type check. A numeric field is required to be None only where the
    case says None.
    """
    assert "kind" in expected
    for field in _NUMERIC:
        if field in expected:
            got = getattr(v, field)
            assert got is None or isinstance(got, Decimal), f"{field}={got!r} is not a Decimal"
    assert _observed(v, expected) == expected


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_parse_value(raw: str, expected: dict[str, Any]) -> None:
    v = parse_value(raw)
    assert v.raw == raw.strip()
    check_value(v, expected)


COMPOUND_ITEMS = [
    pytest.param(
        "1.保险覆盖率=100% 2.活动2场",
        [
            cmp("=", "100", "%", ratio="1", subject="保险覆盖率"),
            cmp("=", "2", "场", subject="活动"),
        ],
        id="1.保险覆盖率=100% 2.活动2场",
    ),
    pytest.param(
        "1.保险覆盖率=100% 2.活动2场 3.活动17场",
        [
            cmp("=", "100", "%", ratio="1", subject="保险覆盖率"),
            cmp("=", "2", "场", subject="活动"),
            cmp("=", "17", "场", subject="活动"),
        ],
        id="1.保险覆盖率=100% 2.活动2场 3.活动17场",
    ),
    pytest.param(
        "1.3月30日前 2.9月30日前",
        [ddl("<=", "--03-30"), ddl("<=", "--09-30")],
        id="1.3月30日前 2.9月30日前",
    ),
    pytest.param(
        "1、≥95% 2、≥90%",
        [cmp(">=", "95", "%", ratio="0.95"), cmp(">=", "90", "%", ratio="0.9")],
        id="1、≥95% 2、≥90%",
    ),
    pytest.param(
        "(1)≥95% (2)≤5%",
        [cmp(">=", "95", "%", ratio="0.95"), cmp("<=", "5", "%", ratio="0.05")],
        id="(1)≥95% (2)≤5%",
    ),
    pytest.param(
        "（1）100% （2）95%",
        [cmp("=", "100", "%", ratio="1"), cmp("=", "95", "%", ratio="0.95")],
        id="（1）100% （2）95%",
    ),
    pytest.param(
        "1．保险覆盖率=100% 2．活动2场",
        [
            cmp("=", "100", "%", ratio="1", subject="保险覆盖率"),
            cmp("=", "2", "场", subject="活动"),
        ],
        id="1．保险覆盖率=100% 2．活动2场",
    ),
    pytest.param(
        "①活动2场 ②培训3次",
        [cmp("=", "2", "场", subject="活动"), cmp("=", "3", "次", subject="培训")],
        id="①活动2场 ②培训3次",
    ),
    pytest.param(
        "1、2023年12月31日前；2、95%",
        [ddl("<=", "2023-12-31"), cmp("=", "95", "%", ratio="0.95")],
        id="1、2023年12月31日前；2、95%",
    ),
]


@pytest.mark.parametrize(("raw", "items"), COMPOUND_ITEMS)
def test_compound_items(raw: str, items: list[dict[str, Any]]) -> None:
    v = parse_value(raw)
    assert v.kind == "compound"
    assert len(v.items) == len(items)
    for item in v.items:
        for field in _NUMERIC:
            got = getattr(item, field)
            assert got is None or isinstance(got, Decimal), f"{field}={got!r}"
    # One comparison over all items, so a failure shows every item's diff at once.
    assert [_observed(got, want) for got, want in zip(v.items, items, strict=True)] == items


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        pytest.param("  ≥９５％ ", "≥９５％", id="spaces around full-width"),
        pytest.param("\t活动17场\n", "活动17场", id="tab and newline around"),
        pytest.param("300 公\n里", "300 公\n里", id="inner line break kept"),
        pytest.param("\n≧95%\n", "≧95%", id="look-alike not folded in raw"),
        pytest.param("   ", "", id="only spaces"),
    ],
)
def test_raw_is_trimmed_text_as_read(text: str, raw: str) -> None:
    assert parse_value(text).raw == raw


def test_only_spaces_is_empty() -> None:
    v = parse_value("  \n ")
    assert v.kind == "empty"
    assert v.value is None


def test_table_has_distinct_raw_strings() -> None:
    raws = [p.values[0] for p in CASES]
    assert len(raws) == len(set(raws))


def test_the_table_covers_every_value_kind() -> None:
    from jixiao_parser.values.kinds import REGISTRY

    kinds = {p.values[1]["kind"] for p in CASES}
    assert set(REGISTRY.names) <= kinds
