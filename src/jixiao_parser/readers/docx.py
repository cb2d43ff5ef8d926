"""Read DOCX: body paragraphs and tables, in order, with spans and best-effort pages.

The package is read part by part, with python-docx's part names and OPC
constants, and only what this reader needs: ``[Content_Types].xml``, the
package relationships that name the main document part, that part and, for a
``w:altChunk``, the part it points to. (``docx.Document`` inflates and parses
every part, styles and themes included, which is most of its time.) Every XML
part is parsed by one lxml parser that expands no entities and loads no DTD and
nothing from the network. Through :func:`~jixiao_parser.parse_all` and
friends, :func:`~jixiao_parser.limits.check_zip` has checked the sizes of the
zip members first, and zipfile inflates no member past its recorded size.

The WordprocessingML is walked here, once, in document order, without
recursion (lxml's ``iterwalk``)::

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
- tracked deletions, field codes and ``mc:Fallback`` copies are skipped;
  content controls (``w:sdt``) and ``w:customXml`` are transparent; the
  paragraphs of a text box (``w:txbxContent``, in a drawing or a VML shape) are
  read where the box is anchored, before the rest of the paragraph holding it;
- an HTML ``w:altChunk`` (web-exported documents) is read by the HTML reader;
- pages count explicit page breaks (``w:br w:type="page"``,
  ``w:pageBreakBefore``) and section breaks that start a new page — Word's
  own layout is not reproduced, so a table that flows over a page without a
  break stays on one page.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from io import BytesIO

import attrs
import regex
from docx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from lxml import etree

from .. import limits
from ..document import Block, Cell, Document, Paragraph, Table
from ..errors import CorruptDocument, EncryptedDocument
from .text import clean_cell

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_VAL = f"{_W}val"
_TYPE = f"{_W}type"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_PPR, _TRPR, _TCPR = f"{_W}pPr", f"{_W}trPr", f"{_W}tcPr"
_T, _BR, _SECT_PR, _ALT_CHUNK = f"{_W}t", f"{_W}br", f"{_W}sectPr", f"{_W}altChunk"
# Subtrees that hold no visible body text (or hold it twice).
_SKIP = frozenset(
    f"{_W}{name}"
    for name in ("del", "moveFrom", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblGrid",
                 "sdtPr", "sdtEndPr", "object",
                 "instrText", "delText", "footnoteReference", "endnoteReference")
) | {_MC_FALLBACK}  # fmt: skip
_CHARS = {f"{_W}tab": " ", f"{_W}ptab": " ", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_HTML_CHUNK = ("text/html", "application/xhtml+xml")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DIGITS = regex.compile(r"\s*\+?(\d{1,9})")
MAX_SPAN = 1000
# Untrusted XML: entities stay unexpanded references, no DTD or network access.
# Blank text between elements is dropped, as python-docx's own parser does.
_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, remove_blank_text=True
)


def read_docx(data: bytes, path: str | None, source: str) -> Document:
    """Read a DOCX (also DOCM/DOTX) into a :class:`Document`.

    Raises :class:`~jixiao_parser.CorruptDocument` for input that is not a
    readable Word package and :class:`~jixiao_parser.EncryptedDocument` for a
    password-protected file.
    """
    package, body = _open_body(data, source)
    walker = _Walker(package, source, _page_sections(body))
    walker.walk(body)
    return Document(path=path, format="docx", blocks=tuple(walker.blocks), pages=walker.page)


def _open_body(data: bytes, source: str) -> tuple[_Package, etree._Element]:
    """The package and the ``w:body`` of its main document part."""
    if data.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED in data:
        raise EncryptedDocument(source, "password-protected DOCX")
    try:
        package = _Package(data)
        root = package.xml(package.main)
    except Exception as exc:  # whatever zipfile, lxml or a missing member raise
        raise CorruptDocument(source, f"cannot open as DOCX: {_short(exc)}") from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise CorruptDocument(source, "no w:body: not a Word document")
    return package, body


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:80]}" if text else type(exc).__name__


class _Package:
    """A DOCX (OPC) package whose parts are read when asked for.

    Part names are python-docx's :class:`~docx.opc.packuri.PackURI`
    (``/word/document.xml``); content types and relationships are looked up as
    python-docx's package reader does, and a package without a main document
    part, or without a content type for it, is refused as it refuses it.
    """

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(BytesIO(data))
        types = self.xml(CONTENT_TYPES_URI)
        # keys lower-cased: OPC part names and extensions match without regard to case
        self.overrides = {
            el.get("PartName", "").lower(): el.get("ContentType", "")
            for el in types.iter(f"{_CT}Override")
        }
        self.defaults = {
            el.get("Extension", "").lower(): el.get("ContentType", "")
            for el in types.iter(f"{_CT}Default")
        }
        main = self.targets(PACKAGE_URI, RT.OFFICE_DOCUMENT)
        if not main:
            raise KeyError("no officeDocument relationship: no main document part")
        self.main = next(iter(main.values()))
        self.content_type(self.main)  # raises KeyError when there is none

    def read(self, partname: PackURI) -> bytes:
        return self.zip.read(partname.membername)

    def xml(self, partname: PackURI) -> etree._Element:
        return etree.fromstring(self.read(partname), _PARSER)

    def content_type(self, partname: PackURI) -> str:
        """Raises KeyError when ``[Content_Types].xml`` gives none."""
        name, ext = partname.lower(), partname.ext.lower()
        if name in self.overrides:
            return self.overrides[name]
        if ext in self.defaults:
            return self.defaults[ext]
        raise KeyError(f"no content type for {partname}")

    def targets(self, source: PackURI, rel_type: str | None = None) -> dict[str, PackURI]:
        """The parts ``source`` (``/``: the package) relates to, by relationship
        id: internal relationships only, of ``rel_type`` if given."""
        try:
            rels = self.xml(source.rels_uri)
        except KeyError:  # no relationships member
            return {}
        return {
            rel.get("Id", ""): PackURI.from_rel_ref(source.baseURI, rel.get("Target", ""))
            for rel in rels.iter(_REL)
            if rel.get("TargetMode") != RTM.EXTERNAL
            and (rel_type is None or rel.get("Type") == rel_type)
        }


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


def _props(el: etree._Element, tag: str) -> dict[str, etree._Element]:
    """The children of ``el``'s ``tag`` child (``w:pPr``, ``w:trPr``, ``w:tcPr``)
    by tag, the first of each. One pass over a few children is several times
    cheaper than an ``el.find`` per property, which goes through ElementPath."""
    for child in el:
        if child.tag == tag:
            found: dict[str, etree._Element] = {}
            for prop in child:
                found.setdefault(prop.tag, prop)
            return found
    return {}


def _int_val(props: dict[str, etree._Element], name: str, default: int) -> int:
    """``<w:gridSpan w:val="2"/>`` in ``props`` → 2, capped at :data:`MAX_SPAN`."""
    found = props.get(f"{_W}{name}")
    m = _DIGITS.match(found.get(_VAL) or "") if found is not None else None
    return min(int(m.group(1)), MAX_SPAN) if m else default


def _continues(props: dict[str, etree._Element], merge: str) -> bool:
    """``<w:vMerge/>`` or ``<w:vMerge w:val="continue"/>`` (not ``restart``)."""
    found = props.get(f"{_W}{merge}")
    return found is not None and found.get(_VAL, "continue") == "continue"


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
        self.col = _int_val(_props(tr, _TRPR), "gridBefore", 0)

    def start_cell(self, tc: etree._Element, page: int) -> None:
        """Open a cell, or widen the cell a ``vMerge``/``hMerge`` continuation continues."""
        if not self.rows:
            self.rows.append([])
        row, r = self.rows[-1], len(self.rows) - 1
        props = _props(tc, _TCPR)
        span = max(1, _int_val(props, "gridSpan", 1))
        # the slots this cell fills, counted as it is read (a continuation of a
        # vertical merge fills its own row's slots)
        limits.budget().span(1, span)
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
    """Walks ``w:body`` in document order."""

    def __init__(self, package: _Package, source: str, section_starts: list[bool]) -> None:
        self.package = package
        self.source = source
        self.section_starts = section_starts
        self.sections_seen = 0
        self.blocks: list[Block] = []
        self.tables: list[_TableBuilder] = []
        self.paragraph: list[str] | None = None
        self.outer: list[list[str] | None] = []  # paragraphs holding a text box's
        self.page = 1
        self.pending_breaks = 0
        self.started = False
        self.related: dict[str, PackURI] | None = None  # read at the first w:altChunk

    def walk(self, body: etree._Element) -> None:
        # iterwalk reports elements (and unexpanded entities, which match no tag
        # here), not comments or processing instructions
        events = etree.iterwalk(body, events=("start", "end"))
        next(events)  # the start of w:body itself (its end, last, is no block's end)
        often = limits.budget().often
        for event, el in events:
            often()
            if event == "end":
                self.leave(el)
            elif el.tag in _SKIP or not self.enter(el):
                events.skip_subtree()
                next(events)  # its "end": it was never entered

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
            before = _props(el, _PPR).get(f"{_W}pageBreakBefore")
            if before is not None and before.get(_VAL, "true") not in ("0", "false", "off"):
                self.pending_breaks += 1
            self.turn_page()
            self.outer.append(self.paragraph)
            self.paragraph = []
        elif tag == _TBL:
            self.tables.append(_TableBuilder())
        elif tag == _TR:
            if not self.tables or f"{_W}del" in _props(el, _TRPR):
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
        self.paragraph = self.outer.pop() if self.outer else None
        cell = self.tables[-1].cell if self.tables else None
        if cell is not None:
            cell.paragraphs.append(text)
        elif cleaned := clean_cell(text):
            self.emit([Paragraph(line, page=self.page) for line in cleaned.split("\n")])
        if _SECT_PR in _props(el, _PPR):
            k = self.sections_seen
            self.sections_seen += 1
            if k < len(self.section_starts) and self.section_starts[k]:
                self.pending_breaks += 1

    def emit(self, blocks: Iterable[Block]) -> None:
        """Blocks go to the document, or after the table being read."""
        (self.tables[-1].after if self.tables else self.blocks).extend(blocks)

    def read_alt_chunk(self, el: etree._Element) -> list[Block]:
        """An embedded HTML chunk (``w:altChunk``) read by the HTML reader."""
        package = self.package
        try:
            if self.related is None:
                self.related = package.targets(package.main)
            rid = el.get(_R_ID)
            chunk = self.related.get(rid) if rid else None
            if chunk is None or package.content_type(chunk) not in _HTML_CHUNK:
                return []
            html = package.read(chunk)
        except Exception as exc:  # zipfile, lxml or a missing member, as in _open_body
            raise CorruptDocument(self.source, f"cannot read w:altChunk: {_short(exc)}") from exc
        from .html import read_html

        self.turn_page()
        blocks = read_html(html, None, self.source).blocks
        return [_on_page(b, self.page) for b in blocks]


def _on_page(block: Block, page: int) -> Block:
    if isinstance(block, Paragraph):
        return block.replace(page=page)
    return Table(tuple(tuple(c.replace(page=page) for c in row) for row in block.rows))
