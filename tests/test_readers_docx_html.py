"""The DOCX and HTML readers: grids, spans, nesting, pages, encodings, bad input.

Every document is built here (python-docx for DOCX, strings for HTML) and the
reader's Document is checked cell by cell; the last tests run a small complete
form through segmentation and the section parsers.
"""

from __future__ import annotations

import io
import random
import warnings
import zipfile
from collections.abc import Callable
from decimal import Decimal

import pytest
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from jixiao_parser import CorruptDocument, EncryptedDocument, JixiaoWarning
from jixiao_parser.api import _reports
from jixiao_parser.document import Cell, Document, Paragraph, Table
from jixiao_parser.readers.docx import read_docx
from jixiao_parser.readers.html import decode_html, read_html
from jixiao_parser.segment import document_lines

# -- helpers -------------------------------------------------------------------


def docx_bytes(build: Callable[[DocxDocument], None]) -> bytes:
    doc = new_docx()
    build(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def read_built(build: Callable[[DocxDocument], None]) -> Document:
    return read_docx(docx_bytes(build), "x.docx", "x.docx")


def html(text: str, encoding: str = "utf-8") -> Document:
    return read_html(text.encode(encoding), "x.html", "x.html")


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def grid(table: Table) -> list[list[tuple[str, int, int, int, int]]]:
    """Rows of (text, row, col, rowspan, colspan)."""
    return [[(c.text, c.row, c.col, c.rowspan, c.colspan) for c in row] for row in table.rows]


def kinds(doc: Document) -> list[str]:
    return [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]


def fill(table: object, texts: list[list[str]]) -> None:
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            table.cell(r, c).text = text  # type: ignore[attr-defined]


# -- DOCX: grids ---------------------------------------------------------------


def test_docx_plain_table_and_paragraphs_in_order() -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("项目支出绩效自评表")
        d.add_paragraph("")  # empty paragraphs are no blocks
        d.add_paragraph("（2023年度）")
        fill(d.add_table(rows=2, cols=2), [["项目名称", "示例"], ["总分", "100"]])

    doc = read_built(build)
    assert doc.format == "docx" and doc.path == "x.docx" and doc.pages == 1
    assert kinds(doc) == ["项目支出绩效自评表", "（2023年度）", "<table>"]
    assert grid(tables(doc)[0]) == [
        [("项目名称", 0, 0, 1, 1), ("示例", 0, 1, 1, 1)],
        [("总分", 1, 0, 1, 1), ("100", 1, 1, 1, 1)],
    ]
    cell = tables(doc)[0].rows[1][1]
    assert (cell.line, cell.page, cell.bbox, cell.where) == (None, 1, None, "p.1 r2c2")


def test_docx_horizontal_merge_is_one_cell_with_colspan() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=2, cols=4)
        fill(t, [["a", "", "", "d"], ["e", "f", "g", "h"]])
        t.cell(0, 1).merge(t.cell(0, 2)).text = "宽"

    (table,) = tables(read_built(build))
    assert grid(table)[0] == [("a", 0, 0, 1, 1), ("宽", 0, 1, 1, 2), ("d", 0, 3, 1, 1)]
    assert [c.col for c in table.rows[1]] == [0, 1, 2, 3]


def test_docx_vertical_merge_is_one_cell_with_rowspan_and_no_covered_cells() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=3, cols=3)
        fill(t, [["", "数量指标", "培训人数"], ["", "质量指标", "合格率"], ["效益指标", "x", "y"]])
        t.cell(0, 0).merge(t.cell(1, 0)).text = "产出指标"

    (table,) = tables(read_built(build))
    assert grid(table) == [
        [("产出指标", 0, 0, 2, 1), ("数量指标", 0, 1, 1, 1), ("培训人数", 0, 2, 1, 1)],
        [("质量指标", 1, 1, 1, 1), ("合格率", 1, 2, 1, 1)],
        [("效益指标", 2, 0, 1, 1), ("x", 2, 1, 1, 1), ("y", 2, 2, 1, 1)],
    ]


