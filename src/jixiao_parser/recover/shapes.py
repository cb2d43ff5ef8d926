"""Which shape a lost table left in the text, and its cells.

The shapes (``tools/render/shapes.py`` renders the corpus into each):

- ``markdown``: ``| a | b |`` rows, a ``|---|`` rule under the first;
- ``bars``: one cell per line written ``cell |``, an empty cell ``|``;
- ``lines``: one short cell per line, a blank line an empty cell;
- ``spaces``: a table as one long line of cells joined by single spaces;
- ``glued``: a table as one long line of cells with no separator.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Literal

import regex

from .. import vocab
from ..document import Block, Cell, Document, Paragraph, Table

__all__ = ["Shape", "form_marks", "holds_marks", "markdown_blocks", "reads_as_form", "sniff"]

Shape = Literal["markdown", "bars", "lines", "spaces", "glued"]

_MD_ROW = regex.compile(r"^\|.*\|$", regex.DOTALL)
_MD_RULE = regex.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")
_PIPE = regex.compile(r"(?<!\\)\|")
LONG = 80  # characters: a line this long holding several labels is a flattened table


def sniff(paragraphs: list[Paragraph]) -> Shape | None:
    """The shape of ``paragraphs``, or None when they look like running text.

    >>> from jixiao_parser.document import Paragraph as P
    >>> sniff([P("| 项目名称 | 示例 |"), P("|---|---|"), P("| 总分 | 100 |")])
    'markdown'
    >>> sniff([P("项目名称 |"), P("示例 |"), P("|"), P("总分 |"), P("100 |")])
    'bars'
    """
    texts = [p.text.strip() for p in paragraphs]
    n = len(texts)
    if not n:
        return None
    bars = [t for t in texts if t[-1:] == "|"]
    if sum(1 for t in bars if len(t) > 1 and t[0] == "|") >= max(3, 0.3 * n):  # | … |
        return "markdown"
    if len(bars) >= max(5, 0.5 * n):
        return "bars"
    long = [t for t in texts if len(t) >= LONG and holds_marks(t)]
    if long:
        spaced = sum(t.count(" ") for t in long) / sum(len(t) for t in long)
        return "spaces" if spaced >= 0.035 else "glued"
    if n >= 12 and statistics.median(len(t) for t in texts) <= 24:
        return "lines"
    return None


def holds_marks(text: str) -> bool:
    """Whether ``text`` holds three or more distinct form labels (``form_marks`` in
    ``data/vocab.toml``), as :func:`form_marks` counts them in its folded key.

    A mark written out as it stands is one in the key too (each mark is its own
    key: Simplified, no spaces or marks), so the text is counted as it stands
    first, and folded only when that finds too few (Traditional characters,
    spaced or glossed labels): folding a long text costs more than the rest of
    sniffing it.

    >>> holds_marks("项目名称示例主管部门某局一级指标产出指标")
    True
    >>> holds_marks("項目名稱 主管部門 一級指標"), holds_marks("为全市120个社区助餐点提供运营补贴")
    (True, False)
    """
    return _marks_in(text) >= 3 or _marks_in(vocab.label_key(text)) >= 3


def form_marks(doc: Document) -> int:
    """How strongly ``doc`` reads as a form: 3 for a form title, plus one per
    distinct form label its text holds (``form_marks`` in ``data/vocab.toml``)."""
    return _key_marks(vocab.label_key(_joined(doc)))


def reads_as_form(doc: Document) -> bool:
    """``form_marks(doc) >= 3``, the text counted as it stands first (see
    :func:`holds_marks`)."""
    text = _joined(doc)
    return _marks_in(text) >= 3 or _key_marks(vocab.label_key(text)) >= 3


def _marks_in(text: str) -> int:
    return sum(1 for mark in vocab.FORM_MARKS if mark in text)


def _key_marks(key: str) -> int:
    """:func:`form_marks` of a folded text."""
    return (3 if vocab.TITLE.search(key) else 0) + _marks_in(key)


def _joined(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(c.text for row in block.rows for c in row)
    return "".join(parts)


def markdown_blocks(paragraphs: Iterable[Paragraph]) -> list[Block]:
    """Markdown pipe rows → tables (rule lines dropped, ``\\|`` unescaped);
    other lines stay paragraphs."""
    out: list[Block] = []
    rows: list[tuple[Cell, ...]] = []
    for p in paragraphs:
        text = p.text.strip()
        if _MD_RULE.match(text):
            continue
        if not _MD_ROW.match(text):
            if rows:
                out.append(Table(tuple(rows), spans=False))
                rows = []
            out.append(p)
            continue
        r = len(rows)
        start = p.text.index("|") + 1
        cells = []
        for c, piece in enumerate(_PIPE.split(text[1:-1])):
            lead = len(piece) - len(piece.lstrip())
            value = piece.strip().replace("\\|", "|")
            cells.append(Cell(value, r, c, p.line, p.page, offset=start + lead))
            start += len(piece) + 1
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            rows.append(tuple(cells))
    if rows:
        out.append(Table(tuple(rows), spans=False))
    return out
