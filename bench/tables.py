"""How long the table writers take: the corpus's forms, repeated, through every writer.

    python bench/tables.py [--repeat 20]

Prints, per writer, the rows written and the seconds taken. Parsing is not
timed (the forms are parsed once, then repeated).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_cases import case_dirs, case_input  # noqa: E402
from jixiao_parser import (  # noqa: E402
    parse_all,
    to_csv,
    to_dataframe,
    to_rows,
    write_parquet,
    write_xlsx,
)
from jixiao_parser.tables import TABLES  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="copies of the corpus's forms")
    args = ap.parse_args()
    reports = [r for case in case_dirs() for r in parse_all(case_input(case))] * args.repeat
    print(f"{len(reports)} forms")
    folder = tempfile.mkdtemp()
    for table in TABLES:
        steps = {
            "to_rows": lambda t=table: len(to_rows(reports, t)),
            "to_csv": lambda t=table: len(list(csv.reader(io.StringIO(to_csv(reports, t))))) - 1,
            "to_dataframe": lambda t=table: len(to_dataframe(reports, t)),
            "write_parquet": lambda t=table: write_parquet(
                reports, os.path.join(folder, f"{t}.parquet"), t
            ),
        }
        for name, step in steps.items():
            start = time.perf_counter()
            rows = step()
            print(f"{table:12} {name:14} {rows:7} rows {time.perf_counter() - start:7.2f} s")
    start = time.perf_counter()
    counts = write_xlsx(reports, os.path.join(folder, "all.xlsx"))
    cells = sum(n * len(TABLES[t].columns) for t, n in counts.items())
    took = time.perf_counter() - start
    print(
        f"{'all':12} {'write_xlsx':14} {sum(counts.values()):7} rows {took:7.2f} s ({cells} cells)"
    )


if __name__ == "__main__":
    main()
