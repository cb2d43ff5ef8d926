"""Resource limits for untrusted input: size, pages, cells, zip members, time.

Every parse runs under a :class:`Limits` (defaults below, overridable by
keyword on :func:`~jixiao_parser.parse_all` and friends). Readers and
segmentation call the active :class:`Budget` at their loops — inside the PDF
backends' loops too, and as data inflates or cells are counted, before anything
is built from them — so a crawler's 800-page PDF, a Flate or zip bomb, nested
forms or merged ranges over a whole sheet end in a
:class:`~jixiao_parser.ResourceLimitExceeded` naming the file and the limit,
not in a hang or an exhausted machine (``docs/hardening.md``).

>>> from jixiao_parser import parse_all, ResourceLimitExceeded
>>> try:
...     parse_all(b"x" * 100, max_bytes=10)
... except ResourceLimitExceeded as exc:
...     print(exc)
<bytes>: input is 100 bytes, over the limit of 10 (max_bytes)
"""

from __future__ import annotations

import contextlib
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from io import BytesIO
from typing import Any

import attrs

from .errors import CorruptDocument, ResourceLimitExceeded

__all__ = ["Budget", "Limits", "budget", "check_zip", "inflate_pieces", "use_limits"]


@attrs.frozen
class Limits:
    """Limits on one input. ``None`` switches a limit off.

    >>> Limits(max_form_draws=None).max_stream_bytes == 256 * 2**20
    True
    """

    max_bytes: int | None = 256 * 2**20  # bytes of the input file
    max_pages: int | None = 3000  # PDF pages
    max_cells: int | None = 2_000_000  # table cells in the whole document
    max_member_bytes: int | None = 256 * 2**20  # one DOCX/XLSX zip member, decompressed
    max_unzipped_bytes: int | None = 1024 * 2**20  # all members together, decompressed
    time_budget: float | None = 300.0  # seconds for one document
    max_stream_bytes: int | None = 256 * 2**20  # one PDF stream, decoded
    max_inflated_bytes: int | None = 2048 * 2**20  # all PDF streams of a document, decoded
    max_form_draws: int | None = 10_000  # Form XObjects drawn on one PDF page, nested or not


@attrs.define
class Budget:
    """The limits of the document being parsed, with its deadline."""

    limits: Limits
    source: str
    started: float = attrs.field(factory=time.monotonic)
    inflated: int = 0  # decoded bytes of the PDF streams counted so far
    slots: int = 0  # table slots read so far, each slot a merged cell covers counted
    counted: set[object] = attrs.field(factory=set)  # the streams counted (by object id)
    _ticks: int = 0

    def exceeded(
        self, what: str, value: float, limit: float | None, unit: str = "", name: str = ""
    ) -> None:
        """Raise when ``value`` is over ``limit`` (the :class:`Limits` field ``name``)."""
        if limit is not None and value > limit:
            msg = f"{what} is {value:.15g}{unit}, over the limit of {limit:.15g}{unit}"
            msg += f" ({name})" if name else ""
            raise ResourceLimitExceeded(self.source, msg)

    def tick(self) -> None:
        """Raise when the document has used up its time budget."""
        limit = self.limits.time_budget
        if limit is not None and time.monotonic() - self.started > limit:
            msg = f"parsing took longer than its time budget of {limit:g} s (time_budget)"
            raise ResourceLimitExceeded(self.source, msg)

    def often(self) -> None:
        """:meth:`tick` every 1024th call: for the inner loops of a reader (a
        character drawn, a reference resolved), where a clock read per call costs."""
        self._ticks += 1
        if not self._ticks & 1023:
            self.tick()

    def decoding(self, size: int) -> None:
        """A PDF stream being decoded has reached ``size`` bytes: refuse past
        ``max_stream_bytes``, or past ``max_inflated_bytes`` with the streams counted."""
        self.exceeded("a decoded PDF stream", size, self.limits.max_stream_bytes,
                      " bytes", "max_stream_bytes")  # fmt: skip
        self.exceeded("the decoded PDF streams", self.inflated + size,
                      self.limits.max_inflated_bytes, " bytes", "max_inflated_bytes")  # fmt: skip

    def inflate(self, stream: object, size: int) -> None:
        """Count a decoded PDF stream of ``size`` bytes (``stream``: its object id, or
        None for a direct stream) against the limits; a stream decoded again, after
        a cache let it go, counts once."""
        self.decoding(size)
        if stream is not None:
            if stream in self.counted:
                return
            self.counted.add(stream)
        self.inflated += size

    def pages(self, count: int) -> None:
        self.exceeded("page count", count, self.limits.max_pages, "", "max_pages")
        self.tick()

    def span(self, rowspan: int, colspan: int) -> None:
        """Count the slots of one more table cell (``rowspan`` × ``colspan``: the
        rows of a document are filled out slot by slot) against ``max_cells``,
        before anything is made of them."""
        self.slots += rowspan * colspan
        self.exceeded("table slots (merged cells counted by the slots they cover)",
                      self.slots, self.limits.max_cells, "", "max_cells")  # fmt: skip

    def cells(self, count: int) -> None:
        self.exceeded("cell count", count, self.limits.max_cells, "", "max_cells")


