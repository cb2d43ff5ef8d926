"""The model's dict form: ``to_dict()`` made from the fields, ``from_dict()`` its inverse,
the ``Literal`` closed sets, and the column lists derived from the fields."""

from __future__ import annotations

import json
import shutil
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_cases import ROOT, case_dirs, case_id, case_input
from jixiao_parser import model, parse_all, parse_text, to_rows, vocab
from jixiao_parser.cli import main
from jixiao_parser.diagnostics import DIAGNOSTICS
from jixiao_parser.export import FUNDING_COLUMNS, INDICATOR_COLUMNS
from jixiao_parser.model import (
    Check,
    CheckCode,
    Diagnostic,
    DiagnosticCode,
    Funding,
    FundingLine,
    FundingRole,
    GoalItem,
    Goals,
    Header,
    Indicator,
    Leftover,
    Op,
    Part,
    Report,
    ReportKind,
    Source,
    Total,
    Value,
    ValueKind,
)
from jixiao_parser.readers import FORMATS, sniff_format
from jixiao_parser.schema import json_schema
from jixiao_parser.tables import TABLES

CASES = case_dirs()
RENDITIONS = ROOT / "corpus" / "renditions"
HAVE_OFFICE = shutil.which("soffice") is not None


def _renditions() -> list[Any]:
    params = []
    for path in sorted(RENDITIONS.glob("*/*")):
        if path.name in ("NOTE.md", "layout.json"):
            continue
        fmt = sniff_format(path.read_bytes())
        marks = []
        if fmt not in FORMATS:
            marks.append(pytest.mark.skip(reason=f"no {fmt} reader"))
        elif FORMATS[fmt].startswith("office:") and not HAVE_OFFICE:
            marks.append(pytest.mark.skip(reason=f"{fmt} needs LibreOffice, not installed here"))
        params.append(pytest.param(path, id=f"{path.parent.name}.{path.suffix[1:]}", marks=marks))
    return params


def _assert_round_trips(report: Report) -> None:
    d = report.to_dict()
    assert Report.from_dict(d) == report
    back = Report.from_dict(json.loads(report.to_json()))
    assert back == report
    assert back.to_dict() == d


# -- from_dict(to_dict()) over the corpus ----------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_report_of_a_case_comes_back_from_its_dict(case: Path) -> None:
    reports = parse_all(case_input(case))
    assert reports
    for report in reports:
        _assert_round_trips(report)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_golden_file_of_a_case_reads_back_to_the_same_dicts(case: Path) -> None:
    golden = json.loads((case / "golden.json").read_text(encoding="utf-8"))
    assert [Report.from_dict(d).to_dict() for d in golden] == golden


@pytest.mark.parametrize("path", _renditions())
def test_every_report_of_a_rendition_comes_back_from_its_dict(path: Path) -> None:
    reports = parse_all(path)
    assert reports
    for report in reports:
        _assert_round_trips(report)


def test_a_changed_figure_gives_a_different_report() -> None:
    # the round trip compares whole reports: one figure off must show
    report = parse_all(case_input(CASES[0]))[0]
    d = report.to_dict()
    d["total"]["score"] = 1 if d["total"]["score"] != 1 else 2
    assert Report.from_dict(d) != report


# -- to_dict: keys, order and numbers as before -----------------------------------------


def _sample_report() -> Report:
    target = Value("≥10场", "comparison", op=">=", value=Decimal("10"), unit="场")
    part = Part("活动", Value("2场", "comparison", op="=", value=Decimal("2"), unit="场"), None)
    indicator = Indicator(
        "产出指标", Decimal("50"), "数量指标", "场次", target,
        Value("30%-50%", "range", value=Decimal("30"), upper=Decimal("50"), unit="%",
              ratio=Decimal("0.3"), items=(Value("—", "empty", placeholder=True),)),
        weight=Decimal("20.0"), score=Decimal("19.50"), parts=(part,), attained=True,
        extra={"指标性质": "定量"}, where="line 9", goal="年度绩效目标1",
    )  # fmt: skip
    return Report(
        kind="project",
        title="项目支出绩效自评表",
        year=2023,
        source=Source(None, "pdf", 0, pages=(2, 3)),
        header=Header(project_name="示例", fields={"项目名称": "示例", "联系电话": None}),
        funding=Funding(
            unit="万元",
            lines=(
                FundingLine(
                    "年度资金总额",
                    "total",
                    annual_budget=Decimal("1100000.00"),
                    executed=Decimal("965043.97"),
                    execution_rate=Decimal("0.8773"),
                    extra={"备注": "—"},
                ),
            ),
        ),
        goals=Goals(planned="目标", items=(GoalItem("年度绩效目标1", Decimal("40"), "目标"),)),
        indicators=(indicator,),
        total=Total(Decimal("100"), Decimal("99.43"), "优"),
        footer={"评价结论": "优"},
        checks=(Check("scores_total", True, "ok", expected=Decimal("99.430"), stated=None),),
        diagnostics=(Diagnostic("level2_inferred", "info", "inferred", "line 9"),),
        leftover=(Leftover("备注", "total line 10"),),
    )


