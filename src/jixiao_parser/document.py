"""The format-neutral document every reader produces, and its one normalisation.

A :class:`Document` is a sequence of blocks, each a :class:`Paragraph` (a line
of running text: a title, a year, a continuation of a wrapped cell) or a
:class:`Table` of :class:`Cell` rows. Cells keep their text as read and their
provenance, so that a diagnostic can say ``x.txt line 19 col 3``. Segmentation
and the section parsers only ever see this structure, never the file format;
they see it as :class:`Line` rows.

Every cell is normalised once, when it is made (:func:`normalize_text`):
``Cell.text`` is the text as read (tags stripped, trimmed) and goes to the
output where the schema keeps the document's own text (names, notes, ``raw``);
``Cell.norm`` is the text every matcher reads (labels, figures, units).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, NamedTuple

import attrs
import regex

from ._data import load_data

__all__ = [
    "LOW_CONFIDENCE",
    "Block",
    "Cell",
    "Document",
    "Line",
    "OcrRead",
    "Paragraph",
    "Table",
    "join_wrapped",
    "low_confidence_cells",
    "normalize_text",
]


# Operator look-alikes that NFKC leaves alone (``≧`` → ``≥``), from the
# ``[lookalikes]`` table of ``data/values.toml``, where the operators are.
_LOOKALIKES: dict[str, str] = dict(load_data("values.toml")["lookalikes"])
# What NFKC would fold but the text needs as written: powers (m² is not m2, ㎡ is
# m²) and circled numbers (①, ④=①+②: numbered items and formula annotations).
# They hide in private-use code points, which NFKC keeps, and come back after.
_KEPT = "²³" + "".join(map(chr, range(ord("①"), ord("⑳") + 1)))
_SHIELD = {**{ch: chr(0xE000 + k) for k, ch in enumerate(_KEPT)}, "㎡": "m\ue000", "㎥": "m\ue001"}
_UNSHIELD = {chr(0xE000 + k): ch for k, ch in enumerate(_KEPT)}
# (str.translate looks every character up: these find the few that need it)
# (the standard library's engine: a class of plain characters is one table
# lookup per character there, and cheaper to call on the short text of a cell)
_TO_SHIELD = re.compile(f"[{''.join(_SHIELD)}]")
_TO_UNSHIELD = re.compile(f"[{''.join(_UNSHIELD)}]")
_TO_FOLD = re.compile(f"[{''.join(_LOOKALIKES)}]")
# Full-width ASCII and the ideographic space, as NFKC folds them, one character
# for one: ，：（）; are full-width, and a text folded so is most often NFKC already.
_WIDE = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}
_TO_WIDE = re.compile("[\uff01-\uff5e\u3000]")  # (str.translate looks at every character)
_BREAK_RUN = regex.compile(r"\s*\n\s*")
_SPACE_RUN = regex.compile(r"[^\S\n]+")


@functools.lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """The one normalisation every cell gets, once: what "normalised" means here.

    - compatibility forms folded (NFKC): full-width ASCII and digits, ``（`` → ``(``,
      ``：`` → ``:``, ideographic and no-break spaces → spaces; but powers
      (``²`` ``³``, ``㎡`` → ``m²``) and circled numbers (``①`` … ``⑳``) stay as written;
    - operator look-alikes folded: ``≧`` ``≦`` ``﹦`` ``═`` ``〓`` ``≒`` → ``≥`` ``≤`` ``=``;
    - whitespace collapsed: a run holding a line break becomes one ``\\n``, any
      other run one space; the ends trimmed.

    It is idempotent (``normalize_text(normalize_text(x)) == normalize_text(x)``).

    >>> normalize_text("＞＝ ９５ ％"), normalize_text("项目资金 （元）")
    ('>= 95 %', '项目资金 (元)')
    >>> normalize_text("≧1000㎡"), normalize_text("小计④=①+②"), normalize_text("扩大\\n\\n 范围")
    ('≥1000m²', '小计④=①+②', '扩大\\n范围')
    """
    t = text
    for _ in range(4):  # NFKC can expose spaces (´ → " ́"): repeat to a fixed point
        before = t
        if not t.isascii():
            t = _fold_forms(t)
        if not t.isprintable() or "  " in t or t[:1] == " " or t[-1:] == " ":
            # every \s but " " is unprintable; runs are " " or "\n" by now
            spaced = _SPACE_RUN.sub(" ", _BREAK_RUN.sub("\n", t)).strip(" \n")
            if spaced == t:
                break  # (the fold gives what it is given: nothing would change)
            t = spaced
        else:
            break
        if t == before:
            break
    return t


def _fold_forms(t: str) -> str:
    """NFKC with the kept characters shielded, then operator look-alikes."""
    for ch in set(_TO_WIDE.findall(t)):  # (most Chinese text is NFKC then: nothing to do)
        t = t.replace(ch, _WIDE[ord(ch)])
    if not unicodedata.is_normalized("NFKC", t):
        if _TO_SHIELD.search(t):
            t = _TO_SHIELD.sub(_shield, t)
            t = _TO_UNSHIELD.sub(_unshield, unicodedata.normalize("NFKC", t))
        else:
            t = unicodedata.normalize("NFKC", t)
    return _TO_FOLD.sub(_fold, t) if _TO_FOLD.search(t) else t


def _shield(m: re.Match[str]) -> str:
    return _SHIELD[m.group()]


def _unshield(m: re.Match[str]) -> str:
    return _UNSHIELD[m.group()]


def _fold(m: re.Match[str]) -> str:
    return _LOOKALIKES[m.group()]


class OcrRead(NamedTuple):
    """How a cell of a page image was read (:mod:`jixiao_parser.readers.ocr`):
    ``confidence`` (0–1, the least of its text boxes'; 1.0 for an empty cell) and
    ``pixels``, the cell's box ``(x0, top, x1, bottom)`` in pixels of the page
    image as read (after deskewing)."""

    confidence: float
    pixels: tuple[int, int, int, int]


#: a cell of a page image read with less confidence than this gets a diagnostic
LOW_CONFIDENCE = 0.8


def low_confidence_cells(cells: Iterable[Cell]) -> Iterator[Cell]:
    """The filled cells read by OCR with a confidence under :data:`LOW_CONFIDENCE`.

    >>> read = OcrRead(0.42, (10, 10, 90, 40))
    >>> [c.text for c in low_confidence_cells([Cell("9B", 0, 0, ocr=read), Cell("98", 0, 1)])]
    ['9B']
    """
    for cell in cells:
        if cell.text and cell.ocr is not None and cell.ocr.confidence < LOW_CONFIDENCE:
            yield cell


class Cell:
    """One table cell: ``text`` as read (tags stripped, trimmed) and where it was.

    ``norm`` is ``text`` normalised (:func:`normalize_text`), computed here once.
    ``row``/``col`` are the cell's position in its table's grid (the top-left
    slot of a merged cell), ``rowspan``/``colspan`` its merge, ``page`` the
    1-based page (or sheet), ``line`` the 1-based source line for text input,
    ``bbox`` (x0, top, x1, bottom in points) for PDF input, ``offset`` the
    0-based character offset in its line for a cell recovered from text whose
    table structure was lost (then ``col`` is its place in the rebuilt row),
    ``ocr`` how a cell of a page image was read (:class:`OcrRead`, None otherwise).

    A plain slotted class (documents hold many cells, made and read on every
    parse); treat it as immutable and use :meth:`replace` for a changed copy.

    >>> Cell("＝１００％", 0, 2).norm, Cell("总分", 3, 0, line=19).where
    ('=100%', 'line 19 col 1')
    """

    __slots__ = (
        "bbox", "col", "colspan", "line", "norm", "ocr", "offset", "page", "row", "rowspan",
        "text",
    )  # fmt: skip

    text: str
    norm: str
    row: int
    col: int
    line: int | None
    page: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float] | None
    offset: int | None
    ocr: OcrRead | None

    def __init__(
        self,
        text: str,
        row: int,
        col: int,
        line: int | None = None,
        page: int = 1,
        rowspan: int = 1,
        colspan: int = 1,
        bbox: tuple[float, float, float, float] | None = None,
        offset: int | None = None,
        ocr: OcrRead | None = None,
    ) -> None:
        self.text = text
        self.norm = normalize_text(text) if text else text
        self.row = row
        self.col = col
        self.line = line
        self.page = page
        self.rowspan = rowspan
        self.colspan = colspan
        self.bbox = bbox
        self.offset = offset
        self.ocr = ocr

    def replace(self, **changes: Any) -> Cell:
        """A copy with ``changes`` (``text=``, ``row=``, ``page=`` …) applied."""
        fields = {name: getattr(self, name) for name in _CELL_FIELDS}
        fields.update(changes)
        return Cell(**fields)

    def _key(self) -> tuple[Any, ...]:
        return (self.text, self.row, self.col, self.line, self.page, self.rowspan,
                self.colspan, self.bbox, self.offset, self.ocr)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Cell:
            return NotImplemented
        assert isinstance(other, Cell)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _CELL_FIELDS)
        return f"Cell({fields})"

    @property
    def where(self) -> str:
        """``"line 19 col 3"`` for text, ``"line 4 char 120"`` for a recovered
        cell, ``"p.2 r7c4"`` otherwise — 1-based."""
        if self.offset is not None and self.line is not None:
            return f"line {self.line} char {self.offset + 1}"
        if self.line is not None:
            return f"line {self.line} col {self.col + 1}"
        return f"p.{self.page} r{self.row + 1}c{self.col + 1}"


_CELL_FIELDS = (
    "text", "row", "col", "line", "page", "rowspan", "colspan", "bbox", "offset", "ocr"
)  # fmt: skip


class Line:
    """One row of cells, or a paragraph (then a single cell with ``col`` 0).

    ``filled`` holds the non-empty cells in order. A plain slotted class, like
    :class:`Cell`; treat it as immutable.

    >>> line = Line((Cell("项目名称", 0, 0), Cell("", 0, 1), Cell("示例", 0, 2)))
    >>> [c.text for c in line.filled], line.roles({"项目名称": "name"}.get)
    (['项目名称', '示例'], ('name', None))
    """

    __slots__ = ("_memo", "cells", "filled", "paragraph")

    cells: tuple[Cell, ...]
    paragraph: bool
    filled: tuple[Cell, ...]
    _memo: dict[Hashable, tuple[str | None, ...]]

    def __init__(self, cells: tuple[Cell, ...], paragraph: bool = False) -> None:
        self.cells = cells
        self.paragraph = paragraph
        self.filled = tuple([c for c in cells if c.text])
        self._memo = {}

    def roles(self, find: Callable[[str], str | None]) -> tuple[str | None, ...]:
        """``find`` applied to each filled cell's normalised text, once per ``find``:
        segmentation and the section parsers ask the same line often."""
        found = self._memo.get(find)
        if found is None:
            found = tuple([find(c.norm) for c in self.filled])
            self._memo[find] = found
        return found

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Line:
            return NotImplemented
        assert isinstance(other, Line)
        return self.cells == other.cells and self.paragraph == other.paragraph

    def __hash__(self) -> int:
        return hash((self.cells, self.paragraph))

    def __repr__(self) -> str:
        return f"Line(cells={self.cells!r}, paragraph={self.paragraph!r})"

    def __reduce__(self) -> tuple[type[Line], tuple[tuple[Cell, ...], bool]]:
        return Line, (self.cells, self.paragraph)  # the memo holds lookups, not data

    @property
    def where(self) -> str:
        """``"line 19"`` for text, ``"p.2 r7"`` otherwise."""
        if not self.cells:
            return "?"
        first = self.cells[0]
        return (
            f"line {first.line}" if first.line is not None else f"p.{first.page} r{first.row + 1}"
        )


class Paragraph:
    """A line of running text outside any table cell: its ``text``, 1-based
    source ``line`` (text input) and ``page``.

    A plain slotted class, like :class:`Cell` (one-cell-per-line text makes one
    per cell); treat it as immutable and use :meth:`replace` for a changed copy.

    >>> Paragraph("绩效自评表", line=1) == Paragraph("绩效自评表", 1, 1)
    True
    >>> Paragraph("绩效自评表", line=1).replace(page=2)
    Paragraph(text='绩效自评表', line=1, page=2)
    """

    __slots__ = ("line", "page", "text")

    text: str
    line: int | None
    page: int

    def __init__(self, text: str, line: int | None = None, page: int = 1) -> None:
        self.text = text
        self.line = line
        self.page = page

    def replace(self, **changes: Any) -> Paragraph:
        """A copy with ``changes`` (``text=``, ``line=``, ``page=``) applied."""
        fields: dict[str, Any] = {"text": self.text, "line": self.line, "page": self.page}
        fields.update(changes)
        return Paragraph(**fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Paragraph:
            return NotImplemented
        assert isinstance(other, Paragraph)
        return (self.text, self.line, self.page) == (other.text, other.line, other.page)

    def __hash__(self) -> int:
        return hash((self.text, self.line, self.page))

    def __repr__(self) -> str:
        return f"Paragraph(text={self.text!r}, line={self.line!r}, page={self.page!r})"


@attrs.frozen
class Table:
    """Rows of cells. Text input leaves rows ragged; other readers give a grid
    in which a merged cell appears once, in its top-left slot. ``spans`` is
    False when the reader knows that no cell spans more than its own slot
    (text input): segmentation then has no merged cell to look for."""

    rows: tuple[tuple[Cell, ...], ...]
    spans: bool = attrs.field(default=True, eq=False, repr=False)


Block = Paragraph | Table


@attrs.frozen
class Document:
    """A read input: ``path`` (None in memory), ``format`` and its ``blocks``.

    ``structure`` is ``"table"`` when the blocks carry the table as published,
    ``"recovered"`` when the rows were rebuilt from flattened text, ``"ocr"``
    when read from page images; ``pdf_backend`` names the PDF backend."""

    path: str | None
    format: str
    blocks: tuple[Block, ...]
    pages: int = 1
    structure: str = "table"
    pdf_backend: str | None = None


# "2.活动" or "3.9月30日前" starts a numbered item; "0.9" does not
_MARKER_START = regex.compile(r"^(?:[(（]?\d{1,2}[.、．)）](?:(?!\d)|(?=\d{1,2}月))|[①②③④⑤⑥⑦⑧⑨⑩])")
_NO_SPACE_AFTER = ",.;:，。；：、！？!?(（[【"


def join_wrapped(lines: list[str]) -> str:
    """Join a cell's wrapped lines: no space between CJK characters or inside a
    number (``116.3`` + ``7``), a space between words and before a new
    numbered item (``1.…`` / ``2.…``).

    >>> join_wrapped(["扩大选择", "范围"]), join_wrapped(["1.活动2场", "2.讲座3场"])
    ('扩大选择范围', '1.活动2场 2.讲座3场')
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
            continue
        before, after = out[-1], line[:1]
        words = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
        item = _MARKER_START.match(line) and before not in _NO_SPACE_AFTER
        out += (" " if words or item else "") + line
    return out
