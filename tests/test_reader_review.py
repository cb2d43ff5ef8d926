"""One test per reader defect found in review (see the CHANGELOG)."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from jixiao_parser import JixiaoError, ResourceLimitExceeded, parse_all, parse_text
from jixiao_parser.document import Cell, Table
from jixiao_parser.readers import sniff_format
from jixiao_parser.readers.pdf import Glyph, _dedupe, join_wrapped
from jixiao_parser.segment import stitch_split_rows


def test_a_zip_with_an_unsupported_version_never_escapes() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    data = bytearray(buffer.getvalue())
    data[4] = 0xFF  # "version needed to extract" of the first local header
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 0xFF
    assert sniff_format(bytes(data)) in {"zip", "odt"}
    with pytest.raises(JixiaoError):
        parse_all(bytes(data))


def test_fake_bold_straddling_a_rounding_boundary_is_one_glyph() -> None:
    a = Glyph("1", 10.45, 20.0, 15.0, 29.0, 9.0)
    b = Glyph("1", 10.55, 20.3, 15.1, 29.3, 9.0)  # 0.1 pt right, 0.3 pt down
    c = Glyph("5", 15.0, 20.0, 20.0, 29.0, 9.0)
    assert _dedupe([a, b, c]) == [a, c]


def test_an_item_after_a_line_ending_in_a_digit_keeps_its_space() -> None:
    assert join_wrapped(["2.资料份数≥5000", "3.建档数≥800"]) == "2.资料份数≥5000 3.建档数≥800"
    assert join_wrapped(["116.3", "7"]) == "116.37"


def _row(page: int, texts: list[str], xs: list[float]) -> tuple[Cell, ...]:
    return tuple(
        Cell(t, row=0, col=k, page=page, bbox=(xs[k], 700.0, xs[k + 1], 720.0))
        for k, t in enumerate(texts)
    )


XS = [0.0, 60.0, 120.0, 200.0, 260.0, 320.0]


def test_a_page_starting_with_the_total_row_is_not_stitched() -> None:
    last = _row(1, ["", "满意度", "≥90%", "92%", "10", "10"][:5], XS)
    total = _row(2, ["总分", "", "", "", "100"], XS)
    blocks = stitch_split_rows([Table((last,)), Table((total,))])
    assert len(blocks) == 2


def test_a_new_row_on_a_new_page_is_not_stitched() -> None:
    last = _row(1, ["甲指标", "≥5个", "6个", "10", "10"], XS)
    new = _row(2, ["乙指标", "≥3个", "3个", "10", "10"], XS)
    assert len(stitch_split_rows([Table((last,)), Table((new,))])) == 2


def test_a_row_cut_by_the_page_break_is_stitched() -> None:
    last = _row(1, ["项目支出符合", "=1百", "1", "10", "10"], XS)
    rest = _row(2, ["协会财务制度规定", "分比", "", "", ""], XS)
    (table,) = stitch_split_rows([Table((last,)), Table((rest,))])
    assert [c.text for c in table.rows[0]] == [
        "项目支出符合协会财务制度规定",
        "=1百分比",
        "1",
        "10",
        "10",
    ]


def test_hostile_spans_are_clipped_to_the_table() -> None:
    page = "<table><tr><td rowspan=100000 colspan=1000>项目名称</td><td>甲</td></tr></table>" * 50
    started = time.monotonic()
    try:
        parse_all(page.encode())
    except JixiaoError:
        pass
    assert time.monotonic() - started < 20


def test_a_huge_merged_range_in_xlsx_is_refused() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="B2:Z200000"/></mergeCells>',
                )
            target.writestr(item, data)
    with pytest.raises(ResourceLimitExceeded, match="merged ranges"):
        parse_all(out.getvalue())


def test_items_separated_only_by_line_breaks_keep_their_names() -> None:
    head = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分"
    # the line breaks inside the cells arrive as leaked <br> tags
    row = (
        "产出指标\t数量指标\t1.开展活动<br>2.发放资料\t1.≥2场<br>2.≥100份\t1.3场<br>2.120份\t10\t10"
    )
    (report,) = parse_text(f"项目名称\t示例\n{head}\n{row}\n")
    (ind,) = report.indicators
    assert [p.name for p in ind.parts] == ["开展活动", "发放资料"]
    assert [p.attained for p in ind.parts] == [True, True]


def test_utf16_html_and_fragments_are_sniffed_as_html() -> None:
    assert sniff_format("<html><body><table></table></body></html>".encode("utf-16")) == "html"
    assert sniff_format(b"<div><table><tr><td>x</td></tr></table></div>") == "html"
    assert sniff_format(b"<style>td{}</style><table></table>") == "html"
