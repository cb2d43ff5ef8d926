"""The package's data files (``data/vocab.toml``, ``data/values.toml``), read once.

The label vocabulary, the value words and the normalisation stage's look-alike
table come from these files; each is parsed on first use and shared.
"""

from __future__ import annotations

import functools
import sys
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["load_data"]


@functools.cache
def load_data(name: str) -> dict[str, Any]:
    """A TOML file of the package's ``data/`` folder, parsed once (do not change it).

    >>> sorted(load_data("values.toml")["operators"])
    ['<', '<=', '=', '>', '>=']
    """
    data = resources.files("jixiao_parser").joinpath(f"data/{name}").read_bytes()
    return tomllib.loads(data.decode("utf-8"))
