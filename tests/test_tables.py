"""The declared table schemas (jixiao_parser.tables) and every writer that uses them."""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

from corpus_cases import ROOT, case_dirs, case_id, case_input
from jixiao_parser import (
    Report,
    TableError,
    parse,
    parse_all,
    parse_text,
    to_csv,
    to_dataframe,
    to_rows,
    write_csv,
    write_parquet,
    write_xlsx,
)
from jixiao_parser.checks import MESSAGES, _reader, chinese_message
from jixiao_parser.cli import main
from jixiao_parser.export import to_arrow, typed_rows
from jixiao_parser.tables import TABLES, arrow_schema, fits_decimal, schema_markdown
from test_model import _reports

SEED_000 = ROOT / "corpus" / "seeds" / "seed_000" / "000_f4fd78449f7adfd3.txt"
SEED_003 = ROOT / "corpus" / "seeds" / "seed_003" / "003_83db39a3659af481.txt"
CASES = case_dirs()


@pytest.fixture(scope="module")
def corpus() -> list[Report]:
    return [r for case in CASES for r in parse_all(case_input(case))]


# -- one schema for every writer -----------------------------------------------------------


@pytest.mark.parametrize("table", list(TABLES))
def test_every_writer_gives_the_declared_schema(
    table: str, corpus: list[Report], tmp_path: Path
) -> None:
    schema = arrow_schema(table)
    assert to_arrow(corpus, table).schema.equals(schema, check_metadata=True)
    assert to_arrow([], table).schema.equals(schema, check_metadata=True)
    out = tmp_path / "t.parquet"
    rows = write_parquet(corpus, out, table)
    assert rows == len(to_rows(corpus, table)) > 0
    assert pq.read_schema(out).equals(schema, check_metadata=True)
    frame = to_dataframe(corpus, table)
    assert list(frame.columns) == list(TABLES[table].names)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        f.name: str(pd.ArrowDtype(f.type)) for f in schema
    }
    header = next(csv.reader(io.StringIO(to_csv(corpus, table))))
    assert header == list(TABLES[table].names)


def test_the_declared_types() -> None:
    schema = arrow_schema("indicators")
    types = {f.name: f.type for f in schema}
    assert types["weight"] == pa.decimal128(38, 10)
    assert types["target_ratio"] == pa.float64()
    assert types["target_date"] == pa.date32()
    assert types["target_date_partial"] == pa.string()
    assert types["attained"] == pa.bool_()
    assert types["part_index"] == pa.int64()
    funding = {f.name: f.type for f in arrow_schema("funding")}
    assert {funding[c] for c in ("initial_budget", "annual_budget", "executed")} == {
        pa.decimal128(38, 10)
    }
    assert funding["execution_rate"] == pa.float64()
    assert schema.metadata == {b"jixiao.schema": b"jixiao/1", b"jixiao.table": b"indicators"}


def test_parquet_files_of_a_sparse_and_a_full_form_read_back_as_one_dataset(
    tmp_path: Path,
) -> None:
    # seed 003 states no complete date and has no grade; fam2_shenzhen_a a date
    sparse = parse(SEED_003)
    full = parse(ROOT / "corpus" / "cases" / "fam2_shenzhen_a" / "form.txt")
    sparse_rows, full_rows = to_rows([sparse]), to_rows([full])
    assert all(r["target_date"] is None for r in sparse_rows)
    assert any(r["target_date"] is not None for r in full_rows)
    folder = tmp_path / "indicators"
    folder.mkdir()
    write_parquet([sparse], folder / "a.parquet")
    write_parquet([full], folder / "b.parquet")
    dataset = ds.dataset(folder, format="parquet")
    assert dataset.schema.equals(arrow_schema("indicators"), check_metadata=True)
    table = dataset.to_table()
    assert table.num_rows == len(sparse_rows) + len(full_rows)
    assert table.schema.field("weight").type == pa.decimal128(38, 10)
    dates = [d for d in table["target_date"].to_pylist() if d is not None]
    assert dates and all(isinstance(d, datetime.date) for d in dates)
    # and the forms table, whose grade and dates differ the same way
    write_parquet([sparse], tmp_path / "f1.parquet", "forms")
    write_parquet([full], tmp_path / "f2.parquet", "forms")
    forms = ds.dataset([str(tmp_path / "f1.parquet"), str(tmp_path / "f2.parquet")]).to_table()
    assert forms.schema.equals(arrow_schema("forms"), check_metadata=True)
    assert forms["executed"].to_pylist()[0] == Decimal("5658097.55")  # line 9 of seed 003


