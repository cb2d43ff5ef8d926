"""Peak RSS: one fresh child process (``run.py --child``) per measurement."""

from __future__ import annotations

import gc
import importlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import ROOT, SCRIPT
from .baselines import pdfminer_on

# Modules a reader pulls in (pypdfium2 or pdfminer lazily, on the first parse): an
# RSS child imports them before taking its "after imports" baseline.
READER_DEPS: dict[str, tuple[str, ...]] = {
    "text": (),
    "pdf": ("pypdfium2", "pypdfium2.raw", "jixiao_parser.readers.pdf_pdfium"),
    "pdf-pdfminer": (
        "jixiao_parser.readers.pdf_pdfminer",
        "pdfminer.converter",
        "pdfminer.pdfinterp",
        "pdfminer.pdfdocument",
        "pdfminer.pdfpage",
        "pdfminer.pdfparser",
        "pdfminer.layout",
    ),
    "docx": ("docx",),
    "xlsx": ("openpyxl",),
    "xls": ("xlrd",),
    "html": ("lxml.html",),
}


def _proc_status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _maxrss_kb() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # macOS reports bytes


def child_main(spec: dict[str, Any]) -> None:
    """In a fresh interpreter: import, parse ``paths`` once, print peak RSS as JSON."""
    impl, paths = spec["impl"], spec["paths"]
    backend = spec.get("pdf_backend", "auto")
    for module in spec["deps"]:
        importlib.import_module(module)
    run: Callable[[], int]
    if impl == "ours":
        from jixiao_parser.readers import reader_for

        for fmt in spec["formats"]:
            reader_for(fmt)  # imports the reader module
        from jixiao_parser import parse_all

        def run() -> int:
            return sum(len(parse_all(p, pdf_backend=backend)) for p in paths)

    elif impl == "pdfium-pages":  # the pdfium backend's page extraction alone

        def run() -> int:
            from jixiao_parser.readers.pdf_pdfium import read_pages

            pages = 0
            for p in paths:
                with open(p, "rb") as fh:
                    pages += sum(1 for _ in read_pages(fh, p))
            return pages

    elif impl == "pdfminer":

        def run() -> int:
            return sum(pdfminer_on([Path(p).read_bytes()])() for p in paths)

    else:
        raise SystemExit(f"unknown impl {impl!r}")
    gc.collect()
    baseline = _proc_status_kb("VmRSS")
    t0 = time.perf_counter()
    count = run()
    seconds = time.perf_counter() - t0
    # On Linux the peak is VmHWM, this process's own high-water mark: getrusage's
    # ru_maxrss is carried over from the parent across fork+exec (the kernel keeps
    # the larger of the two), so a child of a big parent would report the parent.
    peak = _proc_status_kb("VmHWM") or _maxrss_kb()
    print(
        json.dumps(
            {
                "count": count,
                "seconds": seconds,
                "peak_kb": peak,
                "baseline_kb": baseline,
                "ru_maxrss_kb": _maxrss_kb(),
            }
        )
    )


def rss_child(
    paths: Sequence[Path],
    *,
    impl: str = "ours",
    fmt: str | Sequence[str] = "pdf",
    pdf_backend: str = "auto",
    timeout: float = 1200,
) -> dict[str, Any]:
    """Parse ``paths`` in a fresh interpreter, the readers of ``fmt`` (one format
    or several) imported first; its count, seconds and peak RSS. PDFs are read
    by ``pdf_backend`` (``"auto"``: pdfium)."""
    formats = [fmt] if isinstance(fmt, str) else list(fmt)
    pdf_deps = "pdf-pdfminer" if pdf_backend == "pdfminer" or impl == "pdfminer" else "pdf"
    deps = [d for f in formats for d in READER_DEPS[pdf_deps if f == "pdf" else f]]
    spec = {
        "impl": impl,
        "paths": [str(p) for p in paths],
        "formats": formats,
        "deps": deps,
        "pdf_backend": pdf_backend,
    }
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def mb(kb: float | None) -> float | None:
    return None if kb is None else kb / 1024
