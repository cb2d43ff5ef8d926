"""One test per defect found in review, each with the smallest form that showed it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao_parser import Report, parse_text, parse_value

HEAD = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"


def one(text: str) -> Report:
    (report,) = parse_text(text)
    return report


@pytest.mark.parametrize(
    ("raw", "op", "value", "unit"),
    [
        ("≥1000㎡", ">=", Decimal(1000), "m²"),
        ("=500m³", "=", Decimal(500), "m³"),
        ("≥2万㎡", ">=", Decimal(20000), "m²"),
        ("一万五千份", "=", Decimal(15000), "份"),
        ("十二万人", "=", Decimal(120000), "人"),
        ("=2个居民小区", "=", Decimal(2), "个居民小区"),
        ("≥90%；", ">=", Decimal(90), "%"),
        ("95%以上。", ">=", Decimal(95), "%"),
    ],
)
def test_values_once_misread(raw: str, op: str, value: Decimal, unit: str) -> None:
    v = parse_value(raw)
    assert (v.op, v.value, v.unit) == (op, value, unit)


@pytest.mark.parametrize(
    ("raw", "op", "date"),
    [
        ("2023年底前", "<=", "2023-12-31"),
        ("2023年底", "=", "2023-12-31"),
        ("于3月30日", "=", "--03-30"),
        ("截至2023年12月31日", "<=", "2023-12-31"),
        ("2023/12/31", "=", "2023-12-31"),
        ("2021.12.31前", "<=", "2021-12-31"),
        ("2024年2月29日", "=", "2024-02-29"),
    ],
)
def test_deadlines_once_misread(raw: str, op: str, date: str) -> None:
    v = parse_value(raw)
    assert (v.kind, v.op, v.date) == ("deadline", op, date)


def test_impossible_dates_are_not_deadlines() -> None:
    assert parse_value("2月30日").kind == "qualitative"


@pytest.mark.parametrize("raw", ["一" * 4400, "9" * 5000, "1" * 400 + ".5", "≥" + "九" * 30000])
def test_absurdly_long_numbers_do_not_crash(raw: str) -> None:
    v = parse_value(raw)
    assert v.value is None
    row = f"产出指标\t数量指标\t甲\t{raw}\t{raw}\t{raw}\t{raw}\t"
    one(f"项目名称\t示例\n{HEAD}\n{row}").to_json()


def test_unit_stated_above_the_funding_block() -> None:
    r = one(
        "项目名称\t示例\n金额单位：万元\n"
        "项目资金\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "\t年度资金总额\t100\t90\t88.5\t10\t98.33%\t9.83\n"
    )
    assert r.funding.unit == "万元"
    assert r.funding.lines[0].initial_budget == Decimal(1000000)


def test_funding_row_that_lost_its_leading_cell() -> None:
    r = one(
        "项目名称\t示例\n"
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "\t年度资金总额\t100\t90\t88.5\t10\t98.33%\t9.83\n"
        "其中：当年财政拨款\t100\t90\t88.5\t—\t\t\n"
    )
    line = r.funding.lines[1]
    assert (line.initial_budget, line.annual_budget, line.executed) == (
        Decimal(1000000), Decimal(900000), Decimal(885000),
    )  # fmt: skip
    assert any(d.code == "row_realigned" for d in r.diagnostics)
    assert r.leftover == ()


def test_points_written_with_fen() -> None:
    r = one(
        f"项目名称\t示例\n{HEAD}\n产出指标\t数量指标\t培训人数\t≥100人\t120人\t50分\t50分\t\n总分\t\t\t\t\t100分\t95分\t"
    )
    ind = r.indicators[0]
    assert (ind.weight, ind.score, ind.note) == (Decimal(50), Decimal(50), None)
    assert (r.total.weight, r.total.score) == (Decimal(100), Decimal(95))


def test_repeated_header_after_a_page_break_is_not_an_indicator() -> None:
    r = one(
        f"项目名称\t示例\n{HEAD}\n产出指标\t数量指标\t甲\t=1个\t1个\t10\t10\t\n"
        f"续表\n{HEAD}\n\t质量指标\t合格率\t100%\t100%\t10\t10\t\n"
    )
    assert [i.name for i in r.indicators] == ["甲", "合格率"]
    assert r.indicators[1].level1 == "产出指标"
    assert r.leftover == ()


def test_footer_without_a_total_row() -> None:
    r = one(
        f"项目名称\t示例\n{HEAD}\n产出指标\t数量指标\t甲\t=1个\t1个\t10\t10\t\n评价结论\t优\n存在问题\t无\n"
    )
    assert [i.name for i in r.indicators] == ["甲"]
    assert r.footer == {"评价结论": "优", "存在问题": "无"}


def test_repeated_header_labels_are_all_kept() -> None:
    r = one("项目名称\t示例\n项目负责人\t张三\t联系电话\t111\n财务负责人\t李四\t联系电话\t222\n")
    assert r.header.fields["联系电话"] == "111"
    assert r.header.fields["联系电话(2)"] == "222"


def test_year_line_before_a_form_without_title() -> None:
    r = one("（2022年度）\n项目名称\t测试项目\n")
    assert (r.year, r.title) == (2022, None)


def test_level_labels_in_an_unknown_column_are_not_taken_as_extra() -> None:
    head = "一级指标\t指标类型\t三级指标\t年度指标值\t实际完成值\t分值\t得分"
    r = one(
        f"项目名称\t示例\n{head}\n产出指标\t\t甲\t=1个\t1个\t10\t10\n\t质量指标\t合格率\t100%\t100%\t10\t10\n"
    )
    assert r.indicators[1].level1 == "产出指标"
    assert r.indicators[1].extra == {"指标类型": "质量指标"} or r.indicators[1].level2 == "质量指标"
