"""Published layout variants (issue 17): each rule on the smallest form that shows it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import opencc
import pytest

from jixiao_parser import parse_all, parse_text
from jixiao_parser.readers.text import decode_text

ROOT = Path(__file__).resolve().parent.parent
_NOT_UTF8 = frozenset({"gb18030", "utf16", "big5"})
to_traditional = opencc.OpenCC("s2t").convert

HEADER = (
    "项目支出绩效自评表\n（2023年度）\n项目名称\t示例项目\n主管部门\t示例局\t实施单位\t示例中心\n"
)
INDICATORS = (
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "产出指标\t数量指标\t培训人数\t≥100人\t120人\t80\t80\t\n"
    "总分\t\t\t\t\t100\t98\n"
)


def _funding(columns: str, row: str) -> str:
    return f"{HEADER}资金情况(万元)\t\t{columns}\n\t年度资金总额\t{row}\n{INDICATORS}"


@pytest.mark.parametrize(
    ("columns", "row", "weight"),
    [
        ("预算数(A)\t执行数(B)\t执行率(B/A)\t得分(20分*执行率)", "100\t90\t90%\t18", Decimal(20)),
        ("预算数(A)\t执行数(B)\t执行率(B/A)\t得分(20分×执行率)", "100\t90\t90%\t18", Decimal(20)),
        # a weight column wins over the label
        (
            "预算数(A)\t执行数(B)\t执行率(B/A)\t分值\t得分(20分*执行率)",
            "100\t90\t90%\t10\t9",
            Decimal(10),
        ),
        # a score label without points states no weight
        ("预算数(A)\t执行数(B)\t执行率(B/A)\t得分", "100\t90\t90%\t18", None),
        # a line that states no score gets no weight
        ("预算数(A)\t执行数(B)\t执行率(B/A)\t得分(20分*执行率)", "100\t90\t90%\t—", None),
    ],
)
def test_funding_weight_from_the_score_label(
    columns: str, row: str, weight: Decimal | None
) -> None:
    (report,) = parse_text(_funding(columns, row))
    assert report.funding.lines[0].weight == weight
    assert report.funding.unit == "万元"


def test_unit_line_above_the_table_is_a_field_not_a_cell_tail() -> None:
    text = (
        HEADER
        + "金额单位：万元\n项目资金\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
    )
    text += "\t年度资金总额\t10\t10\t9\t10\t90%\t9\n" + INDICATORS
    (report,) = parse_text(text)
    assert report.funding.unit == "万元"
    assert report.funding.lines[0].annual_budget == Decimal(100000)
    assert report.header.implementer == "示例中心"
    assert report.header.fields["金额单位"] == "万元"


# -- encodings ---------------------------------------------------------------------

CASE_TEXTS = sorted(
    p for p in (ROOT / "corpus" / "cases").glob("*/form.txt") if p.parent.name not in _NOT_UTF8
)


def _in(text: str, encoding: str) -> str:
    """``text`` less what ``encoding`` cannot write."""
    return text.encode(encoding, errors="ignore").decode(encoding)


@pytest.mark.parametrize("path", CASE_TEXTS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("cut", [None, 400, 40])
def test_big5_and_gb18030_text_decode_as_written(path: Path, cut: int | None) -> None:
    text = path.read_text(encoding="utf-8")[:cut]
    big5 = _in(to_traditional(text), "cp950")
    gb = _in(text, "gb18030")
    assert decode_text(big5.encode("cp950")) == big5
    assert decode_text(gb.encode("gb18030")) == gb


def test_big5_form_gives_its_report() -> None:
    text = _in(to_traditional((ROOT / "corpus/cases/change_targets/form.txt").read_text()), "cp950")
    (report,) = parse_all(text.encode("cp950"))
    assert report.title == "項目支出績效自評表"
    assert len(report.indicators) == 8


def test_a_unit_row_is_not_the_head_of_a_wrapped_label_after_it() -> None:
    # "金额单位：万元" is a label with its value; the funding header row after it
    # (here cut by a line break inside 预算数(A)) is a row of its own
    text = (
        HEADER
        + "\t\t\t\t金额单位：万元\n资金情况\t\t预\n算数(A)\t执行数(B)\t执行率(B/A)\t得分(20分*执行率)\n"
    )
    text += "\t年度资金总额\t100\t90\t90%\t18\n" + INDICATORS
    (report,) = parse_text(text)
    assert report.funding.unit == "万元"
    (line,) = report.funding.lines
    assert (line.initial_budget, line.executed, line.weight) == (1000000, 900000, 20)


# -- goal blocks ---------------------------------------------------------------------

SICHUAN_HEAD = (
    "项目支出绩效自评表\n（2023年度）\n项目基本情况\n项目名称\t示例项目\t主管部门\t示例局\n"
    "预算执行情况(万元)(10分)\t\t年初预算\t调整后预算数\t预算执行数\t预算执行率\t权重\t得分\n"
    "\t合计\t100\t100\t98\t98.00%\t10\t9.80\n"
)
SICHUAN_TABLE = (
    "绩效指标(90分)\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t权重\t得分\t偏差原因分析及改进措施\n"
    "产出指标\t数量指标\t培训人数\t≥100人\t120人\t90\t90\t\n"
    "合计\t\t\t\t\t100\t99.80\n"
)


@pytest.mark.parametrize("as_rows", [True, False], ids=["rows", "paragraphs"])
def test_sichuan_goal_block_keeps_labels_out_of_the_texts(as_rows: bool) -> None:
    tab = "\t\t\t" if as_rows else ""
    block = (
        "1.项目年度目标完成情况\n项目年度目标\t\t\t年度目标完成情况\n"
        "计划培训100人。\t\t\t培训120人。\n"
        f"2.项目实施内容及过程概述{tab}\n3月制定方案，6月完成培训。{tab}\n"
    )
    (report,) = parse_text(SICHUAN_HEAD + block + SICHUAN_TABLE)
    assert report.goals.planned == "计划培训100人。"
    assert report.goals.actual == "培训120人。"
    (item,) = report.goals.items
    assert (item.label, item.points, item.text) == (
        "项目实施内容及过程概述",
        None,
        "3月制定方案，6月完成培训。",
    )
    assert report.indicators[0].goal is None
    assert report.funding.lines[0].score == Decimal("9.80")
    assert not report.leftover


def test_an_item_alone_is_no_plan() -> None:
    block = "2.项目实施内容及过程概述\n3月制定方案，6月完成培训。\n"
    (report,) = parse_text(SICHUAN_HEAD + block + SICHUAN_TABLE)
    assert report.goals.planned is None
    assert [i.text for i in report.goals.items] == ["3月制定方案，6月完成培训。"]


# -- total rows ----------------------------------------------------------------------

TOTAL_HEAD = HEADER + (
    "项目资金(元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
    "\t年度资金总额\t100\t100\t90\t10\t90%\t\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
)


def test_a_footer_row_before_the_total_keeps_the_total() -> None:
    rows = "产出指标\t数量指标\t培训人数\t≥100人\t120人\t90\t86\t\n其他需要说明事项\t无\n总分\t100\t96\t优\n"
    (report,) = parse_text(TOTAL_HEAD.replace("90%\t\n", "90%\t9\n") + rows)
    assert (report.total.weight, report.total.score, report.total.grade) == (100, 96, "优")
    assert report.footer == {"其他需要说明事项": "无"}
    assert not report.leftover


@pytest.mark.parametrize(
    ("total_row", "scores", "weight", "score", "code"),
    [
        # the indicators' weights with the funding weight, and alone
        ("合计\t100", ("", ""), 100, None, "total_score_missing"),
        ("合计\t90", ("", ""), 90, None, "total_score_missing"),
        # under the weight column
        ("合计\t\t\t\t\t95", ("", ""), 95, None, "total_score_missing"),
        # a figure that is no weight sum, away from the weight column: the score
        ("合计\t95", ("", ""), None, 95, "total_weight_missing"),
        # an indicator states a score: the lone figure is the score, as before
        ("合计\t100", ("50", ""), None, 100, "total_weight_missing"),
    ],
)
def test_a_lone_total_figure_is_the_weight_when_no_indicator_is_scored(
    total_row: str, scores: tuple[str, str], weight: int | None, score: int | None, code: str
) -> None:
    rows = (
        f"产出指标\t数量指标\t培训人数\t≥100人\t120人\t50\t{scores[0]}\t\n"
        f"满意度指标\t服务对象满意度指标\t满意度\t≥90%\t95%\t40\t{scores[1]}\t\n"
    )
    (report,) = parse_text(TOTAL_HEAD + rows + total_row + "\n")
    assert (report.total.weight, report.total.score) == (weight, score)
    assert code in [d.code for d in report.diagnostics]


def test_the_year_cell_may_share_its_row_with_the_unit() -> None:
    text = HEADER.replace("（2023年度）\n", "（2023年度）\t\t\t\t金额单位：万元\n") + (
        "项目资金\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "\t年度资金总额\t10\t10\t9\t10\t90%\t9\n" + INDICATORS
    )
    (report,) = parse_text(text)
    assert report.year == 2023
    assert report.funding.unit == "万元"
    assert report.funding.lines[0].executed == Decimal(90000)
    assert not report.leftover


def test_template_leftover_rows_are_dropped_and_said() -> None:
    head = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    text = (
        "项目支出绩效自评表\n项目名称\t示例\n"
        + head
        + "产出指标\t数量指标\t指标1：培训场次\t≥10场\t12场\t50\t50\n"
        + "\t\t指标2\t\t\t\t\n"
        + "\t\t……\t\t\t\t\n"
        + "\t\t指标3\t≥5人\t6人\t50\t50\n"  # a template name with values: a row
        + "总分\t\t\t\t\t100\t100\n"
    )
    (report,) = parse_text(text)
    assert [i.name for i in report.indicators] == ["指标1：培训场次", "指标3"]
    dropped = [d for d in report.diagnostics if d.code == "template_row_dropped"]
    assert [(d.severity, d.where) for d in dropped] == [("info", "line 5"), ("info", "line 6")]