SAMPLE_JSON = (
    '{"schema": "jixiao/1", "kind": "project", "title": "项目支出绩效自评表", "year": 2023, '
    '"source": {"path": null, "format": "pdf", "form_index": 0, "pages": [2, 3], "structure": "table", "pdf_backend": null}, '
    '"header": {"project_name": "示例", "project_code": null, "supervisor": null, '
    '"implementer": null, "budget_unit": null, "fields": {"项目名称": "示例", "联系电话": null}, "where": {}}, '
    '"funding": {"unit": "万元", "lines": [{"label": "年度资金总额", "role": "total", '
    '"initial_budget": null, "annual_budget": 1100000, "executed": 965043.97, "weight": null, '
    '"execution_rate": 0.8773, "score": null, "extra": {"备注": "—"}, "where": null}]}, '
    '"goals": {"planned": "目标", "actual": null, "items": [{"label": "年度绩效目标1", "points": 40, "text": "目标", "where": null}]}, '
    '"indicators": [{"level1": "产出指标", "level1_points": 50, "level2": "数量指标", "name": "场次", '
    '"target": {"raw": "≥10场", "kind": "comparison", "op": ">=", "value": 10, "upper": null, "unit": "场", '
    '"ratio": null, "subject": null, "approx": null, "date": null, "items": [], "placeholder": false, "where": null, "unit_inherited": false}, '
    '"actual": {"raw": "30%-50%", "kind": "range", "op": null, "value": 30, "upper": 50, "unit": "%", '
    '"ratio": 0.3, "subject": null, "approx": null, "date": null, "items": [{"raw": "—", "kind": "empty", '
    '"op": null, "value": null, "upper": null, "unit": null, "ratio": null, "subject": null, "approx": null, '
    '"date": null, "items": [], "placeholder": true, "where": null, "unit_inherited": false}], "placeholder": false, "where": null, "unit_inherited": false}, '
    '"weight": 20, "score": 19.5, "note": null, "parts": [{"name": "活动", "target": {"raw": "2场", '
    '"kind": "comparison", "op": "=", "value": 2, "upper": null, "unit": "场", "ratio": null, '
    '"subject": null, "approx": null, "date": null, "items": [], "placeholder": false, "where": null, "unit_inherited": false}, "actual": null, '
    '"attained": null}], "attained": true, "extra": {"指标性质": "定量"}, "where": "line 9", '
    '"goal": "年度绩效目标1"}], '
    '"total": {"weight": 100, "score": 99.43, "grade": "优"}, "footer": {"fields": {"评价结论": "优"}}, '
    '"checks": [{"code": "scores_total", "ok": true, "message": "ok", "expected": 99.43, "stated": null}], '
    '"diagnostics": [{"code": "level2_inferred", "severity": "info", "message": "inferred", "where": "line 9"}], '
    '"leftover": [{"text": "备注", "where": "total line 10"}]}'
)


def test_to_json_writes_every_key_in_its_order_and_numbers_exactly() -> None:
    assert _sample_report().to_json(indent=None) == SAMPLE_JSON


def test_the_sample_report_comes_back_from_its_json() -> None:
    _assert_round_trips(_sample_report())


def test_a_nested_to_dict_is_the_object_in_its_parent() -> None:
    report = _sample_report()
    assert report.indicators[0].to_dict() == report.to_dict()["indicators"][0]
    assert report.funding.lines[0].to_dict()["extra"] == {"备注": "—"}


def test_to_dict_copies_dicts() -> None:
    report = _sample_report()
    d = report.to_dict()
    d["header"]["fields"]["项目名称"] = "改"
    d["footer"]["fields"].clear()
    assert report.header.fields["项目名称"] == "示例" and report.footer == {"评价结论": "优"}