def test_docx_block_merge_spans_rows_and_columns() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=3, cols=3)
        fill(t, [["", "", "c"], ["", "", "f"], ["g", "h", "i"]])
        t.cell(0, 0).merge(t.cell(1, 1)).text = "块"

    (table,) = tables(read_built(build))
    assert grid(table) == [
        [("块", 0, 0, 2, 2), ("c", 0, 2, 1, 1)],
        [("f", 1, 2, 1, 1)],
        [("g", 2, 0, 1, 1), ("h", 2, 1, 1, 1), ("i", 2, 2, 1, 1)],
    ]


def test_docx_merged_cells_become_empty_slots_only_in_document_lines() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=2, cols=2)
        fill(t, [["", "数量指标"], ["", "质量指标"]])
        t.cell(0, 0).merge(t.cell(1, 0)).text = "产出指标"

    lines = document_lines(read_built(build))
    assert [[c.text for c in ln.cells] for ln in lines] == [
        ["产出指标", "数量指标"],
        ["", "质量指标"],
    ]


def test_docx_grid_before_shifts_the_row() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=2, cols=3)
        fill(t, [["a", "b", "c"], ["", "e", "f"]])
        tr = t.rows[1]._tr
        tr.remove(tr.tc_lst[0])
        before = OxmlElement("w:gridBefore")
        before.set(qn("w:val"), "1")
        tr.get_or_add_trPr().append(before)

    (table,) = tables(read_built(build))
    assert grid(table)[1] == [("e", 1, 1, 1, 1), ("f", 1, 2, 1, 1)]


def _merge_mark(cell: object, name: str, val: str | None) -> None:
    mark = OxmlElement(f"w:{name}")
    if val:
        mark.set(qn("w:val"), val)
    cell._tc.get_or_add_tcPr().append(mark)  # type: ignore[attr-defined]


def test_docx_legacy_hmerge_widens_the_cell_it_continues() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=1, cols=3)
        fill(t, [["宽", "", "c"]])
        _merge_mark(t.cell(0, 0), "hMerge", "restart")
        _merge_mark(t.cell(0, 1), "hMerge", None)

    (table,) = tables(read_built(build))
    assert grid(table) == [[("宽", 0, 0, 1, 2), ("c", 0, 2, 1, 1)]]


def test_docx_vmerge_continuation_under_a_plain_cell_joins_it() -> None:
    # Word shows a continuation merged with the cell above even without "restart";
    # the continuation's own text is not shown, and not read.
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=3, cols=2)
        fill(t, [["上", "b"], ["隐", "d"], ["下", "f"]])
        _merge_mark(t.cell(1, 0), "vMerge", "continue")

    (table,) = tables(read_built(build))
    assert [[(c.text, c.rowspan) for c in row] for row in table.rows] == [
        [("上", 2), ("b", 1)],
        [("d", 1)],
        [("下", 1), ("f", 1)],
    ]


def test_docx_absurd_grid_span_is_capped() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=1, cols=2)
        fill(t, [["a", "b"]])
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), "999999999")
        t.cell(0, 0)._tc.get_or_add_tcPr().append(span)

    (table,) = tables(read_built(build))
    assert grid(table) == [[("a", 0, 0, 1, 1000), ("b", 0, 1000, 1, 1)]]


def test_docx_cell_paragraphs_and_line_breaks_join_with_newlines() -> None:
    def build(d: DocxDocument) -> None:
        cell = d.add_table(rows=1, cols=1).cell(0, 0)
        cell.text = "扩大选择"
        run = cell.add_paragraph().add_run("范围，")
        run.add_break()
        run.add_text("  提高质量 ")
        cell.add_paragraph("")

    (table,) = tables(read_built(build))
    assert table.rows[0][0].text == "扩大选择\n范围，\n提高质量"


def test_docx_skips_deleted_text_and_field_codes() -> None:
    def build(d: DocxDocument) -> None:
        p = d.add_paragraph("保留")
        p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a">'
                              "<w:r><w:delText>删除</w:delText></w:r></w:del>"))  # fmt: skip
        p._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:instrText> PAGE </w:instrText></w:r>"))
        p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a">'
                              "<w:r><w:t>插入</w:t></w:r></w:ins>"))  # fmt: skip

    assert kinds(read_built(build)) == ["保留插入"]


