"""Consistency checks and target attainment: does the form add up, was each target met?

Every report gets ``checks`` (one :class:`~jixiao_parser.Check` per rule and
line or indicator it applies to, each with a stable ``code``) and each
indicator its ``attained`` (true / false / null). Tolerances follow how forms
round: a figure printed with two decimals is right when it is within half a
unit of its last printed digit of the exact value.

Codes: ``execution_rate`` (executed / annual budget), ``funding_score`` (weight
× rate, capped at the weight), ``funding_subtotal`` (sub-lines add up to the
total line), ``score_within_weight``, ``weights_total`` (indicator weights plus
the funding weight make the total weight), ``level1_points`` (weights under a
"(50分)" level-1 label add up to it), ``scores_total`` (indicator scores plus
the funding score make the total score), ``full_marks_unmet`` (full marks
claimed for a target that was not met).

Each check's ``message`` is English (as ``jixiao/1`` has always written it);
:func:`chinese_message` gives the same in Chinese, from one pair of templates
per code (:data:`MESSAGES`), which the English messages are written from too.
"""

from __future__ import annotations

import functools
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Context, Decimal, getcontext, localcontext
from types import MappingProxyType

import attrs
import regex

from .model import Check, CheckCode, Funding, FundingLine, Indicator, Report, Total
from .values.attainment import is_cost, with_attainment
from .values.kinds import attained
from .values.words import MONEY_UNITS

__all__ = [
    "CHECKS_ZH",
    "MESSAGES",
    "attained",
    "check_report",
    "check_sections",
    "chinese_message",
    "is_cost",
    "run_checks",
    "with_attainment",
]

_SUB_ROLES = ("current_appropriation", "carryover", "other", "special_account", "unit_funds")
_MONEY = ("initial_budget", "annual_budget", "executed")
# The checks' arithmetic: wide enough for any figure a form's cell can state (a
# figure is at most 40 characters), so that a 39-digit weight or a rate with 30
# decimals is checked like any other, never an InvalidOperation. Exponents stay
# within what a cell can write.
_WIDE = Context(prec=200, Emax=10_000, Emin=-10_000)
# the constants of the checks' arithmetic, made once
_ZERO, _ONE, _CENT, _HALF_CENT = Decimal(0), Decimal(1), Decimal("0.01"), Decimal("0.005")
_EPSILON = Decimal("1e-12")  # what a rate's check allows beyond half its last digit


def _half_unit(stated: Decimal) -> Decimal:
    """Half a unit of the last digit ``stated`` was written with (9.73 → 0.005)."""
    exponent = stated.as_tuple().exponent
    return _half_of_digit(exponent) if isinstance(exponent, int) else _ZERO


@functools.lru_cache(maxsize=64)  # by the exponent, not the figure: 9.7 and 9.70 differ
def _half_of_digit(exponent: int) -> Decimal:
    return Decimal(5).scaleb(exponent - 1)


# Checks are built as Check(code, ok, message, expected, stated), by position:
# keywords cost a dict per object in type.__call__, and a form has dozens.


def _fmt(x: Decimal) -> str:
    if not x:  # 0 and -0 are equal figures written apart
        return format(x.normalize(), "f")
    return _formatted(x, getcontext().prec)


@functools.lru_cache(maxsize=4096)  # a form's weights and scores repeat (10, 20, 5 …)
def _formatted(x: Decimal, _precision: int) -> str:
    # equal figures (9.7, 9.70) print alike once normalised; the precision the
    # figure is normalised at is part of the key
    return format(x.normalize(), "f")


# -- messages, English and Chinese ----------------------------------------------

