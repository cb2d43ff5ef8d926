"""Read DOCX: body paragraphs and tables, in order, with spans and best-effort pages.

python-docx opens the package; the WordprocessingML is walked here, once, in
document order, without recursion::

    <w:p>项目支出绩效自评表</w:p>                       → Paragraph
    <w:tbl><w:tr>
      <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>产出指标</w:tc>
      <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>数量指标</w:tc> …
    <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc> …  → Cell("产出指标", rowspan=2),
                                                          Cell("数量指标", col=1, colspan=2)

- a cell's grid column counts ``w:gridBefore`` and the ``w:gridSpan`` of the
  cells before it; a ``w:vMerge`` continuation (and a legacy ``w:hMerge``
  one) is not a cell of its own but widens the cell it continues;
- a cell's text is its paragraphs joined by ``\\n``; a table nested in a cell
  becomes a Table block of its own right after the table holding it;
- tracked deletions, field codes, text boxes and ``mc:Fallback`` copies are
  skipped; content controls (``w:sdt``) and ``w:customXml`` are transparent;
- an HTML ``w:altChunk`` (web-exported documents) is read by the HTML reader;
- pages count explicit page breaks (``w:br w:type="page"``,
  ``w:pageBreakBefore``) and section breaks that start a new page — Word's
  own layout is not reproduced, so a table that flows over a page without a
  break stays on one page.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

import attrs
import regex
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from docx.package import Package
from lxml import etree

from ..document import Block, Cell, Document, Paragraph, Table
from ..errors import CorruptDocument, EncryptedDocument
from .text import clean_cell

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VAL = f"{_W}val"
_TYPE = f"{_W}type"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _BR, _SECT_PR, _ALT_CHUNK = f"{_W}t", f"{_W}br", f"{_W}sectPr", f"{_W}altChunk"
# Subtrees that hold no visible body text (or hold it twice).
_SKIP = frozenset(
    f"{_W}{name}"
    for name in ("del", "moveFrom", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblGrid",
                 "sdtPr", "sdtEndPr", "txbxContent", "drawing", "pict", "object",
                 "instrText", "delText", "footnoteReference", "endnoteReference")
) | {_MC_FALLBACK}  # fmt: skip
_CHARS = {f"{_W}tab": " ", f"{_W}ptab": " ", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_HTML_CHUNK = ("text/html", "application/xhtml+xml")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DIGITS = regex.compile(r"\s*\+?(\d{1,9})")
MAX_SPAN = 1000


def read_docx(data: bytes, path: str | None, source: str) -> Document:
    """Read a DOCX (also DOCM/DOTX) into a :class:`Document`.

    Raises :class:`~jixiao_parser.CorruptDocument` for input python-docx cannot
    open and :class:`~jixiao_parser.EncryptedDocument` for a password-protected
    file.
    """
    part, body = _open_body(data, source)
    walker = _Walker(part, source, _page_sections(body))
    walker.walk(body)
    return Document(path=path, format="docx", blocks=tuple(walker.blocks), pages=walker.page)


def _open_body(data: bytes, source: str) -> tuple[Part, etree._Element]:
    """The main document part and its ``w:body``."""
    if data.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED in data:
        raise EncryptedDocument(source, "password-protected DOCX")
    try:
        part = Package.open(BytesIO(data)).main_document_part
        # python-docx only types DOCX proper; a DOCM/DOTX main part is a plain Part
        root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    except Exception as exc:  # python-docx raises whatever zipfile/lxml/opc raise
        raise CorruptDocument(source, f"cannot open as DOCX: {_short(exc)}") from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise CorruptDocument(source, "no w:body: not a Word document")
    return part, body


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:80]}" if text else type(exc).__name__


def _page_sections(body: etree._Element) -> list[bool]:
    """For each paragraph-level section break in order: does the next section
    start on a new page? (A section's ``w:type`` says how *it* starts.)"""
    sects = [
        s for s in body.iter(_SECT_PR) if (parent := s.getparent()) is not None
        and parent.tag in (f"{_W}pPr", f"{_W}body")
    ]  # fmt: skip
    starts = []
    for s in sects[1:]:
        kind = s.find(_TYPE)
        starts.append(kind is None or kind.get(_VAL) not in ("continuous", "nextColumn"))
    return starts


def _int_val(el: etree._Element | None, child: str, default: int) -> int:
    """``<w:gridSpan w:val="2"/>`` under ``el`` → 2, capped at :data:`MAX_SPAN`."""
    found = el.find(child) if el is not None else None
    m = _DIGITS.match(found.get(_VAL) or "") if found is not None else None
    return min(int(m.group(1)), MAX_SPAN) if m else default


def _continues(props: etree._Element | None, merge: str) -> bool:
    """``<w:vMerge/>`` or ``<w:vMerge w:val="continue"/>`` (not ``restart``)."""
    el = props.find(f"{_W}{merge}") if props is not None else None
    return el is not None and el.get(_VAL, "continue") == "continue"


@attrs.define
class _Slot:
    """A cell being read; ``rowspan`` grows with each vMerge continuation."""

    row: int
    col: int
    page: int
    colspan: int
    rowspan: int = 1
    paragraphs: list[str] = attrs.Factory(list)

    def to_cell(self) -> Cell:
        text = clean_cell("\n".join(self.paragraphs))
        return Cell(text, row=self.row, col=self.col, page=self.page,
                    rowspan=self.rowspan, colspan=self.colspan)  # fmt: skip


@attrs.define
class _TableBuilder:
    """One ``w:tbl`` being read, and the blocks (nested tables) that follow it."""

    rows: list[list[_Slot]] = attrs.Factory(list)
    after: list[Block] = attrs.Factory(list)
    cell: _Slot | None = None
    col: int = 0
    # the cell starting at each grid column whose bottom row is the latest
    by_col: dict[int, _Slot] = attrs.Factory(dict)

    def start_row(self, tr: etree._Element) -> None:
        self.rows.append([])
        self.col = _int_val(tr.find(f"{_W}trPr"), f"{_W}gridBefore", 0)

    def start_cell(self, tc: etree._Element, page: int) -> None:
        """Open a cell, or widen the cell a ``vMerge``/``hMerge`` continuation continues."""
        if not self.rows:
            self.rows.append([])
        row, r = self.rows[-1], len(self.rows) - 1
        props = tc.find(f"{_W}tcPr")
        span = max(1, _int_val(props, f"{_W}gridSpan", 1))
        self.cell = _Slot(r, self.col, page, span)
        above = self.by_col.get(self.col)
        left = row[-1] if row else None
        if _continues(props, "vMerge") and above and above.row + above.rowspan == r:
            above.rowspan += 1  # the continuation's own content is read, then dropped
        elif _continues(props, "hMerge") and left and left.col + left.colspan == self.col:
            left.colspan += span
        else:
            row.append(self.cell)
            self.by_col[self.col] = self.cell
        self.col += span

    def to_table(self) -> Table | None:
        if not self.rows:
            return None
        return Table(tuple(tuple(s.to_cell() for s in row) for row in self.rows))


class _Walker:
    """Walks ``w:body`` in document order with an explicit stack."""

    def __init__(self, part: Part, source: str, section_starts: list[bool]) -> None:
        self.part = part
        self.source = source
        self.section_starts = section_starts
        self.sections_seen = 0
        self.blocks: list[Block] = []
        self.tables: list[_TableBuilder] = []
        self.paragraph: list[str] | None = None
        self.page = 1
        self.pending_breaks = 0
        self.started = False

    def walk(self, body: etree._Element) -> None:
        stack: list[tuple[etree._Element, bool]] = [(c, True) for c in reversed(body)]
        while stack:
            el, entering = stack.pop()
            if not isinstance(el.tag, str):
                continue  # comment or processing instruction
            if not entering:
                self.leave(el)
            elif el.tag not in _SKIP and self.enter(el):
                stack.append((el, False))
                stack.extend((c, True) for c in reversed(el))

    def turn_page(self) -> None:
        """Apply the page breaks seen since the last paragraph or cell began."""
        if self.started:
            self.page += self.pending_breaks
        self.pending_breaks = 0
        self.started = True

    def enter(self, el: etree._Element) -> bool:
        """Handle the start of ``el``; False skips its subtree."""
        tag = el.tag
        if tag == _T:
            if self.paragraph is not None and el.text:
                self.paragraph.append(el.text)
        elif tag == _BR:
            if el.get(_TYPE) == "page":
                self.pending_breaks += 1
            elif self.paragraph is not None:
                self.paragraph.append("\n")
        elif tag in _CHARS:
            if self.paragraph is not None:
                self.paragraph.append(_CHARS[tag])
        elif tag == _P:
            before = el.find(f"{_W}pPr/{_W}pageBreakBefore")
            if before is not None and before.get(_VAL, "true") not in ("0", "false", "off"):
                self.pending_breaks += 1
            self.turn_page()
            self.paragraph = []
        elif tag == _TBL:
            self.tables.append(_TableBuilder())
        elif tag == _TR:
            if not self.tables or el.find(f"{_W}trPr/{_W}del") is not None:
                return False  # stray row, or a tracked row deletion
            self.tables[-1].start_row(el)
        elif tag == _TC:
            if not self.tables:
                return False
            self.turn_page()
            self.tables[-1].start_cell(el, self.page)
        elif tag == _ALT_CHUNK:
            self.emit(self.read_alt_chunk(el))
            return False
        return True

    def leave(self, el: etree._Element) -> None:
        tag = el.tag
        if tag == _P:
            self.end_paragraph(el)
        elif tag == _TC and self.tables:
            self.tables[-1].cell = None
        elif tag == _TBL and self.tables:
            builder = self.tables.pop()
            table = builder.to_table()
            self.emit([table, *builder.after] if table else builder.after)

    def end_paragraph(self, el: etree._Element) -> None:
        text = "".join(self.paragraph or ())
        self.paragraph = None
        cell = self.tables[-1].cell if self.tables else None
        if cell is not None:
            cell.paragraphs.append(text)
        elif cleaned := clean_cell(text):
            self.emit([Paragraph(line, page=self.page) for line in cleaned.split("\n")])
        if el.find(f"{_W}pPr/{_W}sectPr") is not None:
            k = self.sections_seen
            self.sections_seen += 1
            if k < len(self.section_starts) and self.section_starts[k]:
                self.pending_breaks += 1

    def emit(self, blocks: Iterable[Block]) -> None:
        """Blocks go to the document, or after the table being read."""
        (self.tables[-1].after if self.tables else self.blocks).extend(blocks)

    def read_alt_chunk(self, el: etree._Element) -> list[Block]:
        """An embedded HTML chunk (``w:altChunk``) read by the HTML reader."""
        rid = el.get(_R_ID)
        chunk = self.part.related_parts.get(rid) if rid else None
        if chunk is None or chunk.content_type not in _HTML_CHUNK:
            return []
        from .html import read_html

        self.turn_page()
        blocks = read_html(chunk.blob, None, self.source).blocks
        return [_on_page(b, self.page) for b in blocks]


def _on_page(block: Block, page: int) -> Block:
    if isinstance(block, Paragraph):
        return attrs.evolve(block, page=page)
    return Table(tuple(tuple(attrs.evolve(c, page=page) for c in row) for row in block.rows))
