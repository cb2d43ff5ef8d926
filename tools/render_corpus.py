#!/usr/bin/env python3
"""Render the corpus text cases into DOCX, XLSX, XLS, HTML and PDF renditions.

Run from the repository root::

    .venv/bin/python tools/render_corpus.py            # everything
    .venv/bin/python tools/render_corpus.py --no-office  # skip PDF/XLS (no LibreOffice)

Inputs are ``corpus/seeds/<case>/*.txt`` and ``corpus/cases/<case>/form.txt``.
Each is decoded with ``jixiao_parser.readers.text.decode_text`` and turned into
paragraphs and ragged tables by ``text_to_document`` (tags stripped, page-number
lines dropped). Outputs go to ``corpus/renditions/<case>/``: ``<case>.docx``,
``<case>.xlsx``, ``<case>.html``, ``<case>.pdf`` (LibreOffice, from the DOCX),
``<case>.xls`` (LibreOffice, from the XLSX), a ``NOTE.md`` and a ``layout.json``
(the grid each form was rendered from: paragraphs, padded rows, merges — an
oracle for reader tests). ``corpus/renditions/multi_form/`` holds one DOCX/PDF
with three forms. The renditions are committed; tests never need LibreOffice.

Rules (simple and deterministic; rows/cols below are 0-based in a form's grid)
-----------------------------------------------------------------------------

Forms. Blocks are walked in order. Paragraphs before a form's first table row
(title, year line) become centred paragraphs above its table. A paragraph that
comes after a table row and is neither a title (contains 自评表) nor a year
line (``(2021 年度)``, ``（2023年度）``) is a continuation of a wrapped cell:
it is appended, with no separator, to the last non-empty cell of the previous
row, and the table goes on. A title/year paragraph after a table starts a new
form. Two tables with nothing between them (the text reader splits a table at
a continuation line) are one table.

Grid. The grid width W is the longest row; short rows are padded with empty
cells; columns that are empty in every row at the right edge are dropped.

Blocks of a form's grid:

* indicator block: from the first row holding a cell ``一级指标`` (the
  indicator header, H) up to, not including, the first later row whose first
  non-empty cell is a total label (总分, 合计, 总计, 自评总分) — or the end;
* funding block: from the first row before H holding a cell containing
  ``预算数`` (F) up to, not including, the first later row holding a goals label
  (预期目标, 预算目标, 项目年度目标, 年度总体目标, 项目目标完成情况, 年度目标,
  总体目标, 实际完成情况) — or H;
* every other row (header, goals, total, footer) is a "free" row.

Merges:

* vertical (rowspan), inside the indicator block: a cell whose text, less a
  leading ``*`` mark and a ``(50分)``-style annotation, ends with 指标 — but is
  not the column heading 一级指标/二级指标/三级指标 — absorbs the empty cells
  directly below it in its column, up to the end of the block;
* vertical, inside the funding block: a cell starting with 项目资金 absorbs the
  empty cells below it in its column, up to the end of the block;
* horizontal (colspan), in free rows only: each non-empty cell that is not a
  bare number (``100``, ``99.43``, ``97.35%``) absorbs the empty cells to its
  right up to the next non-empty cell or the row's end.

Numbers in the XLSX (everything else, in every format, is the source text):
in the funding block's data rows, cells under a column heading containing
预算数 or 执行数 that parse as a number (``1,100,000.00``, ``1100000``) are
written as floats with number format ``#,##0.00``; cells under a heading
starting with 执行率 are floats: ``97.35%`` → 0.9735 with format ``0.00%``,
a bare ``95.00`` (heading 执行率(%)) → 95.0 with format ``0.00``. Strings that
start with ``=`` are forced to text (never formulas).

Formats: DOCX (python-docx; merges by ``cell.merge``; a cell's line breaks are
separate paragraphs; table style "Table Grid"; fixed column widths from text
lengths); XLSX (openpyxl; title/year in merged rows above the table; one sheet
per form; merges by ``merge_cells``; wrapped text, thin borders); HTML (a
``<table border="1">`` with rowspan/colspan, ``<br>`` for line breaks); PDF and
XLS by ``soffice --headless --convert-to`` from the DOCX/XLSX, with a private
profile and a timeout. Core properties, workbook properties and zip entry
timestamps are fixed, so re-running rewrites DOCX/XLSX/HTML byte-identically;
the PDF creation date and /ID are patched to fixed values of the same length
(so PDFs from the same LibreOffice build are byte-identical too). XLS files are
left as LibreOffice writes them.

Special renditions (see SPECIAL and MULTI_FORM below): a PDF of three forms
(multi_form), a form whose indicator table crosses a PDF page (utf16, rendered
with large type), a DOCX whose indicator table is a second table after a
"续表" paragraph (value_kinds_b), HTML in GBK/GB18030 (seed_000, gb18030) and an
HTML page inside site chrome with an unrelated link table (footer_and_marks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from docx import Document as DocxDocument  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from jixiao_parser.document import Paragraph, Table  # noqa: E402
from jixiao_parser.readers.text import decode_text, text_to_document  # noqa: E402
from jixiao_parser.vocab import INDICATOR_COLUMNS, lookup, section_heading  # noqa: E402

CORPUS = ROOT / "corpus"
OUT = CORPUS / "renditions"
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
AUTHOR = "tools/render_corpus.py"
SOFFICE_TIMEOUT = 600

# Per-case special renditions.
SPECIAL: dict[str, dict[str, object]] = {
    # The indicator table crosses a PDF page: large type, padded cells.
    "utf16": {"docx_style": "large"},
    # DOCX/PDF: the indicator table is a second table after a paragraph "续表".
    "value_kinds_b": {"docx_split": True},
    # HTML in site chrome: nav, breadcrumbs, footer and a link table.
    "footer_and_marks": {"html_chrome": True},
    # Legacy-encoded HTML: GBK if every char encodes, else GB18030.
    "gb18030": {"html_encoding": "gbk"},
    "seed_000": {"html_encoding": "gbk", "html_meta": "http-equiv"},
}
# Cases concatenated (page break between forms) into multi_form.docx/.pdf.
MULTI_FORM = ("utf8_bom_crlf", "gb18030", "numbered_parts")

TOTAL_LABELS = frozenset({"总分", "合计", "总计", "自评总分"})
GOAL_LABELS = frozenset(
    {
        "预期目标",
        "预算目标",
        "项目年度目标",
        "年度总体目标",
        "项目目标完成情况",
        "年度目标",
        "总体目标",
        "实际完成情况",
    }
)
LEVEL_HEADINGS = frozenset({"一级指标", "二级指标", "三级指标"})
_YEAR_LINE = re.compile(r"^[（(]?\s*\d{4}\s*年度?\s*[)）]?$")
_BARE_NUMBER = re.compile(r"[-+]?[\d,]+(?:\.\d+)?%?")
_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


def key(text: str) -> str:
    """A label folded for matching: no spaces, no ``*`` marks, no trailing colon."""
    k = re.sub(r"\s+", "", text)
    k = k.lstrip("*★").rstrip(":：")
    return k


# --------------------------------------------------------------------------
# Source → forms


@dataclass
class Form:
    paragraphs: list[str]
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r, c, rs, cs
    indicator_row: int | None = None
    funding_rows: tuple[int, int] | None = None
    total_row: int | None = None


def is_title_or_year(text: str) -> bool:
    return "自评表" in text or bool(_YEAR_LINE.match(text.strip()))


def load_forms(path: Path) -> list[Form]:
    doc = text_to_document(decode_text(path.read_bytes(), str(path)), str(path))
    forms: list[Form] = []
    current: Form | None = None
    pending: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if current is not None and not pending and section_heading(block.text):
                current.rows.append([block.text])  # 二、绩效目标: a row of its own
            elif current is not None and not pending and not is_title_or_year(block.text):
                append_continuation(current, block.text)
            else:
                pending.append(block.text)
        elif isinstance(block, Table):
            rows = [[cell.text for cell in row] for row in block.rows]
            if current is not None and not pending:
                current.rows.extend(rows)
            else:
                current = Form(paragraphs=pending, rows=rows)
                forms.append(current)
                pending = []
    for form in forms:
        normalise_grid(form)
        compute_merges(form)
    return forms


def append_continuation(form: Form, text: str) -> None:
    row = form.rows[-1]
    for c in range(len(row) - 1, -1, -1):
        if row[c]:
            row[c] += text
            return
    row.append(text)


def normalise_grid(form: Form) -> None:
    width = max(len(r) for r in form.rows)
    rows = [r + [""] * (width - len(r)) for r in form.rows]
    while width > 1 and all(not r[width - 1] for r in rows):
        width -= 1
        rows = [r[:width] for r in rows]
    form.rows = rows


def compute_merges(form: Form) -> None:
    rows = form.rows
    n = len(rows)
    h = next((r for r in range(n) if any(key(t) == "一级指标" for t in rows[r])), None)
    form.indicator_row = h
    end = n
    if h is not None:
        for r in range(h + 1, n):
            first = next((t for t in rows[r] if t), "")
            if key(first) in TOTAL_LABELS:
                end = r
                break
        form.total_row = end if end < n else None
    limit = h if h is not None else n
    f = next((r for r in range(limit) if any("预算数" in t for t in rows[r])), None)
    if f is not None:
        g = next(
            (
                r
                for r in range(f + 1, limit)
                if any(key(t) in GOAL_LABELS or _indicator_label(t) for t in rows[r])
                or (len([t for t in rows[r] if t]) == 1 and section_heading(rows[r][0]))
            ),
            limit,
        )
        form.funding_rows = (f, g)

    blocked: set[int] = set()
    merges: list[tuple[int, int, int, int]] = []

    def vertical(start: int, stop: int, is_label) -> None:  # type: ignore[no-untyped-def]
        for c in range(len(rows[0])):
            r = start
            while r < stop:
                if rows[r][c] and is_label(rows[r][c]):
                    r2 = r + 1
                    while r2 < stop and not rows[r2][c]:
                        r2 += 1
                    if r2 - r > 1:
                        merges.append((r, c, r2 - r, 1))
                    r = r2
                else:
                    r += 1
        blocked.update(range(start, stop))

    if h is not None:

        def indicator_label(text: str) -> bool:
            k = _POINTS.sub("", key(text))
            return k.endswith("指标") and k not in LEVEL_HEADINGS

        vertical(h, end, indicator_label)
    if form.funding_rows is not None:
        vertical(*form.funding_rows, lambda t: key(t).startswith("项目资金"))
    for r in range(n):
        if r in blocked:
            continue
        row = rows[r]
        c = 0
        while c < len(row):
            if row[c] and not _BARE_NUMBER.fullmatch(row[c]):
                c2 = c + 1
                while c2 < len(row) and not row[c2]:
                    c2 += 1
                if c2 - c > 1:
                    merges.append((r, c, 1, c2 - c))
                c = c2
            else:
                c += 1
    form.merges = sorted(merges)


def covered(form: Form) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Grid position → the merge covering it (top-left included)."""
    out = {}
    for m in form.merges:
        r, c, rs, cs = m
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                out[(i, j)] = m
    return out


