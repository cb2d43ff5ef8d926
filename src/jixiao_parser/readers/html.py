"""Read HTML: every table as a grid, the text between tables as paragraphs.

lxml.html parses the page; the tree is walked here without recursion::

    <h1>项目支出绩效自评表</h1><p>(2023年度)</p>        → Paragraph, Paragraph
    <table><tr><td rowspan="2">产出指标</td><td>数量指标</td>…
               <tr><td>质量指标</td>…                   → Cell("产出指标", rowspan=2),
                                                          Cell("质量指标", row=1, col=1)

- the bytes are decoded here by their evidence (:func:`decode_html`): a BOM,
  valid UTF-8, the ``<meta charset>`` / ``http-equiv`` / XML declaration in the
  first 2 KB unless the bytes contradict it (GBK and GB2312 read as GB18030,
  Big5 as Big5-HKSCS), GB18030, then charset-normalizer's guess;
- elements nested past libxml2's depth limit (2048 levels) end in
  :class:`~jixiao_parser.CorruptDocument`, never in a page cut short;
- site chrome (``nav``, a page-level ``header``/``footer``, ``aside``, ARIA
  landmarks, breadcrumb/meta/share/pager classes), scripts, styles and hidden
  elements are skipped, tables inside them too — but an element that only looks
  like chrome by its class, id, role or tag is read when it sits inside a table
  cell or holds a table with form labels (项目名称, 一级指标 …);
- a cell's column skips the slots taken by rowspans from the rows above;
  ``rowspan``/``colspan`` are capped (:data:`MAX_SPAN`, and a rowspan at the
  rows left in the table); the covered slots are not cells;
- inside a cell ``<br>`` and block boundaries (``<p>``, ``<div>`` …) are line
  breaks, ``&nbsp;`` a space, a source line break between two Chinese
  characters nothing (Word's "save as web page" wraps text mid-word);
- a table nested in a cell is a Table block of its own after the table that
  holds it; a ``<caption>`` is a paragraph before its table.

Everything is one page.
"""

from __future__ import annotations

import codecs
import warnings
from collections.abc import Callable

import lxml.html
import regex
from lxml import etree

from .. import limits
from ..document import Block, Cell, Document, Paragraph, Table
from ..errors import CorruptDocument, JixiaoWarning
from .text import clean_cell

__all__ = ["decode_html", "read_html"]

MAX_SPAN = 1000
_SKIP = frozenset(
    ("script", "style", "nav", "aside", "noscript", "template", "head", "title", "select",
     "button", "iframe", "object", "embed", "svg", "math", "map", "audio", "video", "canvas")
)  # fmt: skip
_CHROME = frozenset(("header", "footer"))  # skipped unless inside an article or section
_SECTIONING = frozenset(("article", "section", "main"))
_BLOCK = frozenset(
    ("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
     "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
     "menu", "ol", "p", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
     "tr", "ul")
)  # fmt: skip
_GB = frozenset(
    ("gbk", "gb2312", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80",
     "gb_2312", "csgb2312", "chinese", "iso-ir-58", "euc-cn")
)  # fmt: skip
_BIG5 = frozenset(("big5", "big5-hkscs", "big5hkscs", "x-x-big5", "cn-big5", "csbig5"))
_DECLARED = regex.compile(
    rb"""<meta\b[^>]{0,300}?\bcharset\s*=\s*["']?\s*([a-z0-9_.:\-]{2,40})"""
    rb"""|<\?xml\b[^>]{0,200}?\bencoding\s*=\s*["']([a-z0-9_.:\-]{2,40})""",
    regex.IGNORECASE,
)
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CJK = r"[\p{Han}\p{InCJK_Symbols_and_Punctuation}\uff00-\uffef]"
_CJK_WRAP = regex.compile(rf"(?<={_CJK})[ \t\r\f]*\n[ \t\r\n\f]*(?={_CJK})")
_SPACE = regex.compile(r"[ \t\r\n\f]+")
# class/id tokens and ARIA roles of page chrome: breadcrumbs (当前位置), article
# meta lines (发布时间 来源 浏览次数), share bars, pagers, side bars
_CHROME_TOKENS = frozenset(
    ("breadcrumb", "breadcrumbs", "crumb", "crumbs", "position", "location", "dqwz",
     "article-meta", "post-meta", "entry-meta", "share", "pagination", "pager", "sidebar",
     "navbar", "menu", "copyright")
)  # fmt: skip
_CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))
_HIDDEN = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)
_DIGITS = regex.compile(r"\s*\+?(\d{1,9})")


