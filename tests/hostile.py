"""Hostile inputs, made at run time from the corpus renditions, and a runner that
parses one under a memory cap and a timeout in a child process.

Each input class is a small change to a readable form (``corpus/renditions/
seed_003``, authored for this project): a PDF, DOCX, XLSX or HTML that an
attacker (or a careless exporter) bent. :data:`CLASSES` maps a class name to the
function that makes its file at a ``size`` ("small": quick enough for CI, "full":
the size that hurt before the reader was hardened). Nothing here is committed as
a file: ``tests/test_hostile.py`` makes each input in a temporary directory, and
``python tools/hostile.py`` runs every class at full size (see its docstring).

The runner (:func:`run`) starts ``python tests/hostile.py --parse FILE``, which
caps its address space (``RLIMIT_AS``), parses the file and prints one JSON line:
the error's type and message, or the forms found with their indicator counts.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "corpus" / "renditions" / "seed_003"
#: indicators the base form holds (checked by tests/test_hostile.py on the base files)
BASE_INDICATORS = 10


def base(ext: str) -> bytes:
    """The readable base form as ``ext`` (``pdf``, ``docx``, ``xlsx``, ``html``)."""
    return (BASE / f"seed_003.{ext}").read_bytes()


# -- PDF -----------------------------------------------------------------------


def plain_pdf() -> bytes:
    """The base PDF rewritten by pypdf with its page content streams uncompressed,
    a classic xref table, one object per ``N 0 obj`` (what the edits below need)."""
    import pypdf
    from pypdf.generic import DecodedStreamObject, NameObject

    reader = pypdf.PdfReader(io.BytesIO(base("pdf")))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        stream = DecodedStreamObject()
        stream.set_data(page.get_contents().get_data())  # type: ignore[union-attr]
        added[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_OBJ = re.compile(rb"(?m)^(\d+) 0 obj\b")


def reindex(pdf: bytes) -> bytes:
    """Rebuild the xref table of a PDF whose objects moved (each ``N 0 obj`` at a
    line start); the trailer keeps its entries but ``/Size``."""
    head = pdf[: pdf.rindex(b"\nxref") + 1]
    trailer = re.search(rb"trailer\s*(<<.*?>>)\s*startxref", pdf, re.S)
    assert trailer is not None
    offsets = {int(m.group(1)): m.start() for m in _OBJ.finditer(head)}
    size = max(offsets) + 1
    rows = [b"0000000000 65535 f \n"]
    for n in range(1, size):
        rows.append(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n")
    body = re.sub(rb"/Size \d+", b"/Size %d" % size, trailer.group(1))
    xref = len(head)
    return (
        head
        + b"xref\n0 %d\n" % size
        + b"".join(rows)
        + b"trailer\n"
        + body
        + (b"\nstartxref\n%d\n%%%%EOF\n" % xref)
    )


def _content_objects(pdf: bytes) -> list[int]:
    """The object numbers of the page content streams (in page order)."""
    return [int(n) for n in re.findall(rb"/Contents (\d+) 0 R", pdf)]


def _append_objects(pdf: bytes, objects: dict[int, bytes]) -> bytes:
    cut = pdf.rindex(b"\nxref") + 1
    extra = b"".join(b"%d 0 obj\n" % n + body + b"\nendobj\n" for n, body in objects.items())
    return reindex(pdf[:cut] + extra + pdf[cut:])


def _stream_object(pdf: bytes, number: int) -> re.Match[bytes]:
    m = re.search(rb"(?ms)^%d 0 obj\s*<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream" % number, pdf)
    assert m is not None, number
    return m


def _free_number(pdf: bytes) -> int:
    return max(int(m.group(1)) for m in _OBJ.finditer(pdf)) + 1


def pdf_length_self_ref(size: str) -> bytes:
    """The first page's content ``/Length`` is a reference to an object that refers
    to itself (pdfminer's resolve1 looped forever)."""
    pdf = plain_pdf()
    n = _free_number(pdf)
    first = _content_objects(pdf)[0]
    m = _stream_object(pdf, first)
    dic = re.sub(rb"/Length \d+", b"/Length %d 0 R" % n, m.group(1))
    pdf = pdf[: m.start(1)] + dic + pdf[m.end(1) :]
    return _append_objects(pdf, {n: b"%d 0 R" % n})


def pdf_length_too_long(size: str) -> bytes:
    """Every page content ``/Length`` is 5000 bytes too long (the data runs over
    ``endstream`` into the objects after it)."""
    pdf = plain_pdf()
    for number in _content_objects(pdf):
        m = _stream_object(pdf, number)
        dic = re.sub(
            rb"/Length (\d+)", lambda x: b"/Length %d" % (int(x.group(1)) + 5000), m.group(1)
        )
        pdf = pdf[: m.start(1)] + dic + pdf[m.end(1) :]
    return reindex(pdf)


def pdf_flate_bomb(size: str) -> bytes:
    """A page draws a Form XObject whose Flate stream inflates to 300 MB (small) or
    5 GB (full) of spaces: a few hundred KB (a few MB) of file."""
    total = 300 * 2**20 if size == "small" else 5 * 2**30
    pdf = plain_pdf()
    n = _free_number(pdf)
    z = zlib.compressobj(9)
    chunk = b" " * 2**24
    parts = [z.compress(chunk) for _ in range(total // len(chunk))]
    parts.append(z.flush())
    data = b"".join(parts)
    stream = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Filter /FlateDecode "
        b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    )
    pdf = _draw_on_first_page(pdf, b"/Bomb", n)
    return _append_objects(pdf, {n: stream})


def _draw_on_first_page(pdf: bytes, name: bytes, number: int, times: int = 1) -> bytes:
    """Make the first page draw XObject ``number`` as ``name`` ``times`` times."""
    first = _content_objects(pdf)[0]
    m = _stream_object(pdf, first)
    content = m.group(2) + b"\n" + b"q " + b" ".join([name + b" Do"] * times) + b" Q\n"
    dic = re.sub(rb"/Length \d+", b"/Length %d" % len(content), m.group(1))
    pdf = pdf[: m.start(1)] + dic + b">>\nstream\n" + content + pdf[m.end(2) :]
    # the page's resources name the XObject
    page = re.search(rb"/Contents %d 0 R" % first, pdf)
    assert page is not None
    start = pdf.rindex(b" obj", 0, page.start())
    res = pdf.index(b"/Resources", start)
    inner = pdf.index(b"<<", res) + 2
    return pdf[:inner] + b"\n/XObject << %s %d 0 R >>\n" % (name, number) + pdf[inner:]


def pdf_xobject_nest(size: str) -> bytes:
    """Form XObjects nested 5 deep (small; 9 full), each drawing the next 10 times:
    10^5 (10^9) draws of a line from a 1 KB addition."""
    depth = 5 if size == "small" else 9
    pdf = plain_pdf()
    n = _free_number(pdf)
    objects = {}
    for level in range(depth):
        number = n + level
        if level == depth - 1:
            content = b"0 0 m 5 5 l S"
            res = b""
        else:
            content = b" ".join([b"/X Do"] * 10)
            res = b"/Resources << /XObject << /X %d 0 R >> >>" % (number + 1)
        objects[number] = (
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] %s /Length %d >>\nstream\n"
            % (res, len(content))
            + content
            + b"\nendstream"
        )
    pdf = _draw_on_first_page(pdf, b"/X", n, times=10)
    return _append_objects(pdf, objects)


def pdf_rotate90(size: str) -> bytes:
    """Every page has ``/Rotate 90`` (the form lies on its side as shown)."""
    pdf = plain_pdf()
    return reindex(pdf.replace(b"/Type /Page\n", b"/Type /Page\n/Rotate 90\n"))


def pdf_no_tounicode(size: str) -> bytes:
    """The fonts lose their ``/ToUnicode`` maps (subset fonts with codes 1, 2, 3 …):
    the text cannot be read as characters."""
    pdf = plain_pdf()
    return reindex(re.sub(rb"/ToUnicode \d+ 0 R", b"", pdf))


def pdf_damaged_content(size: str) -> bytes:
    """Every page's content stream replaced by junk under ``/FlateDecode`` (128 KB
    small, 5 MB full, each): nothing on any page can be read."""
    pdf = plain_pdf()
    junk = b"\x00\xff" * (5 * 2**19 if size == "full" else 2**16)
    for number in _content_objects(pdf):
        m = _stream_object(pdf, number)
        dic = re.sub(rb"/Length \d+", b"/Length %d /Filter /FlateDecode" % len(junk), m.group(1))
        pdf = pdf[: m.start(1)] + dic + b">>\nstream\n" + junk + pdf[m.end(2) :]
    return reindex(pdf)


# -- zip packages --------------------------------------------------------------


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None],
           add: dict[str, bytes] | None = None) -> bytes:  # fmt: skip
    """A copy of a zip package with each member passed through ``change`` (None
    drops it) and ``add`` appended."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            new = change(info.filename, src.read(info))
            if new is not None:
                dst.writestr(info.filename, new)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def xlsx_merge(prefix: str = "", quote: str = '"') -> Callable[[str], bytes]:
    """A merged range over the whole sheet (A1:XFD1048576, 17 billion cells) added
    to the sheet, written with a namespace ``prefix`` and ``quote`` for the ref."""

    def make(size: str) -> bytes:
        area = b"A1:XFD1048576" if size == "full" else b"A1:ZZ5000"
        data = base("xlsx")
        sheet = _member(data, "xl/worksheets/sheet1.xml").decode()
        if prefix:
            sheet = _prefixed(sheet, prefix)
        p = f"{prefix}:" if prefix else ""
        merge = f"<{p}mergeCells count={quote}1{quote}><{p}mergeCell ref={quote}{area.decode()}{quote}/></{p}mergeCells>"
        sheet = _insert_merge(sheet, merge, p)
        return _rezip(data, lambda n, b: sheet.encode() if n == "xl/worksheets/sheet1.xml" else b)

    return make


def _prefixed(sheet: str, prefix: str) -> str:
    """The sheet XML with its default namespace bound to ``prefix`` instead."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = sheet.replace(f'xmlns="{ns}"', f'xmlns:{prefix}="{ns}"')
    return re.sub(r"<(/?)([A-Za-z][\w]*)(?=[\s/>])", rf"<\1{prefix}:\2", sheet)


