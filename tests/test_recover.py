"""Structure recovery: the shape of flattened text, rows rebuilt from it, where
each recovered cell came from, and what is said when nothing could be rebuilt."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao_parser import parse_all, parse_text, vocab
from jixiao_parser.document import Paragraph
from jixiao_parser.readers.text import text_to_document
from jixiao_parser.recover import recover_structure, sniff
from jixiao_parser.recover.flat import Tok, indicator_rows
from jixiao_parser.recover.glued import glued_tokens
from jixiao_parser.recover.grid import best_width
from jixiao_parser.recover.shapes import holds_marks

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "corpus" / "shapes"


def _paragraphs(text: str) -> list[Paragraph]:
    return [b for b in text_to_document(text).blocks if isinstance(b, Paragraph)]


@pytest.mark.parametrize("shape", ["markdown", "bars", "lines", "spaces", "glued"])
def test_every_shape_is_told_by_sniffing(shape: str) -> None:
    text = (SHAPES / shape / "fam1_shanghai_a.txt").read_text(encoding="utf-8")
    assert sniff(_paragraphs(text)) == shape


def test_running_text_has_no_shape() -> None:
    prose = "本单位2023年度认真开展绩效自评工作。\n自评结果将在部门网站公开。\n"
    assert sniff(_paragraphs(prose)) is None


def test_every_form_mark_is_its_own_label_key() -> None:
    # holds_marks counts the marks in the text as it stands before folding it:
    # a mark found there is found in the folded key only if folding keeps it
    # (in any neighbourhood: the phrases of the Traditional → Simplified step
    # must leave a mark as it is, next to characters it reads in context too)
    around = [
        "示例",
        "於",
        "著",
        "乾",
        "後",
        "髮",
        "發",
        "隻",
        "係",
        "準",
        "項",
        "目",
        "金",
        "(",
        "1",
    ]
    for mark in vocab.FORM_MARKS:
        assert vocab.label_key(mark) == mark
        for before in around:
            for after in around:
                assert mark in vocab.label_key(f"{before}{mark}{after}"), (before, mark, after)


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("项目名称示例主管部门某局总分100", 3),  # as written
        ("項目名稱示例主管部門某局總分100", 3),  # Traditional: folded
        ("项 目 名 称 示例 主 管 部 门 某局 总 分 100", 3),  # spaced labels: folded
        ("项目名称示例主管部门某局", 2),
    ],
)
def test_a_long_line_holds_the_marks_its_folded_key_holds(text: str, marks: int) -> None:
    key = vocab.label_key(text)
    assert sum(m in key for m in vocab.FORM_MARKS) == marks
    assert holds_marks(text) is (marks >= 3)


def test_a_traditional_glued_form_is_told_by_sniffing() -> None:
    text = (SHAPES / "glued" / "big5.txt").read_bytes().decode("utf-8")
    assert sum(m in text for m in vocab.FORM_MARKS) < 3  # (the folded key is asked)
    assert sniff(_paragraphs(text)) == "glued"


def test_a_flattened_form_says_it_was_recovered() -> None:
    (report,) = parse_all(SHAPES / "spaces" / "fam1_shanghai_a.txt")
    assert report.source.structure == "recovered"
    assert report.diagnostics[0].code == "structure_recovered"
    assert report.diagnostics[0].severity == "info"
    # a form read from its tab-separated rows says it was read as a table
    (tabbed,) = parse_all(ROOT / "corpus" / "cases" / "fam1_shanghai_a" / "form.txt")
    assert tabbed.source.structure == "table"
    assert "structure_recovered" not in {d.code for d in tabbed.diagnostics}


@pytest.mark.parametrize("shape", ["spaces", "markdown", "glued"])
def test_a_recovered_cell_says_where_its_text_starts(shape: str) -> None:
    path = SHAPES / shape / "fam1_shanghai_a.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    (report,) = parse_all(path)
    target = report.indicators[1].target
    assert target.where is not None and " char " in target.where
    line, char = (int(x) for x in target.where.removeprefix("line ").split(" char "))
    assert lines[line - 1][char - 1 :].startswith(target.raw)


def test_markdown_rows_keep_escaped_pipes_and_drop_the_rule() -> None:
    doc = text_to_document(
        "| 项目名称 | 甲\\|乙 |\n|---|---|\n| 主管部门 | 某局 |\n| 总分 | 100 |\n"
    )
    recovered = recover_structure(doc)
    assert recovered is not None
    rows = [[c.text for c in row] for row in recovered.blocks[0].rows]  # type: ignore[union-attr]
    assert rows == [["项目名称", "甲|乙"], ["主管部门", "某局"], ["总分", "100"]]


def test_the_width_is_where_the_columns_agree() -> None:
    kinds = ["label", "text", "empty", "figure", "figure", "empty"] * 6
    assert best_width(kinds) == 6
    # no period at all: still a width, never an error
    assert best_width(["text"] * 3) >= 1


def test_a_note_stays_with_its_row_and_a_name_opens_the_next() -> None:
    roles = ["level1", "level2", "name", "target", "actual", "weight", "score", "note"]
    words = "产出指标 数量指标 场次 ≥10场 8场 10 8 受天气影响，延期两场。 人数 ≥500人 520人 10 10"
    rows = indicator_rows([Tok(w, 1, 1, 0) for w in words.split()], roles)
    texts = [[t.text if t else "" for t in row] for row in rows]
    assert texts[0][-1] == "受天气影响，延期两场。"
    assert texts[1][2:7] == ["人数", "≥500人", "520人", "10", "10"]


def test_a_form_whose_structure_is_lost_is_never_silently_nothing() -> None:
    text = (
        "项目支出绩效自评表\n"
        "项目名称、主管部门、实施单位见附件，年度资金总额与一级指标、二级指标的完成情况另行说明。\n"
    )
    (report,) = parse_text(text)
    assert report.title == "项目支出绩效自评表"
    assert report.diagnostics[0].code == "structure_lost"
    assert report.diagnostics[0].severity == "warning"
    assert any("年度资金总额" in left.text for left in report.leftover)


def test_text_that_is_no_form_gives_no_report() -> None:
    assert parse_text("会议纪要\n今天讨论了三件事。\n") == []


def test_a_small_tabbed_form_is_reported_as_read() -> None:
    (report,) = parse_text("项目支出绩效自评表\n项目名称\t示例\n")
    assert report.source.structure == "table"
    assert "structure_lost" not in {d.code for d in report.diagnostics}


def test_a_glued_total_row_keeps_its_weight_and_score_apart() -> None:
    # seed 000 states 总分 | 100 | 99.43: glued, 10099.43 is no amount but the two
    (report,) = parse_all(SHAPES / "glued" / "seed_000.txt")
    assert (report.total.weight, report.total.score) == (100, Decimal("99.43"))
    tokens = [t.text for t in glued_tokens(Paragraph("总分100", 1, 1))]
    assert tokens == ["总分", "100"]  # a lone 100 is the weight, not 10 and 0


def test_a_glued_total_holding_a_comma_is_read_without_failing() -> None:
    # 100,98.58 after 总分: no weight and score can be cut from it (a comma is
    # no weight); the total is left unread and said so, the rest of the form read
    text = (SHAPES / "glued" / "fam1_shanghai_a.txt").read_text(encoding="utf-8")
    assert "总分10098.58" in text
    (report,) = parse_text(text.replace("总分10098.58", "总分100,98.58"))
    assert (report.total.weight, report.total.score) == (None, None)
    assert "unreadable_amount" in {d.code for d in report.diagnostics}
    assert len(report.indicators) == len(
        parse_all(SHAPES / "glued" / "fam1_shanghai_a.txt")[0].indicators
    )


@pytest.mark.parametrize(
    ("shape", "trailer"),
    [
        ("bars", "\n填报人：张三\n"),
        ("lines", "\n\n2023年度\n\n"),
    ],
)
def test_lines_after_the_last_cell_stay_paragraphs(shape: str, trailer: str) -> None:
    """A footer, year or title line that ends the text (no cell after it) is
    read as a paragraph; the form before it is read as without it."""
    text = (SHAPES / shape / "bare_actuals.txt").read_text(encoding="utf-8")
    (plain,) = parse_all(text.encode("utf-8"))
    (trailed,) = parse_all((text + trailer).encode("utf-8"))
    assert trailed.source.structure == "recovered"
    assert trailed.header == plain.header
    assert trailed.indicators == plain.indicators and len(plain.indicators) >= 3


def _windows(count: int) -> list[list[str]]:
    """Runs of cells from the space-joined corpus, as a table flattened gives them."""
    import random

    words = []
    for path in sorted((SHAPES / "spaces").glob("*.txt"))[:20]:
        words.extend(w for w in path.read_text(encoding="utf-8").split() if w)
    rng = random.Random(11)
    out = []
    for _ in range(count):
        start = rng.randrange(len(words) - 40)
        out.append(words[start : start + rng.randrange(8, 40)])
    return out


ROLE_SETS = [
    ["level1", "level2", "name", "target", "actual", "weight", "score", "note"],
    ["level1", "level2", "name", "target_op", "target", "target_unit", "actual", "weight", "score"],
    ["name", "target", "actual", "weight", "score", "note"],
]


@pytest.mark.parametrize("roles", ROLE_SETS, ids=["plain", "split-target", "names-first"])
def test_the_row_programme_gives_what_it_gives_when_every_fit_is_asked(
    roles: list[str | None],
) -> None:
    # The programme assumes the higher fit of a cell until its best layout
    # holds it; with every cell's exact fit known beforehand it must lay out
    # the same rows.
    from jixiao_parser.recover import flat

    for words in _windows(60):
        tokens = [Tok(w, 1, 1, 0) for w in words]
        flat._EXACT_FITS.cache_clear()
        assumed = indicator_rows(tokens, roles)
        for i in range(len(words)):  # every cell the programme may try, asked first
            for s in range(1, 4):
                flat._EXACT_FITS[" ".join(words[i : i + s])]
        asked = indicator_rows(tokens, roles)
        flat._EXACT_FITS.cache_clear()
        assert [[t and t.text for t in r] for r in assumed] == [
            [t and t.text for t in r] for r in asked
        ]


def test_the_glued_label_pattern_finds_what_its_plain_form_finds() -> None:
    # _labels() is one alternation of branches that each open with a character
    # (the standard engine then skips what no label starts with); written plainly,
    # with the mark and the 其中 prefix optional in front, it must find the same
    import random

    import regex

    from jixiao_parser import vocab
    from jixiao_parser.recover import glued

    words = glued._label_words()
    plain = regex.compile(
        r"(?:[*★]\s*)?"
        f"(?:{glued._trie(set(vocab.FUNDING_SUB_LINE))}:?)?{glued._trie(words)}"
        r"(?:\s*\([^()]{1,12}\))*:?"
    )
    pieces = [*sorted(words), "*", "★", " ", "\t", "\x1c", "(元)", "(50分)", "(", ")", ":"]
    pieces += ["其中", "其中:", "1.", "甲", "100", "≥95%", "\n"]
    rng = random.Random(2)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(4000)]
    for text in texts:
        assert [m.span() for m in glued._labels().finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_a_glued_run_of_figures_is_cut_as_trying_every_weight_cuts_it() -> None:
    # _cut_run tries only the weights that can score above no cut at all (5, 10 …
    # 30, 100); trying every weight from 1 to 30 or 100 must cut alike
    import random

    from jixiao_parser.recover import glued

    def every_weight(run: str) -> tuple[str, ...]:
        best: tuple[float, tuple[str, ...]] = (2.5, (run,))
        for i in range(1, len(run)):
            for j in range(i if i <= 3 else i + 1, min(i + 4, len(run))):
                weight = run[i:j] if j > i else run[:i]
                if not weight.isdecimal() or not (1 <= (w := int(weight)) <= 30 or w == 100):
                    continue
                parts = (run[:i], weight, run[j:]) if j > i else (weight, run[i:])
                score = glued._plausible(list(parts))
                if score > best[0]:
                    best = (score, parts)
        return best[1]

    rng = random.Random(5)
    runs = ["83501010", "10098.58", "55", "2023", "1181092", "9515", "100100", "3010"]
    runs += [
        "".join(rng.choice("0123456789.") for _ in range(rng.randrange(2, 12))) for _ in range(3000)
    ]
    for run in runs:
        assert glued._cut_run(run) == every_weight(run), run


def test_a_figure_is_told_alike_by_either_engine() -> None:
    # ASCII text is matched by the standard library's engine, the rest by the
    # regex module's: both must tell a figure alike
    import random

    from jixiao_parser.recover import flat

    pieces = [
        "1",
        "23",
        "3,000",
        ",",
        ".",
        "5",
        "%",
        "‰",
        "-",
        "+",
        "１",
        "٣",
        "万",
        "元",
        " ",
        "a",
    ]
    rng = random.Random(4)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 6))) for _ in range(5000)]
    for text in texts:
        assert flat._is_figure(text) == bool(flat._FIGURE.match(text)), text
