"""What is timed: our full parse (PDF through either backend), and the bare work of
each library underneath (pdfminer interpretation, pdfplumber tables, python-docx
and openpyxl loads).
Each ``*_on(blobs)`` returns a function that does one whole pass over the files.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable


def ours_on(blobs: list[bytes], pdf_backend: str = "auto") -> Callable[[], int]:
    """Our full parse: ``parse_all(bytes)`` on each file; returns the form count.
    A PDF is read by ``pdf_backend`` (``"auto"``: pdfium when pypdfium2 is installed)."""
    from jixiao_parser import parse_all

    def run() -> int:
        return sum(len(parse_all(data, pdf_backend=pdf_backend)) for data in blobs)

    return run


def ours_pdfium_on(blobs: list[bytes]) -> Callable[[], int]:
    """Our full parse with the pdfium backend (the default when pypdfium2 is installed)."""
    return ours_on(blobs, "pdfium")


def ours_pdfminer_on(blobs: list[bytes]) -> Callable[[], int]:
    """Our full parse with the pdfminer.six backend."""
    return ours_on(blobs, "pdfminer")


def pdfminer_on(blobs: list[bytes]) -> Callable[[], int]:
    """pdfminer.six interpretation alone: every page through PDFPageInterpreter
    into a PDFPageAggregator without layout analysis (laparams=None), nothing else."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    def run() -> int:
        pages = 0
        for data in blobs:
            document = PDFDocument(PDFParser(io.BytesIO(data)))
            manager = PDFResourceManager(caching=True)
            device = PDFPageAggregator(manager, laparams=None)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(document):
                interpreter.process_page(page)
                device.get_result()
                pages += 1
        return pages

    return run


def pdfplumber_on(blobs: list[bytes]) -> Callable[[], int]:
    """pdfplumber ``page.extract_tables()`` on every page (default settings)."""
    import pdfplumber

    def run() -> int:
        tables = 0
        for data in blobs:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    tables += len(page.extract_tables())
        return tables

    return run


def docx_load_on(blobs: list[bytes]) -> Callable[[], int]:
    """python-docx's bare load: ``docx.Document(BytesIO)``."""
    import docx

    def run() -> int:
        return sum(1 for data in blobs if docx.Document(io.BytesIO(data)) is not None)

    return run


def openpyxl_load_on(blobs: list[bytes]) -> Callable[[], int]:
    """openpyxl's bare load with the options readers/xlsx.py uses
    (``data_only=True, keep_links=False``, warnings silenced)."""
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    def run() -> int:
        sheets = 0
        for data in blobs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            sheets += len(wb.sheetnames)
        return sheets

    return run
