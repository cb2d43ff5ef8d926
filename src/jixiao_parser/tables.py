"""The declared table schemas of ``jixiao/1``: one per table, used by every writer.

Five tables flatten reports (see ``docs/schema.md``): ``indicators`` (one row
per indicator, and one more per numbered part), ``funding`` (one row per
funding line), ``forms`` (one row per form), ``checks`` (one row per check
result) and ``diagnostics`` (one row per diagnostic). Each column has one
declared type, whatever the rows hold, so files written at different times
read back as one dataset:

==========  =========================  ==============================================
type        Arrow                      what it holds
==========  =========================  ==============================================
string      ``string``                 text
int         ``int64``                  indexes, years, counts
bool        ``bool``                   true / false / null
money       ``decimal128(38, 10)``     yuan, exact
figure      ``decimal128(38, 10)``     weights, scores, value figures, exact
ratio       ``float64``                execution rates and value ratios (0.95 for 95%)
date        ``date32``                 complete dates (partial ones are strings)
==========  =========================  ==============================================

A figure with more than 28 digits before the point or more than 10 after it
does not fit ``decimal128(38, 10)``: :func:`arrow_table` refuses it with a
:class:`~jixiao_parser.errors.TableError` naming the file, before anything is
written.

>>> from jixiao_parser.tables import TABLES
>>> t = TABLES["forms"]
>>> t.column("total_score").type, t.column("total_score").zh, t.schema_id
('figure', '总得分', 'jixiao/1')
>>> list(TABLES)
['indicators', 'funding', 'forms', 'checks', 'diagnostics']
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

import attrs

from . import model
from .errors import TableError
from .model import SCHEMA_ID

__all__ = [
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
    "KEY_COLUMNS",
    "TABLES",
    "Column",
    "ColumnType",
    "Table",
    "arrow_schema",
    "arrow_table",
    "fits_decimal",
    "schema_markdown",
]

ColumnType = Literal["string", "int", "bool", "money", "figure", "ratio", "date"]
"""The declared type of a column (see the module notes for the Arrow type of each)."""

DECIMAL_PRECISION = 38
"""Digits of the decimal columns (``decimal128``: readable by Spark, DuckDB, Polars)."""
DECIMAL_SCALE = 10
"""Digits after the point of the decimal columns."""


@attrs.frozen
class Column:
    """One column: its ``name``, declared ``type``, Chinese header ``zh`` and meaning ``doc``."""

    name: str
    type: ColumnType
    zh: str
    doc: str


@attrs.frozen
class Table:
    """A declared table: its ``name``, Chinese name ``zh`` and ``columns`` in order."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    schema_id: str = SCHEMA_ID

    @property
    def names(self) -> tuple[str, ...]:
        """The column names in order.

        >>> TABLES["diagnostics"].names[-4:]
        ('code', 'severity', 'message', 'where')
        """
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name`` (``KeyError`` when there is none).

        >>> TABLES["funding"].column("executed").type
        'money'
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def of_type(self, *types: ColumnType) -> tuple[str, ...]:
        """The names of the columns of any of ``types``.

        >>> TABLES["indicators"].of_type("int")
        ('form_index', 'year', 'row_index', 'part_index')
        """
        return tuple(c.name for c in self.columns if c.type in types)


def _c(name: str, type_: ColumnType, zh: str, doc: str) -> Column:
    return Column(name, type_, zh, doc)


def _check_names(cls: type, names: Iterable[str]) -> None:
    """Fail at import when a column meant to mirror a model field no longer has one."""
    fields = {a.name for a in attrs.fields(cls)}
    missing = [n for n in names if n not in fields]
    if missing:  # pragma: no cover - a field renamed in the model
        msg = f"{cls.__name__} has no fields {missing}"
        raise AttributeError(msg)


