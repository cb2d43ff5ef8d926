"""The format-neutral document every reader produces.

A :class:`Document` is a sequence of blocks, each a :class:`Paragraph` (a line
of running text: a title, a year, a continuation of a wrapped cell) or a
:class:`Table` of :class:`Cell` rows. Cells keep their text as read and their
provenance, so that a diagnostic can say ``x.txt line 19 col 3``. Segmentation
and the section parsers only ever see this structure, never the file format.
"""

from __future__ import annotations

import attrs

__all__ = ["Block", "Cell", "Document", "Paragraph", "Table"]


@attrs.frozen
class Cell:
    """One table cell: ``text`` as read (tags stripped, trimmed) and where it was.

    ``row``/``col`` are the cell's position in its table's grid (the top-left
    slot of a merged cell), ``rowspan``/``colspan`` its merge, ``page`` the
    1-based page (or sheet), ``line`` the 1-based source line for text input,
    ``bbox`` (x0, top, x1, bottom in points) for PDF input.
    """

    text: str
    row: int
    col: int
    line: int | None = None
    page: int = 1
    rowspan: int = 1
    colspan: int = 1
    bbox: tuple[float, float, float, float] | None = None

    @property
    def where(self) -> str:
        """``"line 19 col 3"`` for text, ``"p.2 r7c4"`` otherwise — 1-based."""
        if self.line is not None:
            return f"line {self.line} col {self.col + 1}"
        return f"p.{self.page} r{self.row + 1}c{self.col + 1}"


@attrs.frozen
class Paragraph:
    """A line of running text outside any table cell."""

    text: str
    line: int | None = None
    page: int = 1


@attrs.frozen
class Table:
    """Rows of cells. Text input leaves rows ragged; other readers give a grid
    in which a merged cell appears once, in its top-left slot."""

    rows: tuple[tuple[Cell, ...], ...]


Block = Paragraph | Table


@attrs.frozen
class Document:
    """A read input: ``path`` (None in memory), ``format`` and its ``blocks``."""

    path: str | None
    format: str
    blocks: tuple[Block, ...]
    pages: int = 1
