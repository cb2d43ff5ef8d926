"""Template families: column roles from header labels, and each family's special layout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from jixiao_parser import Report, parse_all, parse_text
from jixiao_parser.document import Cell, Line
from jixiao_parser.readers.text import text_to_document
from jixiao_parser.sections.common import Sink
from jixiao_parser.sections.indicators import (
    _INF,
    _SKIP,
    _at_shift,
    _costs,
    _fit,
    _rough_costs,
    align_row,
    note_alignment,
    positional,
)
from jixiao_parser.segment import document_lines
from jixiao_parser.segment.columns import count_header_lines, header_roles

# One indicator header per family (FAMILIES.md), as tab-separated rows, and the
# role expected in each column ("" for a column with no label).
HEADERS = {
    "shanghai": (
        [
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
        ],
        "level1 level2 name target actual weight score note",
    ),
    "shenzhen": (
        [
            "年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t* 实际完成值\t* 分值\t* 得分\t偏差原因分析及改进措施"
        ],
        "group level1 level2 name target actual weight score note",
    ),
    "national": (
        [
            "一级指标\t二级指标\t三级指标\t年度指标值(A)\t实际完成值(B)\t分值\t得分\t未完成原因分析及改进措施"
        ],
        "level1 level2 name target actual weight score note",
    ),
    "sichuan": (
        [
            "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t实际完成值\t权重\t得分\t未完成原因分析"
        ],
        "level1 level2 name target_op target target_unit actual weight score note",
    ),
    "yunnan": (
        [
            "一级指标\t二级指标\t三级指标\t年度指标值\t\t\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
            "\t\t\t指标性质\t指标值\t度量单位\t\t\t\t",
        ],
        "level1 level2 name target_op target target_unit actual weight score note",
    ),
    "department": (
        [
            "一级指标\t二级指标\t三级指标\t指标解释\t年初指标值\t全年实际值\t分值\t得分\t未完成原因分析"
        ],
        "level1 level2 name extra:指标解释 target actual weight score note",
    ),
    "chongqing_flat": (
        ["指标名称\t计量单位\t指标性质\t年初指标值\t全年实际值\t分值\t得分"],
        "name target_unit target_op target actual weight score",
    ),
    "hubei": (
        ["一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分\t未完成原因分析"],
        "level1 level2 name weight target actual score note",
    ),
    "hebei": (
        [
            "一级指标\t二级指标\t三级指标\t预期指标值\t\t\t实际完成值\t自评得分\t\t",
            "\t\t\t符号\t指标值\t单位(文字描述)\t\t单项指标得分\t权重占比(%)\t单项指标折算得分",
        ],
        "level1 level2 name target_op target target_unit actual extra:单项指标得分 weight score",
    ),
    "traditional": (
        [
            "一級指標\t二級指標\t三級指標\t年度指標值\t實際完成值\t分值\t得分\t偏差原因分析及改進措施"
        ],
        "level1 level2 name target actual weight score note",
    ),
}


@pytest.mark.parametrize("family", sorted(HEADERS))
def test_header_roles_per_family(family: str) -> None:
    rows, expected = HEADERS[family]
    lines = tuple(document_lines(text_to_document("\n".join(rows))))
    n = count_header_lines(lines + lines[:1])  # a data row would follow; the header rows come first
    roles = [role for role, _ in header_roles(lines[:n]) if role != "group" or "group" in expected]
    assert " ".join(roles) == expected


def one(text: str) -> Report:
    (report,) = parse_text(text)
    return report


SICHUAN = """项目支出绩效自评表
报表编号:\t510000_2023_0042
项目名称\t川西山区饮水工程
一、项目基本情况
预算执行情况(10分)\t\t年初预算\t调整后预算数\t预算执行数\t预算执行率\t权重\t得分\t原因
\t年度资金总额\t100\t90\t81\t90%\t10\t9\t进度滞后
绩效指标(90分)
一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t实际完成值\t权重\t得分
产出指标\t数量指标\t新建水池\t≧\t95\t%\t96%\t40\t40
\t质量指标\t水质评价\t定性\t优良中低差\t\t优\t30\t30
效益指标\t社会效益指标\t受益人口\t定量\t100\t人\t120人\t20\t20
合计\t\t\t\t\t\t\t100\t99
"""


def test_split_target_and_section_headings() -> None:
    r = one(SICHUAN)
    assert r.header.fields["报表编号"] == "510000_2023_0042"
    line = r.funding.lines[0]
    assert (line.initial_budget, line.annual_budget, line.executed) == (
        Decimal(100), Decimal(90), Decimal(81),
    )  # fmt: skip
    assert line.execution_rate == Decimal("0.9") and line.extra == {"原因": "进度滞后"}
    first, second, third = r.indicators
    assert (first.target.raw, first.target.op, first.target.ratio) == (
        "≧95%",
        ">=",
        Decimal("0.95"),
    )
    assert (second.target.raw, second.target.kind) == ("优良中低差", "qualitative")
    assert (third.target.raw, third.target.op, third.target.unit) == ("100人", "=", "人")
    assert (r.total.weight, r.total.score) == (Decimal(100), Decimal(99))
    assert r.leftover == ()


def test_two_row_header_with_the_group_above() -> None:
    r = one(
        "项目名称\t示例\n"
        "绩效指标\t\t\t年度指标值\t实际完成值\t分值\t得分\n"
        "一级指标\t二级指标\t三级指标\t\t\t\t\n"
        "产出指标\t数量指标\t培训人数\t≥100人\t120人\t50\t50\n"
        "总分\t\t\t\t\t100\t95\n"
    )
    (ind,) = r.indicators
    assert (ind.level1, ind.name, ind.target.value, ind.weight) == ("产出指标", "培训人数", 100, 50)
    assert not any(d.code == "indicators_missing" for d in r.diagnostics)


HUBEI = """县级专项资金绩效目标自评表
项目名称\t衔接资金产业项目
项目资金\t\t预算数(A)\t执行数(B)\t执行率(B/A)\t得分(20分*执行率)
\t年度资金总额\t200\t180\t90%\t18
年度绩效目标1(40分)\t建成产业基地1个
一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分
产出指标\t数量指标\t建成基地数量\t20\t=1个\t1个\t20
效益指标\t经济效益指标\t带动增收\t20\t≥5万元\t6万元\t20
年度绩效目标2(30分)\t带动脱贫人口增收
一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分
效益指标\t社会效益指标\t带动人数\t30\t≥50人\t58人\t30
总分\t\t\t\t\t\t98
"""


def test_repeated_goal_sub_tables() -> None:
    r = one(HUBEI)
    assert [(i.label, i.points, i.text) for i in r.goals.items] == [
        ("年度绩效目标1", Decimal(40), "建成产业基地1个"),
        ("年度绩效目标2", Decimal(30), "带动脱贫人口增收"),
    ]
    assert r.goals.planned == "建成产业基地1个\n带动脱贫人口增收"
    assert [(i.name, i.goal, i.weight) for i in r.indicators] == [
        ("建成基地数量", "年度绩效目标1", Decimal(20)),
        ("带动增收", "年度绩效目标1", Decimal(20)),
        ("带动人数", "年度绩效目标2", Decimal(30)),
    ]
    line = r.funding.lines[0]
    assert (line.initial_budget, line.executed, line.execution_rate, line.score) == (
        Decimal(200), Decimal(180), Decimal("0.9"), Decimal(18),
    )  # fmt: skip


def test_department_form_with_circled_columns_and_flat_indicators() -> None:
    r = one(
        "部门整体支出绩效自评表\n"
        "部门(单位)名称\t澜江区文化馆\t部门预算编码\t301005\n"
        "资金情况(万元)\t\t年初部门预算安排金额①\t追加预算②\t小计④=①+②+③\t年度拨付金额⑤\t执行率\n"
        "\t财政拨款\t100\t20\t120\t114\t95%\n"
        "指标名称\t计量单位\t指标性质\t年初指标值\t全年实际值\t指标解释\t分值\t得分\n"
        "演出场次\t场\t≥\t50\t52\t全年公益演出\t60\t60\n"
        "观众满意度\t%\t≥\t90\t93\t问卷调查\t40\t40\n"
        "总分\t\t\t\t\t\t100\t100\n"
    )
    assert r.kind == "department"
    assert (r.header.project_name, r.header.project_code) == ("澜江区文化馆", "301005")
    line = r.funding.lines[0]
    assert (line.initial_budget, line.annual_budget, line.executed) == (
        Decimal(1000000), Decimal(1200000), Decimal(1140000),
    )  # fmt: skip
    assert line.extra == {"追加预算②": "20"}
    shows, satisfaction = r.indicators
    assert (shows.level1, shows.level2, shows.target.raw, shows.target.op) == (
        None,
        None,
        "≥50场",
        ">=",
    )
    assert satisfaction.target.ratio == Decimal("0.9")
    assert shows.extra == {"指标解释": "全年公益演出"}
    assert not any(d.code.startswith("level2") for d in r.diagnostics)


def test_hebei_numbered_sections_and_two_row_scores() -> None:
    r = one(
        "项目支出绩效自评表\n"
        "一、基本情况\n"
        "项目名称\t燕山林场防火\n"
        "三、预算执行情况\n"
        "项目资金（元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "\t年度资金总额\t500\t500\t500\t10\t100%\t10\n"
        "四、年度绩效指标完成情况\n"
        "一级指标\t二级指标\t三级指标\t预期指标值\t\t\t实际完成值\t自评得分\t\t\n"
        "\t\t\t符号\t指标值\t单位(文字描述)\t\t单项指标得分\t权重占比(%)\t单项指标折算得分\n"
        "产出指标\t数量指标\t巡护里程\t≥\t300\t公里\t320公里\t100\t90\t90\n"
        "总分\t\t\t\t\t\t\t\t100\t100\n"
    )
    (ind,) = r.indicators
    assert (ind.target.raw, ind.weight, ind.score) == ("≥300公里", Decimal(90), Decimal(90))
    assert ind.extra == {"单项指标得分": "100"}
    assert r.leftover == ()


def test_traditional_labels_fold_but_values_keep_their_characters() -> None:
    r = one(
        "項目支出績效自評表\n項目名稱\t社區圖書館\n"
        "一級指標\t二級指標\t三級指標\t年度指標值\t實際完成值\t分值\t得分\n"
        "產出指標\t數量指標\t借閱人次\t≥1000人次\t1200人次\t100\t100\n"
        "總分\t\t\t\t\t100\t100\n"
    )
    assert (r.title, r.header.project_name) == ("項目支出績效自評表", "社區圖書館")
    (ind,) = r.indicators
    assert (ind.level1, ind.level2, ind.name) == ("產出指標", "數量指標", "借閱人次")
    assert r.total.score == Decimal(100)


def test_unknown_layout_says_what_it_could_not_read() -> None:
    r = one("项目支出绩效自评表\n项目名称\t示例\n一些说明\t不知所云\n")
    codes = {d.code for d in r.diagnostics}
    assert {"funding_missing", "indicators_missing"} <= codes
    assert r.header.project_name == "示例"


# Cells of an indicator row: labels, figures, values, dashes, empties.
_ROW_TEXTS = st.sampled_from(
    ["", "产出指标", "数量指标", "培训人数", "≥95%", "96%", "10", "—", "定量"]
)


@given(
    texts=st.lists(_ROW_TEXTS, max_size=8),
    first_col=st.integers(-1, 2),
    shift=st.integers(-3, 3),
)
def test_reading_a_row_by_position_reuses_the_first_fit(
    texts: list[str], first_col: int, shift: int
) -> None:
    # the reading at the table's usual shift is the one positional() gives,
    # whether it comes from the first fit, is known not to fit, or is read anew
    role_at = {0: "level1", 1: "level2", 2: "name", 3: "target", 4: "actual", 5: "weight"}
    cells = tuple(Cell(t, 0, first_col + k) for k, t in enumerate(texts))
    fit = _fit(cells, role_at)
    assert _at_shift(cells, fit, role_at, shift) == positional(cells, role_at, shift)


# what each column of a regular row may hold, empty or not
_BY_ROLE = {
    "group": ["", "绩效指标"],
    "level1": ["", "产出指标", "产出指标(50分)"],
    "level2": ["", "数量指标", "质量指标"],
    "name": ["", "培训人数", "满意度"],
    "target": ["", "≥95%", "=3000份", "定量"],
    "actual": ["", "96%", "—", "3000份"],
    "weight": ["10", "5分"],  # an empty weight is read by alignment
}


@given(
    texts=st.tuples(*(st.sampled_from(v) for v in _BY_ROLE.values())),
    first_col=st.integers(0, 3),
    shift=st.integers(-2, 2),
)
def test_a_row_read_by_position_leaves_nothing_to_note(
    texts: tuple[str, ...], first_col: int, shift: int
) -> None:
    # parse_indicators skips note_alignment for rows positional() read at the
    # usual shift: it would keep no cell and note nothing for them
    role_at = {first_col + k - 1: role for k, role in enumerate(_BY_ROLE)}
    cells = tuple(Cell(t, 0, col + shift) for col, t in zip(role_at, texts, strict=True))
    found = positional(cells, role_at, shift)
    assume(found is not None)
    sink = Sink()
    role_col = {role: col for col, role in role_at.items()}
    note_alignment(Line(cells), found, role_col, shift, sink)
    assert (sink.diagnostics, sink.leftover) == ([], [])


@given(st.one_of(_ROW_TEXTS, st.text(max_size=10), st.sampled_from(["≥95%", "3月底前", "1-2天"])))
def test_rough_costs_tell_a_fit_as_the_full_costs_do(text: str) -> None:
    # positional() reads the rough costs: below 1 or not, they agree with _costs
    rough, full = _rough_costs(text), _costs(text)
    for role in [*_SKIP, "extra:指标类型"]:
        r, f = rough.get(role, rough.get("*", 0.0)), full.get(role, full.get("*", 0.0))
        assert (r < 1.0) == (f < 1.0), role
        assert r == f or (role == "target" and (r, f) == (0.0, -0.2)), role


def _align_reference(
    cells: tuple[Cell, ...], roles: list[tuple[str, int]], shift: int | None
) -> dict[str, Cell]:
    """align_row's dynamic programme written the plain way: the whole cost table,
    each state the cheapest of its three moves, ties to take, then drop, then skip."""
    names = [r for r, _ in roles]
    m, n = len(roles), len(cells)
    cost = [[_INF] * (m + 1) for _ in range(n + 1)]
    move: list[list[str | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            options = []
            if i and j:
                c = _costs(cells[i - 1].text)
                fit = c.get(names[j - 1], c.get("*", 0.0))
                if shift is not None and fit < _INF:
                    fit += 0.02 * abs(cells[i - 1].col - shift - roles[j - 1][1])
                options.append((cost[i - 1][j - 1] + fit, "take"))
            if i:
                options.append((cost[i - 1][j] + (0.2 if not cells[i - 1].text else 10.0), "drop"))
            if i == 0 and j == 0:
                options.append((0.0, "start"))
            best = min(options, key=lambda o: o[0]) if options else (_INF, None)
            if j and cost[i][j - 1] + _SKIP.get(names[j - 1], 0.1) < best[0]:
                best = (cost[i][j - 1] + _SKIP.get(names[j - 1], 0.1), "skip")
            cost[i][j], move[i][j] = best
    out: dict[str, Cell] = {}
    i, j = n, m
    while i or j:
        if move[i][j] == "take":
            i, j = i - 1, j - 1
            out[names[j]] = cells[i]
        elif move[i][j] == "drop":
            i -= 1
        else:
            j -= 1
    return out


_ROLES = st.lists(st.sampled_from([*_SKIP, "extra:指标类型"]), min_size=1, max_size=9, unique=True)


@given(
    texts=st.lists(_ROW_TEXTS, max_size=9),
    names=_ROLES,
    first_col=st.integers(-1, 2),
    shift=st.one_of(st.none(), st.integers(-2, 2)),
)
@settings(max_examples=500)  # mistakes in the programme show on a few rows in a hundred
@example(
    texts=["数量指标"], names=["target", "actual"], first_col=-1, shift=None
)  # skip vs drop tie
@example(texts=["96%", ""], names=["target_unit", "actual"], first_col=1, shift=1)  # empty drop
@example(  # where the distance to the expected column decides
    texts=["—", "产出指标", "—", "定量", "96%", "96%", "产出指标", "", "培训人数"],
    names=["score", "target", "target_unit", "name"],
    first_col=-1,
    shift=0,
)
def test_align_row_matches_the_full_table_programme(
    texts: list[str], names: list[str], first_col: int, shift: int | None
) -> None:
    cells = tuple(Cell(t, 0, first_col + k) for k, t in enumerate(texts))
    roles = [(name, k - 1) for k, name in enumerate(names)]
    assert align_row(cells, roles, shift) == _align_reference(cells, roles, shift)


def test_a_row_read_by_position_off_the_usual_shift_reads_as_aligned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A row that fits its columns by position only at a shift other than the
    # table's usual one is read at that shift, skipping the alignment search:
    # over the corpus, that reading is the one the search gives.
    import jixiao_parser.sections.indicators as ind

    roles_of_table: list[list[tuple[str, int]]] = []
    compared: list[bool] = []
    usual_shift, at_shift = ind._usual_shift, ind._at_shift

    def recording_shift(rows, fitted, roles):  # type: ignore[no-untyped-def]
        roles_of_table.append(roles)
        return usual_shift(rows, fitted, roles)

    def comparing(cells, fit, role_at, shift):  # type: ignore[no-untyped-def]
        found = at_shift(cells, fit, role_at, shift)
        if found is None and fit is not None:
            compared.append(fit[1] == align_row(cells, roles_of_table[-1], shift))
        return found

    monkeypatch.setattr(ind, "_usual_shift", recording_shift)
    monkeypatch.setattr(ind, "_at_shift", comparing)
    root = Path(__file__).resolve().parent.parent / "corpus"
    for path in [*sorted(root.glob("cases/*/form.txt")), *sorted(root.glob("seeds/*/*.txt"))]:
        parse_all(path)
    assert len(compared) >= 2 and all(compared), compared  # seed 000 and one case, at least
