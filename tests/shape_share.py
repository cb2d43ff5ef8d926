"""How much of a form's report survives a shape: the share of the golden's fields
that a rendition's report has, equal, at the same place.

A field is a leaf of the report's JSON (a string, number, boolean or null, or an
empty list or object) under its path (``$[0].indicators[3].target.value``).
``source``, locations (``where``), diagnostics and leftover text are left out
(a recovered report says how it was read, and where is a line of another
file); strings are compared without whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus_cases import ROOT

SHAPES_DIR = ROOT / "corpus" / "shapes"
SHAPES = ("wrapped", "lines", "bars", "markdown", "spaces", "glued")
_LEFT_OUT = frozenset({"source", "where", "diagnostics", "leftover"})


def leaves(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """Every field of ``value`` with its path.

    >>> dict(leaves({"a": [1, {"b": " x y "}], "where": "line 3", "c": []}))
    {'$.a[0]': 1, '$.a[1].b': 'xy', '$.c': []}
    """
    if isinstance(value, dict) and value:
        for key, item in value.items():
            if key not in _LEFT_OUT:
                yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list) and value:
        for k, item in enumerate(value):
            yield from leaves(item, f"{path}[{k}]")
    elif isinstance(value, str):
        yield path, "".join(value.split())
    else:
        yield path, value


def field_counts(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> tuple[int, int]:
    """(fields of ``want`` that ``got`` has equal, fields of ``want``).

    >>> field_counts([{"a": 1, "b": 2}], [{"a": 1, "b": 3}])
    (1, 2)
    >>> field_counts([], [{"a": 1}])
    (0, 1)
    """
    have = dict(leaves(got))
    expected = list(leaves(want))
    same = sum(1 for path, v in expected if path in have and _equal(have[path], v))
    return same, len(expected)


def _equal(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def shape_files(shape: str) -> list[Path]:
    return sorted((SHAPES_DIR / shape).glob("*.txt"))
