"""Forms whose table structure is lost: every corpus case rendered into each
shape of ``corpus/shapes/`` (``tools/render_corpus.py --shapes-only``) gives
back most of its golden report.

The share of fields recovered per shape is printed (``pytest -s``) and held to
its floor; README shows the table.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from corpus_cases import case_dirs
from jixiao_parser import parse_all
from shape_share import SHAPES, field_counts, shape_files

# The share of golden fields each shape must give back.
FLOORS = {
    "wrapped": 1.0,
    "lines": 0.98,
    "bars": 0.98,
    "markdown": 0.98,
    "spaces": 0.95,
    "glued": 0.70,
}
GOLDEN = {case.name: case / "golden.json" for case in case_dirs()}


def _shape_counts(shape: str) -> dict[str, tuple[int, int]]:
    out = {}
    for path in shape_files(shape):
        want = json.loads(GOLDEN[path.stem].read_text(encoding="utf-8"))
        got: list[Any] = [r.to_dict() for r in parse_all(path)]
        out[path.stem] = field_counts(got, want)
    return out


def test_every_case_is_rendered_in_every_shape() -> None:
    for shape in SHAPES:
        assert {p.stem for p in shape_files(shape)} == set(GOLDEN), shape


@pytest.mark.parametrize("shape", SHAPES)
def test_shape_gives_back_its_share_of_fields(
    shape: str, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = _shape_counts(shape)
    same = sum(s for s, _ in counts.values())
    total = sum(t for _, t in counts.values())
    share = same / total
    worst = sorted(counts.items(), key=lambda kv: kv[1][0] / kv[1][1])[:3]
    with capsys.disabled():
        cases = ", ".join(f"{name} {s / t:.0%}" for name, (s, t) in worst)
        print(f"\n{shape:>9}: {share:7.2%} of {total} fields (lowest: {cases})")
    assert share >= FLOORS[shape]
