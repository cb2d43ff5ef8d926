"""The XLSX/XLS readers: grids, merges, number formats, corrupt input, end to end.

Workbooks are built here with openpyxl; the XLS side is tested on a workbook
converted by LibreOffice when ``soffice`` is on the machine, and always on the
committed corpus renditions (``corpus/renditions/*/*.xls``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao_parser import CorruptDocument
from jixiao_parser.api import _reports
from jixiao_parser.document import Document, Table
from jixiao_parser.readers.text import clean_cell, decode_text
from jixiao_parser.readers.xlsx import format_datetime, format_number, read_xls, read_xlsx

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
RENDITIONS = CORPUS / "renditions"

# (row, col, text, rowspan, colspan) of every emitted cell, row by row.
Grid = list[list[tuple[int, int, str, int, int]]]


def grid(table: Any) -> Grid:
    assert isinstance(table, Table)
    return [[(c.row, c.col, c.text, c.rowspan, c.colspan) for c in row] for row in table.rows]


def patch_sheet1(data: bytes, patch: Any) -> bytes:
    """Rewrite ``xl/worksheets/sheet1.xml`` of a saved workbook with ``patch(xml)``."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = patch(content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


def workbook_bytes(wb: Any, cached: dict[str, str] | None = None) -> bytes:
    """Save ``wb``; ``cached`` gives formula cells (of the first sheet) a cached value,
    as Excel would have stored it (openpyxl writes formulas without one)."""
    buf = BytesIO()
    wb.save(buf)
    if not cached:
        return buf.getvalue()

    def add_values(xml: str) -> str:
        for ref, value in cached.items():
            xml, n = re.subn(
                rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*>\s*</v>|<v\s*/>)?',
                lambda m, v=value: f"{m.group(1)}<v>{v}</v>",
                xml,
            )
            assert n == 1, ref
        return xml

    return patch_sheet1(buf.getvalue(), add_values)


# --------------------------------------------------------------------------
# format_number / format_datetime


def fmt_case(value: float, number_format: str, expected: str, id: str) -> Any:
    return pytest.param(value, number_format, expected, id=id)


