#!/usr/bin/env python3
"""Render the corpus text cases into DOCX, XLSX, XLS, HTML and PDF renditions.

Run from the repository root::

    .venv/bin/python tools/render_corpus.py            # everything
    .venv/bin/python tools/render_corpus.py --no-office  # skip PDF/XLS (no LibreOffice)
    .venv/bin/python tools/render_corpus.py --scans      # only the scan renditions

Inputs are ``corpus/seeds/<case>/*.txt`` and ``corpus/cases/<case>/form.txt``.
Each is decoded with ``jixiao_parser.readers.text.decode_text`` and turned into
paragraphs and ragged tables by ``text_to_document`` (tags stripped, page-number
lines dropped). Outputs go to ``corpus/renditions/<case>/``: ``<case>.docx``,
``<case>.xlsx``, ``<case>.html``, ``<case>.pdf`` (LibreOffice, from the DOCX),
``<case>.xls`` (LibreOffice, from the XLSX), a ``NOTE.md`` and a ``layout.json``
(the grid each form was rendered from: paragraphs, padded rows, merges — an
oracle for reader tests). ``corpus/renditions/multi_form/`` holds one DOCX/PDF
with three forms. The renditions are committed; tests never need LibreOffice.

This script reads the flags and runs the steps; the code lives in the package
beside it, ``tools/render/`` (layout, one writer per format, LibreOffice, notes).

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

Shapes. Every case is also written as text whose table structure is lost, one
file per shape in ``corpus/shapes/<shape>/<case>.txt`` (the shapes and their
rules are in the docstring of ``render/shapes.py``): cells joined by spaces,
one cell per line, ``cell |`` lines, markdown pipe rows, glued cells and
tab-separated rows with wrapped cells. ``--shapes-only`` writes just those.

Scan renditions (SCANS in render/settings.py; rules in render/scans.py):
``corpus/scans/<case>.pdf`` is the case's PDF rendered by pdfium at 150–200 dpi,
stamped with a red or grey seal over part of the table, turned up to ±1.5°,
blurred, noised and saved as JPEG at quality 60–70, wrapped as an image-only PDF:
input for OCR (``jixiao_parser.readers.ocr``). ``--scans`` writes just those
(Pillow and numpy needed); ``bench/ocr.py`` makes the same for every case in memory.

Overflow renditions (OVERFLOW in render/settings.py; rules in render/overflow.py):
``corpus/renditions/<case>_<alignment>_overflow/`` holds the case as an XLSX with
fixed, too-small row heights and wrapped cells, and its PDF printed by LibreOffice, in
which long cells overflow their row into the empty cells below (top-aligned),
above (bottom-aligned) or around them (centred).

Special renditions (SPECIAL and MULTI_FORM in render/settings.py): a PDF of three forms
(multi_form), a form whose indicator table crosses a PDF page (utf16, rendered
with large type), a DOCX whose indicator table is a second table after a
"续表" paragraph (value_kinds_b), HTML in GBK/GB18030 (seed_000, gb18030) and an
HTML page inside site chrome with an unrelated link table (footer_and_marks).
"""

from __future__ import annotations

import argparse
import sys

# The pieces live in the package beside this script (tools/render/), which Python
# finds because a script's own directory comes first on sys.path; importing it
# puts this checkout's src/ first too.
from render import ROOT
from render.cases import Plan, check_page_crossing, render_case, render_multi_form, source_cases
from render.layout import Form, load_forms
from render.notes import write_case_notes, write_multi_form_notes
from render.office import convert_renditions, ensure_soffice
from render.overflow import render_overflow
from render.settings import MULTI_FORM, OFFICE_CASES, OUT
from render.shapes import write_shapes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-office", action="store_true", help="skip PDF/XLS (LibreOffice)")
    parser.add_argument(
        "--shapes-only", action="store_true", help="only the flattened-text shapes (corpus/shapes/)"
    )
    parser.add_argument(
        "--scans", action="store_true", help="only the scan renditions (corpus/scans/)"
    )
    args = parser.parse_args(argv)
    if args.scans:
        return write_scans()
    for _group, case, src in source_cases():
        write_shapes(case, load_forms(src))
    if args.shapes_only:
        return 0
    soffice = None if args.no_office else ensure_soffice()

    OUT.mkdir(parents=True, exist_ok=True)
    plans: list[Plan] = []
    all_forms: dict[str, list[Form]] = {}
    for group, case, src in source_cases():
        forms = load_forms(src)
        all_forms[case] = forms
        plans.append(render_case(group, case, forms))

    # Multi-form document.
    multi = OUT / "multi_form"
    multi_docx = render_multi_form(multi, all_forms)

    if soffice:
        docx_files = [plan.folder / f"{plan.case}.docx" for plan in plans] + [multi_docx]
        xlsx_files = [plan.folder / f"{plan.case}.xlsx" for plan in plans]
        # legacy and open formats, read through LibreOffice: one case each
        office_docx = [
            plan.folder / f"{plan.case}.docx" for plan in plans if plan.case in OFFICE_CASES
        ]
        convert_renditions(soffice, docx_files, xlsx_files, office_docx)

    # Sheets with fixed, too-small row heights, printed: text overflowing its cell.
    render_overflow(soffice)

    for plan in plans:
        write_case_notes(
            plan.group, plan.case, plan.folder, plan.forms, plan.specials, plan.xlsx_notes
        )
    write_multi_form_notes(multi, MULTI_FORM, [f for case in MULTI_FORM for f in all_forms[case]])
    check_page_crossing(plans)
    total = 0
    for p in sorted(OUT.rglob("*")):
        if p.is_file():
            total += p.stat().st_size
            print(f"{p.stat().st_size:>9,}  {p.relative_to(ROOT)}")
    print(f"total {total:,} bytes in {OUT.relative_to(ROOT)}")
    return 0


def write_scans() -> int:
    """The committed scan renditions (``SCANS``), from the committed PDFs."""
    from render.scans import scan_pdf
    from render.settings import SCANS, SCANS_OUT

    SCANS_OUT.mkdir(parents=True, exist_ok=True)
    for case, (seal, dpi) in SCANS.items():
        out = SCANS_OUT / f"{case}.pdf"
        out.write_bytes(scan_pdf(OUT / case / f"{case}.pdf", case, dpi=dpi, seal=seal))
        print(f"{out.stat().st_size:>9,}  {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
