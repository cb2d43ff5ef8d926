"""Untrusted input: every bad file ends in its documented JixiaoError, within its limits."""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from jixiao_parser import (
    CorruptDocument,
    JixiaoError,
    Limits,
    NotAForm,
    ResourceLimitExceeded,
    StrictError,
    parse,
    parse_all,
    parse_text,
)
from pdf_objects import pdf_from_objects

ROOT = Path(__file__).resolve().parent.parent
RENDITIONS = ROOT / "corpus" / "renditions"
SEED = ROOT / "corpus" / "seeds" / "seed_000" / "000_f4fd78449f7adfd3.txt"


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with one line of Helvetica text (no tables)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_from_objects(objects)


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_empty_input() -> None:
    assert parse_all(b"") == []
    with pytest.raises(NotAForm):
        parse(b"")


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_never_escape_the_taxonomy(seed: int) -> None:
    data = random.Random(seed).randbytes(4096)
    try:
        parse_all(data)
    except JixiaoError:
        pass


TRUNCATABLE = sorted(
    p
    for p in RENDITIONS.glob("seed_003/*")
    if p.suffix in {".pdf", ".docx", ".xlsx", ".xls", ".html", ".odt"}
)


@pytest.mark.usefixtures("each_pdf_backend")
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("path", TRUNCATABLE, ids=lambda p: p.suffix[1:])
def test_truncated_files(path: Path, fraction: float) -> None:
    data = path.read_bytes()
    cut = data[: int(len(data) * fraction)]
    try:
        parse_all(cut)
    except JixiaoError as exc:
        assert exc.source == "<bytes>" and exc.reason


def test_html_page_named_pdf_is_read_as_html(tmp_path: Path) -> None:
    page = tmp_path / "report.pdf"
    page.write_bytes((RENDITIONS / "seed_000" / "seed_000.html").read_bytes())
    (report,) = parse_all(page)
    assert (
        report.source.format == "html"
        and report.header.project_name == "计生特殊家庭帮扶及权益维护"
    )


def test_error_page_saved_as_pdf_is_not_a_form(tmp_path: Path) -> None:
    page = tmp_path / "download.pdf"
    page.write_bytes(
        b"<html><head><title>404 Not Found</title></head><body><h1>404</h1></body></html>"
    )
    assert parse_all(page) == []


def test_docx_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO(_docx_bytes(["项目名称"]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (64 * 2**20))
    with pytest.raises(ResourceLimitExceeded, match="zip bomb"):
        parse_all(buffer.getvalue())


def test_zip_member_limit_by_keyword() -> None:
    data = _docx_bytes(["项目支出绩效自评表"] * 200)
    with pytest.raises(ResourceLimitExceeded, match="max_member_bytes"):
        parse_all(data, max_member_bytes=10_000)


def test_docx_entity_expansion_is_not_expanded() -> None:
    data = _docx_bytes(["项目名称"])
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w:document ['
        '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {x} "{("&" + y + ";") * 10}">'
            for x, y in zip("bcdefghij", "abcdefghi", strict=True)
        )
        + "]>"
    )
    xml = bomb + xml.split("?>", 1)[1].replace("项目名称", "&j;")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(
                item, xml if item.filename == "word/document.xml" else source.read(item)
            )
    started = time.monotonic()
    try:
        reports = parse_all(out.getvalue())
    except JixiaoError:
        reports = []
    assert time.monotonic() - started < 30
    assert all(len(r.to_json()) < 10**6 for r in reports)


def test_ten_megabyte_single_line_text() -> None:
    data = ("项目" * (5 * 2**20 // 3)).encode()
    assert len(data) >= 10 * 10**6 - 100
    started = time.monotonic()
    assert parse_all(data) == []
    assert time.monotonic() - started < 60


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(ResourceLimitExceeded, match="max_bytes"):
        parse_all(big, max_bytes=1000)
    with pytest.raises(ResourceLimitExceeded, match="max_bytes"):
        parse_all(io.BytesIO(b"x" * 5000), limits=Limits(max_bytes=1000))


@pytest.mark.usefixtures("each_pdf_backend")
def test_page_and_cell_limits() -> None:
    pdf = RENDITIONS / "seed_003" / "seed_003.pdf"
    with pytest.raises(ResourceLimitExceeded, match="max_pages"):
        parse_all(pdf, max_pages=1)
    with pytest.raises(ResourceLimitExceeded, match="max_cells"):
        parse_all(SEED, max_cells=50)


@pytest.mark.usefixtures("each_pdf_backend")
def test_time_budget() -> None:
    with pytest.raises(ResourceLimitExceeded, match="time_budget"):
        parse_all(RENDITIONS / "multi_form" / "multi_form.pdf", time_budget=0.0)


def test_unknown_limit_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="max_rows"):
        parse_all(SEED, max_rows=3)


def test_deeply_nested_html() -> None:
    page = "<html><body>" + "<div>" * 20000 + "项目名称" + "</div>" * 20000 + "</body></html>"
    try:
        parse_all(page.encode())
    except JixiaoError:
        pass


@pytest.mark.usefixtures("each_pdf_backend")
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _docx_bytes(["一份会议通知。", "请各单位准时参加。"]), id="docx"),
        pytest.param(lambda: minimal_pdf("Meeting notice"), id="pdf"),
        pytest.param(
            lambda: b"<html><body><table><tr><td>a</td><td>b</td></tr></table></body></html>",
            id="html",
        ),
        pytest.param(lambda: "会议通知\n请准时参加。".encode("gb18030"), id="text"),
    ],
)
def test_documents_that_are_not_forms(make) -> None:  # type: ignore[no-untyped-def]
    assert parse_all(make()) == []


def test_xlsx_that_is_not_a_form() -> None:
    book = openpyxl.Workbook()
    book.active.append([1, 2, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert parse_all(buffer.getvalue()) == []


def test_strict_raises_on_the_first_problem() -> None:
    seed = (ROOT / "corpus" / "seeds" / "seed_003" / "003_83db39a3659af481.txt").read_text(
        encoding="utf-8"
    )
    assert parse_text(seed, strict=True)  # info diagnostics are not problems
    text = seed.replace("项目支出绩效自评表\n", "项目支出绩效自评表\n说不清的一行\t\n", 1)
    assert parse_text(text)[0].leftover
    with pytest.raises(StrictError, match="说不清的一行"):
        parse_text(text, strict=True)
    with pytest.raises(StrictError, match="funding_missing"):
        parse_all("项目支出绩效自评表\n项目名称\t示例\n".encode(), strict=True)
    assert parse(SEED, strict=False).total.score is not None


def test_damaged_docx_is_a_corrupt_document() -> None:
    data = bytearray((RENDITIONS / "seed_003" / "seed_003.docx").read_bytes())
    data[200:400] = b"\xff" * 200
    with pytest.raises(CorruptDocument):
        parse_all(bytes(data))