FORMAT_CASES = [
    # General: 15 significant digits, no ".0", no exponent for ordinary sizes
    fmt_case(1100000.0, "General", "1100000", "general-integral-float"),
    fmt_case(1100000, "General", "1100000", "general-int"),
    fmt_case(5658097.550000001, "General", "5658097.55", "general-float-noise"),
    fmt_case(0.1 + 0.2, "General", "0.3", "general-0.1+0.2"),
    fmt_case(965043.97, "General", "965043.97", "general-money"),
    fmt_case(-5.0, "General", "-5", "general-negative"),
    fmt_case(0.0, "General", "0", "general-zero"),
    fmt_case(-0.0, "General", "0", "general-negative-zero"),
    fmt_case(0.0001, "General", "0.0001", "general-small-no-exponent"),
    fmt_case(1e20, "General", "1E+20", "general-huge-exponent"),
    fmt_case(3.0, "", "3", "empty-format-is-general"),
    fmt_case(3.0, "general", "3", "general-lowercase"),
    # The float-32 leak of VALUES.md: it has 15 significant digits, so General
    # keeps them all (Excel shows the same); its own format shows 9%.
    fmt_case(0.0900000762939453, "General", "0.0900000762939453", "float32-leak-general"),
    fmt_case(0.0900000762939453, "0%", "9%", "float32-leak-percent"),
    fmt_case(0.0900000762939453, "0.00", "0.09", "float32-leak-0.00"),
    fmt_case(-0.300000152587891, "0%", "-30%", "float32-leak-negative-percent"),
    # fixed decimals and thousands separators
    fmt_case(1100000.0, "0", "1100000", "0"),
    fmt_case(12.5, "0", "13", "0-rounds-half-up"),
    fmt_case(1100000.0, "0.00", "1100000.00", "0.00"),
    fmt_case(2.675, "0.00", "2.68", "0.00-half-up-after-15-digits"),
    fmt_case(1100000.0, "#,##0", "1,100,000", "#,##0"),
    fmt_case(965043.97, "#,##0.00", "965,043.97", "#,##0.00"),
    fmt_case(5658097.550000001, "#,##0.00", "5,658,097.55", "#,##0.00-noise"),
    fmt_case(0.0, "#,##0.00", "0.00", "#,##0.00-zero"),
    fmt_case(999.0, "#,##0.00", "999.00", "#,##0.00-no-group"),
    fmt_case(-1234.5, "#,##0.00", "-1,234.50", "#,##0.00-negative"),
    fmt_case(0.5, "#.00", ".50", "#.00-no-leading-zero"),
    fmt_case(12.5, "0.0#", "12.5", "optional-decimal"),
    fmt_case(12.0, "0.0#", "12.0", "optional-decimal-dropped"),
    fmt_case(7.0, "00", "07", "zero-padded"),
    fmt_case(1234567.0, "#,##0,", "1,235", "thousands-scaling"),
    # percent
    fmt_case(0.9735, "0%", "97%", "0%"),
    fmt_case(0.9735, "0.00%", "97.35%", "0.00%"),
    fmt_case(1.0, "0.00%", "100.00%", "0.00%-full"),
    fmt_case(0.98, "0.0%", "98.0%", "0.0%"),
    # sections, literals, currency, padding
    fmt_case(-5.0, "0;[Red]-0", "-5", "negative-section"),
    fmt_case(-1234.5, "#,##0.00_);(#,##0.00)", "(1,234.50)", "negative-in-parentheses"),
    fmt_case(0.0, '0;-0;"-"', "-", "zero-section-literal"),
    fmt_case(3.0, ";;;", "", "hidden"),
    fmt_case(1234.0, r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)', "1,234.00",
             "accounting"),
    fmt_case(0.0, r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)', "-", "accounting-zero"),
    fmt_case(965043.97, "[$¥-804]#,##0.00", "¥965,043.97", "currency-bracket"),
    fmt_case(965043.97, '"¥"#,##0.00', "¥965,043.97", "currency-quoted"),
    fmt_case(12.5, '0.00"万元"', "12.50万元", "unit-literal"),
    fmt_case(12.5, "0.00万元", "12.50万元", "unit-unquoted"),
    fmt_case(1.5, "[Blue]0.00", "1.50", "colour"),
    fmt_case(3.0, "@", "3", "text-format"),
    fmt_case(45015.0, "[DBNum1]General", "45015", "dbnum-ignored"),
    fmt_case(123456.0, "0.00E+00", "1.23E+05", "scientific"),
    fmt_case(0.25, "# ?/?", "0.25", "fraction-as-general"),
    # dates: serials in the 1900 system; ISO unless the format writes 年/月/日
    fmt_case(45015.0, "yyyy-mm-dd", "2023-03-30", "date-iso"),
    fmt_case(45015.0, "mm-dd-yy", "2023-03-30", "date-builtin-14"),
    fmt_case(45015.0, "yyyy/m/d", "2023-03-30", "date-slashes"),
    fmt_case(45015.0, "d-mmm-yy", "2023-03-30", "date-month-name"),
    fmt_case(45015.0, "mmm-yy", "2023-03", "date-year-month"),
    fmt_case(45015.0, 'yyyy"年"m"月"d"日"', "2023年3月30日", "date-cjk"),
    fmt_case(45015.0, "yyyy年m月d日", "2023年3月30日", "date-cjk-unquoted"),
    fmt_case(45015.0, 'yyyy"年"m"月"', "2023年3月", "date-cjk-year-month"),
    fmt_case(45015.0, 'm"月"d"日"', "3月30日", "date-cjk-month-day"),
    fmt_case(45015.0, "yyyy年m月d日 aaaa", "2023年3月30日 星期四", "date-cjk-weekday"),
    fmt_case(45015.604166666664, "yyyy/m/d h:mm", "2023-03-30 14:30", "datetime"),
    fmt_case(45015.604166666664, "yyyy-mm-dd hh:mm:ss", "2023-03-30 14:30:00", "datetime-secs"),
    fmt_case(0.6041666666666666, "h:mm", "14:30", "time"),
    fmt_case(0.6041666666666666, 'h"时"mm"分"', "14时30分", "time-cjk"),
    fmt_case(0.6041666666666666, '上午/下午h"时"mm"分"', "下午2时30分", "time-cjk-12h"),
    fmt_case(0.6041666666666666, "h:mm AM/PM", "14:30", "time-ampm-iso"),
    fmt_case(59.0, "yyyy-mm-dd", "1900-02-28", "date-before-lotus-leap-day"),
    fmt_case(61.0, "yyyy-mm-dd", "1900-03-01", "date-after-lotus-leap-day"),
    fmt_case(-1.0, "yyyy-mm-dd", "-1", "date-out-of-range"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "number_format", "expected"), FORMAT_CASES)