def _insert_merge(sheet: str, merge: str, p: str) -> str:
    """``merge`` put where the schema wants it: after sheetData (replacing any)."""
    sheet = re.sub(rf"<{p}mergeCells\b.*?</{p}mergeCells>", "", sheet, flags=re.S)
    end = f"</{p}sheetData>"
    k = sheet.index(end) + len(end)
    return sheet[:k] + merge + sheet[k:]


def xlsx_sheet_elsewhere(size: str) -> bytes:
    """The sheet moved outside ``xl/worksheets/`` (found through the workbook's
    relationships), holding a merged range over the whole sheet."""
    data = base("xlsx")
    area = "A1:XFD1048576" if size == "full" else "A1:ZZ5000"
    sheet = _member(data, "xl/worksheets/sheet1.xml").decode()
    sheet = _insert_merge(
        sheet, f'<mergeCells count="1"><mergeCell ref="{area}"/></mergeCells>', ""
    )

    def change(name: str, body: bytes) -> bytes | None:
        if name == "xl/worksheets/sheet1.xml":
            return None
        if name == "xl/_rels/workbook.xml.rels":
            return body.replace(b"worksheets/sheet1.xml", b"data/grid.xml")
        if name == "[Content_Types].xml":
            return body.replace(b"/xl/worksheets/sheet1.xml", b"/xl/data/grid.xml")
        return body

    return _rezip(data, change, {"xl/data/grid.xml": sheet.encode()})


