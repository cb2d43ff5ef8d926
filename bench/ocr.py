#!/usr/bin/env python
"""OCR of scanned forms: seconds per page, peak RSS, and the share of fields equal
to the golden on scan renditions of the corpus PDFs.

    python bench/ocr.py                     # every corpus PDF (63 pages: 5-10 minutes)
    python bench/ocr.py --cases 5           # the first five cases
    python bench/ocr.py --seal grey --dpi 150
    python bench/ocr.py --only seed_003 multi_form --show

Needs the ``[ocr]`` extra. For each ``corpus/renditions/<case>/<case>.pdf`` a scan
rendition is made in memory (``tools/render/scans.py``: rendered at ``--dpi``,
turned up to ±1.5°, blurred, noised, JPEG quality 60–70, a seal over the table,
wrapped as an image-only PDF), then ``parse_all`` reads it from bytes; only the
parse is timed, in seconds and in CPU seconds (all threads; the wall time
is noisy on a shared machine). The share counts the fields of the case's golden reports that the
scan's reports have, equal, at the same place (``tests/shape_share.py``: ``source``,
locations, diagnostics and leftover text left out, whitespace ignored). Peak RSS
is this process's (the OCR models loaded once). Target: at most 4 s per page on
this 2-core machine. The exit code is always 0: this is a report, not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

from render.scans import scan_pdf  # noqa: E402

from jixiao_parser import parse_all  # noqa: E402
from jixiao_parser.readers.ocr import available  # noqa: E402
from shape_share import field_counts  # noqa: E402

RENDITIONS = ROOT / "corpus" / "renditions"
TARGET = 4.0


def expected(case: Path) -> list[dict[str, object]]:
    """The golden reports of a rendition folder's source case(s)."""
    spec = json.loads((case / "layout.json").read_text(encoding="utf-8"))["source"]
    out = []
    for part in spec.split("+"):
        golden = ROOT / part.strip() / "golden.json"
        out.extend(json.loads(golden.read_text(encoding="utf-8")))
    return out


def cases() -> list[Path]:
    return [p.parent for p in sorted(RENDITIONS.glob("*/*.pdf")) if p.stem == p.parent.name]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=0, help="only the first N cases")
    ap.add_argument("--only", nargs="+", default=(), metavar="CASE", help="only these cases")
    ap.add_argument("--dpi", type=float, default=200)
    ap.add_argument("--seal", choices=("red", "grey"), default="red")
    ap.add_argument("--show", action="store_true", help="print each differing field")
    args = ap.parse_args(argv)
    if not available():
        print('the [ocr] extra is not installed (pip install -e ".[ocr]")')
        return 0
    chosen = [c for c in cases() if not args.only or c.name in args.only][: args.cases or None]
    total_same = total_fields = total_pages = 0
    total_secs = total_cpu = 0.0
    print(f"{'case':<34} {'pages':>5} {'s/page':>7} {'cpu/page':>8} {'fields':>7} {'equal':>7}")
    for case in chosen:
        scan = scan_pdf(case / f"{case.name}.pdf", case.name, dpi=args.dpi, seal=args.seal)
        start, cpu = time.perf_counter(), time.process_time()
        try:
            reports = parse_all(scan)
            got = [r.to_dict() for r in reports]
            pages = max((r.source.pages or (1, 1))[1] for r in reports) if reports else 1
        except Exception as exc:  # a report, not a test: show and go on
            print(f"{case.name:<34} ERROR {type(exc).__name__}: {exc}")
            continue
        secs, cpu = time.perf_counter() - start, time.process_time() - cpu
        want = expected(case)
        same, fields = field_counts(got, want)
        total_same, total_fields = total_same + same, total_fields + fields
        total_pages, total_secs = total_pages + pages, total_secs + secs
        total_cpu += cpu
        print(
            f"{case.name:<34} {pages:>5} {secs / pages:>7.2f} {cpu / pages:>8.2f}"
            f" {fields:>7} {same / fields:>7.1%}"
        )
        if args.show:
            _show(got, want)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per = max(total_pages, 1)
    print(
        f"\n{len(chosen)} cases, {total_pages} pages: {total_secs / per:.2f} s/page"
        f" (target <= {TARGET:g}), CPU {total_cpu / per:.2f} s/page,"
        f" fields equal to the golden {total_same}/{total_fields}"
        f" = {total_same / max(total_fields, 1):.1%}, peak RSS {rss:.0f} MiB"
    )
    return 0


def _show(got: list[dict[str, object]], want: list[dict[str, object]]) -> None:
    from shape_share import leaves

    have = dict(leaves(got))
    for path, value in leaves(want):
        if have.get(path, "<missing>") != value:
            print(f"    {path}: {have.get(path, '<missing>')!r} != {value!r}")


if __name__ == "__main__":
    sys.exit(main())