def display_width(text: str) -> float:
    """Width in em: ASCII (digits, Latin) about half a CJK character."""
    return sum(0.55 if ord(ch) < 0x2000 else 1.0 for ch in text)


def column_weights(form: Form, cap: float = 10.0) -> list[float]:
    """Relative column widths from the longest line of each column's unspanned cells.

    Text counts up to ``cap`` em (10; 6 for large type); a bare number counts in
    full (+1.5 em), so short numbers rarely wrap, while long amounts still may in
    a crowded table.
    """
    width = len(form.rows[0])
    spans = {(m[0], m[1]): m for m in form.merges}
    weights = []
    for c in range(width):
        longest = number = 0.0
        for r, row in enumerate(form.rows):
            m = spans.get((r, c))
            if m is not None and m[3] > 1:
                continue
            for line in row[c].split("\n"):
                longest = max(longest, display_width(line))
            if _BARE_NUMBER.fullmatch(row[c]):
                number = max(number, display_width(row[c]))
        weights.append(max(3.0, min(longest, cap) + 1.5, number + 1.5))
    return weights


# --------------------------------------------------------------------------
# DOCX


def _set_run_fonts(run_or_style_font_element, east_asia: str) -> None:
    rpr = run_or_style_font_element
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


def new_docx(style: str) -> DocxDocument:
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12 if style == "large" else 9)
    _set_run_fonts(normal.element.get_or_add_rPr(), "宋体")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    props = doc.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.title = "项目支出绩效自评表"
    props.comments = "Generated by tools/render_corpus.py; do not edit by hand."
    return doc


