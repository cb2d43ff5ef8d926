"""Run the hostile-input classes at full size (or small), each in a child process
under a memory cap and a timeout, and print what each gave.

    python tools/hostile.py                  # every class, full size
    python tools/hostile.py --size small     # the sizes the test suite uses
    python tools/hostile.py pdf_flate_bomb html_span --timeout 300

The classes, and what each must give, are in ``tests/hostile.py``; the test
suite (``tests/test_hostile.py``) runs them at small size. Full size makes
files of a few MB that inflate to several GB (generating the Flate and zip
bombs takes a minute or so); the child may use ``--memory`` MB of address space
(default 1536). Exits non-zero when a class does not give what it must.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import hostile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="classes to run (default: all)")
    parser.add_argument("--size", choices=("small", "full"), default="full")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per parse")
    parser.add_argument("--memory", type=int, default=1536, help="MB of address space")
    args = parser.parse_args()
    names = args.names or list(hostile.CLASSES)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="jixiao-hostile-") as tmp:
        for name in names:
            case = hostile.CLASSES[name]
            started = time.monotonic()
            data = case.make(args.size)
            made = time.monotonic() - started
            path = Path(tmp) / name
            path.write_bytes(data)
            for backend in ("pdfium", "pdfminer") if case.pdf else (None,):
                options = case.options(args.size)
                if backend:
                    options["pdf_backend"] = backend
                started = time.monotonic()
                outcome = hostile.run(
                    path, timeout=args.timeout, memory=args.memory * 2**20, options=options
                )
                took = time.monotonic() - started
                wrong = hostile.verdict(case, outcome)
                failed += bool(wrong)
                shown = outcome.get("error") or f"{outcome.get('forms')} form(s)"
                shown += f" (peak {outcome['peak_mb']} MB)" if "peak_mb" in outcome else ""
                print(f"{'FAIL' if wrong else 'ok  '} {name:26} {backend or '':8} "
                      f"{len(data):>11,} B made in {made:5.1f} s, parsed in {took:6.1f} s: "
                      f"{shown}{' — ' + wrong if wrong else ''}", flush=True)  # fmt: skip
            path.unlink()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
