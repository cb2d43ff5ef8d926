"""The ``jixiao`` command (also ``python -m jixiao_parser``).

``jixiao parse PATH... [-r] [-j N] [--format json|jsonl|csv|parquet|xlsx] [-o OUT]``
parses files, directories, globs, fsspec URLs (``s3://…``, with the
``remote`` extra) and ``-`` (standard input) in a pool of processes and writes
every form found: a JSON array (``json``, the default), one object per line
(``jsonl``), the rows of one table (``csv``, ``parquet``; ``--table
indicators|funding|forms|checks|diagnostics``, see ``docs/schema.md``) or an
Excel workbook with a sheet per table (``xlsx``; ``--zh-headers`` for Chinese
column headers). A CSV file written with ``-o`` starts with a UTF-8 byte order
mark (``--no-bom``: none); on standard output it is plain UTF-8.

Every file is accounted for: a file that cannot be read, or holds no form
(``NotAForm``), is reported on stderr (or as a JSON record in ``--errors``,
written as it happens) with its name and reason, the others are still parsed,
and the exit code is 1. An empty directory or a glob that matches nothing is
a usage error (exit 2), as are bad options, an output that cannot be written
and a missing optional package: all checked before parsing starts.
``--timeout`` and ``--max-bytes``/``--max-pages``/``--max-cells`` limit each
file (see :class:`~jixiao_parser.Limits`).

A progress bar (tqdm) shows on a terminal; a summary closes the run. Ctrl-C
stops the pool and exits 130, leaving valid partial output: complete JSONL
lines, or a JSON / CSV / Parquet / XLSX file of the forms parsed so far (written to a
temporary file, then renamed), and ``--errors`` with what failed so far. A
closed pipe (``jixiao parse … | head``) ends the run quietly (exit 141).

``jixiao schema`` prints the JSON Schema of the ``jixiao/1`` output.

``--pdf-backend auto|pdfium|pdfminer`` (both commands) chooses what reads PDFs.

``jixiao check PATH... [-j N] [--format table|json]`` prints one line per
failed check (file#form, project, code, message) and exits 1 when any check
fails or a file could not be read.

``jixiao report PATH... [-r] [-j N] -o audit.html [--charts DIR]`` writes a
self-contained HTML audit page of the forms (:mod:`jixiao_parser.report`; needs
the ``report`` extra) and exits 1 when a file could not be read.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Generator, Sequence
from typing import IO, Any

from tqdm import tqdm

from . import __version__
from .api import Source_
from .errors import JixiaoError, NotAForm
from .export import to_csv, write_csv, write_parquet, write_xlsx
from .limits import Limits
from .model import Report
from .pipeline import ParseResult, parse_many
from .readers import BACKENDS
from .schema import json_schema
from .sources import NamedBytes, expand
from .tables import TABLES

__all__ = ["main"]

STDIN = "<stdin>"  # the name standard input goes by in records and reports


class UsageError(Exception):
    """A mistake in the command line, found before parsing starts (exit 2)."""


def _jobs(text: str) -> int:
    return _count(text, "a whole number of processes")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        msg = f"must be a positive number of seconds, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


_SIZE = re.compile(r"^\s*(\d+)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def _size(text: str) -> int:
    """Bytes: ``5000000``, ``512K``, ``50M``, ``2G`` (powers of 1024)."""
    match = _SIZE.match(text)
    if not match or int(match[1]) < 1:
        msg = f"must be a positive size in bytes (e.g. 50M, 2G), not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(match[1]) * _UNITS[match[2].lower()]


def _count(text: str, what: str = "a whole number") -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"must be {what}, at least 1, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Parse Chinese budget performance self-evaluation forms (绩效自评表).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse files, directories or globs into jixiao/1 records")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a file, a directory, a glob, a URL (s3://…, needs the remote extra), - for stdin",
    )
    p.add_argument("-r", "--recursive", action="store_true", help="descend into subdirectories")
    _batch_options(p)
    p.add_argument("--format", choices=("json", "jsonl", "csv", "parquet", "xlsx"), default="json")
    p.add_argument(
        "--table",
        choices=tuple(TABLES),
        default="indicators",
        help="which rows csv/parquet hold (default: indicators; xlsx holds them all)",
    )
    p.add_argument(
        "--zh-headers", action="store_true", help="xlsx: Chinese column headers and sheet names"
    )
    p.add_argument(
        "--no-bom", action="store_true", help="csv: no UTF-8 byte order mark in the -o file"
    )
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument(
        "--errors", help="write one JSON record per failed file here, as failures happen"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    _pdf_backend_option(p)
    c = sub.add_parser(
        "check", help="list the forms whose checks fail, in FILE... or the files under DIR"
    )
    c.add_argument("paths", nargs="+", metavar="PATH", help="a file, a directory, a glob, a URL")
    c.add_argument("--format", choices=("table", "json"), default="table")
    _batch_options(c)
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _pdf_backend_option(c)
    sub.add_parser("schema", help="print the JSON Schema of the jixiao/1 output")
    _report_parser(sub)
    return parser


def _report_parser(sub: Any) -> None:
    r = sub.add_parser(
        "report", help="write a self-contained HTML audit page of the forms in PATH..."
    )
    r.add_argument("paths", nargs="+", metavar="PATH", help="a file, a directory, a glob, a URL")
    r.add_argument("-r", "--recursive", action="store_true", help="descend into subdirectories")
    _batch_options(r)
    r.add_argument("-o", "--output", required=True, help="the HTML file to write")
    r.add_argument("--charts", metavar="DIR", help="also write each chart as SVG and PNG here")
    r.add_argument("--title", help="the page's heading")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    _pdf_backend_option(r)


def _batch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        help="processes that parse (default: all cores)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="give up on a file after this long (default: 300)",
    )
    parser.add_argument(
        "--max-bytes", type=_size, metavar="SIZE", help="largest file read (default: 256M)"
    )
    parser.add_argument(
        "--max-pages", type=_count, metavar="N", help="most PDF pages read (default: 3000)"
    )
    parser.add_argument(
        "--max-cells",
        type=_count,
        metavar="N",
        help="most table cells in one document (default: 2000000)",
    )


def _pdf_backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pdf-backend",
        choices=("auto", *BACKENDS),
        default="auto",
        help="what reads PDFs (default auto: pdfium when pypdfium2 is installed, else pdfminer)",
    )


def _limits(args: argparse.Namespace) -> Limits:
    """The default limits, with those the command line sets."""
    given = {
        "max_bytes": args.max_bytes,
        "max_pages": args.max_pages,
        "max_cells": args.max_cells,
        "time_budget": args.timeout,
    }
    return Limits(**{name: value for name, value in given.items() if value})


def _inputs(
    paths: Sequence[str], recursive: bool, limits: Limits
) -> list[tuple[Source_, str, bool]]:
    """(source, name, named on the command line?) for every file to parse:
    files named, globs and URLs expanded, the files of a directory named, and
    standard input for ``-``. An empty directory, a glob matching nothing, or
    a second ``-`` is a :class:`UsageError`."""
    out: list[tuple[Source_, str, bool]] = []
    stdin_taken = False
    for name in paths:
        if name == "-":
            if stdin_taken:
                raise UsageError("- (standard input) is named twice")
            stdin_taken = True
            stream = sys.stdin.buffer
            limit = limits.max_bytes
            data = stream.read() if limit is None else stream.read(limit + 1)
            out.append((NamedBytes(data, STDIN), STDIN, True))
            continue
        try:
            found = expand(name, recursive=recursive)
        except JixiaoError as exc:  # a URL without fsspec/s3fs, a listing refused
            raise UsageError(str(exc)) from exc
        if found.kind == "dir" and not found.files:
            raise UsageError(f"{name}: the directory holds no files")
        if found.kind == "glob" and not found.files:
            raise UsageError(f"{name}: no file matches")
        named = found.kind == "file"
        out.extend((f, f, named) for f in found.files)
    return out


def _writable_dir(path: str) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory")
    if not os.path.isdir(folder):
        raise UsageError(f"{path}: no such directory: {folder}")
    return folder


def _open_text(path: str, what: str) -> IO[str]:
    _writable_dir(path)
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write {what}: {exc.strerror or exc}") from exc


class _Replacing:
    """An output file written whole at the end: a temporary file beside it,
    made at the start (so an unwritable place is found before parsing), and
    renamed over it when complete. Nothing is left at ``path`` half written."""

    def __init__(self, path: str) -> None:
        folder = _writable_dir(path)
        base = os.path.basename(path)
        try:
            fd, self.temp = tempfile.mkstemp(dir=folder, prefix=f".{base}.", suffix=".part")
        except OSError as exc:
            raise UsageError(f"{path}: cannot write the output: {exc.strerror or exc}") from exc
        os.close(fd)
        self.path = path

    def commit(self) -> None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temp, 0o666 & ~umask)  # as an ordinary new file; mkstemp made it 0600
        os.replace(self.temp, self.path)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def _check_dependencies(args: argparse.Namespace) -> None:
    if args.format in ("parquet", "xlsx") and (not args.output or args.output == "-"):
        raise UsageError(f"--format {args.format} needs -o FILE")
    if args.format == "parquet":
        if importlib.util.find_spec("pyarrow") is None:
            raise UsageError("--format parquet needs pyarrow: pip install 'jixiao_parser[parquet]'")


class _Progress:
    """A tqdm bar on stderr when it is a terminal (and not ``--quiet``);
    messages go above the bar, or plainly to stderr without one."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.shown = not quiet and sys.stderr.isatty()
        tqdm.monitor_interval = 0  # no monitor thread: the pool forks
        self.bar = tqdm(
            total=total,
            unit="file",
            file=sys.stderr,
            disable=not self.shown,
            dynamic_ncols=True,
            leave=False,
        )

    def say(self, message: str) -> None:
        if self.shown:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def step(self, forms: int) -> None:
        self.bar.update(1)
        if self.shown:
            self.bar.set_postfix(forms=forms, refresh=False)

    def close(self) -> None:
        self.bar.close()


