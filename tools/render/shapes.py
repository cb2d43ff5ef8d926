"""A text case → the shapes forms take when their table structure is lost.

Crawlers and generic extractors hand over forms as text in which the cells no
longer sit in tab-separated rows. Each shape here is rendered from a case's
forms (:func:`~render.layout.load_forms`: paragraphs above each table, the grid
padded to the longest row, continuation lines joined to their cell):

- ``spaces``: every table one line, its non-empty cells joined by single spaces
  (what most HTML-to-text and PDF-to-text tools give);
- ``lines``: one cell per line, an empty cell a blank line, no row marks;
- ``bars``: one cell per line written ``cell |``, an empty cell ``|``;
- ``markdown``: a ``| a | b |`` line per row, ``|---|`` under the first;
- ``glued``: every table one line, its non-empty cells joined with no separator;
- ``wrapped``: tab-separated rows in which some long cells (10 characters or
  more, never a row's first cell) are broken by a line break at a random
  place, so that the rest of the row goes on on the next line.

Paragraphs (title, year line, section headings outside a table) are lines of
their own, followed by a blank line in every shape but ``wrapped``. A cell's
own line breaks become spaces in ``spaces``, nothing in ``glued`` and ``<br>``
elsewhere. The random wraps are seeded by the case name, so re-running writes
the same files.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable

from .layout import Form
from .settings import CORPUS

SHAPES_DIR = CORPUS / "shapes"

SHAPES = ("spaces", "lines", "bars", "markdown", "glued", "wrapped")
WRAP_MIN = 10  # a cell this long or longer may be wrapped
WRAP_SHARE = 0.5  # the share of such cells that are


def _flat(text: str, sep: str) -> str:
    return sep.join(part.strip() for part in text.split("\n") if part.strip())


def _joined(form: Form, sep: str) -> list[str]:
    cells = [_flat(t, sep) for row in form.rows for t in row]
    return [sep.join(c for c in cells if c)]


def _per_cell(form: Form, cell: Callable[[str], str]) -> list[str]:
    return [cell(_flat(t, "<br>")) for row in form.rows for t in row]


def _markdown(form: Form) -> list[str]:
    out = []
    for k, row in enumerate(form.rows):
        cells = [_flat(t, "<br>").replace("|", "\\|") for t in row]
        out.append("| " + " | ".join(cells) + " |")
        if k == 0:
            out.append("|" + "---|" * len(row))
    return ["", *out, ""]


def _wrapped(form: Form, rng: random.Random) -> list[str]:
    out = []
    for row in form.rows:
        cells = []
        for c, text in enumerate(row):
            text = _flat(text, "<br>")
            if c and len(text) >= WRAP_MIN and rng.random() < WRAP_SHARE:
                cut = rng.randrange(1, len(text))
                text = text[:cut] + "\n" + text[cut:]
            cells.append(text)
        out.append("\t".join(cells))
    return out


def render_shape(forms: list[Form], shape: str, seed: str) -> str:
    """The text of ``forms`` in ``shape`` (one of :data:`SHAPES`)."""
    rng = random.Random(zlib.crc32(seed.encode()))
    lines: list[str] = []
    for form in forms:
        for paragraph in form.paragraphs:
            lines.extend([paragraph, ""] if shape != "wrapped" else [paragraph])
        if shape == "spaces":
            lines.extend(_joined(form, " "))
        elif shape == "glued":
            lines.extend(_joined(form, ""))
        elif shape == "lines":
            lines.extend(_per_cell(form, lambda t: t))
        elif shape == "bars":
            lines.extend(_per_cell(form, lambda t: f"{t} |" if t else "|"))
        elif shape == "markdown":
            lines.extend(_markdown(form))
        elif shape == "wrapped":
            lines.extend(_wrapped(form, rng))
        else:
            msg = f"unknown shape {shape!r} (shapes: {', '.join(SHAPES)})"
            raise ValueError(msg)
    return "\n".join(lines) + "\n"


def write_shapes(case: str, forms: list[Form]) -> None:
    """Write ``corpus/shapes/<shape>/<case>.txt`` for every shape."""
    for shape in SHAPES:
        folder = SHAPES_DIR / shape
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{case}.txt").write_text(render_shape(forms, shape, case), encoding="utf-8")
