#!/usr/bin/env python
"""Benchmarks: jixiao_parser against the libraries it stands on.

    python bench/run.py            # full run (about 5-10 minutes on 2 cores)
    python bench/run.py --quick    # under 2 minutes: fewer repetitions, smaller sets
    python bench/run.py --json out.json
    python bench/run.py --profile pdf   # where our time goes, for one format

Prints, per format, forms/s (pages/s for PDF) and peak RSS, then every ratio
with its target and PASS/FAIL (see bench/README.md for what each one means).
Timings run in this process after a warm-up (imports loaded, caches filled);
each number is the best of N repetitions, ours and the baseline interleaved.
Peak RSS is measured in a fresh child process per measurement. Generated
inputs go to a temporary directory that is removed at the end. The exit code
is always 0: this is a report, not a test.
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import platform
import resource
import shutil
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

# Modules a reader pulls in (some lazily, on first parse): imported in an RSS
# child before its baseline is taken, so "baseline" means "libraries loaded".
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
FORMATS = ("text", "pdf", "docx", "xlsx", "xls", "html")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# Inputs


def text_cases() -> list[Path]:
    return sorted(CORPUS.glob("cases/*/form.txt")) + sorted(CORPUS.glob("seeds/*/*.txt"))


def seed_files() -> list[Path]:
    return sorted(CORPUS.glob("seeds/*/*.txt"))


def rendition_files(ext: str) -> list[Path]:
    return sorted(CORPUS.glob(f"renditions/*/*.{ext}"))


def corpus_files(fmt: str) -> list[Path]:
    return text_cases() if fmt == "text" else rendition_files(fmt)


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def build_text_set(tmp: Path, target_forms: int) -> tuple[list[Path], int]:
    """Copies of the text cases (and seeds) until they hold >= target_forms forms."""
    from jixiao_parser import parse_all

    sources = [(p, p.read_bytes()) for p in text_cases()]
    counts = [len(parse_all(data)) for _, data in sources]
    out_dir = tmp / "text_set"
    out_dir.mkdir()
    paths: list[Path] = []
    forms = k = 0
    while forms < target_forms:
        src, data = sources[k % len(sources)]
        path = out_dir / f"{k:05d}_{src.parent.name}.txt"
        path.write_bytes(data)
        paths.append(path)
        forms += counts[k % len(sources)]
        k += 1
    return paths, forms


def build_big_pdf(tmp: Path, min_pages: int) -> tuple[Path, int]:
    """Corpus PDFs (multi_form.pdf first) concatenated page-wise with pypdf until
    the result has >= min_pages pages. Each copy is read afresh, so every copy
    keeps its own fonts and objects, as in a real concatenated file."""
    from pypdf import PdfReader, PdfWriter

    multi = CORPUS / "renditions" / "multi_form" / "multi_form.pdf"
    sources = [multi.read_bytes()] + [p.read_bytes() for p in rendition_files("pdf") if p != multi]
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
# Timing


def best_times(fns: Sequence[Callable[[], Any]], reps: int) -> tuple[list[float], list[Any]]:
    """Best wall time of each function over ``reps`` rounds (the functions
    interleaved within a round, so that drift hits them alike), and what each
    returned."""
    best = [float("inf")] * len(fns)
    results: list[Any] = [None] * len(fns)
    for _ in range(reps):
        for i, fn in enumerate(fns):
            gc.collect()
            t0 = time.perf_counter()
            results[i] = fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best, results


def ours_on(blobs: list[bytes]) -> Callable[[], int]:
    from jixiao_parser import parse_all

    def run() -> int:
        return sum(len(parse_all(data)) for data in blobs)

    return run


def pdfminer_on(blobs: list[bytes]) -> Callable[[], int]:
    """pdfminer.six interpretation alone: every page through PDFPageInterpreter
    into a PDFPageAggregator without layout analysis, nothing else."""
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
    import docx

    def run() -> int:
        return sum(len(docx.Document(io.BytesIO(data)).paragraphs) >= 0 for data in blobs)

    return run


def openpyxl_load_on(blobs: list[bytes]) -> Callable[[], int]:
    import openpyxl

    def run() -> int:
        n = 0
        for data in blobs:
            with warnings.catch_warnings():  # as readers/xlsx.py does
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            n += len(wb.sheetnames)
        return n

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
    """Run in a fresh interpreter: parse ``paths`` once, report peak RSS as JSON."""
    impl, paths = spec["impl"], spec["paths"]
    import importlib

    for module in spec.get("deps", ()):
        importlib.import_module(module)
    if impl == "ours":
        from jixiao_parser import parse_all
        from jixiao_parser.readers import reader_for

        for fmt in spec.get("formats", ()):
            reader_for(fmt)

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
    elapsed = time.perf_counter() - t0
    # Linux: VmHWM is this process's own high-water mark. ru_maxrss is not used
    # there because the kernel carries the parent's high-water mark across
    # fork+exec, so a child of a big parent would report the parent's size.
    peak = _proc_status_kb("VmHWM") or _maxrss_kb()
    out = {
        "count": count,
        "seconds": elapsed,
        "peak_kb": peak,
        "baseline_kb": baseline,
        "ru_maxrss_kb": _maxrss_kb(),
    }
    print(json.dumps(out))


def rss_child(
    paths: Sequence[Path], *, impl: str = "ours", formats: Sequence[str] = (), timeout: float = 900
) -> dict[str, Any]:
    deps: list[str] = []
    for fmt in formats:
        deps.extend(READER_DEPS.get(fmt, ()))
    if impl == "pdfminer":
        deps.extend(READER_DEPS["pdf"])
    spec = {"impl": impl, "paths": [str(p) for p in paths], "formats": list(formats), "deps": deps}
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# ----------------------------------------------------------------------------
# Report


class Report:
    def __init__(self) -> None:
        self.formats: dict[str, dict[str, Any]] = {}
        self.ratios: list[dict[str, Any]] = []
        self.notes: list[str] = []

    def fmt_row(self, fmt: str, **values: Any) -> None:
        self.formats.setdefault(fmt, {}).update(values)

    def ratio(
        self,
        name: str,
        value: float | None,
        op: str | None,
        target: float | None,
        unit: str = "",
        detail: str = "",
    ) -> None:
        if value is None:
            verdict = "ERROR"
        elif op is None or target is None:
            verdict = "info"
        else:
            ok = value <= target if op == "<=" else value >= target
            verdict = "PASS" if ok else "FAIL"
        self.ratios.append(
            {
                "name": name,
                "value": value,
                "op": op,
                "target": target,
                "unit": unit,
                "verdict": verdict,
                "detail": detail,
            }
        )

    def error(self, what: str, exc: BaseException) -> None:
        msg = f"{what}: {type(exc).__name__}: {exc}"
        self.notes.append("ERROR " + msg)
        log("ERROR " + msg)
        traceback.print_exc(file=sys.stderr)


def _num(v: Any, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def render(rep: Report, meta: dict[str, Any]) -> str:
    out = [
        "",
        f"jixiao_parser benchmark ({meta['mode']}) — {meta['when']}",
        f"python {meta['python']} on {meta['machine']}, {meta['cpus']} CPUs; "
        f"best of {meta['reps']} repetitions; peak RSS per fresh child process",
        "",
        "Throughput and memory per format (corpus unless noted)",
    ]
    rows = []
    for fmt, r in rep.formats.items():
        rows.append(
            [
                fmt,
                _num(r.get("files"), "d"),
                _num(r.get("forms"), "d"),
                _num(r.get("pages"), "d"),
                _num(r.get("forms_per_s"), ",.1f"),
                _num(r.get("pages_per_s"), ",.1f"),
                _num(r.get("ms_per_form"), ",.1f"),
                _num(r.get("peak_mb"), ".1f"),
                _num(r.get("baseline_mb"), ".1f"),
            ]
        )
    out.append(
        _table(
            [
                "input",
                "files",
                "forms",
                "pages",
                "forms/s",
                "pages/s",
                "ms/form",
                "peak RSS MB",
                "after-import MB",
            ],
            rows,
            right={1, 2, 3, 4, 5, 6, 7, 8},
        )
    )
    out += ["", "Ratios and targets"]
    rows = []
    for r in rep.ratios:
        value = "-" if r["value"] is None else f"{r['value']:,.2f}{r['unit']}"
        target = "-" if r["target"] is None else f"{r['op']} {r['target']:,.2f}{r['unit']}"
        rows.append([r["name"], value, target, r["verdict"], r["detail"]])
    out.append(_table(["measure", "value", "target", "result", "detail"], rows, right={1}))
    passed = sum(r["verdict"] == "PASS" for r in rep.ratios)
    judged = sum(r["verdict"] in ("PASS", "FAIL", "ERROR") for r in rep.ratios)
    out += ["", f"{passed}/{judged} targets met."]
    if rep.notes:
        out += ["", *rep.notes]
    return "\n".join(out)


# ----------------------------------------------------------------------------
# Measurements


def format_row(rep: Report, fmt: str, blobs: list[bytes], forms: int, t: float) -> None:
    row: dict[str, Any] = {
        "files": len(blobs),
        "forms": forms,
        "forms_per_s": forms / t,
        "ms_per_form": 1000 * t / forms,
        "seconds": t,
    }
    if fmt == "pdf":
        pages = sum(pdf_pages(b) for b in blobs)
        row.update(pages=pages, pages_per_s=pages / t)
    rep.fmt_row(fmt, **row)
    log(f"{fmt}: {forms} forms in {t:.3f}s ({forms / t:,.1f} forms/s)")


def bench_format(
    rep: Report,
    fmt: str,
    reps: int,
    baselines: Sequence[Callable[[list[bytes]], Callable[[], object]]] = (),
) -> list[float]:
    """Warm throughput of ``parse_all(bytes)`` over the corpus files of one format,
    interleaved with the given baselines on the same bytes; the best times, ours first."""
    blobs = [p.read_bytes() for p in corpus_files(fmt)]
    makers = [ours_on, *baselines]
    for make in makers:  # warm-up: imports, regexes, lazily built tables
        make(blobs[:3])()
    times, results = best_times([make(blobs) for make in makers], reps)
    format_row(rep, fmt, blobs, results[0], times[0])
    return times


def bench_text_seeds(rep: Report, batches: int, per_batch: int) -> None:
    from jixiao_parser import parse_text
    from jixiao_parser.readers.text import decode_text

    texts = [decode_text(p.read_bytes()) for p in seed_files()]
    forms_per_pass = sum(len(parse_text(t)) for t in texts)  # warm-up

    def batch() -> None:
        for _ in range(per_batch):
            for t in texts:
                parse_text(t)

    (t,), _ = best_times([batch], batches)
    rate = forms_per_pass * per_batch / t
    rep.fmt_row(
        "text seeds (parse_text)",
        files=len(texts),
        forms=forms_per_pass,
        forms_per_s=rate,
        ms_per_form=1000 / rate,
    )
    rep.ratio(
        "Text: parse_text forms/s per core (2 seeds)",
        rate,
        ">=",
        1000,
        "/s",
        f"best batch of {per_batch}x{len(texts)} forms, of {batches}",
    )
    log(f"text seeds: {rate:,.1f} forms/s")


def bench_parse_many(rep: Report, paths: list[Path], forms: int, reps: int) -> None:
    from jixiao_parser import parse_many

    def run(workers: int) -> Callable[[], int]:
        def go() -> int:
            return sum(len(r.reports) for r in parse_many(paths, workers=workers))

        return go

    sum(len(r.reports) for r in parse_many(paths[:20], workers=1))  # warm-up
    (t1, t2), (got, got2) = best_times([run(1), run(2)], reps)
    if not got == got2 == forms:
        rep.notes.append(f"parse_many: expected {forms} forms, got {got} (1w) and {got2} (2w)")
    ratio = t1 / t2
    rep.fmt_row(
        f"text set, parse_many w=1 ({len(paths)} files)",
        files=len(paths),
        forms=got,
        forms_per_s=got / t1,
        ms_per_form=1000 * t1 / got,
    )
    rep.fmt_row(
        f"text set, parse_many w=2 ({len(paths)} files)",
        files=len(paths),
        forms=got,
        forms_per_s=got / t2,
        ms_per_form=1000 * t2 / got,
    )
    rep.ratio(
        "parse_many: 2 workers / 1 worker throughput",
        ratio,
        ">=",
        1.8,
        "x",
        f"{got} forms: 1w {t1:.2f}s, 2w {t2:.2f}s ({os.cpu_count()} CPUs)",
    )
    log(f"parse_many: 1w {t1:.2f}s 2w {t2:.2f}s -> {ratio:.2f}x")


def bench_text_set(rep: Report, paths: list[Path], forms: int, reps: int) -> None:
    """parse_all on every file of the generated text set (bytes in memory)."""
    blobs = [p.read_bytes() for p in paths]
    (t,), _ = best_times([ours_on(blobs)], reps)
    rep.fmt_row(
        f"text set, parse_all ({len(paths)} files)",
        files=len(paths),
        forms=forms,
        forms_per_s=forms / t,
        ms_per_form=1000 * t / forms,
    )
    log(f"text set: {forms} forms in {t:.2f}s")


def mb(kb: int | None) -> float | None:
    return None if kb is None else kb / 1024


# ----------------------------------------------------------------------------
# Profile


def profile(fmt: str, seconds: float) -> None:
    files = corpus_files(fmt)
    blobs = [p.read_bytes() for p in files]
    ours = ours_on(blobs)
    ours()  # warm-up
    rounds = 0
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    t0 = time.perf_counter()
    if Profiler is not None:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        while time.perf_counter() - t0 < seconds:
            ours()
            rounds += 1
        profiler.stop()
        print(f"pyinstrument: {rounds} passes over {len(files)} {fmt} files")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    else:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        while time.perf_counter() - t0 < seconds:
            ours()
            rounds += 1
        prof.disable()
        print(f"cProfile: {rounds} passes over {len(files)} {fmt} files")
        stats = pstats.Stats(prof).strip_dirs()
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)


# ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="under 2 minutes: fewer reps, smaller sets"
    )
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument(
        "--profile", choices=FORMATS, help="profile one format instead of the benchmark"
    )
    ap.add_argument("--profile-seconds", type=float, default=20.0)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(json.loads(args.child))
        return 0
    if args.profile:
        profile(args.profile, args.profile_seconds)
        return 0

    quick = args.quick
    cfg = {
        "reps": 2 if quick else 5,  # best-of for the ratios
        "pdf_reps": 2 if quick else 4,
        "text_forms": 600 if quick else 2000,  # generated text set / parse_many
        "many_reps": 2 if quick else 3,
        "seed_batches": 5 if quick else 10,
        "seed_per_batch": 15 if quick else 60,
        "rss_pages": (75, 300),
        "big_pdf_ratio": not quick,  # ratios on the ~75-page PDF too
        "pdfminer_rss": not quick,  # pdfminer's own peak on the ~300-page PDF
        "rss_parallel": 2 if quick else 1,  # RSS children at once
    }
    rep = Report()
    started = time.perf_counter()
    meta = {
        "mode": "quick" if quick else "full",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "reps": cfg["reps"],
    }
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        run_all(rep, cfg, tmp)
    except Exception as exc:  # a report, not a test: print what we have
        rep.error("benchmark", exc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta["seconds"] = round(time.perf_counter() - started, 1)
    print(render(rep, meta))
    print(f"\n(total {meta['seconds']}s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "meta": meta,
                    "config": cfg,
                    "formats": rep.formats,
                    "ratios": rep.ratios,
                    "notes": rep.notes,
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )
    return 0


def run_all(rep: Report, cfg: dict[str, Any], tmp: Path) -> None:
    reps = cfg["reps"]
    log(f"temp dir {tmp}")

    # -- generated inputs -------------------------------------------------
    text_paths, text_forms = build_text_set(tmp, cfg["text_forms"])
    log(f"generated text set: {len(text_paths)} files, {text_forms} forms")
    big: dict[int, tuple[Path, int]] = {}
    for pages in cfg["rss_pages"]:
        try:
            big[pages] = build_big_pdf(tmp, pages)
            log(f"generated PDF: {big[pages][1]} pages")
        except Exception as exc:
            rep.error(f"building a {pages}-page PDF", exc)

    # -- peak RSS, each in a fresh child, before the timings -------------------
    # Each child is its own measurement. In --quick two run at once (one per
    # core): that does not change a child's peak RSS, only its wall time, which
    # is shown for the generated PDFs as a rough pages/s.
    jobs: dict[str, Callable[[], dict[str, Any]]] = {}
    for pages in cfg["rss_pages"]:
        if pages in big:
            jobs[f"big{pages}"] = functools.partial(rss_child, [big[pages][0]], formats=["pdf"])
    if cfg["pdfminer_rss"] and 300 in big:
        jobs["pdfminer300"] = functools.partial(rss_child, [big[300][0]], impl="pdfminer")
    for fmt in FORMATS:
        jobs[fmt] = functools.partial(rss_child, corpus_files(fmt), formats=[fmt])
    with ThreadPoolExecutor(max_workers=cfg["rss_parallel"]) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
    rss: dict[str, dict[str, Any]] = {}
    for name, future in futures.items():
        try:
            rss[name] = future.result()
            log(f"peak RSS {name}: {mb(rss[name]['peak_kb']):.1f} MB")
        except Exception as exc:
            rep.error(f"peak RSS {name}", exc)
    for fmt in FORMATS:
        if fmt in rss:
            r = rss[fmt]
            rep.fmt_row(fmt, peak_mb=mb(r["peak_kb"]), baseline_mb=mb(r["baseline_kb"]))
    big_rss: dict[int, dict[str, Any]] = {}
    for pages in cfg["rss_pages"]:
        if f"big{pages}" not in rss:
            continue
        r = big_rss[pages] = rss[f"big{pages}"]
        real = big[pages][1]
        rep.fmt_row(
            f"pdf, generated {real} pages (child)",
            files=1,
            forms=r["count"],
            pages=real,
            forms_per_s=r["count"] / r["seconds"],
            pages_per_s=real / r["seconds"],
            ms_per_form=1000 * r["seconds"] / r["count"],
            peak_mb=mb(r["peak_kb"]),
            baseline_mb=mb(r["baseline_kb"]),
        )
    if "pdfminer300" in rss:
        r, real = rss["pdfminer300"], big[300][1]
        rep.fmt_row(
            f"pdfminer alone, generated {real} pages (child)",
            files=1,
            pages=real,
            pages_per_s=real / r["seconds"],
            peak_mb=mb(r["peak_kb"]),
            baseline_mb=mb(r["baseline_kb"]),
        )

    # -- throughput per format (warm, in this process), with the baselines ------
    for fmt in ("text", "xls", "html"):
        try:
            bench_format(rep, fmt, reps)
        except Exception as exc:
            rep.error(f"throughput {fmt}", exc)

    names = ("PDF: ours / pdfminer interpretation", "PDF: ours / pdfplumber extract_tables")
    try:
        t_ours, t_miner, t_plumber = bench_format(
            rep, "pdf", cfg["pdf_reps"], (pdfminer_on, pdfplumber_on)
        )
        pages = rep.formats["pdf"]["pages"]
        rep.ratio(
            names[0],
            t_ours / t_miner,
            "<=",
            1.3,
            "x",
            f"ours {t_ours:.2f}s, pdfminer {t_miner:.2f}s, {pages} pages",
        )
        rep.ratio(
            names[1],
            t_ours / t_plumber,
            "<=",
            0.7,
            "x",
            f"ours {t_ours:.2f}s, pdfplumber {t_plumber:.2f}s, {pages} pages",
        )
    except Exception as exc:
        rep.error("PDF ratios", exc)
        rep.ratio(names[0], None, "<=", 1.3, "x")
        rep.ratio(names[1], None, "<=", 0.7, "x")

    try:
        bench_text_seeds(rep, cfg["seed_batches"], cfg["seed_per_batch"])
    except Exception as exc:
        rep.error("text seeds", exc)
        rep.ratio("Text: parse_text forms/s per core (2 seeds)", None, ">=", 1000, "/s")

    for fmt, name, baseline in (
        ("docx", "docx.Document", docx_load_on),
        ("xlsx", "openpyxl.load_workbook", openpyxl_load_on),
    ):
        label = f"{fmt.upper()}: ours / {name}(BytesIO)"
        try:
            t_ours, t_lib = bench_format(rep, fmt, reps, (baseline,))
            files = rep.formats[fmt]["files"]
            rep.ratio(
                label,
                t_ours / t_lib,
                "<=",
                1.5,
                "x",
                f"ours {t_ours:.3f}s, bare load {t_lib:.3f}s, {files} files",
            )
            log(f"{label}: {t_ours / t_lib:.2f}")
        except Exception as exc:
            rep.error(label, exc)
            rep.ratio(label, None, "<=", 1.5, "x")

    # -- generated text set, parse_many -------------------------------------
    try:
        bench_text_set(rep, text_paths, text_forms, reps)
    except Exception as exc:
        rep.error("text set", exc)
    try:
        bench_parse_many(rep, text_paths, text_forms, cfg["many_reps"])
    except Exception as exc:
        rep.error("parse_many", exc)
        rep.ratio("parse_many: 2 workers / 1 worker throughput", None, ">=", 1.8, "x")

    # -- memory on the big PDFs --------------------------------------------
    small, large = cfg["rss_pages"]
    if large in big_rss:
        r = big_rss[large]
        rep.ratio(
            f"Peak RSS, {big[large][1]}-page multi-form PDF",
            mb(r["peak_kb"]),
            "<=",
            200,
            " MB",
            f"after imports {mb(r['baseline_kb']):.1f} MB, {r['count']} forms",
        )
    else:
        rep.ratio(f"Peak RSS, {large}-page multi-form PDF", None, "<=", 200, " MB")
    if small in big_rss and large in big_rss:
        a, b = big_rss[small], big_rss[large]
        grow_a, grow_b = a["peak_kb"] - a["baseline_kb"], b["peak_kb"] - b["baseline_kb"]
        rep.ratio(
            f"Peak RSS flat: {big[large][1]}p / {big[small][1]}p",
            b["peak_kb"] / a["peak_kb"],
            "<=",
            1.2,
            "x",
            f"{mb(a['peak_kb']):.1f} MB -> {mb(b['peak_kb']):.1f} MB; above imports "
            f"{grow_a / 1024:.1f} -> {grow_b / 1024:.1f} MB",
        )
    else:
        rep.ratio(f"Peak RSS flat: {large}p / {small}p", None, "<=", 1.2, "x")

    # -- extra (full run): PDF ratios at scale --------------------------------
    if cfg["big_pdf_ratio"] and small in big:
        path, real = big[small]
        fns = [make([path.read_bytes()]) for make in (ours_on, pdfminer_on, pdfplumber_on)]
        try:
            (t_ours, t_miner, t_plumber), _ = best_times(fns, 2)  # warm: it is big
            rep.ratio(
                f"info: ours / pdfminer, {real}-page PDF",
                t_ours / t_miner,
                None,
                None,
                "x",
                f"ours {t_ours:.1f}s ({real / t_ours:.1f} pages/s), "
                f"pdfminer {t_miner:.1f}s ({real / t_miner:.1f} pages/s)",
            )
            rep.ratio(
                f"info: ours / pdfplumber, {real}-page PDF",
                t_ours / t_plumber,
                None,
                None,
                "x",
                f"pdfplumber {t_plumber:.1f}s ({real / t_plumber:.1f} pages/s)",
            )
            log(
                f"{real}-page PDF: ours {t_ours:.1f}s pdfminer {t_miner:.1f}s "
                f"pdfplumber {t_plumber:.1f}s"
            )
        except Exception as exc:
            rep.error("PDF ratios at scale", exc)


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as exc:  # always exit 0
        print(f"benchmark aborted: {type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(0)