MESSAGES: Mapping[CheckCode, tuple[str, str]] = MappingProxyType(
    {
        "execution_rate": (
            "{subject}: executed {executed} / budget {budget} = {expected}",
            "{subject}：执行数 {executed} ÷ 预算数 {budget} = {expected}",
        ),
        "funding_score": (
            "{subject}: weight {weight} × rate {rate} = {expected}",
            "{subject}：分值 {weight} × 执行率 {rate} = {expected}",
        ),
        "funding_subtotal": (
            "{subject}: sub-lines add up to {expected}, total line states {stated}",
            "{subject}：分项合计 {expected}，合计行填报 {stated}",
        ),
        "score_within_weight": (
            "{subject}: score {stated} of weight {expected}",
            "{subject}：得分 {stated}，分值 {expected}",
        ),
        "full_marks_unmet": (
            "{subject}: full marks for a target not met ({pair})",
            "{subject}：指标未完成却得满分（{pair}）",
        ),
        "weights_total": (
            "weights + funding weight = {expected}, total states {stated}",
            "指标分值 + 资金分值 = {expected}，总分行填报 {stated}",
        ),
        "scores_total": (
            "scores + funding score = {expected}, total states {stated}",
            "指标得分 + 资金得分 = {expected}，总分行填报 {stated}",
        ),
        "level1_points": (
            "{subject}: weights add up to {expected}, label says {stated}分",
            "{subject}：分值合计 {expected}，标签标明 {stated}分",
        ),
    }
)
"""Check code → (English, Chinese) message template. ``execution_rate`` and
``funding_score`` add :data:`FORM_STATES` when the form's figure is off."""

FORM_STATES = (", form states {stated}", "，表中填报 {stated}")
"""What a failed ``execution_rate`` or ``funding_score`` message adds."""

CHECKS_ZH: Mapping[CheckCode, str] = MappingProxyType(
    {
        "execution_rate": (
            "资金执行率 = 全年执行数 ÷ 全年预算数（无全年预算数时用年初预算数），按表中位数"
        ),
        "funding_score": "资金得分 = 分值 × 执行率，不超过分值",
        "funding_subtotal": "各分项资金逐列相加等于合计行",
        "score_within_weight": "指标得分不超过其分值",
        "full_marks_unmet": "指标未完成却得满分",
        "weights_total": "指标分值加资金分值等于总分行的分值",
        "scores_total": "指标得分加资金得分等于总分行的得分",
        "level1_points": "一级指标标明分值（产出指标(50分)）时，其下指标分值之和等于它",
    }
)
"""Check code → what the check holds to, in Chinese (:data:`~jixiao_parser.diagnostics.CHECKS`
says it in English)."""

_SUBJECTS_ZH = {
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
}


def _say(code: CheckCode, ok: bool, **parts: str) -> str:
    """The English message of a check (what ``Check.message`` holds)."""
    if not ok and code in _WITH_FORM_STATES:
        return _ENGLISH[code](**parts) + _ENGLISH_FORM_STATES(parts["stated"])
    return _ENGLISH[code](**parts)


def _formatter(template: str) -> Callable[..., str]:
    """``template.format`` as a function made once: an f-string of the template's
    text, for its parts by name (a form has dozens of checks; ``str.format``
    reads the template anew each time)."""
    names = dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name)
    arguments = "".join(f"{name}, " for name in names)
    function: Callable[..., str] = eval(f"lambda {arguments}**_: f{template!r}")
    return function


_WITH_FORM_STATES = frozenset(("execution_rate", "funding_score"))
_ENGLISH = {code: _formatter(english) for code, (english, _) in MESSAGES.items()}
_ENGLISH_FORM_STATES = _formatter(FORM_STATES[0])


def _fill(template: str) -> str:
    """``template`` as a regex: text escaped, each ``{part}`` a named group
    (``subject`` and ``pair`` any text, figures anything but spaces)."""
    out = []
    for k, piece in enumerate(regex.split(r"\{(\w+)\}", template)):
        if not k % 2:
            out.append(regex.escape(piece))
        elif piece in ("subject", "pair"):
            out.append(f"(?P<{piece}>.*)")
        else:
            out.append(rf"(?P<{piece}>\S+)")
    return "".join(out)


_READERS: dict[str, regex.Pattern[str]] = {}


def _reader(code: CheckCode) -> regex.Pattern[str]:
    """The regex that reads the parts back out of an English message of ``code``."""
    reader = _READERS.get(code)
    if reader is None:
        body = _fill(MESSAGES[code][0])
        if code in ("execution_rate", "funding_score"):
            body += f"(?:{_fill(FORM_STATES[0])})?"
        reader = _READERS[code] = regex.compile(f"^{body}$", regex.DOTALL)
    return reader


