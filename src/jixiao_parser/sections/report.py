"""One form's layout → its :class:`~jixiao_parser.model.Report`: the section
parsers run in order, and what no single section knows is settled here (the
year stated in the title, a department form by its title, goal sub-tables
joined into the goals, sections a form lacks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs
import regex

from .. import vocab
from ..document import Document, Line, Table, low_confidence_cells
from ..model import (
    Check,
    Diagnostic,
    Funding,
    GoalItem,
    Goals,
    Header,
    Indicator,
    Leftover,
    Report,
    ReportKind,
    Source,
    Total,
)
from ..recover import looks_like_form, recover_structure
from ..segment import FormLayout, document_lines, segment_forms, year_of_line
from ..segment.labels import is_title
from ..values.words import DEPARTMENT_WORDS
from .blocks import parse_footer, parse_funding, parse_goals, parse_header, parse_total
from .common import Sink, tidy
from .indicators import parse_indicators

__all__ = ["build_report", "build_reports"]

#: what finds the checks of a form's funding, indicators and total
CheckSections = Callable[[Funding, tuple[Indicator, ...], Total], tuple[Check, ...]]

_TITLE_YEAR = regex.compile(r"(?P<y>(?:19|20)\d\d)\s*年度?")


def build_reports(doc: Document, check: CheckSections | None = None) -> list[Report]:
    """The report of every form in ``doc`` (see :func:`build_report`).

    Text whose lines do not carry the table (no form with funding or indicator
    rows is found, yet the text holds a form title or three or more form labels)
    goes through structure recovery (:mod:`jixiao_parser.recover`): its reports
    then say ``source.structure == "recovered"`` and carry a
    ``structure_recovered`` diagnostic — or ``structure_lost`` when nothing could
    be rebuilt, with whatever was read and the unread text as leftover. Such
    text never gives no report at all. A form found in tab-separated rows is
    reported as read, however little it holds.
    """
    text = doc.format == "text"
    tried: _Recovery | None = None
    if text and _table_rows(doc) < _FEW_ROWS and looks_like_form(doc):
        tried = _recovery(doc, check)  # the text's shape first: the cheaper way
        if tried is not None and any(map(_has_rows, tried[1])):
            return _recovered(tried[1])
    layouts, outside = segment_forms(document_lines(doc))
    reports = [build_report(layout, doc, k, check) for k, layout in enumerate(layouts)]
    if not text or any(map(_has_rows, reports)) or not looks_like_form(doc):
        return reports
    if tried is None and _table_rows(doc) >= _FEW_ROWS:
        tried = _recovery(doc, check)
        if tried is not None and any(map(_has_rows, tried[1])):
            return _recovered(tried[1])
    if tried is None and reports and _table_rows(doc):
        return reports  # a table that holds little, but a table as published
    if tried is not None and (tried[1] or not reports):
        doc, reports, outside = tried
    if not reports:
        reports = [build_report(FormLayout(title=_title_line(outside)), doc, 0, check)]
        unread = tuple(Leftover(c.text, c.where) for ln in outside for c in ln.filled)
        reports[0] = attrs.evolve(reports[0], leftover=reports[0].leftover + unread)
    lost = Diagnostic("structure_lost", "warning", _LOST)
    return [_noted(r, lost) for r in reports]


# a recovered document, its reports and the lines outside any form
_Recovery = tuple[Document, list[Report], list[Line]]


def _recovery(doc: Document, check: CheckSections | None) -> _Recovery | None:
    recovered = recover_structure(doc)
    if recovered is None:
        return None
    found, rest = segment_forms(document_lines(recovered))
    return recovered, [build_report(f, recovered, k, check) for k, f in enumerate(found)], rest


def _recovered(reports: list[Report]) -> list[Report]:
    note = Diagnostic("structure_recovered", "info", _RECOVERED)
    return [_noted(r, note) for r in reports]


_RECOVERED = "the text had lost the table structure; its rows were rebuilt from the text"
_LOST = "the text holds a form whose table structure is lost; its rows could not be rebuilt"


_FEW_ROWS = 3  # text with fewer table rows than this may have lost its table


def _table_rows(doc: Document) -> int:
    return sum(len(b.rows) for b in doc.blocks if isinstance(b, Table))


def _has_rows(report: Report) -> bool:
    return bool(report.indicators or report.funding.lines)


def _title_line(lines: list[Line]) -> Line | None:
    return next((ln for ln in lines if is_title(ln)), None)


def _noted(report: Report, note: Diagnostic) -> Report:
    return attrs.evolve(report, diagnostics=(note, *report.diagnostics))


def build_report(
    layout: FormLayout, doc: Document, index: int, check: CheckSections | None = None
) -> Report:
    """The report of the form ``layout`` found ``index``-th in ``doc``, with the
    checks ``check`` finds in its funding, indicators and total (none without it:
    sections know no checks; :func:`jixiao_parser.checks.check_sections` is the one)."""
    sink = Sink()
    title = tidy(layout.title.filled[0].text) if layout.title else None
    header, year = parse_header(layout.header, sink) if layout.header else (Header(), None)
    year = _year(layout, title, year)
    funding = (
        parse_funding(layout.funding_tables, sink, layout.header) if layout.funding else Funding()
    )
    goals = parse_goals(layout.goals, sink) if layout.goals else Goals()
    first_goal = next((i.label for i in reversed(goals.items) if _is_subtable(i)), None)
    table = parse_indicators(layout.indicator_goals, layout.indicator_table, sink, first_goal)
    goals = _with_goal_items(goals, table.goals)
    columns = layout.indicator_table.columns if layout.indicator_table else None
    cols = columns.col_of if columns else {}
    sums = _weight_sums(table.indicators, funding)
    total = parse_total(layout.total, cols.get("weight"), cols.get("score"), sink, sums)
    footer = parse_footer(layout.footer, sink)
    if doc.structure == "ocr":
        _note_low_confidence(layout, sink)
    for section, present in (("funding", layout.funding), ("indicators", layout.indicators)):
        if not present:
            sink.note(f"{section}_missing", "warning", f"no {section} block found in this form")
    pages = layout.pages if doc.format == "pdf" or doc.structure == "ocr" else None
    indicators = tuple(table.indicators)
    return Report(
        kind=_report_kind(title),
        title=title,
        year=year,
        source=Source(
            path=doc.path,
            format=doc.format,
            form_index=index,
            pages=pages,
            structure=doc.structure,  # type: ignore[arg-type]
            pdf_backend=doc.pdf_backend,  # type: ignore[arg-type]
        ),
        header=header,
        funding=funding,
        goals=goals,
        indicators=indicators,
        total=total,
        footer=footer,
        checks=check(funding, indicators, total) if check is not None else (),
        diagnostics=tuple(sink.diagnostics),
        leftover=tuple(sink.leftover),
    )


def _note_low_confidence(layout: FormLayout, sink: Sink) -> None:
    """An ``ocr_low_confidence`` diagnostic for each cell of the form that OCR read
    with a confidence under :data:`jixiao_parser.document.LOW_CONFIDENCE`."""
    lines = [*layout.header, *layout.funding, *layout.goals, *layout.indicators, *layout.footer]
    if layout.total is not None:
        lines.append(layout.total)
    for cell in low_confidence_cells(c for line in lines for c in line.filled):
        assert cell.ocr is not None
        x0, top, x1, bottom = cell.ocr.pixels
        msg = (
            f"OCR read {cell.text!r} with confidence {cell.ocr.confidence:.2f}"
            f" (page {cell.page}, pixels {x0},{top}-{x1},{bottom})"
        )
        sink.note("ocr_low_confidence", "warning", msg, cell.where)


def _year(layout: FormLayout, title: str | None, year: int | None) -> int | None:
    """The year a header field states, else a year line's, else the title's
    (``2021年度项目支出绩效自评表``)."""
    for line in layout.year_lines:
        year = year or year_of_line(line)
    if year is None and title and (m := _TITLE_YEAR.search(title)):
        year = int(m.group("y"))
    return year


def _with_goal_items(goals: Goals, more: list[GoalItem]) -> Goals:
    """The goals with the goal sub-tables met in the indicator table after their
    own; without a planned text, the sub-goals' texts joined are the plan."""
    items = goals.items + tuple(more)
    if not items:
        return goals
    sub_goals = [i.text for i in items if i.text and _is_subtable(i)]
    planned = goals.planned or "\n".join(sub_goals) or None
    return attrs.evolve(goals, items=items, planned=planned)


def _is_subtable(item: GoalItem) -> bool:
    """A goal sub-table's item (``年度绩效目标1``), not a text such as 项目实施内容."""
    return item.label.startswith(vocab.GOAL_SUBTABLE)


def _weight_sums(indicators: Sequence[Indicator], funding: Funding) -> tuple[Decimal, ...] | None:
    """What the weights add up to — the indicators' alone, and with the funding
    weight — when there are indicators and none states a score; else None."""
    if not indicators or any(i.score is not None for i in indicators):
        return None
    weights = sum((i.weight for i in indicators if i.weight is not None), Decimal(0))
    funding_weight = next((ln.weight for ln in funding.lines if ln.role == "total"), None)
    return (weights,) if funding_weight is None else (weights, weights + funding_weight)


def _report_kind(title: str | None) -> ReportKind:
    """``department`` when the title names a department-wide form (部门整体支出…)."""
    if title and any(word in title for word in DEPARTMENT_WORDS):
        return "department"
    return "project"
