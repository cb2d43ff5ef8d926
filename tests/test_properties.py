"""Properties of the value normaliser and the text pipeline."""

from __future__ import annotations

from decimal import Decimal

import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jixiao_parser import JixiaoError, parse_text, parse_value
from jixiao_parser.sections.common import _DASH, _has_space, is_dash
from jixiao_parser.values import normalize_value_text
from jixiao_parser.values.kinds import REGISTRY, comparison, duration
from jixiao_parser.values.kinds import range as range_kind
from jixiao_parser.values.kinds._shared import body
from strategies import names, renderings, to_chinese, typed_values

FORM_WORDS = st.sampled_from(
    ["项目支出绩效自评表", "项目名称", "年初预算数", "全年预算数", "全年执行数", "执行率", "得分",
     "分值", "预算目标", "实际完成情况", "一级指标", "二级指标", "三级指标", "年度指标值",
     "实际完成值", "产出指标", "数量指标", "总分", "合计", "≥95%", "1.活动2场", "—", "<p>",
     "(2021 年度)", "\t", "\n", "\f", "100", "99.43", "项目资金（万元）"]
)  # fmt: skip
form_like_text = st.lists(st.one_of(FORM_WORDS, st.text(max_size=8)), max_size=60).map("".join)


@given(st.text())
def test_normalising_is_idempotent(text: str) -> None:
    once = normalize_value_text(text)
    assert normalize_value_text(once) == once


@given(st.text())
def test_parse_value_never_raises_and_keeps_raw(text: str) -> None:
    value = parse_value(text)
    assert value.raw == text.strip()
    assert value.kind in REGISTRY.names


@given(st.data())
def test_rendered_values_parse_back(data: st.DataObject) -> None:
    op, value, unit = data.draw(typed_values())
    text = data.draw(renderings((op, value, unit)))
    parsed = parse_value(text)
    assert (parsed.op, parsed.value, parsed.unit) == (op, value, unit), text
    if unit == "%":
        assert parsed.ratio == value / 100


@given(st.lists(typed_values(), min_size=2, max_size=6), st.data())
def test_numbered_cells_split_item_by_item(
    items: list[tuple[str, Decimal, str | None]], data: st.DataObject
) -> None:
    rendered = [data.draw(renderings(t)).strip() for t in items]
    sep = data.draw(st.sampled_from([" ", "；", "\n", "; "]))
    text = sep.join(f"{k}.{r}" for k, r in enumerate(rendered, start=1))
    parsed = parse_value(text)
    assert parsed.kind == "compound"
    assert [(i.op, i.value, i.unit) for i in parsed.items] == items


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(form_like_text)
def test_parse_text_never_raises_on_form_like_junk(text: str) -> None:
    try:
        reports = parse_text(text)
    except JixiaoError:  # pragma: no cover - text input has no typed failure today
        return
    for report in reports:
        report.to_json()


@given(st.text())
def test_parse_text_never_raises_on_arbitrary_text(text: str) -> None:
    for report in parse_text(text):
        report.to_dict()


@given(
    st.lists(
        st.tuples(names, typed_values(), st.integers(0, 30), st.integers(0, 30)),
        min_size=1, max_size=12,
    ),
    st.data(),
)  # fmt: skip
def test_synthetic_forms_round_trip(
    rows: list[tuple[str, tuple[str, Decimal, str | None], int, int]], data: st.DataObject
) -> None:
    lines = [
        "项目支出绩效自评表",
        "项目名称\t合成项目",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
    ]
    for k, (name, typed, weight, score) in enumerate(rows):
        target = data.draw(renderings(typed)).strip()
        lead = "产出指标\t数量指标" if k == 0 else "\t"
        lines.append(f"{lead}\t{name}\t{target}\t完成\t{weight}\t{score}\t")
    lines.append(f"总分\t\t\t\t\t{sum(r[2] for r in rows)}\t{sum(r[3] for r in rows)}\t")
    (report,) = parse_text("\n".join(lines))
    assert [i.name for i in report.indicators] == [r[0] for r in rows]
    assert [(i.target.op, i.target.value, i.target.unit) for i in report.indicators] == [
        r[1] for r in rows
    ]
    assert [i.weight for i in report.indicators] == [Decimal(r[2]) for r in rows]
    assert all(i.level1 == "产出指标" and i.level2 == "数量指标" for i in report.indicators)
    assert report.total.score == sum(Decimal(r[3]) for r in rows)


