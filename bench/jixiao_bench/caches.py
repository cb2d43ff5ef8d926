"""The library's caches: finding every one, and timing a parse with all of them
emptied first."""

from __future__ import annotations

import importlib
import time
from typing import Any

# cached loaders, not lookups: what they hold is built once per process
LOADED_ONCE = frozenset({"_t2s"})


def library_caches() -> list[Any]:
    """Every cache jixiao_parser keeps between parses (``functools.lru_cache``
    wrappers at module level, and the cached table lookups of ``vocab``)."""
    import pkgutil

    import jixiao_parser
    from jixiao_parser import vocab

    found: dict[int, Any] = {}
    for info in pkgutil.walk_packages(jixiao_parser.__path__, "jixiao_parser."):
        if info.name.endswith(("__main__", ".dask")):
            continue  # a CLI entry point, and an optional dependency
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if isinstance(obj, type) or name in LOADED_ONCE:
                continue  # a class of caches is no cache; cached loaders stay loaded
            if callable(getattr(obj, "cache_clear", None)):
                found[id(obj)] = obj
    for _table, lookup in vocab._FINDERS.values():
        found[id(lookup)] = lookup
    return list(found.values())


def cold_seconds_per_form(texts: list[str], passes: int, batches: int) -> float:
    """Best mean CPU seconds per form when every library cache is emptied before
    each parse (the emptying itself is not timed)."""
    from jixiao_parser import parse_text

    caches = library_caches()
    best = float("inf")
    for _ in range(batches):
        spent, count = 0.0, 0
        for _ in range(passes):
            for t in texts:
                for cache in caches:
                    cache.cache_clear()
                t0 = time.process_time()
                count += len(parse_text(t))
                spent += time.process_time() - t0
        best = min(best, spent / count)
    return best
