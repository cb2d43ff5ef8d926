"""Every code a report can carry, with what it means: one registry.

:data:`DIAGNOSTICS` lists the codes of ``Report.diagnostics`` (what the parser
inferred or could not read), each with its severity; :data:`CHECKS` lists the
codes of ``Report.checks`` (the consistency rules of
:mod:`jixiao_parser.checks`). ``docs/diagnostics.md`` prints both tables, and
the tests keep it, the registry, the ``Literal`` types of the model
(:data:`~jixiao_parser.model.DiagnosticCode`,
:data:`~jixiao_parser.model.CheckCode`) and the codes the source emits equal.

>>> from jixiao_parser.diagnostics import CHECKS, DIAGNOSTICS
>>> DIAGNOSTICS["level2_inferred"].severity
'info'
>>> CHECKS["funding_subtotal"]
'the funding sub-lines add up to the total line, column by column'

A :class:`~jixiao_parser.Diagnostic` refuses a code that is not registered
here, or a severity other than the registered one, so a section parser cannot
report one by mistake. This module is plain data below the model: it imports
the model's types for type checkers only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .model import CheckCode, DiagnosticCode, Severity

__all__ = ["CHECKS", "DIAGNOSTICS", "DiagnosticEntry"]


@attrs.frozen
class DiagnosticEntry:
    """A registered diagnostic code: its ``severity`` and what it ``means``."""

    severity: Severity
    means: str


def _info(means: str) -> DiagnosticEntry:
    return DiagnosticEntry("info", means)


def _warning(means: str) -> DiagnosticEntry:
    return DiagnosticEntry("warning", means)


DIAGNOSTICS: Mapping[DiagnosticCode, DiagnosticEntry] = MappingProxyType(
    {
        "header_value_missing": _info("a header label has no value beside it"),
        "funding_columns_missing": _warning(
            "the funding block has no column header row, so its figures cannot be placed"
        ),
        "unreadable_amount": _warning(
            "a funding cell under a money, weight, rate or score column is not a figure"
        ),
        "rate_read_as_percent": _info(
            "a funding execution rate written without % was read as a percent"
        ),
        "funding_row_unknown": _info(
            "a funding row label is not in the vocabulary; its role is unknown"
        ),
        "row_realigned": _info(
            "a row's cells sat off its header's columns and were aligned to them"
        ),
        "total_weight_missing": _info("the total row states one figure, read as the total score"),
        "total_score_missing": _info(
            "the total row states one figure and no indicator a score; the figure is the weight"
        ),
        "template_row_dropped": _info(
            "an indicator row named only 指标2, ……, … and holding no values is a template's"
            " leftover; it was dropped"
        ),
        "indicator_without_name": _warning(
            "an indicator row holds only a note or extra columns, no name or figures"
        ),
        "unreadable_figure": _warning("an indicator weight or score cell is not a figure"),
        "parts_mismatch": _warning(
            "numbered cells of one indicator row hold different numbers of items"
        ),
        "level2_missing": _info("an indicator row has no level-2 label and none was inferred"),
        "level2_inferred": _info(
            "a left-out level-2 label was inferred from the usual order of its level-1 group"
        ),
        "funding_missing": _warning("the form has no funding block"),
        "indicators_missing": _warning("the form has no indicator table"),
        "structure_recovered": _info(
            "the text had lost the form's table structure; its rows were rebuilt from the text"
        ),
        "structure_lost": _warning(
            "the text holds a form whose table structure is lost and could not be rebuilt"
        ),
        "ocr_low_confidence": _warning(
            "a cell of a scanned page was read by OCR with low confidence: check its text"
        ),
    }
)
"""Diagnostic code → its :class:`DiagnosticEntry`, in the order a form is read."""

CHECKS: Mapping[CheckCode, str] = MappingProxyType(
    {
        "execution_rate": (
            "a funding line's execution rate is executed / annual budget"
            " (initial budget when there is none), to the digits printed"
        ),
        "funding_score": (
            "a funding line's score is its weight × execution rate, capped at the weight"
        ),
        "funding_subtotal": "the funding sub-lines add up to the total line, column by column",
        "score_within_weight": "an indicator's score is at most its weight",
        "full_marks_unmet": "full marks are claimed for an indicator whose target was not met",
        "weights_total": "indicator weights plus the funding weight make the total row's weight",
        "scores_total": "indicator scores plus the funding score make the total row's score",
        "level1_points": (
            "the weights under a level-1 label that states points (产出指标(50分)) add them up"
        ),
    }
)
"""Check code → what the check holds to (``ok`` is whether the form does)."""
