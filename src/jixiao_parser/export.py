"""Flat tables from reports, in the declared schemas of :mod:`jixiao_parser.tables`.

Five tables (``docs/schema.md`` lists their columns): ``indicators`` (one row
per indicator, one more per numbered part), ``funding`` (one per funding line),
``forms`` (one per form), ``checks`` (one per check result) and
``diagnostics``. Every row starts with the form's keys (file, form index,
header), so a table of 10,000 forms needs no join:

>>> from jixiao_parser import parse, to_rows
>>> rows = to_rows([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")])
>>> rows[0]["project_code"], rows[0]["part_index"], rows[0]["weight"]
('440307210701500003094', None, 15)

Rows sum right: an indicator's weight and score are on its own row
(``part_index`` null) only; the rows of its numbered parts (``part_index`` 0,
1, …, same ``row_index``) carry the parts' own names, values and attainment
and null weight, score, ``level1_points`` and note. Summing ``weight`` over a
table gives the forms' indicator weights:

>>> sum(r["weight"] or 0 for r in rows) == to_rows([parse(
...     "corpus/seeds/seed_003/003_83db39a3659af481.txt")], "forms")[0]["indicator_weight"]
True

Writers: :func:`to_rows` (JSON-ready dicts), :func:`to_csv` / :func:`write_csv`
(exact decimals as text), :func:`to_arrow`, :func:`to_dataframe` (pandas with
Arrow dtypes), :func:`write_parquet` and :func:`write_xlsx` (one sheet per
table). Reports stored as ``jixiao/1`` JSON (one per line, as ``jixiao parse
--format jsonl`` writes) flatten the same way: every writer takes their dicts
and reads each with :meth:`Report.from_dict <jixiao_parser.Report.from_dict>`.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .checks import chinese_message
from .errors import TableError
from .model import Report, Value, _num
from .tables import KEY_COLUMNS, TABLES, _date_columns, _table, arrow_table

__all__ = [
    "CHECK_COLUMNS",
    "DIAGNOSTIC_COLUMNS",
    "FORMS_COLUMNS",
    "FORM_COLUMNS",
    "FUNDING_COLUMNS",
    "INDICATOR_COLUMNS",
    "to_arrow",
    "to_csv",
    "to_dataframe",
    "to_rows",
    "typed_rows",
    "write_csv",
    "write_parquet",
    "write_xlsx",
]

Reports = Iterable[Report | Mapping[str, Any]]
PathLike = str | os.PathLike[str]

INDICATOR_COLUMNS = TABLES["indicators"].names
FUNDING_COLUMNS = TABLES["funding"].names
FORMS_COLUMNS = TABLES["forms"].names
CHECK_COLUMNS = TABLES["checks"].names
DIAGNOSTIC_COLUMNS = TABLES["diagnostics"].names
FORM_COLUMNS = KEY_COLUMNS
"""The columns every table starts with: the form's source and header keys."""


def _keys(report: Report) -> dict[str, Any]:
    s, h = report.source, report.header
    return {
        "path": s.path,
        "format": s.format,
        "form_index": s.form_index,
        "structure": s.structure,
        "pdf_backend": s.pdf_backend,
        "kind": report.kind,
        "year": report.year,
        "title": report.title,
        "project_name": h.project_name,
        "project_code": h.project_code,
        "supervisor": h.supervisor,
        "implementer": h.implementer,
        "budget_unit": h.budget_unit,
    }


def _value(prefix: str, v: Value | None) -> dict[str, Any]:
    if v is None:
        day = partial = None
        return {
            f"{prefix}_raw": None,
            f"{prefix}_kind": None,
            f"{prefix}_op": None,
            f"{prefix}_value": None,
            f"{prefix}_upper": None,
            f"{prefix}_unit": None,
            f"{prefix}_ratio": None,
            f"{prefix}_date": day,
            f"{prefix}_date_partial": partial,
        }
    day, partial = _date_columns(v.date)
    return {
        f"{prefix}_raw": v.raw,
        f"{prefix}_kind": v.kind,
        f"{prefix}_op": v.op,
        f"{prefix}_value": v.value,
        f"{prefix}_upper": v.upper,
        f"{prefix}_unit": v.unit,
        f"{prefix}_ratio": v.ratio,
        f"{prefix}_date": day,
        f"{prefix}_date_partial": partial,
    }


