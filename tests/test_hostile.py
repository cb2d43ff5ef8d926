"""Hostile inputs (tests/hostile.py makes them from the corpus renditions): each
class, at a size quick enough for CI, parsed in a child process under a memory
cap and a timeout, gives its typed error or the base form read whole.

The full sizes (GB-scale bombs, 10^9 form draws) run with ``python tools/hostile.py``.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from hostile import BASE_INDICATORS, CLASSES, Case, base, run, verdict  # type: ignore[import-not-found]
from jixiao_parser import (
    CorruptDocument,
    JixiaoError,
    JixiaoWarning,
    Limits,
    ResourceLimitExceeded,
    parse,
    parse_all,
    parse_text,
)
from jixiao_parser.limits import check_zip
from jixiao_parser.readers import pdf

RUNS = [
    pytest.param(name, backend, id=f"{name}-{backend}" if backend else name)
    for name, case in CLASSES.items()
    for backend in (("pdfium", "pdfminer") if case.pdf else (None,))
]


@pytest.mark.parametrize("name, backend", RUNS)
def test_hostile_input(name: str, backend: str | None, tmp_path: Path) -> None:
    case: Case = CLASSES[name]
    if backend == "pdfium" and not pdf._have_pdfium():
        pytest.skip("pypdfium2 is not installed")
    path = tmp_path / name
    path.write_bytes(case.make("small"))
    options = case.options("small")
    if backend:
        options["pdf_backend"] = backend
    outcome = run(path, timeout=120, options=options)
    assert verdict(case, outcome) == "", outcome
    if "message" in outcome:  # named and short
        assert str(outcome["message"]).startswith(f"{path}: ")
        assert len(str(outcome["message"])) < 600


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_the_time_budget_holds_inside_a_page(backend: str, tmp_path: Path) -> None:
    # 10^5 nested form draws on one page, with no draw limit: the deadline of one
    # second is checked inside the backend's loops, not only between pages
    if backend == "pdfium" and not pdf._have_pdfium():
        pytest.skip("pypdfium2 is not installed")
    path = tmp_path / "nest.pdf"
    path.write_bytes(CLASSES["pdf_xobject_nest"].make("small"))
    options = {"pdf_backend": backend, "max_form_draws": None, "time_budget": 1.0}
    outcome = run(path, timeout=60, options=options)
    assert outcome["error"] == "ResourceLimitExceeded", outcome
    assert "time budget of 1 s" in str(outcome["message"])


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_a_few_unmapped_characters_warn(backend: str) -> None:
    # the title's font alone loses its ToUnicode map: its 9 characters cannot be
    # read, which warns (the rest of the form is read; 9 is under a tenth)
    import re

    from hostile import plain_pdf, reindex  # type: ignore[import-not-found]

    if backend == "pdfium" and not pdf._have_pdfium():
        pytest.skip("pypdfium2 is not installed")
    data = plain_pdf()
    first = re.search(rb"/ToUnicode \d+ 0 R", data)
    assert first is not None
    data = reindex(data[: first.start()] + data[first.end() :])
    with pytest.warns(JixiaoWarning, match=r"<bytes>: 9 of \d+ drawn characters have no Unicode"):
        (report,) = parse_all(data, pdf_backend=backend)
    assert len(report.indicators) == BASE_INDICATORS
    assert report.title is None  # the title's characters were the ones lost


@pytest.mark.parametrize("ext", ["pdf", "docx", "xlsx", "html"])
def test_the_base_forms_read_whole(ext: str) -> None:
    # what the "form" classes must give: the unchanged base gives it
    report = parse(base(ext))
    assert len(report.indicators) == BASE_INDICATORS
    assert report.title == "项目支出绩效自评表"
    assert report.header.project_name == "计生协会工作"


def test_a_failing_verdict_is_reported() -> None:
    # the verdict is no rubber stamp: a silent empty result or a wrong error fails it
    assert verdict(CLASSES["pdf_rotate90"], {"forms": 0, "indicators": []}) != ""
    assert verdict(CLASSES["html_span"], {"error": "CorruptDocument", "message": "x"}) != ""
    assert verdict(CLASSES["html_span"], {"error": "Timeout"}) != ""


def test_error_reasons_are_cut_and_name_the_file() -> None:
    exc = CorruptDocument("a.pdf", "cannot read: " + "x" * 5_000_000)
    assert str(exc).startswith("a.pdf: cannot read: xxx")
    assert len(str(exc)) < 500
    assert str(exc).endswith("(5000013 characters)")


def test_absurd_figures_are_checked_not_raised() -> None:
    text = (
        Path(__file__).parent.parent / "corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt"
    ).read_text()
    text = text.replace("\t10\t97.35%", "\t" + "9" * 39 + "\t0." + "97" * 15, 1)
    (report,) = parse_text(text)
    total = next(ln for ln in report.funding.lines if ln.role == "total")
    assert total.weight == Decimal("9" * 39)
    score = next(c for c in report.checks if c.code == "funding_score")
    # weight × rate (the rate is below 1), exact, to the cent: (10^39 - 1) × 0.9797…97
    # = 979797…97 000000000 - 0.9797…97, worked out by hand
    assert total.execution_rate == Decimal("0." + "97" * 15)
    assert score.expected == Decimal("979797979797979797979797979796999999999.02")
    assert not score.ok


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def test_zip_check_counts_cells_and_merges_of_any_worksheet() -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cells = "".join(f'<c r="A{r}"><v>1</v></c>' for r in range(1, 51))
    sheet = f'<y:worksheet xmlns:y="{ns}"><y:sheetData><y:row r="1">{cells}</y:row></y:sheetData>'
    merged = sheet + "<y:mergeCells><y:mergeCell ref='A1:J10'/></y:mergeCells></y:worksheet>"
    data = _zip({"anywhere/s.xml": merged.encode()})
    check_zip(data, Limits(max_cells=100), "w.xlsx")  # 50 cells, 100 merged slots
    with pytest.raises(ResourceLimitExceeded, match=r"w\.xlsx: merged ranges cover 100 cells"):
        check_zip(data, Limits(max_cells=99), "w.xlsx")
    with pytest.raises(ResourceLimitExceeded, match="more than 40 cells"):
        check_zip(data, Limits(max_cells=40), "w.xlsx")
    # not a worksheet: its elements named c are not cells
    other = _zip({"word/document.xml": f'<w xmlns="{ns}">{cells}</w>'.encode()})
    check_zip(other, Limits(max_cells=10), "d.docx")


def test_zip_members_compressed_otherwise_than_deflate_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("word/document.xml", b"<w/>" * 1000)
    with pytest.raises(CorruptDocument, match=r"b\.docx: zip member word/document\.xml uses"):
        check_zip(out.getvalue(), Limits(), "b.docx")


def test_pdf_stream_totals_leave_images_out() -> None:
    # three streams of 1 MiB each once inflated: as content they pass a 2 MiB total
    # for the document; as images (a seal per form) they do not count towards it
    import zlib

    from jixiao_parser.limits import use_limits
    from jixiao_parser.readers.pdf_streams import check_streams

    data = zlib.compress(b"\0" * 2**20)

    def pdf(subtype: bytes) -> bytes:
        return b"".join(
            b"%d 0 obj << %s /Filter /FlateDecode /Length %d >> stream\n" % (n, subtype, len(data))
            + data
            + b"\nendstream endobj\n"
            for n in range(3)
        )

    limits = Limits(max_inflated_bytes=2 * 2**20)
    with use_limits(limits, "seals.pdf"):
        check_streams(pdf(b"/Subtype /Image /Width 1 /Height 1"))
    with (
        use_limits(limits, "content.pdf"),
        pytest.raises(ResourceLimitExceeded, match=r"content\.pdf: the decoded PDF streams"),
    ):
        check_streams(pdf(b""))


def test_html_charset_contradiction_warns_and_reads_right() -> None:
    page = '<meta charset="iso-8859-1"><table><tr><td>项目名称</td></tr></table>'.encode("gbk")
    from jixiao_parser.readers.html import read_html

    with pytest.warns(JixiaoWarning, match=r"p\.html: the page declares charset iso8859-1"):
        doc = read_html(page, None, "p.html")
    assert doc.blocks[0].rows[0][0].text == "项目名称"  # type: ignore[union-attr]


def test_every_hostile_outcome_is_typed() -> None:
    # the typed errors the classes expect are all JixiaoErrors
    import jixiao_parser

    for case in CLASSES.values():
        if case.expect not in ("form", "figures"):
            assert issubclass(getattr(jixiao_parser, case.expect), JixiaoError)
    assert parse_all(b"") == []
