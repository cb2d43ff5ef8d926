"""Segmentation: a Document's lines → one :class:`FormLayout` per form.

Forms and sections are found by label vocabulary, never by row numbers:

- a title line (``财政项目支出绩效自评表``) starts a form, and so does a
  ``项目名称`` row once the open form is past its header;
- ``项目资金 (元)`` / ``资金使用情况`` or a row of money column labels starts
  the funding block; ``预算目标`` / ``年度总体目标`` … the goals; a row with
  ``三级指标`` … ``年度指标值`` the indicator table; ``总分`` / ``合计`` under
  the indicator table its total (also after a footer row, when the form has
  none yet); what follows the total is footer.
"""

from __future__ import annotations

import attrs

from .. import vocab
from ..document import Cell, Document, Line, Paragraph
from .columns import SectionTable, split_funding, split_indicators
from .labels import (
    filled_header,
    heading_of,
    is_footer_row,
    is_funding_columns,
    is_funding_start,
    is_goals_start,
    is_header_row,
    is_indicator_header,
    is_title,
    is_total,
    snap_label,
    starts_project,
    year_of_line,
)
from .stitch import join_wrapped_lines, stitch_split_rows

__all__ = ["FormLayout", "document_lines", "segment_forms"]


@attrs.frozen
class FormLayout:
    """The lines of one form, sorted into its sections.

    ``funding`` and ``indicators`` hold every line of their section; the table
    sections also come resolved: ``funding_tables`` (the rows under each column
    header row, with its column map) and ``indicator_table`` (the rows under the
    indicator header, repeated headers left out, with its column map), after
    ``indicator_goals``, the goal sub-table rows (``年度绩效目标1(40分)``) that
    may open the indicator section.
    """

    title: Line | None = None
    year_lines: tuple[Line, ...] = ()
    header: tuple[Line, ...] = ()
    funding: tuple[Line, ...] = ()
    goals: tuple[Line, ...] = ()
    indicators: tuple[Line, ...] = ()
    total: Line | None = None
    footer: tuple[Line, ...] = ()
    pages: tuple[int, int] = (1, 1)
    funding_tables: tuple[SectionTable, ...] = ()
    indicator_goals: tuple[Line, ...] = ()
    indicator_table: SectionTable | None = None


def document_lines(doc: Document) -> list[Line]:
    """Flatten a Document into lines in reading order, rows that a page break
    cut in two rejoined (:func:`~jixiao_parser.segment.stitch.stitch_split_rows`).

    A merged cell is kept in its top-left slot; the slots it covers become
    empty cells, so that every format looks like a text export, where a merged
    level-1 label is followed by empty cells on the rows below.
    """
    out: list[Line] = []
    for block in stitch_split_rows(doc.blocks):
        if isinstance(block, Paragraph):
            cell = Cell(block.text, row=0, col=0, line=block.line, page=block.page)
            if vocab.label_key(cell.norm) in vocab.CAPTIONS:
                continue  # "续表": the table goes on, nothing to read
            out.append(Line((cell,), paragraph=True))
        else:
            rows = _fill_spans(block.rows) if block.spans else block.rows
            if doc.structure == "ocr":  # a label OCR misread by one character, put right
                rows = [_header_put_right(tuple(_snapped(c) for c in row)) for row in rows]
            out.extend(Line(row) for row in rows)
    # (rows rebuilt from text whose table was lost hold no wrapped cells)
    wrapped = doc.format == "text" and doc.structure == "table"
    return join_wrapped_lines(out) if wrapped else out


