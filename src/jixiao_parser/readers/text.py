"""Read tab-separated text (as copied out of a PDF, web page or spreadsheet).

A line holding a tab is a table row, its cells split on tabs; any other
non-empty line is a paragraph. Blank lines separate nothing (forms copied out
of web pages are full of them). The reader also

- decodes UTF-8 (with or without BOM), UTF-16 (BOM, or a plain run of
  NUL-padded ASCII), GB18030/GBK and Big5 (when bytes read both as GB18030
  and as Big5, the encoding whose common characters they hold wins);
- accepts CRLF / CR line ends; a form feed starts a new page;
- drops page-number lines (``- 3 -``, ``第 3 页``, ``第3页 共5页``, ``3/5``
  and bare numbers next to a form feed);
- strips leaked HTML tags (``<p>``, ``<br/>``, ``<span …>``) and entities
  (``&nbsp;``), turning paragraph and line breaks into line breaks inside the
  cell.
"""

from __future__ import annotations

import codecs
import functools
import html

import regex

from ..document import Block, Cell, Document, Paragraph, Table
from ..errors import CorruptDocument

__all__ = ["decode_text", "read_text", "read_text_source", "text_to_document"]

_TAG_BREAK = regex.compile(
    r"(?i)</p\s*>\s*<p(?:\s[^<>]{0,200})?>|<br\s*/?>|</?(?:p|div|tr)\b[^<>]{0,200}>"
)
_TAG_OTHER = regex.compile(
    r"(?i)</?(?:span|font|b|i|u|em|strong|sup|sub|td|th|table|tbody|thead|a|o:p)\b[^<>]{0,200}>"
)
# "- 3 -", "第 3 页", "第3页 共5页", "3/5": page-number marks every reader drops
PAGE_MARK = (
    r"[-—–]\s*\d{1,4}\s*[-—–]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
)
_PAGE_NUMBER = regex.compile(
    rf"^\s*(?:{PAGE_MARK}|page\s*\d{{1,4}}(?:\s*of\s*\d{{1,4}})?)\s*$", regex.IGNORECASE
)
_BARE_NUMBER = regex.compile(r"^\s*\d{1,4}\s*$")
# what every page-number line opens with, spaces trimmed (a cheap test before the patterns)
_PAGE_MARK_START = regex.compile(r"[-—–第\dpP]")


@functools.lru_cache(maxsize=4096)
def _may_open_page_mark(char: str) -> bool:
    """Whether a line whose first character (spaces trimmed) is ``char`` may be
    a page number (once per character: lines open with the same few)."""
    return _PAGE_MARK_START.match(char) is not None


_LINE_BREAK = regex.compile(r"\r\n|\r|\n")


def decode_text(data: bytes, source: str = "<bytes>") -> str:
    """Decode text bytes, trying the encodings Chinese forms are published in.

    >>> decode_text("项目名称".encode("gb18030"))
    '项目名称'
    >>> decode_text(codecs.BOM_UTF8 + "总分".encode())
    '总分'
    """
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data and len(data) % 2 == 0:
        # UTF-16 without a BOM: keep the byte order that reads as more text.
        best = max(("utf-16-le", "utf-16-be"), key=lambda enc: _text_score(data, enc))
        if _text_score(data, best) > 0:
            return _decode(data, best, source)
    return _decode_chinese(data, source)


def _decode_chinese(data: bytes, source: str) -> str:
    """GB18030 or Big5 (as Windows writes it, cp950).

    Big5 bytes mostly read as GB18030 too, as nonsense; GB18030 bytes seldom
    read as Big5. When both read, the encoding wins whose frequent characters
    the double-byte pairs fall on (:func:`_big5_wins`).

    >>> _decode_chinese("項目名稱".encode("cp950"), "<bytes>")
    '項目名稱'
    >>> _decode_chinese("项目名称".encode("gb18030"), "<bytes>")
    '项目名称'
    """
    big5 = _decode_or_none(data, "cp950")
    if big5 is not None and _big5_wins(data):
        return big5
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        if big5 is not None:
            return big5
        return _decode(data, "gb18030", source)


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# a double-byte pair (lead, trail) of GB18030 or Big5
_PAIR = regex.compile(rb"[\x81-\xfe][\x40-\x7e\x80-\xfe]")
# clear margins: below them the pairs are too few or too even to tell
_MIN_PAIRS = 20
_MARGIN = 0.2


def _big5_wins(data: bytes) -> bool:
    """Whether bytes that read both ways are Big5: more of their pairs fall on
    Big5's frequent characters (lead byte A4–C6) than on GB2312's level-1
    characters (lead B0–D7, trail A1–FE). Text of the other encoding scores
    about a third on the wrong side. Too few pairs, or too even a count, is
    settled by charset-normalizer.

    >>> _big5_wins("項目支出績效自評表".encode("cp950") * 3)
    True
    >>> _big5_wins("项目支出绩效自评表".encode("gb18030") * 3)
    False
    """
    pairs = _PAIR.findall(data)
    big5 = sum(1 for p in pairs if 0xA4 <= p[0] <= 0xC6)
    gb = sum(1 for p in pairs if 0xB0 <= p[0] <= 0xD7 and p[1] >= 0xA1)
    if len(pairs) >= _MIN_PAIRS and abs(big5 - gb) >= _MARGIN * len(pairs):
        return big5 > gb
    import charset_normalizer  # the doubtful few: a slower, general guess

    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    return best is not None and best.encoding != "gb18030"


