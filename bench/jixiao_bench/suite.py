"""A whole run: the generated inputs, peak RSS in fresh children, then every
timing and ratio, in the order the report lists them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .baselines import (
    docx_load_on,
    openpyxl_load_on,
    ours_on,
    ours_pdfminer_on,
    pdfminer_on,
    pdfplumber_on,
)
from .corpus import FORMATS, build_big_pdf, build_corpus_set, build_text_set, corpus_files
from .measure import (
    bench_corpus,
    bench_machine_pairs,
    bench_parse_many,
    bench_text_seeds,
    bench_text_set,
    scaling_name,
    time_ratio,
)
from .memory import mb, rss_child
from .report import Report, log
from .settings import (
    T_FLAT,
    T_OFFICE,
    T_PDF_MINER,
    T_PDF_PDFIUM,
    T_PDF_PLUMBER,
    T_PEAK_MB,
    T_SCALING,
    T_TEXT_RATE,
)
from .timing import best_times


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
    try:
        hundred = build_big_pdf(tmp, cfg["pdfium_pages"])
        log(f"generated a {hundred[1]}-page PDF")
    except Exception as exc:
        hundred = None
        rep.error(f"building a {cfg['pdfium_pages']}-page PDF", exc)

    # -- peak RSS: fresh children, before the timings --------------------------------
    # In --quick two children run at once (one per core). That leaves each
    # child's peak RSS as it is; only its wall time (the pages/s shown for the
    # generated PDFs) may suffer.
    jobs: dict[str, Callable[[], dict[str, Any]]] = {}
    for pages, (path, _) in big.items():
        jobs[f"ours{pages}"] = functools.partial(rss_child, [path])
        jobs[f"pdfium-pages{pages}"] = functools.partial(rss_child, [path], impl="pdfium-pages")
        if cfg["pdfminer_rss"]:
            jobs[f"pdfminer{pages}"] = functools.partial(rss_child, [path], impl="pdfminer")
            jobs[f"ours-pdfminer{pages}"] = functools.partial(
                rss_child, [path], pdf_backend="pdfminer"
            )
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
        for impl in ("ours", "ours-pdfminer", "pdfminer"):
            if (r := rss.get(f"{impl}{pages}")) is None:
                continue
            label = {"ours": "pdf", "ours-pdfminer": "pdf, pdfminer backend"}.get(
                impl, "pdfminer alone"
            )
            parses = impl != "pdfminer"
            rep.row(
                f"{label}: generated {real}-page PDF (child)",
                files=1,
                forms=r["count"] if parses else None,
                pages=real,
                forms_per_s=r["count"] / r["seconds"] if parses else None,
                pages_per_s=real / r["seconds"],
                ms_per_form=1000 * r["seconds"] / r["count"] if parses else None,
                peak_mb=mb(r["peak_kb"]),
                baseline_mb=mb(r["baseline_kb"]),
            )

    # -- throughput per format, and the ratios to the libraries underneath -----------
    for fmt in ("text", "xls", "html"):
        try:
            bench_corpus(rep, fmt, reps)
        except Exception as exc:
            rep.error(f"throughput {fmt}", exc)

    # "ours" is the default, pdf_backend="auto": pdfium, pypdfium2 being installed
    names = (
        ("PDF: ours (pdfium) / pdfminer interpretation", T_PDF_PDFIUM),
        ("PDF: ours (pdfminer backend) / pdfminer interpretation", T_PDF_MINER),
        ("PDF: ours (pdfium) / pdfplumber extract_tables", T_PDF_PLUMBER),
    )
    try:
        ours, miner, plumber, ours_miner = bench_corpus(
            rep, "pdf", cfg["pdf_reps"], (pdfminer_on, pdfplumber_on, ours_pdfminer_on)
        )
        what = f"corpus, {rep.rows['pdf']['pages']} pages"
        for (name, goal), (mine, theirs) in zip(
            names, ((ours, miner), (ours_miner, miner), (ours, plumber)), strict=True
        ):
            time_ratio(rep, name, mine, theirs, goal, what)
    except Exception as exc:
        rep.error("PDF ratios", exc)
        for name, goal in names:
            rep.ratio(name, None, goal)
    name = f"PDF: ours (pdfium) / pdfminer interpretation, {cfg['pdfium_pages']}-page PDF"
    try:
        if hundred is None:
            raise RuntimeError("no multi-form PDF")
        path, real = hundred
        name = f"PDF: ours (pdfium) / pdfminer interpretation, {real}-page multi-form PDF"
        data = [path.read_bytes()]
        whole, interp = best_times([ours_on(data), pdfminer_on(data)], cfg["pdf_reps"])
        what = f"{whole.result} forms, ours {real / whole.wall:.1f} pages/s"
        time_ratio(rep, name, whole, interp, T_PDF_PDFIUM, what)
    except Exception as exc:
        rep.error(name, exc)
        rep.ratio(name, None, T_PDF_PDFIUM)

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
        if (m := rss.get(f"ours-pdfminer{large}")) is not None:
            detail += f"; pdfminer backend {mb(m['peak_kb']):.1f} MB"
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
        for impl, label in (
            ("pdfium-pages", "pdfium page extraction alone"),
            ("ours-pdfminer", "pdfminer backend"),
            ("pdfminer", "pdfminer alone"),
        ):
            ma, mb_ = rss.get(f"{impl}{small}"), rss.get(f"{impl}{large}")
            if ma is not None and mb_ is not None:
                detail += f"; {label} {mb_['peak_kb'] / ma['peak_kb']:.2f}x"
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
            name = f"info: ours (pdfium) / pdfminer, {real}-page PDF"
            time_ratio(rep, name, ours, miner, None, what)
            time_ratio(
                rep,
                f"info: ours (pdfium) / pdfplumber, {real}-page PDF",
                ours,
                plumber,
                None,
                f"pdfplumber {real / plumber.wall:.1f} pages/s",
            )
        except Exception as exc:
            rep.error("PDF ratios on the generated PDF", exc)
        rep.sample_load()
