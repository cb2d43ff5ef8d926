"""PDF streams read from the raw file, whatever backend reads the pages.

pdfium inflates a stream whole when it needs it, with no limit a caller can set,
and in C++; :func:`check_streams` holds its files to ``max_stream_bytes`` and
``max_inflated_bytes`` before it opens them. :func:`damaged_streams` counts the
Flate streams that do not inflate at all, to say why a PDF gave nothing.
Stream dictionaries are never compressed (PDF 1.5 object streams hold no
streams), so a scan of the file's bytes for ``stream … endstream`` sees every
stream.

>>> damaged_streams(b"1 0 obj << /Filter /FlateDecode >> stream\\njunk\\nendstream endobj")
1
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from itertools import islice
from typing import BinaryIO

from .. import limits

__all__ = ["check_streams", "damaged_streams"]

# -- Flate bombs ------------------------------------------------------------------
#
# pdfium inflates a stream whole when it needs it, with no limit a caller can
# set, and in C++: a few MB of zeros become many GB. So before pdfium opens a
# file, its Flate streams are inflated here in counted pieces (nothing kept) as
# far as the limits need: deflate inflates at most about 1032 bytes per byte, so
# only a stream whose data is longer than ``max_stream_bytes / 1032`` can pass
# that limit, and only a file whose streams hold more than
# ``max_inflated_bytes / 1032`` bytes between them can pass that one.

_RATIO = 1032  # the most deflate can inflate one byte to
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 20


def check_streams(data: bytes | BinaryIO) -> None:
    """Raise :class:`~jixiao_parser.ResourceLimitExceeded` when a Flate stream of
    the PDF ``data`` (bytes, or a seekable binary file, left where it was)
    inflates past ``max_stream_bytes``, or its streams together past
    ``max_inflated_bytes``, of the active limits. Image streams count for the first
    limit only: text extraction never decodes them, and a long file may hold a seal
    or a logo image per page that together pass the second."""
    budget = limits.budget()
    one, every = budget.limits.max_stream_bytes, budget.limits.max_inflated_bytes
    if one is None and every is None:
        return
    fh: BinaryIO = io.BytesIO(data) if isinstance(data, bytes) else data
    home = fh.tell()
    try:
        spans = [(a, b, bool(_IMAGE.search(_head(fh, a)))) for a, b in _stream_spans(fh)]
        stored = sum(end - start for start, end, image in spans if not image)
        for start, end, image in spans:
            # (inflating checks max_stream_bytes as the stream grows)
            if (one is not None and (end - start) * _RATIO > one) or (
                not image and every is not None and stored * _RATIO > every
            ):
                size = _inflated_size(fh, start, end, budget)
                if not image:
                    budget.inflate(("pdfium", start), size)
    finally:
        fh.seek(home)


def _stream_spans(fh: BinaryIO) -> Iterator[tuple[int, int]]:
    """(start, end) of the data of every ``stream … endstream`` in the file."""
    fh.seek(0)
    offset, tail, start = 0, b"", -1
    budget = limits.budget()
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return
        window = tail + chunk
        base = offset - len(tail)
        at = 0
        while True:
            budget.often()
            if start < 0:
                m = _STREAM.search(window, at)
                if m is None:
                    break
                start, at = base + m.end(), m.end()
            else:
                k = window.find(b"endstream", max(at, start - base))
                if k < 0:
                    break
                yield start, base + k
                start, at = -1, k + 9
        offset += len(chunk)
        tail = window[-16:]


def _inflated_size(fh: BinaryIO, start: int, end: int, budget: limits.Budget) -> int:
    """How many bytes the data from ``start`` to ``end`` inflates to (0 when it is
    not zlib data), inflated in pieces and counted against the budget."""
    fh.seek(start)
    inflater = zlib.decompressobj()
    size, left = 0, end - start
    try:
        while left > 0 and not inflater.eof:
            pending = fh.read(min(_CHUNK, left))
            if not pending:
                break
            left -= len(pending)
            for piece in limits.inflate_pieces(inflater, pending):
                size += len(piece)
                budget.decoding(size)
                budget.often()
    except zlib.error:
        pass  # not Flate data, or damaged: pdfium stops where zlib does
    return size


_FLATE = re.compile(rb"/FlateDecode|/Fl\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def _head(fh: BinaryIO, start: int) -> bytes:
    """The stream dictionary before the data at ``start`` (up to 512 bytes of it,
    from its object's ``obj``)."""
    fh.seek(max(0, start - 512))
    head = fh.read(start - max(0, start - 512))
    return head[head.rfind(b"obj") + 1 :]


def damaged_streams(data: bytes | BinaryIO) -> int:
    """How many of the PDF's Flate streams (a ``/FlateDecode`` filter in the
    dictionary before the data) inflate to nothing at all: damaged data. The file
    is left where it was."""
    fh: BinaryIO = io.BytesIO(data) if isinstance(data, bytes) else data
    home = fh.tell()
    budget = limits.budget()
    damaged = 0
    try:
        for start, end in list(_stream_spans(fh)):
            head = _head(fh, start)
            if end > start and _FLATE.search(head) and not _inflated_size(fh, start, end, budget):
                damaged += 1
    finally:
        fh.seek(home)
    return damaged


# a Form XObject's subtype (or one written with escapes, which may spell Form)
_FORM = re.compile(rb"/Subtype\s*/Form\b|/Subtype\s*/[^\s/<>\[\]()]*#")


def may_nest_forms(data: bytes | BinaryIO) -> bool:
    """Whether the raw file has two Form XObjects or more (or a subtype written
    with escapes): stream dictionaries are never compressed, so this sees them all."""
    if isinstance(data, bytes):
        return next(islice(_FORM.finditer(data), 1, None), None) is not None
    home = data.tell()
    data.seek(0)
    found, tail = 0, b""
    try:
        while chunk := data.read(1 << 20):
            window = tail + chunk
            found += len(_FORM.findall(window))
            if found >= 2:
                return True
            tail = window[-64:]
            if _FORM.search(tail):
                found -= 1  # counted again with the next chunk
    finally:
        data.seek(home)
    return False
