"""Flat tables from reports: one row per indicator (or part), one per funding line.

Rows are plain dicts of JSON-ready values (numbers exact as in ``to_dict()``),
ready for CSV, pandas or Parquet. Every row repeats the form-level keys, so a
table of 10,000 forms needs no join:

>>> from jixiao_parser import parse, to_rows
>>> rows = to_rows([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")])  # doctest: +SKIP
>>> rows[0]["project_code"], rows[0]["part_index"], rows[0]["target_value"]      # doctest: +SKIP
('440307210701500003094', 0, 100)

Reports stored as ``jixiao/1`` JSON (one per line, as ``jixiao parse --format
jsonl`` writes) flatten the same way: :func:`to_rows` takes their dicts and
reads each with :meth:`Report.from_dict <jixiao_parser.Report.from_dict>`.

The column lists come from the model's fields: a form's source and header
fields (``pages`` and ``fields`` left out), a funding line's fields (``extra``
left out) and a value's (``subject``, ``approx``, ``items`` and
``placeholder`` left out); the indicator columns keep their own order.
"""

from __future__ import annotations

import csv
import functools
import io
import types
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Union

import attrs

from . import model
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


def _names(cls: type, *, leaving_out: tuple[str, ...]) -> tuple[str, ...]:
    """The field names of ``cls`` in order, but those ``leaving_out`` (which must exist)."""
    names = tuple(a.name for a in attrs.fields(cls))
    unknown = set(leaving_out) - set(names)
    if unknown:  # pragma: no cover - a field renamed in the model
        msg = f"{cls.__name__} has no fields {sorted(unknown)}"
        raise AttributeError(msg)
    return tuple(n for n in names if n not in leaving_out)


_SOURCE_COLUMNS = _names(model.Source, leaving_out=("pages",))
FORM_COLUMNS = (
    *_SOURCE_COLUMNS,
    "kind",
    "year",
    "title",
    *_names(model.Header, leaving_out=("fields", "where")),
)
_VALUE_FIELDS = _names(
    Value, leaving_out=("subject", "approx", "items", "placeholder", "where", "unit_inherited")
)
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
    *_names(model.FundingLine, leaving_out=("extra", "where")),
)


@functools.cache
def _typed_columns() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The columns of whole numbers (``form_index``, ``year``, ``row_index``,
    ``part_index``), of decimal figures (money, weights, scores, value figures)
    and of true / false / null (``attained``), from the types of the model
    fields they come from (worked out on first use: reading type hints is slow).

    >>> ints, numbers, bools = _typed_columns()
    >>> sorted(ints), sorted(bools), "target_ratio" in numbers
    (['form_index', 'part_index', 'row_index', 'year'], ['attained'], True)
    """
    sources: list[tuple[str, type]] = [
        ("", model.Source),
        ("", model.Report),
        ("", model.Header),
        ("", model.Funding),
        ("", model.FundingLine),
        ("", model.Indicator),
        ("target_", Value),
        ("actual_", Value),
    ]
    types_: dict[str, Any] = {"row_index": int, "part_index": int}
    for prefix, cls in sources:
        hints = typing.get_type_hints(cls)
        for a in attrs.fields(cls):
            types_.setdefault(prefix + a.name, _without_none(hints[a.name]))
    columns = dict.fromkeys((*INDICATOR_COLUMNS, *FUNDING_COLUMNS))
    return (
        frozenset(c for c in columns if types_[c] is int),
        frozenset(c for c in columns if types_[c] is Decimal),
        frozenset(c for c in columns if types_[c] is bool),
    )


def _without_none(hint: Any) -> Any:
    """``X`` of ``X | None``; any other type as it is."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        (hint,) = (a for a in typing.get_args(hint) if a is not type(None))
    return hint


def _form(report: Report) -> dict[str, Any]:
    h = report.header
    return {
        **{name: getattr(report.source, name) for name in _SOURCE_COLUMNS},
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


def to_rows(
    reports: Iterable[Report | Mapping[str, Any]], table: str = "indicators"
) -> list[dict[str, Any]]:
    """Flatten reports: ``table="indicators"`` gives one row per indicator, or one
    per part when a row holds numbered parts (``part_index`` 0, 1, …; else
    null); ``table="funding"`` one row per funding line.

    A report may also be given as its ``jixiao/1`` dict (``to_dict()``, or a
    line of a JSONL file after ``json.loads``): it is read with
    :meth:`Report.from_dict <jixiao_parser.Report.from_dict>`, which raises on
    a dict that is not a ``jixiao/1`` report.

    Columns are :data:`INDICATOR_COLUMNS` / :data:`FUNDING_COLUMNS`, in that order.

    >>> import json
    >>> from jixiao_parser import parse
    >>> report = parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")
    >>> line = report.to_json(indent=None)  # as a JSONL file holds it
    >>> rows = to_rows([json.loads(line)], "funding")
    >>> rows == to_rows([report], "funding"), rows[0]["role"], rows[0]["executed"]
    (True, 'total', 5658097.55)
    """
    if table not in ("indicators", "funding"):
        msg = f"table must be 'indicators' or 'funding', not {table!r}"
        raise ValueError(msg)
    rows: list[dict[str, Any]] = []
    for item in reports:
        report = item if isinstance(item, Report) else Report.from_dict(item)
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


def to_csv(reports: Iterable[Report | Mapping[str, Any]], table: str = "indicators") -> str:
    """:func:`to_rows` as CSV text (UTF-8, header row, empty cell for null)."""
    columns = INDICATOR_COLUMNS if table == "indicators" else FUNDING_COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_rows(reports, table))
    return out.getvalue()


def to_dataframe(reports: Iterable[Report | Mapping[str, Any]], table: str = "indicators") -> Any:
    """:func:`to_rows` as a pandas DataFrame (needs the ``pandas`` extra)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "to_dataframe needs pandas: pip install 'jixiao_parser[pandas]'"
        raise ImportError(msg) from exc
    columns = INDICATOR_COLUMNS if table == "indicators" else FUNDING_COLUMNS
    return pd.DataFrame(to_rows(reports, table), columns=list(columns))


def write_parquet(
    reports: Iterable[Report | Mapping[str, Any]], path: str, table: str = "indicators"
) -> int:
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


def _arrow_type(pa: Any, column: str, values: list[Any]) -> Any:
    ints, _numbers, bools = _typed_columns()
    if column in ints:
        return pa.int64()
    if column in bools:
        return pa.bool_()
    if any(isinstance(v, str) for v in values) or all(v is None for v in values):
        return pa.string()
    return pa.float64()
