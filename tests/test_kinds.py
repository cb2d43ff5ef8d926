"""The value-kind registry: every kind is complete, and a new kind is one module
and one list entry."""

from __future__ import annotations

import doctest
import types
from decimal import Decimal

import pytest
import regex

from jixiao_parser import parse_value
from jixiao_parser.model import Value
from jixiao_parser.values.kinds import KINDS, REGISTRY, Judge, Kind, Registry


def kind_problems(kind: Kind) -> list[str]:
    """What a kind lacks: a module whose docstring shows parsing and attainment
    examples, an attainment rule."""
    problems = []
    doc = kind.module.__doc__ if kind.module is not None else None
    examples = doctest.DocTestParser().get_examples(doc or "")
    sources = " ".join(e.source for e in examples)
    if "parse_value(" not in sources and ".parse(" not in sources:
        problems.append(f"{kind.name}: no parsing example in its docstring")
    if "attained(" not in sources:
        problems.append(f"{kind.name}: no attainment example in its docstring")
    if not callable(kind.attained):
        problems.append(f"{kind.name}: no attainment rule")
    return problems


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_has_examples_and_an_attainment_rule(kind: Kind) -> None:
    assert kind_problems(kind) == []


def test_a_kind_without_examples_is_reported() -> None:
    bare = Kind("bare", lambda raw, t: None, None, target_like=False)  # type: ignore[arg-type]
    assert kind_problems(bare) == [
        "bare: no parsing example in its docstring",
        "bare: no attainment example in its docstring",
        "bare: no attainment rule",
    ]


def test_the_registry_order_and_the_catch_all_kind() -> None:
    assert REGISTRY.names == (
        "empty", "compound", "deadline", "change", "duration", "range", "comparison",
        "qualitative",
    )  # fmt: skip
    # the last kind takes any text
    assert REGISTRY["qualitative"].parse("甲", "甲") is not None


def test_kinds_are_named_once() -> None:
    with pytest.raises(ValueError, match="named twice"):
        Registry((*KINDS, KINDS[0]))


def test_the_aligner_asks_the_registry_which_cells_are_target_like() -> None:
    target_like = {k.name for k in KINDS if k.target_like}
    assert target_like == {"compound", "deadline", "change", "duration", "range", "comparison"}
    assert REGISTRY.target_like(parse_value("提高2个百分点"))
    assert not REGISTRY.target_like(parse_value("效果显著"))


def test_an_unknown_target_kind_cannot_be_judged() -> None:
    odd = Value(raw="?", kind="unheard_of")
    assert REGISTRY.attained(odd, parse_value("1")) is None


# -- a toy kind: one module, one list entry ---------------------------------------

_GRADE = regex.compile(r"^(?P<letter>[A-D])级(?P<above>及以上)?$")
toy_module = types.ModuleType(
    "grade",
    """``grade``: a letter grade, A best.

>>> registry.parse("B级及以上").op
'>='
>>> registry.attained(registry.parse("B级及以上"), registry.parse("A级"))
True
""",
)


def _parse_grade(raw: str, t: str) -> Value | None:
    m = _GRADE.match(t)
    if m is None:
        return None
    rank = Decimal("ABCD".index(m.group("letter")) + 1)
    return Value(raw=raw, kind="grade", op=">=" if m.group("above") else "=", value=rank)


def _grade_attained(target: Value, actual: Value, _judge: Judge) -> bool | None:
    if actual.kind != "grade" or target.value is None or actual.value is None:
        return None
    return actual.value <= target.value  # A (1) beats B (2)


GRADE = Kind(
    "grade", _parse_grade, _grade_attained, target_like=True,
    may_match=lambda t: "级" in t, fields=("op", "value"), module=toy_module,
)  # fmt: skip
registry = REGISTRY.with_kind(GRADE, before="comparison")


def test_a_toy_kind_is_complete() -> None:
    assert kind_problems(GRADE) == []
    assert registry.names.index("grade") == registry.names.index("comparison") - 1


def test_a_toy_kind_parses_and_judges() -> None:
    target, actual = registry.parse("B级及以上"), registry.parse("C级")
    assert (target.kind, target.op, target.value) == ("grade", ">=", Decimal(2))
    assert registry.attained(target, actual) is False
    assert registry.attained(target, registry.parse("A级")) is True
    assert registry.target_like(target)
    # the other kinds are untouched, and the default registry does not know the toy
    assert registry.parse("≥95%").kind == "comparison"
    assert REGISTRY.parse("B级").kind == "qualitative"


def test_the_toy_module_examples_run() -> None:
    test = doctest.DocTestParser().get_doctest(
        toy_module.__doc__ or "", {"registry": registry}, "grade", None, 0
    )
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted == 2


def test_the_value_kind_literal_is_the_registry() -> None:
    import typing

    from jixiao_parser.model import ValueKind
    from jixiao_parser.schema import json_schema

    assert set(typing.get_args(ValueKind)) == set(REGISTRY.names)
    enum = json_schema()["$defs"]["Value"]["properties"]["kind"]["enum"]
    assert set(enum) == set(REGISTRY.names)