#: no limit at all (what runs outside :func:`use_limits`)
UNLIMITED = Limits(**{name: None for name in attrs.fields_dict(Limits)})

_ACTIVE: ContextVar[Budget | None] = ContextVar("jixiao_budget", default=None)


def budget() -> Budget:
    """The active budget (an unlimited one outside :func:`use_limits`)."""
    active = _ACTIVE.get()
    return active if active is not None else Budget(UNLIMITED, "")


@contextlib.contextmanager
def use_limits(limits: Limits, source: str) -> Iterator[Budget]:
    """Run the block under ``limits`` for ``source``."""
    active = Budget(limits, source)
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


def check_zip(data: bytes, limits: Limits, source: str) -> None:
    """Refuse a zip (DOCX, XLSX, ODT) whose members would inflate past the limits.

    Every member is inflated once here, in pieces, and counted as it grows; the
    sizes the archive's directory states are checked first and then held to: a
    member whose data inflates past its stated size (a directory that lies, which
    Python's zipfile would only notice after inflating the whole member in one
    piece) is :class:`~jixiao_parser.CorruptDocument`. A member whose compression
    ratio is absurd (over 1000:1) counts as a bomb whatever it claims. The
    worksheets of a workbook (found by their root element, whatever their path or
    namespace prefix) are read for their merged ranges and cells, which must stay
    within ``max_cells``: the spreadsheet library makes an object for each.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument(source, f"not a readable zip archive: {exc}") from exc
    with archive:
        total = 0
        for info in infos:
            total += info.file_size
            if limits.max_member_bytes is not None and info.file_size > limits.max_member_bytes:
                msg = (
                    f"zip member {info.filename} inflates to {info.file_size} bytes, over the "
                    f"limit of {limits.max_member_bytes} (max_member_bytes)"
                )
                raise ResourceLimitExceeded(source, msg)
            if (
                info.compress_size
                and info.file_size / info.compress_size > 1000
                and info.file_size > 2**20
            ):
                ratio = info.file_size // info.compress_size
                msg = f"zip member {info.filename} compresses {ratio}:1 (a zip bomb)"
                raise ResourceLimitExceeded(source, msg)
        if limits.max_unzipped_bytes is not None and total > limits.max_unzipped_bytes:
            msg = (
                f"zip members inflate to {total} bytes, over the limit of "
                f"{limits.max_unzipped_bytes} (max_unzipped_bytes)"
            )
            raise ResourceLimitExceeded(source, msg)
        for info in infos:
            _check_member(data, info, source)
        _check_sheets(archive, infos, limits, source)


_HEADER = struct.Struct("<4s2B4HL2L2H")  # a local file header (zipfile's structFileHeader)
PIECE = 1 << 20  # bytes inflated per step


def inflate_pieces(inflater: Any, data: bytes | memoryview) -> Iterator[bytes]:
    """What zlib's ``inflater`` makes of ``data``, :data:`PIECE` bytes at most at a
    time, until the stream ends or the data runs out: the callers count each
    piece against their limits as it comes, so a bomb is stopped early.

    >>> import zlib
    >>> data = zlib.compress(bytes(2 * PIECE + 5))
    >>> [len(p) for p in inflate_pieces(zlib.decompressobj(), data)]
    [1048576, 1048576, 5]
    """
    pending = data
    while pending and not inflater.eof:
        yield inflater.decompress(pending, PIECE)
        pending = inflater.unconsumed_tail


def _check_member(data: bytes, info: zipfile.ZipInfo, source: str) -> None:
    """Inflate a deflated member's data in pieces, never past one piece beyond the
    size the directory states: more is a lying directory, CorruptDocument."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # OPC (ECMA-376 Part 2) and ODF packages may use no other: refused rather
        # than inflated by a decompressor that cannot be held to a size
        msg = (
            f"zip member {info.filename} uses compression method {info.compress_type}; "
            "a DOCX/XLSX/ODF package may use only stored and deflate"
        )
        raise CorruptDocument(source, msg)
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 1:
        return  # stored data does not inflate; encrypted members are not read
    start = info.header_offset
    header = data[start : start + _HEADER.size]
    if len(header) < _HEADER.size or header[:4] != b"PK\x03\x04":
        raise CorruptDocument(source, f"zip member {info.filename}: no local header")
    fields = _HEADER.unpack(header)
    begin = start + _HEADER.size + fields[10] + fields[11]
    inflater = zlib.decompressobj(-15)
    size = 0
    view = memoryview(data)[begin : begin + info.compress_size]
    try:
        for piece in inflate_pieces(inflater, view):
            size += len(piece)
            if size > info.file_size:
                msg = (
                    f"zip member {info.filename} inflates past the {info.file_size} bytes "
                    "its directory states"
                )
                raise CorruptDocument(source, msg)
            budget().often()
    except zlib.error as exc:
        raise CorruptDocument(source, f"zip member {info.filename}: {exc}") from exc
    finally:
        view.release()