def add_docx_form(doc: DocxDocument, form: Form, style: str, split: bool, first: bool) -> None:
    large = style == "large"
    if not first:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for text in form.paragraphs:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        if "自评表" in text:
            run.bold = True
            run.font.size = Pt(22 if large else 16)
            p.paragraph_format.space_after = Pt(6)
        else:
            run.font.size = Pt(16 if large else 11)
            p.paragraph_format.space_after = Pt(6)
    weights = column_weights(form, 6.0 if large else 10.0)
    usable = 21 - 2 * 1.8
    widths = [Cm(usable * w / sum(weights)) for w in weights]
    if split and form.indicator_row:
        parts = [(0, form.indicator_row), (form.indicator_row, len(form.rows))]
    else:
        parts = [(0, len(form.rows))]
    for k, (start, stop) in enumerate(parts):
        if k:
            cap = doc.add_paragraph()
            cap.paragraph_format.space_before = Pt(12)
            cap.add_run("续表")
        table = doc.add_table(rows=stop - start, cols=len(widths))
        table.style = doc.styles["Table Grid"]
        table.autofit = False
        for c, w in enumerate(widths):
            table.columns[c].width = w
        for r in range(start, stop):
            for c, text in enumerate(form.rows[r]):
                cell = table.cell(r - start, c)
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                lines = text.split("\n") if text else [""]
                para = cell.paragraphs[0]
                for i, line in enumerate(lines):
                    if i:
                        para = cell.add_paragraph()
                    if line:
                        para.add_run(line)
                    short = len(text) <= 12 and "\n" not in text
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER if short else WD_ALIGN_PARAGRAPH.LEFT
                    pad = Pt(6 if large else 1.5)
                    para.paragraph_format.space_before = pad
                    para.paragraph_format.space_after = pad
        if k == 1:
            # The indicator heading repeats at the top of each page it spans.
            trpr = table.rows[0]._tr.get_or_add_trPr()
            hdr = OxmlElement("w:tblHeader")
            trpr.append(hdr)
        for r, c, rs, cs in form.merges:
            if start <= r < stop:
                a = table.cell(r - start, c)
                b = table.cell(r - start + rs - 1, c + cs - 1)
                a.merge(b)


