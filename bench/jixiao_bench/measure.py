"""The timed measurements: throughput per format against the libraries
underneath, the text seeds, the generated sets, ``parse_many`` scaling and two
independent processes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .baselines import ours_on
from .caches import cold_seconds_per_form
from .corpus import FORMATS, corpus_files, pdf_pages, seed_texts
from .memory import rss_child
from .report import Report, log
from .settings import T_TEXT_RATE
from .timing import Timing, best_times, paired_ratio


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