def test_docx_content_control_around_a_table_is_transparent() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=1, cols=2)
        fill(t, [["项目名称", "示例"]])
        sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
        t._tbl.addprevious(sdt)
        sdt[1].append(t._tbl)

    (table,) = tables(read_built(build))
    assert grid(table) == [[("项目名称", 0, 0, 1, 1), ("示例", 0, 1, 1, 1)]]


# -- DOCX: nesting, several tables, pages ----------------------------------------


def test_docx_nested_table_follows_its_container_and_is_not_in_the_outer_cell() -> None:
    def build(d: DocxDocument) -> None:
        outer = d.add_table(rows=2, cols=2)
        fill(outer, [["外层", "含子表"], ["c", "d"]])
        inner = outer.cell(0, 1).add_table(rows=1, cols=2)
        fill(inner, [["内1", "内2"]])
        d.add_paragraph("表后")

    doc = read_built(build)
    assert kinds(doc) == ["<table>", "<table>", "表后"]
    outer, inner = tables(doc)
    assert outer.rows[0][1].text == "含子表"
    assert len(outer.rows) == 2
    assert grid(inner) == [[("内1", 0, 0, 1, 1), ("内2", 0, 1, 1, 1)]]


def test_docx_two_tables_with_a_continuation_paragraph_between() -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("项目支出绩效自评表")
        fill(d.add_table(rows=1, cols=2), [["项目名称", "示例"]])
        d.add_paragraph("续表")
        fill(d.add_table(rows=1, cols=3), [["一级指标", "二级指标", "三级指标"]])

    doc = read_built(build)
    assert kinds(doc) == ["项目支出绩效自评表", "<table>", "续表", "<table>"]
    assert tables(doc)[1].rows[0][2].text == "三级指标"
    assert tables(doc)[1].rows[0][0].row == 0  # each table has its own grid


def test_docx_explicit_page_break_starts_page_two() -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("第一页")
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        d.add_paragraph("第二页")
        fill(d.add_table(rows=1, cols=1), [["表"]])

    doc = read_built(build)
    assert [(b.text, b.page) for b in doc.blocks if isinstance(b, Paragraph)] == [
        ("第一页", 1),
        ("第二页", 2),
    ]
    assert tables(doc)[0].rows[0][0].page == 2
    assert doc.pages == 2


def test_docx_page_break_inside_a_cell_moves_the_following_cells() -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=2, cols=1)
        fill(t, [["上"], ["下"]])
        t.cell(0, 0).paragraphs[0].add_run().add_break(WD_BREAK.PAGE)

    (table,) = tables(read_built(build))
    assert [row[0].page for row in table.rows] == [1, 2]


@pytest.mark.parametrize(
    ("start", "pages"),
    [pytest.param(WD_SECTION.NEW_PAGE, 2, id="new-page"),
     pytest.param(WD_SECTION.CONTINUOUS, 1, id="continuous")],
)  # fmt: skip
def test_docx_section_break_counts_when_it_starts_a_page(start: WD_SECTION, pages: int) -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("甲")
        d.add_section(start)
        d.add_paragraph("乙")

    doc = read_built(build)
    assert [b.page for b in doc.blocks] == [1, pages]
    assert doc.pages == pages


def test_docx_page_break_before_and_trailing_break() -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("甲")
        d.add_paragraph("乙").paragraph_format.page_break_before = True
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # nothing follows it

    doc = read_built(build)
    assert [b.page for b in doc.blocks] == [1, 2]
    assert doc.pages == 2


def test_docx_html_alt_chunk_is_read_in_place() -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("前")
        chunk = Part(
            PackURI("/word/afchunk1.htm"),
            "text/html",
            "<html><body><p>网页</p><table><tr><td>项目名称</td><td>示例</td></tr></table>"
            "</body></html>".encode(),
            d.part.package,
        )
        rid = d.part.relate_to(chunk, RT.A_F_CHUNK)
        d.add_paragraph("后")._p.addprevious(
            parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>')
        )

    doc = read_built(build)
    assert kinds(doc) == ["前", "网页", "<table>", "后"]
    assert tables(doc)[0].rows[0][1].text == "示例"