def save_docx(doc: DocxDocument, path: Path) -> None:
    doc.save(str(path))
    normalise_zip(path)


# --------------------------------------------------------------------------
# XLSX

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _indicator_label(text: str) -> bool:
    """A label of the indicator table's header (指标名称, 三级指标 …)."""
    return lookup(INDICATOR_COLUMNS, text) in ("name", "level1", "level2")


def _money_format(text: str) -> str:
    """``#,##0.00``, with more decimals when the source wrote more (207.4538)."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return "#,##0." + "0" * max(2, decimals)


def _number(text: str) -> Decimal | None:
    t = text.replace(",", "").strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def numeric_cells(form: Form) -> dict[tuple[int, int], tuple[float, str]]:
    """(row, col) → (value, number_format) for the XLSX typed funding cells."""
    out: dict[tuple[int, int], tuple[float, str]] = {}
    if form.funding_rows is None:
        return out
    f, g = form.funding_rows
    heads = [key(t) for t in form.rows[f]]
    for r in range(f + 1, g):
        for c, text in enumerate(form.rows[r]):
            if not text:
                continue
            head = heads[c]
            if "预算数" in head or "执行数" in head:
                n = _number(text)
                if n is not None:
                    out[(r, c)] = (float(n), _money_format(text))
            elif head.startswith("执行率"):
                if text.endswith("%"):
                    n = _number(text[:-1])
                    if n is not None:
                        out[(r, c)] = (float(n / 100), "0.00%")
                else:
                    n = _number(text)
                    if n is not None:
                        out[(r, c)] = (float(n), "0.00")
    return out


def render_xlsx(forms: list[Form], path: Path) -> list[str]:
    """Write the workbook; return NOTE lines on typed cells."""
    wb = Workbook()
    wb.remove(wb.active)
    notes: list[str] = []
    for i, form in enumerate(forms):
        name = "绩效自评表" if len(forms) == 1 else f"绩效自评表{i + 1}"
        ws = wb.create_sheet(name)
        width = len(form.rows[0])
        top = 1
        for text in form.paragraphs:
            cell = ws.cell(row=top, column=1, value=text)
            title = "自评表" in text
            cell.font = Font(name="宋体", size=16 if title else 11, bold=title)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[top].height = 30 if title else 18
            if width > 1:
                ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=width)
            top += 1
        weights = column_weights(form)
        col_widths = [max(6.0, w * 2.1) for w in weights]
        for c, w in enumerate(col_widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = round(w, 2)
        typed = numeric_cells(form)
        spans = {(m[0], m[1]): m for m in form.merges}
        for r, row in enumerate(form.rows):
            lines_needed = 1
            for c, text in enumerate(row):
                cell = ws.cell(row=top + r, column=c + 1)
                cell.border = BORDER
                cell.font = Font(name="宋体", size=10)
                short = len(text) <= 12 and "\n" not in text
                cell.alignment = Alignment(
                    horizontal="center" if short else "left", vertical="center", wrap_text=True
                )
                if (r, c) in typed:
                    value, fmt = typed[(r, c)]
                    cell.value = value
                    cell.number_format = fmt
                elif text:
                    cell.value = text
                    cell.data_type = "s"  # "=90" is text, not a formula
                if text:
                    m = spans.get((r, c))
                    span_w = sum(col_widths[c : c + (m[3] if m else 1)])
                    per_line = max(1, int(span_w / 2.1))
                    need = sum(-(-max(1, len(ln)) // per_line) for ln in text.split("\n"))
                    if m is not None and m[2] > 1:
                        need = -(-need // m[2])
                    lines_needed = max(lines_needed, need)
            ws.row_dimensions[top + r].height = min(409, 14 * lines_needed + 4)
        for r, c, rs, cs in form.merges:
            ws.merge_cells(
                start_row=top + r, start_column=c + 1, end_row=top + r + rs - 1, end_column=c + cs
            )
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for (r, c), (value, fmt) in sorted(typed.items()):
            ref = f"{get_column_letter(c + 1)}{top + r}"
            notes.append(f"`{name}!{ref}` {form.rows[r][c]!r} → number {value!r} format `{fmt}`")
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.title = "项目支出绩效自评表"
    wb.save(str(path))
    normalise_zip(path)
    return notes


# --------------------------------------------------------------------------
# HTML

HTML_STYLE = (
    "table.form{border-collapse:collapse;width:100%;font-size:12px}"
    "table.form td{border:1px solid #000;padding:3px 4px;vertical-align:middle}"
    "p.title{text-align:center;font-size:20px;font-weight:bold;margin:8px 0}"
    "p.year{text-align:center;margin:4px 0 8px}"
)


def html_table(form: Form, nbsp_empty: bool) -> str:
    cov = covered(form)
    out = ['<table class="form" border="1" cellspacing="0" cellpadding="0">']
    for r, row in enumerate(form.rows):
        cells = []
        for c, text in enumerate(row):
            m = cov.get((r, c))
            if m is not None and (m[0], m[1]) != (r, c):
                continue
            attrs = ""
            if m is not None:
                if m[2] > 1:
                    attrs += f' rowspan="{m[2]}"'
                if m[3] > 1:
                    attrs += f' colspan="{m[3]}"'
            if text:
                body = "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))
            else:
                body = "&nbsp;" if nbsp_empty else ""
            align = ' align="center"' if len(text) <= 12 and "\n" not in text else ""
            cells.append(f"<td{attrs}{align}>{body}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_form(form: Form, nbsp_empty: bool = False) -> str:
    parts = []
    for text in form.paragraphs:
        cls = "title" if "自评表" in text else "year"
        parts.append(f'<p class="{cls}">{html.escape(text, quote=False)}</p>')
    parts.append(html_table(form, nbsp_empty))
    return "\n".join(parts)


CHROME_HEAD = """<header class="site-header">
<div class="logo">云岫县人民政府</div>
<nav><ul>
<li><a href="/">首页</a></li>
<li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zjyx/">走进云岫</a></li>
</ul></nav>
</header>
<div class="breadcrumbs">当前位置：<a href="/">首页</a> &gt;
<a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/czzj/">财政资金</a> &gt; 绩效评价</div>
<article>
<h1 class="article-title">云岫县农业农村局2023年度项目支出绩效自评情况公开</h1>
<div class="article-meta">发布时间：2024-03-20 &nbsp; 来源：云岫县农业农村局 &nbsp;
浏览次数：<span>1024</span></div>
<div class="article-body">
<p>根据预算绩效管理有关规定，现将我局2023年度项目支出绩效自评情况公开如下：</p>
"""

CHROME_FOOT = """</div>
</article>
<footer class="site-footer">
<table class="links">
<tr><td colspan="3">相关链接</td></tr>
<tr><td><a href="#">国务院</a></td><td><a href="#">省人民政府</a></td>
<td><a href="#">市人民政府</a></td></tr>
<tr><td><a href="#">县财政局</a></td><td><a href="#">县统计局</a></td>
<td><a href="#">县审计局</a></td></tr>
</table>
<p>版权所有：云岫县人民政府办公室 &nbsp; 主办单位：云岫县人民政府办公室</p>
<p>网站标识码：5326210001 &nbsp; 备案号：滇ICP备00000000号 &nbsp; 联系电话：0876-0000000</p>
</footer>
"""

CHROME_STYLE = (
    ".site-header{background:#b40000;color:#fff;padding:8px}"
    ".site-header ul{list-style:none;margin:0;padding:0}"
    ".site-header li{display:inline;margin-right:16px}"
    ".site-header a{color:#fff}"
    ".breadcrumbs{font-size:12px;margin:8px 0}"
    ".site-footer{border-top:2px solid #b40000;font-size:12px;margin-top:24px}"
    "table.links td{padding:2px 12px}"
)


def render_html(forms: list[Form], path: Path, spec: dict[str, object]) -> str:
    """Write the page; return the encoding used."""
    chrome = bool(spec.get("html_chrome"))
    encoding = str(spec.get("html_encoding", "utf-8"))
    body_text = "\n".join(html_form(f, nbsp_empty=chrome) for f in forms)
    try:
        body_text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "gb18030"
    if spec.get("html_meta") == "http-equiv":
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
    else:
        meta = f'<meta charset="{encoding}">'
    title = next((p for f in forms for p in f.paragraphs if "自评表" in p), "项目支出绩效自评表")
    style = HTML_STYLE + (CHROME_STYLE if chrome else "")
    page = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        meta,
        f"<title>{html.escape(title, quote=False)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    if chrome:
        page.append(CHROME_HEAD.rstrip("\n"))
    page.append(body_text)
    if chrome:
        page.append(CHROME_FOOT.rstrip("\n"))
    page += ["</body>", "</html>", ""]
    path.write_bytes("\n".join(page).encode(encoding))
    return encoding


# --------------------------------------------------------------------------
# Zip determinism and LibreOffice


def normalise_zip(path: Path) -> None:
    """Rewrite a DOCX/XLSX with fixed entry times and a fixed core modified date."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, data)
    path.write_bytes(buf.getvalue())


