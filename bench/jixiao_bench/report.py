"""The report: progress on stderr, the rows and ratios a run collects, and the
tables printed at the end."""

from __future__ import annotations

import os
import sys
import time
import traceback
from typing import Any


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Report:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.ratios: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.load: list[float] = []

    def sample_load(self) -> None:
        if hasattr(os, "getloadavg"):
            self.load.append(os.getloadavg()[0])

    def row(self, name: str, **values: Any) -> None:
        self.rows.setdefault(name, {}).update(values)

    def ratio(
        self,
        name: str,
        value: float | None,
        target: tuple[str, float] | None,
        unit: str = "x",
        detail: str = "",
    ) -> None:
        if value is None:
            verdict = "ERROR"
        elif target is None:
            verdict = "info"
        else:
            op, limit = target
            verdict = "PASS" if (value <= limit if op == "<=" else value >= limit) else "FAIL"
        self.ratios.append(
            {
                "name": name,
                "value": value,
                "op": target and target[0],
                "target": target and target[1],
                "unit": unit,
                "verdict": verdict,
                "detail": detail,
            }
        )

    def error(self, what: str, exc: BaseException) -> None:
        msg = f"ERROR {what}: {type(exc).__name__}: {exc}"
        self.notes.append(msg)
        log(msg)
        traceback.print_exc(file=sys.stderr)


def _num(v: Any, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def render(rep: Report, meta: dict[str, Any]) -> str:
    out = [
        "",
        f"jixiao_parser benchmark ({meta['mode']}), {meta['when']}, {meta['seconds']}s, "
        f"commit {meta['git']}",
        f"Python {meta['python']}, {meta['machine']}, {meta['cpus']} CPUs; timings: best of "
        f"{meta['reps']} (PDF {meta['pdf_reps']}), warm, wall clock; peak RSS: a fresh child "
        "process per measurement",
        # how the interpreter was built moves every time (PGO/LTO builds run faster)
        f"Interpreter: {meta.get('interpreter', '?')}",
    ]
    others = meta.get("other_cpus")
    if rep.load or others is not None:
        seen = []
        if others is not None:
            seen.append(f"other processes kept {others:.2f} of {meta['cpus']} CPUs busy on average")
        if rep.load:
            seen.append(
                f"1-min load average {min(rep.load):.1f} .. {max(rep.load):.1f} (ours included)"
            )
        out.append("During the run: " + "; ".join(seen))
        if (others if others is not None else max(rep.load) - 1) > 0.2:
            out.append(
                "WARNING: other processes were using the CPUs: wall-clock numbers are slowed "
                "and ratios noisy (parse_many scaling most of all). The 'cpu' figures in the "
                "details (process_time) are less affected. Re-run on an idle machine."
            )
    out += ["", "Throughput and memory (corpus files unless noted)"]
    rows = [
        [
            name,
            _num(r.get("files"), "d"),
            _num(r.get("forms"), "d"),
            _num(r.get("pages"), "d"),
            _num(r.get("forms_per_s"), ",.1f"),
            _num(r.get("pages_per_s"), ",.1f"),
            _num(r.get("ms_per_form"), ",.1f"),
            _num(r.get("peak_mb"), ".1f"),
            _num(r.get("baseline_mb"), ".1f"),
        ]
        for name, r in rep.rows.items()
    ]
    heads = [
        "input",
        "files",
        "forms",
        "pages",
        "forms/s",
        "pages/s",
        "ms/form",
        "peak RSS MB",
        "after imports MB",
    ]
    out.append(_table(heads, rows, right=set(range(1, 9))))
    out += ["", "Ratios and targets"]
    rows = []
    for r in rep.ratios:
        value = "-" if r["value"] is None else f"{r['value']:,.2f}{r['unit']}"
        target = "-" if r["target"] is None else f"{r['op']} {r['target']:,.2f}{r['unit']}"
        rows.append([r["name"], value, target, r["verdict"], r["detail"]])
    out.append(_table(["measure", "value", "target", "result", "detail"], rows, right={1}))
    judged = [r for r in rep.ratios if r["verdict"] != "info"]
    passed = sum(r["verdict"] == "PASS" for r in judged)
    out += ["", f"{passed}/{len(judged)} targets met."]
    if rep.notes:
        out += ["", *rep.notes]
    return "\n".join(out)
