"""Timers: best-of-N wall and CPU times of functions run in turn, and the median
ratio of back-to-back pairs of runs."""

from __future__ import annotations

import gc
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def cpu_time() -> float:
    """CPU seconds of this process and of its finished, reaped children (pool workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Timing:
    """Best wall time (perf_counter) and best CPU time (process_time, plus pool
    workers) of one function, and the wall time of every repetition."""

    def __init__(self) -> None:
        self.wall = float("inf")
        self.cpu = float("inf")
        self.walls: list[float] = []
        self.result: Any = None


def best_times(fns: Sequence[Callable[[], Any]], reps: int) -> list[Timing]:
    """Run each function ``reps`` times, interleaved (a, b, a, b ...) so that drift
    and other load hit them alike; keep the best times and the last result."""
    out = [Timing() for _ in fns]
    for _ in range(reps):
        for fn, timing in zip(fns, out, strict=True):
            gc.collect()
            c0, t0 = cpu_time(), time.perf_counter()
            timing.result = fn()
            timing.walls.append(time.perf_counter() - t0)
            timing.wall = min(timing.wall, timing.walls[-1])
            timing.cpu = min(timing.cpu, cpu_time() - c0)
    return out


def paired_ratio(ours: Timing, theirs: Timing) -> tuple[float, float, float]:
    """Median, least and greatest of ours / theirs over the repetitions, each
    repetition's two runs taken back to back (``best_times`` interleaves them).

    On a shared machine whose speed drifts within seconds, the best time of each
    side may come from different moments; two runs back to back see nearly the
    same machine, and the median sets aside a repetition that a burst of other
    load hit on one side only.
    """
    ratios = [a / b for a, b in zip(ours.walls, theirs.walls, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)
