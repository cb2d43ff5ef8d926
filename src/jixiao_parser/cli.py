"""The ``jixiao`` command (also ``python -m jixiao_parser``).

``jixiao parse FILE... [--format json|jsonl]`` prints every form found, as a
JSON array (``json``, the default) or one object per line (``jsonl``). A file
that cannot be read is reported on stderr with its name and reason; the
other files are still parsed, and the exit code is 1.

``jixiao check FILE...|DIR [--format table|json]`` prints one line per failed
check (file#form, project, code, message) and exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__
from .api import parse_all
from .errors import JixiaoError, UnsupportedFormat

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Parse Chinese budget performance self-evaluation forms (绩效自评表).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="print every form found in FILE... as jixiao/1 JSON")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("json", "jsonl"), default="json")
    c = sub.add_parser(
        "check", help="list the forms whose checks fail, in FILE... or the files under DIR"
    )
    c.add_argument("paths", nargs="+", metavar="FILE|DIR")
    c.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def _files(paths: Sequence[str]) -> list[tuple[str, bool]]:
    """(file, named on the command line?): files named, and every file under a
    directory named (sorted; hidden ones skipped)."""
    out: list[tuple[str, bool]] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(
                    (os.path.join(root, n), False) for n in sorted(names) if not n.startswith(".")
                )
        else:
            out.append((p, True))
    return out


def _parse_command(files: Sequence[str], fmt: str) -> int:
    reports: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            found = parse_all(path)
        except JixiaoError as exc:
            print(f"jixiao: {exc}", file=sys.stderr)
            failed = True
            continue
        if not found:
            print(f"jixiao: {path}: no self-evaluation form found", file=sys.stderr)
        if fmt == "jsonl":
            for report in found:
                sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        else:
            reports.extend(r.to_dict() for r in found)
    if fmt == "json":
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2) + "\n")
    return 1 if failed else 0


def _check_command(paths: Sequence[str], fmt: str) -> int:
    rows: list[dict[str, Any]] = []
    errors = skipped = forms = 0
    for path, named in _files(paths):
        try:
            found = parse_all(path)
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
                    rows.append({
                        "path": path,
                        "form_index": report.source.form_index,
                        "project_name": report.header.project_name,
                        **check.to_dict(),
                    })  # fmt: skip
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rows:
            name = row["project_name"] or "-"
            print(f"{row['path']}#{row['form_index']}\t{name}\t{row['code']}\t{row['message']}")
        failing = len({(r["path"], r["form_index"]) for r in rows})
        print(f"{forms} forms checked, {failing} with failed checks, {len(rows)} failed checks"
              + (f", {errors} files unreadable" if errors else "")
              + (f", {skipped} files of no known format skipped" if skipped else ""),
              file=sys.stderr)  # fmt: skip
    return 1 if rows or errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    ``parse``: 0, or 1 when a file could not be read. ``check``: 0 when every
    check of every form passes, 1 when any fails or a file could not be read.
    Usage errors exit 2.

    >>> main(["parse", "../shared/seeds/000_f4fd78449f7adfd3.txt"])  # doctest: +SKIP
    0
    """
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check_command(args.paths, args.format)
    return _parse_command(args.files, args.format)