def chinese_message(check: Check) -> str:
    """The message of ``check`` in Chinese, with the same labels and figures.

    >>> c = Check("weights_total", False, "weights + funding weight = 90, total states 100",
    ...           Decimal(90), Decimal(100))
    >>> chinese_message(c)
    '指标分值 + 资金分值 = 90，总分行填报 100'

    A message not written from :data:`MESSAGES` (a report from another version)
    gets the rule in Chinese and the two figures:

    >>> chinese_message(Check("weights_total", False, "weights differ", Decimal(90), Decimal(100)))
    '未通过：指标分值加资金分值等于总分行的分值（应为 90，表中填报 100）'
    """
    m = _reader(check.code).match(check.message)
    if m is None:
        figures = [
            f"{label} {_fmt(x)}"
            for label, x in (("应为", check.expected), ("表中填报", check.stated))
            if x is not None
        ]
        said = "通过" if check.ok else "未通过"
        return f"{said}：{CHECKS_ZH[check.code]}" + (f"（{'，'.join(figures)}）" if figures else "")
    parts = {k: v for k, v in m.groupdict().items() if v is not None}
    if check.code == "funding_subtotal":
        parts["subject"] = _SUBJECTS_ZH.get(parts["subject"], parts["subject"])
    text = MESSAGES[check.code][1]
    if "stated" in parts and "{stated}" not in text:
        text += FORM_STATES[1]
    return text.format(**parts)


# -- funding -------------------------------------------------------------------


def _rate_checks(line: FundingLine) -> list[Check]:
    out: list[Check] = []
    base = line.annual_budget if line.annual_budget else line.initial_budget
    rate = line.execution_rate
    # half a unit of the stated rate: both checks allow for it
    rate_half = _half_unit(rate) if rate is not None else _ZERO
    if line.executed is not None and base and rate is not None:
        exact = line.executed / base
        ok = abs(exact - rate) <= rate_half + _EPSILON
        expected = exact.quantize(_ONE.scaleb(min(-4, int(rate.as_tuple().exponent))))
        msg = _say(
            "execution_rate",
            ok,
            subject=line.label,
            executed=_fmt(line.executed),
            budget=_fmt(base),
            expected=_fmt(expected),
            stated=_fmt(rate) if not ok else "",  # said only when it is off
        )
        out.append(Check("execution_rate", ok, msg, expected, rate))
    if line.weight is not None and line.score is not None:
        if rate is None and line.executed is not None and base:
            rate = line.executed / base
            rate_half = _half_unit(rate)
        if rate is not None:
            exact = min(line.weight, line.weight * rate)
            tolerance = _half_unit(line.score) + line.weight * rate_half + _EPSILON
            ok = abs(exact - line.score) <= tolerance
            expected = exact.quantize(_CENT)
            msg = _say(
                "funding_score",
                ok,
                subject=line.label,
                weight=_fmt(line.weight),
                rate=_fmt(rate),
                expected=_fmt(expected),
                stated=_fmt(line.score) if not ok else "",  # said only when it is off
            )
            out.append(Check("funding_score", ok, msg, expected, line.score))
    return out


def _subtotal_checks(funding: Funding) -> list[Check]:
    totals = [ln for ln in funding.lines if ln.role == "total"]
    subs = [ln for ln in funding.lines if ln.role in _SUB_ROLES]
    if len(totals) != 1 or not subs:
        return []
    total = totals[0]
    step = _CENT * MONEY_UNITS.get(funding.unit or "", _ONE)  # a cent, in yuan
    out = []
    for field in _MONEY:
        stated = getattr(total, field)
        parts = [getattr(s, field) for s in subs]
        if stated is None or all(p is None for p in parts):
            continue
        expected = sum((p for p in parts if p is not None), _ZERO)
        ok = abs(expected - stated) <= step * len(subs) / 2
        msg = _say(
            "funding_subtotal", ok, subject=field, expected=_fmt(expected), stated=_fmt(stated)
        )
        out.append(Check("funding_subtotal", ok, msg, expected, stated))
    return out


# -- indicators ---------------------------------------------------------------


