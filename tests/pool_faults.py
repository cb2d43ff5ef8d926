"""Faults for parse_many's pool and the CLI, run as a script in a subprocess
(so that a pool that stalls fails its test by timeout instead of stalling it).

Inputs named by a fault stand for a bad file: ``KILL`` kills the worker
parsing it (SIGKILL), ``VICTIM`` is killed by another thread of the caller
while it is parsed, ``HANG`` never returns, ``WAIT`` returns once the file
named by ``$RELEASE`` exists, ``SLOW*`` sleeps 30 s, ``PAUSE``
holds no form after 0.5 s. Any other input is parsed.

``python pool_faults.py many JSON`` runs parse_many (JSON: inputs, workers,
timeout, release_after) and prints one JSON line per result;
``python pool_faults.py cli ARGS...`` runs the ``jixiao`` command.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import jixiao_parser.pipeline as pipeline

_real = pipeline._parse_one


def _faulty(source: Any, *args: Any, **kwargs: Any) -> pipeline.ParseResult:
    name = os.path.basename(str(source))
    if name == "KILL":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "VICTIM":
        Path(os.environ["PIDFILE"]).write_text(str(os.getpid()))
        time.sleep(3600)
    if name == "HANG":
        time.sleep(3600)
    if name == "WAIT":
        release = Path(os.environ["RELEASE"])
        while not release.exists():
            time.sleep(0.02)
        return pipeline.ParseResult(str(source))
    if name.startswith("SLOW"):
        time.sleep(30)
    if name == "PAUSE":
        time.sleep(0.5)
        return pipeline.ParseResult(str(source))
    return _real(source, *args, **kwargs)


pipeline._parse_one = _faulty  # type: ignore[assignment]


def _kill_victim() -> None:
    pidfile = Path(os.environ["PIDFILE"])
    while not pidfile.exists() or not pidfile.read_text():
        time.sleep(0.02)
    os.kill(int(pidfile.read_text()), signal.SIGKILL)


def many(spec: dict[str, Any]) -> None:
    if "VICTIM" in spec["inputs"]:
        threading.Thread(target=_kill_victim, daemon=True).start()
    results = pipeline.parse_many(
        spec["inputs"], workers=spec.get("workers"), timeout=spec.get("timeout")
    )
    for k, result in enumerate(results):
        if k == spec.get("release_after"):
            Path(os.environ["RELEASE"]).touch()
        line = {
            "path": result.path,
            "forms": len(result.reports),
            "type": result.error.type if result.error else None,
            "message": result.error.message if result.error else None,
        }
        print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "many":
        many(json.loads(sys.argv[2]))
    else:
        from jixiao_parser.cli import main

        sys.exit(main(sys.argv[2:]))