def _header_put_right(row: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """An indicator header row with the labels OCR lost named by their place."""
    texts = [c.text for c in row]
    filled = filled_header(texts)
    if filled is texts:
        return row
    return tuple(c if t == c.text else c.replace(text=t) for c, t in zip(row, filled, strict=True))


def _snapped(cell: Cell) -> Cell:
    text = snap_label(cell.text) if cell.text else cell.text
    return cell if text == cell.text else cell.replace(text=text)


def _fill_spans(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[Cell, ...]]:
    """Rows with an empty cell in every slot a merged cell covers."""
    if not _has_spans(rows):
        return list(rows)  # nothing merged
    covered: dict[int, dict[int, Cell]] = {}
    # a span never reaches past the table (hostile files claim rowspan=100000)
    last_row = max((c.row for row in rows for c in row), default=0)
    last_col = max((c.col for row in rows for c in row), default=0)
    for row in rows:
        for c in row:
            for r in range(c.row, min(c.row + c.rowspan, last_row + 1)):
                for k in range(c.col, min(c.col + c.colspan, last_col + 1)):
                    if (r, k) != (c.row, c.col):
                        covered.setdefault(r, {})[k] = c
    out = []
    for row in rows:
        if not row:
            out.append(row)
            continue
        r = row[0].row
        cells = {c.col: c for c in row}
        for k, owner in covered.get(r, {}).items():
            if k not in cells:
                cells[k] = owner.replace(text="", row=r, col=k, rowspan=1, colspan=1)
        out.append(tuple(cells[k] for k in sorted(cells)))
    return out


def _has_spans(rows: tuple[tuple[Cell, ...], ...]) -> bool:
    """Whether any cell spans more than its own slot (a plain loop: most tables
    have no merged cell, and every cell is looked at)."""
    for row in rows:
        for c in row:
            if c.rowspan != 1 or c.colspan != 1:
                return True
    return False


def segment_forms(lines: list[Line]) -> tuple[list[FormLayout], list[Line]]:
    """Split lines into forms; also return the lines that belong to no form."""
    forms: list[dict[str, list[Line]]] = []
    outside: list[Line] = []
    state = "none"
    current: dict[str, list[Line]] = {}

    def open_form() -> dict[str, list[Line]]:
        form: dict[str, list[Line]] = {k: [] for k in _SECTIONS}
        if not forms:
            # a year line before the first form belongs to it; other text
            # before it (page chrome, a cover note) is not part of any form
            form["title"].extend(ln for ln in outside if year_of_line(ln) is not None)
            outside[:] = [ln for ln in outside if year_of_line(ln) is None]
        forms.append(form)
        return form

    filled_lines = [ln for ln in lines if ln.filled]
    for k, line in enumerate(filled_lines):
        if is_title(line):
            if state != "title":
                current = open_form()
            current["title"].append(line)
            state = "title"
            continue
        if state not in ("title", "header") and starts_project(line):
            current = open_form()
            state = "header"
        if state == "none":
            if is_header_row(line):
                current = open_form()
                state = "header"
            else:
                outside.append(line)
                continue
        heading = heading_of(line)
        if heading is not None:
            # 一、基本情况 / 三、预算执行情况 …: layout, not data; it may open its
            # section (funding and goals come in either order)
            forward = _ORDER[heading] > _ORDER[state]
            swap = {heading, state} <= {"funding", "goals"}
            if (forward or swap) and state not in ("indicators", "total", "footer"):
                state = heading
            continue
        below = filled_lines[k + 1] if k + 1 < len(filled_lines) else None
        if state not in ("indicators", "total", "footer") and is_indicator_header(line, below):
            state = "indicators"
        elif state == "footer" and not current["total"] and is_total(line):
            state = "total"  # after a footer row (其他需要说明事项 | 无): the total still
        else:
            state = _next_state(state, line)
        current[state].append(line)
    return [_layout(f) for f in forms], outside


_SECTIONS = ("title", "header", "funding", "goals", "indicators", "total", "footer")
_ORDER = {name: k for k, name in enumerate(_SECTIONS)}  # (a dict: asked of every line)


def _next_state(state: str, line: Line) -> str:
    """The section ``line`` belongs to, given the section of the line before
    (:func:`segment_forms` has settled an indicator header row already)."""
    order = _ORDER[state]
    if state in ("title", "header") and year_of_line(line) is not None:
        return state
    if order <= _ORDER["header"] and is_header_row(line) and not is_funding_start(line):
        return "header"
    if state == "goals" and is_funding_columns(line):
        return "funding"  # the funding matrix after the goals (numbered-section layouts)
    if order < _ORDER["indicators"]:
        if order < _ORDER["goals"] and is_goals_start(line):
            return "goals"
        if order < _ORDER["funding"] and is_funding_start(line):
            return "funding"
    if state == "indicators" and is_total(line):
        return "total"
    if state == "indicators" and is_footer_row(line):
        return "footer"  # a form without a total row
    if state == "total":
        return "footer"
    return "header" if state == "title" else state


def _layout(form: dict[str, list[Line]]) -> FormLayout:
    title = next((ln for ln in form["title"] if is_title(ln)), None)
    year_lines: list[Line] = []
    header: list[Line] = []
    for ln in [ln for ln in form["title"] if ln is not title] + form["header"]:
        (header if year_of_line(ln) is None else year_lines).append(ln)
    totals = form["total"]
    # a row's cells run in reading order: its first and last cells hold its pages
    pages = [
        c.page
        for sec in form.values()
        for ln in sec
        if ln.cells
        for c in (ln.cells[0], ln.cells[-1])
    ]
    indicator_goals, indicator_table = split_indicators(tuple(form["indicators"]))
    return FormLayout(
        title=title,
        year_lines=tuple(year_lines),
        header=tuple(header),
        funding=tuple(form["funding"]),
        goals=tuple(form["goals"]),
        indicators=tuple(form["indicators"]),
        total=totals[0] if totals else None,
        footer=tuple(totals[1:] + form["footer"]),
        pages=(min(pages), max(pages)) if pages else (1, 1),
        funding_tables=split_funding(tuple(form["funding"])),
        indicator_goals=indicator_goals,
        indicator_table=indicator_table,
    )
