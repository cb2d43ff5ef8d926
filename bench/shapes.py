#!/usr/bin/env python
"""Recovered-text speed: forms/s for text whose table structure was lost, against
the same forms as tab-separated text, measured in one run.

    python bench/shapes.py            # about a minute
    python bench/shapes.py --reps 3   # fewer repetitions

For every corpus case, the tab-separated source and each shape of
``corpus/shapes/`` (``tools/render_corpus.py --shapes-only``) are parsed from
memory (bytes), ours interleaved shape by shape; each figure is the best of
``--reps`` rounds over the whole corpus. Prints forms/s per shape and the ratio
to tab-separated text (target: at least 0.5 for every shape). The exit code is
always 0: this is a report, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

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
    args = ap.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