def _check_sheets(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits, source: str
) -> None:
    """Refuse a workbook whose worksheets hold more cells, or whose merged ranges
    cover more, than ``max_cells`` (counted as the sheet XML is read)."""
    if limits.max_cells is None:
        return
    from lxml import etree  # (only workbooks need it: not loaded with the package)
    from openpyxl.utils.cell import range_boundaries  # type: ignore[import-untyped, unused-ignore]

    area = cells = 0
    often = budget().often  # the parse's budget: one look-up, not one per element
    for info in infos:
        if not info.filename.lower().endswith(".xml") or info.flag_bits & 1:
            continue
        with archive.open(info) as fh:
            if _root_name(fh.read(4096)) != b"worksheet":
                continue
        with archive.open(info) as fh:
            events = etree.iterparse(
                fh, events=("end",), tag=("{*}c", "{*}mergeCell", "{*}row"),
                resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
            )  # fmt: skip
            try:
                for _, el in events:
                    name = el.tag.rpartition("}")[2]  # (only c, mergeCell, row come)
                    if name == "c":
                        cells += 1
                        if cells > limits.max_cells:
                            msg = (
                                f"the worksheets hold more than {limits.max_cells} cells "
                                "(max_cells)"
                            )
                            raise ResourceLimitExceeded(source, msg)
                    elif name == "mergeCell":
                        try:
                            c1, r1, c2, r2 = range_boundaries(el.get("ref") or "")
                        except (ValueError, TypeError):
                            continue
                        if None not in (c1, r1, c2, r2):
                            area += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
                        if area > limits.max_cells:
                            msg = (
                                f"merged ranges cover {area} cells, over the limit of "
                                f"{limits.max_cells} (max_cells)"
                            )
                            raise ResourceLimitExceeded(source, msg)
                    el.clear()
                    if name == "row":
                        while el.getprevious() is not None:
                            del el.getparent()[0]  # type: ignore[union-attr, unused-ignore]
                    often()
            except etree.XMLSyntaxError:
                continue  # the reader says what is wrong with it


_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _root_name(head: bytes) -> bytes | None:
    """The local name of the root element an XML document starts with (past its
    declaration, comments and doctype), from its first bytes."""
    head = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    m = _ROOT.search(head)
    return m.group(1) if m else None