def normalise_pdf(pdf: Path, seed: bytes) -> None:
    """Fix LibreOffice's creation date, /ID and /DocChecksum in place (same lengths).

    Everything else LibreOffice writes is stable, so a re-run leaves the PDF
    byte-identical and git sees no change.
    """
    data = pdf.read_bytes()
    data = re.sub(
        rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}",
        rb"\g<1>" + FIXED_TIME.strftime("%Y%m%d%H%M%S").encode(),
        data,
    )
    digest = hashlib.md5(seed).hexdigest().upper().encode()

    def fixed_id(m: re.Match[bytes]) -> bytes:
        return b"<" + (digest * 4)[: len(m.group(1))] + b">"

    head, sep, tail = data.rpartition(b"/ID")
    if sep:
        tail = re.sub(rb"<([0-9A-Fa-f]+)>", fixed_id, tail, count=2)
        tail = re.sub(
            rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)",
            lambda m: m.group(1) + (digest * 4)[: len(m.group(2))],
            tail,
        )
        data = head + sep + tail
    pdf.write_bytes(data)


def ensure_soffice() -> str | None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("soffice missing: installing LibreOffice and CJK fonts with apt-get …")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], check=False, env=env, timeout=900)
        subprocess.run(
            [
                "apt-get",
                "install",
                "-y",
                "--no-install-recommends",
                "libreoffice-writer",
                "libreoffice-calc",
                "fonts-noto-cjk",
                "poppler-utils",
            ],
            check=False,
            env=env,
            timeout=1800,
        )
        exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        print("WARNING: no soffice; PDF and XLS renditions are not produced", file=sys.stderr)
    return exe


