"""The ``jixiao`` command (also ``python -m jixiao_parser``).

``jixiao parse FILE... [--format json|jsonl]`` prints every form found, as a
JSON array (``json``, the default) or one object per line (``jsonl``). A file
that cannot be read is reported on stderr with its name and reason; the
other files are still parsed, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__
from .api import parse_all
from .errors import JixiaoError

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 a file failed, 2 usage).

    >>> main(["parse", "../shared/seeds/000_f4fd78449f7adfd3.txt"])  # doctest: +SKIP
    0
    """
    args = _parser().parse_args(argv)
    reports: list[dict[str, Any]] = []
    failed = False
    for path in args.files:
        try:
            found = parse_all(path)
        except JixiaoError as exc:
            print(f"jixiao: {exc}", file=sys.stderr)
            failed = True
            continue
        if not found:
            print(f"jixiao: {path}: no self-evaluation form found", file=sys.stderr)
        if args.format == "jsonl":
            for report in found:
                sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        else:
            reports.extend(r.to_dict() for r in found)
    if args.format == "json":
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2) + "\n")
    return 1 if failed else 0