def _with_executed(figure: str) -> Report:
    """Seed 003 with its total line's executed amount replaced by ``figure``."""
    text = SEED_003.read_text(encoding="utf-8")
    assert text.count("5658097.55") == 2  # the total line and 当年财政拨款
    (report,) = parse_text(text.replace("5658097.55", figure, 1))
    return attrs.evolve(report, source=attrs.evolve(report.source, path="wide.txt"))


def test_a_21_digit_amount_is_written_exactly(tmp_path: Path) -> None:
    report = _with_executed("123456789012345678901.55")
    assert report.funding.lines[0].executed == Decimal("123456789012345678901.55")
    out = tmp_path / "funding.parquet"
    write_parquet([report], out, "funding")
    assert pq.read_table(out)["executed"][0].as_py() == Decimal("123456789012345678901.55")
    assert to_csv([report], "funding").splitlines()[1].split(",")[-4] == "123456789012345678901.55"
    assert to_dataframe([report], "forms")["executed"][0] == Decimal("123456789012345678901.55")


def test_a_figure_too_wide_for_decimal_is_refused_before_writing(tmp_path: Path) -> None:
    report = _with_executed("12345678901234567890000000000")  # 29 digits before the point
    assert report.funding.lines[0].executed == Decimal("12345678901234567890000000000")
    out = tmp_path / "funding.parquet"
    with pytest.raises(TableError, match=r"wide\.txt: executed .* does not fit decimal\(38, 10\)"):
        write_parquet([report], out, "funding")
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file left
    # CSV keeps it exact
    assert ",12345678901234567890000000000," in to_csv([report], "funding")


def test_figures_beyond_28_digits_stay_exact_in_csv_and_fit_arrow_to_the_last_digit() -> None:
    # read back from JSON, a figure keeps every digit (no decimal arithmetic rounds it)
    data = parse(SEED_003).to_dict()
    widest = "-9999999999999999999999999999.9999999999"  # 28 + 10 digits: decimal128(38, 10)
    data["funding"]["lines"][0]["executed"] = 10**39 + 7  # 40 digits
    data["funding"]["lines"][1]["executed"] = Decimal(widest)
    assert ",1000000000000000000000000000000000000007," in to_csv([data], "funding")
    with pytest.raises(TableError, match="executed 1000000000000000000000000000000000000007"):
        to_arrow([data], "funding")
    data["funding"]["lines"][0]["executed"] = 1
    assert to_arrow([data], "funding")["executed"][1].as_py() == Decimal(widest)


