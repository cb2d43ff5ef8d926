#!/usr/bin/env python
"""Benchmarks: jixiao_parser against the libraries it stands on.

    python bench/run.py                 # full run (10 to 15 minutes on 2 cores)
    python bench/run.py --quick         # under 2 minutes: fewer repetitions, smaller sets
    python bench/run.py --json out.json # also write the results as JSON
    python bench/run.py --profile pdf   # where our time goes, for one format
    python bench/run.py --instructions  # instructions per seed form (valgrind)

Prints, per format, forms/s (pages/s for PDF) and peak RSS, then every ratio
with its target and PASS/FAIL (bench/README.md says what each one measures).
Timings run in this process after a warm-up (imports loaded, caches filled);
each is the best of N repetitions, ours and the baseline interleaved. Peak RSS
is measured in a fresh child process per measurement. Generated inputs go to a
temporary directory that is removed at the end. The exit code is always 0:
this is a report, not a test.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FORMATS = ("text", "pdf", "docx", "xlsx", "xls", "html")

# Modules a reader pulls in (pdfminer lazily, on the first parse): an RSS child
# imports them before taking its "after imports" baseline.
READER_DEPS: dict[str, tuple[str, ...]] = {
    "text": (),
    "pdf": (
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

# Targets: (operator, value). Ratios of times are ours / theirs.
T_PDF_MINER = ("<=", 1.3)
T_PDF_PLUMBER = ("<=", 0.7)
T_TEXT_RATE = (">=", 1000.0)
T_OFFICE = ("<=", 1.5)
T_SCALING = (">=", 1.8)
T_PEAK_MB = ("<=", 200.0)
T_FLAT = ("<=", 1.2)  # peak RSS at 4x the pages / peak RSS at 1x


def config(quick: bool) -> dict[str, Any]:
    return {
        "reps": 2 if quick else 5,  # best-of, for every timing
        "pdf_reps": 1 if quick else 4,
        "text_forms": 400 if quick else 2000,  # generated text set, parse_many
        "corpus_forms": 250 if quick else 2000,  # generated corpus set, parse_many
        "many_reps": 2 if quick else 3,
        "pair_reps": 1 if quick else 2,  # independent processes, alone and two at once
        "pair_files": 120 if quick else None,  # ... on this many files of the corpus set
        "seed_batches": 20 if quick else 30,  # text seeds: best batch of ...
        "seed_per_batch": 15 if quick else 30,  # ... this many passes over both seeds
        "rss_pages": (30, 120) if quick else (75, 300),  # multi-form PDFs, 4x apart
        "rss_parallel": 2 if quick else 1,  # RSS children at once
        "pdfminer_rss": not quick,  # pdfminer's own peak on the generated PDFs
        "big_pdf_ratio": not quick,  # the PDF ratios on the smaller generated PDF too
    }


def interpreter() -> str:
    """The interpreter's real path and build: the same code runs markedly faster on
    a build with profile-guided optimisation than on one without."""
    import sysconfig

    config = str(sysconfig.get_config_var("CONFIG_ARGS") or "")
    flags = [f for f in ("--enable-optimizations", "--with-lto") if f in config]
    built = " ".join(flags) if flags else "no --enable-optimizations or --with-lto"
    return f"{os.path.realpath(sys.executable)} (configure arguments: {built})"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def code_state() -> tuple[str, str]:
    """(the code measured, as a label; a fingerprint of src/ to notice edits
    during the run). The label is the commit, and says whether src/ has
    uncommitted changes; the fingerprint ignores commits that leave src/ alone."""
    import jixiao_parser

    where = str(Path(jixiao_parser.__file__).parent)
    if not where.startswith(str(ROOT)):
        return f"jixiao_parser from {where}", where
    try:
        head, tree, dirty = (_git("rev-parse", "--short", "HEAD"), _git("rev-parse", "HEAD:src"),
                             _git("status", "--porcelain", "--", "src"))  # fmt: skip
        if dirty:  # the content of the changed files, not just their names
            dirty = _git("diff", "HEAD", "--", "src") + _git("ls-files", "-o", "--", "src")
    except (OSError, subprocess.CalledProcessError):
        return f"jixiao_parser from {where} (not a git checkout)", where
    label = head + (" + uncommitted changes in src/" if dirty else "")
    return label, f"{tree} {hash(dirty)}"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# Inputs


def seed_files() -> list[Path]:
    return sorted(CORPUS.glob("seeds/*/*.txt"))


def seed_texts() -> list[str]:
    """The two seed forms, decoded: the input of the text target."""
    from jixiao_parser.readers.text import decode_text

    return [decode_text(p.read_bytes()) for p in seed_files()]


def text_cases() -> list[Path]:
    return sorted(CORPUS.glob("cases/*/form.txt")) + seed_files()


def corpus_files(fmt: str) -> list[Path]:
    return text_cases() if fmt == "text" else sorted(CORPUS.glob(f"renditions/*/*.{fmt}"))


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def build_set(tmp: Path, name: str, files: list[Path], target_forms: int) -> tuple[list[Path], int]:
    """Copies of ``files``, in turn, until they hold >= target_forms forms."""
    from jixiao_parser import parse_all

    sources = [(p, p.read_bytes()) for p in files]
    counts = [len(parse_all(data)) for _, data in sources]
    out_dir = tmp / name
    out_dir.mkdir()
    paths: list[Path] = []
    forms = k = 0
    while forms < target_forms:
        src, data = sources[k % len(sources)]
        path = out_dir / f"{k:05d}_{src.parent.name}{src.suffix}"
        path.write_bytes(data)
        paths.append(path)
        forms += counts[k % len(sources)]
        k += 1
    return paths, forms


def build_text_set(tmp: Path, target_forms: int) -> tuple[list[Path], int]:
    """Copies of the text cases and seeds, in turn, until they hold >= target_forms forms."""
    return build_set(tmp, "text_set", text_cases(), target_forms)


def build_corpus_set(tmp: Path, target_forms: int) -> tuple[list[Path], int]:
    """Copies of every corpus file of every format, in turn (PDF, Word, Excel,
    HTML and text, as a batch of published forms comes), until they hold >=
    target_forms forms."""
    files = [p for fmt in FORMATS for p in corpus_files(fmt)]
    return build_set(tmp, "corpus_set", sorted(files, key=lambda p: p.name), target_forms)


def build_big_pdf(tmp: Path, min_pages: int) -> tuple[Path, int]:
    """multi_form.pdf, then the other corpus PDFs in turn, concatenated page-wise
    with pypdf until the result has >= min_pages pages. Each copy is read afresh,
    so it keeps its own fonts and objects, as in a real concatenated file."""
    from pypdf import PdfReader, PdfWriter

    multi = CORPUS / "renditions" / "multi_form" / "multi_form.pdf"
    sources = [multi.read_bytes()] + [p.read_bytes() for p in corpus_files("pdf") if p != multi]
    writer = PdfWriter()
    k = 0
    while len(writer.pages) < min_pages:
        writer.append(PdfReader(io.BytesIO(sources[k % len(sources)])))
        k += 1
    path = tmp / f"multi_{min_pages}p.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path, len(writer.pages)


# ----------------------------------------------------------------------------
# What is timed


def machine_busy() -> float | None:
    """CPU seconds all processes have used since boot (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal (guest time is inside user)
    busy = sum(fields[:8]) - fields[3] - fields[4]
    return busy / os.sysconf("SC_CLK_TCK")


def cpu_time() -> float:
    """CPU seconds of this process and of its finished, reaped children (pool workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Timing:
    """Best wall time (perf_counter) and best CPU time (process_time, plus pool
    workers) of one function, and the wall time of every repetition."""

    def __init__(self) -> None:
        self.wall = float("inf")
        self.cpu = float("inf")
        self.walls: list[float] = []
        self.result: Any = None


def best_times(fns: Sequence[Callable[[], Any]], reps: int) -> list[Timing]:
    """Run each function ``reps`` times, interleaved (a, b, a, b ...) so that drift
    and other load hit them alike; keep the best times and the last result."""
    out = [Timing() for _ in fns]
    for _ in range(reps):
        for fn, timing in zip(fns, out, strict=True):
            gc.collect()
            c0, t0 = cpu_time(), time.perf_counter()
            timing.result = fn()
            timing.walls.append(time.perf_counter() - t0)
            timing.wall = min(timing.wall, timing.walls[-1])
            timing.cpu = min(timing.cpu, cpu_time() - c0)
    return out


def ours_on(blobs: list[bytes]) -> Callable[[], int]:
    """Our full parse: ``parse_all(bytes)`` on each file; returns the form count."""
    from jixiao_parser import parse_all

    def run() -> int:
        return sum(len(parse_all(data)) for data in blobs)

    return run


def pdfminer_on(blobs: list[bytes]) -> Callable[[], int]:
    """pdfminer.six interpretation alone: every page through PDFPageInterpreter
    into a PDFPageAggregator without layout analysis (laparams=None), nothing else."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    def run() -> int:
        pages = 0
        for data in blobs:
            document = PDFDocument(PDFParser(io.BytesIO(data)))
            manager = PDFResourceManager(caching=True)
            device = PDFPageAggregator(manager, laparams=None)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(document):
                interpreter.process_page(page)
                device.get_result()
                pages += 1
        return pages

    return run


def pdfplumber_on(blobs: list[bytes]) -> Callable[[], int]:
    """pdfplumber ``page.extract_tables()`` on every page (default settings)."""
    import pdfplumber

    def run() -> int:
        tables = 0
        for data in blobs:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    tables += len(page.extract_tables())
        return tables

    return run


def docx_load_on(blobs: list[bytes]) -> Callable[[], int]:
    """python-docx's bare load: ``docx.Document(BytesIO)``."""
    import docx

    def run() -> int:
        return sum(1 for data in blobs if docx.Document(io.BytesIO(data)) is not None)

    return run


def openpyxl_load_on(blobs: list[bytes]) -> Callable[[], int]:
    """openpyxl's bare load with the options readers/xlsx.py uses
    (``data_only=True, keep_links=False``, warnings silenced)."""
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    def run() -> int:
        sheets = 0
        for data in blobs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            sheets += len(wb.sheetnames)
        return sheets

    return run


# ----------------------------------------------------------------------------
# Peak RSS: one fresh child process per measurement


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
    for module in spec["deps"]:
        importlib.import_module(module)
    run: Callable[[], int]
    if impl == "ours":
        from jixiao_parser.readers import reader_for

        for fmt in spec["formats"]:
            reader_for(fmt)  # imports the reader module
        from jixiao_parser import parse_all

        def run() -> int:
            return sum(len(parse_all(p)) for p in paths)

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
    timeout: float = 1200,
) -> dict[str, Any]:
    """Parse ``paths`` in a fresh interpreter, the readers of ``fmt`` (one format
    or several) imported first; its count, seconds and peak RSS."""
    formats = [fmt] if isinstance(fmt, str) else list(fmt)
    deps = [d for f in formats for d in READER_DEPS[f]]
    spec = {"impl": impl, "paths": [str(p) for p in paths], "formats": formats, "deps": deps}
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
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