def _indicators(report: Report, keys: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for k, ind in enumerate(report.indicators):
        base = {**keys, "row_index": k, "level1": ind.level1, "level2": ind.level2}
        yield {
            **base,
            "part_index": None,
            "level1_points": ind.level1_points,
            "name": ind.name,
            **_value("target", ind.target),
            **_value("actual", ind.actual),
            "weight": ind.weight,
            "score": ind.score,
            "attained": ind.attained,
            "note": ind.note,
            "goal": ind.goal,
            "where": ind.where,
        }
        for p, part in enumerate(ind.parts):
            yield {
                **base,
                "part_index": p,
                "name": part.name,
                **_value("target", part.target),
                **_value("actual", part.actual),
                "attained": part.attained,
                "goal": ind.goal,
                "where": ind.where,
            }


def _funding(report: Report, keys: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for line in report.funding.lines:
        yield {
            **keys,
            "unit": report.funding.unit,
            "label": line.label,
            "role": line.role,
            "initial_budget": line.initial_budget,
            "annual_budget": line.annual_budget,
            "executed": line.executed,
            "weight": line.weight,
            "execution_rate": line.execution_rate,
            "score": line.score,
        }


def _sum(xs: Iterable[Decimal | None]) -> Decimal | None:
    stated = [x for x in xs if x is not None]
    return sum(stated, Decimal(0)) if stated else None


def _forms(report: Report, keys: dict[str, Any]) -> Iterable[dict[str, Any]]:
    total = next((ln for ln in report.funding.lines if ln.role == "total"), None)
    inds = report.indicators
    yield {
        **keys,
        "funding_unit": report.funding.unit,
        "initial_budget": total.initial_budget if total else None,
        "annual_budget": total.annual_budget if total else None,
        "executed": total.executed if total else None,
        "execution_rate": total.execution_rate if total else None,
        "funding_weight": total.weight if total else None,
        "funding_score": total.score if total else None,
        "indicator_count": len(inds),
        "indicator_weight": _sum(i.weight for i in inds),
        "indicator_score": _sum(i.score for i in inds),
        "total_weight": report.total.weight,
        "total_score": report.total.score,
        "grade": report.total.grade,
        "checks": len(report.checks),
        "checks_failed": sum(not c.ok for c in report.checks),
        "warnings": sum(d.severity == "warning" for d in report.diagnostics),
        "goal_planned": report.goals.planned,
        "goal_actual": report.goals.actual,
    }


def _checks(report: Report, keys: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for k, c in enumerate(report.checks):
        yield {
            **keys,
            "check_index": k,
            "code": c.code,
            "ok": c.ok,
            "message": chinese_message(c),
            "message_en": c.message,
            "expected": c.expected,
            "stated": c.stated,
        }


def _diagnostics(report: Report, keys: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for k, d in enumerate(report.diagnostics):
        yield {
            **keys,
            "diagnostic_index": k,
            "code": d.code,
            "severity": d.severity,
            "message": d.message,
            "where": d.where,
        }


_ROWS: dict[str, Callable[[Report, dict[str, Any]], Iterable[dict[str, Any]]]] = {
    "indicators": _indicators,
    "funding": _funding,
    "forms": _forms,
    "checks": _checks,
    "diagnostics": _diagnostics,
}


def _reports(reports: Reports) -> list[Report]:
    return [r if isinstance(r, Report) else Report.from_dict(r) for r in reports]


def typed_rows(reports: Reports, table: str = "indicators") -> list[dict[str, Any]]:
    """The rows of ``table`` with typed values: ``Decimal`` for money, figures
    and ratios, ``datetime.date`` for complete dates, ``bool``, ``int``, ``str``
    or ``None``; keys are the table's columns in order.

    >>> from jixiao_parser import parse
    >>> (form,) = typed_rows([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")], "forms")
    >>> form["executed"], form["checks_failed"]
    (Decimal('5658097.55'), 0)
    """
    t = _table(table)
    make = _ROWS[t.name]
    columns = t.names
    out: list[dict[str, Any]] = []
    for report in _reports(reports):
        keys = _keys(report)
        out.extend({c: row.get(c) for c in columns} for row in make(report, keys))
    return out


def _json_ready(x: Any) -> Any:
    if isinstance(x, Decimal):
        return _num(x)
    if isinstance(x, datetime.date):
        return x.isoformat()
    return x


def to_rows(reports: Reports, table: str = "indicators") -> list[dict[str, Any]]:
    """Flatten reports into the rows of ``table`` (``indicators``, ``funding``,
    ``forms``, ``checks`` or ``diagnostics``) as JSON-ready dicts: numbers exact
    as in ``to_dict()`` (``int`` when integral), dates as ISO text.

    A report may also be given as its ``jixiao/1`` dict (``to_dict()``, or a
    line of a JSONL file after ``json.loads``): it is read with
    :meth:`Report.from_dict <jixiao_parser.Report.from_dict>`, which raises on
    a dict that is not a ``jixiao/1`` report.

    >>> import json
    >>> from jixiao_parser import parse
    >>> report = parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")
    >>> line = report.to_json(indent=None)  # as a JSONL file holds it
    >>> rows = to_rows([json.loads(line)], "funding")
    >>> rows == to_rows([report], "funding"), rows[0]["role"], rows[0]["executed"]
    (True, 'total', 5658097.55)
    """
    return [{k: _json_ready(v) for k, v in row.items()} for row in typed_rows(reports, table)]


def _text(x: Any) -> str:
    """A CSV cell: exact decimals without exponent, ISO dates, empty for null."""
    if x is None:
        return ""
    if isinstance(x, Decimal):
        if x == x.to_integral_value():
            return str(int(x))
        return format(x, "f").rstrip("0")  # exact: no arithmetic, so no rounding
    if isinstance(x, datetime.date):
        return x.isoformat()
    return str(x)


def _csv(rows: list[dict[str, Any]], table: str) -> str:
    columns = _table(table).names
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: a lone \r gets quoted
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(row[c]) for c in columns])
    return out.getvalue()


def to_csv(reports: Reports, table: str = "indicators") -> str:
    """The rows of ``table`` as CSV text (RFC 4180: lines end with CRLF, a cell
    holding a comma, quote or line break is quoted): header row, exact
    decimals (``12864000``, ``0.9735``, never an exponent), ISO dates,
    ``True`` / ``False``, an empty cell for null. No BOM: see :func:`write_csv`
    for files.

    >>> from jixiao_parser import parse
    >>> text = to_csv([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")], "funding")
    >>> text.splitlines()[1].split(",")[-7:]
    ['total', '6083000', '5723064.6', '5658097.55', '10', '0.9886', '9.89']
    """
    return _csv(typed_rows(reports, table), table)


def write_csv(
    reports: Reports, path: PathLike, table: str = "indicators", *, bom: bool = True
) -> int:
    """Write :func:`to_csv` to ``path`` in UTF-8, with a byte order mark unless
    ``bom=False`` (Excel on a Chinese-locale Windows reads a CSV without one as
    GBK). Written to a temporary file beside ``path``, then renamed. Returns
    the number of rows.

    >>> from jixiao_parser import parse
    >>> r = parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")
    >>> write_csv([r], "indicators.csv")  # doctest: +SKIP
    24
    """
    rows = typed_rows(reports, table)
    text = _csv(rows, table)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            fh.write(text)

    _atomically(path, write)
    return len(rows)


def _atomically(path: PathLike, write: Callable[[str], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it to ``path``
    (the temporary file is removed when ``write`` raises)."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def to_arrow(reports: Reports, table: str = "indicators") -> Any:
    """The rows of ``table`` as a ``pyarrow.Table`` of its declared schema
    (:func:`jixiao_parser.tables.arrow_schema`; needs the ``parquet`` extra).

    Money and figures are ``decimal128(38, 10)``; a figure that does not fit
    raises :class:`~jixiao_parser.errors.TableError` before anything is built.

    >>> from jixiao_parser import parse
    >>> t = to_arrow([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")], "forms")
    >>> str(t.schema.field("executed").type), t["executed"][0].as_py()
    ('decimal128(38, 10)', Decimal('5658097.5500000000'))
    """
    return arrow_table(typed_rows(reports, table), table)


def dataframe_from_rows(rows: list[dict[str, Any]], table: str) -> Any:
    """Typed rows of ``table`` (:func:`typed_rows`) as a pandas DataFrame with
    Arrow-backed dtypes: what :func:`to_dataframe` returns, and each partition
    of the Dask frames.

    >>> dataframe_from_rows([], "forms").shape
    (0, 31)
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "to_dataframe needs pandas: pip install 'jixiao_parser[pandas]'"
        raise ImportError(msg) from exc
    return arrow_table(rows, table).to_pandas(types_mapper=pd.ArrowDtype)


def to_dataframe(reports: Reports, table: str = "indicators") -> Any:
    """The rows of ``table`` as a pandas DataFrame whose dtypes are the declared
    Arrow types (``pd.ArrowDtype``: ``decimal128(38, 10)[pyarrow]`` for money,
    ``int64[pyarrow]``, ``string[pyarrow]`` …); needs the ``pandas`` extra.

    >>> from jixiao_parser import parse
    >>> df = to_dataframe([parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")], "funding")
    >>> str(df["executed"].dtype), str(df["execution_rate"].dtype)
    ('decimal128(38, 10)[pyarrow]', 'double[pyarrow]')
    """
    return dataframe_from_rows(typed_rows(reports, table), table)


def write_parquet(reports: Reports, path: PathLike, table: str = "indicators") -> int:
    """Write the rows of ``table`` to a Parquet file of the declared schema
    (needs the ``parquet`` extra), through a temporary file renamed when
    complete. Files written at different times read back as one
    ``pyarrow.dataset``: every column has its declared type even when it is
    empty. Returns the number of rows written.

    >>> from jixiao_parser import parse
    >>> r = parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")
    >>> write_parquet([r], "indicators.parquet")  # doctest: +SKIP
    24
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "write_parquet needs pyarrow: pip install 'jixiao_parser[parquet]'"
        raise ImportError(msg) from exc
    data = to_arrow(reports, table)
    _atomically(path, lambda tmp: pq.write_table(data, tmp))
    return int(data.num_rows)


# -- Excel ---------------------------------------------------------------------

_EXCEL_ROWS = 1_048_576
_EXCEL_TEXT = 32_767
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; longer figures are written as text
_WIDTH_SAMPLE = 500  # rows whose text sizes the columns
_NUMBER_FORMATS = {
    "money": "#,##0.00",
    "ratio": "0.00%",
    "date": "yyyy-mm-dd",
    "int": "0",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_xlsx(
    reports: Reports,
    path: PathLike,
    tables: Sequence[str] = tuple(TABLES),
    *,
    chinese_headers: bool = False,
) -> dict[str, int]:
    """Write one Excel workbook with a sheet per table in ``tables`` (all five by
    default): header row frozen, columns sized to their contents, number
    formats by type (money ``#,##0.00``, ratios ``0.00%``, dates
    ``yyyy-mm-dd``). ``chinese_headers=True`` heads the columns and names the
    sheets in Chinese (``年度``, ``项目名称`` …; ``docs/schema.md`` lists them).

    Excel holds numbers as doubles: a figure of more than 15 significant digits
    is written as text, so it stays exact. A sheet over Excel's 1,048,576 rows
    or a cell over its 32,767 characters raises
    :class:`~jixiao_parser.errors.TableError` before anything is written. The
    workbook goes to a temporary file beside ``path``, renamed when complete.
    Returns the rows written per table.

    >>> from jixiao_parser import parse
    >>> r = parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "forms.xlsx")
    >>> write_xlsx([r], path, chinese_headers=True)
    {'indicators': 24, 'funding': 4, 'forms': 1, 'checks': 20, 'diagnostics': 1}
    """
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    items = _reports(reports)
    sheets: list[tuple[str, list[dict[str, Any]]]] = []
    for name in tables:
        rows = typed_rows(items, name)
        if len(rows) + 1 > _EXCEL_ROWS:
            source = rows[0]["path"] or "<input>"
            msg = f"{len(rows)} {name} rows are more than an Excel sheet holds ({_EXCEL_ROWS - 1})"
            raise TableError(source, msg)
        for row in rows:
            for c, v in row.items():
                if isinstance(v, str) and len(v) > _EXCEL_TEXT:
                    msg = f"{name}.{c} holds {len(v)} characters, over Excel's {_EXCEL_TEXT}"
                    raise TableError(row["path"] or "<input>", msg)
        sheets.append((name, rows))

    def cell_value(x: Any) -> Any:
        if isinstance(x, Decimal):
            if len(_text(x).replace("-", "").replace(".", "").strip("0")) > _EXCEL_DIGITS:
                return _text(x)
            return int(x) if x == x.to_integral_value() else float(x)
        if isinstance(x, str):
            return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", x)
        return x

    def write(tmp: str) -> None:
        wb = Workbook(write_only=True)
        bold = Font(bold=True)
        for name, rows in sheets:
            t = TABLES[name]
            ws = wb.create_sheet(t.zh if chinese_headers else t.name)
            headers = [c.zh if chinese_headers else c.name for c in t.columns]
            for k, (c, head) in enumerate(zip(t.columns, headers, strict=True), start=1):
                longest = max((_width(_text(r[c.name])) for r in rows[:_WIDTH_SAMPLE]), default=0)
                width = min(60, max(_width(head) + 2, longest + 2, 8))
                ws.column_dimensions[get_column_letter(k)].width = width
            ws.freeze_panes = "A2"
            header_cells = []
            for head in headers:
                cell = WriteOnlyCell(ws, value=head)
                cell.font = bold
                header_cells.append(cell)
            ws.append(header_cells)
            formats = [_NUMBER_FORMATS.get(c.type) for c in t.columns]
            for row in rows:
                out = []
                for c, fmt in zip(t.columns, formats, strict=True):
                    v = cell_value(row[c.name])
                    if fmt is None or v is None or isinstance(v, str):
                        out.append(v)
                    else:
                        cell = WriteOnlyCell(ws, value=v)
                        cell.number_format = fmt
                        out.append(cell)
                ws.append(out)
        wb.save(tmp)

    _atomically(path, write)
    return {name: len(rows) for name, rows in sheets}
