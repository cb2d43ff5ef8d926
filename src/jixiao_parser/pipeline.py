"""Many files at once: a process pool that never lets one bad file stop the batch.

>>> from jixiao_parser import parse_many
>>> for result in parse_many(["a.pdf", "b.docx"], workers=2, timeout=60):  # doctest: +SKIP
...     print(result.path, len(result.reports), result.error)

How the pool holds up: each worker process is sent a few inputs at a time and
sends back each result as soon as it has it, so this process always knows
which input a worker is on and since when. A worker that dies (a crash inside
a dependency, the kernel's out-of-memory killer, a ``kill -9``) costs only the
input it was on, which gets an :class:`ErrorRecord` of type ``WorkerDied``; a
worker past its input's deadline is killed by the watchdog here, and its input
gets a ``ResourceLimitExceeded`` record. Either way a new worker takes the
dead one's place and its unstarted inputs, and every other input is still
yielded, in input order.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from typing import Any

import attrs

from .api import Source_, _label, parse_all
from .errors import JixiaoError
from .limits import Limits
from .model import Report, pickled_by_fields
from .readers import check_backend
from .sources import is_url, read_url

__all__ = ["ErrorRecord", "ParseResult", "parse_many"]


@pickled_by_fields
@attrs.frozen
class ErrorRecord:
    """Why one input failed: the error's class name and message.

    ``type`` is the name of a :class:`~jixiao_parser.JixiaoError` subclass, or
    ``"InternalError"`` (a bug of ours, with its place), or ``"WorkerDied"``
    (the process parsing the input died: see :func:`parse_many`).
    """

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


def _parse_one(
    source: Source_,
    pdf_backend: str = "auto",
    limits: Limits | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> ParseResult:
    label = _label(source)
    try:
        if isinstance(source, str) and is_url(source):
            max_bytes = (limits or Limits()).max_bytes
            source = read_url(source, max_bytes, storage_options)
        return ParseResult(label, tuple(parse_all(source, pdf_backend=pdf_backend, limits=limits)))
    except JixiaoError as exc:
        return ParseResult(label, error=ErrorRecord(type(exc).__name__, str(exc)))
    except Exception as exc:  # a bug of ours: record it with its place, go on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"{label}: internal error {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        )
        return ParseResult(label, error=ErrorRecord("InternalError", message[:1000]))


def parse_many(
    sources: Iterable[Source_],
    workers: int | None = None,
    on_error: str = "record",
    *,
    pdf_backend: str = "auto",
    limits: Limits | None = None,
    timeout: float | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Generator[ParseResult, None, None]:
    """Parse every source in a pool of processes, yielding results in input order.

    ``workers`` is the number of processes that parse (default: the number of
    cores). With ``workers=1`` and no ``timeout`` the inputs are parsed here,
    one by one, without a pool (nothing then guards against an input that
    crashes the interpreter). At most ``3 × workers ×`` :data:`CHUNK` inputs are
    held at once, so memory stays bounded however long ``sources`` is (it may
    be a generator).

    Every input gets a result: an error, a crash or a hang never stops the
    batch. ``limits`` (a :class:`~jixiao_parser.Limits`) applies to each input;
    ``timeout`` is each input's deadline in seconds (default: the limits'
    ``time_budget``, 300 s): the parser gives up by itself when it can, and
    otherwise the watchdog kills the worker and records
    :class:`~jixiao_parser.ResourceLimitExceeded` for the input. A worker
    that dies records ``WorkerDied`` for its input; a new worker takes its
    place. Sources may be paths, bytes, and fsspec URLs (``s3://…``, with
    ``storage_options`` for the filesystem; needs the ``remote`` extra).

    ``on_error``: ``"record"`` yields failed inputs with their :class:`ErrorRecord`,
    ``"skip"`` leaves them out, ``"raise"`` raises
    :class:`~jixiao_parser.JixiaoError` on the first. ``pdf_backend`` is
    :func:`~jixiao_parser.parse_all`'s (``"auto"``, ``"pdfium"``, ``"pdfminer"``).

    >>> results = list(parse_many(["corpus/seeds/seed_003/003_83db39a3659af481.txt"], workers=1))
    >>> results[0].ok, len(results[0].reports)
    (True, 1)
    >>> list(parse_many(["a.txt"], timeout=0))
    Traceback (most recent call last):
    ...
    ValueError: timeout must be a positive number of seconds, not 0
    """
    if on_error not in ("record", "skip", "raise"):
        msg = f"on_error must be 'record', 'skip' or 'raise', not {on_error!r}"
        raise ValueError(msg)
    check_backend(pdf_backend)
    if workers is not None and workers < 1:
        msg = f"workers must be at least 1, not {workers}"
        raise ValueError(msg)
    if timeout is not None and not timeout > 0:
        msg = f"timeout must be a positive number of seconds, not {timeout:g}"
        raise ValueError(msg)
    limits = limits or Limits()
    if timeout is not None:
        limits = attrs.evolve(limits, time_budget=timeout)
    workers = workers or os.cpu_count() or 1
    parse_one = functools.partial(
        _parse_one,
        pdf_backend=pdf_backend,
        limits=limits,
        storage_options=dict(storage_options) if storage_options else None,
    )
    if workers == 1 and timeout is None:
        results = _serial(sources, parse_one)
    else:
        results = _pooled(sources, workers, parse_one, limits.time_budget)
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


CHUNK = 8  # inputs sent to a worker at once, at most: fewer round trips for small files
GRACE = 1.0  # seconds past the deadline before the watchdog kills: the parser's own
# time budget ends most overruns with a typed error, and costs no new process

_ParseOne = Callable[[Source_], ParseResult]


def _unpickle(data: bytes) -> Any:
    """A message from a worker. Unpickling builds hundreds of objects per
    report, and each cyclic collection it would set off scans every object the
    caller still holds (all its earlier results, say): the collector waits."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if paused:
            gc.enable()


