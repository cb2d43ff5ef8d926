"""The cases: which text files are rendered, and each case's renditions with
the special layouts it asks for; the multi-form document."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from . import ROOT
from .docx_writer import add_docx_form, new_docx, save_docx
from .html_writer import render_html
from .layout import Form
from .office import pdf_pages_text
from .settings import CORPUS, MULTI_FORM, OUT, SPECIAL
from .xlsx_writer import render_xlsx


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


class Plan(NamedTuple):
    """One case's renditions, as rendered: what its NOTE.md and layout.json say."""

    group: str
    case: str
    folder: Path
    forms: list[Form]
    specials: list[str]
    xlsx_notes: list[str]
    encoding: str


def render_case(group: str, case: str, forms: list[Form]) -> Plan:
    """Write a case's DOCX, XLSX and HTML renditions; the NOTE lines on its special layouts."""
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
    print(f"wrote {docx_path.relative_to(ROOT)}, {xlsx_path.name}, {html_path.name} ({enc})")
    return Plan(group, case, folder, forms, specials, xlsx_notes, enc)


def render_multi_form(folder: Path, all_forms: dict[str, list[Form]]) -> Path:
    """The MULTI_FORM cases' forms in one DOCX, a page break between forms; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = new_docx("normal")
    for i, case in enumerate(MULTI_FORM):
        for j, form in enumerate(all_forms[case]):
            add_docx_form(doc, form, "normal", False, first=i == 0 and j == 0)
    multi_docx = folder / "multi_form.docx"
    save_docx(doc, multi_docx)
    print(f"wrote {multi_docx.relative_to(ROOT)}")
    return multi_docx


def check_page_crossing(plans: list[Plan]) -> None:
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
