"""Overflow renditions: a case as a spreadsheet with fixed, too-small row heights,
printed to PDF by LibreOffice, so that long wrapped cells overflow their row.

A spreadsheet (Excel, WPS, LibreOffice Calc) with fixed row heights prints a
wrapped cell in full even when its text is taller than the row: the lines run on
across the ruling into the next rows (top-aligned cells), the rows above
(bottom-aligned) or the rows on both sides (vertically centred). The text layer
keeps every line, each where it was drawn, so a reader that places glyphs by
position finds a long note split over three rows and a level-2 label cut as
服务对象满意度 / 指标.

Rules (0-based rows/cols of the form's grid, as in ``layout``):

- the grid and paragraphs are those of the other renditions, but only the
  horizontal merges are kept (a level-1/level-2 label stands in its first row,
  the cells below it are empty and unmerged, as in sheets typed by hand);
- every cell is text (no typed numbers), 宋体 10 pt, wrapped, with vertical
  alignment ``top``, ``bottom`` or ``center`` (per rendition, ``OVERFLOW`` in
  settings), left aligned when longer than 12 characters, else centred; columns
  are narrow (a line of text counts up to 4 em in the column widths), so labels
  wrap;
- every table row is ``ROW`` points high (1.25 lines top- or bottom-aligned, 5/3
  lines centred; see ``ROW``), except where a cell's text would then overflow
  into a cell that is not free (non-empty, merged, or already taken by another
  cell's overflow): a cell overflows only into the empty cells below it
  (``top``), above it (``bottom``) or the same number above and below it, two at
  most (``center``); where there are not enough, its row is made tall enough to
  hold it, with half a line to spare (line counts are estimated high, from the
  column width), in whole lines (two when centred) above ``ROW``. LibreOffice
  draws at most four lines of a top-aligned cell that overflows (and all of a
  centred or bottom-aligned one), so a top-aligned cell of more lines never
  overflows: its row is made tall enough.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from . import ROOT
from .layout import Form, column_weights, load_forms
from .notes import layout_json
from .office import convert, pdf_page_count
from .settings import AUTHOR, CORPUS, FIXED_TIME, OUT, OVERFLOW
from .stamps import normalise_pdf, normalise_zip
from .xlsx_writer import write_paragraphs

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# LibreOffice prints 10 pt 宋体 at a line pitch of about 14.77 pt. The row heights keep
# what overflows off the place the rows it lands in would hold their own text at, as a
# reader sees it (a quarter of a line or more off their top padding; off their centre
# by a sixth of a line or more): top- or bottom-aligned, rows of 1.25 lines, for the
# three rows below or above (rows of 1, 1.5 or 2 lines would not); centred, rows of 5/3
# lines, for two rows above and below (so a centred cell overflows into two a side).
PITCH = 14.77  # points
ROW = {"top": 1.25 * PITCH, "bottom": 1.25 * PITCH, "center": 5 / 3 * PITCH}  # points
SIDE = 2  # rows: a centred cell overflows into at most this many rows above and below
LINE = 15.0  # points: one line, as the estimate counts it
PAD = 1.5  # points: room kept above and below a cell's text
CAP = 4.0  # em: the longest text line a column's width counts
MAX_TOP = 4  # lines: LibreOffice draws no more of a top-aligned cell that overflows


def _lines(text: str, width: float) -> int:
    """Lines the text wraps to in a column ``width`` units wide, estimated high:
    2.1 units a CJK character, 1.2 an ASCII one (LibreOffice sets about 1.5 and 0.8)."""
    n = 0
    for line in text.split("\n"):
        units = sum(1.2 if ch.isascii() else 2.1 for ch in line)
        n += max(1, -(-int(units * 10) // int(width * 10)))
    return n


def _snap(height: float, row: float, step: float) -> float:
    """``row`` plus whole steps, at least ``height``: a raised row keeps the phase
    of the others, so what overflows through it still lands off its neighbours' places."""
    return row + max(0, math.ceil((height - row) / step)) * step


def row_heights(form: Form, col_widths: list[float], valign: str) -> list[float]:
    """Each table row's height: ``ROW``, or more where overflow has nowhere to go."""
    rows = form.rows
    n = len(rows)
    spans = {(r, c): cs for r, c, _, cs in form.merges}
    covered = {(r, c + k) for r, c, _, cs in form.merges for k in range(cs)}
    row = ROW[valign]
    heights = [row] * n
    taken: set[tuple[int, int]] = set()

    def free(r: int, cols: range) -> bool:
        return all(not rows[r][c] and (r, c) not in covered and (r, c) not in taken for c in cols)

    def count(r: int, step: int, cols: range) -> int:
        k = 0
        while 0 <= r + step * (k + 1) < n and free(r + step * (k + 1), cols):
            k += 1
        return k

    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            if not text:
                continue
            cols = range(c, c + spans.get((r, c), 1))
            lines = _lines(text, sum(col_widths[k] for k in cols))
            need = lines * LINE + 2 * PAD  # to overflow into free cells
            fit = need + (LINE / 2 if lines > 1 else 0)  # to hold it all, with room to spare
            if fit <= heights[r]:
                continue
            if valign in ("top", "bottom"):
                # LibreOffice draws at most MAX_TOP lines of a top-aligned cell that overflows
                step = 1 if valign == "top" else -1
                spare = count(r, step, cols) if valign == "bottom" or lines <= MAX_TOP else 0
                used = math.ceil((need - heights[r]) / row)
                if used <= spare:
                    taken.update((r + step * i, k) for i in range(1, used + 1) for k in cols)
                    continue
            else:
                spare = min(count(r, -1, cols), count(r, 1, cols), SIDE)
                used = math.ceil((need - heights[r]) / (2 * row))
                if used <= spare:
                    for i in [*range(r - used, r), *range(r + 1, r + 1 + used)]:
                        taken.update((i, k) for k in cols)
                    continue
            step = 2 * PITCH if valign == "center" else PITCH
            heights[r] = max(heights[r], _snap(fit, row, step))
    return heights