_KEYS = (
    _c("path", "string", "文件", "the file the form was read from (null for in-memory input)"),
    _c("format", "string", "格式", "the file format (pdf, docx, xlsx, html, text, …)"),
    _c("form_index", "int", "表序号", "0-based index of the form in its file"),
    _c("structure", "string", "结构来源", "table, recovered (rebuilt from flat text) or ocr"),
    _c("pdf_backend", "string", "PDF读取", "pdfium or pdfminer for a PDF, else null"),
    _c("kind", "string", "表类型", "project (项目支出) or department (部门整体支出)"),
    _c("year", "int", "年度", "the year the form evaluates"),
    _c("title", "string", "标题", "the form's title as printed"),
    _c("project_name", "string", "项目名称", "header: 项目名称"),
    _c("project_code", "string", "项目编码", "header: 项目编码 (text: codes keep leading zeros)"),
    _c("supervisor", "string", "主管部门", "header: 主管部门"),
    _c("implementer", "string", "实施单位", "header: 实施单位"),
    _c("budget_unit", "string", "预算单位", "header: 预算单位"),
)
"""The columns every table starts with: which form a row belongs to."""
KEY_COLUMNS = tuple(c.name for c in _KEYS)
"""The names of the columns every table starts with."""
_check_names(model.Source, ("path", "format", "form_index", "structure", "pdf_backend"))
_check_names(model.Header, ("project_name", "project_code", "supervisor", "implementer"))


def _value_columns(side: Literal["target", "actual"]) -> tuple[Column, ...]:
    zh = "年度指标值" if side == "target" else "实际完成值"
    what = "the target (年度指标值)" if side == "target" else "the actual value (实际完成值)"
    return (
        _c(f"{side}_raw", "string", f"{zh}", f"{what} as written"),
        _c(f"{side}_kind", "string", f"{zh}类型", "comparison, change, range, deadline, …"),
        _c(f"{side}_op", "string", f"{zh}比较符", "=, >, >=, < or <="),
        _c(f"{side}_value", "figure", f"{zh}数值", "the figure stated"),
        _c(f"{side}_upper", "figure", f"{zh}上限", "the upper end of a range"),
        _c(f"{side}_unit", "string", f"{zh}单位", "the unit of the figure (%, 场, 万元, …)"),
        _c(f"{side}_ratio", "ratio", f"{zh}比率", "a percentage as a ratio (95% → 0.95)"),
        _c(f"{side}_date", "date", f"{zh}日期", "a complete date (2023-12-31)"),
        _c(
            f"{side}_date_partial",
            "string",
            f"{zh}日期(不完整)",
            "a date without a year or day, ISO 8601 style (--12-31, 2023-06); null when"
            " the date is complete",
        ),
    )


_check_names(model.Value, ("raw", "kind", "op", "value", "upper", "unit", "ratio", "date"))

_INDICATORS = Table(
    "indicators",
    "绩效指标",
    (
        *_KEYS,
        _c("row_index", "int", "指标行号", "0-based index of the indicator in its form"),
        _c(
            "part_index",
            "int",
            "分项序号",
            "null on the indicator's own row; 0, 1, … on the rows of its numbered parts",
        ),
        _c("level1", "string", "一级指标", "level-1 label (产出指标, 效益指标, …)"),
        _c("level1_points", "figure", "一级指标分值", "points a level-1 label states (50分)"),
        _c("level2", "string", "二级指标", "level-2 label (数量指标, 质量指标, …)"),
        _c("name", "string", "三级指标", "the indicator's (or the part's) name"),
        *_value_columns("target"),
        *_value_columns("actual"),
        _c("weight", "figure", "分值", "the indicator's weight; null on part rows"),
        _c("score", "figure", "得分", "the indicator's score; null on part rows"),
        _c("attained", "bool", "是否完成", "was the target met (null: cannot tell)"),
        _c("note", "string", "偏差原因", "the note column (偏差原因分析及改进措施)"),
        _c("goal", "string", "绩效目标", "the goal it sits under (forms with goal sub-tables)"),
        _c("where", "string", "位置", "the row it was read from (line 19, p.2 r7)"),
    ),
)

_FUNDING = Table(
    "funding",
    "资金情况",
    (
        *_KEYS,
        _c("unit", "string", "金额单位", "the money unit the form states (money is in yuan)"),
        _c("label", "string", "资金项目", "the row label as printed"),
        _c("role", "string", "资金类别", "total, current_appropriation, carryover, other, …"),
        _c("initial_budget", "money", "年初预算数", "initial budget, yuan"),
        _c("annual_budget", "money", "全年预算数", "annual budget, yuan"),
        _c("executed", "money", "全年执行数", "executed, yuan"),
        _c("weight", "figure", "分值", "the line's weight"),
        _c("execution_rate", "ratio", "执行率", "executed / budget as stated, a ratio"),
        _c("score", "figure", "得分", "the line's score"),
    ),
)
_check_names(model.FundingLine, _FUNDING.names[len(_KEYS) + 1 :])