def convert(soffice: str, sources: list[Path], target: str) -> dict[Path, Path]:
    """Convert ``sources`` with LibreOffice; return source → converted file beside it."""
    done: dict[Path, Path] = {}
    if not sources:
        return done
    with tempfile.TemporaryDirectory(prefix="render_corpus_") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        ext = target.split(":")[0]
        subprocess.run(cmd, check=False, timeout=SOFFICE_TIMEOUT, capture_output=True)
        for src in sources:
            produced = outdir / (src.stem + "." + ext)
            if produced.exists():
                dest = src.with_suffix("." + ext)
                shutil.move(str(produced), dest)
                done[src] = dest
            else:
                print(f"WARNING: soffice did not convert {src}", file=sys.stderr)
    return done


def pdf_page_count(pdf: Path) -> int:
    from pdfminer.pdfpage import PDFPage

    with pdf.open("rb") as fh:
        return sum(1 for _ in PDFPage.get_pages(fh))


def pdf_pages_text(pdf: Path) -> list[str]:
    if not shutil.which("pdftotext"):
        return []
    res = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=False
    )
    return res.stdout.split("\f")


# --------------------------------------------------------------------------
# Cases and notes


def source_cases() -> list[tuple[str, str, Path]]:
    out = []
    for group in ("seeds", "cases"):
        for case_dir in sorted((CORPUS / group).iterdir()):
            if not case_dir.is_dir():
                continue
            texts = sorted(case_dir.glob("*.txt"))
            if group == "cases":
                texts = [case_dir / "form.txt"] if (case_dir / "form.txt").exists() else []
            if texts:
                out.append((group, case_dir.name, texts[0]))
    return out


def describe_merges(form: Form) -> list[str]:
    lines = []
    for r, c, rs, cs in form.merges:
        text = form.rows[r][c].replace("\n", "⏎")
        if len(text) > 16:
            text = text[:16] + "…"
        kind = f"rowspan {rs}" if rs > 1 else f"colspan {cs}"
        lines.append(f"r{r}c{c} {kind} {text!r}")
    return lines