def _work(conn: multiprocessing.connection.Connection, parse_one: _ParseOne, parent: int) -> None:
    """A worker: parse the inputs it is sent, one result message per input.

    It ignores Ctrl-C (the caller stops the pool), and leaves when its
    connection closes or the process that started it is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what a forked worker inherited will not become garbage here
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:
                return
        try:
            task: list[tuple[int, Source_]] | None = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        for index, source in task:
            result = parse_one(source)
            conn.send_bytes(pickle.dumps((index, result), protocol=pickle.HIGHEST_PROTOCOL))


def _context() -> Any:
    """fork where it is safe (Linux): a worker starts in milliseconds with the
    parser already imported; spawn elsewhere."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


@attrs.define
class _Worker:
    process: Any
    conn: multiprocessing.connection.Connection
    pending: deque[tuple[int, Source_]] = attrs.Factory(deque)
    since: float = 0.0  # when the input it is on (pending[0]) started, as far as we know

    @classmethod
    def start(cls, ctx: Any, parse_one: _ParseOne) -> _Worker:
        here, there = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_work, args=(there, parse_one, os.getpid()), daemon=True, name="jixiao-parse"
        )
        process.start()
        there.close()
        return cls(process, here)

    def stop(self) -> None:
        """Kill it (SIGKILL: a worker inside a dependency's loop heeds nothing
        else) and reap it; its exit code stays readable."""
        self.process.kill()
        self.process.join()
        self.conn.close()


def _died(label: str, exitcode: int | None) -> ErrorRecord:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    message = f"{label}: the process parsing it died ({how}); the other inputs went on"
    return ErrorRecord("WorkerDied", message)


def _overtime(label: str, seconds: float) -> ErrorRecord:
    message = (
        f"{label}: parsing took longer than its deadline of {seconds:g} s "
        "(timeout); the process was stopped"
    )
    return ErrorRecord("ResourceLimitExceeded", message)


def _pooled(
    sources: Iterable[Source_],
    workers: int,
    parse_one: _ParseOne = _parse_one,
    deadline: float | None = None,
) -> Iterator[ParseResult]:
    """``workers`` processes, fed a few inputs at a time; results in input
    order; a dead or overdue worker replaced (see the module notes)."""
    ctx = _context()
    inputs = enumerate(sources)
    exhausted = False
    todo: deque[tuple[int, Source_]] = deque()  # taken from ``sources``, not given out
    done: dict[int, ParseResult] = {}
    taken = next_out = 0
    hold = 3 * workers * CHUNK  # inputs taken but not yet yielded, at most
    pool: list[_Worker] = []
    try:
        pool.extend(_Worker.start(ctx, parse_one) for _ in range(workers))
        while True:
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            while not exhausted and taken - next_out < hold:
                item = next(inputs, None)
                if item is None:
                    exhausted = True
                else:
                    todo.append(item)
                    taken += 1
            busy = [w for w in pool if w.pending]
            idle = [w for w in pool if not w.pending]
            for worker in idle:
                if not todo:
                    break
                size = max(1, min(CHUNK, len(todo) // workers))
                chunk = [todo.popleft() for _ in range(min(size, len(todo)))]
                try:
                    worker.conn.send(chunk)
                except OSError:  # it died while idle: nothing of its own is lost
                    todo.extendleft(reversed(chunk))
                    worker.stop()
                    pool[pool.index(worker)] = _Worker.start(ctx, parse_one)
                    continue
                worker.pending.extend(chunk)
                worker.since = time.monotonic()
                busy.append(worker)
            if not busy:
                if exhausted and not todo:
                    return
                continue
            wait = None
            if deadline is not None:
                due = min(w.since for w in busy) + deadline + GRACE
                wait = max(0.0, due - time.monotonic())
            ready = multiprocessing.connection.wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy], wait
            )
            for k, worker in enumerate(pool):
                if not worker.pending:
                    continue
                gone = worker.process.sentinel in ready
                if worker.conn in ready or gone:
                    gone = _receive(worker, done) or gone
                now = time.monotonic()
                overdue = (
                    deadline is not None
                    and bool(worker.pending)
                    and now - worker.since > deadline + GRACE
                )
                if not (gone or overdue):
                    continue
                worker.stop()
                if worker.pending:
                    index, source = worker.pending.popleft()
                    label = _label(source)
                    error = (
                        _overtime(label, deadline)
                        if overdue and deadline is not None and not gone
                        else _died(label, worker.process.exitcode)
                    )
                    done[index] = ParseResult(label, error=error)
                    todo.extendleft(reversed(worker.pending))
                pool[k] = _Worker.start(ctx, parse_one)
    finally:
        for worker in pool:
            worker.stop()


def _receive(worker: _Worker, done: dict[int, ParseResult]) -> bool:
    """Take every result ``worker`` has sent; True when its connection is closed."""
    try:
        while worker.pending and worker.conn.poll():
            index, result = _unpickle(worker.conn.recv_bytes())
            done[index] = result
            if worker.pending and worker.pending[0][0] == index:
                worker.pending.popleft()
            worker.since = time.monotonic()
    except (EOFError, OSError):
        return True
    return False
