"""The XLSX rendition (openpyxl): one sheet per form, merged cells, and the
funding amounts and rates stored as numbers with a number format."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .layout import Form, column_weights, key
from .settings import AUTHOR, FIXED_TIME
from .stamps import normalise_zip

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


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


def write_paragraphs(ws: Worksheet, form: Form) -> int:
    """The form's title and year lines, merged across the table's width, from
    row 1; the first row free for the table."""
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
    return top


def render_xlsx(forms: list[Form], path: Path) -> list[str]:
    """Write the workbook; return NOTE lines on typed cells."""
    wb = Workbook()
    wb.remove(wb.active)
    notes: list[str] = []
    for i, form in enumerate(forms):
        name = "绩效自评表" if len(forms) == 1 else f"绩效自评表{i + 1}"
        ws = wb.create_sheet(name)
        top = write_paragraphs(ws, form)
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