def read_html(data: bytes, path: str | None, source: str) -> Document:
    """Read an HTML page into a :class:`Document` (one page).

    >>> doc = read_html(b'<p>T</p><table><tr><td colspan="2">a<br>b</td></tr></table>', None, "x")
    >>> doc.blocks[0].text, doc.blocks[1].rows[0][0].text, doc.blocks[1].rows[0][0].colspan
    ('T', 'a\\nb', 2)
    """
    text = decode_html(data, source)
    if not text.strip():
        return Document(path=path, format="html", blocks=())
    # huge_tree: libxml2 reads elements nested up to 2048 deep (256 without), and
    # past that stops reading, which its error log says: refused, not cut short
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root: etree._Element | None = etree.fromstring(text.encode("utf-8"), parser=parser)
    except Exception as exc:  # lxml raises ParserError, ValueError, XMLSyntaxError …
        raise CorruptDocument(source, f"cannot parse as HTML: {type(exc).__name__}") from exc
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            msg = f"the HTML parser stopped part way (line {entry.line}): {entry.message}"
            raise CorruptDocument(source, msg)
    if root is None:  # only comments or doctype
        return Document(path=path, format="html", blocks=())
    body = root.find("body")
    blocks = read_flow(body if body is not None else root)
    return Document(path=path, format="html", blocks=tuple(blocks))