# -- from_dict: what it refuses, what it fills in ---------------------------------------


def _sample_dict() -> dict[str, Any]:
    d: dict[str, Any] = json.loads(SAMPLE_JSON)
    return d


def test_from_dict_names_an_unknown_key_and_its_class() -> None:
    d = _sample_dict()
    d["indicators"][0]["target"]["colour"] = "red"
    with pytest.raises(
        ValueError,
        match=r"^Report\.indicators\[0\]\.target: unknown key 'colour' \(not a field of Value\)$",
    ):
        Report.from_dict(d)


def test_from_dict_refuses_an_unknown_top_level_key() -> None:
    with pytest.raises(
        ValueError, match=r"^Report: unknown key 'extra' \(not a field of Report\)$"
    ):
        Report.from_dict({**_sample_dict(), "extra": {}})


def test_from_dict_refuses_another_schema() -> None:
    with pytest.raises(ValueError, match="schema must be 'jixiao/1', got 'jixiao/2'"):
        Report.from_dict({**_sample_dict(), "schema": "jixiao/2"})


def test_from_dict_takes_a_dict_without_the_schema_key() -> None:
    d = _sample_dict()
    del d["schema"]
    assert Report.from_dict(d) == _sample_report()


def test_from_dict_names_a_missing_key_without_default() -> None:
    d = _sample_dict()
    del d["title"]
    with pytest.raises(ValueError, match=r"^Report: missing key 'title' for Report$"):
        Report.from_dict(d)


def test_from_dict_fills_a_missing_key_with_its_default() -> None:
    d = _sample_dict()
    del d["leftover"], d["indicators"][0]["parts"], d["header"]["fields"]
    report = Report.from_dict(d)
    assert report.leftover == () and report.indicators[0].parts == () and report.header.fields == {}


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda d: d.update(year="2023"), TypeError, r"^Report\.year: expected an integer, got str '2023'$"),
        (lambda d: d["total"].update(score="99.43"), TypeError, r"^Report\.total\.score: expected a finite number"),
        (lambda d: d["total"].update(score=True), TypeError, r"^Report\.total\.score: expected a finite number, got bool"),
        (lambda d: d["total"].update(score=float("nan")), TypeError, r"^Report\.total\.score: expected a finite number"),
        (lambda d: d["indicators"][0].update(attained="yes"), TypeError, r"^Report\.indicators\[0\]\.attained: expected true or false"),
        (lambda d: d["source"].update(pages=[1]), TypeError, r"^Report\.source\.pages: expected an array of 2"),
        (lambda d: d.update(indicators={}), TypeError, r"^Report\.indicators: expected an array"),
        (lambda d: d.update(header=[]), TypeError, r"^Report\.header: expected an object for Header"),
        (lambda d: d["header"]["fields"].update({"备注": 3}), TypeError, r"^Report\.header\.fields\['备注'\]: expected a string"),
        (lambda d: d.update(footer={"fields": {}, "notes": []}), ValueError, r"^Report\.footer: unknown key 'notes'$"),
        (lambda d: d.update(footer={}), ValueError, r"^Report\.footer: missing key 'fields'$"),
        (lambda d: d.update(kind="city"), ValueError, r"^Report: Report\.kind must be one of department, project; got 'city'$"),
        (lambda d: d["funding"]["lines"][0].update(role="bonus"), ValueError, r"^Report\.funding\.lines\[0\]: FundingLine\.role must be one of"),
        (lambda d: d["diagnostics"][0].update(severity="fatal"), ValueError, r"^Report\.diagnostics\[0\]: diagnostic 'level2_inferred' is registered as info, not fatal$"),
        (lambda d: d["checks"][0].update(code="sums"), ValueError, r"^Report\.checks\[0\]: Check\.code must be one of"),
    ],
    ids=[
        "year-as-text", "number-as-text", "bool-as-number", "nan", "attained-as-text",
        "one-page", "indicators-as-object", "header-as-array", "header-field-as-number",
        "footer-extra-key", "footer-without-fields", "unknown-kind", "unknown-role",
        "unknown-severity", "unknown-check-code",
    ],
)  # fmt: skip
def test_from_dict_names_the_place_of_a_wrong_value(
    change: Any, error: type[Exception], message: str
) -> None:
    d = _sample_dict()
    change(d)
    with pytest.raises(error, match=message):
        Report.from_dict(d)


