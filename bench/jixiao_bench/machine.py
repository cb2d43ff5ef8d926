"""What a run ran on: the interpreter and its build, the code measured (commit and
uncommitted changes), and the CPU time the whole machine used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import ROOT


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