_FORMS = Table(
    "forms",
    "自评表",
    (
        *_KEYS,
        _c("funding_unit", "string", "金额单位", "the money unit the form states"),
        _c("initial_budget", "money", "年初预算数", "the total funding line's, yuan"),
        _c("annual_budget", "money", "全年预算数", "the total funding line's, yuan"),
        _c("executed", "money", "全年执行数", "the total funding line's, yuan"),
        _c("execution_rate", "ratio", "预算执行率", "the total funding line's, as stated"),
        _c("funding_weight", "figure", "资金分值", "the total funding line's weight"),
        _c("funding_score", "figure", "资金得分", "the total funding line's score"),
        _c("indicator_count", "int", "指标数", "indicators in the form (parts not counted)"),
        _c("indicator_weight", "figure", "指标分值合计", "sum of the indicator weights stated"),
        _c("indicator_score", "figure", "指标得分合计", "sum of the indicator scores stated"),
        _c("total_weight", "figure", "总分值", "the total row's weight"),
        _c("total_score", "figure", "总得分", "the total row's score"),
        _c("grade", "string", "评价等级", "the grade word printed (优, 良, …)"),
        _c("checks", "int", "审核项数", "checks run on the form"),
        _c("checks_failed", "int", "未通过审核数", "checks the form fails"),
        _c("warnings", "int", "警告数", "diagnostics of severity warning"),
        _c("goal_planned", "string", "预期目标", "the planned goal text"),
        _c("goal_actual", "string", "实际完成情况", "the goal's actual text"),
    ),
)

_CHECKS = Table(
    "checks",
    "审核结果",
    (
        *_KEYS,
        _c("check_index", "int", "审核序号", "0-based index of the check in its form"),
        _c("code", "string", "审核代码", "the rule (execution_rate, weights_total, …)"),
        _c("ok", "bool", "是否通过", "does the form hold to the rule"),
        _c("message", "string", "说明", "what was checked, in Chinese"),
        _c("message_en", "string", "说明(英文)", "the same in English (Check.message)"),
        _c("expected", "figure", "应为", "the figure the rule gives"),
        _c("stated", "figure", "表中填报", "the figure the form states"),
    ),
)
_check_names(model.Check, ("code", "ok", "message", "expected", "stated"))

_DIAGNOSTICS = Table(
    "diagnostics",
    "解析诊断",
    (
        *_KEYS,
        _c("diagnostic_index", "int", "诊断序号", "0-based index of the diagnostic in its form"),
        _c("code", "string", "诊断代码", "what was inferred or not read (docs/diagnostics.md)"),
        _c("severity", "string", "级别", "info, warning or error"),
        _c("message", "string", "说明", "what happened, with the label or figure"),
        _c("where", "string", "位置", "where in the form"),
    ),
)
_check_names(model.Diagnostic, _DIAGNOSTICS.names[-4:])

TABLES: Mapping[str, Table] = MappingProxyType(
    {t.name: t for t in (_INDICATORS, _FUNDING, _FORMS, _CHECKS, _DIAGNOSTICS)}
)
"""Table name → its declared :class:`Table`, in the order ``docs/schema.md`` lists them."""

# -- Arrow ---------------------------------------------------------------------


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "Arrow tables need pyarrow: pip install 'jixiao_parser[parquet]'"
        raise ImportError(msg) from exc
    return pa


def _arrow_type(pa: Any, type_: ColumnType) -> Any:
    if type_ in ("money", "figure"):
        return pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)
    return {
        "string": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "ratio": pa.float64(),
        "date": pa.date32(),
    }[type_]


def arrow_schema(table: str) -> Any:
    """The ``pyarrow.Schema`` of ``table`` (needs pyarrow), with the schema
    version and the table name in its metadata.

    >>> schema = arrow_schema("funding")
    >>> str(schema.field("executed").type), str(schema.field("execution_rate").type)
    ('decimal128(38, 10)', 'double')
    >>> schema.metadata[b"jixiao.schema"], schema.metadata[b"jixiao.table"]
    (b'jixiao/1', b'funding')
    """
    pa = _pyarrow()
    t = _table(table)
    return pa.schema(
        [pa.field(c.name, _arrow_type(pa, c.type)) for c in t.columns],
        metadata={"jixiao.schema": t.schema_id, "jixiao.table": t.name},
    )


