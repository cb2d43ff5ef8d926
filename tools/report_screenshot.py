#!/usr/bin/env python
"""Remake the README's screenshots of ``jixiao report`` (docs/report*.png).

    python tools/report_screenshot.py

The page is made from the seeds, the cases and their renditions (not the
recovered-text shapes), opened in headless Chromium (Debian's ``chromium``,
or ``JIXIAO_CHROMIUM``) at 1280×900: ``docs/report.png`` shows the top of the
page, ``docs/report_drilldown.png`` seed 000's drill-down.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "tests"))

from chromium import chromium_context  # noqa: E402
from jixiao_parser import parse_many  # noqa: E402
from jixiao_parser.report import render  # noqa: E402


def main() -> int:
    from playwright.sync_api import sync_playwright

    os.chdir(ROOT)  # paths on the page relative to the repository
    dirs = ["corpus/seeds", "corpus/cases", "corpus/renditions"]
    files = sorted(str(p) for d in dirs for p in Path(d).rglob("*") if p.is_file())
    reports = [r for res in parse_many(files, workers=2, on_error="skip") for r in res.reports]
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "audit.html"
        page_path.write_text(render(reports), encoding="utf-8")
        with (
            sync_playwright() as p,
            chromium_context(p, viewport={"width": 1280, "height": 900}) as context,
        ):
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.screenshot(path=str(ROOT / "docs" / "report.png"))
            seed = "corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt#0"
            page.click(f'#forms tr[data-key="{seed}"] a[data-open]')
            page.wait_for_selector("#detail[open]")
            page.screenshot(path=str(ROOT / "docs" / "report_drilldown.png"))
    print(f"{len(reports)} forms; wrote docs/report.png and docs/report_drilldown.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