def _results(
    args: argparse.Namespace, inputs: list[tuple[Source_, str, bool]]
) -> Generator[tuple[ParseResult, bool], None, None]:
    limits = _limits(args)
    results = parse_many(
        [source for source, _, _ in inputs],
        workers=args.jobs,
        pdf_backend=args.pdf_backend,
        limits=limits,
        # always a deadline, so always worker processes (-j 1 too): a file that
        # crashes or hangs a dependency costs itself, never the run
        timeout=limits.time_budget,
    )
    try:
        for result, (_, _, named) in zip(results, inputs, strict=True):
            yield result, named
    finally:
        results.close()  # stops the pool now, not when collected


def _failure(result: ParseResult) -> dict[str, Any] | None:
    """The error record of a result: its error, or ``NotAForm`` for a file read
    whole that holds no form; None for a file with forms."""
    if result.error is not None:
        return {"path": result.path, **result.error.to_dict()}
    if not result.reports:
        error = NotAForm(result.path, "no self-evaluation form found")
        return {"path": result.path, "type": "NotAForm", "message": str(error)}
    return None


def _parse_command(args: argparse.Namespace) -> int:
    _check_dependencies(args)
    limits = _limits(args)
    inputs = _inputs(args.paths, args.recursive, limits)
    to_stdout = not args.output or args.output == "-"
    stream: IO[str] | None = None
    whole: _Replacing | None = None
    errors: IO[str] | None = None
    try:
        if args.format == "jsonl":
            stream = sys.stdout if to_stdout else _open_text(args.output, "the output")
        elif not to_stdout:
            whole = _Replacing(args.output)
        if args.errors:
            errors = _open_text(args.errors, "the error records")
        return _run_parse(args, inputs, stream, whole, errors)
    finally:
        if whole is not None:
            whole.discard()  # a no-op once renamed
        if stream is not None and stream is not sys.stdout:
            stream.close()
        if errors is not None:
            errors.close()


