#!/usr/bin/env python
"""Recovered-text speed: forms/s for text whose table structure was lost, against
the same forms as tab-separated text, measured in one run.

    python bench/shapes.py                  # about a minute
    python bench/shapes.py --reps 3         # fewer repetitions
    python bench/shapes.py --instructions   # instructions per form (valgrind, ~8 minutes)
    python bench/shapes.py --instructions --caches fresh   # forms not seen before

For every corpus case, the tab-separated source and each shape of
``corpus/shapes/`` (``tools/render_corpus.py --shapes-only``) are parsed from
memory (bytes), ours interleaved shape by shape; each figure is the best of
``--reps`` rounds over the whole corpus. Prints forms/s per shape and the ratio
to tab-separated text (target: at least 0.5 for every shape). The exit code is
always 0: this is a report, not a test.

Wall-clock ratios move by about ±0.1 between runs on a shared machine;
``--instructions`` counts instead the instructions per form of each shape under
cachegrind (a child parses the shape's forms once to warm up, then twice more;
the count is the difference from a child that stops after the warm-up), which
repeat to within 0.5% whatever the load. Like the timed rounds, these passes
parse the same texts again, so every per-text cache hits (``--caches warm``);
``--caches fresh`` counts one pass over every other case after the rest have
warmed the caches (forms not seen before, as in a pipeline), and ``--caches
cold`` empties every library cache before each form.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from jixiao_bench.caches import library_caches  # noqa: E402
from jixiao_bench.instructions import cachegrind_instructions  # noqa: E402

from jixiao_parser import parse_all  # noqa: E402

SHAPES = ("wrapped", "lines", "bars", "markdown", "spaces", "glued")
TARGET = 0.5


def _inputs() -> dict[str, list[bytes]]:
    sources: dict[str, bytes] = {}
    for group in ("seeds", "cases"):
        for case in sorted((ROOT / "corpus" / group).iterdir()):
            texts = sorted(case.glob("*.txt"))
            if texts:
                sources[case.name] = texts[0].read_bytes()
    out = {"tabbed": list(sources.values())}
    for shape in SHAPES:
        folder = ROOT / "corpus" / "shapes" / shape
        out[shape] = [(folder / f"{name}.txt").read_bytes() for name in sources]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument(
        "--instructions", action="store_true", help="count instructions per form (valgrind)"
    )
    ap.add_argument(
        "--caches",
        choices=("warm", "fresh", "cold"),
        default="warm",
        help="with --instructions: the same forms again (warm), forms not seen before (fresh), "
        "or every cache emptied before each form (cold)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)  # SHAPE:CACHES:MEASURED, under cachegrind
    args = ap.parse_args(argv)
    if args.child:
        shape, caches, measured = args.child.split(":")
        _child(_inputs()[shape], caches, measured == "1")
        return 0
    if args.instructions:
        return _count_instructions(args.caches)
    inputs = _inputs()
    forms = {name: sum(len(parse_all(data)) for data in datas) for name, datas in inputs.items()}
    best = dict.fromkeys(inputs, float("inf"))
    for _ in range(args.reps):
        for name, datas in inputs.items():
            start = time.perf_counter()
            for data in datas:
                parse_all(data)
            best[name] = min(best[name], time.perf_counter() - start)
    tabbed = forms["tabbed"] / best["tabbed"]
    print(f"{'shape':>9}  {'forms':>5}  {'forms/s':>8}  {'ratio':>5}  (target >= {TARGET})")
    for name in inputs:
        rate = forms[name] / best[name]
        verdict = "" if name == "tabbed" else ("PASS" if rate / tabbed >= TARGET else "FAIL")
        print(f"{name:>9}  {forms[name]:>5}  {rate:>8.1f}  {rate / tabbed:>5.2f}  {verdict}")
    return 0


def _measured(datas: list[bytes], caches: str) -> list[bytes]:
    """The inputs whose parse is counted: all of them, or for ``fresh`` every
    other case (the rest warm the caches first)."""
    return datas[1::2] if caches == "fresh" else datas


def _child(datas: list[bytes], caches: str, measured: bool) -> None:
    """Under cachegrind: the warm-up (every input, or for ``fresh`` every other
    case), then, when ``measured``, two passes over the measured inputs (one
    for ``fresh``: forms not seen before), with every cache emptied before each
    form for ``cold``."""
    emptied = library_caches() if caches == "cold" else []  # (imports every module)
    warm_up = datas[0::2] if caches == "fresh" else datas
    for data in warm_up:
        parse_all(data)
    if not measured:
        return
    for _ in range(1 if caches == "fresh" else 2):
        for data in _measured(datas, caches):
            for cache in emptied:
                cache.cache_clear()
            parse_all(data)


_CACHES = {
    "warm": "warm caches (the same forms again)",
    "fresh": "forms not seen before (caches warmed by the other half of the corpus)",
    "cold": "every cache emptied before each form",
}


def _count_instructions(caches: str) -> int:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("--instructions needs valgrind (Debian: apt install valgrind)")
        return 0
    inputs = _inputs()
    script = str(Path(__file__).resolve())
    per_form = {}
    print(f"instructions per form under cachegrind, {_CACHES[caches]}")
    print(f"{'shape':>9}  {'M instr/form':>12}  {'ratio':>5}  (target >= {TARGET})")
    for name in ("tabbed", *SHAPES):
        measured = _measured(inputs[name], caches)
        forms = sum(len(parse_all(data)) for data in measured) * (1 if caches == "fresh" else 2)
        counts = [
            cachegrind_instructions(valgrind, [script, "--child", f"{name}:{caches}:{flag}"])
            for flag in (0, 1)
        ]
        per_form[name] = (counts[1] - counts[0]) / forms
        ratio = per_form["tabbed"] / per_form[name]
        verdict = "" if name == "tabbed" else ("PASS" if ratio >= TARGET else "FAIL")
        print(f"{name:>9}  {per_form[name] / 1e6:>12.2f}  {ratio:>5.2f}  {verdict}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
