"""The label vocabulary against ../shared/FAMILIES.md: every label listed there resolves."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from jixiao_parser import vocab
from jixiao_parser.document import Cell, normalize_text
from jixiao_parser.sections.blocks import _funding_unit, _row_role
from jixiao_parser.segment import Line

FAMILIES = Path(__file__).resolve().parent.parent.parent / "shared" / "FAMILIES.md"

# FAMILIES.md role → how to check that one of its labels resolves
CHECKS = {
    "project name": lambda t: vocab.lookup(vocab.HEADER_FIELDS, t) == "project_name",
    "project code": lambda t: vocab.lookup(vocab.HEADER_FIELDS, t) == "project_code",
    "supervisor": lambda t: vocab.lookup(vocab.HEADER_FIELDS, t) == "supervisor",
    "implementer": lambda t: vocab.lookup(vocab.HEADER_FIELDS, t) == "implementer",
    "other header": lambda t: vocab.lookup(vocab.HEADER_FIELDS, t) is not None,
    "initial budget": lambda t: (
        vocab.lookup(vocab.FUNDING_COLUMNS, t, prefix=True) == "initial_budget"
    ),
    "annual budget": lambda t: (
        vocab.lookup(vocab.FUNDING_COLUMNS, t, prefix=True) == "annual_budget"
    ),
    "executed": lambda t: vocab.lookup(vocab.FUNDING_COLUMNS, t, prefix=True) == "executed",
    "funding weight": lambda t: vocab.lookup(vocab.FUNDING_COLUMNS, t, prefix=True) == "weight",
    "execution rate": lambda t: (
        vocab.lookup(vocab.FUNDING_COLUMNS, t, prefix=True) == "execution_rate"
    ),
    "funding score": lambda t: vocab.lookup(vocab.FUNDING_COLUMNS, t, prefix=True) == "score",
    "funding rows": lambda t: _row_role(t) != "unknown",
    "goals": lambda t: vocab.lookup(vocab.GOAL_LABELS, t) is not None,
    "level 3": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) == "name",
    "target": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) == "target",
    "actual": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) == "actual",
    "weight": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) == "weight",
    "score": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) == "score",
    "note": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) == "note",
    "extra indicator columns": lambda t: vocab.lookup(vocab.INDICATOR_COLUMNS, t) is None,
    "total": lambda t: vocab.label_key(t) in vocab.TOTAL_LABELS,
    "footer": lambda t: vocab.label_key(t).split(":")[0] in vocab.FOOTER_LABELS,
    "form title": lambda t: vocab.TITLE.search(vocab.label_key(t)) is not None,
    "money unit": lambda t: _funding_unit((Line((Cell(t, 0, 0, 1),)),)) in ("元", "万元"),
}
_COMMENT = regex.compile(r"\s*[(（][^()（）]*[A-Za-z][^()（）]*[)）]|^(?:planned|actual|also):\s*")


def _labels(cell: str) -> list[str]:
    cell = regex.sub(r"\(values:[^)]*\)|\bmay be followed by.*$|; also a 22-char code.*$", "", cell)
    cell = regex.sub(
        r"\bplanned:|\bactual:|\bnotes\b|\bthree cells.*$|\bmay sit under.*$", "", cell
    )
    out = []
    for part in regex.split(r"[,;/]|\s+—\s+", cell):
        part = _COMMENT.sub("", part).strip().strip('"“”').strip()
        part = regex.sub(r"^其中[:：]\s*", "", part)
        if part and regex.search(r"\p{Han}", part) and not regex.search(r"[a-z]{3,}", part):
            out.append(part)
    return out


def _table() -> list[tuple[str, str]]:
    rows = []
    for line in FAMILIES.read_text(encoding="utf-8").splitlines():
        m = regex.match(r"^\|\s*([a-z0-9 ]+?)\s*\|\s*(.+?)\s*\|$", line)
        if m and m.group(1) in CHECKS:
            rows.extend((m.group(1), label) for label in _labels(m.group(2)))
    return rows


@pytest.mark.skipif(not FAMILIES.exists(), reason="shared/ is not beside the repo")
def test_families_table_is_read() -> None:
    roles = {role for role, _ in _table()}
    assert roles == set(CHECKS)
    assert len(_table()) > 120


@pytest.mark.skipif(not FAMILIES.exists(), reason="shared/ is not beside the repo")
@pytest.mark.parametrize(("role", "label"), _table() if FAMILIES.exists() else [])
def test_every_families_label_resolves(role: str, label: str) -> None:
    assert CHECKS[role](label), f"{label!r} does not resolve as {role}"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("* 实际\n完成值：", "实际完成值"),
        ("實際完成值", "实际完成值"),
        ("項目名稱", "项目名称"),
        ("执行率(B/A)", "执行率"),
        ("小计④=①+②+③", "小计"),
        ("得分(20分*执行率)", "得分"),
        ("年度指标值(A)", "年度指标值"),
        ("★ 指标名称", "指标名称"),
        ("項(xiàng)目名稱(chēng)", "项目名称"),
        ("產(chǎn)出指標(biāo)", "产出指标"),
        ("實(shí)際完成值 (B)", "实际完成值"),
    ],
)
def test_role_keys(text: str, key: str) -> None:
    assert vocab.role_key(text) == key


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("一、基本情况", "header"),
        ("二、绩效目标", "goals"),
        ("三、预算执行情况", "funding"),
        ("四、年度绩效指标完成情况", "indicators"),
        ("（四）年度绩效指标完成情况", "indicators"),
        ("绩效指标(90分)", "indicators"),
        ("項目基本情況", "header"),
        ("总分", None),
        ("产出指标", None),
    ],
)
def test_section_headings(text: str, section: str | None) -> None:
    assert vocab.section_heading(text) == section


TABLES = [
    vocab.HEADER_FIELDS,
    vocab.FUNDING_COLUMNS,
    vocab.FUNDING_ROWS,
    vocab.GOAL_LABELS,
    vocab.INDICATOR_COLUMNS,
    vocab.SECTION_HEADINGS,
]
LABELS = sorted({label for table in TABLES for label in table})
# label-like cells: known labels with the marks, circled numbers, annotations,
# spaces and Traditional characters forms add, and a little text after them
PIECES = st.sampled_from(
    ["*", "★", "#", "※", " ", "\u3000", "\n", "①", "④=①+②", "(万元)", "(B/A)", "：", ":",
     "實際", "預算", "元", "数", "合计", "率", "(xiàng)", "(biāo)", "(a)"]
)  # fmt: skip
label_like = st.lists(st.one_of(st.sampled_from(LABELS), PIECES), max_size=5).map("".join)


def reference_label_key(text: str) -> str:
    """label_key as its docstring defines it, every step applied."""
    key = vocab._CIRCLED.sub("", normalize_text(text))
    key = vocab._MARKS.sub("", vocab._SPACE.sub("", key))
    if not key.isascii():
        key = vocab._t2s().convert(vocab._GLOSS.sub("", key))
    return key.rstrip(":")


@given(st.one_of(label_like, st.text(max_size=12)))
def test_label_key_skips_only_the_steps_that_change_nothing(text: str) -> None:
    assert vocab.label_key(text) == reference_label_key(text)
    assert vocab.role_key(text) == vocab._ANNOTATION.sub("", reference_label_key(text))


def reference_prefix_lookup(table: dict[str, str], text: str) -> str | None:
    key, bare = vocab.label_key(text), vocab.role_key(text)
    if key in table:
        return table[key]
    if bare in table:
        return table[bare]
    starts = [label for label in table if bare.startswith(label)]
    return table[max(starts, key=len)] if starts else None


@given(label_like, st.sampled_from(range(len(TABLES))))
def test_a_prefix_lookup_finds_the_longest_label_the_text_starts_with(
    text: str, which: int
) -> None:
    table = TABLES[which]
    assert vocab.lookup(table, text, prefix=True) == reference_prefix_lookup(table, text)


@pytest.mark.parametrize("which", range(len(TABLES)))
def test_every_label_is_found_as_a_prefix(which: int) -> None:
    table = TABLES[which]
    for label in table:
        for text in (label + "甲", label + "甲乙"):
            assert vocab.lookup(table, text, prefix=True) == reference_prefix_lookup(table, text)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("2023年度湘源县农村公路日常养护项目自评表", True),
        ("绩效目标自评表(2022年度)", True),
        ("县级专项资金绩效目标自评表", True),
        ("部门预算项目支出绩效自评表（2023年度）", True),
        ("項目自評表", True),
        ("项目名称", False),
        ("项目自评得分", False),
    ],
)
def test_title_wordings(text: str, title: bool) -> None:
    assert (vocab.TITLE.search(vocab.label_key(text)) is not None) == title


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("資金情況（萬元）", "万元"),
        ("年初预算数(单位：元)", "元"),
        ("金额单位：万元", "万元"),
        ("資金情況", None),
        ("项目资金", None),
    ],
)
def test_funding_unit_is_read_from_any_label_wording(text: str, unit: str | None) -> None:
    assert _funding_unit((Line((Cell(text, 0, 0, 1),)),)) == unit


def test_a_leading_number_is_dropped_as_the_plain_pattern_drops_it() -> None:
    # unnumbered skips the pattern for a key whose first character no number
    # opens with (an ideograph but 一 … 十, an ASCII letter); it must drop alike
    import random

    from jixiao_parser import vocab

    pieces = [
        "1.",
        "12、",
        "(三)",
        "（一）",
        "二、",
        "十二、",
        "3．",
        "1.5",
        "①",
        "项目",
        "基本情况",
    ]
    pieces += ["一", "十", "百", "a", "Z", " ", "*", "(", ")", "、", ".", "9", "０", "丨"]
    rng = random.Random(3)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 6))) for _ in range(5000)]
    for text in texts:
        assert vocab.unnumbered(text) == vocab._NUMBERING.sub("", vocab.label_key(text)), text
