"""The audit page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

The page is made from every form of the corpus. It must load with no request
but its own file, show every form, sort and filter its table, open a form's
drill-down (seed 000's execution-rate inconsistency visible there) and draw
something. Skipped when Chromium or Playwright is missing; CI installs both
(``.ci/run``: the ``chromium`` package; the ``test`` extra: ``playwright``,
which is pointed at that binary, never at a browser of its own download).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("jinja2", reason="the report extra (Jinja2) is not installed")
pytest.importorskip("vl_convert", reason="the report extra (vl-convert-python) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from chromium import CHROMIUM, chromium_context  # noqa: E402
from jixiao_parser import parse_many  # noqa: E402
from jixiao_parser.report import render  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = str(ROOT / "corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt")

pytestmark = pytest.mark.skipif(
    not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)),
    reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set JIXIAO_CHROMIUM)",
)


class Corpus:
    """Every form of the corpus, as the parser reads them, and the page made of them."""

    def __init__(self, page_path: Path) -> None:
        files = sorted(str(p) for p in (ROOT / "corpus").rglob("*") if p.is_file())
        results = list(parse_many(files, workers=2))
        self.reports = [r for res in results for r in res.reports]
        failures = [res for res in results if res.error and res.error.type != "UnsupportedFormat"]
        assert not failures, failures
        self.keys = [f"{r.source.path}#{r.source.form_index}" for r in self.reports]
        page_path.write_text(render(self.reports), encoding="utf-8")
        self.url = page_path.as_uri()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("report") / "audit.html")


@pytest.fixture(scope="module")
def browser_context() -> Iterator[Any]:
    with (
        sync_api.sync_playwright() as p,
        chromium_context(p, viewport={"width": 1280, "height": 900}) as context,
    ):
        yield context


class Opened:
    """A page of the browser with every request and console error it made."""

    def __init__(self, context: Any, url: str) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        # anything but the page itself is refused (and recorded above)
        self.page.route(
            "**/*", lambda route: route.continue_() if route.request.url == url else route.abort()
        )
        self.page.goto(url)

    def visible_keys(self) -> list[str]:
        keys: list[str] = self.page.eval_on_selector_all(
            "#forms tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.key)"
        )
        return keys


@pytest.fixture
def opened(browser_context: Any, corpus: Corpus) -> Iterator[Opened]:
    view = Opened(browser_context, corpus.url)
    yield view
    view.page.close()


def test_loads_with_no_request_and_shows_every_form(opened: Opened, corpus: Corpus) -> None:
    page = opened.page
    assert len(corpus.keys) > 500  # the whole corpus: every seed, case, rendition and shape
    assert opened.visible_keys() == corpus.keys
    assert page.text_content("#n-forms") == str(len(corpus.keys))
    names = page.eval_on_selector_all(
        "#forms tbody tr td:nth-child(2)", "c => c.map(x => x.innerText)"
    )
    for report, shown in zip(corpus.reports, names, strict=True):
        assert report.header.project_name is None or report.header.project_name in shown
    # the three charts are drawn, inline
    assert page.eval_on_selector_all("#charts figure svg", "s => s.length") == 3
    page.click(f'#forms tr[data-key="{SEED_000}#0"] a[data-open]')
    page.wait_for_selector("#detail[open]")
    assert opened.requests == [corpus.url]
    assert opened.errors == []


def _column(page: Any, col: int) -> list[str]:
    values: list[str] = page.eval_on_selector_all(
        f"#forms tbody tr td:nth-child({col})", "cells => cells.map(c => c.dataset.v)"
    )
    return values


def test_sorting(opened: Opened, corpus: Corpus) -> None:
    page = opened.page
    page.click("#forms th:nth-child(6)")  # 执行率
    assert page.get_attribute("#forms th:nth-child(6)", "aria-sort") == "ascending"
    rates = _column(page, 6)
    filled = [float(v) for v in rates if v]
    assert filled == sorted(filled)
    assert rates[len(filled) :] == [""] * (len(rates) - len(filled))  # no rate: last
    assert sorted(opened.visible_keys()) == sorted(corpus.keys)
    page.click("#forms th:nth-child(6)")
    assert page.get_attribute("#forms th:nth-child(6)", "aria-sort") == "descending"
    filled = [float(v) for v in _column(page, 6) if v]
    assert filled == sorted(filled, reverse=True)
    page.click("#forms th:nth-child(7)")  # 自评总分
    scores = [float(v) for v in _column(page, 7) if v]
    assert scores == sorted(scores)
    assert scores[0] == min(
        float(r.total.score) for r in corpus.reports if r.total.score is not None
    )
    page.click("#forms th:nth-child(2)")  # 项目: text, in Chinese collation
    assert page.get_attribute("#forms th:nth-child(2)", "aria-sort") == "ascending"
    assert page.get_attribute("#forms th:nth-child(6)", "aria-sort") is None


def test_filtering(opened: Opened, corpus: Corpus) -> None:
    page = opened.page
    page.fill("#q", "seed_000")
    expected = [k for k in corpus.keys if "seed_000" in k]
    assert len(expected) > 5  # the seed, its renditions' shapes …
    assert opened.visible_keys() == expected
    assert page.text_content("#shown") == f"显示 {len(expected)} / {len(corpus.keys)} 张表"
    page.fill("#q", "")
    page.select_option("#check", "execution_rate")
    failing = [
        k
        for k, r in zip(corpus.keys, corpus.reports, strict=True)
        if any(c.code == "execution_rate" and not c.ok for c in r.checks)
    ]
    assert failing and opened.visible_keys() == failing
    page.select_option("#check", "*")
    any_failing = [
        k
        for k, r in zip(corpus.keys, corpus.reports, strict=True)
        if not all(c.ok for c in r.checks)
    ]
    assert opened.visible_keys() == any_failing
    # high score on low spending: the total line's rate under 80%, a total of 90 or more (of 100)
    page.select_option("#check", "generous")
    generous = [k for k, r in zip(corpus.keys, corpus.reports, strict=True) if _generous(r)]
    assert generous and opened.visible_keys() == generous
    page.select_option("#check", "")
    page.select_option("#year", "2021")
    in_2021 = [k for k, r in zip(corpus.keys, corpus.reports, strict=True) if r.year == 2021]
    assert in_2021 and opened.visible_keys() == in_2021
    page.select_option("#year", "")
    assert opened.visible_keys() == corpus.keys


def _generous(report: Any) -> bool:
    """The rule docs/report.md states: the form's rate (its total funding line's, or
    its only line's; stated, else executed / budget) under 80%, and its total score
    90 or more on a scale of 100 (score × 100 / total weight, for a weight not 100)."""
    lines = report.funding.lines
    total = next((ln for ln in lines if ln.role == "total"), lines[0] if len(lines) == 1 else None)
    score, weight = report.total.score, report.total.weight
    if total is None or score is None:
        return False
    if weight and weight != 100:
        score = score * 100 / weight
    rate = total.execution_rate
    budget = total.annual_budget or total.initial_budget
    if rate is None and total.executed is not None and budget:
        rate = total.executed / budget
    return rate is not None and rate < Decimal("0.8") and score >= 90


def test_seed_000_drill_down_shows_its_execution_rate_inconsistency(opened: Opened) -> None:
    page = opened.page
    page.click(f'#forms tr[data-key="{SEED_000}#0"] a[data-open]')
    dialog = page.locator("#detail")
    dialog.wait_for(state="visible")
    assert page.text_content("#detail-title") == "计生特殊家庭帮扶及权益维护"
    assert SEED_000 in (page.text_content("#detail-source") or "")
    # 965043.97 / 991403 = 0.97341…, the form states 97.35%: flagged on the rate cell
    cell = page.locator('#detail-funding tbody tr:first-child td[data-field="rate"]')
    assert "bad" in (cell.get_attribute("class") or "")
    assert cell.is_visible()
    text = cell.inner_text()
    assert "97.35%" in text and "执行率不符" in text and "0.9734" in text
    box = cell.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert page.locator("#detail-checks li").all_inner_texts() == [
        "执行率不符：年度资金总额: executed 965043.97 / budget 991403 = 0.9734, form states 0.9735"
    ]
    assert page.locator("#detail-indicators tbody tr").count() == 9  # 8 indicators + 总分
    page.click("#detail .close button")
    dialog.wait_for(state="hidden")


def test_full_marks_list_opens_its_form(opened: Opened) -> None:
    page = opened.page
    link = page.locator('#full-marks a[data-open]:text("石桥镇河道整治")').first
    link.click()
    page.locator("#detail").wait_for(state="visible")
    flagged = page.locator('#detail-indicators td.bad[data-field="score"]')
    assert flagged.count() >= 1
    assert "未达标却得满分" in flagged.first.inner_text()


def test_screenshot_is_not_blank(opened: Opened) -> None:
    image_module = pytest.importorskip("PIL.Image")
    stat_module = pytest.importorskip("PIL.ImageStat")
    png = opened.page.screenshot()
    image = image_module.open(io.BytesIO(png)).convert("L")
    stat = stat_module.Stat(image)
    assert image.size == (1280, 900)
    assert stat.stddev[0] > 20  # text, cards and charts, not one flat colour
    assert len(image.getcolors(maxcolors=1 << 16) or ()) > 50
