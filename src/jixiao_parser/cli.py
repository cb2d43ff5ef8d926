"""The ``jixiao`` command (also ``python -m jixiao_parser``).

``jixiao parse PATH... [-r] [-j N] [--format json|jsonl|csv|parquet|xlsx] [-o OUT]``
parses files, directories and globs in a process pool and writes every form
found: a JSON array (``json``, the default), one object per line (``jsonl``),
the rows of one table (``csv``, ``parquet``; ``--table indicators|funding|forms|
checks|diagnostics``, see ``docs/schema.md``) or an Excel workbook with a sheet
per table (``xlsx``; ``--zh-headers`` for Chinese column headers). A CSV file
written with ``-o`` starts with a UTF-8 byte order mark (``--no-bom``: none);
on standard output it is plain UTF-8. A file that
cannot be read is reported on stderr (or as a JSON record in ``--errors``)
with its name and reason; the others are still parsed, and the exit code is
1. A progress bar shows on a terminal; a summary closes the run.

``jixiao schema`` prints the JSON Schema of the ``jixiao/1`` output.

``--pdf-backend auto|pdfium|pdfminer`` (both commands) chooses what reads PDFs.

``jixiao check FILE...|DIR [--format table|json]`` prints one line per failed
check (file#form, project, code, message) and exits 1 when any check fails.

``jixiao report PATH... [-r] [-j N] -o audit.html [--charts DIR]`` writes a
self-contained HTML audit page of the forms (:mod:`jixiao_parser.report`; needs
the ``report`` extra) and exits 1 when a file could not be read.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from . import __version__
from .api import parse_all
from .errors import JixiaoError, UnsupportedFormat
from .export import to_csv, write_csv, write_parquet, write_xlsx
from .model import Report
from .pipeline import ParseResult, parse_many
from .readers.pdf import BACKENDS
from .schema import json_schema
from .tables import TABLES

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Parse Chinese budget performance self-evaluation forms (绩效自评表).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse files, directories or globs into jixiao/1 records")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file, a directory or a glob")
    p.add_argument("-r", "--recursive", action="store_true", help="descend into subdirectories")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="processes that parse, this one included (default: all cores)",
    )
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
    p.add_argument("--errors", help="write one JSON record per failed file here")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    _pdf_backend_option(p)
    c = sub.add_parser(
        "check", help="list the forms whose checks fail, in FILE... or the files under DIR"
    )
    c.add_argument("paths", nargs="+", metavar="FILE|DIR")
    c.add_argument("--format", choices=("table", "json"), default="table")
    _pdf_backend_option(c)
    sub.add_parser("schema", help="print the JSON Schema of the jixiao/1 output")
    _report_parser(sub)
    return parser


def _report_parser(sub: Any) -> None:
    r = sub.add_parser(
        "report", help="write a self-contained HTML audit page of the forms in PATH..."
    )
    r.add_argument("paths", nargs="+", metavar="PATH", help="a file, a directory or a glob")
    r.add_argument("-r", "--recursive", action="store_true", help="descend into subdirectories")
    r.add_argument("-j", "--jobs", type=int, default=None, help="processes that parse")
    r.add_argument("-o", "--output", required=True, help="the HTML file to write")
    r.add_argument("--charts", metavar="DIR", help="also write each chart as SVG and PNG here")
    r.add_argument("--title", help="the page's heading")
    r.add_argument("-q", "--quiet", action="store_true", help="no summary")
    _pdf_backend_option(r)


def _pdf_backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pdf-backend",
        choices=("auto", *BACKENDS),
        default="auto",
        help="what reads PDFs (default auto: pdfium when pypdfium2 is installed, else pdfminer)",
    )


def _files(paths: Sequence[str], recursive: bool = True) -> list[tuple[str, bool]]:
    """(file, named on the command line?): files named, globs expanded, and the
    files in a directory named (all levels with ``recursive``; sorted; hidden
    ones skipped)."""
    out: list[tuple[str, bool]] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
                out.extend(
                    (os.path.join(root, n), False) for n in sorted(names) if not n.startswith(".")
                )
        elif not os.path.exists(p) and glob.has_magic(p):
            out.extend(
                (m, False) for m in sorted(glob.glob(p, recursive=recursive)) if os.path.isfile(m)
            )
        else:
            out.append((p, True))
    return out


def _parse_command(args: argparse.Namespace) -> int:
    files = _files(args.paths, args.recursive)
    if args.format in ("parquet", "xlsx") and not args.output:
        print(f"jixiao: --format {args.format} needs -o FILE", file=sys.stderr)
        return 2
    progress = not args.quiet and sys.stderr.isatty()
    reports: list[Report] = []
    failures: Counter[str] = Counter()
    records: list[dict[str, Any]] = []
    n_forms = 0
    out = (
        open(args.output, "w", encoding="utf-8", newline="")
        if args.output and args.format in ("json", "jsonl")
        else sys.stdout
    )
    try:
        named = dict(files)
        for k, result in enumerate(
            parse_many([f for f, _ in files], workers=args.jobs, pdf_backend=args.pdf_backend),
            start=1,
        ):
            if progress:
                print(f"\r{k}/{len(files)} files, {n_forms} forms", end="", file=sys.stderr)
            if result.error is not None:
                if result.error.type == "UnsupportedFormat" and not named.get(result.path, True):
                    failures["skipped (no known format)"] += 1
                    continue
                failures[result.error.type] += 1
                records.append({"path": result.path, **result.error.to_dict()})
                if not args.errors:
                    print(
                        f"\njixiao: {result.error.message}"
                        if progress
                        else f"jixiao: {result.error.message}",
                        file=sys.stderr,
                    )
                continue
            n_forms += len(result.reports)
            if args.format == "jsonl":
                for report in result.reports:
                    out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            else:
                reports.extend(result.reports)
        if args.format == "json":
            out.write(
                json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n"
            )
        elif args.format == "csv" and args.output:
            write_csv(reports, args.output, args.table, bom=not args.no_bom)
        elif args.format == "csv":
            out.write(to_csv(reports, args.table))
        elif args.format == "parquet":
            write_parquet(reports, args.output, args.table)
        elif args.format == "xlsx":
            write_xlsx(reports, args.output, chinese_headers=args.zh_headers)
    except JixiaoError as exc:  # a report that does not fit the format (TableError)
        print(f"jixiao: {exc}", file=sys.stderr)
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if progress:
        print(file=sys.stderr)
    if not args.quiet:
        failed = ", ".join(f"{n} {kind}" for kind, n in sorted(failures.items()))
        print(
            f"{len(files)} files, {n_forms} forms" + (f"; {failed}" if failed else ""),
            file=sys.stderr,
        )
    return 1 if records else 0


def _check_command(paths: Sequence[str], fmt: str, pdf_backend: str = "auto") -> int:
    rows: list[dict[str, Any]] = []
    errors = skipped = forms = 0
    for path, named in _files(paths):
        try:
            found = parse_all(path, pdf_backend=pdf_backend)
        except UnsupportedFormat as exc:
            if named:
                print(f"jixiao: {exc}", file=sys.stderr)
                errors += 1
            else:
                skipped += 1  # a file in a directory that is no document (.json, .png …)
            continue
        except JixiaoError as exc:
            print(f"jixiao: {exc}", file=sys.stderr)
            errors += 1
            continue
        for report in found:
            forms += 1
            for check in report.checks:
                if not check.ok:
                    rows.append(
                        {
                            "path": path,
                            "form_index": report.source.form_index,
                            "project_name": report.header.project_name,
                            **check.to_dict(),
                        }
                    )
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rows:
            name = row["project_name"] or "-"
            print(f"{row['path']}#{row['form_index']}\t{name}\t{row['code']}\t{row['message']}")
        failing = len({(r["path"], r["form_index"]) for r in rows})
        print(
            f"{forms} forms checked, {failing} with failed checks, {len(rows)} failed checks"
            + (f", {errors} files unreadable" if errors else "")
            + (f", {skipped} files of no known format skipped" if skipped else ""),
            file=sys.stderr,
        )
    return 1 if rows or errors else 0


def _report_command(args: argparse.Namespace) -> int:
    """Parse the files, write the audit page (and the charts); 1 when a file failed."""
    from .report import DEFAULT_TITLE, build, render_page, write_charts

    files = _files(args.paths, args.recursive)
    named = dict(files)
    reports: list[Report] = []
    failures: list[ParseResult] = []
    skipped = 0
    for result in parse_many(
        [f for f, _ in files], workers=args.jobs, pdf_backend=args.pdf_backend
    ):
        if result.error is None:
            reports.extend(result.reports)
        elif result.error.type == "UnsupportedFormat" and not named.get(result.path, True):
            skipped += 1  # a file in a directory that is no document (.json, .png …)
        else:
            failures.append(result)
            print(f"jixiao: {result.error.message}", file=sys.stderr)
    data = build(reports, failures, files=len(files) - skipped)
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

    ``parse``: 0, or 1 when a file could not be read. ``check``: 0 when every
    check of every form passes, 1 when any fails or a file could not be read.
    ``report``: 0, or 1 when a file could not be read (the page is written),
    2 when the page cannot be (a missing extra, an unwritable file).
    Usage errors exit 2.

    >>> main(["parse", "../shared/seeds/000_f4fd78449f7adfd3.txt"])  # doctest: +SKIP
    0
    """
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check_command(args.paths, args.format, args.pdf_backend)
    if args.command == "report":
        return _report_command(args)
    if args.command == "schema":
        sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
        return 0
    return _parse_command(args)
