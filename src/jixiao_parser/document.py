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

    ``row``/``col`` are the cell's position in its table, ``rowspan``/``colspan``
    its merge (always 1 for text input), ``line`` the 1-based source line and
    ``page`` the 1-based page.
    """

    text: str
    row: int
    col: int
    line: int
    page: int = 1
    rowspan: int = 1
    colspan: int = 1

    @property
    def where(self) -> str:
        """``"line 19 col 3"`` — 1-based, for messages."""
        return f"line {self.line} col {self.col + 1}"


@attrs.frozen
class Paragraph:
    """A line of running text outside any table cell."""

    text: str
    line: int
    page: int = 1


@attrs.frozen
class Table:
    """Rows of cells, ragged as read."""

    rows: tuple[tuple[Cell, ...], ...]


Block = Paragraph | Table


@attrs.frozen
class Document:
    """A read input: ``path`` (None in memory), ``format`` and its ``blocks``."""

    path: str | None
    format: str
    blocks: tuple[Block, ...]
    pages: int = 1
