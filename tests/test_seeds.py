"""The facts issue #2 names for the two seed forms, checked against the seeds in shared/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao_parser import parse

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SEED_000 = SEEDS / "seed_000" / "000_f4fd78449f7adfd3.txt"
SEED_003 = SEEDS / "seed_003" / "003_83db39a3659af481.txt"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside the repo")
@pytest.mark.parametrize("path", [SEED_000, SEED_003], ids=["000", "003"])
def test_corpus_seeds_are_unchanged_copies(path: Path) -> None:
    assert path.read_bytes() == (SHARED / path.name).read_bytes()


def test_seed_000_funding_total_and_indicators() -> None:
    r = parse(SEED_000)
    assert len(r.indicators) == 8
    total = r.funding.lines[0]
    assert (total.role, total.initial_budget, total.annual_budget, total.executed) == (
        "total", Decimal("1100000"), Decimal("991403"), Decimal("965043.97"),
    )  # fmt: skip
    assert total.execution_rate == Decimal("0.9735")
    assert total.score == Decimal("9.73")
    assert r.total.score == Decimal("99.43")
    assert r.total.weight == Decimal("100")


def test_seed_000_realignment_is_marked() -> None:
    r = parse(SEED_000)
    assert [i.level2 for i in r.indicators[:2]] == ["数量指标", "数量指标"]
    inferred = [d for d in r.diagnostics if d.code == "level2_inferred"]
    assert [d.where for d in inferred] == [r.indicators[0].where, r.indicators[1].where]
    # the row starting at column 0 keeps its name, and the 质量指标 label shifted
    # into the level-3 column is read as the level-2 label
    assert r.indicators[7].name == "法律咨询讲座或活动服务对象满意度"
    assert r.indicators[2].level2 == "质量指标"
    assert r.indicators[2].name == "项目支出符合协会财务制度规定"
    assert any(
        d.code == "row_realigned" and d.where == r.indicators[7].where for d in r.diagnostics
    )


def test_seed_000_goals_joined_across_the_page_break() -> None:
    goals = parse(SEED_000).goals
    assert goals.planned is not None and goals.actual is not None
    assert goals.planned.startswith("1、为失独家庭提供关怀服务。")
    assert goals.planned.endswith("切实维护育龄群众和计划生育家庭合法权益。")
    assert "扩大选择范围，实现计生协与社会力量的共融发展。" in goals.actual
    assert goals.actual.endswith("实现专业服务和群众需求的精准对接。")
    assert "<p>" not in goals.planned + goals.actual and "</p>" not in goals.actual


def test_seed_003_header_and_total() -> None:
    r = parse(SEED_003)
    assert r.header.project_code == "440307210701500003094"
    assert r.year == 2023
    assert len(r.indicators) == 10
    assert r.total.score == Decimal("99.89")
    assert r.header.fields["绩效自评年度"] == "2023"


def test_seed_003_numbered_parts() -> None:
    r = parse(SEED_003)
    by_level2 = {i.level2: i for i in r.indicators}
    quantity, timing = by_level2["数量指标"], by_level2["时效指标"]
    assert len(quantity.parts) == 3
    assert len(timing.parts) == 5
    assert [p.target.value for p in quantity.parts if p.target] == [100, 2, 17]
    assert [p.actual.value for p in quantity.parts if p.actual] == [100, 2, 26]
    assert [p.target.date for p in timing.parts if p.target] == [
        "--03-30", None, "--09-30", "--09-30", "--11-30",
    ]  # fmt: skip
    assert quantity.target.kind == "compound" and len(quantity.target.items) == 3
    assert quantity.level1_points == 50


def test_seed_003_keeps_not_applicable_rows() -> None:
    r = parse(SEED_003)
    economic = next(i for i in r.indicators if i.level2 == "经济效益指标")
    assert economic.actual.raw == "不适用"
    assert (economic.weight, economic.score) == (Decimal(0), Decimal(0))


def test_nothing_left_over_on_the_seeds() -> None:
    for path in (SEED_000, SEED_003):
        assert parse(path).leftover == ()
