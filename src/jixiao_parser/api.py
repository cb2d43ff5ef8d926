"""The public entry points: ``parse_all``, ``parse``, ``parse_text``."""

from __future__ import annotations

import functools
import os
import stat
from contextlib import ExitStack
from typing import IO, Any, BinaryIO, Union

import attrs

from .checks import check_sections
from .document import Document, Table
from .errors import (
    CorruptDocument,
    FormCountError,
    JixiaoError,
    NotAForm,
    ResourceLimitExceeded,
    StrictError,
    UnreadableSource,
    UnsupportedFormat,
)
from .limits import Limits, check_zip, use_limits
from .model import Report
from .readers import FORMATS, STREAMED, check_backend, reader_for, sniff_format
from .readers.text import text_to_document
from .sections.report import build_reports

__all__ = ["Source_", "parse", "parse_all", "parse_text", "sniff_format"]

Source_ = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


def _read_source(
    source: Source_, max_bytes: int | None, stack: ExitStack, format: str | None = None
) -> tuple[bytes | BinaryIO, str | None, str]:
    """(content, path or None, name for messages); never reads past ``max_bytes``.

    The content is bytes, except for a regular file named by a path whose format
    is one of :data:`~jixiao_parser.readers.STREAMED` (PDF): that comes as the
    open file, which ``stack`` closes, so that a long PDF is never in memory whole.
    """
    if isinstance(source, bytes):
        _check_size(len(source), max_bytes, "<bytes>")
        return source, None, "<bytes>"
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            fh = stack.enter_context(open(path, "rb", buffering=_BUFFER))
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise UnreadableSource(path, f"cannot read file: {reason}") from exc
        info = os.fstat(fh.fileno())
        _check_size(info.st_size, max_bytes, path)
        try:
            if not stat.S_ISREG(info.st_mode):  # a pipe, a device: read once, as a stream
                data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
                _check_size(len(data), max_bytes, path)
                return data, path, path
            if (format or sniff_format(_head(fh))) in STREAMED:
                return fh, path, path
            return fh.read(), path, path
        except OSError as exc:
            raise UnreadableSource(path, f"cannot read file: {exc.strerror or exc}") from exc
    read = getattr(source, "read", None)
    if read is None:
        msg = f"expected a path, bytes or a binary file object, got {type(source).__name__}"
        raise TypeError(msg)
    name = getattr(source, "name", None)
    label = _label(source)
    data = read() if max_bytes is None else read(max_bytes + 1)
    if isinstance(data, bytes | bytearray):
        _check_size(len(data), max_bytes, label)
    if isinstance(data, str):
        msg = "file object is in text mode; open it with 'rb'"
        raise UnsupportedFormat(label, msg)
    return bytes(data), (name if isinstance(name, str) else None), label


def _head(fh: BinaryIO) -> bytes:
    """What sniff_format reads to tell a PDF (it looks no further for one);
    the file is left at its start."""
    head = fh.read(2048)
    fh.seek(0)
    return head


# pdfminer reads a streamed PDF in small pieces, seeking back and forth
_BUFFER = 1 << 16


def _check_size(size: int, max_bytes: int | None, label: str) -> None:
    if max_bytes is not None and size > max_bytes:
        msg = f"input is {size} bytes, over the limit of {max_bytes} (max_bytes)"
        raise ResourceLimitExceeded(label, msg)


def _limits(limits: Limits | None, overrides: dict[str, Any]) -> Limits:
    base = limits or Limits()
    unknown = set(overrides) - set(attrs.fields_dict(Limits))
    if unknown:
        msg = f"unknown limit(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    return attrs.evolve(base, **overrides) if overrides else base


_ZIPPED = frozenset({"docx", "xlsx", "odt", "ods"})