def xlsx_wide(size: str) -> bytes:
    """Rows reaching column XFD (16384 columns): every row of the sheet gets one more
    cell there, so a row-filling reader makes 16384 cells per row."""
    data = base("xlsx")
    sheet = _member(data, "xl/worksheets/sheet1.xml").decode()
    rows = 200 if size == "small" else 5000
    extra = "".join(
        f'<row r="{100 + r}"><c r="XFD{100 + r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(rows)
    )
    sheet = sheet.replace("</sheetData>", extra + "</sheetData>")
    sheet = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD6000"/>', sheet)
    return _rezip(data, lambda n, b: sheet.encode() if n == "xl/worksheets/sheet1.xml" else b)


def xlsx_sparse(size: str) -> bytes:
    """A sheet holding 3 million (full; 300 thousand small) tiny cells, with
    ``max_cells`` set below that by the test."""
    data = base("xlsx")
    sheet = _member(data, "xl/worksheets/sheet1.xml").decode()
    count = 300_000 if size == "small" else 3_000_000
    per = 1000
    rows = "".join(
        f'<row r="{200 + r}">'
        + "".join(f'<c r="{_col(c)}{200 + r}"><v>1</v></c>' for c in range(per))
        + "</row>"
        for r in range(count // per)
    )
    sheet = sheet.replace("</sheetData>", rows + "</sheetData>")
    return _rezip(data, lambda n, b: sheet.encode() if n == "xl/worksheets/sheet1.xml" else b)


def _col(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def zip_lying_size(size: str) -> bytes:
    """A DOCX whose ``word/document.xml`` directory entries (central and local) say
    1000 bytes while its data inflates to 300 MB (small) or 3 GB (full), with a CRC
    that matches the first 1000 bytes."""
    data = base("docx")
    real = _member(data, "word/document.xml")
    total = 300 * 2**20 if size == "small" else 3 * 2**30
    padding = total - len(real)
    # the document, then comment padding after its end (XML allows a trailing comment)
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [z.compress(real), z.compress(b"<!--")]
    chunk = b" " * 2**24
    for _ in range(padding // len(chunk)):
        parts.append(z.compress(chunk))
    parts.append(z.compress(b"-->"))
    parts.append(z.flush())
    deflated = b"".join(parts)
    claimed = 1000
    crc = zlib.crc32(real[:claimed])
    return _raw_zip(data, "word/document.xml", deflated, claimed, crc)


def _raw_zip(data: bytes, name: str, deflated: bytes, claimed: int, crc: int) -> bytes:
    """``data`` (a zip) with member ``name`` replaced by raw deflate ``deflated``,
    its directory entries saying ``claimed`` bytes with ``crc``."""
    import struct

    out = io.BytesIO()
    central = []
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        for info in src.infolist():
            if info.filename == name:
                body, size, c = deflated, claimed, crc
            else:
                raw = src.read(info)
                z = zlib.compressobj(6, zlib.DEFLATED, -15)
                body, size, c = z.compress(raw) + z.flush(), len(raw), zlib.crc32(raw)
            fname = info.filename.encode()
            offset = out.tell()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, c,
                                  len(body), size, len(fname), 0))  # fmt: skip
            out.write(fname)
            out.write(body)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21,
                                       c, len(body), size, len(fname), 0, 0, 0, 0, 0,
                                       offset) + fname)  # fmt: skip
    start = out.tell()
    for entry in central:
        out.write(entry)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          end - start, start, 0))  # fmt: skip
    return out.getvalue()


