"""The text reader: encodings, line ends, page breaks, page numbers, leaked tags."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from jixiao_parser import CorruptDocument, parse, parse_all
from jixiao_parser.document import Paragraph, Table
from jixiao_parser.readers.text import clean_cell, decode_text, text_to_document

SEED = (
    Path(__file__).resolve().parent.parent
    / "corpus"
    / "seeds"
    / "seed_003"
    / "003_83db39a3659af481.txt"
)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(lambda t: t.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode("gb18030"), id="cr-gb18030"),
    ],
)
def test_every_encoding_gives_the_same_report(encode) -> None:  # type: ignore[no-untyped-def]
    expected = parse(SEED).to_dict()
    got = parse(encode(seed_text())).to_dict()
    expected["source"] = got["source"] = None
    for d in (expected, got):  # line numbers may differ only for CR-only input
        for ind in d["indicators"]:
            ind["where"] = None
        d["diagnostics"] = [x["code"] for x in d["diagnostics"]]
    assert got == expected


def test_gbk_text_decodes() -> None:
    assert decode_text("项目名称\t示例".encode("gbk")) == "项目名称\t示例"


def test_undecodable_utf16_is_a_typed_error_naming_the_source() -> None:
    with pytest.raises(CorruptDocument, match=r"x\.txt"):
        decode_text(codecs.BOM_UTF16_LE + b"\x00\xd8", "x.txt")


def test_form_feed_starts_a_page_and_page_numbers_are_dropped() -> None:
    text = "标题\n项目名称\t甲\n- 1 -\f第 2 页\n主管部门\t乙\n3/9\n实施单位\t丙\n2\f"
    doc = text_to_document(text)
    cells = [
        (c.text, c.page) for b in doc.blocks if isinstance(b, Table) for row in b.rows for c in row
    ]
    assert ("乙", 2) in cells and ("丙", 2) in cells
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["标题"]


def test_a_page_mark_is_dropped_whatever_digits_it_is_written_in() -> None:
    # full-width and other decimal digits (here Kawi, U+11F51) count as the pattern's digits
    doc = text_to_document("标题\n３/９\n\U00011f51/5\n项目名称\t甲")
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["标题"]


def test_a_bare_number_line_away_from_page_breaks_is_kept() -> None:
    doc = text_to_document("标题\n12\n项目名称\t甲")
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["标题", "12"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<p>一段</p>", "一段"),
        ("<p>第一段</p><p>第二段</p>", "第一段\n第二段"),
        ("甲<br/>乙", "甲\n乙"),
        ("<span style='x'>≥95%</span>", "≥95%"),
        ("有效&nbsp;", "有效"),
        ("a &lt; b", "a < b"),
        ("<=0.9", "<=0.9"),
        ("<5%", "<5%"),
        ("  ", ""),
    ],
)
def test_clean_cell(raw: str, clean: str) -> None:
    assert clean_cell(raw) == clean


def test_line_numbers_are_kept_on_cells() -> None:
    doc = text_to_document("\n\n项目名称\t甲\n主管部门\t乙")
    table = doc.blocks[0]
    assert isinstance(table, Table)
    assert [row[1].line for row in table.rows] == [3, 4]
    assert table.rows[1][1].where == "line 4 col 2"


def test_text_without_a_form_gives_no_reports() -> None:
    assert parse_all("这里没有表格。\n只是一段文字。".encode()) == []


def test_trailing_tabs_make_no_cells_and_a_row_of_bare_tags_no_row() -> None:
    doc = text_to_document("项目名称\t甲\t\t \t\n<p></p>\t&nbsp;\t\n\t乙\t\t丙\t\t")
    table = doc.blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [
        ["项目名称", "甲"],
        ["", "乙", "", "丙"],
    ]
    assert [(c.row, c.col, c.line) for c in table.rows[1]] == [
        (1, 0, 3),
        (1, 1, 3),
        (1, 2, 3),
        (1, 3, 3),
    ]


def test_line_ends_split_alike_with_and_without_carriage_returns() -> None:
    text = "标题\n项目名称\t甲\n\n总分\t100\n"
    for ends in (text, text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        doc = text_to_document(ends)
        assert [b.line for b in doc.blocks if isinstance(b, Paragraph)] == [1]
        rows = [r for b in doc.blocks if isinstance(b, Table) for r in b.rows]
        assert [(r[0].text, r[0].line) for r in rows] == [("项目名称", 2), ("总分", 4)]


def test_text_tables_say_no_cell_spans() -> None:
    """``Table.spans`` is False for text (segmentation then skips the merged-cell
    pass): true of every seed, and a page break keeps it so."""
    from jixiao_parser.segment.forms import _has_spans

    seeds = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*/*.txt"))]
    for text in [*texts, "项目名称\t示例\n\f- 2 -\n总分\t\t100"]:
        tables = [b for b in text_to_document(text).blocks if isinstance(b, Table)]
        assert tables and all(not t.spans and not _has_spans(t.rows) for t in tables)
    assert Table(()).spans and Table(()) == Table((), spans=False)