def test_from_dict_refuses_what_is_not_an_object() -> None:
    with pytest.raises(TypeError, match=r"^Report: expected an object for Report, got list"):
        Report.from_dict([])  # type: ignore[arg-type]


def test_from_dict_reads_json_numbers_as_exact_decimals() -> None:
    line = FundingLine.from_dict(
        {"label": "合计", "role": "total", "executed": 965043.97, "weight": 10}
    )
    assert line.executed == Decimal("965043.97") and line.executed.as_tuple().exponent == -2
    assert line.weight == Decimal(10) and isinstance(line.weight, Decimal)


def test_value_kind_is_not_checked_when_read() -> None:
    # Value is built for every cell: its kind and op are left unchecked (a
    # registered kind the Literal does not name still reads back)
    assert Value.from_dict({"raw": "x", "kind": "ratio_band"}).kind == "ratio_band"


# a decimal of up to 15 significant digits survives a float: to_dict writes no more
fifteen_digits = st.builds(
    lambda digits, exponent, negative: Decimal(
        (int(negative), tuple(int(c) for c in str(digits)), exponent)
    ),
    st.integers(0, 10**15 - 1),
    st.integers(-12, 6),
    st.booleans(),
)


@given(fifteen_digits)
def test_a_decimal_of_up_to_fifteen_digits_comes_back_exactly_through_json(x: Decimal) -> None:
    value = Value("x", "comparison", value=x)
    back = Value.from_dict(json.loads(json.dumps(value.to_dict())))
    assert back.value == x


# -- whole random reports -----------------------------------------------------------