def parse_all(
    source: Source_,
    *,
    format: str | None = None,
    strict: bool = False,
    pdf_backend: str = "auto",
    limits: Limits | None = None,
    **limit_overrides: Any,
) -> list[Report]:
    """Every form found in ``source``: a path (str or PathLike), bytes or a binary file.

    Returns an empty list when the input holds no form. The format is sniffed
    from the content (``format=`` overrides it: ``"text"``, ``"pdf"``,
    ``"docx"``, ``"xlsx"``, ``"xls"``, ``"html"``, ``"doc"``, ``"wps"``,
    ``"odt"``); content no reader takes raises
    :class:`~jixiao_parser.UnsupportedFormat` naming the file.

    Untrusted input runs under :class:`~jixiao_parser.Limits` (``limits=`` or
    single limits by keyword: ``max_bytes``, ``max_pages``, ``max_cells``,
    ``max_member_bytes``, ``max_unzipped_bytes``, ``max_stream_bytes``,
    ``max_inflated_bytes``, ``max_form_draws``, ``time_budget``; see
    ``docs/hardening.md``); over a limit it raises
    :class:`~jixiao_parser.ResourceLimitExceeded`. With
    ``strict=True`` a form with a warning or a cell no field took raises
    :class:`~jixiao_parser.StrictError` instead of reporting it.

    ``pdf_backend`` chooses what reads a PDF: ``"pdfium"`` (pypdfium2, about
    three times faster), ``"pdfminer"`` (pdfminer.six), or ``"auto"`` (the
    default: pdfium when pypdfium2 is installed, pdfminer.six otherwise). Both
    give the same reports but for coordinates; ``report.source.pdf_backend``
    names the one used. An unknown name raises ``ValueError``, ``"pdfium"``
    without pypdfium2 :class:`~jixiao_parser.MissingDependency`.

    >>> from jixiao_parser import parse_all
    >>> pdf = "corpus/renditions/seed_003/seed_003.pdf"
    >>> parse_all(pdf, pdf_backend="pdfminer")[0].source.pdf_backend
    'pdfminer'
    >>> reports = parse_all("../shared/seeds/003_83db39a3659af481.txt")  # doctest: +SKIP
    >>> reports[0].header.project_code                                    # doctest: +SKIP
    '440307210701500003094'
    """
    check_backend(pdf_backend)
    active = _limits(limits, limit_overrides)
    with ExitStack() as stack, use_limits(active, _label(source)) as budget:
        data, path, label = _read_source(source, active.max_bytes, stack, format)
        fmt = format or sniff_format(data if isinstance(data, bytes) else _head(data))
        reader = reader_for(fmt)
        if reader is None:
            known = ", ".join(sorted(FORMATS))
            msg = f"unsupported format {fmt!r} (readable: {known})"
            raise UnsupportedFormat(label, msg)
        if fmt in _ZIPPED and isinstance(data, bytes):
            check_zip(data, active, label)
        if fmt == "pdf":
            reader = functools.partial(reader, backend=pdf_backend)  # type: ignore[call-arg]
        try:
            doc = reader(data, path, label)
        except JixiaoError as exc:
            if isinstance(exc.__cause__, MemoryError):  # a reader's catch-all took it
                raise ResourceLimitExceeded(label, "ran out of memory reading it") from exc
            raise
        except MemoryError as exc:
            raise ResourceLimitExceeded(label, "ran out of memory reading it") from exc
        except Exception as exc:  # a dependency failing on a file it cannot read
            msg = f"cannot read as {fmt}: {type(exc).__name__}: {exc}"
            raise CorruptDocument(label, msg) from exc
        del data  # a long input need not outlive its reading
        budget.cells(sum(len(row) for b in doc.blocks if isinstance(b, Table) for row in b.rows))
        budget.tick()
        reports = _reports(doc)
        budget.tick()
    if strict:
        _raise_first_problem(reports, label)
    return reports


def _raise_first_problem(reports: list[Report], label: str) -> None:
    for report in reports:
        for d in report.diagnostics:
            if d.severity != "info":
                raise StrictError(
                    label, f"form {report.source.form_index}: {d.code} at {d.where}: {d.message}"
                )
        if report.leftover:
            first = report.leftover[0]
            where = f"form {report.source.form_index}: {first.where}"
            msg = f"{where}: {first.text!r} was not read into any field"
            raise StrictError(label, msg)


def parse(
    source: Source_,
    *,
    format: str | None = None,
    strict: bool = False,
    pdf_backend: str = "auto",
    limits: Limits | None = None,
    **limit_overrides: Any,
) -> Report:
    """Exactly one form from ``source``; raises when there are none or several.

    :class:`~jixiao_parser.NotAForm` when none is found,
    :class:`~jixiao_parser.FormCountError` (with ``.count``) when several are.
    The options are those of :func:`parse_all`.

    >>> from jixiao_parser import parse
    >>> parse("../shared/seeds/000_f4fd78449f7adfd3.txt").total.score  # doctest: +SKIP
    Decimal('99.43')
    """
    reports = parse_all(
        source,
        format=format,
        strict=strict,
        pdf_backend=pdf_backend,
        limits=limits,
        **limit_overrides,
    )
    label = _label(source)
    if not reports:
        raise NotAForm(label, "no self-evaluation form found")
    if len(reports) > 1:
        msg = f"expected exactly one form, found {len(reports)}; use parse_all()"
        raise FormCountError(label, msg, len(reports))
    return reports[0]


def parse_text(text: str, *, strict: bool = False) -> list[Report]:
    """Every form in ``text`` already in memory (tab-separated cells).

    >>> from jixiao_parser import parse_text
    >>> r = parse_text("项目支出绩效自评表\\n(2023年度)\\n项目名称\\t示例项目\\n")
    >>> r[0].title, r[0].year, r[0].header.project_name
    ('项目支出绩效自评表', 2023, '示例项目')

    With ``strict=True`` a form with a warning or an unread cell raises
    :class:`~jixiao_parser.StrictError`.
    """
    reports = _reports(text_to_document(text, None))
    if strict:
        _raise_first_problem(reports, "<text>")
    return reports


def _label(source: Source_) -> str:
    if isinstance(source, bytes):
        return "<bytes>"
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


def _reports(doc: Document) -> list[Report]:
    """Every form in ``doc``: segmented, its sections parsed, its checks run."""
    return build_reports(doc, check_sections)
