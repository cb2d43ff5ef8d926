"""parse_many, flat exports, the parse CLI over many files, and the JSON Schema."""

from __future__ import annotations

import csv
import gc
import io
import json
import pickle
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema
import pandas as pd
import pytest

from jixiao_parser import (
    JixiaoError,
    Source,
    parse_all,
    parse_many,
    to_csv,
    to_dataframe,
    to_rows,
    write_parquet,
)
from jixiao_parser.cli import main
from jixiao_parser.export import FUNDING_COLUMNS, INDICATOR_COLUMNS
from jixiao_parser.readers import ocr
from jixiao_parser.schema import json_schema, shipped_schema

ROOT = Path(__file__).resolve().parent.parent
TEXT_CASES = sorted(ROOT.glob("corpus/cases/*/form.txt")) + sorted(
    ROOT.glob("corpus/seeds/*/*.txt")
)
SEED_003 = ROOT / "corpus" / "seeds" / "seed_003" / "003_83db39a3659af481.txt"


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    bad_pdf = tmp_path / "broken.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    files = [*TEXT_CASES[:6], bad_pdf, *TEXT_CASES[6:10], image]
    docx = ROOT / "corpus" / "renditions" / "seed_000" / "seed_000.docx"
    return [*files, docx]


def test_parse_many_keeps_input_order_and_records_each_failure_once(batch: list[Path]) -> None:
    results = list(parse_many(batch, workers=2))
    assert [r.path for r in results] == [str(p) for p in batch]
    failed = [r for r in results if not r.ok]
    assert [Path(r.path).name for r in failed] == ["broken.pdf", "scan.png"]
    # the image is a scan: a damaged one with the [ocr] extra, one to OCR without it
    scan = "CorruptDocument" if ocr.available() else "NeedsOCR"
    assert {r.error.type for r in failed if r.error} == {"CorruptDocument", scan}
    for r, path in zip(results, batch, strict=True):
        if r.ok:
            assert [x.to_dict() for x in r.reports] == [x.to_dict() for x in parse_all(path)]


def test_parse_many_one_worker_matches_the_pool(batch: list[Path]) -> None:
    one = [
        (r.path, r.error, [x.to_dict() for x in r.reports]) for r in parse_many(batch, workers=1)
    ]
    two = [
        (r.path, r.error, [x.to_dict() for x in r.reports]) for r in parse_many(batch, workers=2)
    ]
    assert one == two


def test_parse_many_error_policies(batch: list[Path]) -> None:
    assert all(r.ok for r in parse_many(batch, workers=1, on_error="skip"))
    with pytest.raises(JixiaoError, match=r"broken\.pdf"):
        list(parse_many(batch, workers=1, on_error="raise"))
    with pytest.raises(ValueError, match="on_error"):
        list(parse_many(batch, on_error="ignore"))


def test_parse_many_takes_a_generator_lazily() -> None:
    from jixiao_parser.pipeline import CHUNK

    paths = TEXT_CASES * 6
    consumed = []

    def many():  # type: ignore[no-untyped-def]
        for path in paths:
            consumed.append(path)
            yield path

    results = parse_many(many(), workers=2)
    first = next(results)
    assert first.ok and len(consumed) <= (3 * 2 + 1) * CHUNK  # at most 3 × workers chunks in flight
    assert len(list(results)) == len(paths) - 1


def test_indicator_rows_one_per_indicator_or_part() -> None:
    (report,) = parse_all(SEED_003)
    rows = to_rows([report])
    expected = sum(1 + len(i.parts) for i in report.indicators)  # the indicator, then its parts
    assert len(rows) == expected
    assert list(rows[0]) == list(INDICATOR_COLUMNS)
    assert {r["project_code"] for r in rows} == {"440307210701500003094"}
    # line 17 of the seed: three numbered parts, weight 15, score 15
    first, part = rows[0], rows[1]
    assert (first["row_index"], first["part_index"], first["weight"], first["score"]) == (
        0,
        None,
        15,
        15,
    )
    assert (
        part["row_index"],
        part["part_index"],
        part["target_value"],
        part["target_ratio"],
        part["attained"],
        part["weight"],
        part["score"],
    ) == (0, 0, 100, 1, True, None, None)
    funding = to_rows([report], "funding")
    assert [r["role"] for r in funding] == ["total", "current_appropriation", "carryover", "other"]
    assert list(funding[0]) == list(FUNDING_COLUMNS)
    with pytest.raises(ValueError, match="table"):
        to_rows([report], "goals")