def test_to_chinese_renders_what_the_spec_reads() -> None:
    assert [to_chinese(n) for n in (60, 120, 12, 1005, 10)] == [
        "六十",
        "一百二十",
        "十二",
        "一千零五",
        "十",
    ]


def test_whitespace_is_found_without_the_regex_exactly_where_the_regex_finds_it() -> None:
    # the shortcut rests on every \\s character but " " being unprintable: check
    # every code point, alone and between two Han characters
    space = regex.compile(r"\s")
    for code in range(0x110000):
        ch = chr(code)
        expected = space.search(ch) is not None
        assert _has_space(ch) == expected, hex(code)
        assert _has_space(f"项{ch}目") == expected, hex(code)


@given(st.text(alphabet=st.sampled_from(list("-—–_/\\.…·| \t\u3000\u00a0项1a")) | st.characters()))
def test_dash_placeholders_are_told_as_the_pattern_tells_them(text: str) -> None:
    assert is_dash(text) == bool(_DASH.match(text))


# Characters value cells are made of: figures, operators, units, dates, numerals.
VALUE_CHARS = list(
    "0123456789.,-~%‰/:至到月日号底末终年度前内以上下及左右余多约近万亿零〇一两三十百千"
)
VALUE_CHARS += ["≥", "≤", ">", "<", "=", "不少于", "截至", "截止", "已完成", "个", "人次", "平方米"]
VALUE_CHARS += ["提高", "下降", "增幅", "降幅", "个百分点", "同比", "较上年", "不低于"]
value_like = st.lists(st.sampled_from(VALUE_CHARS), max_size=14).map("".join)


@given(
    st.one_of(value_like, typed_values().flatmap(renderings), st.text(max_size=20)),
    st.sampled_from(["", "项目", "培训人数"]),
)
@example("5余甲乙丙丁戊己/子丑寅卯及以上", "")  # the longest tail after a figure
@settings(max_examples=500)
def test_a_value_pattern_is_skipped_only_where_it_cannot_match(text: str, lead: str) -> None:
    t = normalize_value_text(lead + text)
    for kind in REGISTRY.kinds:
        for pattern in kind.patterns:
            if pattern.match(body(t)):
                assert kind.may_match(t), kind.name
    # the duration kind reads the comparison and range shapes in units of time
    for read in (comparison.read, range_kind.read):
        found = read(t, t)
        if found is not None and found.kind == "duration":
            assert duration.may_match(t)


def test_every_kind_with_a_pattern_is_held_to_its_pre_check() -> None:
    with_patterns = {k.name for k in REGISTRY.kinds if k.patterns}
    assert with_patterns == {"deadline", "change", "range", "comparison"}


def _tidy_plainly(text: str) -> str:
    """tidy() with every pass run unconditionally (what it must equal)."""
    from jixiao_parser.sections import common

    text = text.strip()
    out = common._BREAK.sub(lambda m: common._joiner(m.string, m.start(), m.end()), text)
    out = common._SPACES.sub(" ", out)
    return common._SPACE_IN_CJK.sub("", out)


@given(
    st.lists(
        st.sampled_from(
            [
                "项目",
                "目标",
                "a",
                "1",
                " ",
                "  ",
                "\n",
                "\t",
                "\u3000",
                "\u00a0",
                "\r",
                "\u2003",
                "\x1c",
                "，",
                "（",
            ]
        )
        | st.text(max_size=3),
        max_size=20,
    ).map("".join)
)
@settings(max_examples=500)
def test_tidy_skips_only_passes_that_change_nothing(text: str) -> None:
    from jixiao_parser.sections.common import tidy

    assert tidy(text) == _tidy_plainly(text)
