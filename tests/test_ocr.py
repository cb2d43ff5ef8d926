"""OCR of scanned forms (``jixiao_parser.readers.ocr``, the ``[ocr]`` extra).

The scans are ``corpus/scans/*.pdf`` (``tools/render_corpus.py --scans``: a corpus
PDF rendered at 150 dpi, a red or grey seal over the table, turned, blurred,
noised, JPEG, wrapped as an image-only PDF). Their reports are compared with the
source case's golden field by field (``shape_share.field_counts``); the share is
printed. ``bench/ocr.py`` measures the same over every corpus PDF.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from corpus_cases import ROOT
from jixiao_parser import NeedsOCR, UnsupportedFormat, parse_all
from jixiao_parser.document import Cell, Document, OcrRead, Paragraph, Table
from jixiao_parser.readers import ocr, sniff_format
from jixiao_parser.sections.report import build_reports
from shape_share import field_counts

SCANS = sorted((ROOT / "corpus" / "scans").glob("*.pdf"))
needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason='the [ocr] extra is not installed (pip install -e ".[ocr]")'
)
# the share of golden fields the scans give, at least (measured: see the printed share)
FLOOR = 0.95


def _golden(case: str) -> list[dict[str, Any]]:
    spec = json.loads((ROOT / "corpus/renditions" / case / "layout.json").read_text("utf-8"))
    out: list[dict[str, Any]] = []
    for part in spec["source"].split("+"):
        out.extend(json.loads((ROOT / part.strip() / "golden.json").read_text("utf-8")))
    return out


@pytest.fixture(scope="module")
def scanned() -> dict[str, list[dict[str, Any]]]:
    return {path.stem: [r.to_dict() for r in parse_all(path)] for path in SCANS}


def test_there_are_scans_with_red_and_grey_seals() -> None:
    assert {p.stem for p in SCANS} >= {
        "fam1_shanghai_a",
        "fam3_national_a",
        "overflow_long_notes_top_overflow",
    }
    for path in SCANS:
        assert sniff_format(path.read_bytes()) == "pdf"


@needs_ocr
def test_scans_give_the_golden_fields(scanned: dict[str, list[dict[str, Any]]]) -> None:
    same = fields = 0
    for case, got in scanned.items():
        s, f = field_counts(got, _golden(case))
        print(f"{case}: {s}/{f} fields equal to the golden ({s / f:.1%})")
        same, fields = same + s, fields + f
    share = same / fields
    print(f"scans: {same}/{fields} fields equal to the golden ({share:.1%})")
    assert share >= FLOOR


@needs_ocr
def test_scan_reports_say_ocr_and_pages(scanned: dict[str, list[dict[str, Any]]]) -> None:
    for got in scanned.values():
        assert len(got) == 1
        assert got[0]["source"]["structure"] == "ocr"
        assert got[0]["source"]["format"] == "pdf"
        assert got[0]["source"]["pages"] == [1, 1]


@needs_ocr
def test_red_seal_scan_reads_its_figures(scanned: dict[str, list[dict[str, Any]]]) -> None:
    # read by hand from the scan: the total row and the funding total line
    report = scanned["fam1_shanghai_a"][0]
    assert report["total"]["weight"] == 100 and report["total"]["score"] == 98.58
    line = report["funding"]["lines"][0]
    assert (line["initial_budget"], line["executed"]) == (3200000, 2981375)
    assert line["execution_rate"] == 0.9775


@needs_ocr
def test_grey_seal_over_a_header_and_a_column_split(
    scanned: dict[str, list[dict[str, Any]]],
) -> None:
    # read by hand from the scan: a grey seal over the goals' split between planned
    # and actual, the indicator header's 实际完成值 分值 得分 and the actuals below
    report = scanned["overflow_long_notes_top_overflow"][0]
    assert report["goals"]["actual"].startswith("设立社区助浴点6个，全年提供助浴服务3260人次")
    assert report["goals"]["planned"].endswith("失能老人服务覆盖率达到60%。")
    rows = [(i["name"], i["actual"]["raw"], i["weight"], i["score"]) for i in report["indicators"]]
    assert rows[:5] == [
        ("助浴人次", "3260人次", 10, 10),
        ("助浴点数量", "6个", 10, 10),
        ("拨付周期", "45天", 10, 8),
        ("服务合格率", "96%", 10, 10),
        ("人均补贴", "78元", 10, 10),
    ]
    # the note column's label is clipped by its cell (偏差原因分析及…), and so is the note
    assert report["indicators"][2]["note"] == "核对人次耗时较"


@needs_ocr
def test_a_png_page_is_read_by_ocr() -> None:
    from jixiao_parser.readers.pdf_pdfium import render_pages

    _, image = next(render_pages(ROOT / "corpus/scans/fam3_national_a.pdf", dpi=150))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(150, 150))
    data = buffer.getvalue()
    assert sniff_format(data) == "png"
    reports = parse_all(data)
    assert len(reports) == 1
    report = reports[0]
    assert (report.source.format, report.source.structure) == ("png", "ocr")
    assert report.year == 2021
    assert report.total.weight == 100


def test_a_scan_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(NeedsOCR, match=r"no text layer.*jixiao_parser\[ocr\]"):
        parse_all(SCANS[0])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(NeedsOCR, match=r"scanned image.*jixiao_parser\[ocr\]"):
        parse_all(png)


def test_a_gif_is_still_unsupported() -> None:
    with pytest.raises(UnsupportedFormat, match="'gif'"):
        parse_all(b"GIF89a" + b"\x00" * 64)


@needs_ocr
def test_a_broken_png_is_a_corrupt_document() -> None:
    from jixiao_parser import CorruptDocument

    with pytest.raises(CorruptDocument, match="cannot decode the png image"):
        parse_all(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def _ocr_doc(confidence: float) -> Document:
    """A small form as OCR would give it, one figure read with ``confidence``."""
    sure = OcrRead(0.99, (0, 0, 10, 10))
    rows = [
        ["项目名称", "示例项目", "", "", "", "", "", ""],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因",
        ],
        ["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", "50", "50", ""],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", "50", "48", ""],
        ["总分", "", "", "", "", "100", "98", ""],
    ]
    cells = tuple(
        tuple(
            Cell(
                text,
                r,
                c,
                page=1,
                bbox=(c * 10.0, r * 10.0, c * 10.0 + 10, r * 10.0 + 10),
                ocr=OcrRead(confidence, (c * 20, r * 20, c * 20 + 20, r * 20 + 20))
                if (r, c) == (3, 6)
                else sure,
            )
            for c, text in enumerate(row)
        )
        for r, row in enumerate(rows)
    )
    blocks = (Paragraph("项目支出绩效自评表"), Table(cells))
    return Document(path=None, format="png", blocks=blocks, structure="ocr")


def test_a_low_confidence_cell_gets_a_diagnostic() -> None:
    report = build_reports(_ocr_doc(0.42))[0]
    assert report.source.structure == "ocr"
    found = [d for d in report.diagnostics if d.code == "ocr_low_confidence"]
    assert len(found) == 1
    assert found[0].where == "p.1 r4c7"
    assert "'48'" in found[0].message and "0.42" in found[0].message
    assert "pixels 120,60-140,80" in found[0].message
    sure = build_reports(_ocr_doc(0.95))[0]
    assert not [d for d in sure.diagnostics if d.code == "ocr_low_confidence"]


@needs_ocr
def test_skew_is_measured_from_the_rulings() -> None:
    import cv2
    import numpy as np

    page = np.full((1000, 800), 255, np.uint8)
    for y in range(200, 800, 60):
        cv2.line(page, (100, y), (700, y), 0, 2)
    turn = cv2.getRotationMatrix2D((400, 500), 1.2, 1.0)  # counter-clockwise on screen
    turned = cv2.warpAffine(page, turn, (800, 1000), borderValue=255)
    angle = ocr._skew(ocr._binary(turned))
    assert angle == pytest.approx(-1.2, abs=0.15)
    assert ocr._skew(ocr._binary(page)) == pytest.approx(0.0, abs=0.05)


@needs_ocr
def test_a_grey_seal_is_whitened_and_text_kept() -> None:
    import cv2
    import numpy as np

    page = np.full((1200, 900, 3), 255, np.uint8)
    cv2.putText(page, "98.58", (420, 620), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 3)
    cv2.circle(page, (450, 600), 110, (150, 150, 150), 8)
    grey = ocr.suppress_seals(page)
    # the rim at 45° (where it runs along the page's axes it looks like a ruling, kept)
    x, y = 450 + round(110 * 0.7071), 600 - round(110 * 0.7071)
    assert int(grey[y - 2 : y + 3, x - 2 : x + 3].min()) == 255  # the seal's rim is paper now
    text = grey[590:625, 420:540]
    assert int(text.min()) < 60  # the black figure is still there


@needs_ocr
def test_a_grey_seal_over_rulings_keeps_them_and_adds_none() -> None:
    import cv2
    import numpy as np

    page = np.full((1400, 1000, 3), 255, np.uint8)
    for y in range(300, 1100, 100):  # a grid of rulings
        cv2.line(page, (100, y), (900, y), (0, 0, 0), 2)
    for x in (100, 380, 560, 900):
        cv2.line(page, (x, 300), (x, 1000), (0, 0, 0), 2)
    # grey text (a 150 dpi scan's thin strokes) round the page, as light as the seal
    for y in range(340, 1000, 100):
        cv2.putText(page, "ab12", (150, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (130,) * 3, 2)
    # a grey seal over the grid: its rim is thicker than the text's strokes
    ink = np.full_like(page, 255)
    cv2.circle(ink, (470, 650), 160, (140, 140, 140), 9)
    page = (page.astype(np.uint16) * ink // 255).astype(np.uint8)
    grey, seals = ocr._without_seals(page)
    assert len(seals) == 1
    x0, top, x1, bottom = seals[0]
    assert abs((x0 + x1) / 2 - 470) < 12 and abs((top + bottom) / 2 - 650) < 12
    # the rim is paper where it crosses no ruling; the rulings under it stay ink
    for angle in (20, 70, 110, 160, 200, 250, 290, 340):
        x = 470 + round(160 * np.cos(np.radians(angle)))
        y = 650 + round(160 * np.sin(np.radians(angle)))
        if (
            min(abs(y - r) for r in range(300, 1100, 100)) > 8
            and min(abs(x - c) for c in (100, 380, 560, 900)) > 8
        ):
            assert int(grey[y - 1 : y + 2, x - 1 : x + 2].min()) > 200, (angle, x, y)
    assert int(grey[650, 555:566].min()) < 100  # the ruling at x=560 through the seal
    assert int(grey[595:606, 470].min()) < 100  # the ruling at y=600 through the seal
    # so the grid's columns are the four rulings, not the rim's arcs
    hs, vs = ocr._rulings(ocr._binary(grey, 8), 200)
    edges, _ = ocr._table_rulings(hs, vs, 72 / 200)
    inner = sorted(
        round(e.at * 200 / 72) for e in edges if e.orient == "v" and 300 < e.at * 200 / 72 < 650
    )
    assert len(inner) == 2 and abs(inner[0] - 380) <= 2 and abs(inner[1] - 560) <= 2, inner


@needs_ocr
def test_a_pale_ruling_under_a_red_seal_is_kept() -> None:
    import cv2
    import numpy as np

    page = np.full((1000, 800, 3), 255, np.uint8)
    cv2.line(page, (100, 500), (700, 500), (175, 175, 175), 2)  # a ruling a scan left pale
    cv2.line(page, (400, 200), (400, 800), (175, 175, 175), 2)
    ink = np.full_like(page, 255)
    cv2.circle(ink, (400, 500), 150, (205, 40, 45), -1)  # a red seal over both
    page = (page.astype(np.uint16) * ink // 255).astype(np.uint8)
    grey = ocr.suppress_seals(page)
    assert int(grey[440:460, 500].max()) == 255  # the seal is paper
    assert int(grey[495:506, 480].min()) < 230  # the rulings under it are not
    assert int(grey[560, 395:406].min()) < 230


def test_snap_label_past_a_stray_mark_a_tie_and_two_misreadings() -> None:
    from jixiao_parser.segment.labels import snap_label

    # a stray mark at either end
    assert snap_label("-年度指标值") == "年度指标值"
    assert snap_label("·实际完成值") == "实际完成值"
    assert snap_label("三级指标。") == "三级指标"
    assert snap_label("-指标说明很长") == "-指标说明很长"  # no label under the mark
    # 年?指标值 is as near 年度指标值 as 年初指标值: both name the target column
    assert snap_label("年摩指标值") in ("年度指标值", "年初指标值")
    assert snap_label("年摩指标值") == snap_label("年摩指标值")
    # a tie between labels whose text is reported (level-2 terms) is left alone
    assert snap_label("X量指标") == "X量指标"
    # two characters misread in a long label, one only in a short one
    assert snap_label("偏差原因分忻及改进搢施") == "偏差原因分析及改进措施"
    assert snap_label("项自名你") == "项自名你"
    assert snap_label("社区助餐点运营数量") == "社区助餐点运营数量"
    # a template row's placeholder is one character from 指标值, and no misreading
    assert snap_label("指标2") == "指标2"


def test_header_labels_a_seal_hid_are_named_by_their_place() -> None:
    from jixiao_parser.segment.labels import filled_header

    row = ["绩效指标", "一级指标", "二级指标", "三级", "年", "成值", "分值", "得分", "偏差原因"]
    assert filled_header(row)[3:6] == ["三级指标", "年度指标值", "实际完成值"]
    assert filled_header(row)[8] == "偏差原因"  # after the last label read: no place known
    # as many cells as columns missing, or nothing is named
    assert filled_header(["一级指标", "二级指标", "年", "分值", "得分"])[2] == "年"
    # an empty slot (a merged cell's) between them: left as it is
    assert filled_header(["一级指标", "二级指标", "", "年", "实际完成值", "分值"])[2:4] == [
        "",
        "年",
    ]
    # labels out of the forms' order: not a row to fill
    out = filled_header(["得分", "二级指标", "X", "年度指标值", "一级指标"])
    assert out == ["得分", "二级指标", "X", "年度指标值", "一级指标"]
    # a text-layer form goes through no snapping: its header is read as written
    from jixiao_parser.segment.forms import document_lines

    cells = [Cell(t, 0, k) for k, t in enumerate(["一级指标", "二级指标", "X", "年度指标值"])]
    doc = Document(path=None, format="pdf", blocks=(Table((tuple(cells),)),))

    assert [c.text for c in document_lines(doc)[0].cells][2] == "X"
    ocr_doc = Document(path=None, format="pdf", blocks=doc.blocks, structure="ocr")
    assert [c.text for c in document_lines(ocr_doc)[0].cells][2] == "三级指标"


def test_a_traditional_form_read_half_simplified_is_put_back() -> None:
    rows = ((Cell("項目名稱", 0, 0), Cell("鹏灣區长者助浴服務", 0, 1)),)
    para = Paragraph("鵬灣區養老服務中心：實際資金總額")
    out = ocr.in_traditional([para, Table(rows)])
    assert isinstance(out[1], Table)
    assert out[1].rows[0][1].text == "鵬灣區長者助浴服務"
    # a Simplified form with a few Traditional characters read in it stays
    rows = ((Cell("项目名称", 0, 0), Cell("鹏湾区长者助浴服务中心，區民政局", 0, 1)),)
    kept = ocr.in_traditional([Paragraph("项目支出绩效自评表，实际完成值"), Table(rows)])
    assert kept[1].rows[0][1].text == "鹏湾区长者助浴服务中心，區民政局"


def test_a_box_of_two_stacked_lines_is_cut_between_them() -> None:
    np = pytest.importorskip("numpy")

    page = np.full((200, 300), 255, np.uint8)
    page[20:44, 20:44] = 0  # 分
    page[52:76, 20:44] = 0  # 值, under it
    for x in (80, 160, 240):  # three one-line boxes: the page's line height
        page[20:44, x : x + 40] = 0
    boxes = [(18, 18, 46, 78)] + [(x - 2, 18, x + 42, 46) for x in (80, 160, 240)]
    pieces = ocr._one_line_each(page, [ocr._Piece(b) for b in boxes])
    assert [p.box for p in pieces][:2] == [(18, 18, 46, 48), (18, 48, 46, 78)]
    assert len(pieces) == 5


def test_snap_label_puts_one_misread_character_right() -> None:
    from jixiao_parser.segment.labels import snap_label

    assert snap_label("项自名称") == "项目名称"
    assert snap_label("满意度指木") == "满意度指标"
    assert snap_label("实际完成值") == "实际完成值"
    assert snap_label("社区助餐点运营数量") == "社区助餐点运营数量"


def test_pieces_are_cut_at_vertical_rulings() -> None:
    from jixiao_parser.readers.pdf import Edge

    scale = 72 / 200
    wall = Edge("v", 300 * scale, 0, 1000 * scale)
    pieces = ocr._pieces(
        [[(200, 100), (400, 100), (400, 140), (200, 140)]], [wall], scale, 1000, 1000
    )
    assert [p.box for p in pieces] == [(200, 100, 300, 140), (300, 100, 400, 140)]


@needs_ocr
def test_short_pieces_read_side_by_side_keep_their_own_text() -> None:
    import cv2
    import numpy as np

    def line(text: str) -> Any:
        img = np.full((40, 24 * len(text) + 16, 3), 255, np.uint8)
        cv2.putText(img, text, (8, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)

    words = ["12", "345", "67", "890", "5", "2024", "31", "77"]
    # all short: several share one line of the recogniser; a long one is read alone
    texts = [text for text, _ in ocr._read(ocr._engine(), [line(w) for w in words])]
    assert texts == words
    long = "1234567890123"
    assert ocr._read(ocr._engine(), [line(long)])[0][0] == long


def test_scan_tool_is_reproducible() -> None:
    pytest.importorskip("PIL")
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from render.scans import scan_pdf

    pdf = ROOT / "corpus/renditions/value_kinds_a/value_kinds_a.pdf"
    first = scan_pdf(pdf, "value_kinds_a", dpi=72)
    assert first == scan_pdf(pdf, "value_kinds_a", dpi=72)
    assert sniff_format(first) == "pdf"
    assert b"/DCTDecode" in first  # JPEG pages


@needs_ocr
def test_a_blank_scan_holds_no_form() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PDF")
    assert parse_all(buffer.getvalue()) == []


@needs_ocr
def test_every_frame_of_a_tiff_is_a_page() -> None:
    from jixiao_parser.readers.pdf_pdfium import render_pages

    _, image = next(render_pages(ROOT / "corpus/scans/fam3_national_a.pdf", dpi=150))
    top = image.crop((0, 0, image.width, image.height // 5))  # the title and year
    buffer = io.BytesIO()
    top.save(buffer, format="TIFF", save_all=True, append_images=[top], dpi=(150, 150))
    data = buffer.getvalue()
    assert sniff_format(data) == "tiff"
    doc = ocr.read_image(data, None, "two.tif")
    assert (doc.format, doc.structure, doc.pages) == ("tiff", "ocr", 2)
    titles = [(b.page, b.text) for b in doc.blocks if isinstance(b, Paragraph)][::2]
    assert titles == [(1, "项目支出绩效自评表"), (2, "项目支出绩效自评表")]


def test_a_scanned_row_a_page_break_cut_is_rejoined() -> None:
    from jixiao_parser.segment.stitch import stitch_split_rows

    read = OcrRead(0.99, (0, 0, 1, 1))
    edges = [(50.0, 120.0), (120.0, 260.0), (260.0, 330.0), (330.0, 400.0)]

    def row(texts: list[str], page: int, shift: float, how: OcrRead | None) -> tuple[Cell, ...]:
        return tuple(
            Cell(t, 0, k, page=page, bbox=(x0 + shift, 700.0, x1 + shift, 720.0), ocr=how)
            for k, (t, (x0, x1)) in enumerate(zip(texts, edges, strict=True))
        )

    for reading in (read, None):
        last = row(["质量指标", "项目支出符合", "=1百", "10"], 1, 0.0, reading)
        # the next page's scan lies 4 points to the right: no longer the same 3-point slots
        first = row(["", "协会财务制度规定", "分比", ""], 2, 4.0, reading)
        out = stitch_split_rows([Table((last,)), Table((first,))])
        texts = [c.text for c in out[0].rows[-1]] if isinstance(out[0], Table) else []
        if reading is not None:
            assert len(out) == 1
            assert texts == ["质量指标", "项目支出符合协会财务制度规定", "=1百分比", "10"]
        else:  # a PDF's pages are drawn alike: its rows keep to the 3-point rule
            assert len(out) == 2