def overflow_form(form: Form) -> Form:
    """The form as the overflow rendition lays it out: horizontal merges only."""
    return dataclasses.replace(form, merges=[m for m in form.merges if m[2] == 1])


def render_overflow_xlsx(forms: list[Form], path: Path, valign: str) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for i, form in enumerate(forms):
        ws = wb.create_sheet("绩效自评表" if len(forms) == 1 else f"绩效自评表{i + 1}")
        top = write_paragraphs(ws, form)
        col_widths = [max(6.0, w * 2.1) for w in column_weights(form, cap=CAP)]
        for c, w in enumerate(col_widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = round(w, 2)
        heights = row_heights(form, col_widths, valign)
        for r, (row, height) in enumerate(zip(form.rows, heights, strict=True)):
            for c, text in enumerate(row):
                cell = ws.cell(row=top + r, column=c + 1)
                cell.border = BORDER
                cell.font = Font(name="宋体", size=10)
                short = len(text) <= 12 and "\n" not in text
                cell.alignment = Alignment(
                    horizontal="center" if short else "left", vertical=valign, wrap_text=True
                )
                if text:
                    cell.value = text
                    cell.data_type = "s"  # "=90" is text, not a formula
            ws.row_dimensions[top + r].height = height
        for r, c, rs, cs in form.merges:
            ws.merge_cells(
                start_row=top + r, start_column=c + 1, end_row=top + r + rs - 1, end_column=c + cs
            )
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.title = "项目支出绩效自评表"
    wb.save(str(path))
    normalise_zip(path)


def _note(case: str, folder: Path, valign: str) -> str:
    name = folder.name
    pdf = folder / f"{name}.pdf"
    pages = pdf_page_count(pdf) if pdf.exists() else 0
    into = {"top": "below them", "bottom": "above them", "center": "above and below them"}
    items = [
        f"`{name}.xlsx`: the form as a sheet with fixed, too-small row heights "
        f"({ROW[valign]:.2f} pt rows), narrow columns and wrapped text, vertically aligned "
        f"`{valign}`; only the horizontal merges are kept (labels stand in their first row, "
        "the cells below are empty). Every cell is text.",
        f"`{name}.pdf` ({pages} page{'s' if pages != 1 else ''}): that sheet printed by "
        "LibreOffice. Long cells overflow their row: their lines run on across the ruling "
        f"into the empty cells {into[valign]}.",
    ]
    lines = [
        f"# Overflow renditions of {case}",
        "",
        "Generated by tools/render_corpus.py (tools/render/overflow.py) from",
        f"corpus/cases/{case}; do not edit by hand.",
        "",
        *(textwrap.fill(item, 96, initial_indent="- ", subsequent_indent="  ") for item in items),
        "",
        "The rules are in the docstring of tools/render/overflow.py; `layout.json` holds the",
        "grid that was rendered. Both files must give the case's golden reports.",
    ]
    return "\n".join(lines) + "\n"


def render_overflow(soffice: str | None) -> list[Path]:
    """Write every ``OVERFLOW`` rendition's sheet and (with LibreOffice) its PDF, in
    ``corpus/renditions/<case>_<alignment>_overflow/``."""
    written = []
    for case, valigns in OVERFLOW.items():
        forms = [overflow_form(f) for f in load_forms(CORPUS / "cases" / case / "form.txt")]
        for valign in valigns:
            folder = OUT / f"{case}_{valign}_overflow"
            folder.mkdir(parents=True, exist_ok=True)
            xlsx = folder / f"{folder.name}.xlsx"
            render_overflow_xlsx(forms, xlsx, valign)
            written.append(xlsx)
            if soffice:
                for src, dest in convert(soffice, [xlsx], "pdf").items():
                    normalise_pdf(dest, src.read_bytes())
                    written.append(dest)
            (folder / "layout.json").write_text(
                layout_json(forms, f"corpus/cases/{case}"), encoding="utf-8"
            )
            (folder / "NOTE.md").write_text(_note(case, folder, valign), encoding="utf-8")
            print(f"wrote {xlsx.relative_to(ROOT)} and its PDF ({valign}-aligned overflow)")
    return written
