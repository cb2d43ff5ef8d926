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

This script reads the flags and prints the report; the measurements live in
the package beside it, bench/jixiao_bench/ (one module per concern).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The pieces live in the package beside this script (bench/jixiao_bench/), which
# Python finds because a script's own directory comes first on sys.path.
from jixiao_bench.corpus import FORMATS
from jixiao_bench.instructions import count_instructions, instructions_child
from jixiao_bench.machine import code_state, interpreter, machine_busy
from jixiao_bench.memory import child_main
from jixiao_bench.profiling import profile
from jixiao_bench.report import Report, render
from jixiao_bench.settings import config
from jixiao_bench.suite import run_all
from jixiao_bench.timing import cpu_time


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
