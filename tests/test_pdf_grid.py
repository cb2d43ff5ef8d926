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
from jixiao_parser.readers.pdf import (
    Edge,
    _dedupe,
    _page_layouts,
    join_wrapped,
    page_blocks,
    page_objects,
    tables_from_edges,
)

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "corpus").rglob("*.pdf"))


def _our_tables(path: Path) -> dict[int, list[dict[tuple[int, int], str]]]:
    out: dict[int, list[dict[tuple[int, int], str]]] = {}
    for number, layout in _page_layouts(path.read_bytes(), str(path)):
        glyphs, edges, _ = page_objects(layout)
        tables = [b for b in page_blocks(_dedupe(glyphs), edges, number) if isinstance(b, Table)]
        out[number] = [
            {(c.row, c.col): "".join(c.text.split()) for row in t.rows for c in row} for t in tables
        ]
    return out


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.parent.name)
def test_grids_match_pdfplumber(path: Path) -> None:
    ours = _our_tables(path)
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


def test_damaged_pdf_is_a_corrupt_document() -> None:
    data = PDFS[0].read_bytes()
    with pytest.raises(CorruptDocument, match="<bytes>"):
        parse_all(data[: len(data) // 3] + b"garbage")


def test_pdf_without_text_layer_needs_ocr() -> None:
    pytest.importorskip("PIL")
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PDF")
    with pytest.raises(NeedsOCR, match="no text layer"):
        parse_all(buffer.getvalue())


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


def test_doubled_glyphs_are_dropped() -> None:
    from jixiao_parser.readers.pdf import Glyph

    a = Glyph("产", 10.0, 10.0, 19.0, 19.0, 9.0)
    fake_bold = Glyph("产", 10.2, 10.1, 19.2, 19.1, 9.0)
    b = Glyph("出", 19.0, 10.0, 28.0, 19.0, 9.0)
    assert _dedupe([a, fake_bold, b]) == [a, b]