def test_csv_dataframe_and_parquet_agree(tmp_path: Path) -> None:
    reports = [r for p in TEXT_CASES[:5] for r in parse_all(p)]
    rows = to_rows(reports)
    frame = to_dataframe(reports)
    assert list(frame.columns) == list(INDICATOR_COLUMNS) and len(frame) == len(rows)
    read = list(csv.DictReader(io.StringIO(to_csv(reports))))
    assert [r["name"] for r in read] == [r["name"] or "" for r in rows]
    out = tmp_path / "rows.parquet"
    assert write_parquet(reports, str(out)) == len(rows)
    back = pd.read_parquet(out)
    assert back["name"].tolist() == [r["name"] for r in rows]
    weights = [None if pd.isna(w) else w for w in back["weight"]]  # exact decimals
    assert weights == [None if r["weight"] is None else Decimal(str(r["weight"])) for r in rows]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "parquet"])
def test_cli_formats_read_back_like_to_rows(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ROOT / "corpus" / "cases"
    out = tmp_path / f"out.{fmt}"
    # the forms only: a case's NOTE.md and golden.json name labels enough to be
    # reported as forms whose structure is lost
    forms = str(folder / "*" / "form.txt")
    code = main(["parse", forms, "-j", "2", "--format", fmt, "-o", str(out), "--quiet"])
    assert code == 0
    reports = [r for p in sorted(folder.rglob("form.txt")) for r in parse_all(p)]
    rows = to_rows(reports)
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert len(data) == len(reports)
    elif fmt == "jsonl":
        data = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(data) == len(reports)
    elif fmt == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbfpath,")  # a BOM for Excel
        read = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert len(read) == len(rows)
        assert sorted((r["path"], r["row_index"], r["part_index"]) for r in read) == sorted(
            (
                r["path"],
                str(r["row_index"]),
                "" if r["part_index"] is None else str(r["part_index"]),
            )
            for r in rows
        )
    else:
        assert len(pd.read_parquet(out)) == len(rows)


def test_cli_reports_failures_as_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    errors = tmp_path / "errors.jsonl"
    code = main(["parse", str(broken), str(SEED_003), "--format", "jsonl", "--errors", str(errors)])
    assert code == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    (record,) = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert record["path"] == str(broken) and record["type"] == "CorruptDocument"
    assert "2 files, 1 forms; 1 CorruptDocument" in captured.err


def test_cli_globs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pattern = str(ROOT / "corpus" / "seeds" / "*" / "*.txt")
    assert main(["parse", pattern, "--quiet"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_parquet_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED_003), "--format", "parquet"]) == 2


def test_schema_is_generated_shipped_and_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert shipped_schema() == json_schema(), "regenerate data/jixiao-1.schema.json"
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()


GOLDENS = sorted(ROOT.glob("corpus/*/*/golden.json"))


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.parent.name)
def test_every_golden_validates_against_the_schema(golden: Path) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for report in json.loads(golden.read_text(encoding="utf-8")):
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        assert not errors, f"{list(errors[0].path)}: {errors[0].message}"


def test_schema_rejects_a_wrong_report() -> None:
    report = json.loads(GOLDENS[0].read_text(encoding="utf-8"))[0]
    report["indicators"][0]["weight"] = "twenty"
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid(report)


def test_reports_and_results_pickle_back_equal_as_field_tuples() -> None:
    # parse_many sends every result between processes: it must come back whole
    from jixiao_parser.pipeline import ErrorRecord, ParseResult

    for path in TEXT_CASES:
        result = ParseResult(str(path), tuple(parse_all(path)))
        data = pickle.dumps(result)
        assert pickle.loads(data) == result
        assert b"form_index" not in data and b"leftover" not in data  # no field names
    failed = ParseResult("x.pdf", error=ErrorRecord("CorruptDocument", "x.pdf: broken"))
    assert pickle.loads(pickle.dumps(failed)) == failed


@attrs.frozen
class _Tagged(Source):
    tag: str = ""


def test_a_subclass_of_a_model_class_pickles_as_itself() -> None:
    back = pickle.loads(pickle.dumps(_Tagged("a.txt", "text", 0, tag="x")))
    assert type(back) is _Tagged and back.tag == "x"


def test_pool_results_unpickle_with_the_collector_paused_and_restored() -> None:
    from jixiao_parser.pipeline import _parse_one, _unpickle

    result = _parse_one(str(SEED_003))
    data = pickle.dumps((0, result))  # a worker's message: (input index, result)
    assert _unpickle(data) == (0, result)
    assert gc.isenabled()
    with pytest.raises(pickle.UnpicklingError):
        _unpickle(b"not a pickle")
    assert gc.isenabled()  # enabled again after a failure
    gc.disable()
    try:
        _unpickle(data)
        assert not gc.isenabled()  # a caller's own setting is left alone
    finally:
        gc.enable()