def _sampled(alias: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(typing.get_args(alias))


_text = st.text(max_size=4)
_opt_text = st.none() | _text
_opt_dec = st.none() | fifteen_digits
_leaf_values = st.builds(
    Value, raw=_text, kind=_sampled(ValueKind), op=st.none() | _sampled(Op), value=_opt_dec,
    upper=_opt_dec, unit=_opt_text, ratio=_opt_dec, subject=_opt_text, approx=_opt_text,
    date=_opt_text, placeholder=st.booleans(),
)  # fmt: skip
_values = st.builds(
    Value, raw=_text, kind=_sampled(ValueKind), value=_opt_dec,
    items=st.lists(_leaf_values, max_size=2).map(tuple),
) | _leaf_values  # fmt: skip


def _tuples(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, max_size=2).map(tuple)


_reports = st.builds(
    Report,
    kind=_sampled(ReportKind),
    title=_opt_text,
    year=st.none() | st.integers(1990, 2100),
    source=st.builds(Source, path=_opt_text, format=_text, form_index=st.integers(0, 9),
                     pages=st.none() | st.tuples(st.integers(1, 99), st.integers(1, 99))),
    header=st.builds(Header, project_name=_opt_text, project_code=_opt_text, supervisor=_opt_text,
                     implementer=_opt_text, budget_unit=_opt_text,
                     fields=st.dictionaries(_text, _opt_text, max_size=2)),
    funding=st.builds(Funding, unit=_opt_text, lines=_tuples(st.builds(
        FundingLine, label=_text, role=_sampled(FundingRole), initial_budget=_opt_dec,
        annual_budget=_opt_dec, executed=_opt_dec, weight=_opt_dec, execution_rate=_opt_dec,
        score=_opt_dec, extra=st.dictionaries(_text, _text, max_size=2)))),
    goals=st.builds(Goals, planned=_opt_text, actual=_opt_text,
                    items=_tuples(st.builds(GoalItem, label=_text, points=_opt_dec, text=_opt_text))),
    indicators=_tuples(st.builds(
        Indicator, level1=_opt_text, level1_points=_opt_dec, level2=_opt_text, name=_opt_text,
        target=_values, actual=_values, weight=_opt_dec, score=_opt_dec, note=_opt_text,
        parts=_tuples(st.builds(Part, name=_opt_text, target=st.none() | _values,
                                actual=st.none() | _values, attained=st.none() | st.booleans())),
        attained=st.none() | st.booleans(), extra=st.dictionaries(_text, _text, max_size=2),
        where=_opt_text, goal=_opt_text)),
    total=st.builds(Total, weight=_opt_dec, score=_opt_dec, grade=_opt_text),
    footer=st.dictionaries(_text, _opt_text, max_size=2),
    checks=_tuples(st.builds(Check, code=_sampled(CheckCode), ok=st.booleans(), message=_text,
                             expected=_opt_dec, stated=_opt_dec)),
    diagnostics=_tuples(st.builds(
        lambda code, message, where: Diagnostic(code, DIAGNOSTICS[code].severity, message, where),
        _sampled(DiagnosticCode), _text, _opt_text)),
    leftover=_tuples(st.builds(Leftover, text=_text, where=_text)),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_reports)
def test_any_report_comes_back_from_its_json(report: Report) -> None:
    _assert_round_trips(report)


# -- closed sets ----------------------------------------------------------------------


def test_funding_roles_are_the_vocabulary_rows_and_unknown() -> None:
    assert set(typing.get_args(FundingRole)) == {*vocab.FUNDING_ROWS.values(), "unknown"}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Report.from_dict({**_sample_dict(), "kind": "unit"}), "Report.kind"),
        (lambda: FundingLine("合计", "bonus"), "FundingLine.role"),
        (lambda: Check("sum", True, "…"), "Check.code"),
    ],
    ids=["report-kind", "funding-role", "check-code"],
)
def test_a_closed_set_refuses_another_word_when_built(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.") + " must be one of"):
        build()


def test_every_check_code_of_the_corpus_is_a_check_code() -> None:
    # the converter would raise while parsing; this pins that the corpus sees several
    codes = {c.code for case in CASES for r in parse_all(case_input(case)) for c in r.checks}
    assert codes <= set(typing.get_args(CheckCode)) and len(codes) >= 5


# -- the schema renders Literal types as enums ---------------------------------------------


def test_the_schema_lists_each_closed_set_as_an_enum() -> None:
    schema = json_schema()
    defs = schema["$defs"]
    assert schema["properties"]["kind"] == {"type": "string", "enum": ["project", "department"]}
    assert defs["FundingLine"]["properties"]["role"]["enum"] == list(typing.get_args(FundingRole))
    assert defs["Value"]["properties"]["kind"]["enum"] == [
        "comparison", "change", "range", "deadline", "duration", "qualitative", "compound", "empty",
    ]  # fmt: skip
    assert defs["Value"]["properties"]["op"] == {
        "anyOf": [{"type": "string", "enum": ["=", ">", ">=", "<", "<="]}, {"type": "null"}]
    }
    assert defs["Diagnostic"]["properties"]["severity"]["enum"] == ["info", "warning", "error"]
    assert defs["Diagnostic"]["properties"]["code"]["enum"] == list(typing.get_args(DiagnosticCode))
    assert defs["Check"]["properties"]["code"]["enum"] == list(typing.get_args(CheckCode))


def test_the_schema_shapes_the_report_as_to_dict_does() -> None:
    schema = json_schema()
    assert next(iter(schema["properties"])) == "schema"
    assert schema["properties"]["footer"]["required"] == ["fields"]
    assert list(schema["properties"]) == list(_sample_report().to_dict())


def test_the_schema_defines_every_model_class_a_report_holds() -> None:
    objects = {name: getattr(model, name) for name in model.__all__}
    classes = {name for name, obj in objects.items() if isinstance(obj, type) and attrs.has(obj)}
    assert set(json_schema()["$defs"]) == classes - {"Report"}
    assert len(classes) == 14


def test_the_schema_takes_registered_value_kinds() -> None:
    report = _sample_report().to_dict()
    report["indicators"][0]["target"]["kind"] = "ratio_band"  # a kind the registry adds
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid(report)
    kinds = [*typing.get_args(ValueKind), "ratio_band"]
    schema = json_schema(value_kinds=kinds)
    assert schema["$defs"]["Value"]["properties"]["kind"]["enum"] == kinds
    jsonschema.Draft202012Validator(schema).validate(report)


def test_the_schema_refuses_a_string_for_value_kinds() -> None:
    with pytest.raises(TypeError, match="sequence of strings"):
        json_schema(value_kinds="comparison")


def test_the_schema_rejects_a_word_outside_a_closed_set() -> None:
    report = _sample_report().to_dict()
    report["funding"]["lines"][0]["role"] = "bonus"
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid(report)


# -- export: rows from reports read back ---------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_to_rows_takes_reports_read_back_from_a_jsonl_file(case: Path, tmp_path: Path) -> None:
    reports = parse_all(case_input(case))
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(r.to_json(indent=None) + "\n" for r in reports), encoding="utf-8")
    with path.open(encoding="utf-8") as f:
        loaded = [json.loads(line) for line in f]
    for table in ("indicators", "funding"):
        want = to_rows(reports, table)
        assert to_rows([Report.from_dict(d) for d in loaded], table) == want
        assert to_rows(loaded, table) == want