# ----------------------------------------------------------------------------
# The report


class Report:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.ratios: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.load: list[float] = []

    def sample_load(self) -> None:
        if hasattr(os, "getloadavg"):
            self.load.append(os.getloadavg()[0])

    def row(self, name: str, **values: Any) -> None:
        self.rows.setdefault(name, {}).update(values)

    def ratio(
        self,
        name: str,
        value: float | None,
        target: tuple[str, float] | None,
        unit: str = "x",
        detail: str = "",
    ) -> None:
        if value is None:
            verdict = "ERROR"
        elif target is None:
            verdict = "info"
        else:
            op, limit = target
            verdict = "PASS" if (value <= limit if op == "<=" else value >= limit) else "FAIL"
        self.ratios.append(
            {
                "name": name,
                "value": value,
                "op": target and target[0],
                "target": target and target[1],
                "unit": unit,
                "verdict": verdict,
                "detail": detail,
            }
        )

    def error(self, what: str, exc: BaseException) -> None:
        msg = f"ERROR {what}: {type(exc).__name__}: {exc}"
        self.notes.append(msg)
        log(msg)
        traceback.print_exc(file=sys.stderr)


def _num(v: Any, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def render(rep: Report, meta: dict[str, Any]) -> str:
    out = [
        "",
        f"jixiao_parser benchmark ({meta['mode']}), {meta['when']}, {meta['seconds']}s, "
        f"commit {meta['git']}",
        f"Python {meta['python']}, {meta['machine']}, {meta['cpus']} CPUs; timings: best of "
        f"{meta['reps']} (PDF {meta['pdf_reps']}), warm, wall clock; peak RSS: a fresh child "
        "process per measurement",
        # how the interpreter was built moves every time (PGO/LTO builds run faster)
        f"Interpreter: {meta.get('interpreter', '?')}",
    ]
    others = meta.get("other_cpus")
    if rep.load or others is not None:
        seen = []
        if others is not None:
            seen.append(f"other processes kept {others:.2f} of {meta['cpus']} CPUs busy on average")
        if rep.load:
            seen.append(
                f"1-min load average {min(rep.load):.1f} .. {max(rep.load):.1f} (ours included)"
            )
        out.append("During the run: " + "; ".join(seen))
        if (others if others is not None else max(rep.load) - 1) > 0.2:
            out.append(
                "WARNING: other processes were using the CPUs: wall-clock numbers are slowed "
                "and ratios noisy (parse_many scaling most of all). The 'cpu' figures in the "
                "details (process_time) are less affected. Re-run on an idle machine."
            )
    out += ["", "Throughput and memory (corpus files unless noted)"]
    rows = [
        [
            name,
            _num(r.get("files"), "d"),
            _num(r.get("forms"), "d"),
            _num(r.get("pages"), "d"),
            _num(r.get("forms_per_s"), ",.1f"),
            _num(r.get("pages_per_s"), ",.1f"),
            _num(r.get("ms_per_form"), ",.1f"),
            _num(r.get("peak_mb"), ".1f"),
            _num(r.get("baseline_mb"), ".1f"),
        ]
        for name, r in rep.rows.items()
    ]
    heads = [
        "input",
        "files",
        "forms",
        "pages",
        "forms/s",
        "pages/s",
        "ms/form",
        "peak RSS MB",
        "after imports MB",
    ]
    out.append(_table(heads, rows, right=set(range(1, 9))))
    out += ["", "Ratios and targets"]
    rows = []
    for r in rep.ratios:
        value = "-" if r["value"] is None else f"{r['value']:,.2f}{r['unit']}"
        target = "-" if r["target"] is None else f"{r['op']} {r['target']:,.2f}{r['unit']}"
        rows.append([r["name"], value, target, r["verdict"], r["detail"]])
    out.append(_table(["measure", "value", "target", "result", "detail"], rows, right={1}))
    judged = [r for r in rep.ratios if r["verdict"] != "info"]
    passed = sum(r["verdict"] == "PASS" for r in judged)
    out += ["", f"{passed}/{len(judged)} targets met."]
    if rep.notes:
        out += ["", *rep.notes]
    return "\n".join(out)


# ----------------------------------------------------------------------------
# Measurements


def bench_corpus(
    rep: Report,
    fmt: str,
    reps: int,
    baselines: Sequence[Callable[[list[bytes]], Callable[[], object]]] = (),
) -> list[Timing]:
    """Warm throughput of our parse over the corpus files of ``fmt`` (bytes in
    memory), interleaved with ``baselines`` on the same bytes. Ours first.

    Each repetition is a whole pass over the files, as in a batch job: timing
    file by file, alternating with the baseline, was tried and leaves each side
    with cold CPU caches on every file, which penalises the side with the larger
    working set (ours on DOCX: 2.1x became 2.7x)."""
    blobs = [p.read_bytes() for p in corpus_files(fmt)]
    makers = [ours_on, *baselines]
    for make in makers:  # warm-up: imports, compiled regexes, lazily built tables
        make(blobs[:3])()
    timings = best_times([make(blobs) for make in makers], reps)
    t, forms = timings[0].wall, timings[0].result
    row: dict[str, Any] = {
        "files": len(blobs),
        "forms": forms,
        "forms_per_s": forms / t,
        "ms_per_form": 1000 * t / forms,
    }
    if fmt == "pdf":
        pages = sum(pdf_pages(b) for b in blobs)
        row.update(pages=pages, pages_per_s=pages / t)
    rep.row(fmt, **row)
    log(f"{fmt}: {forms} forms in {t:.3f}s ({forms / t:,.1f} forms/s)")
    rep.sample_load()
    return timings


def paired_ratio(ours: Timing, theirs: Timing) -> tuple[float, float, float]:
    """Median, least and greatest of ours / theirs over the repetitions, each
    repetition's two runs taken back to back (``best_times`` interleaves them).

    On a shared machine whose speed drifts within seconds, the best time of each
    side may come from different moments; two runs back to back see nearly the
    same machine, and the median sets aside a repetition that a burst of other
    load hit on one side only.
    """
    ratios = [a / b for a, b in zip(ours.walls, theirs.walls, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


def time_ratio(
    rep: Report, name: str, ours: Timing, theirs: Timing, target: Any, what: str
) -> None:
    value, low, high = paired_ratio(ours, theirs)
    detail = (
        f"median of {len(ours.walls)} back-to-back pairs (range {low:.2f}-{high:.2f}); "
        f"best wall {ours.wall:.2f}s / {theirs.wall:.2f}s = {ours.wall / theirs.wall:.2f}x, "
        f"best cpu {ours.cpu:.2f}s / {theirs.cpu:.2f}s; {what}"
    )
    rep.ratio(name, value, target, "x", detail)
    log(f"{name}: {value:.2f}x (pairs {low:.2f}-{high:.2f})")


def bench_text_seeds(rep: Report, batches: int, per_batch: int) -> None:
    """parse_text on the decoded text of the two seeds, many times over."""
    from jixiao_parser import parse_text

    texts = seed_texts()
    forms = sum(len(parse_text(t)) for t in texts)  # warm-up

    def batch() -> None:
        for _ in range(per_batch):
            for t in texts:
                parse_text(t)

    (timing,) = best_times([batch], batches)
    rate, cpu_rate = forms * per_batch / timing.wall, forms * per_batch / timing.cpu
    rep.row(
        "text: 2 seeds, parse_text(str)",
        files=len(texts),
        forms=forms,
        forms_per_s=rate,
        ms_per_form=1000 / rate,
    )
    rep.ratio(
        "Text: parse_text forms/s per core (2 seeds)",
        rate,
        T_TEXT_RATE,
        "/s",
        f"cpu {cpu_rate:,.1f}/s; best batch of {per_batch}x{len(texts)} forms, "
        f"of {batches} batches",
    )
    log(f"text seeds: {rate:,.1f} forms/s")
    cold = cold_seconds_per_form(texts, passes=max(2, per_batch // 5), batches=max(5, batches // 2))
    rep.ratio(
        "info: text forms/s, seeds, caches cleared before each form",
        1 / cold,
        None,
        "/s",
        "every cached lookup (labels, values, cell costs, number splits) is emptied "
        "before each parse: a form whose every cell text is new to the process",
    )
    log(f"text seeds, cold caches: {1 / cold:,.1f} forms/s")
    rep.sample_load()


# cached loaders, not lookups: what they hold is built once per process
LOADED_ONCE = frozenset({"_t2s"})


def library_caches() -> list[Any]:
    """Every cache jixiao_parser keeps between parses (``functools.lru_cache``
    wrappers at module level, and the cached table lookups of ``vocab``)."""
    import pkgutil

    import jixiao_parser
    from jixiao_parser import vocab

    found: dict[int, Any] = {}
    for info in pkgutil.walk_packages(jixiao_parser.__path__, "jixiao_parser."):
        if info.name.endswith(("__main__", ".dask")):
            continue  # a CLI entry point, and an optional dependency
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if callable(getattr(obj, "cache_clear", None)) and name not in LOADED_ONCE:
                found[id(obj)] = obj
    for _table, lookup in vocab._FINDERS.values():
        found[id(lookup)] = lookup
    return list(found.values())


def cold_seconds_per_form(texts: list[str], passes: int, batches: int) -> float:
    """Best mean CPU seconds per form when every library cache is emptied before
    each parse (the emptying itself is not timed)."""
    from jixiao_parser import parse_text

    caches = library_caches()
    best = float("inf")
    for _ in range(batches):
        spent, count = 0.0, 0
        for _ in range(passes):
            for t in texts:
                for cache in caches:
                    cache.cache_clear()
                t0 = time.process_time()
                count += len(parse_text(t))
                spent += time.process_time() - t0
        best = min(best, spent / count)
    return best


def bench_text_set(rep: Report, paths: list[Path], forms: int, reps: int) -> None:
    """parse_all on every file of the generated text set (bytes in memory)."""
    (timing,) = best_times([ours_on([p.read_bytes() for p in paths])], reps)
    t = timing.wall
    rep.row(
        f"text: generated set, {forms} forms",
        files=len(paths),
        forms=forms,
        forms_per_s=forms / t,
        ms_per_form=1000 * t / forms,
    )
    log(f"text set: {forms} forms in {t:.2f}s")
    rep.sample_load()


def scaling_name(label: str, target: Any) -> str:
    """The ratio's name; one without a target is marked ``info``."""
    return f"{'' if target else 'info: '}parse_many: 2 workers / 1 worker throughput, {label}"


def bench_parse_many(
    rep: Report, label: str, paths: list[Path], forms: int, reps: int, target: Any
) -> None:
    """parse_many over a generated set's paths: 1 worker (in this process)
    against 2 (a process pool, its start-up included)."""
    from jixiao_parser import parse_many

    def run(workers: int) -> Callable[[], int]:
        return lambda: sum(len(r.reports) for r in parse_many(paths, workers=workers))

    run(1)  # warm-up
    one, two = best_times([run(1), run(2)], reps)
    if not one.result == two.result == forms:
        rep.notes.append(
            f"parse_many, {label}: expected {forms} forms, got {one.result} and {two.result}"
        )
    for workers, timing in ((1, one), (2, two)):
        rep.row(
            f"{label}: parse_many, {workers} worker{'s' * (workers > 1)}",
            files=len(paths),
            forms=forms,
            forms_per_s=forms / timing.wall,
            ms_per_form=1000 * timing.wall / forms,
        )
    scaling, low, high = paired_ratio(one, two)
    rep.ratio(
        scaling_name(label, target),
        scaling,
        target,
        "x",
        f"median of {len(one.walls)} back-to-back pairs (range {low:.2f}-{high:.2f}); "
        f"{forms} forms in {len(paths)} files: best 1 worker {one.wall:.2f}s, "
        f"2 workers {two.wall:.2f}s; cpu (parent + workers) {one.cpu:.2f}s / {two.cpu:.2f}s, "
        f"so at most {2 * one.cpu / two.cpu:.2f}x on 2 idle cores",
    )
    log(f"parse_many, {label}: {scaling:.2f}x (pairs {low:.2f}-{high:.2f})")
    rep.sample_load()


def bench_machine_pairs(rep: Report, paths: list[Path], reps: int) -> None:
    """What two cores give here when nothing is shared: the same parse in two
    independent fresh processes at once, against one alone. No pool can scale
    better than this; on a shared virtual machine it is often well below 2."""
    alone = pair = float("inf")
    for _ in range(reps):
        alone = min(alone, rss_child(paths, fmt=FORMATS)["seconds"])
        with ThreadPoolExecutor(max_workers=2) as pool:
            both = [pool.submit(rss_child, paths, fmt=FORMATS) for _ in range(2)]
            pair = min(pair, max(f.result()["seconds"] for f in both))
    rep.ratio(
        "info: 2 independent processes / 1 alone, corpus set",
        2 * alone / pair,
        None,
        "x",
        f"the same {len(paths)} files parsed in fresh processes: alone {alone:.2f}s, "
        f"two at once {pair:.2f}s each (the slower); the ceiling for parse_many here",
    )
    log(f"machine pairs: {alone:.2f}s alone, {pair:.2f}s two at once")
    rep.sample_load()


def run_all(rep: Report, cfg: dict[str, Any], tmp: Path) -> None:
    reps = cfg["reps"]
    rep.sample_load()

    # -- generated inputs ---------------------------------------------------------
    text_paths, text_forms = build_text_set(tmp, cfg["text_forms"])
    log(f"generated text set: {len(text_paths)} files, {text_forms} forms in {tmp}")
    corpus_paths, corpus_forms = build_corpus_set(tmp, cfg["corpus_forms"])
    log(f"generated corpus set: {len(corpus_paths)} files, {corpus_forms} forms in {tmp}")
    big: dict[int, tuple[Path, int]] = {}
    for pages in cfg["rss_pages"]:
        try:
            big[pages] = build_big_pdf(tmp, pages)
            log(f"generated a {big[pages][1]}-page PDF")
        except Exception as exc:
            rep.error(f"building a {pages}-page PDF", exc)

    # -- peak RSS: fresh children, before the timings --------------------------------
    # In --quick two children run at once (one per core). That leaves each
    # child's peak RSS as it is; only its wall time (the pages/s shown for the
    # generated PDFs) may suffer.
    jobs: dict[str, Callable[[], dict[str, Any]]] = {}
    for pages, (path, _) in big.items():
        jobs[f"ours{pages}"] = functools.partial(rss_child, [path])
        if cfg["pdfminer_rss"]:
            jobs[f"pdfminer{pages}"] = functools.partial(rss_child, [path], impl="pdfminer")
    for fmt in FORMATS:
        jobs[fmt] = functools.partial(rss_child, corpus_files(fmt), fmt=fmt)
    with ThreadPoolExecutor(max_workers=cfg["rss_parallel"]) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
    rss: dict[str, dict[str, Any]] = {}
    for name, future in futures.items():
        try:
            rss[name] = future.result()
            log(f"peak RSS {name}: {mb(rss[name]['peak_kb']):.1f} MB")
        except Exception as exc:
            rep.error(f"peak RSS {name}", exc)
    rep.sample_load()
    for fmt in FORMATS:
        rep.row(fmt)  # the table lists the corpus formats first
        if fmt in rss:
            rep.row(fmt, peak_mb=mb(rss[fmt]["peak_kb"]), baseline_mb=mb(rss[fmt]["baseline_kb"]))
    for pages, (_, real) in big.items():
        for impl in ("ours", "pdfminer"):
            if (r := rss.get(f"{impl}{pages}")) is None:
                continue
            label = "pdf" if impl == "ours" else "pdfminer alone"
            rep.row(
                f"{label}: generated {real}-page PDF (child)",
                files=1,
                forms=r["count"] if impl == "ours" else None,
                pages=real,
                forms_per_s=r["count"] / r["seconds"] if impl == "ours" else None,
                pages_per_s=real / r["seconds"],
                ms_per_form=1000 * r["seconds"] / r["count"] if impl == "ours" else None,
                peak_mb=mb(r["peak_kb"]),
                baseline_mb=mb(r["baseline_kb"]),
            )

    # -- throughput per format, and the ratios to the libraries underneath -----------
    for fmt in ("text", "xls", "html"):
        try:
            bench_corpus(rep, fmt, reps)
        except Exception as exc:
            rep.error(f"throughput {fmt}", exc)

    names = ("PDF: ours / pdfminer interpretation", "PDF: ours / pdfplumber extract_tables")
    try:
        ours, miner, plumber = bench_corpus(
            rep, "pdf", cfg["pdf_reps"], (pdfminer_on, pdfplumber_on)
        )
        what = f"corpus, {rep.rows['pdf']['pages']} pages"
        time_ratio(rep, names[0], ours, miner, T_PDF_MINER, what)
        time_ratio(rep, names[1], ours, plumber, T_PDF_PLUMBER, what)
    except Exception as exc:
        rep.error("PDF ratios", exc)
        rep.ratio(names[0], None, T_PDF_MINER)
        rep.ratio(names[1], None, T_PDF_PLUMBER)

    try:
        bench_text_seeds(rep, cfg["seed_batches"], cfg["seed_per_batch"])
    except Exception as exc:
        rep.error("text seeds", exc)
        rep.ratio("Text: parse_text forms/s per core (2 seeds)", None, T_TEXT_RATE, "/s")

    for fmt, lib, load in (
        ("docx", "docx.Document", docx_load_on),
        ("xlsx", "openpyxl.load_workbook", openpyxl_load_on),
    ):
        name = f"{fmt.upper()}: ours / {lib}(BytesIO)"
        try:
            ours, bare = bench_corpus(rep, fmt, reps, (load,))
            time_ratio(rep, name, ours, bare, T_OFFICE, f"{rep.rows[fmt]['files']} files")
        except Exception as exc:
            rep.error(name, exc)
            rep.ratio(name, None, T_OFFICE)

    # -- the generated sets, and parse_many on them ------------------------------------
    try:
        bench_text_set(rep, text_paths, text_forms, reps)
    except Exception as exc:
        rep.error("text set", exc)
    # The target is on the corpus replicated, every format; the text set alone
    # is the hardest case for a pool (the smallest parse per report sent back).
    for label, paths, forms, target in (
        ("corpus set", corpus_paths, corpus_forms, T_SCALING),
        ("text set", text_paths, text_forms, None),
    ):
        try:
            bench_parse_many(rep, label, paths, forms, cfg["many_reps"], target)
        except Exception as exc:
            rep.error(f"parse_many, {label}", exc)
            rep.ratio(scaling_name(label, target), None, target)
    try:
        bench_machine_pairs(rep, corpus_paths[: cfg["pair_files"]], cfg["pair_reps"])
    except Exception as exc:
        rep.error("machine pairs", exc)

    # -- memory on the generated PDFs ---------------------------------------------
    small, large = cfg["rss_pages"]
    name = f"Peak RSS, {big[large][1] if large in big else large}-page multi-form PDF"
    if (b := rss.get(f"ours{large}")) is not None:
        detail = f"after imports {mb(b['baseline_kb']):.1f} MB; {b['count']} forms"
        if (m := rss.get(f"pdfminer{large}")) is not None:
            detail += f"; pdfminer alone {mb(m['peak_kb']):.1f} MB"
        rep.ratio(name, mb(b["peak_kb"]), T_PEAK_MB, " MB", detail)
    else:
        rep.ratio(name, None, T_PEAK_MB, " MB")
    name = f"Peak RSS flat: {large}p / {small}p"
    if (a := rss.get(f"ours{small}")) is not None and b is not None:
        name = f"Peak RSS flat: {big[large][1]}p / {big[small][1]}p"
        detail = (
            f"{mb(a['peak_kb']):.1f} -> {mb(b['peak_kb']):.1f} MB; above imports "
            f"{mb(a['peak_kb'] - a['baseline_kb']):.1f} -> "
            f"{mb(b['peak_kb'] - b['baseline_kb']):.1f} MB"
        )
        ma, mb_ = rss.get(f"pdfminer{small}"), rss.get(f"pdfminer{large}")
        if ma is not None and mb_ is not None:
            detail += f"; pdfminer alone {mb_['peak_kb'] / ma['peak_kb']:.2f}x"
        rep.ratio(name, b["peak_kb"] / a["peak_kb"], T_FLAT, "x", detail)
    else:
        rep.ratio(name, None, T_FLAT)

    # -- full run only: the PDF ratios on one long file ------------------------------------
    if cfg["big_pdf_ratio"] and small in big:
        path, real = big[small]
        data = [path.read_bytes()]
        try:
            ours, miner, plumber = best_times(
                [make(data) for make in (ours_on, pdfminer_on, pdfplumber_on)], 2
            )
            what = f"{real}-page PDF, {real / ours.wall:.1f} pages/s"
            time_ratio(rep, f"info: ours / pdfminer, {real}-page PDF", ours, miner, None, what)
            time_ratio(
                rep,
                f"info: ours / pdfplumber, {real}-page PDF",
                ours,
                plumber,
                None,
                f"pdfplumber {real / plumber.wall:.1f} pages/s",
            )
        except Exception as exc:
            rep.error("PDF ratios on the generated PDF", exc)
        rep.sample_load()


# ----------------------------------------------------------------------------
# Profile


def _where(path: str | None) -> tuple[str | None, str]:
    """(package, short file path) of a profiled frame; package None for the
    interpreter's own code (built-ins, the standard library), whose time is
    charged to the calling package."""
    if not path or (path.startswith("<") and "jixiao_parser" not in path):
        return None, path or "?"
    if path.startswith("<attrs generated"):  # attrs' __init__/__eq__ of one of our classes
        return "jixiao_parser", path
    parts = Path(path).parts
    if "jixiao_parser" in parts:
        k = parts.index("jixiao_parser")
        return "jixiao_parser", "/".join(parts[k:])
    for marker in ("site-packages", "dist-packages"):
        if marker in parts and parts.index(marker) + 1 < len(parts):
            k = parts.index(marker) + 1
            return parts[k].removesuffix(".py"), "/".join(parts[k:])
    return None, "/".join(parts[-2:])


def instructions_child(mode: str, passes: int) -> None:
    """Under cachegrind: parse the two seeds twice to warm up, then ``passes`` times
    more; with ``mode`` "cold", every library cache is emptied before each form."""
    from jixiao_parser import parse_text

    texts = seed_texts()
    caches = library_caches() if mode == "cold" else []
    for _ in range(2):
        for text in texts:
            parse_text(text)
    for _ in range(passes):
        for text in texts:
            for cache in caches:
                cache.cache_clear()
            parse_text(text)


_I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _instructions(valgrind: str, mode: str, passes: int) -> int:
    """Instructions a child running :func:`instructions_child` executes, start-up
    included (hash seed fixed: the counts then repeat to within 0.5%)."""
    proc = subprocess.run(
        [
            valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
            sys.executable, str(Path(__file__).resolve()),
            "--child-instructions", f"{mode}:{passes}",
        ],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )  # fmt: skip
    found = _I_REFS.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(f"cachegrind exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    return int(found.group(1).replace(",", ""))


def count_instructions(passes: int) -> None:
    """Instructions per seed form, warm and with every cache emptied: the difference
    between ``passes`` passes and none, over the forms parsed. Unlike a time, the
    count does not move with the machine's load or speed, so two versions of the
    code can be compared on a shared machine."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("--instructions needs valgrind (Debian: apt install valgrind)")
        return
    seeds = len(seed_files())
    print(f"instructions per seed form (cachegrind, {seeds} seeds, commit {code_state()[0]}):")
    for mode, n in (("warm", passes), ("cold", max(1, passes // 4))):
        log(f"cachegrind: {mode}, 0 and {n} passes")
        extra = _instructions(valgrind, mode, n) - _instructions(valgrind, mode, 0)
        label = "warm caches" if mode == "warm" else "every cache emptied before each form"
        print(f"  {label:<40} {extra / (n * seeds) / 1e6:8.2f} M  ({n} passes)")


def profile(fmt: str, seconds: float) -> None:
    """Profile our parse of the corpus files of one format (warm) for ``seconds``;
    ``seeds`` profiles parse_text on the two seeds, as the text target measures.

    With pyinstrument: self time by package, the functions with the most self
    time, and the call tree. Without it: cProfile's top functions."""
    ours: Callable[[], int]
    if fmt == "seeds":
        from jixiao_parser import parse_text

        files = seed_files()
        texts = seed_texts()

        def ours() -> int:
            return sum(len(parse_text(t)) for t in texts)

    else:
        files = corpus_files(fmt)
        ours = ours_on([p.read_bytes() for p in files])
    forms = ours()  # warm-up
    passes = 0
    start = time.perf_counter()
    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        while passes == 0 or time.perf_counter() - start < seconds:
            ours()
            passes += 1
        prof.disable()
        print(f"cProfile: {passes} passes over {len(files)} {fmt} files ({forms} forms)")
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler()
    profiler.start()
    while passes == 0 or time.perf_counter() - start < seconds:
        ours()
        passes += 1
    profiler.stop()
    elapsed = time.perf_counter() - start
    print(
        f"pyinstrument: {passes} passes over {len(files)} {fmt} files ({forms} forms), "
        f"{elapsed:.1f}s, {1000 * elapsed / (passes * forms):.1f} ms/form"
    )
    by_package: dict[str, float] = {}
    by_function: dict[str, float] = {}
    session = profiler.last_session
    root = session.root_frame() if session else None
    stack = [(root, "?")] if root else []
    total = 0.0
    while stack:
        frame, caller = stack.pop()
        if frame.is_synthetic:  # pyinstrument's "[self]" leaves, counted by total_self_time
            continue
        package, where = _where(frame.file_path)
        owner = package or caller
        stack.extend((child, owner) for child in frame.children)
        own = frame.total_self_time
        if not own or frame.function in ("run", "<genexpr>", "profile"):
            continue
        total += own
        by_package[owner] = by_package.get(owner, 0.0) + own
        key = f"{where}:{frame.line_no} {frame.function}"
        by_function[key] = by_function.get(key, 0.0) + own
    print("\nSelf time by package (built-ins and stdlib charged to their caller)")
    for package, own in sorted(by_package.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * own / total:5.1f}%  {package}")
    print("\nFunctions with the most self time")
    for key, own in sorted(by_function.items(), key=lambda kv: -kv[1])[:40]:
        print(f"  {100 * own / total:5.1f}%  {key}")
    print("\nCall tree")
    print(profiler.output_text(unicode=True, color=False, time="percent_of_total"))


# ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jixiao_parser benchmarks (see bench/README.md)")
    ap.add_argument(
        "--quick", action="store_true", help="under 2 minutes: fewer reps, smaller sets"
    )
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--profile", choices=(*FORMATS, "seeds"), help="profile one format instead")
    ap.add_argument("--profile-seconds", type=float, default=20.0, metavar="S")
    ap.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per seed form under cachegrind (needs valgrind)",
    )
    ap.add_argument(
        "--passes", type=int, default=40, help="passes over the seeds for --instructions"
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--child-instructions", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(json.loads(args.child))
        return 0
    if args.child_instructions:
        mode, passes = args.child_instructions.split(":")
        instructions_child(mode, int(passes))
        return 0
    if args.instructions:
        count_instructions(args.passes)
        return 0
    if args.profile:
        profile(args.profile, args.profile_seconds)
        return 0

    cfg = config(args.quick)
    rep = Report()
    started = time.perf_counter()
    meta: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(),
        "interpreter": interpreter(),
        "machine": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "reps": cfg["reps"],
        "pdf_reps": cfg["pdf_reps"],
        "git": code_state()[0],
    }
    fingerprint = code_state()[1]
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    busy0, ours0 = machine_busy(), cpu_time()
    try:
        run_all(rep, cfg, tmp)
    except Exception as exc:  # a report, not a test: print what there is
        rep.error("benchmark", exc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta["seconds"] = round(time.perf_counter() - started, 1)
    if busy0 is not None and (busy1 := machine_busy()) is not None:
        others = (busy1 - busy0) - (cpu_time() - ours0)
        meta["other_cpus"] = max(0.0, others) / (time.perf_counter() - started)
    if code_state()[1] != fingerprint:
        rep.notes.append(f"WARNING: src/ changed during the run (was {meta['git']})")
    meta["load"] = rep.load
    print(render(rep, meta))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "meta": meta,
                    "config": cfg,
                    "rows": rep.rows,
                    "ratios": rep.ratios,
                    "notes": rep.notes,
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv or "--child-instructions" in sys.argv:  # fail loudly
        sys.exit(main())
    try:
        main()
    except BaseException as exc:  # a report, not a test: exit 0 whatever happens
        if not isinstance(exc, SystemExit):
            print(f"benchmark aborted: {type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(0)