def layout_json(forms: list[Form], source: str) -> str:
    data = {
        "source": source,
        "note": "Grid each form was rendered from (0-based rows/cols); merges are "
        "[row, col, rowspan, colspan]. Generated by tools/render_corpus.py.",
        "forms": [
            {
                "paragraphs": f.paragraphs,
                "width": len(f.rows[0]),
                "indicator_header_row": f.indicator_row,
                "funding_rows": list(f.funding_rows) if f.funding_rows else None,
                "total_row": f.total_row,
                "merges": [list(m) for m in f.merges],
                "rows": f.rows,
            }
            for f in forms
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_note(
    folder: Path,
    case: str,
    source: str,
    forms: list[Form],
    files: list[Path],
    specials: list[str],
    xlsx_notes: list[str],
) -> None:
    lines = [
        f"# Renditions of {case}",
        "",
        f"Generated by tools/render_corpus.py from {source}; do not edit by hand.",
        "",
        "The text was decoded and cleaned with `jixiao_parser.readers.text` (tags, entities and",
        "page-number lines gone; continuation lines joined back into their cell), then laid out",
        "as one table per form with merged cells (rules in the script's docstring). `layout.json`",
        "holds the exact grid, paragraphs and merges that were rendered.",
        "",
        "## Files",
        "",
    ]
    for p in files:
        if p.suffix == ".pdf":
            lines.append(f"- `{p.name}` ({pdf_page_count(p)} pages, A4 portrait)")
        elif p.exists():
            lines.append(f"- `{p.name}`")
    lines += ["", "## Special layouts", ""]
    lines += [f"- {s}" for s in specials] if specials else ["- none beyond the common rules"]
    lines += ["", "## Forms and merges", ""]
    for i, form in enumerate(forms):
        lines.append(
            f"- form {i}: {len(form.rows)} rows × {len(form.rows[0])} columns; indicator "
            f"heading row {form.indicator_row}, funding rows {form.funding_rows}, total row "
            f"{form.total_row}"
        )
        lines += [f"  - {d}" for d in describe_merges(form)]
    if xlsx_notes:
        lines += [
            "",
            "## XLSX typed cells",
            "",
            "Every cell is text exactly as in the source except these funding cells, stored",
            "as numbers with a number format (a reader must format them back):",
            "",
        ]
        lines += [f"- {n}" for n in xlsx_notes]
    (folder / "NOTE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


OFFICE_CASES = ("seed_003",)  # also rendered as .doc and .odt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-office", action="store_true", help="skip PDF/XLS (LibreOffice)")
    args = parser.parse_args(argv)
    soffice = None if args.no_office else ensure_soffice()

    OUT.mkdir(parents=True, exist_ok=True)
    plans = []
    all_forms: dict[str, list[Form]] = {}
    for group, case, src in source_cases():
        forms = load_forms(src)
        all_forms[case] = forms
        spec = SPECIAL.get(case, {})
        folder = OUT / case
        folder.mkdir(parents=True, exist_ok=True)
        style = str(spec.get("docx_style", "normal"))
        split = bool(spec.get("docx_split"))
        specials = []

        docx_path = folder / f"{case}.docx"
        doc = new_docx(style)
        for i, form in enumerate(forms):
            add_docx_form(doc, form, style, split, first=i == 0)
        save_docx(doc, docx_path)
        if split:
            specials.append(
                f"`{case}.docx` / `{case}.pdf`: each form is split over two tables — the "
                'header/funding/goals rows, then a paragraph "续表", then the indicator '
                "table (heading row marked as a repeating header row) with total and footer."
            )
        if style == "large":
            specials.append(
                f"`{case}.docx` / `{case}.pdf`: large type (12 pt, 6 pt cell padding) so that the "
                "indicator table crosses a page boundary in the PDF (its rows continue on page "
                "2 with no repeated heading; the merged level-1 cell 产出指标 is cut by the "
                "page break and continues as an empty ruled cell)."
            )
        xlsx_path = folder / f"{case}.xlsx"
        xlsx_notes = render_xlsx(forms, xlsx_path)
        specials.append(
            f"`{case}.xlsx` / `{case}.xls`: merged cells (indicator level-1/level-2 rowspans, "
            "header/goals colspans, title rows merged across the table); funding amounts and "
            "execution rates are numbers with number formats (listed below)"
            + ("; one sheet per form" if len(forms) > 1 else "")
            + "."
        )
        html_path = folder / f"{case}.html"
        enc = render_html(forms, html_path, spec)
        if enc != "utf-8":
            how = (
                '`<meta http-equiv="Content-Type" content="text/html; charset=…">`'
                if spec.get("html_meta") == "http-equiv"
                else "`<meta charset=…>`"
            )
            extra = (
                " (GBK was asked for but the text holds a character GBK cannot encode)"
                if spec.get("html_encoding") == "gbk" and enc != "gbk"
                else ""
            )
            specials.append(f"`{case}.html`: encoded {enc.upper()}, declared with {how}{extra}.")
        if spec.get("html_chrome"):
            specials.append(
                f"`{case}.html`: the form sits inside site chrome — a `<header>` with a nav "
                "list, breadcrumbs, article title/meta, and a `<footer>` with copyright lines "
                'and an unrelated 3-row link `<table class="links">`; empty form cells hold '
                "`&nbsp;`."
            )
        if len(forms) > 1:
            specials.append(
                f"{len(forms)} forms: DOCX/PDF have a page break between them, HTML has the "
                "tables one after another, XLSX/XLS one sheet per form."
            )
        plans.append((group, case, folder, forms, specials, xlsx_notes, enc))
        print(f"wrote {docx_path.relative_to(ROOT)}, {xlsx_path.name}, {html_path.name} ({enc})")

    # Multi-form document.
    multi = OUT / "multi_form"
    multi.mkdir(parents=True, exist_ok=True)
    doc = new_docx("normal")
    for i, case in enumerate(MULTI_FORM):
        for j, form in enumerate(all_forms[case]):
            add_docx_form(doc, form, "normal", False, first=i == 0 and j == 0)
    multi_docx = multi / "multi_form.docx"
    save_docx(doc, multi_docx)
    print(f"wrote {multi_docx.relative_to(ROOT)}")

    if soffice:
        docx_files = [folder / f"{case}.docx" for _, case, folder, *_ in plans] + [multi_docx]
        xlsx_files = [folder / f"{case}.xlsx" for _, case, folder, *_ in plans]
        for src, dest in convert(soffice, docx_files, "pdf").items():
            normalise_pdf(dest, src.read_bytes())
            print(f"wrote {dest.relative_to(ROOT)} (from {src.name})")
        for src, dest in convert(soffice, xlsx_files, "xls").items():
            print(f"wrote {dest.relative_to(ROOT)} (from {src.name})")
        # legacy and open formats, read through LibreOffice: one case each
        office_docx = [
            folder / f"{case}.docx" for _, case, folder, *_ in plans if case in OFFICE_CASES
        ]
        # DOC from the ODT: LibreOffice 7.4 drops this table on a DOCX → DOC → DOCX trip
        office_odt = list(convert(soffice, office_docx, "odt").values())
        office_doc = convert(soffice, office_odt, "doc:MS Word 97")
        for src, dest in [*zip(office_docx, office_odt, strict=True), *office_doc.items()]:
            print(f"wrote {dest.relative_to(ROOT)} (from {src.name})")

    for group, case, folder, forms, specials, xlsx_notes, _ in plans:
        (folder / "layout.json").write_text(
            layout_json(forms, f"corpus/{group}/{case}"), encoding="utf-8"
        )
        files = sorted(
            p
            for p in folder.iterdir()
            if p.suffix in {".docx", ".xlsx", ".xls", ".html", ".pdf", ".doc", ".odt"}
        )
        write_note(folder, case, f"corpus/{group}/{case}", forms, files, specials, xlsx_notes)

    multi_forms = [f for case in MULTI_FORM for f in all_forms[case]]
    (multi / "layout.json").write_text(
        layout_json(multi_forms, " + ".join(f"corpus/cases/{c}" for c in MULTI_FORM)),
        encoding="utf-8",
    )
    sources = ", ".join(f"corpus/cases/{c}" for c in MULTI_FORM)
    multi_files = sorted(p for p in multi.iterdir() if p.suffix in {".docx", ".pdf"})
    write_note(
        multi,
        "multi_form",
        sources,
        multi_forms,
        multi_files,
        [
            f"`multi_form.docx` / `multi_form.pdf`: {len(multi_forms)} forms in one document, "
            f"in this order: {sources} (form_index 0, 1, 2); each form starts on a new page "
            "(a paragraph holding a page break precedes forms 1 and 2). The expected reports "
            "are the three cases' goldens in that order (apart from `source`)."
        ],
        [],
    )
    check_page_crossing(plans)
    total = 0
    for p in sorted(OUT.rglob("*")):
        if p.is_file():
            total += p.stat().st_size
            print(f"{p.stat().st_size:>9,}  {p.relative_to(ROOT)}")
    print(f"total {total:,} bytes in {OUT.relative_to(ROOT)}")
    return 0


def check_page_crossing(plans: list) -> None:  # type: ignore[type-arg]
    """Report on which PDF pages each large-type case's indicator rows fall."""
    for _, case, folder, forms, *_ in plans:
        if SPECIAL.get(case, {}).get("docx_style") != "large":
            continue
        pdf = folder / f"{case}.pdf"
        if not pdf.exists():
            continue
        pages = pdf_pages_text(pdf)
        form = forms[0]
        assert form.indicator_row is not None
        stop = form.total_row or len(form.rows)
        names = [max(r, key=len) for r in form.rows[form.indicator_row + 1 : stop]]
        found = sorted(
            {i + 1 for i, page in enumerate(pages) for n in names if n and n[:4] in page}
        )
        verdict = "OK" if len(found) >= 2 else "WARNING: does not cross a page"
        print(f"{case}.pdf: indicator rows on pages {found} — {verdict}")


if __name__ == "__main__":
    sys.exit(main())
