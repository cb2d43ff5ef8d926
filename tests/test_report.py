"""jixiao report: the page's data, the HTML, the charts and the command (no browser here;
tests/test_report_browser.py opens the page in Chromium)."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("jinja2", reason="the report extra (Jinja2) is not installed")
pytest.importorskip("vl_convert", reason="the report extra (vl-convert-python) is not installed")

from jixiao_parser import ErrorRecord, MissingDependency, ParseResult, parse, parse_text
from jixiao_parser.cli import main
from jixiao_parser.report import build, render, write_charts

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = ROOT / "corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt"
SEED_003 = ROOT / "corpus/seeds/seed_003/003_83db39a3659af481.txt"
CASES = ROOT / "corpus" / "cases"


def case(name: str):  # type: ignore[no-untyped-def]
    return parse(CASES / name / "form.txt")


# -- the data ------------------------------------------------------------------------


def test_summary_of_the_seeds_by_hand() -> None:
    # seed 000: 991403 budget, 965043.97 executed, rate 97.35% (stated);
    # seed 003: 5723064.60, 5658097.55, 98.86% (stated, in a 执行率(%) column)
    data = build([parse(SEED_000), parse(SEED_003)])
    s = data.summary
    assert (s.files, s.failed_files, s.forms, s.failing_forms) == (2, 0, 2, 1)
    assert s.budget == Decimal("6714467.60")
    assert s.executed == Decimal("6623141.52")
    assert s.median_rate == (Decimal("0.9735") + Decimal("0.9886")) / 2
    row = data.rows[0]
    assert (row.budget, row.executed, row.rate, row.rate_computed) == (
        Decimal("991403"),
        Decimal("965043.97"),
        Decimal("0.9735"),
        False,
    )
    assert row.unit == "上海市计划生育协会"
    assert row.project == "计生特殊家庭帮扶及权益维护"
    assert (row.year, row.score, row.failing) == (2021, Decimal("99.43"), ("execution_rate",))
    assert data.rows[1].failing == ()


def test_execution_rate_flag_sits_on_the_rate_cell() -> None:
    detail = build([parse(SEED_000)]).details[0]
    assert [c["code"] for c in detail["checks"]] == ["execution_rate"]
    total = detail["lines"][0]
    assert total["label"] == "年度资金总额"
    assert (total["annual"], total["executed"], total["rate"]) == (
        "991,403.00",
        "965,043.97",
        "97.35%",
    )
    assert total["f"] == {"rate": [0]}
    assert all(not line.get("f") for line in detail["lines"][1:])
    assert all(not ind.get("f") for ind in detail["indicators"])
    assert detail["unplaced"] == []
    assert detail["path"].endswith("000_f4fd78449f7adfd3.txt")


def test_full_marks_for_a_missed_target() -> None:
    # NOTE.md of the case: 30 of 30 for 受益群众人数, target ≥3000人, actual 2800人
    data = build([case("check_full_marks_unmet")])
    assert [(m.indicator, m.target, m.actual, m.weight, m.score) for m in data.full_marks] == [
        ("受益群众人数", "≥3000人", "2800人", Decimal("30"), Decimal("30"))
    ]
    flagged = [i for i in data.details[0]["indicators"] if i.get("f")]
    assert [(i["name"], i["f"]) for i in flagged] == [("受益群众人数", {"score": [0]})]


def test_attainment_by_level2_category() -> None:
    # 5.2公里 ≥ 5公里, 100% of 100%, 2800人 < 3000人, 92% ≥ 90%
    data = build([case("check_full_marks_unmet")])
    assert dict((k, (met, n)) for k, met, n in data.attainment) == {
        "数量指标": (1, 1),
        "质量指标": (1, 1),
        "社会效益指标": (0, 1),
        "服务对象满意度指标": (1, 1),
    }
    assert data.attainment[0][0] == "社会效益指标"  # the lowest rate first


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("check_funding_subtotal", ("lines", 0, "executed")),  # the total line's figure
        ("check_level1_points", ("indicators", 0, "level1")),
        ("check_scores_total", ("total", None, "score")),
        ("check_weights_total", ("total", None, "weight")),
        ("check_funding_score", ("lines", 0, "score")),
    ],
)
def test_each_check_is_placed_on_its_figures(name: str, where: tuple) -> None:  # type: ignore[type-arg]
    detail = build([case(name)]).details[0]
    assert len(detail["checks"]) == 1
    part, index, field = where
    holder = detail[part] if index is None else detail[part][index]
    assert holder["f"] == {field: [0]}
    assert detail["unplaced"] == []


def test_traditional_and_glossed_level2_labels_fold_into_one_category() -> None:
    data = build([case("pinyin_glosses")])
    names = {k for k, _, _ in data.attainment}
    assert "数量指标" in names
    assert not any("(" in k or "數" in k for k in names)


def test_failures_are_counted_and_listed() -> None:
    failed = ParseResult("in/bad.pdf", error=ErrorRecord("CorruptDocument", "in/bad.pdf: no PDF"))
    data = build([parse(SEED_003)], [failed, ParseResult("ok.txt")])
    assert (data.summary.files, data.summary.failed_files) == (2, 1)
    assert data.failures == (("in/bad.pdf", "CorruptDocument", "in/bad.pdf: no PDF"),)


# -- the page --------------------------------------------------------------------------


def test_page_has_no_reference_outside_itself() -> None:
    failed = ParseResult("bad.pdf", error=ErrorRecord("CorruptDocument", "bad.pdf: no PDF"))
    page = render([parse(SEED_000), case("check_full_marks_unmet")], [failed])
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # the browser refuses any request
    # no attribute, CSS url() or import that names another resource
    assert not re.search(r"\b(src|href|action|poster|data)\s*=\s*[\"']?(https?:|//)", page, re.I)
    assert not re.search(r"url\(\s*[\"']?(https?:|//)", page, re.I)
    assert "@import" not in page
    assert "<link" not in page
    assert page.count("<svg") == 3
    assert "bad.pdf: no PDF" in page
    assert "计生特殊家庭帮扶及权益维护" in page
    assert "受益群众人数" in page


def test_form_text_cannot_break_out_of_the_page() -> None:
    report = parse_text(
        "项目支出绩效自评表\n项目名称\t<script>alert(1)</script></script>\n实施单位\tA&B<!--\n"
    )[0]
    page = render([report])
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # in the table
    assert "\\u003cscript>alert(1)" in page  # in the drill-down data
    assert "A&amp;B&lt;!--" in page


def test_empty_page() -> None:
    page = render([])
    assert '<dd id="n-forms">0</dd>' in page
    assert '<dd id="median-rate">—</dd>' in page


@pytest.mark.parametrize("module", ["jinja2", "vl_convert"])
def test_missing_extra_is_a_typed_error(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingDependency, match=r"jixiao_parser\[report\]"):
        render([])


# -- charts and the command --------------------------------------------------------------


def test_write_charts(tmp_path: Path) -> None:
    written = write_charts([parse(SEED_000)], tmp_path / "charts")
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"{stem}{ext}"
        for stem in ("execution_rates", "score_vs_rate", "attainment_by_level2")
        for ext in (".svg", ".png", ".vl.json")
    )
    for path in written:
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert path.stat().st_size > 5000
        elif path.suffix == ".svg":
            text = path.read_text(encoding="utf-8")
            assert text.startswith("<svg") and text.rstrip().endswith("</svg>")
    with pytest.raises(ValueError, match="svg and png"):
        write_charts([], tmp_path, formats=("gif",))


def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit.html"
    code = main(["report", str(ROOT / "corpus/seeds"), "-r", "-j", "1", "-o", str(out)])
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert '<dd id="n-forms">2</dd>' in page
    # the two forms and the two NOTE.md (read as text, no form in them); the JSON
    # files are of no known format and skipped, as `jixiao parse` skips them
    assert '<dd id="n-files">4</dd>' in page
    assert '<dd id="n-failed">0</dd>' in page
    assert "4 files, 2 forms, 1 with failed checks" in capsys.readouterr().err


def test_cli_report_lists_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is no PDF")
    out = tmp_path / "audit.html"
    charts = tmp_path / "charts"
    code = main(
        ["report", str(SEED_000), str(bad), "-j", "1", "-o", str(out), "--charts", str(charts)]
    )
    assert code == 1
    page = out.read_text(encoding="utf-8")
    assert '<dd id="n-failed">1</dd>' in page
    assert "broken.pdf" in page
    assert (charts / "score_vs_rate.svg").exists()
    assert "broken.pdf" in capsys.readouterr().err


def test_cli_report_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no" / "such" / "dir" / "audit.html"
    assert main(["report", str(SEED_003), "-j", "1", "-o", str(out)]) == 2
    assert "audit.html" in capsys.readouterr().err
