"""The pieces of ``bench/run.py``, the benchmark's entry point (see bench/README.md).

- ``corpus``: the inputs (corpus files, seed texts) and the sets generated from them;
- ``baselines``: what is timed, ours and the libraries underneath;
- ``timing``: best-of-N timers and back-to-back ratios;
- ``measure``: the timed measurements, one per row or ratio of the report;
- ``memory``: peak RSS in a fresh child process;
- ``caches``: the library's caches, and a parse with all of them emptied;
- ``settings``: the targets and the sizes of a quick and a full run;
- ``suite``: a whole run, in the report's order;
- ``report``: progress, the collected rows and ratios, the printed tables;
- ``machine``: the interpreter, the code measured and the machine's load;
- ``instructions``: instruction counts under cachegrind;
- ``profiling``: where our time goes.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The entry point, which child processes (peak RSS, cachegrind) run again.
SCRIPT = ROOT / "bench" / "run.py"
