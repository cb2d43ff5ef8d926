"""Flat tables from reports: one row per indicator (or part), one per funding line.

Rows are plain dicts of JSON-ready values (numbers exact as in ``to_dict()``),
ready for CSV, pandas or Parquet. Every row repeats the form-level keys, so a
table of 10,000 forms needs no join:

>>> from jixiao_parser import parse, to_rows
>>> rows = to_rows([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")])  # doctest: +SKIP
>>> rows[0]["project_code"], rows[0]["part_index"], rows[0]["target_value"]      # doctest: +SKIP
('440307210701500003094', 0, 100)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from .model import Report, Value, _num

__all__ = [
    "FORM_COLUMNS",
    "FUNDING_COLUMNS",
    "INDICATOR_COLUMNS",
    "to_csv",
    "to_dataframe",
    "to_rows",
    "write_parquet",
]

FORM_COLUMNS = (
    "path",
    "format",
    "form_index",
    "kind",
    "year",
    "title",
    "project_name",
    "project_code",
    "supervisor",
    "implementer",
    "budget_unit",
)
_VALUE_FIELDS = ("raw", "kind", "op", "value", "upper", "unit", "ratio", "date")
INDICATOR_COLUMNS = (
    *FORM_COLUMNS,
    "row_index",
    "part_index",
    "level1",
    "level1_points",
    "level2",
    "name",
    *(f"target_{f}" for f in _VALUE_FIELDS),
    *(f"actual_{f}" for f in _VALUE_FIELDS),
    "weight",
    "score",
    "attained",
    "note",
    "goal",
    "where",
)
FUNDING_COLUMNS = (
    *FORM_COLUMNS,
    "unit",
    "label",
    "role",
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "execution_rate",
    "score",
)


def _form(report: Report) -> dict[str, Any]:
    h = report.header
    return {
        "path": report.source.path,
        "format": report.source.format,
        "form_index": report.source.form_index,
        "kind": report.kind,
        "year": report.year,
        "title": report.title,
        "project_name": h.project_name,
        "project_code": h.project_code,
        "supervisor": h.supervisor,
        "implementer": h.implementer,
        "budget_unit": h.budget_unit,
    }


def _value(prefix: str, value: Value | None) -> dict[str, Any]:
    if value is None:
        return {f"{prefix}_{f}": None for f in _VALUE_FIELDS}
    d = value.to_dict()
    return {f"{prefix}_{f}": d[f] for f in _VALUE_FIELDS}


def to_rows(reports: Iterable[Report], table: str = "indicators") -> list[dict[str, Any]]:
    """Flatten reports: ``table="indicators"`` gives one row per indicator, or one
    per part when a row holds numbered parts (``part_index`` 0, 1, …; else
    null); ``table="funding"`` one row per funding line.

    Columns are :data:`INDICATOR_COLUMNS` / :data:`FUNDING_COLUMNS`, in that order.
    """
    if table not in ("indicators", "funding"):
        msg = f"table must be 'indicators' or 'funding', not {table!r}"
        raise ValueError(msg)
    rows: list[dict[str, Any]] = []
    for report in reports:
        form = _form(report)
        if table == "funding":
            for line in report.funding.lines:
                d = line.to_dict()
                d.pop("extra", None)
                rows.append({**form, "unit": report.funding.unit, **d})
            continue
        for k, ind in enumerate(report.indicators):
            base = {
                **form,
                "row_index": k,
                "level1": ind.level1,
                "level1_points": _num(ind.level1_points),
                "level2": ind.level2,
                "weight": _num(ind.weight),
                "score": _num(ind.score),
                "note": ind.note,
                "goal": ind.goal,
                "where": ind.where,
            }
            if not ind.parts:
                rows.append(
                    {
                        **base,
                        "part_index": None,
                        "name": ind.name,
                        "attained": ind.attained,
                        **_value("target", ind.target),
                        **_value("actual", ind.actual),
                    }
                )
            for p, part in enumerate(ind.parts):
                rows.append(
                    {
                        **base,
                        "part_index": p,
                        "name": part.name,
                        "attained": part.attained,
                        **_value("target", part.target),
                        **_value("actual", part.actual),
                    }
                )
    columns = INDICATOR_COLUMNS if table == "indicators" else FUNDING_COLUMNS
    return [{c: row.get(c) for c in columns} for row in rows]


def to_csv(reports: Iterable[Report], table: str = "indicators") -> str:
    """:func:`to_rows` as CSV text (UTF-8, header row, empty cell for null)."""
    columns = INDICATOR_COLUMNS if table == "indicators" else FUNDING_COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_rows(reports, table))
    return out.getvalue()


def to_dataframe(reports: Iterable[Report], table: str = "indicators") -> Any:
    """:func:`to_rows` as a pandas DataFrame (needs the ``pandas`` extra)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "to_dataframe needs pandas: pip install 'jixiao_parser[pandas]'"
        raise ImportError(msg) from exc
    columns = INDICATOR_COLUMNS if table == "indicators" else FUNDING_COLUMNS
    return pd.DataFrame(to_rows(reports, table), columns=list(columns))


def write_parquet(reports: Iterable[Report], path: str, table: str = "indicators") -> int:
    """Write :func:`to_rows` to a Parquet file (needs the ``parquet`` extra).

    Returns the number of rows written.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "write_parquet needs pyarrow: pip install 'jixiao_parser[parquet]'"
        raise ImportError(msg) from exc
    rows = to_rows(reports, table)
    columns = INDICATOR_COLUMNS if table == "indicators" else FUNDING_COLUMNS
    data = {c: [r[c] for r in rows] for c in columns}
    schema = pa.schema([(c, _arrow_type(pa, c, data[c])) for c in columns])
    pq.write_table(pa.table(data, schema=schema), path)
    return len(rows)


_INTS = {"form_index", "year", "row_index", "part_index"}


def _arrow_type(pa: Any, column: str, values: list[Any]) -> Any:
    if column in _INTS:
        return pa.int64()
    if column == "attained":
        return pa.bool_()
    if any(isinstance(v, str) for v in values) or all(v is None for v in values):
        return pa.string()
    return pa.float64()
