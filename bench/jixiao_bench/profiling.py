"""Where our time goes (``run.py --profile FORMAT``): pyinstrument self time by
package and function and the call tree, or cProfile's top functions."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .baselines import ours_on
from .corpus import corpus_files, seed_files, seed_texts


def _where(path: str | None) -> tuple[str | None, str]:
    """(package, short file path) of a profiled frame; package None for the
    interpreter's own code (built-ins, the standard library), whose time is
    charged to the calling package."""
    if not path or (path.startswith("<") and "jixiao_parser" not in path):
        return None, path or "?"
    if path.startswith("<attrs generated"):  # attrs' __init__/__eq__ of one of our classes
        return "jixiao_parser", path
    parts = Path(path).parts
    if "jixiao_parser" in parts:
        k = parts.index("jixiao_parser")
        return "jixiao_parser", "/".join(parts[k:])
    for marker in ("site-packages", "dist-packages"):
        if marker in parts and parts.index(marker) + 1 < len(parts):
            k = parts.index(marker) + 1
            return parts[k].removesuffix(".py"), "/".join(parts[k:])
    return None, "/".join(parts[-2:])


def profile(fmt: str, seconds: float) -> None:
    """Profile our parse of the corpus files of one format (warm) for ``seconds``;
    ``seeds`` profiles parse_text on the two seeds, as the text target measures.

    With pyinstrument: self time by package, the functions with the most self
    time, and the call tree. Without it: cProfile's top functions."""
    ours: Callable[[], int]
    if fmt == "seeds":
        from jixiao_parser import parse_text

        files = seed_files()
        texts = seed_texts()

        def ours() -> int:
            return sum(len(parse_text(t)) for t in texts)

    else:
        files = corpus_files(fmt)
        ours = ours_on([p.read_bytes() for p in files])
    forms = ours()  # warm-up
    passes = 0
    start = time.perf_counter()
    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        while passes == 0 or time.perf_counter() - start < seconds:
            ours()
            passes += 1
        prof.disable()
        print(f"cProfile: {passes} passes over {len(files)} {fmt} files ({forms} forms)")
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler()
    profiler.start()
    while passes == 0 or time.perf_counter() - start < seconds:
        ours()
        passes += 1
    profiler.stop()
    elapsed = time.perf_counter() - start
    print(
        f"pyinstrument: {passes} passes over {len(files)} {fmt} files ({forms} forms), "
        f"{elapsed:.1f}s, {1000 * elapsed / (passes * forms):.1f} ms/form"
    )
    by_package: dict[str, float] = {}
    by_function: dict[str, float] = {}
    session = profiler.last_session
    root = session.root_frame() if session else None
    stack = [(root, "?")] if root else []
    total = 0.0
    while stack:
        frame, caller = stack.pop()
        if frame.is_synthetic:  # pyinstrument's "[self]" leaves, counted by total_self_time
            continue
        package, where = _where(frame.file_path)
        owner = package or caller
        stack.extend((child, owner) for child in frame.children)
        own = frame.total_self_time
        if not own or frame.function in ("run", "<genexpr>", "profile"):
            continue
        total += own
        by_package[owner] = by_package.get(owner, 0.0) + own
        key = f"{where}:{frame.line_no} {frame.function}"
        by_function[key] = by_function.get(key, 0.0) + own
    print("\nSelf time by package (built-ins and stdlib charged to their caller)")
    for package, own in sorted(by_package.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * own / total:5.1f}%  {package}")
    print("\nFunctions with the most self time")
    for key, own in sorted(by_function.items(), key=lambda kv: -kv[1])[:40]:
        print(f"  {100 * own / total:5.1f}%  {key}")
    print("\nCall tree")
    print(profiler.output_text(unicode=True, color=False, time="percent_of_total"))
