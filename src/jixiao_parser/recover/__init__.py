"""Structure recovery: forms in text whose table structure was lost.

Crawlers and generic extractors hand over forms as text in which the cells no
longer sit in tab-separated rows: markdown pipe rows, one cell per line (a
blank line an empty cell), ``cell |`` lines, a table flattened into one line
of cells joined by spaces, or glued with no separator at all. The text reader
reads such text as paragraphs; this stage finds the shape by sniffing
(:func:`~.shapes.sniff`) and rebuilds the table rows that segmentation and the
sections expect, each recovered cell keeping its line and character offset:

- :mod:`.shapes`: which shape the paragraphs have, and their cells (with empty
  cells where the shape marks them) or their tokens;
- :mod:`.grid`: cells with empties and no row marks → rows, by the width at
  which the columns agree (one cell per line, ``cell |``);
- :mod:`.flat`: cells without empties (spaces, glued) → rows, by the form's
  label vocabulary and the column order its headers give.

>>> from jixiao_parser.readers.text import text_to_document
>>> doc = text_to_document("| 项目名称 | 示例 |\\n|---|---|\\n| 主管部门 | 某局 |\\n| 总分 | 100 |")
>>> recovered = recover_structure(doc)
>>> recovered.structure, [[c.text for c in row] for row in recovered.blocks[0].rows]
('recovered', [['项目名称', '示例'], ['主管部门', '某局'], ['总分', '100']])
"""

from __future__ import annotations

import attrs

from ..document import Block, Document, Paragraph
from .flat import flat_blocks
from .grid import grid_blocks
from .shapes import Shape, markdown_blocks, sniff

__all__ = ["Shape", "looks_like_form", "recover_structure", "sniff"]


def recover_structure(doc: Document) -> Document | None:
    """``doc`` with its paragraphs rebuilt into table rows, or None when they
    have none of the shapes a lost table leaves (``structure`` is then
    ``"recovered"``). Tables the reader found are kept as they are."""
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    shape = sniff(paragraphs)
    if shape is None:
        return None
    blocks: list[Block] = []
    run: list[Paragraph] = []
    for block in (*doc.blocks, None):
        if isinstance(block, Paragraph):
            run.append(block)
            continue
        if run:
            blocks.extend(_rebuild(shape, run))
            run = []
        if block is not None:
            blocks.append(block)
    return attrs.evolve(doc, blocks=tuple(blocks), structure="recovered")


def _rebuild(shape: Shape, paragraphs: list[Paragraph]) -> list[Block]:
    if shape == "markdown":
        return markdown_blocks(paragraphs)
    if shape in ("lines", "bars"):
        return grid_blocks(paragraphs, bars=shape == "bars")
    return flat_blocks(paragraphs, glued=shape == "glued")


def looks_like_form(doc: Document) -> bool:
    """Whether ``doc``'s text holds a form title or three or more section labels
    (项目名称, 年度资金总额, 一级指标, 总分 …) — a form, even if nothing was read."""
    from .shapes import reads_as_form

    return reads_as_form(doc)
