"""Instructions per seed form under cachegrind (``run.py --instructions``): a
measure that does not move with the machine's load or speed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from . import ROOT, SCRIPT
from .caches import library_caches
from .corpus import seed_files, seed_texts
from .machine import code_state
from .report import log


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
    included."""
    return cachegrind_instructions(
        valgrind, [str(SCRIPT), "--child-instructions", f"{mode}:{passes}"]
    )


def cachegrind_instructions(valgrind: str, script: list[str]) -> int:
    """Instructions a Python child running ``script`` (a script and its arguments)
    executes under cachegrind, start-up included (hash seed fixed: the counts
    then repeat to within 0.5%)."""
    proc = subprocess.run(
        [
            valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
            sys.executable, *script,
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
