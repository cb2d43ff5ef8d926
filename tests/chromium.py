"""Debian's headless Chromium for the audit page, driven by Playwright: one
home for where it is and how it is started (the browser tests, ``bench/report.py``
and ``tools/report_screenshot.py`` use it).

``JIXIAO_CHROMIUM`` names another executable; ``/usr/bin/chromium`` is
Debian's ``chromium`` package (``.ci/run`` installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium_context(playwright: Any, **options: Any) -> Iterator[Any]:
    """A persistent Chromium context in a fresh profile directory, removed
    afterwards; ``options`` go to ``launch_persistent_context`` (``viewport=``)."""
    profile = tempfile.mkdtemp(prefix="jixiao-chromium-")
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=ARGS, headless=True, **options
    )
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