def decode_html(data: bytes, source: str = "<bytes>") -> str:
    """Decode an HTML page by the evidence of its bytes: a BOM; else valid UTF-8
    (non-ASCII bytes that are valid UTF-8 are UTF-8 whatever the page declares);
    else the ``<meta charset>`` / ``http-equiv`` / XML declaration in the first
    2 KB, unless the bytes contradict it; else GB18030; else what
    charset-normalizer detects. A declaration the bytes contradict (a Western
    single-byte charset over GBK bytes, as servers label Chinese pages) is
    overridden with a :class:`~jixiao_parser.JixiaoWarning` naming the file.

    >>> decode_html('<meta charset="gb2312"><p>总分</p>'.encode("gbk"))[-9:]
    '<p>总分</p>'
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            return _strip_controls(data[len(bom) :].decode(encoding, errors="replace"))
    declared = _declared_encoding(data[:2048])
    chosen, text = _decode_by_evidence(data, declared)
    if text is None:
        # A stray bad byte in a real page is replaced; binary junk is refused.
        chosen = declared or "gb18030"
        text = data.decode(chosen, errors="replace")
        junk = text.count("\ufffd") + len(_CONTROL.findall(text))
        if junk > 0.05 * len(text) + 8:
            raise CorruptDocument(source, "not HTML: bytes decode as neither UTF-8 nor GB18030")
    if declared and chosen != declared and not _compatible(declared, chosen):
        msg = (
            f"{source}: the page declares charset {declared} but its bytes are {chosen}; "
            f"read as {chosen}"
        )
        warnings.warn(msg, JixiaoWarning, stacklevel=3)
    return _strip_controls(text)


_SINGLE_BYTE = ("latin-1", "cp1252", "ascii", "iso8859", "windows-125", "cp125")
_NON_ASCII_HAN = regex.compile(r"\p{Han}")


def _compatible(declared: str, chosen: str) -> bool:
    """Whether reading ``chosen`` where ``declared`` is declared changes nothing
    worth a warning (ASCII is UTF-8; GB2312 and GBK are GB18030)."""
    return declared == "ascii" and chosen == "utf-8"


def _decode_by_evidence(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """(codec, text) by the evidence of the bytes; text None when nothing decodes."""
    if data.isascii():
        return declared or "utf-8", data.decode("ascii")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    if declared and not declared.startswith(_SINGLE_BYTE):
        candidates.append(declared)
    candidates.append("gb18030")
    if declared and declared.startswith(_SINGLE_BYTE):
        candidates.append(declared)  # a Western page, when the bytes are not Chinese
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding == "gb18030" and not _reads_as_chinese(text):
            continue
        return encoding, text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return codecs.lookup(best.encoding).name, str(best)
    return declared or "gb18030", None


def _reads_as_chinese(text: str) -> bool:
    """Whether most of the non-ASCII characters of ``text`` are Chinese."""
    wide = len(text) - len(text.encode("ascii", "ignore"))  # the characters past 0x7F
    return bool(wide) and len(_NON_ASCII_HAN.findall(text)) * 2 >= wide


def _declared_encoding(head: bytes) -> str | None:
    """The Python codec for the charset a page declares, if any and known."""
    m = _DECLARED.search(head)
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    if label in _GB:
        return "gb18030"
    if label in _BIG5:
        return "big5hkscs"
    if label.startswith(("utf-16", "utf16")):
        return "utf-8"  # a declaration readable as ASCII means it is not UTF-16
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strip_controls(text: str) -> str:
    """libxml2 refuses NUL and most C0 controls; they carry no text anyway."""
    return _CONTROL.sub("", text)


def _span(value: str | None) -> int:
    """``"2"``, ``" 3px"`` → 2, 3; missing, ``"0"`` or junk → 1; capped."""
    m = _DIGITS.match(value or "")
    return min(max(int(m.group(1)), 1), MAX_SPAN) if m else 1


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _skipped(el: etree._Element, tag: str) -> bool:
    if tag in _SKIP or el.get("hidden") is not None or _HIDDEN.search(el.get("style") or ""):
        return True
    return _chrome(el, tag) and not _holds_form(el)


def _chrome(el: etree._Element, tag: str) -> bool:
    """Whether ``el`` looks like page chrome by its role, class, id or tag."""
    if (el.get("role") or "").strip().lower() in _CHROME_ROLES:
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
    if any(name in _CHROME_TOKENS for name in names):
        return True
    if tag in _CHROME:
        return not any(_tag(a) in _SECTIONING for a in el.iterancestors())
    return False


# labels that only a self-evaluation form's table holds
_FORM_LABELS = regex.compile(
    r"项目名称|主管部门|实施单位|资金总额|年初预算|全年预算|全年执行|一级指标|二级指标|三级指标"
    r"|绩效指标|年度指标值|实际完成值|绩效目标"
)


def _holds_form(el: etree._Element) -> bool:
    """Whether what looks like chrome is part of a form: inside a table cell (a
    ``class="share"`` span around a label), or holding a table with form labels
    (a form inside ``<div class="position">``). Such an element is read."""
    if any(_tag(a) in ("td", "th") for a in el.iterancestors()):
        return True
    for table in el.iter("table", "TABLE"):
        if _FORM_LABELS.search("".join(str(t) for t in table.itertext())[:20000]):
            return True
    return False


_BREAK = "\x0b"  # a structural line break while linearizing (controls are stripped on input)


def _finish(raw: str) -> str:
    """HTML whitespace in linearized text: a source line break between Chinese
    characters vanishes, other whitespace runs become one space, structural
    breaks become ``\\n``."""
    return _SPACE.sub(" ", _CJK_WRAP.sub("", raw)).replace(_BREAK, "\n")


def linearize(root: etree._Element, on_table: Callable[[etree._Element], None]) -> str:
    """The text inside ``root`` (not its tail), block boundaries and ``<br>`` as
    ``\\n``; each table met is handed to ``on_table`` instead of being read.

    >>> el = lxml.html.fromstring("<div>甲<br>乙<p>丙</p>丁  <b>戊</b>\\n己</div>")
    >>> linearize(el, print).split("\\n")
    ['甲', '乙', '丙', '丁 戊己']
    """
    out: list[str] = []
    linearize_into(root, on_table, out)
    return _finish("".join(out))


def linearize_into(
    root: etree._Element, on_table: Callable[[etree._Element], None], out: list[str]
) -> None:
    """:func:`linearize`, appending raw pieces to ``out`` (``on_table`` may flush
    it; :func:`_finish` the joined pieces)."""
    out.append(root.text or "")
    stack: list[etree._Element | str] = list(reversed(root))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        tag = _tag(item)
        tail = item.tail or ""
        if not tag or _skipped(item, tag):
            out.append(tail)
        elif tag == "table":
            on_table(item)
            out.extend((_BREAK, tail))
        elif tag == "br":
            out.extend((_BREAK, tail))
        elif tag in ("pre", "textarea", "xmp", "listing"):
            pre = "".join(str(t) for t in item.itertext())
            pre = pre.replace("\r\n", _BREAK).replace("\r", _BREAK).replace("\n", _BREAK)
            out.extend((_BREAK, pre, _BREAK, tail))
        else:
            stack.append(tail)
            if tag in _BLOCK:
                stack.append(_BREAK)
                out.append(_BREAK)
            out.append(item.text or "")
            stack.extend(reversed(item))


def read_flow(root: etree._Element) -> list[Block]:
    """Paragraphs (one per non-empty line) and tables under ``root``, in order."""
    blocks: list[Block] = []
    out: list[str] = []

    def on_table(table: etree._Element) -> None:
        blocks.extend(_paragraphs(_finish("".join(out))))
        out.clear()
        blocks.extend(read_tables(table))

    linearize_into(root, on_table, out)
    blocks.extend(_paragraphs(_finish("".join(out))))
    return blocks


def _paragraphs(text: str) -> list[Block]:
    cleaned = clean_cell(text)
    return [Paragraph(line) for line in cleaned.split("\n")] if cleaned else []


def read_tables(table: etree._Element) -> list[Block]:
    """``table`` and the tables nested in its cells, each after its container
    (depth first, in document order), with captions as paragraphs before."""
    blocks: list[Block] = []
    stack = [table]
    while stack:
        captions, grid, nested = read_table(stack.pop())
        blocks.extend(captions)
        if grid is not None:
            blocks.append(grid)
        stack.extend(reversed(nested))
    return blocks


def table_rows(table: etree._Element) -> tuple[list[etree._Element], list[list[etree._Element]]]:
    """(captions, rows of cells) of ``table``: ``thead`` rows first, ``tfoot``
    rows last; stray cells outside any ``<tr>`` (libxml2 leaves them under
    ``<table>``) make a row of their own, as in a browser."""
    captions: list[etree._Element] = []
    groups: dict[str, list[list[etree._Element]]] = {"thead": [], "tbody": [], "tfoot": []}
    for child in table:
        tag = _tag(child)
        if tag == "caption":
            captions.append(child)
        elif tag in ("tr", "td", "th"):
            _add_row_part(groups["tbody"], child, tag)
        elif tag in groups:
            for grandchild in child:
                _add_row_part(groups[tag], grandchild, _tag(grandchild))
    return captions, groups["thead"] + groups["tbody"] + groups["tfoot"]


def _add_row_part(rows: list[list[etree._Element]], el: etree._Element, tag: str) -> None:
    if tag == "tr":
        rows.append([c for c in el if _tag(c) in ("td", "th")])
    elif tag in ("td", "th"):
        prev = el.getprevious()
        if prev is None or _tag(prev) not in ("td", "th") or not rows:
            rows.append([])
        rows[-1].append(el)


def read_table(
    table: etree._Element,
) -> tuple[list[Block], Table | None, list[etree._Element]]:
    """(caption paragraphs, the grid, tables nested in its cells) of one ``<table>``."""
    nested: list[etree._Element] = []
    caption_elements, trs = table_rows(table)
    captions = [p for c in caption_elements for p in _paragraphs(linearize(c, nested.append))]
    # rowspans from rows above: (first col, end col, last row)
    taken: list[tuple[int, int, int]] = []
    rows: list[tuple[Cell, ...]] = []
    budget = limits.budget()
    for r, tds in enumerate(trs):
        taken = [t for t in taken if t[2] >= r]
        col = 0
        cells: list[Cell] = []
        for td in tds:
            col = _free_col(taken, col)
            rowspan = min(_span(td.get("rowspan")), len(trs) - r)
            if td.get("rowspan", "").strip() == "0":
                rowspan = min(len(trs) - r, MAX_SPAN)  # to the end of the table
            colspan = _span(td.get("colspan"))
            budget.span(rowspan, colspan)
            text = clean_cell(linearize(td, nested.append))
            cells.append(Cell(text, row=r, col=col, rowspan=rowspan, colspan=colspan))
            if rowspan > 1:
                taken.append((col, col + colspan, r + rowspan - 1))
            col += colspan
        rows.append(tuple(cells))
    return captions, (Table(tuple(rows)) if rows else None), nested


def _free_col(taken: list[tuple[int, int, int]], col: int) -> int:
    """The first column from ``col`` on not covered by a rowspan from above."""
    moved = True
    while moved:
        moved = False
        for first, end, _last in taken:
            if first <= col < end:
                col, moved = end, True
    return col