# -- DOCX: bad input -------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not a zip at all", id="text"),
        pytest.param(random.Random(7).randbytes(4000), id="garbage"),
        pytest.param(_zip({"hello.txt": b"hi"}), id="zip-without-document"),
        pytest.param(docx_bytes(lambda d: None)[:1500], id="truncated"),
        pytest.param(
            _zip({"[Content_Types].xml": b"<Types", "_rels/.rels": b"<oops"}), id="broken-xml"
        ),
    ],
)
def test_docx_bad_input_is_corrupt_document(data: bytes) -> None:
    with pytest.raises(CorruptDocument) as info:
        read_docx(data, None, "bad.docx")
    assert info.value.source == "bad.docx"
    assert info.value.__cause__ is not None or "w:body" in info.value.reason


def _rezip(data: bytes, members: dict[str, bytes | None]) -> bytes:
    """``data`` with some members replaced (``None``: dropped)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if members.get(n, b"") is not None]
    return _zip({n: members.get(n) or source.read(n) for n in names})


def test_docx_reads_only_the_parts_it_needs() -> None:
    data = docx_bytes(lambda d: d.add_paragraph("项目名称"))
    broken = _rezip(data, {"word/styles.xml": b"<oops", "word/theme/theme1.xml": None})
    assert kinds(read_docx(broken, None, "x.docx")) == ["项目名称"]


def test_docx_alt_chunk_whose_part_is_missing_is_corrupt() -> None:
    def build(d: DocxDocument) -> None:
        chunk = Part(PackURI("/word/afchunk1.htm"), "text/html", b"<p>chunk</p>", d.part.package)
        rid = d.part.relate_to(chunk, RT.A_F_CHUNK)
        d.add_paragraph("后")._p.addprevious(
            parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>')
        )

    data = _rezip(docx_bytes(build), {"word/afchunk1.htm": None})
    with pytest.raises(CorruptDocument, match="altChunk"):
        read_docx(data, None, "x.docx")


def test_docx_password_protected_file_is_named_as_such() -> None:
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(EncryptedDocument):
        read_docx(data, None, "locked.docx")


# -- HTML: grids -----------------------------------------------------------------


def test_html_rowspan_and_colspan_make_a_grid() -> None:
    doc = html(
        "<table>"
        "<tr><td rowspan=2>产出指标</td><td>数量指标</td><td colspan=2>培训人数</td></tr>"
        "<tr><td>质量指标</td><td>合格率</td><td>95%</td></tr>"
        "<tr><td colspan=3>总分</td><td>100</td></tr>"
        "</table>"
    )
    (table,) = tables(doc)
    assert grid(table) == [
        [("产出指标", 0, 0, 2, 1), ("数量指标", 0, 1, 1, 1), ("培训人数", 0, 2, 1, 2)],
        [("质量指标", 1, 1, 1, 1), ("合格率", 1, 2, 1, 1), ("95%", 1, 3, 1, 1)],
        [("总分", 2, 0, 1, 3), ("100", 2, 3, 1, 1)],
    ]
    assert doc.format == "html" and doc.pages == 1


def test_html_rowspan_in_the_middle_shifts_later_rows() -> None:
    doc = html(
        "<table>"
        "<tr><td>a</td><td rowspan=3 colspan=2>b</td><td>c</td></tr>"
        "<tr><td>d</td><td>e</td></tr>"
        "<tr><td>f</td><td>g</td></tr>"
        "<tr><td>h</td><td>i</td><td>j</td><td>k</td></tr>"
        "</table>"
    )
    assert [[(c.text, c.col) for c in row] for row in tables(doc)[0].rows] == [
        [("a", 0), ("b", 1), ("c", 3)],
        [("d", 0), ("e", 3)],
        [("f", 0), ("g", 3)],
        [("h", 0), ("i", 1), ("j", 2), ("k", 3)],
    ]


def test_html_cell_breaks_and_nbsp() -> None:
    doc = html(
        "<table><tr>"
        "<td>扩大选择<br>范围</td>"
        "<td><p>第一段</p><p>第二段</p><div>第三段</div></td>"
        "<td>&nbsp;</td>"
        "<td>有效&nbsp;&nbsp;<span>率</span>\n   95%</td>"
        "<td>项目\r\n   名称</td>"
        "</tr></table>"
    )
    texts = [c.text for c in tables(doc)[0].rows[0]]
    assert texts == ["扩大选择\n范围", "第一段\n第二段\n第三段", "", "有效  率 95%", "项目名称"]


def test_html_word_export_markup() -> None:
    # "Save as web page" from Word: o:p tags, mso spans, conditional comments and
    # source lines wrapped inside Chinese words.
    doc = html(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=ZH-CN>'
        "<div class=WordSection1><p class=MsoNormal align=center><b><span>项目支出绩效\r\n"
        "自评表<o:p></o:p></span></b></p><![if !supportMisc]><![endif]>"
        "<table class=MsoNormalTable><tr><td rowspan=2><p class=MsoNormal><span>产出<span "
        "lang=EN-US>\r\n</span>指标<o:p></o:p></span></p></td><td><p class=MsoNormal>"
        "<span lang=EN-US>=100<o:p></o:p></span></p></td></tr><tr><td><p class=MsoNormal>"
        "<span style='mso-spacerun:yes'>&nbsp;</span><o:p></o:p></p></td></tr></table>"
        "<pre>第一行\n  第二行</pre></div></body></html>"
    )
    assert kinds(doc) == ["项目支出绩效自评表", "<table>", "第一行", "第二行"]
    assert grid(tables(doc)[0]) == [
        [("产出指标", 0, 0, 2, 1), ("=100", 0, 1, 1, 1)],
        [("", 1, 1, 1, 1)],
    ]


@pytest.mark.parametrize(
    ("rowspan", "colspan", "expected"),
    [
        pytest.param("99999999", "99999999", (2, 1000), id="huge"),
        pytest.param("0", "0", (2, 1), id="zero"),
        pytest.param("-3", "abc", (1, 1), id="junk"),
        pytest.param(" 2px", "3;", (2, 3), id="leading-digits"),
    ],
)
def test_html_spans_are_sanitised(rowspan: str, colspan: str, expected: tuple[int, int]) -> None:
    doc = html(
        f'<table><tr><td rowspan="{rowspan}" colspan="{colspan}">x</td></tr><tr></tr></table>'
    )
    cell = tables(doc)[0].rows[0][0]
    assert (cell.rowspan, cell.colspan) == expected


def test_html_thead_tbody_tfoot_rows() -> None:
    doc = html(
        "<table><caption>续表</caption>"
        "<tfoot><tr><td>总分</td></tr></tfoot>"
        "<thead><tr><th>一级指标</th></tr></thead>"
        "<tbody><tr><td>产出指标</td></tr></tbody>"
        "</table>"
    )
    assert kinds(doc) == ["续表", "<table>"]
    assert [[(c.text, c.row) for c in row] for row in tables(doc)[0].rows] == [
        [("一级指标", 0)],
        [("产出指标", 1)],
        [("总分", 2)],
    ]


def test_html_nested_table_follows_its_container() -> None:
    doc = html(
        "<p>前</p><table><tr><td>外<table><tr><td>内</td></tr></table>尾</td><td>b</td></tr>"
        "</table><p>后</p><table><tr><td>另</td></tr></table>"
    )
    assert kinds(doc) == ["前", "<table>", "<table>", "后", "<table>"]
    outer, inner, other = tables(doc)
    assert [c.text for c in outer.rows[0]] == ["外\n尾", "b"]
    assert grid(inner) == [[("内", 0, 0, 1, 1)]]
    assert other.rows[0][0].text == "另"


def test_html_several_tables_and_text_blocks_in_order() -> None:
    doc = html(
        "<html><head><title>标题不算</title></head><body>"
        "<h1>项目支出绩效自评表</h1><div>（2023年度）<span>单位：元</span></div>"
        "<table><tr><td>项目名称</td><td>甲</td></tr></table>"
        "<div>续表<br>第二页</div>"
        "<table><tr><td>一级指标</td></tr></table>"
        "正文<p></p></body></html>"
    )
    assert kinds(doc) == [
        "项目支出绩效自评表",
        "（2023年度）单位：元",
        "<table>",
        "续表",
        "第二页",
        "<table>",
        "正文",
    ]


def test_html_skips_site_chrome_but_keeps_article_headers() -> None:
    doc = html(
        "<body><header><table><tr><td>首页</td></tr></table></header>"
        "<nav><ul><li>政务公开</li></ul></nav>"
        '<div class="breadcrumbs">当前位置：首页 &gt; 绩效评价</div>'
        '<div role="navigation">导航</div><script>var x = "<table>";</script>'
        "<style>td{}</style><noscript>请启用脚本</noscript><aside>热点</aside>"
        "<article><header><h1>项目支出绩效自评表</h1></header><p hidden>隐藏</p>"
        '<p style="display: none">也隐藏</p>'
        "<table><tr><td>项目名称</td><td>甲</td></tr></table></article>"
        '<footer><table class="links"><tr><td>国务院</td></tr></table><p>版权所有</p></footer>'
        "</body>"
    )
    assert kinds(doc) == ["项目支出绩效自评表", "<table>"]
    assert tables(doc)[0].rows[0][1].text == "甲"


# -- HTML: encodings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        pytest.param('<meta charset="gbk">', id="charset-gbk"),
        pytest.param("<meta charset=GB2312 />", id="charset-gb2312"),
        pytest.param(
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', id="http-equiv"
        ),
        pytest.param("", id="undeclared"),
    ],
)
def test_html_gbk_page(meta: str) -> None:
    page = f"<html><head>{meta}</head><body><p>项目支出绩效自评表</p>" \
           "<table><tr><td>项目名称</td><td>饮水安全</td></tr></table></body></html>"  # fmt: skip
    doc = read_html(page.encode("gbk"), None, "gbk.html")
    assert kinds(doc) == ["项目支出绩效自评表", "<table>"]
    assert tables(doc)[0].rows[0][1].text == "饮水安全"


@pytest.mark.parametrize(
    ("data", "expected", "warns"),
    [
        pytest.param("\ufeff<p>总分</p>".encode(), "<p>总分</p>", False, id="utf8-bom"),
        pytest.param("\ufeff<p>总分</p>".encode("utf-16-le"), "<p>总分</p>", False, id="utf16-bom"),
        pytest.param('<meta charset="utf-8"><p>总分</p>'.encode("gbk"), "<p>总分</p>", True,
                     id="wrongly-declared-utf8"),
        pytest.param('<meta charset="iso-8859-1"><p>总分</p>'.encode(), "<p>总分</p>", True,
                     id="latin1-declared-utf8"),
        pytest.param('<meta charset="big5"><p>績效</p>'.encode("big5"), "<p>績效</p>", False, id="big5"),
        pytest.param('<meta charset="utf-16"><p>总分</p>'.encode(), "<p>总分</p>", False, id="utf16-meta"),
        pytest.param(b"<p>a\x00b\x07c</p>", "<p>abc</p>", False, id="controls"),
    ],
)  # fmt: skip
def test_decode_html(data: bytes, expected: str, warns: bool) -> None:
    # a charset the bytes contradict is read by the bytes, with a warning saying so
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert decode_html(data).endswith(expected)
    assert [w.category for w in caught] == ([JixiaoWarning] if warns else [])


# -- HTML: bad input ------------------------------------------------------------------


def test_html_malformed_markup_is_read_leniently() -> None:
    doc = html(
        "<p>标题<table><tr><td>a<td rowspan=2>b</td></td>"
        "<tr><td>c</span></td></tr><td>d</tr></table></div></div>尾"
    )
    assert kinds(doc) == ["标题", "<table>", "尾"]
    assert grid(tables(doc)[0]) == [
        [("a", 0, 0, 1, 1), ("b", 0, 1, 2, 1)],
        [("c", 1, 0, 1, 1)],
        [("d", 2, 0, 1, 1)],
    ]


def test_html_garbage_bytes_are_corrupt() -> None:
    with pytest.raises(CorruptDocument) as info:
        read_html(random.Random(3).randbytes(5000), None, "junk.html")
    assert info.value.source == "junk.html"


@pytest.mark.parametrize("data", [b"", b"   \n ", b"<html></html>", b"<!-- only a comment -->"])
def test_html_without_content_is_an_empty_document(data: bytes) -> None:
    assert read_html(data, None, "x").blocks == ()


def test_html_deep_nesting_does_not_recurse() -> None:
    divs = "<div>" * 1500 + "深" + "</div>" * 1500
    nested = "<table><tr><td>" * 600 + "内" + "</td></tr></table>" * 600
    assert [b.text for b in read_html(divs.encode(), None, "deep.html").blocks] == ["深"]
    doc = read_html(nested.encode(), None, "nested.html")
    assert len(tables(doc)) == 600
    assert all(len(t.rows) == 1 for t in tables(doc))


def test_html_nesting_past_the_parser_is_refused_not_cut() -> None:
    # libxml2 stops reading past 2048 levels (its error log says so): the page
    # would lose everything after that point, so it is refused
    divs = "<div>" * 3000 + "深" + "</div>" * 3000
    with pytest.raises(CorruptDocument, match=r"deep\.html: the HTML parser stopped part way"):
        read_html(divs.encode(), None, "deep.html")


# -- end to end: a small complete form, in both formats ------------------------------

FORM = [
    ["项目名称", "示例培训项目", "", "", "", "", ""],
    ["主管部门", "示例局", "", "实施单位", "示例中心", "", ""],
    ["项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", "100000.00", "100000.00", "95000.00", "10", "95.00%", "9.5"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "培训人数", "≥100人", "120人", "50", "50"],
    ["", "质量指标", "培训合格率", "≥90%", "95%", "40", "40"],
    ["总分", "", "", "", "", "100", "99.5"],
]
MERGES = [(0, 1, 1, 6), (1, 1, 1, 2), (1, 4, 1, 3), (5, 0, 2, 1), (7, 0, 1, 5)]
TITLE = ["项目支出绩效自评表", "（2023年度）"]


def form_docx() -> Document:
    def build(d: DocxDocument) -> None:
        for text in TITLE:
            d.add_paragraph(text)
        table = d.add_table(rows=len(FORM), cols=len(FORM[0]))
        fill(table, FORM)
        for r, c, rs, cs in MERGES:
            text = FORM[r][c]
            table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1)).text = text

    return read_built(build)


def form_html() -> Document:
    covered = {
        (r + i, c + k): (rs, cs)
        for r, c, rs, cs in MERGES
        for i in range(rs)
        for k in range(cs)
        if (i, k) != (0, 0)
    }
    spans = {(r, c): (rs, cs) for r, c, rs, cs in MERGES}
    rows = []
    for r, row in enumerate(FORM):
        tds = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            tds.append(f'<td rowspan="{rs}" colspan="{cs}">{text}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    title = "".join(f"<p>{t}</p>" for t in TITLE)
    page = f'<html><head><meta charset="gbk"></head><body>{title}<table>{"".join(rows)}</table>'
    return read_html(page.encode("gbk"), "form.html", "form.html")


@pytest.mark.parametrize("make", [form_docx, form_html], ids=["docx", "html"])
def test_small_form_end_to_end(make: Callable[[], Document]) -> None:
    doc = make()
    first = tables(doc)[0]
    assert first.rows[5][0] == Cell("产出指标", row=5, col=0, rowspan=2)
    assert [c.col for c in first.rows[6]] == [1, 2, 3, 4, 5, 6]

    (report,) = _reports(doc)
    assert (report.title, report.year) == ("项目支出绩效自评表", 2023)
    assert report.header.project_name == "示例培训项目"
    assert (report.header.supervisor, report.header.implementer) == ("示例局", "示例中心")
    assert report.source.format == doc.format
    line = report.funding.lines[0]
    assert (line.annual_budget, line.executed) == (Decimal("100000.00"), Decimal("95000.00"))
    assert [(i.level1, i.level2, i.name) for i in report.indicators] == [
        ("产出指标", "数量指标", "培训人数"),
        ("产出指标", "质量指标", "培训合格率"),
    ]
    assert [i.actual.raw for i in report.indicators] == ["120人", "95%"]
    assert report.total.score == Decimal("99.5")
