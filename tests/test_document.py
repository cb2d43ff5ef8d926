"""The document types and the one normalisation every cell gets."""

from __future__ import annotations

import pickle
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jixiao_parser.document import Cell, Line, normalize_text
from jixiao_parser.values import normalize_value_text
from strategies import renderings, typed_values

# what forms mix into cells: full-width forms, operator look-alikes, powers,
# circled numbers, spaces of every kind, accents NFKC takes apart
PIECES = st.sampled_from(
    ["＞＝", "≧", "≦", "﹦", "═", "〓", "≒", "９５", "％", "（", "）", "：", "㎡", "㎥", "m²",
     "①", "④=①+②", "\u3000", "\u00a0", " ", "\n", "\t", "\r\n", "´", "ﾞ", "項目", "指标"]
)  # fmt: skip
cell_like = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=8).map("".join)


@given(st.one_of(cell_like, st.text(), typed_values().flatmap(renderings)))
@example("´ ´")
@example("a\u3000\n\u00a0b")
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("＞＝ ９５ ％", ">= 95 %"),
        ("项目资金 （元）", "项目资金 (元)"),
        ("其中：当年财政拨款", "其中:当年财政拨款"),
        ("≧90%", "≥90%"),
        ("≦5", "≤5"),
        ("﹦5万份", "=5万份"),
        ("═100", "=100"),
        ("〓12", "=12"),
        ("≥1000㎡", "≥1000m²"),
        ("50m³", "50m³"),
        ("年初部门预算安排金额①", "年初部门预算安排金额①"),
        ("扩大选择\n\n范围", "扩大选择\n范围"),
        ("  示例\u3000 项目 ", "示例 项目"),
        ("a \n b", "a\nb"),
        ("", ""),
    ],
)
def test_what_normalised_means(raw: str, norm: str) -> None:
    assert normalize_text(raw) == norm


@given(cell_like)
def test_normalised_text_has_no_compatibility_forms_but_the_kept_ones(text: str) -> None:
    kept = set("²³") | set(map(chr, range(ord("①"), ord("⑳") + 1)))
    norm = normalize_text(text)
    for ch in set(norm) - kept:
        assert unicodedata.normalize("NFKC", ch) == ch or ch in "\n", repr(ch)


@given(st.one_of(cell_like, typed_values().flatmap(renderings)))
def test_value_normalisation_reads_normalised_text_alike(text: str) -> None:
    # the value normaliser may start from Cell.norm: it gives what it gives from the raw text
    assert normalize_value_text(normalize_text(text)) == normalize_value_text(text)


def test_a_cell_keeps_its_text_and_normalises_it_once() -> None:
    cell = Cell("＝１００％", 2, 3, line=7)
    assert (cell.text, cell.norm, cell.where) == ("＝１００％", "=100%", "line 7 col 4")
    moved = cell.replace(row=5)
    assert (moved.text, moved.norm, moved.row, moved.line) == (cell.text, cell.norm, 5, 7)
    assert cell.replace(text="").norm == ""
    assert moved != cell and cell.replace() == cell and hash(cell.replace()) == hash(cell)
    assert pickle.loads(pickle.dumps(cell)) == cell


def test_a_line_keeps_its_filled_cells_and_asks_each_finder_once() -> None:
    asked: list[str] = []

    def find(text: str) -> str | None:
        asked.append(text)
        return "name" if text == "项目名称" else None

    line = Line((Cell("项目名称", 0, 0), Cell("", 0, 1), Cell("（示例）", 0, 2)))
    assert [c.col for c in line.filled] == [0, 2]
    assert line.roles(find) == line.roles(find) == ("name", None)
    assert asked == ["项目名称", "(示例)"]  # normalised text, once
    assert line == Line(line.cells) and line != Line(line.cells, paragraph=True)
    assert pickle.loads(pickle.dumps(line)) == line


def _nfkc_kept(text: str) -> str:
    """NFKC of the whole text with the kept characters shielded, look-alikes
    folded: what the fold did before full-width forms were mapped first."""
    from jixiao_parser import document

    t = text
    if document._TO_SHIELD.search(t):
        t = document._TO_SHIELD.sub(document._shield, t)
        t = document._TO_UNSHIELD.sub(document._unshield, unicodedata.normalize("NFKC", t))
    else:
        t = unicodedata.normalize("NFKC", t)
    return document._TO_FOLD.sub(document._fold, t)


# full-width forms next to what composes with them or around them
WIDE = st.sampled_from(
    ["Ａ", "ｅ", "，", "；", "（", "\u3000", "\u0301", "\u0308", "\u3099", "ｶ", "ﾞ", "ﬁ", "²",
     "①", "\ue000", "Å", "가", "\u1100", "\u1161"]
)  # fmt: skip


@given(st.lists(st.one_of(WIDE, PIECES, st.text(max_size=2)), max_size=10).map("".join))
@example("Ａ\u0301")
@example("，\u0308ｅ")
def test_full_width_forms_fold_as_nfkc_of_the_whole_text(text: str) -> None:
    from jixiao_parser.document import _fold_forms

    assert _fold_forms(text) == _nfkc_kept(text)


@given(st.lists(st.one_of(WIDE, PIECES, st.text(max_size=2)), max_size=10).map("".join))
@example("´")
def test_the_fold_gives_what_it_is_given(text: str) -> None:
    # normalize_text stops as soon as its space step changes nothing: that
    # holds only while folding folded text changes nothing
    from jixiao_parser.document import _fold_forms

    once = _fold_forms(text)
    assert _fold_forms(once) == once
