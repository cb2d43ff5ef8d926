"""Finding corpus cases and parsing them as the golden files record them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao_parser import parse_all

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
_NOT_INPUT = {"golden.json", "facts.json", "NOTE.md"}


def case_dirs() -> list[Path]:
    """Every text corpus case: a folder under corpus/seeds/ or corpus/cases/."""
    groups = (CORPUS / "seeds", CORPUS / "cases")
    return sorted(p.parent for group in groups for p in group.glob("*/NOTE.md"))


def case_input(case: Path) -> Path:
    inputs = [p for p in case.iterdir() if p.is_file() and p.name not in _NOT_INPUT]
    if len(inputs) != 1:
        msg = f"{case}: expected one input file, found {[p.name for p in inputs]}"
        raise AssertionError(msg)
    return inputs[0]


def case_output(case: Path) -> list[dict[str, Any]]:
    """``to_dict()`` of every form in the case, with the path relative to the repo."""
    source = case_input(case)
    out = []
    for report in parse_all(source):
        d = report.to_dict()
        d["source"]["path"] = source.relative_to(ROOT).as_posix()
        out.append(d)
    return out


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"
