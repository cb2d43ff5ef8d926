"""The PDF table finder: pdfplumber as the oracle, and synthetic grids."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao_parser import EncryptedDocument, NeedsOCR, parse_all
from jixiao_parser.document import Table
from jixiao_parser.errors import CorruptDocument
from jixiao_parser.readers import pdf_pdfium, pdf_pdfminer
from jixiao_parser.readers.pdf import (
    Edge,
    _dedupe,
    join_wrapped,
    page_blocks,
    tables_from_edges,
)

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "corpus").rglob("*.pdf"))
# printed from sheets with fixed row heights: text overflows its cell, which
# pdfplumber leaves in the cells it runs into and we put back (issue 16)
OVERFLOWING = pytest.mark.xfail(strict=True, reason="pdfplumber splits overflowing text")


BACKENDS = {"pdfminer": pdf_pdfminer.read_pages, "pdfium": pdf_pdfium.read_pages}


def _our_tables(path: Path, backend: str) -> dict[int, list[dict[tuple[int, int], str]]]:
    out: dict[int, list[dict[tuple[int, int], str]]] = {}
    for number, glyphs, edges, *_ in BACKENDS[backend](path.read_bytes(), str(path)):
        tables = [b for b in page_blocks(_dedupe(glyphs), edges, number) if isinstance(b, Table)]
        out[number] = [
            {(c.row, c.col): "".join(c.text.split()) for row in t.rows for c in row} for t in tables
        ]
    return out


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=[OVERFLOWING] if p.parent.name.endswith("_overflow") else [])
        for p in PDFS
    ],
    ids=lambda p: p.parent.name,
)
def test_grids_match_pdfplumber(path: Path, backend: str) -> None:
    ours = _our_tables(path, backend)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            theirs = [
                {
                    (r, c): "".join((v or "").split())
                    for r, row in enumerate(table)
                    for c, v in enumerate(row)
                    if v is not None
                }
                for table in page.extract_tables()
            ]
            assert ours.get(number, []) == theirs, f"page {number}"


def test_corpus_has_pdfs() -> None:
    assert len(PDFS) >= 10


def _ltchar_glyphs(path: Path) -> list[list[tuple[str, float, float, float, float, float]]]:
    """Glyphs the long way, from the LTChar objects of pdfminer's own aggregator."""
    from io import BytesIO

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    for page in PDFPage.create_pages(PDFDocument(PDFParser(BytesIO(path.read_bytes())))):
        interpreter.process_page(page)
        layout = device.get_result()
        glyphs, stack = [], list(layout)
        while stack:  # last drawn first
            obj = stack.pop()
            if isinstance(obj, LTChar) and (obj.get_text().strip() or obj.get_text() == " "):
                h = layout.height
                glyphs.append((obj.get_text(), obj.x0, h - obj.y1, obj.x1, h - obj.y0, obj.size))
            elif isinstance(obj, LTContainer):
                stack.extend(obj)
        pages.append(glyphs)
    return pages


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.parent.name)
def test_glyph_boxes_are_pdfminers(path: Path) -> None:
    ours = [
        [(g.text, g.x0, g.top, g.x1, g.bottom, g.size) for g in glyphs]
        for _, glyphs, *_ in pdf_pdfminer.read_pages(path.read_bytes(), str(path))
    ]
    assert ours == _ltchar_glyphs(path)


@given(
    st.lists(st.integers(8, 60), min_size=2, max_size=6),
    st.lists(st.integers(8, 40), min_size=1, max_size=8),
)
def test_synthetic_ruled_grids_rebuild(widths: list[int], heights: list[int]) -> None:
    xs = [100.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [100.0]
    for h in heights:
        ys.append(ys[-1] + h)
    edges = [Edge("h", y, xs[0], xs[-1]) for y in ys] + [Edge("v", x, ys[0], ys[-1]) for x in xs]
    (table,) = tables_from_edges(edges)
    assert len(table) == len(widths) * len(heights)
    assert {(c.x0, c.top) for c in table} == {(x, y) for x in xs[:-1] for y in ys[:-1]}


def test_a_merged_cell_is_one_rectangle() -> None:
    # 3 columns x 2 rows; the first column merged over both rows
    edges = [
        Edge("h", 0, 0, 30), Edge("h", 20, 0, 30), Edge("h", 10, 10, 30),
        Edge("v", 0, 0, 20), Edge("v", 10, 0, 20), Edge("v", 20, 0, 20), Edge("v", 30, 0, 20),
    ]  # fmt: skip
    (table,) = tables_from_edges(edges)
    assert len(table) == 5
    assert any(c.x0 == 0 and c.top == 0 and c.bottom == 20 for c in table)


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["116.3", "7"], "116.37"),
        (["965,0", "43.97"], "965,043.97"),
        (["扩大选择", "范围"], "扩大选择范围"),
        (["1.保险覆盖率=100%", "2.活动2场"], "1.保险覆盖率=100% 2.活动2场"),
        (["1.3月30日前", "2.9月30日前"], "1.3月30日前 2.9月30日前"),
        ([">=", "0.9"], ">=0.9"),
        (["人次。", "2、培训"], "人次。2、培训"),
        (["annual", "report"], "annual report"),
    ],
)
def test_wrapped_lines_join(lines: list[str], joined: str) -> None:
    assert join_wrapped(lines) == joined


@pytest.mark.usefixtures("each_pdf_backend")
def test_damaged_pdf_is_a_corrupt_document() -> None:
    data = PDFS[0].read_bytes()
    with pytest.raises(CorruptDocument, match="<bytes>"):
        parse_all(data[: len(data) // 3] + b"garbage")


@pytest.mark.usefixtures("each_pdf_backend")
def test_pdf_without_text_layer_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("PIL")
    from io import BytesIO

    from PIL import Image

    from jixiao_parser.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)  # as without the [ocr] extra

    buffer = BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PDF")
    with pytest.raises(NeedsOCR, match="no text layer"):
        parse_all(buffer.getvalue())


@pytest.mark.usefixtures("each_pdf_backend")
def test_encrypted_pdf_is_named() -> None:
    from io import BytesIO

    import pypdf

    reader = pypdf.PdfReader(PDFS[0])
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = BytesIO()
    writer.write(buffer)
    with pytest.raises(EncryptedDocument, match="password"):
        parse_all(buffer.getvalue())


@given(
    st.lists(
        st.tuples(
            st.sampled_from("产出1"),
            st.floats(0, 12).map(lambda v: round(v, 1)),
            st.floats(0, 12).map(lambda v: round(v, 1)),
        ),
        max_size=40,
    )
)
def test_dedupe_keeps_a_glyph_unless_a_kept_copy_is_within_a_point(
    drawn: list[tuple[str, float, float]],
) -> None:
    from jixiao_parser.readers.pdf import Glyph

    glyphs = [Glyph(t, x, y, x + 9, y + 9, 9.0) for t, x, y in drawn]
    kept: list[Glyph] = []
    for g in glyphs:
        if not any(
            o.text == g.text and abs(o.x0 - g.x0) < 1 and abs(o.top - g.top) < 1 for o in kept
        ):
            kept.append(g)
    assert _dedupe(glyphs) == kept


def test_doubled_glyphs_are_dropped() -> None:
    from jixiao_parser.readers.pdf import Glyph

    a = Glyph("产", 10.0, 10.0, 19.0, 19.0, 9.0)
    fake_bold = Glyph("产", 10.2, 10.1, 19.2, 19.1, 9.0)
    b = Glyph("出", 19.0, 10.0, 28.0, 19.0, 9.0)
    assert _dedupe([a, fake_bold, b]) == [a, b]