def test_to_rows_takes_the_jsonl_the_cli_writes(tmp_path: Path) -> None:
    source = case_input(CASES[0])
    out = tmp_path / "out.jsonl"
    assert main(["parse", str(source), "--format", "jsonl", "-o", str(out), "--quiet"]) == 0
    with out.open(encoding="utf-8") as f:
        rows = to_rows(json.loads(line) for line in f)
    assert rows == to_rows(parse_all(source)) and rows


def test_to_rows_refuses_a_dict_that_is_not_a_report() -> None:
    with pytest.raises(ValueError, match="missing key"):
        to_rows([{"schema": "jixiao/1"}])


def test_the_export_columns_are_as_before() -> None:
    # the columns users see stay as they were, but for the value dates, which
    # split into complete dates (date32) and partial ones (text)
    form = ("path", "format", "form_index", "structure", "pdf_backend", "kind", "year", "title", "project_name",
            "project_code", "supervisor", "implementer", "budget_unit")  # fmt: skip
    value = ("raw", "kind", "op", "value", "upper", "unit", "ratio", "date", "date_partial")
    assert INDICATOR_COLUMNS == (
        *form, "row_index", "part_index", "level1", "level1_points", "level2", "name",
        *(f"target_{f}" for f in value), *(f"actual_{f}" for f in value),
        "weight", "score", "attained", "note", "goal", "where",
    )  # fmt: skip
    assert FUNDING_COLUMNS == (
        *form, "unit", "label", "role", "initial_budget", "annual_budget", "executed", "weight",
        "execution_rate", "score",
    )  # fmt: skip


def test_the_declared_column_types_follow_the_field_types() -> None:
    fits = {Decimal: {"money", "figure", "ratio"}, int: {"int"}, bool: {"bool"}, str: {"string"}}
    sources = {
        "indicators": [("", model.Source), ("", model.Report), ("", model.Header), ("", model.Indicator),
                       ("target_", model.Value), ("actual_", model.Value)],
        "funding": [("", model.Source), ("", model.Report), ("", model.Header), ("", model.FundingLine)],
        "checks": [("", model.Source), ("", model.Report), ("", model.Header), ("", model.Check)],
        "diagnostics": [("", model.Source), ("", model.Report), ("", model.Header), ("", model.Diagnostic)],
    }  # fmt: skip
    compared = 0
    for table, classes in sources.items():
        declared = {c.name: c.type for c in TABLES[table].columns}
        for prefix, cls in classes:
            hints = typing.get_type_hints(cls)
            for a in attrs.fields(cls):
                name = prefix + a.name
                if name not in declared or (table == "checks" and a.name == "message"):
                    continue  # checks.message is the Chinese one; message_en is the field
                if cls is model.Header and a.name == "where":
                    continue  # where header fields were read; the column is the row's
                hint = hints[a.name]
                args = [t for t in typing.get_args(hint) if t is not type(None)]
                if typing.get_origin(hint) is typing.Literal or (
                    args and typing.get_origin(args[0]) is typing.Literal
                ):
                    hint = str
                elif args:
                    (hint,) = args
                if a.name == "date":  # ISO text in the model: date32 or partial text
                    assert declared[name] == "date", name
                else:
                    assert declared[name] in fits[hint], (table, name, declared[name], hint)
                compared += 1
    assert compared > 60
    ratios = {c.name for t in TABLES.values() for c in t.columns if c.type == "ratio"}
    assert ratios == {"target_ratio", "actual_ratio", "execution_rate"}


def test_parse_text_reports_round_trip_too() -> None:
    (report,) = parse_text("项目支出绩效自评表\n(2023年度)\n项目名称\t示例项目\n")
    _assert_round_trips(report)


def test_a_located_value_is_the_value_with_its_where() -> None:
    import attrs as _attrs

    from jixiao_parser import parse_value

    for text in ("≥95%", "1.活动2场 2.讲座3场", "—", "不适用", "下降5%"):
        value = parse_value(text)
        located = value.at("line 3 col 4")
        assert located == _attrs.evolve(value, where="line 3 col 4")
        assert value.where is None  # the cached value is not changed
        assert located.at("line 3 col 4") is located
        with pytest.raises(_attrs.exceptions.FrozenInstanceError):
            located.where = "elsewhere"  # type: ignore[misc]