def docx_main_elsewhere(size: str) -> bytes:
    """A DOCX whose main part is ``word/body.xml`` (named by ``_rels/.rels`` and
    ``[Content_Types].xml``), with no ``word/document.xml``."""
    data = base("docx")

    def change(name: str, body: bytes) -> bytes | None:
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return body.replace(b"word/document.xml", b"word/body.xml")
        if name == "word/_rels/document.xml.rels":
            return None
        return None if name == "word/document.xml" else body

    return _rezip(
        data,
        change,
        {
            "word/body.xml": _member(data, "word/document.xml"),
            "word/_rels/body.xml.rels": _member(data, "word/_rels/document.xml.rels"),
        },
    )


def xlsx_main_elsewhere(size: str) -> bytes:
    """An XLSX whose workbook part is ``xl/book.xml`` (named by ``_rels/.rels`` and
    ``[Content_Types].xml``), with no ``xl/workbook.xml``."""
    data = base("xlsx")

    def change(name: str, body: bytes) -> bytes | None:
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return body.replace(b"xl/workbook.xml", b"xl/book.xml")
        if name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            return None
        return body

    return _rezip(
        data,
        change,
        {
            "xl/book.xml": _member(data, "xl/workbook.xml"),
            "xl/_rels/book.xml.rels": _member(data, "xl/_rels/workbook.xml.rels"),
        },
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_textbox(size: str) -> bytes:
    """The title paragraph moved into a text box (``w:txbxContent`` inside a
    drawing), as Word does when the title is laid out in a frame."""
    data = base("docx")
    doc = _member(data, "word/document.xml").decode()
    m = re.search(r"<w:p\b(?:(?!</w:p>).)*?项目支出绩效自评表.*?</w:p>", doc, re.S)
    assert m is not None
    title = m.group(0)
    box = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-'
        'compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://'
        'schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><a:graphic xmlns:a="'
        'http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="x"><wps:wsp '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>'
        f"<w:txbxContent>{title}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        '</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-'
        f'microsoft-com:vml"><v:textbox><w:txbxContent>{title}</w:txbxContent></v:textbox>'
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    doc = doc[: m.start()] + box + doc[m.end() :]
    return _rezip(data, lambda n, b: doc.encode() if n == "word/document.xml" else b)


def docx_nested(size: str) -> bytes:
    """The whole form (title paragraphs and table) inside the one cell of a layout
    table, as some exporters frame a page."""
    data = base("docx")
    doc = _member(data, "word/document.xml").decode()
    start = doc.index("<w:body>") + len("<w:body>")
    end = doc.rindex("<w:sectPr")
    frame = (
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>"
        f"{doc[start:end]}<w:p/></w:tc></w:tr></w:tbl>"
    )
    doc = doc[:start] + frame + doc[end:]
    return _rezip(data, lambda n, b: doc.encode() if n == "word/document.xml" else b)


def docx_span(size: str) -> bytes:
    """A cell with ``gridSpan`` 1000 continued by ``vMerge`` in 2000 (small) / 20000
    (full) rows below: 2 (20) million slots from a small file."""
    data = base("docx")
    doc = _member(data, "word/document.xml").decode()
    rows = 2000 if size == "small" else 20000
    head = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000"/><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr>'
    more = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>'
    k = doc.rindex("</w:tbl>")
    doc = doc[:k] + head + more * rows + doc[k:]
    return _rezip(data, lambda n, b: doc.encode() if n == "word/document.xml" else b)


# -- HTML -------------------------------------------------------------------------


def html_span(size: str) -> bytes:
    """Cells with ``colspan=1000 rowspan=65534`` in many rows: billions of slots
    from a few KB."""
    rows = 50 if size == "small" else 2000
    extra = '<tr><td colspan="1000" rowspan="65534">x</td></tr>' * rows
    page = base("html").decode()
    k = page.rindex("</table>")
    return (page[:k] + extra + page[k:]).encode()


def html_deep(size: str) -> bytes:
    """The form nested inside 300 ``<div>`` levels (past libxml2's depth cap of
    256): the parser would stop part way through the table."""
    page = base("html").decode()
    start = page.index("<body>") + len("<body>")
    end = page.index("</body>")
    depth = 300
    body = "<div>" * depth + page[start:end] + "</div>" * depth
    return (page[:start] + body + page[end:]).encode()


def html_gbk_declared_latin1(size: str) -> bytes:
    """GBK bytes under ``<meta charset="iso-8859-1">`` (a server's wrong label)."""
    page = base("html").decode().replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    return page.encode("gbk")


def html_chrome_position(size: str) -> bytes:
    """The form inside ``<div class="position">``, and a label cell's text inside
    ``<span class="share">``."""
    page = base("html").decode()
    start = page.index("<body>") + len("<body>")
    end = page.index("</body>")
    body = page[start:end].replace("项目名称:", '<span class="share">项目名称:</span>', 1)
    return (page[:start] + '<div class="position">' + body + "</div>" + page[end:]).encode()


# -- text ---------------------------------------------------------------------------


def text_absurd_figures(size: str) -> bytes:
    """The base form as text with a 30-decimal execution rate and a 39-digit weight."""
    text = (ROOT / "corpus" / "seeds" / "seed_000" / "000_f4fd78449f7adfd3.txt").read_text()
    text = text.replace("\t10\t97.35%", "\t" + "9" * 39 + "\t0." + "97" * 15, 1)
    return text.encode()


@dataclass(frozen=True)
class Case:
    """An input class: what makes it, and what parsing it must give.

    ``expect`` is an error's type name, or ``"form"``: the base form read whole
    (one form, its title, project name and :data:`BASE_INDICATORS` indicators).
    ``match`` is a piece of the error message (or of a warning, for a form);
    ``small`` are parse options for the small size (a limit lowered so that the
    small input meets it as the full one meets the default); PDF classes run
    with each backend.
    """

    make: Callable[[str], bytes]
    expect: str
    match: str = ""
    small: dict[str, object] = field(default_factory=dict)
    always: dict[str, object] = field(default_factory=dict)

    def options(self, size: str) -> dict[str, object]:
        """The parse options at ``size``."""
        return {**self.always, **(self.small if size == "small" else {})}

    @property
    def pdf(self) -> bool:
        return self.make.__name__.startswith("pdf")


CLASSES: dict[str, Case] = {
    "pdf_length_self_ref": Case(pdf_length_self_ref, "form"),
    "pdf_length_too_long": Case(pdf_length_too_long, "form"),
    "pdf_flate_bomb": Case(pdf_flate_bomb, "ResourceLimitExceeded", "max_stream_bytes"),
    "pdf_xobject_nest": Case(pdf_xobject_nest, "ResourceLimitExceeded", "max_form_draws"),
    "pdf_rotate90": Case(pdf_rotate90, "form"),
    "pdf_no_tounicode": Case(pdf_no_tounicode, "NeedsOCR", "no Unicode mapping"),
    "pdf_damaged_content": Case(pdf_damaged_content, "CorruptDocument", "do not decode"),
    "xlsx_merge_prefix": Case(xlsx_merge(prefix="x"), "ResourceLimitExceeded", "merged ranges"),
    "xlsx_merge_quoted": Case(xlsx_merge(quote="'"), "ResourceLimitExceeded", "merged ranges"),
    "xlsx_sheet_elsewhere": Case(xlsx_sheet_elsewhere, "ResourceLimitExceeded", "merged ranges"),
    "xlsx_wide": Case(xlsx_wide, "ResourceLimitExceeded", "max_cells", {"max_cells": 1_000_000}),
    "xlsx_sparse": Case(xlsx_sparse, "ResourceLimitExceeded", "max_cells", {"max_cells": 100_000}),
    "zip_lying_size": Case(zip_lying_size, "CorruptDocument", "its directory states"),
    "docx_main_elsewhere": Case(docx_main_elsewhere, "form"),
    "xlsx_main_elsewhere": Case(xlsx_main_elsewhere, "form"),
    "docx_textbox": Case(docx_textbox, "form"),
    "docx_nested": Case(docx_nested, "form"),
    "docx_span": Case(docx_span, "ResourceLimitExceeded", "max_cells", {"max_cells": 1_000_000}),
    "html_span": Case(html_span, "ResourceLimitExceeded", "max_cells", {"max_cells": 200_000}),
    "html_deep": Case(html_deep, "form"),
    "html_gbk_declared_latin1": Case(html_gbk_declared_latin1, "form", "declares charset"),
    "html_chrome_position": Case(html_chrome_position, "form"),
    "text_absurd_figures": Case(text_absurd_figures, "figures", always={"strict": True}),
}


def verdict(case: Case, outcome: dict[str, object]) -> str:
    """``""`` when ``outcome`` is what ``case`` expects, else what is wrong."""
    if case.expect == "form":
        want = {
            "forms": 1,
            "indicators": [BASE_INDICATORS],
            "title": ["项目支出绩效自评表"],
            "project_name": ["计生协会工作"],
        }
        wrong = {k: outcome.get(k) for k, v in want.items() if outcome.get(k) != v}
        if not wrong and case.match:
            warned = " ".join(str(w) for w in outcome.get("warnings", []))  # type: ignore[attr-defined]
            if case.match not in warned:
                return f"no warning saying {case.match!r}: {outcome}"
        return f"not the base form: {wrong} ({outcome.get('error')})" if wrong else ""
    if case.expect == "figures":  # checked, or refused by strict=True for a warning
        if outcome.get("error") == "StrictError" or outcome.get("forms") == 1:
            return ""
        return f"neither a checked form nor a StrictError: {outcome}"
    if outcome.get("error") != case.expect:
        return f"expected {case.expect}, got {outcome}"
    if case.match not in str(outcome.get("message", "")):
        return f"the message does not say {case.match!r}: {outcome.get('message')}"
    return ""


MEMORY_CAP = 1536 * 2**20  # bytes of address space for the child that parses


def run(path: Path, *, timeout: float = 120.0, memory: int = MEMORY_CAP,
        options: dict[str, object] | None = None) -> dict[str, object]:  # fmt: skip
    """Parse ``path`` in a child process under ``memory`` bytes of address space and
    ``timeout`` seconds; the outcome as :func:`_parse` prints it, or
    ``{"error": "Timeout"}`` / ``{"error": "Crashed", ...}``."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--parse", str(path),
           "--memory", str(memory), "--options", json.dumps(options or {})]  # fmt: skip
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "Timeout"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": "Crashed", "code": done.returncode, "stderr": done.stderr[-2000:]}
    outcome: dict[str, object] = json.loads(lines[-1])
    return outcome


def _parse(path: str, memory: int, options: dict[str, object]) -> dict[str, object]:
    import resource
    import warnings

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from jixiao_parser import JixiaoError, parse_all

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            reports = parse_all(path, **options)  # type: ignore[arg-type]
        except JixiaoError as exc:
            return {"error": type(exc).__name__, "message": str(exc), "peak_mb": _peak()}
        except MemoryError:
            return {"error": "MemoryError"}
        except Exception as exc:
            return {"error": "Raw:" + type(exc).__name__, "message": str(exc)[:500]}
    return {
        "peak_mb": _peak(),
        "forms": len(reports),
        "indicators": [len(r.indicators) for r in reports],
        "title": [r.title for r in reports],
        "project_name": [r.header.project_name for r in reports],
        "checks": [[c.code for c in r.checks] for r in reports],
        "diagnostics": [[d.code for d in r.diagnostics] for r in reports],
        "warnings": [str(w.message)[:300] for w in caught],
    }


def _peak() -> int:
    """The child's peak resident memory, in MB (Linux reports KB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parse", help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=int, default=MEMORY_CAP, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse:
        print(json.dumps(_parse(args.parse, args.memory, json.loads(args.options))))
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