def _run_parse(
    args: argparse.Namespace,
    inputs: list[tuple[Source_, str, bool]],
    stream: IO[str] | None,
    whole: _Replacing | None,
    errors: IO[str] | None,
) -> int:
    reports: list[Report] = []
    failures: Counter[str] = Counter()
    n_forms = n_done = n_failed = 0
    progress = _Progress(len(inputs), args.quiet)
    interrupted = False
    try:
        with contextlib.closing(_results(args, inputs)) as results:
            for result, named in results:
                n_done += 1
                record = _failure(result)
                if record is not None:
                    if record["type"] == "UnsupportedFormat" and not named:
                        failures["skipped (no known format)"] += 1  # a .png in a folder
                    else:
                        failures[record["type"]] += 1
                        n_failed += 1
                        if errors is not None:
                            errors.write(json.dumps(record, ensure_ascii=False) + "\n")
                            errors.flush()
                        else:
                            progress.say(f"jixiao: {record['message']}")
                n_forms += len(result.reports)
                if stream is not None:
                    lines = [
                        json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in result.reports
                    ]
                    stream.write("".join(lines))
                    stream.flush()
                else:
                    reports.extend(result.reports)
                progress.step(n_forms)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        progress.close()
    if stream is None:
        try:
            _write_whole(args, reports, whole)
        except JixiaoError as exc:  # a figure the table cannot hold (TableError): nothing written
            print(f"jixiao: {exc}", file=sys.stderr)
            return 1
    if not args.quiet or interrupted:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(failures.items()))
        counted = f"{n_done} of {len(inputs)}" if interrupted else f"{len(inputs)}"
        print(
            ("jixiao: interrupted; " if interrupted else "")
            + f"{counted} files, {n_forms} forms"
            + (f"; {kinds}" if kinds else ""),
            file=sys.stderr,
        )
    if interrupted:
        return 130
    return 1 if n_failed else 0


