#!/usr/bin/env python
"""Audit page at scale: size and load time of ``jixiao report`` over 2,000 forms.

    python bench/report.py                 # 2,000 forms, best of 3 loads
    python bench/report.py --forms 5000 --reps 5
    python bench/report.py --keep out.html # also keep the page

Every file of ``corpus/`` is parsed once; its forms are then repeated (each
copy under its own path, ``copyN/…``) until there are ``--forms`` of them, and
the page is rendered from those reports (so the time to parse 2,000 files is
not part of it). Prints the time to render, the page's size (target: under
10 MB) and the time headless Chromium takes to load it (navigation start to
the end of the load event, scripts run and the table ready; target: under
3 s), best of ``--reps`` loads, each in a fresh tab. Needs the ``report``
extra, Playwright and Debian's ``chromium`` (``/usr/bin/chromium`` or
``JIXIAO_CHROMIUM``). The exit code is always 0: this is a report, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "tests"))

from chromium import chromium_context  # noqa: E402
from jixiao_parser import Report, parse_many  # noqa: E402
from jixiao_parser.report import render  # noqa: E402

SIZE_TARGET = 10 * 1000 * 1000  # bytes
LOAD_TARGET = 3.0  # seconds


def _replicated(reports: list[Report], n: int) -> list[Report]:
    out: list[Report] = []
    copy = 0
    while len(out) < n:
        for r in reports[: n - len(out)]:
            path = f"copy{copy}/{r.source.path}"
            out.append(attrs.evolve(r, source=attrs.evolve(r.source, path=path)))
        copy += 1
    return out


def _load_times(url: str, reps: int) -> list[tuple[float, float, float, int]]:
    """Per load: seconds to the end of the load event, to the first paint, to
    show the table once scrolled to; and the rows the page holds."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p, chromium_context(p) as context:
        for _ in range(reps):
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda r, seen=requests: seen.append(r.url))
            page.goto(url, wait_until="load", timeout=60_000)
            load = page.evaluate(
                "() => { const t = performance.getEntriesByType('navigation')[0];"
                " return t.loadEventEnd - t.startTime; }"
            )
            paint = page.evaluate(
                "() => (performance.getEntriesByName('first-contentful-paint')[0]"
                " || {startTime: NaN}).startTime"
            )
            # the table is laid out when scrolled to (content-visibility): time that too
            shown = page.evaluate(
                "() => new Promise(done => { const t0 = performance.now();"
                " document.getElementById('table').scrollIntoView();"
                " requestAnimationFrame(() => requestAnimationFrame("
                " () => done(performance.now() - t0))); })"
            )
            rows = page.eval_on_selector_all("#forms tbody tr", "r => r.length")
            if requests != [url]:
                print(f"  requests other than the page: {requests}", file=sys.stderr)
            times.append((load / 1000, paint / 1000, shown / 1000, rows))
            page.close()
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--forms", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--keep", metavar="FILE", help="also write the page here")
    args = ap.parse_args(argv)

    files = sorted(str(p) for p in (ROOT / "corpus").rglob("*") if p.is_file())
    start = time.perf_counter()
    results = list(parse_many(files, workers=2, on_error="skip"))
    reports = [r for res in results for r in res.reports]
    print(
        f"corpus: {len(files)} files, {len(reports)} forms, parsed in "
        f"{time.perf_counter() - start:.1f} s"
    )
    forms = _replicated(reports, args.forms)

    start = time.perf_counter()
    page = render(forms)
    rendered = time.perf_counter() - start
    data = page.encode("utf-8")
    size_ok = "ok" if len(data) < SIZE_TARGET else "OVER"
    print(f"render: {len(forms)} forms in {rendered:.2f} s")
    print(
        f"size:   {len(data):,} bytes = {len(data) / 1e6:.2f} MB "
        f"({len(data) / len(forms) / 1000:.1f} kB/form; target < 10 MB: {size_ok})"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "audit.html"
        path.write_bytes(data)
        try:
            times = _load_times(path.resolve().as_uri(), args.reps)
        except Exception as exc:  # no browser here: say so, as a report does
            print(f"load:   ERROR {type(exc).__name__}: {exc}")
            return 0
    best = min(t[0] for t in times)
    load_ok = "ok" if best < LOAD_TARGET else "OVER"
    print(
        "load:   "
        + ", ".join(f"{t[0]:.2f} s" for t in times)
        + f" (best {best:.2f} s; target < {LOAD_TARGET:.0f} s: {load_ok});"
        + f" first paint {min(t[1] for t in times):.2f} s"
    )
    print(
        f"table:  {times[0][3]} rows laid out and painted when scrolled to in "
        + ", ".join(f"{t[2]:.2f} s" for t in times)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
