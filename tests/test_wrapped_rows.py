"""Rows cut by a line break inside a cell are joined; rows of their own are not."""

from __future__ import annotations

from jixiao_parser.readers.text import text_to_document
from jixiao_parser.segment.forms import document_lines

HEAD = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"


def _rows(text: str) -> list[list[str]]:
    return [[c.text for c in line.cells] for line in document_lines(text_to_document(text))]


def test_the_rest_of_a_row_joins_the_cell_it_continues() -> None:
    rows = _rows(HEAD + "产出指标\t数量指标\t1.甲合格\n率 2.乙合规率\t≥90%\t95%\t10\t10\t无\n")
    assert rows[1] == [
        "产出指标",
        "数量指标",
        "1.甲合格率 2.乙合规率",
        "≥90%",
        "95%",
        "10",
        "10",
        "无",
    ]
    # the joined cells keep their own lines
    line = document_lines(text_to_document(HEAD + "产出指标\t数量指标\t甲\n乙\t1\t2\n"))[1]
    assert [c.line for c in line.cells] == [2, 2, 2, 3, 3]


def test_a_tail_alone_on_the_next_line_ends_the_note() -> None:
    rows = _rows(
        HEAD
        + "产出指标\t数量指标\t场次\t≥10场\t8场\t10\t8\t受天气影响\n，已补办。\n总分\t\t\t\t\t10\t8\n"
    )
    assert rows[1][-1] == "受天气影响，已补办。"
    assert rows[2][0] == "总分"


def test_a_heading_broken_in_two_is_one_heading() -> None:
    rows = _rows(
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t未完成原因和\n改进措施\n"
    )
    assert rows == [[*HEAD.strip().split("\t")[:-1], "未完成原因和改进措施"]]


def test_rows_of_their_own_are_not_joined() -> None:
    text = (
        HEAD
        + "产出指标\t数量指标\t场次\t≥10场\t8场\t10\t8\n"  # short: ends in a score
        + "满意度指标\t服务对象满意度指标\t满意度\t≥90%\t95%\t10\t10\n"  # opens with a label
        + "总分\t\t\t\t\t20\t18\n"
        + "注：本表由项目单位填报。\n"  # a footnote after the total
        + "项目支出绩效自评表\n"  # the next form's title
    )
    rows = _rows(text)
    assert [r[0] for r in rows] == [
        "一级指标",
        "产出指标",
        "满意度指标",
        "总分",
        "注：本表由项目单位填报。",
        "项目支出绩效自评表",
    ]


def test_a_ragged_row_opening_with_a_name_after_a_full_row_stays_a_row() -> None:
    text = HEAD + "\t\t河岸整治数量\t≥20处\t22处\t5\t5\n管护覆盖村数\t12个\t12个\t5\t5\n"
    assert [r[0] for r in _rows(text)] == ["一级指标", "", "管护覆盖村数"]


def test_pdf_and_office_rows_are_left_alone() -> None:
    from jixiao_parser.document import Cell, Document, Table

    rows = (
        (Cell("产出指标", 0, 0), Cell("甲", 0, 1)),
        (Cell("乙", 1, 0), Cell("1", 1, 1)),
    )
    doc = Document(path=None, format="docx", blocks=(Table(rows),))
    assert [[c.text for c in line.cells] for line in document_lines(doc)] == [
        ["产出指标", "甲"],
        ["乙", "1"],
    ]