def _write_whole(args: argparse.Namespace, reports: list[Report], whole: _Replacing | None) -> None:
    """The JSON, CSV, Parquet or XLSX output, from every form parsed (so far)."""
    if args.format in ("parquet", "xlsx") or (args.format == "csv" and whole is not None):
        assert whole is not None
        if args.format == "parquet":
            write_parquet(reports, whole.temp, args.table)
        elif args.format == "xlsx":
            write_xlsx(reports, whole.temp, chinese_headers=args.zh_headers)
        else:  # a CSV file: with a byte order mark for Excel, unless --no-bom
            write_csv(reports, whole.temp, args.table, bom=not args.no_bom)
        whole.commit()
        return
    if args.format == "json":
        text = json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_csv(reports, args.table)
    if whole is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with open(whole.temp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    whole.commit()


def _check_command(args: argparse.Namespace) -> int:
    inputs = _inputs(args.paths, True, _limits(args))
    rows: list[dict[str, Any]] = []
    failures = skipped = forms = 0
    progress = _Progress(len(inputs), args.quiet)
    results = _results(args, inputs)
    try:
        for result, named in results:
            record = _failure(result)
            if record is not None:
                if record["type"] == "UnsupportedFormat" and not named:
                    skipped += 1  # a file in a directory that is no document (.json, .png …)
                else:
                    progress.say(f"jixiao: {record['message']}")
                    failures += 1
            for report in result.reports:
                forms += 1
                for check in report.checks:
                    if not check.ok:
                        rows.append(
                            {
                                "path": result.path,
                                "form_index": report.source.form_index,
                                "project_name": report.header.project_name,
                                **check.to_dict(),
                            }
                        )
            progress.step(forms)
    finally:
        progress.close()
        results.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rows:
            name = row["project_name"] or "-"
            print(f"{row['path']}#{row['form_index']}\t{name}\t{row['code']}\t{row['message']}")
        failing = len({(r["path"], r["form_index"]) for r in rows})
        print(
            f"{forms} forms checked, {failing} with failed checks, {len(rows)} failed checks"
            + (f", {failures} files unreadable or without a form" if failures else "")
            + (f", {skipped} files of no known format skipped" if skipped else ""),
            file=sys.stderr,
        )
    sys.stdout.flush()
    return 1 if rows or failures else 0


def _silence_stdout() -> None:
    """After a closed pipe: send what is left for stdout nowhere, so that the
    interpreter's last flush does not complain."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _report_command(args: argparse.Namespace) -> int:
    """Parse the files, write the audit page (and the charts); 1 when a file failed."""
    from .report import DEFAULT_TITLE, build, render_page, write_charts

    inputs = _inputs(args.paths, args.recursive, _limits(args))
    reports: list[Report] = []
    failures: list[ParseResult] = []
    skipped = 0
    progress = _Progress(len(inputs), args.quiet)
    try:
        with contextlib.closing(_results(args, inputs)) as results:
            for result, named in results:
                if result.error is None:
                    reports.extend(result.reports)
                elif result.error.type == "UnsupportedFormat" and not named:
                    skipped += 1  # a file in a directory that is no document (.json, .png …)
                else:
                    failures.append(result)
                    progress.say(f"jixiao: {result.error.message}")
                progress.step(len(reports))
    finally:
        progress.close()
    data = build(reports, failures, files=len(inputs) - skipped)
    try:
        page = render_page(data, args.title or DEFAULT_TITLE)
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(page)
        if args.charts:
            write_charts(data, args.charts)
    except (JixiaoError, OSError) as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        s = data.summary
        print(
            f"{s.files} files, {s.forms} forms, {s.failing_forms} with failed checks"
            + (f", {s.failed_files} files failed" if s.failed_files else "")
            + f"; wrote {args.output}",
            file=sys.stderr,
        )
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    ``parse``: 0, or 1 when a file could not be read or holds no form.
    ``check``: 0 when every check of every form passes, 1 when any fails or a
    file could not be read. ``report``: 0, or 1 when a file could not be read
    (the page is written), 2 when the page cannot be (a missing extra, an
    unwritable file). Usage errors exit 2, Ctrl-C 130, a closed output pipe 141
    (as a program stopped by SIGPIPE).

    >>> main(["parse", "forms/", "-o", "forms.json", "--errors", "failed.jsonl"])  # doctest: +SKIP
    0
    >>> main(["parse", "corpus/seeds/*.pdf"])  # stderr: no file matches
    2
    """
    try:
        args = _parser().parse_args(argv)
        if args.command == "schema":
            sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
            return 0
        try:
            if args.command == "check":
                return _check_command(args)
            if args.command == "report":
                return _report_command(args)
            return _parse_command(args)
        except UsageError as exc:
            print(f"jixiao: {exc}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        print("jixiao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
