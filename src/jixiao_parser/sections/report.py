"""One form's layout → its :class:`~jixiao_parser.model.Report`: the section
parsers run in order, and what no single section knows is settled here (the
year stated in the title, a department form by its title, goal sub-tables
joined into the goals, sections a form lacks)."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import regex

from ..document import Document
from ..model import (
    Check,
    Funding,
    GoalItem,
    Goals,
    Header,
    Indicator,
    Report,
    ReportKind,
    Source,
    Total,
)
from ..segment import FormLayout, year_of_line
from ..values.words import DEPARTMENT_WORDS
from .blocks import parse_footer, parse_funding, parse_goals, parse_header, parse_total
from .common import Sink, tidy
from .indicators import parse_indicators

__all__ = ["build_report"]

#: what finds the checks of a form's funding, indicators and total
CheckSections = Callable[[Funding, tuple[Indicator, ...], Total], tuple[Check, ...]]

_TITLE_YEAR = regex.compile(r"(?P<y>(?:19|20)\d\d)\s*年度?")


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
    first_goal = goals.items[-1].label if goals.items else None
    table = parse_indicators(layout.indicator_goals, layout.indicator_table, sink, first_goal)
    goals = _with_goal_items(goals, table.goals)
    columns = layout.indicator_table.columns if layout.indicator_table else None
    cols = columns.col_of if columns else {}
    total = parse_total(layout.total, cols.get("weight"), cols.get("score"), sink)
    footer = parse_footer(layout.footer, sink)
    for section, present in (("funding", layout.funding), ("indicators", layout.indicators)):
        if not present:
            sink.note(f"{section}_missing", "warning", f"no {section} block found in this form")
    pages = layout.pages if doc.format == "pdf" else None
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
    planned = goals.planned or "\n".join(i.text for i in items if i.text) or None
    return attrs.evolve(goals, items=items, planned=planned)


def _report_kind(title: str | None) -> ReportKind:
    """``department`` when the title names a department-wide form (部门整体支出…)."""
    if title and any(word in title for word in DEPARTMENT_WORDS):
        return "department"
    return "project"
