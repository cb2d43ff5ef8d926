"""The benchmark's inputs: the corpus files of each format, the decoded seed
texts, and the sets and long PDFs generated from them in a temporary directory.
"""

from __future__ import annotations

import io
from pathlib import Path

from . import ROOT

CORPUS = ROOT / "corpus"
FORMATS = ("text", "pdf", "docx", "xlsx", "xls", "html")


def seed_files() -> list[Path]:
    return sorted(CORPUS.glob("seeds/*/*.txt"))


def seed_texts() -> list[str]:
    """The two seed forms, decoded: the input of the text target."""
    from jixiao_parser.readers.text import decode_text

    return [decode_text(p.read_bytes()) for p in seed_files()]


def text_cases() -> list[Path]:
    return sorted(CORPUS.glob("cases/*/form.txt")) + seed_files()


def corpus_files(fmt: str) -> list[Path]:
    return text_cases() if fmt == "text" else sorted(CORPUS.glob(f"renditions/*/*.{fmt}"))


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def build_set(tmp: Path, name: str, files: list[Path], target_forms: int) -> tuple[list[Path], int]:
    """Copies of ``files``, in turn, until they hold >= target_forms forms."""
    from jixiao_parser import parse_all

    sources = [(p, p.read_bytes()) for p in files]
    counts = [len(parse_all(data)) for _, data in sources]
    out_dir = tmp / name
    out_dir.mkdir()
    paths: list[Path] = []
    forms = k = 0
    while forms < target_forms:
        src, data = sources[k % len(sources)]
        path = out_dir / f"{k:05d}_{src.parent.name}{src.suffix}"
        path.write_bytes(data)
        paths.append(path)
        forms += counts[k % len(sources)]
        k += 1
    return paths, forms


def build_text_set(tmp: Path, target_forms: int) -> tuple[list[Path], int]:
    """Copies of the text cases and seeds, in turn, until they hold >= target_forms forms."""
    return build_set(tmp, "text_set", text_cases(), target_forms)


def build_corpus_set(tmp: Path, target_forms: int) -> tuple[list[Path], int]:
    """Copies of every corpus file of every format, in turn (PDF, Word, Excel,
    HTML and text, as a batch of published forms comes), until they hold >=
    target_forms forms."""
    files = [p for fmt in FORMATS for p in corpus_files(fmt)]
    return build_set(tmp, "corpus_set", sorted(files, key=lambda p: p.name), target_forms)


def build_big_pdf(tmp: Path, min_pages: int) -> tuple[Path, int]:
    """multi_form.pdf, then the other corpus PDFs in turn, concatenated page-wise
    with pypdf until the result has >= min_pages pages. Each copy is read afresh,
    so it keeps its own fonts and objects, as in a real concatenated file."""
    from pypdf import PdfReader, PdfWriter

    multi = CORPUS / "renditions" / "multi_form" / "multi_form.pdf"
    sources = [multi.read_bytes()] + [p.read_bytes() for p in corpus_files("pdf") if p != multi]
    writer = PdfWriter()
    k = 0
    while len(writer.pages) < min_pages:
        writer.append(PdfReader(io.BytesIO(sources[k % len(sources)])))
        k += 1
    path = tmp / f"multi_{min_pages}p.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path, len(writer.pages)