def _toy_report() -> object:
    """A one-indicator report whose target and actual the toy registry read."""
    from jixiao_parser.model import Funding, Goals, Header, Indicator, Report, Source, Total

    target, actual = registry.parse("B级及以上"), registry.parse("A级")
    indicator = Indicator(
        level1="产出指标", level1_points=None, level2="质量指标", name="验收等级",
        target=target, actual=actual, weight=Decimal(10), score=Decimal(10),
        attained=registry.attained(target, actual),
    )  # fmt: skip
    return Report(
        kind="project", title="项目支出绩效自评表", year=2023,
        source=Source(None, "text", 0), header=Header(), funding=Funding(), goals=Goals(),
        indicators=(indicator,), total=Total(),
    )  # fmt: skip


def test_a_toy_kind_reaches_the_export_columns_and_the_schema() -> None:
    import jsonschema

    from jixiao_parser.export import to_rows
    from jixiao_parser.model import Report
    from jixiao_parser.schema import json_schema

    report = _toy_report()
    assert isinstance(report, Report)
    (row,) = to_rows([report])
    assert (row["target_kind"], row["target_op"], row["target_value"]) == ("grade", ">=", 2)
    assert (row["actual_kind"], row["actual_value"], row["attained"]) == ("grade", 1, True)
    # the schema of the toy registry admits the report; the default one does not
    data = report.to_dict()
    jsonschema.validate(data, json_schema(value_kinds=registry.names))
    with pytest.raises(jsonschema.ValidationError, match="grade"):
        jsonschema.validate(data, json_schema())
    # and the report reads back from its JSON
    assert Report.from_dict(data) == report


# Attainment of change targets, written by hand from the issue: signed changes
# compare as signed; a bare figure is the size of a change in the target's
# direction; a comparison target takes a change actual by its size.
CHANGE_ATTAINMENT = [
    ("提高2个百分点", "提高2.5个百分点", True),
    ("提高2个百分点", "提高1.5个百分点", False),
    ("提高2个百分点", "提高2百分点", True),  # one unit written two ways
    ("下降5%", "下降3%", False),
    ("下降5%", "下降6%", True),
    ("下降5%", "增长12%", False),  # a rise does not reach a fall
    ("增长10%", "12%", True),
    ("增长10%", "12", True),
    ("下降5%", "6%", True),
    ("下降5%", "3%", False),
    ("增幅不低于8%", "增幅7%", False),
    ("降幅不低于5%", "下降5%", True),
    ("降幅不低于5%", "下降4%", False),
    ("增长不超过10%", "增长12%", False),
    ("下降5%", "下降2个百分点", None),  # percent against percentage points
    ("下降5%", "约下降5%", None),  # a hedged actual at the target cannot tell
    ("≥10%", "增长12%", True),
    ("≤5%", "下降3%", True),
]


@pytest.mark.parametrize(("target", "actual", "expected"), CHANGE_ATTAINMENT)
def test_change_attainment(target: str, actual: str, expected: bool | None) -> None:
    assert REGISTRY.attained(parse_value(target), parse_value(actual)) is expected


def test_a_level_named_after_a_direction_word_is_no_change() -> None:
    # "raised to 95%" names the level to reach, not the size of a rise
    for text in ("提升为95%", "提高到95%", "提高达到95%"):
        assert parse_value(text).kind == "comparison", text
    assert parse_value("提高了2个百分点").kind == "change"
    assert parse_value("较上年约增长10%").approx == "约"


def test_the_comparison_pattern_finds_what_its_plain_form_finds() -> None:
    # _COMPARISON looks ahead after the subject for what may follow it (a filler,
    # an operator, a hedge or a figure), so that the lazy subject grows past any
    # other character at once; without the look-ahead it must read alike
    import random

    from jixiao_parser.values.kinds import comparison
    from jixiao_parser.values.words import FILLERS, HEDGES_AFTER, HEDGES_BEFORE, OP_WORDS

    lookahead = regex.search(r"\(\?=\[.*?\]\)", comparison._COMPARISON.pattern)
    assert lookahead is not None
    plain = regex.compile(
        comparison._COMPARISON.pattern.replace(lookahead.group(), "", 1), regex.VERBOSE
    )
    pieces = [*OP_WORDS, *FILLERS, *HEDGES_BEFORE, *HEDGES_AFTER, "万", "亿", "%", "‰", "元/平方米"]
    pieces += ["1", "95", "3,000", "0.5", ".5", "-2", "六十", "一百二十", "两", "场", "人次", "天"]
    pieces += ["满意度", "完成率", "年", "月", "前", "，", "。", "；", ":", "(", ")", "-", "/", " "]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 8))) for _ in range(6000)]
    for text in texts:
        a, b = comparison._COMPARISON.match(text), plain.match(text)
        assert (a and a.groupdict()) == (b and b.groupdict()), text