def test_format_number(value: float, number_format: str, expected: str) -> None:
    assert format_number(value, number_format) == expected


def test_format_number_1904_dates() -> None:
    assert format_number(43553.0, "yyyy-mm-dd", date1904=True) == "2023-03-30"


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        pytest.param(dt.datetime(2023, 3, 30), "mm-dd-yy", "2023-03-30", id="datetime-iso"),
        pytest.param(dt.date(2023, 3, 30), "yyyy-mm-dd", "2023-03-30", id="date"),
        pytest.param(
            dt.datetime(2023, 3, 30, 9, 5, 7),
            "yyyy-mm-dd h:mm:ss",
            "2023-03-30 09:05:07",
            id="datetime-seconds",
        ),
        pytest.param(dt.date(2023, 3, 30), 'yyyy"年"m"月"d"日"', "2023年3月30日", id="cjk"),
        pytest.param(dt.date(2023, 3, 1), 'yyyy"年"mm"月"dd"日"', "2023年03月01日", id="cjk-pad"),
        pytest.param(dt.time(9, 30), "h:mm", "09:30", id="time"),
        pytest.param(dt.time(9, 30), 'h"时"mm"分"', "9时30分", id="time-cjk"),
    ],
)
def test_format_datetime(value: dt.datetime, number_format: str, expected: str) -> None:
    assert format_datetime(value, number_format) == expected


FORMATS = [c.values[1] for c in FORMAT_CASES]
finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite, st.sampled_from(FORMATS) | st.text(max_size=20))
def test_format_number_never_crashes(value: float, number_format: str) -> None:
    assert isinstance(format_number(value, number_format), str)