def _table(name: str) -> Table:
    t = TABLES.get(name)
    if t is None:
        msg = f"table must be one of {', '.join(TABLES)}; not {name!r}"
        raise ValueError(msg)
    return t


_MAX_INTEGER_DIGITS = DECIMAL_PRECISION - DECIMAL_SCALE


def fits_decimal(x: Decimal) -> bool:
    """Does ``x`` fit ``decimal128(38, 10)`` exactly? (Worked out from its digits,
    not with decimal arithmetic, which would round past 28 digits.)

    >>> fits_decimal(Decimal("440307210701500003094")), fits_decimal(Decimal("0.00000000001"))
    (True, False)
    >>> fits_decimal(Decimal("-9999999999999999999999999999.9999999999"))
    True
    """
    if not x.is_finite():
        return False
    _, digits, exponent = x.as_tuple()
    assert isinstance(exponent, int)
    if not any(digits):
        return True
    zeros = len(digits) - len(bytes(digits).rstrip(b"\0"))  # trailing zeros of the coefficient
    scale = -(exponent + zeros)
    return scale <= DECIMAL_SCALE and x.adjusted() + 1 <= _MAX_INTEGER_DIGITS


def arrow_table(rows: list[dict[str, Any]], table: str) -> Any:
    """Typed rows (as :func:`jixiao_parser.export.typed_rows` gives them) as a
    ``pyarrow.Table`` of the declared schema.

    A figure that does not fit ``decimal128(38, 10)`` raises
    :class:`~jixiao_parser.errors.TableError` naming the file, the column and
    the figure; nothing is converted before every figure is checked.

    >>> from decimal import Decimal
    >>> row = dict.fromkeys(TABLES["funding"].names)
    >>> arrow_table([{**row, "executed": Decimal("349200.5")}], "funding")["executed"][0]
    <pyarrow.Decimal128Scalar: Decimal('349200.5000000000')>
    >>> arrow_table([{**row, "path": "a.pdf", "executed": Decimal("1E+40")}], "funding")
    Traceback (most recent call last):
    jixiao_parser.errors.TableError: a.pdf: executed 1E+40 does not fit decimal(38, 10) ...
    """
    pa = _pyarrow()
    t = _table(table)
    schema = arrow_schema(table)
    decimals = t.of_type("money", "figure")
    for row in rows:
        for name in decimals:
            x = row[name]
            if x is not None and not fits_decimal(x):
                msg = (
                    f"{name} {x} does not fit decimal({DECIMAL_PRECISION}, {DECIMAL_SCALE}) (at"
                    f" most {_MAX_INTEGER_DIGITS} digits before the point and {DECIMAL_SCALE}"
                    " after it); write JSON or CSV, which keep it exact"
                )
                raise TableError(row["path"] or "<input>", msg)
    arrays = []
    for c, field in zip(t.columns, schema, strict=True):
        values = [row[c.name] for row in rows]
        if c.type == "ratio":
            values = [None if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


# -- docs ----------------------------------------------------------------------


def schema_markdown() -> str:
    """The tables of ``docs/schema.md`` that list the columns, made from :data:`TABLES`.

    >>> print(schema_markdown().splitlines()[0])
    ### `indicators` (绩效指标)
    """
    out: list[str] = []
    keys = {c.name for c in _KEYS}
    for t in TABLES.values():
        out += [f"### `{t.name}` ({t.zh})", ""]
        out += ["| column | type | 中文 | meaning |", "|---|---|---|---|"]
        for c in t.columns:
            if c.name in keys:
                continue
            out.append(f"| `{c.name}` | {c.type} | {c.zh} | {c.doc} |")
        out.append("")
    return "\n".join(out)


def _date_columns(value: str | None) -> tuple[datetime.date | None, str | None]:
    """A ``Value.date`` as (complete date, partial date text): one of them or neither.

    >>> _date_columns("2023-12-31"), _date_columns("--12-31"), _date_columns(None)
    ((datetime.date(2023, 12, 31), None), (None, '--12-31'), (None, None))
    >>> _date_columns("20231231"), _date_columns("2023-02-30")
    ((None, '20231231'), (None, '2023-02-30'))
    """
    if value is None:
        return None, None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # YYYY-MM-DD, nothing else
        try:
            return datetime.date.fromisoformat(value), None
        except ValueError:  # 2023-02-30: not a day
            pass
    return None, value
