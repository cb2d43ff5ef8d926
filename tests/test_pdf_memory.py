"""The PDF reader's memory stays flat in the page count: pdfminer's caches are
bounded, and what a document repeats is kept once. (Behaviour only; the
bench measures the memory itself.)"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
import pytest

from jixiao_parser.document import Table
from jixiao_parser.readers import pdf_pdfminer as pdf
from jixiao_parser.readers.pdf import read_pdf
from jixiao_parser.readers.pdf_pdfminer import _LRU

ROOT = Path(__file__).resolve().parent.parent
RENDITIONS = ROOT / "corpus" / "renditions"


def _bound_together(*names: str) -> bytes:
    """Corpus PDFs concatenated page by page, each copy with its own fonts and objects."""
    writer = pypdf.PdfWriter()
    for name in names:
        writer.append(pypdf.PdfReader(RENDITIONS / name / f"{name}.pdf"))
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return _bound_together("multi_form", "fam1_shanghai_a", "seed_003", "fam4_sichuan_b", "utf16")


def test_lru_keeps_the_most_recently_used() -> None:
    cache: _LRU[str, int] = _LRU(2, {"a": 1})
    cache["b"] = 2
    assert cache["a"] == 1  # a is now the most recent
    cache["c"] = 3
    assert list(cache) == ["a", "c"]
    assert "b" not in cache


def test_caches_stay_bounded_on_a_long_file(
    long_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "OBJECT_CACHE", 6)
    monkeypatch.setattr(pdf, "OBJSTM_CACHE", 1)
    monkeypatch.setattr(pdf, "FONT_CACHE", 2)
    documents: list[Any] = []
    managers: list[Any] = []

    class Document(pdf._Document):
        def __init__(self, parser: Any) -> None:
            super().__init__(parser)
            documents.append(self)

    class Resources(pdf._Resources):
        def __init__(self) -> None:
            super().__init__()
            managers.append(self)

    monkeypatch.setattr(pdf, "_Document", Document)
    monkeypatch.setattr(pdf, "_Resources", Resources)
    numbers = []
    for number, glyphs, *_ in pdf.read_pages(long_pdf, "<bytes>"):
        numbers.append(number)
        assert glyphs
        (document,), (manager,) = documents, managers
        assert len(document._cached_objs) <= 6
        assert len(document._parsed_objs) <= 1
        assert len(manager._cached_fonts) <= 2
    assert numbers == list(range(1, 12))
    # once the file is read, nothing is left in them
    assert not document._cached_objs and not manager._cached_fonts


def test_evicting_changes_nothing_read(long_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    roomy = read_pdf(long_pdf, None, "<bytes>", backend="pdfminer")
    monkeypatch.setattr(pdf, "OBJECT_CACHE", 1)
    monkeypatch.setattr(pdf, "OBJSTM_CACHE", 1)
    monkeypatch.setattr(pdf, "FONT_CACHE", 1)
    assert read_pdf(long_pdf, None, "<bytes>", backend="pdfminer") == roomy


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_a_repeated_form_shares_its_texts_and_boxes(backend: str) -> None:
    data = _bound_together("fam1_shanghai_a", "fam1_shanghai_a")
    doc = read_pdf(data, None, "<bytes>", backend=backend)
    first, second = (b for b in doc.blocks if isinstance(b, Table))
    assert first.rows[0][0].text
    for row_a, row_b in zip(first.rows, second.rows, strict=True):
        for a, b in zip(row_a, row_b, strict=True):
            assert (a.page, b.page) == (1, 2)
            assert a.text is b.text and a.bbox is b.bbox


def test_the_pdfminer_caches_we_bound_still_exist() -> None:
    # the bounds replace pdfminer's own caches by name: a rename upstream would
    # leave them unbounded without failing anything else
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfparser import PDFParser

    path = ROOT / "corpus/renditions/multi_form/multi_form.pdf"
    document = PDFDocument(PDFParser(BytesIO(path.read_bytes())))
    assert isinstance(document._cached_objs, dict) and isinstance(document._parsed_objs, dict)
    assert isinstance(PDFResourceManager(caching=True)._cached_fonts, dict)