def test_the_cli_reports_a_figure_too_wide_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SEED_003.read_text(encoding="utf-8").replace(
        "5658097.55", "12345678901234567890000000000", 1
    )
    source = tmp_path / "wide.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.parquet"
    code = main(
        ["parse", str(source), "--format", "parquet", "--table", "funding", "-o", str(out), "-q"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "does not fit decimal(38, 10)" in err and "Traceback" not in err
    assert not out.exists()


@settings(max_examples=60, deadline=None)
@given(_reports)
def test_any_report_is_written_exactly_or_refused_with_a_table_error(report: Report) -> None:
    for table in TABLES:
        rows = typed_rows([report], table)
        figures = [
            row[c] for row in rows for c in TABLES[table].of_type("money", "figure")
            if row[c] is not None
        ]  # fmt: skip
        if all(fits_decimal(x) for x in figures):
            arrow = to_arrow([report], table)
            assert arrow.schema.equals(arrow_schema(table), check_metadata=True)
            for name in TABLES[table].of_type("money", "figure"):
                assert arrow[name].to_pylist() == [row[name] for row in rows]
        else:
            with pytest.raises(TableError):
                to_arrow([report], table)
        # CSV holds any figure exactly; the weights sum right
        read = list(csv.DictReader(io.StringIO(to_csv([report], table))))
        assert len(read) == len(rows)
    weights = [r["weight"] for r in typed_rows([report]) if r["weight"] is not None]
    assert sorted(weights) == sorted(i.weight for i in report.indicators if i.weight is not None)


@settings(max_examples=20, deadline=None)
@given(_reports)
def test_any_report_makes_a_workbook(report: Report) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.xlsx"
        counts = write_xlsx([report], path)
        wb = openpyxl.load_workbook(path)
        assert [wb[name].max_row for name in TABLES] == [counts[name] + 1 for name in TABLES]
        assert counts == {name: len(to_rows([report], name)) for name in TABLES}


# -- rows that sum right ---------------------------------------------------------------------


def test_seed_003_weights_add_up_to_the_forms_90() -> None:
    # the issue: seed 003's indicator weights add up to 90 (10 for funding makes 100)
    rows = to_rows([parse(SEED_003)])
    assert sum(r["weight"] or 0 for r in rows) == 90
    assert sum(r["score"] or 0 for r in rows) == 90


def test_summing_weight_over_the_indicator_table_gives_the_forms_weights(
    corpus: list[Report],
) -> None:
    rows = typed_rows(corpus)
    from_rows = sum((r["weight"] for r in rows if r["weight"] is not None), Decimal(0))
    from_forms = sum(
        (i.weight for report in corpus for i in report.indicators if i.weight is not None),
        Decimal(0),
    )
    assert from_rows == from_forms > 0
    scores = sum((r["score"] for r in rows if r["score"] is not None), Decimal(0))
    assert scores == sum(
        (i.score for report in corpus for i in report.indicators if i.score is not None),
        Decimal(0),
    )
    # form by form too, and the forms table says the same
    forms = typed_rows(corpus, "forms")
    for report, form in zip(corpus, forms, strict=True):
        mine = [
            r for r in rows if (r["path"], r["form_index"]) == (form["path"], form["form_index"])
        ]
        stated = [i.weight for i in report.indicators if i.weight is not None]
        assert sum((r["weight"] or 0 for r in mine), Decimal(0)) == sum(stated, Decimal(0))
        assert form["indicator_weight"] == (sum(stated, Decimal(0)) if stated else None)
    # and in pandas, as an analyst sums it
    assert to_dataframe(corpus)["weight"].sum() == from_forms


def test_part_rows_point_to_their_indicator_and_carry_no_weight(corpus: list[Report]) -> None:
    rows = typed_rows(corpus)
    indicators = {
        (r["path"], r["form_index"], r["row_index"]): r for r in rows if r["part_index"] is None
    }
    parts = [r for r in rows if r["part_index"] is not None]
    assert parts, "the corpus has numbered parts"
    assert len(indicators) == sum(len(r.indicators) for r in corpus)
    for part in parts:
        owner = indicators[(part["path"], part["form_index"], part["row_index"])]
        assert (part["weight"], part["score"], part["level1_points"], part["note"]) == (None,) * 4
        assert (part["level1"], part["level2"]) == (owner["level1"], owner["level2"])
    # seed 003, line 17: 1.保险覆盖率=100% 2.活动2场 3.活动17场, weight 15
    seed = [r for r in typed_rows([parse(SEED_003)]) if r["row_index"] == 0]
    assert [(r["part_index"], r["target_value"], r["weight"]) for r in seed] == [
        (None, None, Decimal(15)),
        (0, Decimal(100), None),
        (1, Decimal(2), None),
        (2, Decimal(17), None),
    ]


# -- the forms, checks and diagnostics tables ---------------------------------------------------


def test_the_forms_table_of_seed_003() -> None:
    (form,) = to_rows([parse(SEED_003)], "forms")
    # line 9: 年度资金总额 6083000.00 5723064.60 5658097.55 10 98.86 9.89
    assert (form["initial_budget"], form["annual_budget"], form["executed"]) == (
        6083000,
        5723064.6,
        5658097.55,
    )
    assert (form["execution_rate"], form["funding_weight"], form["funding_score"]) == (
        0.9886,
        10,
        9.89,
    )
    assert (form["indicator_count"], form["indicator_weight"], form["total_weight"]) == (
        10,
        90,
        100,
    )
    assert (form["total_score"], form["checks_failed"], form["project_code"]) == (
        99.89,
        0,
        "440307210701500003094",
    )


def test_the_forms_table_counts_failing_checks() -> None:
    # seed 000 states 97.35% for 965,043.97 / 991,403 (= 97.34%)
    (form,) = to_rows([parse(SEED_000)], "forms")
    assert form["checks_failed"] == 1 and form["checks"] > 1


EXPECTED_ZH = {
    "check_execution_rate": "年度资金总额：执行数 190000 ÷ 预算数 200000 = 0.95，表中填报 0.96",
    "check_funding_score": "年度资金总额：分值 10 × 执行率 0.95 = 9.5，表中填报 9.8",
    "check_funding_subtotal": "全年执行数：分项合计 180000，合计行填报 190000",
    "check_score_within_weight": "群众满意度：得分 12，分值 10",
    "check_full_marks_unmet": "受益群众人数：指标未完成却得满分（'≥3000人' → '2800人'）",
    "check_weights_total": "指标分值 + 资金分值 = 100，总分行填报 110",
    "check_scores_total": "指标得分 + 资金得分 = 99.5，总分行填报 98.5",
    "check_level1_points": "产出指标：分值合计 50，标签标明 60分",
}


@pytest.mark.parametrize("case", sorted(EXPECTED_ZH))
def test_failing_checks_in_chinese(case: str) -> None:
    report = parse(ROOT / "corpus" / "cases" / case / "form.txt")
    failing = [r for r in to_rows([report], "checks") if not r["ok"]]
    assert [(r["code"], r["message"]) for r in failing] == [
        (case.removeprefix("check_"), EXPECTED_ZH[case])
    ]


def test_every_code_has_a_chinese_message_and_every_corpus_check_reads(
    corpus: list[Report],
) -> None:
    assert {c.removeprefix("check_") for c in EXPECTED_ZH} == set(MESSAGES)
    checks = [c for r in corpus for c in r.checks]
    assert len(checks) > 300
    for c in checks:
        assert _reader(c.code).match(c.message), c.message  # the English came from the template
        zh = chinese_message(c)
        for word in ("weight", "score", "executed", "budget", "form states", "total"):
            assert word not in zh, (c.message, zh)


def test_the_checks_and_diagnostics_tables() -> None:
    report = parse(SEED_000)
    rows = to_rows([report], "checks")
    assert [r["check_index"] for r in rows] == list(range(len(report.checks)))
    assert [r["message_en"] for r in rows] == [c.message for c in report.checks]
    failing = [r for r in rows if not r["ok"]]
    assert [(r["code"], r["expected"], r["stated"]) for r in failing] == [
        ("execution_rate", 0.9734, 0.9735)
    ]
    diags = to_rows([report], "diagnostics")
    assert [(d["code"], d["severity"], d["where"]) for d in diags] == [
        (d.code, d.severity, d.where) for d in report.diagnostics
    ]


# -- CSV and Excel -----------------------------------------------------------------------------


def test_csv_files_carry_a_bom_and_stdout_does_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = parse(SEED_003)
    assert not to_csv([report]).startswith("\ufeff")
    out = tmp_path / "a.csv"
    assert write_csv([report], out) == len(to_rows([report]))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfpath,format,")
    write_csv([report], out, bom=False)
    assert out.read_bytes().startswith(b"path,format,")
    assert main(["parse", str(SEED_003), "--format", "csv", "--table", "forms", "-q"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("path,format,") and len(printed.splitlines()) == 2
    assert main(["parse", str(SEED_003), "--format", "csv", "-o", str(out), "-q"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["parse", str(SEED_003), "--format", "csv", "-o", str(out), "--no-bom", "-q"]) == 0
    assert out.read_bytes().startswith(b"path,")


@pytest.mark.parametrize("table", ["checks", "diagnostics", "funding"])
def test_the_cli_writes_every_table(
    table: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.parquet"
    assert (
        main(
            ["parse", str(SEED_000), "--format", "parquet", "--table", table, "-o", str(out), "-q"]
        )
        == 0
    )
    assert pq.read_schema(out).equals(arrow_schema(table), check_metadata=True)
    assert pq.read_table(out).num_rows == len(to_rows([parse(SEED_000)], table))


def _sheet_rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_write_xlsx_opens_in_openpyxl(tmp_path: Path) -> None:
    reports = [parse(SEED_000), parse(SEED_003)]
    out = tmp_path / "forms.xlsx"
    counts = write_xlsx(reports, out)
    assert counts == {t: len(to_rows(reports, t)) for t in TABLES}
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(TABLES)
    for name, table in TABLES.items():
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        rows = _sheet_rows(ws)
        assert rows[0] == list(table.names) and len(rows) == counts[name] + 1
        assert ws.column_dimensions["A"].width > 8
    ws = wb["funding"]
    header = [c.value for c in ws[1]]
    total = ws[2 + 4]  # seed 003's total line follows seed 000's four lines
    executed = total[header.index("executed")]
    assert executed.value == pytest.approx(5658097.55) and executed.number_format == "#,##0.00"
    rate = total[header.index("execution_rate")]
    assert rate.value == pytest.approx(0.9886) and rate.number_format == "0.00%"
    forms = wb["forms"]
    fh = [c.value for c in forms[1]]
    assert [r[fh.index("checks_failed")] for r in _sheet_rows(forms)[1:]] == [1, 0]
    assert [r[fh.index("project_code")] for r in _sheet_rows(forms)[1:]][
        1
    ] == "440307210701500003094"


def test_write_xlsx_chinese_headers_and_wide_figures_as_text(tmp_path: Path) -> None:
    wide = _with_executed("123456789012345678901.55")
    out = tmp_path / "zh.xlsx"
    write_xlsx([wide], out, ["funding", "forms"], chinese_headers=True)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["资金情况", "自评表"]
    header = [c.value for c in wb["资金情况"][1]]
    assert header[:3] == ["文件", "格式", "表序号"] and "全年执行数" in header
    cell = wb["资金情况"][2][header.index("全年执行数")]
    assert cell.value == "123456789012345678901.55"  # more than Excel's 15 digits: text, exact


def test_the_cli_writes_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.xlsx"
    assert (
        main(["parse", str(SEED_003), "--format", "xlsx", "-o", str(out), "--zh-headers", "-q"])
        == 0
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [t.zh for t in TABLES.values()]
    assert [c.value for c in wb["自评表"][1]][8] == "项目名称"
    assert list(tmp_path.iterdir()) == [out]  # the temporary file was renamed
    assert main(["parse", str(SEED_003), "--format", "xlsx"]) == 2  # needs -o


# -- docs and repr -------------------------------------------------------------------------------


def test_docs_schema_lists_the_declared_columns() -> None:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert schema_markdown() in text, "paste schema_markdown() into docs/schema.md"


def test_report_repr_is_short() -> None:
    report = parse(SEED_003)
    text = repr(report)
    assert text == (
        "<Report '项目支出绩效自评表' 2023 project='计生协会工作' indicators=10 failing_checks=0>"
    )
    assert "failing_checks=1" in repr(parse(SEED_000))


@pytest.mark.parametrize("case", CASES[:3], ids=case_id)
def test_rows_read_back_from_jsonl_equal(case: Path) -> None:
    reports = parse_all(case_input(case))
    loaded = [json.loads(r.to_json(indent=None)) for r in reports]
    for table in TABLES:
        assert to_rows(loaded, table) == to_rows(reports, table)
