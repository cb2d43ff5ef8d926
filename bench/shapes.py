#!/usr/bin/env python
"""Recovered-text speed: forms/s for text whose table structure was lost, against
the same forms as tab-separated text, measured in one run.

    python bench/shapes.py                  # about a minute
    python bench/shapes.py --reps 3         # fewer repetitions
    python bench/shapes.py --instructions   # instructions per form (valgrind, ~8 minutes)
    python bench/shapes.py --instructions --cold   # ...with every library cache emptied

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
parse the same texts again, so every per-text cache hits; ``--cold`` empties
every library cache before each form, the other extreme.
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
        "--cold", action="store_true", help="with --instructions: empty the caches before each form"
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)  # SHAPE:PASSES[:cold], under cachegrind
    args = ap.parse_args(argv)
    if args.child:
        shape, passes, *cold = args.child.split(":")
        datas = _inputs()[shape]
        caches = library_caches() if cold else []
        for k in range(1 + int(passes)):
            for data in datas:
                for cache in caches if k else ():  # (the warm-up pass fills them once)
                    cache.cache_clear()
                parse_all(data)
        return 0
    if args.instructions:
        return _count_instructions(args.cold)
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


def _count_instructions(cold: bool) -> int:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("--instructions needs valgrind (Debian: apt install valgrind)")
        return 0
    inputs = _inputs()
    script = str(Path(__file__).resolve())
    per_form = {}
    caches = "every cache emptied before each form" if cold else "warm caches"
    print(f"instructions per form under cachegrind, {caches}")
    print(f"{'shape':>9}  {'M instr/form':>12}  {'ratio':>5}  (target >= {TARGET})")
    for name in ("tabbed", *SHAPES):
        forms = sum(len(parse_all(data)) for data in inputs[name])
        child = f"{name}:{{}}" + (":cold" if cold else "")
        counts = [
            cachegrind_instructions(valgrind, [script, "--child", child.format(passes)])
            for passes in (0, 2)
        ]
        per_form[name] = (counts[1] - counts[0]) / (2 * forms)
        ratio = per_form["tabbed"] / per_form[name]
        verdict = "" if name == "tabbed" else ("PASS" if ratio >= TARGET else "FAIL")
        print(f"{name:>9}  {per_form[name] / 1e6:>12.2f}  {ratio:>5.2f}  {verdict}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
