"""Resource limits for untrusted input: size, pages, cells, zip members, time.

Every parse runs under a :class:`Limits` (defaults below, overridable by
keyword on :func:`~jixiao_parser.parse_all` and friends). Readers and
segmentation call the active :class:`Budget` at their loops, so a crawler's
800-page PDF or a zip bomb ends in a
:class:`~jixiao_parser.ResourceLimitExceeded` naming the file and the limit,
not in a hang or an exhausted machine.

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
import time
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from io import BytesIO

import attrs

from .errors import CorruptDocument, ResourceLimitExceeded

__all__ = ["Budget", "Limits", "budget", "check_zip", "use_limits"]


@attrs.frozen
class Limits:
    """Limits on one input. ``None`` switches a limit off."""

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
    counted: set[object] = attrs.field(factory=set)  # the streams counted (by object id)
    _ticks: int = 0

    def exceeded(self, what: str, value: float, limit: float | None, unit: str = "") -> None:
        if limit is not None and value > limit:
            msg = f"{what} is {value:.15g}{unit}, over the limit of {limit:.15g}{unit}"
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
                      " bytes (max_stream_bytes)")  # fmt: skip
        self.exceeded("the decoded PDF streams", self.inflated + size,
                      self.limits.max_inflated_bytes, " bytes (max_inflated_bytes)")  # fmt: skip

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
        self.exceeded("page count", count, self.limits.max_pages, " (max_pages)")
        self.tick()

    def cells(self, count: int) -> None:
        self.exceeded("cell count", count, self.limits.max_cells, " (max_cells)")


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

    The sizes come from the archive's directory, and a member whose
    compression ratio is absurd (over 1000:1) counts as a bomb whatever it claims.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocument(source, f"not a readable zip archive: {exc}") from exc
    total = 0
    for info in infos:
        total += info.file_size
        if limits.max_member_bytes is not None and info.file_size > limits.max_member_bytes:
            msg = (
                f"zip member {info.filename} inflates to {info.file_size} bytes, over the limit of "
                f"{limits.max_member_bytes} (max_member_bytes)"
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
    _check_merged_ranges(data, infos, limits, source)
    if limits.max_unzipped_bytes is not None and total > limits.max_unzipped_bytes:
        msg = (
            f"zip members inflate to {total} bytes, over the limit of "
            f"{limits.max_unzipped_bytes} (max_unzipped_bytes)"
        )
        raise ResourceLimitExceeded(source, msg)


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_merged_ranges(
    data: bytes, infos: list[zipfile.ZipInfo], limits: Limits, source: str
) -> None:
    """Refuse an XLSX whose merged ranges cover more cells than ``max_cells``
    (the spreadsheet library would make an object for every covered cell)."""
    if limits.max_cells is None:
        return
    sheets = [
        i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
    ]
    if not sheets:
        return
    area = 0
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in sheets:
            with archive.open(info) as fh:
                text = fh.read(limits.max_member_bytes or info.file_size)
            for c1, r1, c2, r2 in _MERGE.findall(text):
                area += (abs(_column(c2) - _column(c1)) + 1) * (abs(int(r2) - int(r1)) + 1)
    if area > limits.max_cells:
        msg = f"merged ranges cover {area} cells, over the limit of {limits.max_cells} (max_cells)"
        raise ResourceLimitExceeded(source, msg)