_CANDIDATES = ["gb18030", "big5", "cp950", "big5hkscs"]


_PLAIN = regex.compile(r"[\t\n\r\x20-\x7e\p{Han}\p{InCJK_Symbols_and_Punctuation}\uff00-\uffef]")


def _text_score(data: bytes, encoding: str) -> float:
    """Share of ordinary text characters when ``data`` is read as ``encoding``."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return 0.0
    return len(_PLAIN.findall(text)) / max(1, len(text))


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        msg = f"cannot decode as text ({encoding}): {exc.reason} at byte {exc.start}"
        raise CorruptDocument(source, msg) from exc


def _needs_cleaning(text: str) -> bool:
    """Whether ``text`` holds more to clean than spaces at its ends."""
    return "<" in text or "&" in text or "\n" in text or "\u00a0" in text or "\u3000" in text


def clean_cell(text: str) -> str:
    """Strip leaked HTML tags and entities and trim; breaks become ``\\n``.

    >>> clean_cell("<p>第一段</p><p>第二段</p>")
    '第一段\\n第二段'
    >>> clean_cell(" 有效&nbsp;")
    '有效'
    """
    if not _needs_cleaning(text):
        return text.strip()
    if "<" in text:
        text = _TAG_BREAK.sub("\n", text)
        text = _TAG_OTHER.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    if "\n" not in text:
        return text.strip()
    return "\n".join(part.strip() for part in text.strip().split("\n") if part.strip())


def _physical_lines(text: str) -> list[tuple[str, int, int]]:
    """Split into (line, 1-based line number, 1-based page), pages at form feeds."""
    split = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    if "\f" not in text:  # one page: no line to cut
        return [(line, number, 1) for number, line in enumerate(split, start=1)]
    out: list[tuple[str, int, int]] = []
    page = 1
    for number, line in enumerate(split, start=1):
        pieces = line.split("\f")
        for k, piece in enumerate(pieces):
            if k:
                page += 1
            out.append((piece, number, page))
    return out


def _is_page_number(lines: list[tuple[str, int, int]], i: int, paged: bool = True) -> bool:
    """Whether line ``i`` is a page number: a page mark, or (``paged``: the text
    has page breaks) a bare number next to a page break."""
    line, _, page = lines[i]
    if "\t" in line:
        return False
    if _PAGE_NUMBER.match(line):
        return True
    if not paged or not _BARE_NUMBER.match(line):
        return False
    # A bare number counts only when a page break is next to it.
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(lines):
            if lines[k][2] != page:
                return True
            if lines[k][0].strip():
                break
            k += step
    return False


def text_to_document(text: str, path: str | None = None) -> Document:
    """Turn decoded text into a :class:`Document` of paragraphs and ragged tables.

    >>> doc = text_to_document("标题\\n项目名称\\t示例\\n总分\\t100")
    >>> [type(b).__name__ for b in doc.blocks]
    ['Paragraph', 'Table']
    >>> doc.blocks[1].rows[1][1].text
    '100'
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _physical_lines(text)
    paged = "\f" in text
    # tags, entities or odd spaces anywhere: lines are looked at one by one
    dirty = "<" in text or "&" in text or "\u00a0" in text or "\u3000" in text
    blocks: list[Block] = []
    rows: list[tuple[Cell, ...]] = []

    def flush() -> None:
        blocks.append(Table(tuple(rows), spans=False))  # a text cell is one slot
        rows.clear()

    for i, (line, number, page) in enumerate(lines):
        if "\t" in line:  # a row (never a page number)
            if line.isspace():
                continue
            r = len(rows)
            fields = line.split("\t")
            if _needs_cleaning(line):
                fields = [clean_cell(t) for t in fields]
            else:  # the common row: nothing to do but trim each cell
                fields = [t.strip() for t in fields]
            while fields and not fields[-1]:  # trailing tabs hold no cell
                fields.pop()
            if not fields:  # only tags or entities: as blank as a blank line
                continue
            rows.append(tuple([Cell(t, r, c, number, page) for c, t in enumerate(fields)]))
        else:
            cleaned = line.strip()
            if not cleaned or (
                _may_open_page_mark(cleaned[0]) and _is_page_number(lines, i, paged)
            ):
                continue
            if rows:
                flush()
            if dirty and _needs_cleaning(cleaned):
                cleaned = clean_cell(cleaned)
                if not cleaned:
                    continue
            blocks.append(Paragraph(cleaned, number, page))
    if rows:
        flush()
    pages = lines[-1][2] if lines else 1
    return Document(path=path, format="text", blocks=tuple(blocks), pages=pages)


def read_text(data: bytes, path: str | None = None) -> Document:
    """Decode ``data`` and build its :class:`Document`.

    >>> read_text("项目名称\\t示例".encode("utf-16")).blocks[0].rows[0][1].text
    '示例'
    """
    return text_to_document(decode_text(data, path or "<bytes>"), path)


def read_text_source(data: bytes, path: str | None, source: str) -> Document:
    """The text reader in the common reader signature (``source`` names the input)."""
    return text_to_document(decode_text(data, source), path)
