"""parse_many under faults: a worker killed mid-run, an input that hangs, and
finished inputs yielded while another still runs. Each run is a subprocess
(tests/pool_faults.py) with a timeout, so a pool that stalls fails, not hangs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jixiao_parser import parse_all, parse_many

ROOT = Path(__file__).resolve().parent.parent
FAULTS = Path(__file__).with_name("pool_faults.py")
TEXT_CASES = [str(p) for p in sorted(ROOT.glob("corpus/cases/*/form.txt"))]


def _run(spec: dict[str, Any], tmp_path: Path, limit: float = 60) -> list[dict[str, Any]]:
    env = {**os.environ, "PIDFILE": str(tmp_path / "pid"), "RELEASE": str(tmp_path / "go")}
    done = subprocess.run(
        [sys.executable, str(FAULTS), "many", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=limit,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def _forms(path: str) -> int:
    return len(parse_all(path))


def _assert_good(results: list[dict[str, Any]], inputs: list[str], faults: set[str]) -> None:
    """Every input has its result, in input order; every good one its forms."""
    assert [r["path"] for r in results] == inputs
    for result in results:
        if result["path"] not in faults:
            assert result["type"] is None, result
            assert result["forms"] == _forms(result["path"]) > 0


def test_a_worker_killed_mid_run_costs_only_its_input(tmp_path: Path) -> None:
    good = TEXT_CASES[:22]
    inputs = [*good[:5], "KILL", *good[5:13], "VICTIM", *good[13:]]
    results = _run({"inputs": inputs, "workers": 2}, tmp_path)
    _assert_good(results, inputs, {"KILL", "VICTIM"})
    died = {r["path"]: r for r in results if r["type"]}
    assert set(died) == {"KILL", "VICTIM"}
    assert all(r["type"] == "WorkerDied" for r in died.values())
    assert "killed by SIGKILL" in died["KILL"]["message"]
    assert died["VICTIM"]["message"].startswith("VICTIM: the process parsing it died")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_input_that_hangs_is_stopped_at_its_deadline(workers: int, tmp_path: Path) -> None:
    good = TEXT_CASES[:10]
    inputs = [*good[:3], "HANG", *good[3:]]
    results = _run({"inputs": inputs, "workers": workers, "timeout": 0.5}, tmp_path, limit=30)
    _assert_good(results, inputs, {"HANG"})
    (hung,) = [r for r in results if r["type"]]
    assert hung["path"] == "HANG" and hung["type"] == "ResourceLimitExceeded"
    assert "deadline of 0.5 s" in hung["message"]


def test_finished_inputs_are_yielded_while_another_still_runs(tmp_path: Path) -> None:
    # WAIT returns only once the caller has had every result before it: a pool
    # that held those back until WAIT was done would stall (and the deadline of
    # 60 s, or the subprocess's timeout, would end the run with WAIT killed)
    good = TEXT_CASES[:20]
    inputs = [*good[:12], "WAIT", *good[12:]]
    spec = {"inputs": inputs, "workers": 2, "timeout": 60, "release_after": 11}
    results = _run(spec, tmp_path, limit=45)
    _assert_good(results, inputs, {"WAIT"})
    assert results[12] == {"path": "WAIT", "forms": 0, "type": None, "message": None}


def test_limits_and_timeout_reach_the_workers(tmp_path: Path) -> None:
    from jixiao_parser import Limits

    small = TEXT_CASES[:3]
    results = list(parse_many(small, workers=2, limits=Limits(max_bytes=100), timeout=30))
    assert [r.path for r in results] == small
    assert {r.error.type for r in results if r.error} == {"ResourceLimitExceeded"}
    assert all(r.error and "max_bytes" in r.error.message for r in results)


def test_bad_pool_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="workers"):
        list(parse_many(TEXT_CASES[:1], workers=-3))
    with pytest.raises(ValueError, match="timeout"):
        list(parse_many(TEXT_CASES[:1], timeout=-1))
