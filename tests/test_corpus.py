"""Every corpus case against its reviewed golden file and its hand-written facts.

Regenerate goldens for review with::

    python -m pytest tests/test_corpus.py --update-goldens && git diff corpus/
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corpus_cases import case_dirs, case_id, case_output

CASES = case_dirs()


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_golden(case: Path, request: pytest.FixtureRequest) -> None:
    golden = case / "golden.json"
    output = case_output(case)
    if request.config.getoption("--update-goldens"):
        golden.write_text(_dump(output), encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run with --update-goldens and review it"
    assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(_dump(output))


def _contains(actual: Any, expected: Any, path: str = "$") -> list[str]:
    """Where ``actual`` differs from the partial ``expected`` (keys subset, same list lengths)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        errors = []
        for key, value in expected.items():
            if key not in actual:
                errors.append(f"{path}.{key}: missing")
            else:
                errors.extend(_contains(actual[key], value, f"{path}.{key}"))
        return errors
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            n = len(actual) if isinstance(actual, list) else "not a list"
            return [f"{path}: expected {len(expected)} items, got {n}"]
        return [
            e
            for k, (a, x) in enumerate(zip(actual, expected, strict=True))
            for e in _contains(a, x, f"{path}[{k}]")
        ]
    if actual != expected or isinstance(actual, bool) != isinstance(expected, bool):
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


@pytest.mark.parametrize("case", [c for c in CASES if (c / "facts.json").exists()], ids=case_id)
def test_facts(case: Path) -> None:
    facts = json.loads((case / "facts.json").read_text(encoding="utf-8"))
    errors = _contains(case_output(case), facts)
    assert not errors, "\n".join(errors)


def test_corpus_has_cases() -> None:
    assert len(CASES) >= 10
    assert all((c / "NOTE.md").read_text(encoding="utf-8").strip() for c in CASES)


def test_contains_reports_differences() -> None:
    assert _contains({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) == []
    assert _contains({"a": [1, {"b": 3}]}, {"a": [1, {"b": 2}]}) == ["$.a[1].b: expected 2, got 3"]
    assert _contains({"a": [1]}, {"a": [1, 2]}) == ["$.a: expected 2 items, got 1"]
    assert _contains({}, {"x": None}) == ["$.x: missing"]
    assert _contains({"x": 1}, {"x": True}) != []
