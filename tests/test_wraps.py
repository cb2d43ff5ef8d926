"""Wrapped cells in tab-separated text: a line break inside a cell, anywhere in
any corpus form, leaves the report as it was.

A cell copied out of a page keeps its line breaks, so the rest of its row goes
on on the next line (or the cell's tail stands alone on it). Breaks are put
inside cells that are not their row's first (a first cell is a label or empty
in every layout we know; a label broken in two is a different problem) and
that hold no markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_cases import case_dirs, case_input
from jixiao_parser import parse_text
from jixiao_parser.readers.text import decode_text
from shape_share import leaves

CASES = [c for c in case_dirs() if json.loads((c / "golden.json").read_text(encoding="utf-8"))]


def _slots(text: str) -> list[tuple[int, int]]:
    """(line, cell) of every cell that may be broken: not first, two or more
    characters, no markup."""
    out = []
    for k, line in enumerate(text.split("\n")):
        for c, cell in enumerate(line.split("\t")[1:], start=1):
            if len(cell.strip()) >= 2 and "<" not in cell and "&" not in cell and "\t" in line:
                out.append((k, c))
    return out


def _break(text: str, slot: tuple[int, int], at: float) -> str:
    lines = text.split("\n")
    k, c = slot
    cells = lines[k].split("\t")
    body = cells[c].strip()
    cut = 1 + int(at * (len(body) - 2))  # 1 … len - 1: text on either side
    cells[c] = body[:cut] + "\n" + body[cut:]
    lines[k] = "\t".join(cells)
    return "\n".join(lines)


def _fields(reports: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(leaves(reports))


@st.composite
def wrapped_case(draw: st.DrawFn) -> tuple[Path, str]:
    case = draw(st.sampled_from(CASES))
    text = decode_text(case_input(case).read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    slots = _slots(text)
    chosen = draw(st.lists(st.sampled_from(slots), min_size=1, max_size=4, unique=True))
    # later lines first, so that earlier breaks do not move the slots still to make
    for slot in sorted(chosen, reverse=True):
        text = _break(text, slot, draw(st.floats(0, 1)))
    return case, text


@settings(max_examples=150, deadline=None)
@given(wrapped_case())
def test_wrapped_cells_leave_the_report_as_it_was(drawn: tuple[Path, str]) -> None:
    case, text = drawn
    want = json.loads((case / "golden.json").read_text(encoding="utf-8"))
    got = [r.to_dict() for r in parse_text(text)]
    assert _fields(got) == _fields(want)


def test_a_break_is_made_where_asked() -> None:
    assert _break("a\tbcd\te", (0, 1), 0.0) == "a\tb\ncd\te"
    assert _slots("项目名称\t示例项目\n标题") == [(0, 1)]