def _indicator_checks(
    indicators: Iterable[Indicator], funding: Funding, total: Total
) -> list[Check]:
    inds = list(indicators)
    out: list[Check] = []
    within = _ENGLISH["score_within_weight"]  # (not _say: one check per indicator)
    for ind in inds:
        if ind.weight is not None and ind.score is not None:
            ok = ind.score <= ind.weight
            msg = within(subject=_name(ind), stated=_fmt(ind.score), expected=_fmt(ind.weight))
            out.append(Check("score_within_weight", ok, msg, ind.weight, ind.score))
        if (
            ind.attained is False
            and ind.weight is not None
            and ind.score == ind.weight
            and ind.weight > 0
        ):
            pair = f"{ind.target.raw!r} → {ind.actual.raw!r}"
            msg = _say("full_marks_unmet", False, subject=_name(ind), pair=pair)
            out.append(Check("full_marks_unmet", False, msg, _ZERO, ind.score))
    funding_total = next((ln for ln in funding.lines if ln.role == "total"), None)
    funding_weight = funding_total.weight if funding_total else None
    funding_score = funding_total.score if funding_total else None
    weights = [i.weight for i in inds if i.weight is not None]
    if total.weight is not None and weights:
        expected = sum(weights, _ZERO) + (funding_weight or 0)
        ok = expected == total.weight
        msg = _say("weights_total", ok, expected=_fmt(expected), stated=_fmt(total.weight))
        out.append(Check("weights_total", ok, msg, expected, total.weight))
    scores = [i.score for i in inds if i.score is not None]
    if total.score is not None and scores:
        expected = sum(scores, _ZERO) + (funding_score or 0)
        tolerance = _HALF_CENT * (len(scores) + 1) + _half_unit(total.score)
        ok = abs(expected - total.score) <= tolerance
        msg = _say("scores_total", ok, expected=_fmt(expected), stated=_fmt(total.score))
        out.append(Check("scores_total", ok, msg, expected, total.score))
    groups: dict[tuple[str | None, Decimal], list[Decimal]] = defaultdict(list)
    for ind in inds:
        if ind.level1_points is not None:
            groups[(ind.level1, ind.level1_points)].append(ind.weight or _ZERO)
    for (level1, points), ws in groups.items():
        expected = sum(ws, _ZERO)
        ok = expected == points
        msg = _say(
            "level1_points", ok, subject=str(level1), expected=_fmt(expected), stated=_fmt(points)
        )
        out.append(Check("level1_points", ok, msg, expected, points))
    return out


def _name(ind: Indicator) -> str:
    name = ind.name or ind.level2 or ind.level1 or "?"
    return name if len(name) <= 30 else name[:29] + "…"


# -- the whole report ----------------------------------------------------------------


def run_checks(report: Report) -> tuple[Check, ...]:
    """All consistency checks of ``report`` (attainment must already be set)."""
    return check_sections(report.funding, report.indicators, report.total)


def check_sections(
    funding: Funding, indicators: Iterable[Indicator], total: Total
) -> tuple[Check, ...]:
    """The consistency checks of a form's funding, indicators and total (what
    :func:`run_checks` checks of a report, before the report is built)."""
    out: list[Check] = []
    with localcontext(_WIDE):
        for line in funding.lines:
            out.extend(_rate_checks(line))
        out.extend(_subtotal_checks(funding))
        out.extend(_indicator_checks(indicators, funding, total))
    return tuple(out)


def with_checks(report: Report) -> Report:
    """``report`` with ``checks`` filled, trusting the ``attained`` already set on
    its indicators (the parser sets them; :func:`check_report` sets them anew)."""
    return attrs.evolve(report, checks=run_checks(report))


def check_report(report: Report) -> Report:
    """``report`` with ``attained`` set on every indicator (and part) and ``checks`` filled.

    >>> from jixiao_parser import parse
    >>> r = parse("corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt")  # doctest: +SKIP
    >>> [c.code for c in r.checks if not c.ok]                          # doctest: +SKIP
    ['execution_rate']
    """
    indicators = tuple([with_attainment(i) for i in report.indicators])
    return with_checks(attrs.evolve(report, indicators=indicators))
