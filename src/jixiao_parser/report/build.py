"""What the audit page shows, worked out from reports: plain data, no HTML.

:func:`build` turns reports and failed files into a :class:`PageData`: the
summary figures, one table row per form, one drill-down record per form (its
funding lines and indicators with the failing checks attached to the cells
they concern), the chart data and the list of full marks claimed for targets
not met. Money stays :class:`~decimal.Decimal` until it is formatted for
display; the sort keys of the table are floats (they only order rows).

>>> from jixiao_parser import parse
>>> data = build([parse("corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt")])  # doctest: +SKIP
>>> data.summary.forms, data.summary.failing_forms  # doctest: +SKIP
(1, 1)
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from ..checks import check_sections
from ..model import Check, Funding, FundingLine, Report, Total, Value
from ..pipeline import ParseResult
from ..vocab import label_key, without_points

__all__ = [
    "CHECK_NAMES",
    "FullMarks",
    "PageData",
    "Row",
    "Summary",
    "build",
    "form_rate",
    "main_line",
]

#: Chinese names of the check codes, as the page shows them
CHECK_NAMES: dict[str, str] = {
    "execution_rate": "执行率不符",
    "funding_score": "资金得分不符",
    "funding_subtotal": "资金小计不符",
    "score_within_weight": "得分超过分值",
    "full_marks_unmet": "未达标却得满分",
    "weights_total": "分值合计不符",
    "scores_total": "得分合计不符",
    "level1_points": "一级指标分值不符",
}

#: Chinese names of the diagnostic severities
SEVERITY_NAMES: dict[str, str] = {"info": "提示", "warning": "警告", "error": "错误"}

_HUNDRED = Decimal(100)
_RATE_STEP = Decimal("0.0001")  # a computed rate is shown to a hundredth of a percent


@attrs.frozen
class Summary:
    """The figures at the top of the page."""

    files: int
    failed_files: int
    forms: int
    failing_forms: int
    median_rate: Decimal | None
    rated_forms: int
    budget: Decimal
    executed: Decimal
    budgeted_forms: int


@attrs.frozen
class Row:
    """One form in the table: display texts and sort keys."""

    index: int
    key: str
    unit: str
    project: str
    year: int | None
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    rate_computed: bool
    score: Decimal | None
    weight: Decimal | None
    grade: str
    failing: tuple[str, ...]

    @property
    def score100(self) -> Decimal | None:
        """The total score on a scale of 100 (the total weight's, when it is another)."""
        if self.score is None or not self.weight or self.weight == _HUNDRED:
            return self.score
        return self.score * _HUNDRED / self.weight

    @property
    def generous(self) -> bool:
        """A high self-assessed score on low spending: a rate under
        :data:`GENEROUS_RATE` percent, a score of :data:`GENEROUS_SCORE` or more
        on a scale of 100."""
        score = self.score100
        return (
            self.rate is not None
            and score is not None
            and float(self.rate * _HUNDRED) < GENEROUS_RATE
            and float(score) >= GENEROUS_SCORE
        )


@attrs.frozen
class FullMarks:
    """One indicator given full marks although its target was not met."""

    index: int
    project: str
    indicator: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None


@attrs.frozen
class PageData:
    """Everything the page shows (see :func:`build`)."""

    summary: Summary
    failures: tuple[tuple[str, str, str], ...]  # path, error type, message
    rows: tuple[Row, ...]
    details: tuple[dict[str, Any], ...]
    full_marks: tuple[FullMarks, ...]
    points: tuple[dict[str, Any], ...]  # one per form with a rate: the scatter plot
    attainment: tuple[tuple[str, int, int], ...]  # level-2 category, attained, judged


def main_line(report: Report) -> FundingLine | None:
    """The funding line that stands for the whole form: the total line, or the
    only line when there is one.

    >>> from jixiao_parser import parse
    >>> main_line(parse("corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt")).label  # doctest: +SKIP
    '年度资金总额'
    """
    lines = report.funding.lines
    total = next((ln for ln in lines if ln.role == "total"), None)
    if total is None and len(lines) == 1:
        total = lines[0]
    return total


def form_rate(report: Report) -> tuple[Decimal | None, bool]:
    """The form's execution rate (a ratio) and whether it was computed: the rate
    its main funding line states, else executed / annual budget (or initial
    budget when no annual one is given), to four decimals.

    >>> from jixiao_parser import parse
    >>> form_rate(parse("corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt"))  # doctest: +SKIP
    (Decimal('0.9735'), False)
    """
    line = main_line(report)
    if line is None:
        return None, False
    if line.execution_rate is not None:
        return line.execution_rate, False
    base = line.annual_budget or line.initial_budget
    if line.executed is not None and base:
        return (line.executed / base).quantize(_RATE_STEP), True
    return None, False


def build(
    reports: Iterable[Report], failures: Iterable[ParseResult] = (), *, files: int | None = None
) -> PageData:
    """The page's data for ``reports`` and the files that failed (``failures``:
    :class:`~jixiao_parser.ParseResult` records whose ``error`` is set).
    ``files`` is the number of files read; by default the distinct paths of
    the reports and failures.

    >>> build([]).summary.forms
    0
    """
    reports = list(reports)
    failed = tuple((f.path, f.error.type, f.error.message) for f in failures if f.error is not None)
    rows: list[Row] = []
    details: list[dict[str, Any]] = []
    full_marks: list[FullMarks] = []
    points: list[dict[str, Any]] = []
    judged: dict[str, list[int]] = {}
    for index, report in enumerate(reports):
        row = _row(index, report)
        rows.append(row)
        detail, marks = _detail(index, report, row)
        details.append(detail)
        full_marks.extend(marks)
        if row.rate is not None and row.score is not None:
            points.append(_point(row))
        for ind in report.indicators:
            if ind.attained is not None:
                tally = judged.setdefault(_category(ind.level2), [0, 0])
                tally[0] += ind.attained
                tally[1] += 1
    if files is None:
        files = len({r.source.path for r in reports} | {path for path, _, _ in failed})
    rates = [r.rate for r in rows if r.rate is not None]
    budgets = [r.budget for r in rows if r.budget is not None]
    summary = Summary(
        files=files,
        failed_files=len(failed),
        forms=len(rows),
        failing_forms=sum(bool(r.failing) for r in rows),
        median_rate=statistics.median(rates) if rates else None,
        rated_forms=len(rates),
        budget=sum(budgets, Decimal(0)),
        executed=sum((r.executed for r in rows if r.executed is not None), Decimal(0)),
        budgeted_forms=len(budgets),
    )
    attainment = tuple(
        sorted(((k, v[0], v[1]) for k, v in judged.items()), key=lambda t: (t[1] / t[2], t[0]))
    )
    return PageData(
        summary, failed, tuple(rows), tuple(details), tuple(full_marks), tuple(points), attainment
    )


def _category(level2: str | None) -> str:
    """A level-2 label as one category: simplified, without glosses or points."""
    if not level2:
        return "（未标明）"
    return without_points(label_key(level2)) or "（未标明）"


def _row(index: int, report: Report) -> Row:
    header = report.header
    unit = header.implementer or header.budget_unit or header.supervisor
    if unit is None and report.kind == "department":
        unit = header.project_name
    project = header.project_name or report.title or ""
    if report.kind == "department":
        project = f"{project}（部门整体）" if project else "部门整体支出"
    line = main_line(report)
    rate, computed = form_rate(report)
    failing = tuple(dict.fromkeys(c.code for c in report.checks if not c.ok))
    return Row(
        index=index,
        key=f"{report.source.path or '<内存>'}#{report.source.form_index}",
        unit=unit or "",
        project=project,
        year=report.year,
        budget=(line.annual_budget or line.initial_budget) if line else None,
        executed=line.executed if line else None,
        rate=rate,
        rate_computed=computed,
        score=report.total.score,
        weight=report.total.weight,
        grade=report.total.grade or "",
        failing=failing,
    )


def _point(row: Row) -> dict[str, Any]:
    score = row.score100
    assert row.rate is not None and score is not None
    group = "高分低执行" if row.generous else ("有未通过检查" if row.failing else "其他")
    rate = float(row.rate * _HUNDRED)
    return {"rate": round(rate, 2), "score": round(float(score), 2), "group": group}


#: a form whose execution rate is under this (percent) and whose total score
#: (on a scale of 100) is at least GENEROUS_SCORE stands out in the scatter plot
GENEROUS_RATE = 80.0
GENEROUS_SCORE = 90.0


# -- the drill-down ----------------------------------------------------------


def fmt_money(x: Decimal | None) -> str:
    """An amount in yuan with thousands separators and two decimals (exact).

    >>> fmt_money(Decimal("965043.97")), fmt_money(Decimal("1100000")), fmt_money(None)
    ('965,043.97', '1,100,000.00', '')
    """
    return "" if x is None else f"{x:,.2f}"


def fmt_number(x: Decimal | None) -> str:
    """A weight or score as written, without trailing zeros after the point.

    >>> fmt_number(Decimal("9.70")), fmt_number(Decimal("20")), fmt_number(None)
    ('9.7', '20', '')
    """
    if x is None:
        return ""
    text = format(x, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_rate(x: Decimal | None) -> str:
    """A ratio as a percentage (exact).

    >>> fmt_rate(Decimal("0.9735")), fmt_rate(Decimal("1")), fmt_rate(None)
    ('97.35%', '100%', '')
    """
    return "" if x is None else fmt_number(x * _HUNDRED) + "%"


def _value(v: Value | None) -> str:
    return "" if v is None else v.raw


def _check(c: Check) -> dict[str, str]:
    return {"code": c.code, "name": CHECK_NAMES.get(c.code, c.code), "message": c.message}


def _detail(index: int, report: Report, row: Row) -> tuple[dict[str, Any], list[FullMarks]]:
    """The drill-down record of one form, with the index of each failing check
    on the cells it concerns (a cell's ``f``: field name → check indices)."""
    failing = [c for c in report.checks if not c.ok]
    position = {c: k for k, c in reversed(list(enumerate(failing)))}
    placed: set[int] = set()

    def mark(flags: dict[str, list[int]], field: str, checks: Iterable[Check]) -> None:
        for c in checks:
            k = position.get(c)
            if k is not None:
                flags.setdefault(field, []).append(k)
                placed.add(k)

    lines = []
    total_line = next((ln for ln in report.funding.lines if ln.role == "total"), None)
    for line in report.funding.lines:
        flags: dict[str, list[int]] = {}
        own = check_sections(Funding(report.funding.unit, (line,)), (), Total())
        mark(flags, "rate", (c for c in own if c.code == "execution_rate"))
        mark(flags, "score", (c for c in own if c.code == "funding_score"))
        if line is total_line:
            for c in failing:
                if c.code == "funding_subtotal":
                    field = c.message.split(":", 1)[0]
                    mark(flags, _SUBTOTAL_FIELDS.get(field, "executed"), (c,))
        lines.append(
            _compact(
                {
                    "label": line.label,
                    "initial": fmt_money(line.initial_budget),
                    "annual": fmt_money(line.annual_budget),
                    "executed": fmt_money(line.executed),
                    "weight": fmt_number(line.weight),
                    "rate": fmt_rate(line.execution_rate),
                    "score": fmt_number(line.score),
                    "where": line.where or "",
                    "f": flags,
                }
            )
        )
    indicators = []
    marks: list[FullMarks] = []
    previous: tuple[str | None, str | None] = (None, None)
    for ind in report.indicators:
        flags = {}
        own = check_sections(Funding(), (ind,), Total())
        mark(
            flags,
            "score",
            (c for c in own if c.code in ("score_within_weight", "full_marks_unmet")),
        )
        for c in failing:
            if c.code == "level1_points" and ind.level1_points is not None:
                if c.message.split(":", 1)[0] == str(ind.level1):
                    mark(flags, "level1", (c,))
        if any(failing[k].code == "full_marks_unmet" for k in flags.get("score", ())):
            marks.append(
                FullMarks(
                    index,
                    row.project,
                    ind.name or ind.level2 or "",
                    _value(ind.target),
                    _value(ind.actual),
                    ind.weight,
                    ind.score,
                )
            )
        level1 = ind.level1 or ""
        if ind.level1_points is not None:
            level1 += f"（{fmt_number(ind.level1_points)}分）"
        shown = (ind.level1, ind.level2)
        indicators.append(
            _compact(
                {
                    # a level label repeated from the row above is left out, as forms print it
                    "level1": level1 if shown[0] != previous[0] or "level1" in flags else "",
                    "level2": (ind.level2 or "") if shown != previous else "",
                    "name": ind.name or "",
                    "target": _value(ind.target),
                    "actual": _value(ind.actual),
                    "weight": fmt_number(ind.weight),
                    "score": fmt_number(ind.score),
                    "attained": ind.attained,
                    "note": ind.note or "",
                    "where": ind.where or "",
                    "f": flags,
                }
            )
        )
        previous = shown
    total_flags: dict[str, list[int]] = {}
    mark(total_flags, "weight", (c for c in failing if c.code == "weights_total"))
    mark(total_flags, "score", (c for c in failing if c.code == "scores_total"))
    source = report.source
    pages = ""
    if source.pages is not None:
        first, last = source.pages
        pages = f"第 {first} 页" if first == last else f"第 {first}–{last} 页"
    header = report.header
    detail = {
        "title": report.title or "",
        "project": row.project,
        "unit": row.unit,
        "year": report.year,
        "path": source.path or "",
        "form": source.form_index + 1,
        "format": source.format,
        "pages": pages,
        "header": [
            [label, value]
            for label, value in (
                ("项目名称", header.project_name),
                ("项目编码", header.project_code),
                ("主管部门", header.supervisor),
                ("实施单位", header.implementer),
                ("预算单位", header.budget_unit),
            )
            if value
        ],
        "money_unit": report.funding.unit or "",
        "lines": lines,
        "indicators": indicators,
        "total": {
            "weight": fmt_number(report.total.weight),
            "score": fmt_number(report.total.score),
            "grade": report.total.grade or "",
            "f": total_flags,
        },
        "checks": [_check(c) for c in failing],
        "unplaced": [k for k in range(len(failing)) if k not in placed],
        "passed": sum(c.ok for c in report.checks),
        "diagnostics": [
            {
                "code": d.code,
                "severity": SEVERITY_NAMES.get(d.severity, d.severity),
                "message": d.message,
                "where": d.where or "",
            }
            for d in report.diagnostics
        ],
    }
    return detail, marks


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` without its empty values (``""``, ``None``, ``{}``): the page
    shows a missing key as an empty cell, and a page of 2,000 forms is a third
    smaller for it.

    >>> _compact({"name": "甲", "note": "", "attained": None, "f": {}, "weight": "0"})
    {'name': '甲', 'weight': '0'}
    """
    return {k: v for k, v in record.items() if v is not None and v != "" and v != {}}


# funding_subtotal names the field its figures are from
_SUBTOTAL_FIELDS = {"initial_budget": "initial", "annual_budget": "annual", "executed": "executed"}
