"""The two PDF backends: the same reports from every corpus PDF, the option, and
how pdfium (a C++ library in this process) fails on bad input."""

from __future__ import annotations

import io
import random
import threading
from pathlib import Path
from typing import Any

import pypdf
import pytest

from jixiao_parser import (
    CorruptDocument,
    JixiaoError,
    MissingDependency,
    Report,
    UnreadableSource,
    parse,
    parse_all,
    parse_many,
)
from jixiao_parser.cli import main
from jixiao_parser.document import Paragraph, Table
from jixiao_parser.readers import pdf, pdf_pdfium, pdf_pdfminer
from jixiao_parser.readers.pdf import read_pdf
from jixiao_parser.readers.pdf_pdfium import render_pages
from pdf_objects import pdf_from_objects

ROOT = Path(__file__).resolve().parent.parent
RENDITIONS = ROOT / "corpus" / "renditions"
PDFS = sorted(RENDITIONS.glob("*/*.pdf"))


def _comparable(value: Any) -> Any:
    """A report dict without what may differ between backends: coordinates
    (``where``) and the backend's name."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in ("where", "pdf_backend")}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _reports(source: Any, backend: str) -> list[Report]:
    reports = parse_all(source, pdf_backend=backend)
    assert {r.source.pdf_backend for r in reports} <= {backend}
    return reports


def test_the_corpus_has_pdfs() -> None:
    assert len(PDFS) >= 20


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.parent.name)
def test_both_backends_give_the_same_reports(path: Path) -> None:
    pdfium = [r.to_dict() for r in _reports(path, "pdfium")]
    pdfminer = [r.to_dict() for r in _reports(path, "pdfminer")]
    assert pdfium, "every corpus PDF holds a form"
    assert _comparable(pdfium) == _comparable(pdfminer)


def _page_signature(page: pdf.PageContent) -> tuple[list[str], list[tuple[str, int, int, int]]]:
    """What two backends must agree on in one page: the characters drawn (in reading
    order; a space drawn at a line's end may be left out by pdfium, which makes it a
    line break) and the ruling edges, to the point."""
    glyphs = sorted(page.glyphs, key=lambda g: (round(g.x0), g.text))
    text = [g.text for g in glyphs if g.text != " "]
    edges = sorted((e.orient, round(e.at), round(e.lo), round(e.hi)) for e in page.edges)
    return sorted(text), edges


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.parent.name)
def test_both_backends_see_the_same_glyphs_and_edges(path: Path) -> None:
    data = path.read_bytes()
    pdfium = list(pdf_pdfium.read_pages(data, str(path)))
    pdfminer = list(pdf_pdfminer.read_pages(data, str(path)))
    assert [p.number for p in pdfium] == [p.number for p in pdfminer]
    for a, b in zip(pdfium, pdfminer, strict=True):
        assert _page_signature(a) == _page_signature(b), f"page {a.number}"
        assert a.images == b.images
        # the same advance across the line; the height is the font size on both
        by_text: dict[str, list[pdf.Glyph]] = {}
        for g in b.glyphs:
            by_text.setdefault(g.text, []).append(g)
        for g in a.glyphs:
            twins = [t for t in by_text[g.text] if abs(t.x0 - g.x0) < 0.5]
            twin = min(twins, key=lambda t: abs(t.top - g.top))
            assert abs(g.x1 - twin.x1) < 0.5 and abs(g.size - twin.size) < 0.01
            assert abs(g.top - twin.top) < 0.01 and abs(g.bottom - twin.bottom) < 0.01


# -- the option ---------------------------------------------------------------------

SEED_PDF = RENDITIONS / "seed_003" / "seed_003.pdf"


def test_auto_is_pdfium_when_installed_else_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse(SEED_PDF).source.pdf_backend == "pdfium"
    assert parse(SEED_PDF, pdf_backend="pdfminer").source.pdf_backend == "pdfminer"
    monkeypatch.setattr(pdf, "_have_pdfium", lambda: False)
    assert parse(SEED_PDF).source.pdf_backend == "pdfminer"


def test_other_formats_name_no_backend() -> None:
    docx = RENDITIONS / "seed_003" / "seed_003.docx"
    assert parse(docx, pdf_backend="pdfium").source.pdf_backend is None


def test_an_unknown_backend_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"unknown pdf_backend 'pdfbox'.*'pdfium', 'pdfminer'"):
        parse_all(SEED_PDF, pdf_backend="pdfbox")
    with pytest.raises(ValueError, match="unknown pdf_backend"):
        parse_all(b"not even a pdf", pdf_backend="PDFium")
    with pytest.raises(ValueError, match="unknown pdf_backend"):
        list(parse_many([SEED_PDF], workers=1, pdf_backend="fitz"))


def test_pdfium_without_pypdfium2_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_have_pdfium", lambda: False)
    with pytest.raises(MissingDependency, match="pypdfium2") as caught:
        parse_all(SEED_PDF, pdf_backend="pdfium")
    assert caught.value.source == str(SEED_PDF)
    assert isinstance(caught.value, ImportError) and isinstance(caught.value, JixiaoError)
    # a batch records it per file and goes on
    (result,) = parse_many([SEED_PDF], workers=1, pdf_backend="pdfium")
    assert result.error is not None and result.error.type == "MissingDependency"


def test_pdfium_that_cannot_load_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    pdf._have_pdfium.cache_clear()
    monkeypatch.setitem(sys.modules, "pypdfium2.raw", None)  # importing it raises
    try:
        assert not pdf._have_pdfium()
        assert pdf.resolve_backend("auto") == "pdfminer"
        with pytest.raises(MissingDependency, match="cannot load"):
            pdf.resolve_backend("pdfium", "x.pdf")
    finally:
        pdf._have_pdfium.cache_clear()


def test_parse_many_passes_the_backend_to_its_pool() -> None:
    pdfs = [str(p) for p in PDFS[:3]]
    for backend in ("pdfium", "pdfminer"):
        results = list(parse_many(pdfs, workers=2, pdf_backend=backend))
        assert all(r.ok for r in results)
        assert {rep.source.pdf_backend for r in results for rep in r.reports} == {backend}


def test_the_command_line_option(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["parse", str(SEED_PDF), "--pdf-backend", "pdfminer", "-q"]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["source"]["pdf_backend"] == "pdfminer"
    assert main(["check", str(SEED_PDF), "--pdf-backend", "pdfium"]) in (0, 1)
    with pytest.raises(SystemExit) as exit_:
        main(["parse", str(SEED_PDF), "--pdf-backend", "pdfbox"])
    assert exit_.value.code == 2


# -- rotation and crop box -------------------------------------------------------------


def _turned(path: Path, rotate: int) -> bytes:
    """The PDF with every page stored turned and shown upright through ``/Rotate``:
    what a landscape page from a scanner driver or a printer looks like."""
    writer = pypdf.PdfWriter(clone_from=path)
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        # (x, y) as shown → where the content must be stored for /Rotate to show it so
        matrix, box = {
            90: ((0, 1, -1, 0, h, 0), (h, w)),
            180: ((-1, 0, 0, -1, w, h), (w, h)),
            270: ((0, -1, 1, 0, 0, w), (h, w)),
        }[rotate]
        page.add_transformation(matrix)
        page.mediabox = pypdf.generic.RectangleObject((0, 0, *box))
        page.cropbox = pypdf.generic.RectangleObject((0, 0, *box))
        page.rotation = rotate
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_a_turned_page_reads_as_shown(backend: str, rotate: int) -> None:
    want = _comparable([r.to_dict() for r in _reports(SEED_PDF.read_bytes(), backend)])
    got = _comparable([r.to_dict() for r in _reports(_turned(SEED_PDF, rotate), backend)])
    assert got == want


def _cropped_with_hidden_text(path: Path) -> bytes:
    """The PDF on larger pages whose crop box shows exactly the old page, with a
    line of text drawn outside the crop box (hidden: a viewer does not show it)."""
    from test_bad_inputs import minimal_pdf

    hidden = pypdf.PdfReader(io.BytesIO(minimal_pdf("HIDDEN MARGIN NOTE"))).pages[0]
    writer = pypdf.PdfWriter(clone_from=path)
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        page.add_transformation((1, 0, 0, 1, 50, 70))
        # the note at y = 720 + 400: above the crop box
        page.merge_transformed_page(hidden, (1, 0, 0, 1, 0, 400))
        page.mediabox = pypdf.generic.RectangleObject((0, 0, w + 100, h + 540))
        page.cropbox = pypdf.generic.RectangleObject((50, 70, w + 50, h + 70))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_the_crop_box_is_the_page(backend: str) -> None:
    data = _cropped_with_hidden_text(SEED_PDF)
    doc = read_pdf(data, None, "<bytes>", backend=backend)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    texts += [c.text for b in doc.blocks if isinstance(b, Table) for row in b.rows for c in row]
    assert not [t for t in texts if "HIDDEN" in t]
    want = _comparable([r.to_dict() for r in _reports(SEED_PDF.read_bytes(), backend)])
    assert _comparable([r.to_dict() for r in _reports(data, backend)]) == want
    # the coordinates are those of the page as shown
    original = read_pdf(SEED_PDF.read_bytes(), None, "<bytes>", backend=backend)
    first = next(b for b in doc.blocks if isinstance(b, Table)).rows[0][0].bbox
    assert first == next(b for b in original.blocks if isinstance(b, Table)).rows[0][0].bbox


# -- bad input through pdfium --------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999])
def test_a_truncated_file_fails_typed_and_named(tmp_path: Path, fraction: float) -> None:
    data = (RENDITIONS / "multi_form" / "multi_form.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: max(8, int(len(data) * fraction))])
    try:
        reports = parse_all(cut, pdf_backend="pdfium")
    except JixiaoError as exc:
        assert exc.source == str(cut) and exc.reason
        assert type(exc).__name__ in ("CorruptDocument", "NotAForm")
    else:  # pdfium rebuilds what it can of a damaged file
        assert all(r.source.pdf_backend == "pdfium" for r in reports)


@pytest.mark.parametrize("seed", range(12))
def test_damaged_bytes_never_escape_the_taxonomy(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    data = bytearray(PDFS[seed % len(PDFS)].read_bytes())
    for _ in range(rng.choice([1, 10, 200])):  # flipped bytes, anywhere after the header
        data[rng.randrange(16, len(data))] = rng.randrange(256)
    if seed % 3 == 0:  # and a hole punched through the middle
        start = rng.randrange(16, len(data) // 2)
        data[start : start + 2000] = b"\0" * 2000
    bad = tmp_path / "damaged.pdf"
    bad.write_bytes(bytes(data))
    try:
        parse_all(bad, pdf_backend="pdfium")
    except JixiaoError as exc:
        assert exc.source == str(bad)


def test_a_pdf_that_is_only_a_header_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="<bytes>: cannot open the PDF"):
        parse_all(b"%PDF-1.7\n" + b"\0" * 100, pdf_backend="pdfium")


class _FailingFile(io.BytesIO):
    """A file whose reads fail past a point, as a network share that went away."""

    name = "share/form.pdf"

    def __init__(self, data: bytes, fail_after: int) -> None:
        super().__init__(data)
        self.fail_after = fail_after

    def readinto(self, buffer: Any) -> int:
        if self.tell() + len(buffer) > self.fail_after:
            raise OSError(5, "Input/output error")
        return super().readinto(buffer)

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() + (size if size and size > 0 else len(self.getvalue())) > self.fail_after:
            raise OSError(5, "Input/output error")
        return super().read(size)


def test_a_file_failing_under_pdfium_is_a_typed_error() -> None:
    data = (RENDITIONS / "multi_form" / "multi_form.pdf").read_bytes()
    for fail_after in (10, len(data) // 2, len(data) - 10):
        with pytest.raises(UnreadableSource, match="Input/output error") as caught:
            read_pdf(_FailingFile(data, fail_after), None, "share/form.pdf", backend="pdfium")
        assert caught.value.source == "share/form.pdf"


def test_threads_share_pdfium_safely() -> None:
    want = {p: _comparable([r.to_dict() for r in parse_all(p)]) for p in PDFS[:6]}
    errors: list[BaseException] = []
    got: dict[Path, Any] = {}

    def work(paths: list[Path]) -> None:
        try:
            for p in paths:
                got[p] = _comparable([r.to_dict() for r in parse_all(p, pdf_backend="pdfium")])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(list(want)[k::2] * 2,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and got == want


def test_a_protected_pdf_with_an_empty_user_password_is_read() -> None:
    writer = pypdf.PdfWriter(clone_from=SEED_PDF)
    writer.encrypt(user_password="", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    want = _comparable([r.to_dict() for r in parse_all(SEED_PDF.read_bytes())])
    for backend in ("pdfium", "pdfminer"):
        assert _comparable([r.to_dict() for r in _reports(out.getvalue(), backend)]) == want


# -- rendering --------------------------------------------------------------------------


def test_a_corpus_page_renders_at_its_size() -> None:
    (number, image), *_ = render_pages(SEED_PDF, dpi=100, pages=[2])
    assert number == 2 and image.mode == "RGB"
    # A4 (595.3 × 841.9 pt) at 100 dpi, rounded up
    assert image.size == (827, 1170)
    lo, hi = image.convert("L").getextrema()
    assert hi == 255 and lo < 64  # white paper with dark text and rules
    inked = image.convert("L").histogram()[:128]
    inked = sum(inked)
    assert 0.005 < inked / (827 * 1170) < 0.2


def test_pages_render_as_arrays_in_rgb_order() -> None:
    from PIL import Image

    red = io.BytesIO()
    Image.new("RGB", (100, 50), (255, 0, 0)).save(red, format="PDF")
    ((_, rgb),) = render_pages(red.getvalue(), dpi=72, array=True)
    assert rgb.shape == (50, 100, 3) and rgb.dtype.name == "uint8"
    assert rgb[25, 50, 0] > 240 and rgb[25, 50, 1] < 16 and rgb[25, 50, 2] < 16
    ((_, gray),) = render_pages(red.getvalue(), dpi=144, array=True, grayscale=True)
    assert gray.shape == (100, 200)


def test_every_page_renders_and_bad_input_is_typed() -> None:
    numbers = [n for n, _ in render_pages(RENDITIONS / "multi_form" / "multi_form.pdf", dpi=20)]
    assert numbers == [1, 2, 3]
    with pytest.raises(ValueError, match="no page 9"):
        list(render_pages(SEED_PDF, pages=[9]))
    with pytest.raises(CorruptDocument, match="<bytes>"):
        list(render_pages(b"%PDF-1.4 broken", dpi=20))
    with pytest.raises(UnreadableSource, match=r"missing\.pdf"):
        list(render_pages("missing.pdf"))


def test_reopening_the_document_changes_nothing_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # pdfium's caches are let go by opening the document afresh every few pages
    path = RENDITIONS / "multi_form" / "multi_form.pdf"
    whole = read_pdf(path.read_bytes(), None, "<bytes>", backend="pdfium")
    monkeypatch.setattr(pdf_pdfium, "REOPEN_EVERY", 1)
    assert read_pdf(path.read_bytes(), None, "<bytes>", backend="pdfium") == whole
    with open(path, "rb") as fh:
        assert read_pdf(fh, None, "<bytes>", backend="pdfium") == whole


# -- a PDF not made by LibreOffice ----------------------------------------------------


def _pdf(content: bytes, form: bytes) -> bytes:
    """A one-page PDF: ``content`` on the page, which may draw ``/Fm1``, a form
    XObject holding ``form``; Helvetica as ``/F1`` in both."""
    font = b"/Font << /F1 5 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << " + font + b" /XObject << /Fm1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [1 0 0 1 0 -300] "
        b"/Resources << "
        + font
        + b" >> /Length %d >>\nstream\n" % len(form)
        + form
        + b"\nendstream",
    ]
    return pdf_from_objects(objects)


def _grid(x: float, y: float, widths: list[float], heights: list[float], thin_rects: bool) -> bytes:
    """Ruling lines of a grid with its top left at (x, y): thin filled rectangles
    (as Word draws cell borders) or stroked lines in one path."""
    xs = [x + sum(widths[:k]) for k in range(len(widths) + 1)]
    ys = [y - sum(heights[:k]) for k in range(len(heights) + 1)]
    ops = []
    for yy in ys:
        ops.append(
            f"{xs[0]} {yy} {xs[-1] - xs[0]} 0.5 re f"
            if thin_rects
            else f"{xs[0]} {yy} m {xs[-1]} {yy} l"
        )
    for xx in xs:
        ops.append(
            f"{xx} {ys[-1]} 0.5 {ys[0] - ys[-1]} re f"
            if thin_rects
            else f"{xx} {ys[0]} m {xx} {ys[-1]} l"
        )
    return ("\n".join(ops) + ("" if thin_rects else "\nS")).encode()


def _cells(
    x: float, y: float, widths: list[float], heights: list[float], texts: list[list[bytes]]
) -> bytes:
    out = [b"BT /F1 9 Tf"]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            tx, ty = x + sum(widths[:c]) + 3, y - sum(heights[: r + 1]) + 5
            out.append(b"1 0 0 1 %.1f %.1f Tm %s" % (tx, ty, text))
    out.append(b"ET")
    return b"\n".join(out)


def test_a_pdf_of_another_maker_reads_the_same_through_both() -> None:
    widths, heights = [120.0, 90.0, 90.0], [20.0, 20.0, 20.0]
    rows = [
        [b"(Indicator) Tj", b"[(Tar) -30 (get)] TJ", b"(Actual) Tj"],
        [b"0.8 Tc (Coverage) Tj 0 Tc", b"(>= 95%) Tj", b"[(97) 50 (%)] TJ"],
        [b"(Training sessions) Tj", b"(12) Tj", b"(14 sessions) Tj"],
    ]
    content = b"\n".join(
        [
            b"q 0.2 w",
            _grid(60, 700, widths, heights, thin_rects=True),
            _cells(60, 700, widths, heights, rows),
            b"BT /F1 14 Tf 1 0 0 1 200 740 Tm (Annual self-evaluation) Tj ET",
            # a rounded frame (curves) around the page, and a diagonal stroke
            b"40 60 m 40 760 l 40 770 50 780 60 780 c 560 780 l S 30 30 m 90 90 l S",
            b"/Fm1 Do Q",
        ]
    )
    form = b"\n".join(
        [
            _grid(60, 600, widths, heights[:2], thin_rects=False),
            _cells(60, 600, widths, heights, rows[:2]),
        ]
    )
    data = _pdf(content, form)
    docs = {b: read_pdf(data, None, "<bytes>", backend=b) for b in ("pdfium", "pdfminer")}

    def shape(doc: Any) -> list[Any]:
        return [
            [[c.text for c in row] for row in block.rows]
            if isinstance(block, Table)
            else block.text
            for block in doc.blocks
        ]

    assert shape(docs["pdfium"]) == shape(docs["pdfminer"])
    tables = [b for b in docs["pdfium"].blocks if isinstance(b, Table)]
    assert len(tables) == 2  # the page's grid, and the form XObject's, moved down by its matrix
    assert [c.text for c in tables[0].rows[1]] == ["Coverage", ">= 95%", "97%"]