@given(st.floats(min_value=-1e14, max_value=1e14))
def test_format_number_thousands_reads_back(value: float) -> None:
    text = format_number(value, "#,##0.00")
    expected = Decimal(f"{value:.15g}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(text.replace(",", "")) == expected
    assert re.fullmatch(r"-?\d{1,3}(?:,\d{3})*\.\d\d", text)


@given(finite)
def test_general_has_no_float_noise(value: float) -> None:
    text = format_number(value)
    assert not text.endswith(".0")
    mantissa = text.split("E")[0].lstrip("-").replace(".", "").lstrip("0")
    assert len(mantissa) <= 15


@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_corrupt_document(data: bytes) -> None:
    for reader in (read_xlsx, read_xls):
        try:
            reader(data, None, "<bytes>")
        except CorruptDocument:
            pass


# --------------------------------------------------------------------------
# XLSX grids


def sample_workbook() -> Any:
    """Three sheets: a form-like grid with merges and formats, a small one, an empty one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表一"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:E1")  # horizontal
    # row 2 stays empty
    ws["A3"] = "产出指标"
    ws.merge_cells("A3:A4")  # vertical
    ws["B3"] = "数量指标"
    ws["C3"] = 1100000.0
    ws["C3"].number_format = "#,##0.00"
    ws["D3"] = 0.9735
    ws["D3"].number_format = "0.00%"
    ws["E3"] = 5658097.550000001
    ws["B4"] = " <p>第一段</p><p>第二段</p> "
    ws["C4"] = "=C3*2"
    ws["C4"].number_format = "#,##0.00"
    ws["D4"] = True
    ws["E4"] = dt.date(2023, 3, 30)
    ws["E4"].number_format = "yyyy-mm-dd"
    ws["A5"] = "第一行\n第二行"
    ws["C5"] = 0.0900000762939453
    ws["C5"].number_format = "0.00"
    ws["B6"] = 7
    ws["B6"].number_format = "0"
    ws["D6"] = "=90"
    ws["D6"].data_type = "s"  # text, not a formula
    ws["A7"] = "合计"
    ws.merge_cells("A7:B8")  # both ways
    ws["C7"] = 1
    ws["C8"] = 2
    second = wb.create_sheet("表二")
    second["B2"] = "第二张"
    second["C2"] = 1100000.0
    wb.create_sheet("空表")
    return wb


SAMPLE_GRID: Grid = [
    [(0, 0, "项目支出绩效自评表", 1, 5)],
    [
        (2, 0, "产出指标", 2, 1),
        (2, 1, "数量指标", 1, 1),
        (2, 2, "1,100,000.00", 1, 1),
        (2, 3, "97.35%", 1, 1),
        (2, 4, "5658097.55", 1, 1),
    ],
    [
        (3, 1, "第一段\n第二段", 1, 1),
        (3, 2, "2,200,000.00", 1, 1),
        (3, 3, "TRUE", 1, 1),
        (3, 4, "2023-03-30", 1, 1),
    ],
    [(4, 0, "第一行\n第二行", 1, 1), (4, 1, "", 1, 1), (4, 2, "0.09", 1, 1)],
    [(5, 0, "", 1, 1), (5, 1, "7", 1, 1), (5, 2, "", 1, 1), (5, 3, "=90", 1, 1)],
    [(6, 0, "合计", 2, 2), (6, 2, "1", 1, 1)],
    [(7, 2, "2", 1, 1)],
]


@pytest.fixture(scope="module")
def sample_xlsx() -> bytes:
    return workbook_bytes(sample_workbook(), cached={"C4": "2200000"})


def test_xlsx_grid(sample_xlsx: bytes) -> None:
    doc = read_xlsx(sample_xlsx, "x.xlsx", "x.xlsx")
    assert (doc.path, doc.format, doc.pages) == ("x.xlsx", "xlsx", 3)
    assert len(doc.blocks) == 3
    assert grid(doc.blocks[0]) == SAMPLE_GRID


def test_xlsx_every_sheet_is_a_table_with_its_page(sample_xlsx: bytes) -> None:
    doc = read_xlsx(sample_xlsx, None, "<bytes>")
    assert grid(doc.blocks[1]) == [
        [(1, 0, "", 1, 1), (1, 1, "第二张", 1, 1), (1, 2, "1100000", 1, 1)]
    ]
    assert doc.blocks[2] == Table(())
    pages = {c.page for b in doc.blocks if isinstance(b, Table) for row in b.rows for c in row}
    assert pages == {1, 2}
    first = doc.blocks[0]
    assert isinstance(first, Table)
    assert all(c.page == 1 for row in first.rows for c in row)
    assert first.rows[1][2].where == "p.1 r3c3"


def test_xlsx_formula_without_cached_value_is_empty() -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["B1"] = "=A1+1"  # never calculated: no cached value
    doc = read_xlsx(workbook_bytes(wb), None, "<bytes>")
    assert grid(doc.blocks[0]) == [[(0, 0, "1", 1, 1)]]


def test_xlsx_formula_reads_the_cached_value_not_the_formula() -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = 0.1
    wb.active["B1"] = 0.2
    wb.active["C1"] = "=A1+B1"
    wb.active["C2"] = '=IF(A1>0,"有效","无效")'
    data = workbook_bytes(wb, cached={"C1": "0.30000000000000004", "C2": "有效"})
    data = patch_sheet1(data, lambda xml: xml.replace('<c r="C2"', '<c r="C2" t="str"', 1))
    table = read_xlsx(data, None, "<bytes>").blocks[0]
    assert grid(table) == [
        [(0, 0, "0.1", 1, 1), (0, 1, "0.2", 1, 1), (0, 2, "0.3", 1, 1)],
        [(1, 0, "", 1, 1), (1, 1, "", 1, 1), (1, 2, "有效", 1, 1)],
    ]


def test_xlsx_locale_builtin_date_format_by_id() -> None:
    """Chinese Excel stores 2023年3月30日 as numFmtId 31 with no format code."""
    wb = openpyxl.Workbook()
    for ref, fmt_id in (("A1", 31), ("B1", 14), ("C1", 57)):
        cell = wb.active[ref]
        cell.value = 45015
        cell.number_format = "0"  # creates the cell's style array
        cell._style.numFmtId = fmt_id
    doc = read_xlsx(workbook_bytes(wb), None, "<bytes>")
    assert [c.text for c in doc.blocks[0].rows[0]] == ["2023年3月30日", "2023-03-30", "2023年3月"]  # type: ignore[union-attr]


def test_xlsx_dates_and_times_from_openpyxl() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = dt.datetime(2023, 3, 30, 14, 30)
    ws["A1"].number_format = "yyyy/m/d h:mm"
    ws["B1"] = dt.date(2023, 12, 31)
    ws["B1"].number_format = 'yyyy"年"m"月"d"日"'
    ws["C1"] = dt.date(2023, 12, 31)  # openpyxl's default date format
    ws["D1"] = False
    doc = read_xlsx(workbook_bytes(wb), None, "<bytes>")
    texts = [c.text for c in doc.blocks[0].rows[0]]  # type: ignore[union-attr]
    assert texts == ["2023-03-30 14:30", "2023年12月31日", "2023-12-31", "FALSE"]


def test_xlsx_text_in_covered_slots_is_dropped_and_rows_are_trimmed() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "一级指标"
    ws["D1"] = "   "  # whitespace only: empty
    ws["B2"] = "  左右空格  "
    ws.merge_cells("A1:A2")
    doc = read_xlsx(workbook_bytes(wb), None, "<bytes>")
    assert grid(doc.blocks[0]) == [[(0, 0, "一级指标", 2, 1)], [(1, 1, "左右空格", 1, 1)]]


def test_xlsx_string_escapes_and_carriage_returns() -> None:
    """Excel writes CR as ``_x000D_`` in XLSX strings; openpyxl leaves it in."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "PLACEHOLDER1"
    wb.active["B1"] = "PLACEHOLDER2"
    wb.active["C1"] = "第一行\r\n第二行\r第三行"

    def escape(xml: str) -> str:
        xml = xml.replace("PLACEHOLDER1", "项目_x000D_\n名称")
        return xml.replace("PLACEHOLDER2", "literal _x005F_x000D_")

    doc = read_xlsx(patch_sheet1(workbook_bytes(wb), escape), None, "<bytes>")
    texts = [c.text for c in doc.blocks[0].rows[0]]  # type: ignore[union-attr]
    assert texts == ["项目\n名称", "literal _x000D_", "第一行\n第二行\n第三行"]


@pytest.mark.parametrize(
    ("data", "reader"),
    [
        pytest.param(b"", read_xlsx, id="xlsx-empty"),
        pytest.param(b"not a workbook at all", read_xlsx, id="xlsx-garbage"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 100, read_xlsx, id="xlsx-broken-zip"),
        pytest.param(b"", read_xls, id="xls-empty"),
        pytest.param(b"not a workbook at all", read_xls, id="xls-garbage"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, read_xls, id="xls-bad-ole"
        ),
    ],
)
def test_corrupt_input_raises_corrupt_document(data: bytes, reader: Any) -> None:
    with pytest.raises(CorruptDocument) as info:
        reader(data, None, "bad.file")
    assert info.value.source == "bad.file"
    assert info.value.__cause__ is not None


def test_truncated_xlsx_and_xlsx_given_to_xls(sample_xlsx: bytes) -> None:
    with pytest.raises(CorruptDocument, match="XLSX"):
        read_xlsx(sample_xlsx[: len(sample_xlsx) // 2], None, "half.xlsx")
    with pytest.raises(CorruptDocument, match="XLS"):
        read_xls(sample_xlsx, None, "wrong.xls")
    zipped = BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(CorruptDocument):
        read_xlsx(zipped.getvalue(), None, "hollow.xlsx")


# --------------------------------------------------------------------------
# XLS through LibreOffice (when present)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def sample_xls(tmp_path_factory: pytest.TempPathFactory, sample_xlsx: bytes) -> bytes:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("xls")
    src = tmp / "sample.xlsx"
    src.write_bytes(sample_xlsx)
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={(tmp / 'profile').as_uri()}",  # never the user's profile
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "xls",
        "--outdir",
        str(tmp / "out"),
        str(src),
    ]
    subprocess.run(cmd, check=False, capture_output=True, timeout=180)
    out = tmp / "out" / "sample.xls"
    assert out.exists(), "soffice did not convert the workbook"
    return out.read_bytes()


def test_xls_from_libreoffice_reads_like_the_xlsx(sample_xls: bytes, sample_xlsx: bytes) -> None:
    doc = read_xls(sample_xls, "x.xls", "x.xls")
    assert (doc.path, doc.format, doc.pages) == ("x.xls", "xls", 3)
    assert grid(doc.blocks[0]) == SAMPLE_GRID
    xlsx = read_xlsx(sample_xlsx, "x.xls", "x.xls")
    assert doc.blocks == xlsx.blocks


# --------------------------------------------------------------------------
# The committed corpus renditions (XLSX written by openpyxl, XLS by LibreOffice)


def _rendition_params() -> list[Any]:
    params = []
    for layout in sorted(RENDITIONS.glob("*/layout.json")):
        for ext in ("xlsx", "xls"):
            path = layout.parent / f"{layout.parent.name}.{ext}"
            if path.exists():
                params.append(pytest.param(path, id=f"{layout.parent.name}-{ext}"))
    return params


def _same_value(expected: str, actual: str) -> bool:
    """Typed funding cells come back formatted: '1100000' is shown as '1,100,000.00'."""
    if expected == actual:
        return True

    def number(text: str) -> Decimal | None:
        try:
            if text.endswith("%"):
                return Decimal(text[:-1].replace(",", "")) / 100
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None

    a, b = number(expected), number(actual)
    return a is not None and a == b


@pytest.mark.parametrize("path", _rendition_params())
def test_renditions_match_their_layout(path: Path) -> None:
    layout = json.loads((path.parent / "layout.json").read_text(encoding="utf-8"))
    reader = read_xls if path.suffix == ".xls" else read_xlsx
    doc = reader(path.read_bytes(), str(path), path.name)
    assert doc.pages == len(layout["forms"])
    for page, (form, block) in enumerate(zip(layout["forms"], doc.blocks, strict=True), start=1):
        assert isinstance(block, Table)
        cells = {(c.row, c.col): c for row in block.rows for c in row}
        assert all(c.page == page for c in cells.values())
        top = len(form["paragraphs"])
        for k, text in enumerate(form["paragraphs"]):
            assert cells[(k, 0)].text == text
            assert cells[(k, 0)].colspan == (form["width"] if form["width"] > 1 else 1)
        spans = {(r + top, c): (rs, cs) for r, c, rs, cs in form["merges"]}
        covered = {
            (r + i, c + k)
            for (r, c), (rs, cs) in spans.items()
            for i in range(rs)
            for k in range(cs)
            if i or k
        }
        for r, row in enumerate(form["rows"], start=top):
            for c, text in enumerate(row):
                if (r, c) in covered:
                    assert (r, c) not in cells
                    continue
                cell = cells.get((r, c))
                if not text:
                    assert cell is None or cell.text == ""
                    continue
                assert cell is not None, (r, c, text)
                assert _same_value(text, cell.text), (r, c, text, cell.text)
                assert (cell.rowspan, cell.colspan) == spans.get((r, c), (1, 1))


def _text_source(case: str) -> Path:
    for group in ("cases", "seeds"):
        folder = CORPUS / group / case
        if folder.is_dir():
            return folder / "form.txt" if group == "cases" else min(folder.glob("*.txt"))
    raise FileNotFoundError(case)


@pytest.mark.parametrize("path", [p for p in _rendition_params() if p.values[0].suffix == ".xls"])
def test_xls_rendition_texts_come_from_the_text_source(path: Path) -> None:
    """Every text cell of the XLS, line by line, is in the case's text source."""
    source = decode_text(_text_source(path.parent.name).read_bytes())
    squeezed = re.sub(r"\s+", "", "\n".join(clean_cell(line) for line in source.split("\t")))
    doc = read_xls(path.read_bytes(), str(path), path.name)
    texts = [c.text for b in doc.blocks if isinstance(b, Table) for row in b.rows for c in row]
    assert texts
    for text in texts:
        if re.fullmatch(r"[\d,.%]+", text):
            continue  # a typed funding cell, formatted by its number format
        for line in text.split("\n"):
            assert re.sub(r"\s+", "", line) in squeezed, line


def test_seed_000_xls_funding_cells_read_as_formatted() -> None:
    path = RENDITIONS / "seed_000" / "seed_000.xls"
    if not path.exists():
        pytest.skip("rendition not generated")
    doc = read_xls(path.read_bytes(), str(path), path.name)
    table = doc.blocks[0]
    assert isinstance(table, Table)
    cells = {(c.row, c.col): c.text for row in table.rows for c in row}
    assert cells[(2, 1)] == "计生特殊家庭帮扶及权益维护"
    assert cells[(5, 1)] == "年度资金总额"
    assert (cells[(5, 2)], cells[(5, 4)], cells[(5, 6)]) == ("1,100,000.00", "965,043.97", "97.35%")
    assert cells[(6, 2)] == "1,100,000.00"  # the source says "1100000"; the sheet shows it so


# --------------------------------------------------------------------------
# End to end: a small complete form in a workbook


def form_workbook() -> Any:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    rows: list[list[Any]] = [
        ["项目支出绩效自评表"],
        ["（2023年度）"],
        ["项目名称", "社区卫生服务能力提升", None, None, None, None, None],
        ["主管部门", "云岫县卫生健康局", None, None, "实施单位", "云岫县人民医院", None],
        [
            "项目资金（元）",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [None, "年度资金总额", 1100000.0, 991403.0, 965043.97, 10, 0.9735, 9.73],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "服务场次", "=90", "90", 20, 20],
        [None, "质量指标", "服务覆盖率", "≥95%", "98%", 20, 20],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", 10, 10],
        ["总分", None, None, None, None, 100, 99.73],
    ]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=90" is text
    ws.merge_cells("A1:H1")
    ws.merge_cells("A2:H2")
    ws.merge_cells("B3:H3")
    ws.merge_cells("B4:D4")
    ws.merge_cells("F4:H4")
    ws.merge_cells("A5:A6")
    ws.merge_cells("A8:A9")  # 产出指标 over two rows
    ws.merge_cells("A11:E11")
    for ref in ("C6", "D6", "E6"):
        ws[ref].number_format = "#,##0.00"
    ws["G6"].number_format = "0.00%"
    return wb


def test_end_to_end_form_from_xlsx() -> None:
    doc = read_xlsx(workbook_bytes(form_workbook()), "form.xlsx", "form.xlsx")
    reports = _reports(doc)
    assert len(reports) == 1
    report = reports[0]
    assert (report.title, report.year) == ("项目支出绩效自评表", 2023)
    assert report.header.project_name == "社区卫生服务能力提升"
    assert report.header.supervisor == "云岫县卫生健康局"
    assert report.header.implementer == "云岫县人民医院"
    total = report.funding.lines[0]
    assert total.label == "年度资金总额"
    assert (total.initial_budget, total.annual_budget, total.executed) == (
        Decimal("1100000.00"),
        Decimal("991403.00"),
        Decimal("965043.97"),
    )
    assert total.execution_rate == Decimal("0.9735")
    assert (total.weight, total.score) == (Decimal(10), Decimal("9.73"))
    levels = [(i.level1, i.level2, i.name) for i in report.indicators]
    assert levels == [
        ("产出指标", "数量指标", "服务场次"),
        ("产出指标", "质量指标", "服务覆盖率"),
        ("满意度指标", "服务对象满意度指标", "群众满意度"),
    ]
    assert report.total.score == Decimal("99.73")
    assert report.source.format == "xlsx"


def test_documents_compare_by_value(sample_xlsx: bytes) -> None:
    one = read_xlsx(sample_xlsx, None, "<bytes>")
    assert one == read_xlsx(sample_xlsx, None, "<bytes>")
    assert isinstance(one, Document)
