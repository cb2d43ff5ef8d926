"""Many files at once: a process pool that never lets one bad file stop the batch.

>>> from jixiao_parser import parse_many
>>> for result in parse_many(["a.pdf", "b.docx"], workers=2):  # doctest: +SKIP
...     print(result.path, len(result.reports), result.error)
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

import attrs

from .api import Source_, _label, parse_all
from .errors import JixiaoError
from .model import Report, pickled_by_fields
from .readers.pdf import check_backend

__all__ = ["ErrorRecord", "ParseResult", "parse_many"]


@pickled_by_fields
@attrs.frozen
class ErrorRecord:
    """Why one input failed: the error's class name and message."""

    type: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type, "message": self.message}


@pickled_by_fields
@attrs.frozen
class ParseResult:
    """One input of :func:`parse_many`: its reports, or the error that stopped it."""

    path: str
    reports: tuple[Report, ...] = ()
    error: ErrorRecord | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _parse_one(source: Source_, pdf_backend: str = "auto") -> ParseResult:
    label = _label(source)
    try:
        return ParseResult(label, tuple(parse_all(source, pdf_backend=pdf_backend)))
    except JixiaoError as exc:
        return ParseResult(label, error=ErrorRecord(type(exc).__name__, str(exc)))
    except Exception as exc:  # a bug of ours: record it with its place, go on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"{label}: internal error {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        )
        return ParseResult(label, error=ErrorRecord("InternalError", message))


def parse_many(
    sources: Iterable[Source_],
    workers: int | None = None,
    on_error: str = "record",
    *,
    pdf_backend: str = "auto",
) -> Iterator[ParseResult]:
    """Parse every source in a process pool, yielding results in input order.

    ``workers`` is the number of processes that parse, this one included
    (default: the number of cores; 1 parses here alone, without a pool).
    Inputs go out in chunks of :data:`CHUNK` to ``workers - 1`` pool processes,
    and this process parses the next chunk itself whenever the result due next
    is not back yet. At most ``3 × workers`` chunks are held at once, so memory
    stays bounded however long ``sources`` is (it may be a generator). An
    exception never stops the batch, but an input that kills the interpreter
    (a crash inside a dependency) stops the calling process when it parses it.
    ``on_error``: ``"record"`` yields failed inputs with their :class:`ErrorRecord`,
    ``"skip"`` leaves them out, ``"raise"`` raises
    :class:`~jixiao_parser.JixiaoError` on the first. ``pdf_backend`` is
    :func:`~jixiao_parser.parse_all`'s (``"auto"``, ``"pdfium"``, ``"pdfminer"``).

    >>> results = list(parse_many(["corpus/seeds/seed_003/003_83db39a3659af481.txt"], workers=1))
    >>> results[0].ok, len(results[0].reports)  # doctest: +SKIP
    (True, 1)
    """
    if on_error not in ("record", "skip", "raise"):
        msg = f"on_error must be 'record', 'skip' or 'raise', not {on_error!r}"
        raise ValueError(msg)
    check_backend(pdf_backend)
    workers = workers or os.cpu_count() or 1
    parse_one = functools.partial(_parse_one, pdf_backend=pdf_backend)
    results = _serial(sources, parse_one) if workers == 1 else _pooled(sources, workers, parse_one)
    for result in results:
        if result.error is not None:
            if on_error == "raise":
                reason = result.error.message.removeprefix(f"{result.path}: ")
                raise JixiaoError(result.path, f"{result.error.type}: {reason}")
            if on_error == "skip":
                continue
        yield result


def _serial(sources: Iterable[Source_], parse_one: _ParseOne) -> Iterator[ParseResult]:
    for source in sources:
        yield parse_one(source)


CHUNK = 8  # inputs per task: small files cost less than the round trip to a worker


_ParseOne = Callable[[Source_], ParseResult]


def _parse_chunk(sources: list[Source_], parse_one: _ParseOne = _parse_one) -> list[ParseResult]:
    return [parse_one(s) for s in sources]


def _parse_chunk_pickled(sources: list[Source_], parse_one: _ParseOne = _parse_one) -> bytes:
    """A pool task: the chunk's results, already pickled. The pool sends bytes
    back, and the caller unpickles them when it yields them (:func:`_unpickle`)."""
    return pickle.dumps(_parse_chunk(sources, parse_one), protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle(data: bytes) -> list[ParseResult]:
    """Results from a pool process. Unpickling builds hundreds of objects per
    report, and each cyclic collection it would set off scans every object the
    caller still holds (all its earlier results, say): the collector waits."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        results: list[ParseResult] = pickle.loads(data)
    finally:
        if paused:
            gc.enable()
    return results


def _start_worker() -> None:
    """A pool process starts as a copy of the caller; what it inherited will not
    become garbage there, so the collector need not scan it again."""
    gc.freeze()


def _chunks(sources: Iterable[Source_], size: int) -> Iterator[list[Source_]]:
    chunk: list[Source_] = []
    for source in sources:
        chunk.append(source)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pooled(
    sources: Iterable[Source_], workers: int, parse_one: _ParseOne = _parse_one
) -> Iterator[ParseResult]:
    """``workers - 1`` pool processes, and this one: whenever the result to yield
    next is not back yet, this process parses the next chunk itself instead of
    waiting. Its own chunks make no trip between processes (pickling a report
    costs about a tenth of parsing it), and its waiting time goes into parsing."""
    window = 2 * (workers - 1)  # chunks queued for the pool
    limit = 3 * workers  # chunks held at once, done or not (room to run ahead of a slow pool)
    chunks = _chunks(sources, CHUNK)
    slots: deque[Future[bytes] | list[ParseResult]] = deque()
    with ProcessPoolExecutor(max_workers=workers - 1, initializer=_start_worker) as pool:
        while True:
            queued = sum(isinstance(slot, Future) for slot in slots)
            while queued < window and len(slots) < limit and (chunk := next(chunks, None)):
                slots.append(pool.submit(_parse_chunk_pickled, chunk, parse_one))
                queued += 1
            if not slots:
                return
            head = slots[0]
            waiting = isinstance(head, Future) and not head.done()
            if waiting and len(slots) < limit and (chunk := next(chunks, None)):
                slots.append(_parse_chunk(chunk, parse_one))  # meanwhile, here
                continue
            slots.popleft()
            yield from _unpickle(head.result()) if isinstance(head, Future) else head
