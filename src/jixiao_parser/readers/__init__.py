"""Readers: bytes of one format → the format-neutral :class:`~jixiao_parser.document.Document`.

A reader knows its format and nothing about forms. Each is a function
``read(data, path, source) -> Document`` that raises a
:class:`~jixiao_parser.JixiaoError` subclass naming ``source`` when the input
cannot be read. Readers are imported on first use, so a text-only pipeline
never loads pdfminer or openpyxl.
"""

from __future__ import annotations

import importlib
import json
import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

import regex

from ..document import Document

__all__ = ["BACKENDS", "FORMATS", "STREAMED", "check_backend", "reader_for", "sniff_format"]

#: the PDF backends, by the name ``pdf_backend=`` takes (``"auto"`` picks one)
BACKENDS = ("pdfium", "pdfminer")


def check_backend(name: str) -> str:
    """``name`` if it is a ``pdf_backend=`` value (``"auto"`` or one of
    :data:`BACKENDS`); ``ValueError`` otherwise.

    >>> check_backend("pdfbox")
    Traceback (most recent call last):
    ...
    ValueError: unknown pdf_backend 'pdfbox' (known: 'auto', 'pdfium', 'pdfminer')
    """
    if name not in ("auto", *BACKENDS):
        known = ", ".join(repr(b) for b in ("auto", *BACKENDS))
        msg = f"unknown pdf_backend {name!r} (known: {known})"
        raise ValueError(msg)
    return name


# (content, path or None, name for messages) → Document; the content is bytes, or
# for the STREAMED formats also an open binary file
Reader = Callable[[Any, "str | None", str], Document]

# format → "module:function"
FORMATS: dict[str, str] = {
    "text": "text:read_text_source",
    "pdf": "pdf:read_pdf",
    "docx": "docx:read_docx",
    "html": "html:read_html",
    "xlsx": "xlsx:read_xlsx",
    "xls": "xlsx:read_xls",
    "doc": "office:read_via_office",
    "wps": "office:read_via_office",
    "odt": "office:read_via_office",
    "ods": "office:read_via_office",
    # scans: read by OCR with the [ocr] extra, NeedsOCR without it
    "png": "ocr:read_image",
    "jpeg": "ocr:read_image",
    "tiff": "ocr:read_image",
}

#: formats whose reader also takes an open binary file, and reads it as it goes
#: (a long PDF is never in memory whole)
STREAMED = frozenset({"pdf"})

_HTML = regex.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|table|meta|title|style|div|p|tr|td)\b",
    regex.IGNORECASE | regex.DOTALL,
)
_IMAGES = ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"II*\x00", "tiff"),
           (b"MM\x00*", "tiff"), (b"{\\rtf", "rtf"))  # fmt: skip


def sniff_format(data: bytes) -> str:
    """Name the format of ``data`` from its content, never from a file name.

    Returns one of :data:`FORMATS`, or another name (``"png"``, ``"zip"``,
    ``"ole"`` …) for content no reader takes.

    >>> [sniff_format(b) for b in (b"%PDF-1.7 ...", "项目名称".encode(), b"<html><body>")]
    ['pdf', 'text', 'html']
    """
    head = data[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (a Word "Unicode web page"?)
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass
    if head.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(data)
    for magic, name in _IMAGES:
        if head.startswith(magic):
            return name
    if head.lstrip()[:1] in (b"{", b"[") and _is_json(data):
        return "json"
    lower = head.lstrip().lower()
    if _HTML.match(head) or (lower.startswith(b"<?xml") and b"<html" in lower):
        return "html"
    return "text"


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return True


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            main = _main_part_type(z, names)
            if main is not None:
                return main
            if "mimetype" in names:
                mime = z.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
                if b"opendocument.spreadsheet" in mime:
                    return "ods"
    except Exception:  # sniffing never raises: a damaged archive is just a zip
        return "zip"
    return "zip"


# the content types of a main document part (WordprocessingML, SpreadsheetML)
_MAIN_TYPES = (
    (b"wordprocessingml.document.main+xml", "docx"),
    (b"wordprocessingml.template.main+xml", "docx"),
    (b"ms-word.document.macroenabled.main+xml", "docx"),
    (b"ms-word.template.macroenabledtemplate.main+xml", "docx"),
    (b"spreadsheetml.sheet.main+xml", "xlsx"),
    (b"spreadsheetml.template.main+xml", "xlsx"),
    (b"ms-excel.sheet.macroenabled.main+xml", "xlsx"),
    (b"ms-excel.template.macroenabled.main+xml", "xlsx"),
)


def _main_part_type(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """``"docx"`` / ``"xlsx"`` for an OPC package whose main part, wherever it is
    (``_rels/.rels`` names it), has a Word or Excel content type in
    ``[Content_Types].xml``."""
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        return None
    with z.open("[Content_Types].xml") as fh:
        types = fh.read(1 << 20).lower()
    for marker, fmt in _MAIN_TYPES:
        if marker in types:
            return fmt
    return None


def _sniff_ole(data: bytes) -> str:
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "WpsContent".encode("utf-16-le") in data:
        return "wps"
    return "ole"


def reader_for(fmt: str) -> Reader | None:
    """The reader function of a format, imported on first use; None if there is none."""
    spec = FORMATS.get(fmt)
    if spec is None:
        return None
    module, _, name = spec.partition(":")
    fn: Reader = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return fn
