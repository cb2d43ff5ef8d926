"""Text overflowing its cell across a ruling (issue 16), on synthetic pages.

A sheet printed with fixed row heights draws a wrapped cell's lines in full,
across the rulings into the empty cells below (top-aligned), above (bottom-
aligned) or both (centred). ``page_blocks`` puts such a run of lines back into
the cell it was set in, and leaves every cell whose text may be its own alone.

The pages here are glyphs (10 pt, CJK characters 10 pt wide) and ruling edges
placed by hand; the rendered cases are in ``corpus/renditions/*_overflow``.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao_parser.document import Table
from jixiao_parser.readers.pdf import Edge, Glyph, page_blocks

SIZE = 10.0
PITCH = 14.5  # a line pitch of 1.45 em, as office suites print CJK text
PAD = 2.5  # from a ruling to the top of the glyphs of a top-aligned first line


def line(text: str, x0: float, top: float, size: float = SIZE) -> list[Glyph]:
    return [
        Glyph(ch, x0 + k * size, top, x0 + (k + 1) * size, top + size, size)
        for k, ch in enumerate(text)
    ]


def grid(
    xs: list[float], ys: list[float], merged: tuple[int, int, int] | None = None
) -> list[Edge]:
    """Ruling edges of a grid; ``merged=(row, col, cols)`` leaves out the vertical
    rulings inside that row's cells ``col`` to ``col + cols - 1``."""
    edges = [Edge("h", y, xs[0], xs[-1]) for y in ys]
    for j, x in enumerate(xs):
        for i in range(len(ys) - 1):
            if merged and i == merged[0] and merged[1] < j < merged[1] + merged[2]:
                continue
            edges.append(Edge("v", x, ys[i], ys[i + 1]))
    return edges


def cells(glyphs: list[Glyph], edges: list[Edge]) -> dict[tuple[int, int], str]:
    (table,) = [b for b in page_blocks(glyphs, edges, 1) if isinstance(b, Table)]
    return {(c.row, c.col): c.text for row in table.rows for c in row}


# one label column 0..60, one note column 60..121 (six characters a line)
XS = [0.0, 60.0, 121.0]


def rows(*heights: float, top: float = 20.0) -> list[float]:
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    return ys


# -- joined -------------------------------------------------------------------


def test_top_aligned_text_running_on_into_the_empty_cells_below_joins_its_cell() -> None:
    ys = rows(18, 18, 18, 18)  # rows of 1.24 lines
    text = ["部分外来务工", "家庭参与度不", "高，将增加周", "末服务时段。"]
    glyphs = [g for k, t in enumerate(text) for g in line(t, 61, ys[0] + PAD + k * PITCH)]
    got = cells(glyphs, grid(XS, ys))
    assert got[(0, 1)] == "".join(text)
    assert got[(1, 1)] == got[(2, 1)] == got[(3, 1)] == ""


def test_a_centred_label_cut_as_its_last_character_joins_its_cell() -> None:
    # 社会效益指 / 标, centred on a row shorter than the line pitch: both lines
    # land in the rows around it, the row itself holds nothing
    ys = rows(18, 12, 18)
    centre = (ys[1] + ys[2]) / 2
    glyphs = line("社会效益指", 5, centre - PITCH / 2 - SIZE / 2) + line(
        "标", 25, centre + PITCH / 2 - SIZE / 2
    )
    got = cells(glyphs, grid(XS, ys))
    assert (got[(0, 0)], got[(1, 0)], got[(2, 0)]) == ("", "社会效益指标", "")


def test_a_centred_note_spread_over_the_rows_around_it_joins_its_cell() -> None:
    ys = rows(18, 18, 18, 18, 18)
    text = ["个案咨询需提", "前预约，部分", "居民担心隐私", "而未预约，下", "年度将开通线"]
    centre = (ys[2] + ys[3]) / 2
    first = centre - (len(text) * PITCH - (PITCH - SIZE)) / 2
    glyphs = [g for k, t in enumerate(text) for g in line(t, 61, first + k * PITCH)]
    got = cells(glyphs, grid(XS, ys))
    assert [got[(r, 1)] for r in range(5)] == ["", "", "".join(text), "", ""]


def test_bottom_aligned_text_running_up_joins_its_cell() -> None:
    ys = rows(18, 18, 18)
    text = ["部分外来务工", "家庭参与度不", "高"]
    last = ys[3] - PAD - SIZE
    glyphs = [g for k, t in enumerate(text) for g in line(t, 61, last - (2 - k) * PITCH)]
    got = cells(glyphs, grid(XS, ys))
    assert [got[(r, 1)] for r in range(3)] == ["", "", "".join(text)]


# -- left alone -----------------------------------------------------------------


def test_a_next_row_cell_at_its_own_padding_with_a_fresh_pitch_is_its_own() -> None:
    ys = rows(32, 18)  # row 0 holds its two lines; row 1's text starts afresh
    glyphs = (
        line("部分外来务工", 61, ys[0] + PAD)
        + line("家庭参与度不", 61, ys[0] + PAD + PITCH)
        + line("将增加周末服", 61, ys[1] + PAD)
    )
    got = cells(glyphs, grid(XS, ys))
    assert (got[(0, 1)], got[(1, 1)]) == ("部分外来务工家庭参与度不", "将增加周末服")


def test_a_next_row_cell_at_its_own_padding_on_the_same_pitch_is_its_own() -> None:
    # rows exactly one line pitch high: row 1's line is one pitch below row 0's
    # and full, but it starts at row 1's own top padding, as row 1's text would
    ys = rows(PITCH, PITCH, PITCH)
    glyphs = [g for r in range(3) for g in line("部分外来务工"[: 6 - r], 61, ys[r] + PAD)]
    got = cells(glyphs, grid(XS, ys))
    assert [got[(r, 1)] for r in range(3)] == ["部分外来务工", "部分外来务", "部分外来"]


def test_a_next_row_cell_at_the_same_padding_as_the_row_above_is_its_own() -> None:
    # rows exactly two line pitches high, text top-aligned: row 1's first line is
    # one pitch below row 0's last, full one, at the padding row 0's text has
    ys = rows(2 * PITCH, 2 * PITCH)
    glyphs = (
        line("部分外来务工", 61, ys[0] + PAD)
        + line("家庭参与度不", 61, ys[0] + PAD + PITCH)
        + line("将增加周末服", 61, ys[1] + PAD)
    )
    got = cells(glyphs, grid(XS, ys))
    assert (got[(0, 1)], got[(1, 1)]) == ("部分外来务工家庭参与度不", "将增加周末服")


def test_centred_labels_filling_their_cells_stay_apart() -> None:
    # a column fitted to its four-character labels, rows as high as a line
    ys = rows(PITCH, PITCH, PITCH, PITCH)
    labels = ["数量指标", "质量指标", "时效指标", "成本指标"]
    xs = [0.0, 42.0, 100.0]
    glyphs = [
        g for r, t in enumerate(labels) for g in line(t, 1, (ys[r] + ys[r + 1]) / 2 - SIZE / 2)
    ]
    got = cells(glyphs, grid(xs, ys))
    assert [got[(r, 0)] for r in range(4)] == labels


def test_a_line_that_had_room_for_more_does_not_run_on() -> None:
    # the line before the ruling is short: the next one is not its wrap
    ys = rows(18, 18)
    glyphs = line("无", 61, ys[0] + PAD) + line("部分外来务工", 61, ys[0] + PAD + PITCH)
    got = cells(glyphs, grid(XS, ys))
    assert (got[(0, 1)], got[(1, 1)]) == ("无", "部分外来务工")


def test_a_cell_holding_its_own_text_beside_the_run_is_left_alone() -> None:
    ys = rows(18, 36)
    glyphs = (
        line("部分外来务工", 61, ys[0] + PAD)
        + line("家庭参与度不", 61, ys[0] + PAD + PITCH)  # runs into row 1
        + line("将增加周末服", 61, ys[1] + 20)  # row 1's own line, off the pitch
    )
    got = cells(glyphs, grid(XS, ys))
    assert got[(0, 1)] == "部分外来务工"
    assert got[(1, 1)] == "家庭参与度不将增加周末服"


def test_a_cell_below_spanning_other_columns_is_left_alone() -> None:
    xs = [0.0, 60.0, 121.0, 180.0]
    ys = rows(18, 18)
    glyphs = line("部分外来务工", 61, ys[0] + PAD) + line("家庭参与度不", 61, ys[0] + PAD + PITCH)
    got = cells(glyphs, grid(xs, ys, merged=(1, 1, 2)))
    assert (got[(0, 1)], got[(1, 1)]) == ("部分外来务工", "家庭参与度不")


def test_lines_of_another_size_are_another_paragraph() -> None:
    ys = rows(18, 18)
    glyphs = line("部分外来务工", 61, ys[0] + PAD) + line(
        "家庭参与度", 61, ys[0] + PAD + PITCH, 11.5
    )
    got = cells(glyphs, grid(XS, ys))
    assert (got[(0, 1)], got[(1, 1)]) == ("部分外来务工", "家庭参与度")


def test_a_line_off_the_run_of_the_lines_above_is_its_cells_own() -> None:
    # row 1's line is neither flush left, centred nor flush right with row 0's
    ys = rows(18, 18)
    glyphs = line("部分外来务工", 61, ys[0] + PAD) + line("家庭参与", 75, ys[0] + PAD + PITCH)
    got = cells(glyphs, grid(XS, ys))
    assert (got[(0, 1)], got[(1, 1)]) == ("部分外来务工", "家庭参与")


# -- text that fits its cell is never moved --------------------------------------


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 6), st.floats(0, 20)),
        min_size=2,
        max_size=8,
    ),
    st.sampled_from(["top", "center", "bottom"]),
)
def test_text_that_fits_its_cell_stays_there(
    spec: list[tuple[int, int, float]], valign: str
) -> None:
    """Random rows, each cell text (0 to 3 lines of 0 to 6 characters) set in its
    row top-aligned, centred or bottom-aligned, the row as high as its lines or higher.

    One alignment for the column, as a sheet's column has: a column whose cells
    alternate bottom- and top-alignment in rows exactly one line high can line
    up as one centred paragraph, and is not covered."""
    heights = [max(n * PITCH, SIZE + 2 * PAD) + extra for n, _, extra in spec]
    ys = rows(*heights)
    glyphs: list[Glyph] = []
    want = []
    for r, (n, width, _) in enumerate(spec):
        texts = ["家庭参与度不"[:width] for _ in range(n)] if width else []
        want.append("".join(texts))
        block = len(texts) * PITCH - (PITCH - SIZE)
        first = {
            "top": ys[r] + PAD,
            "center": (ys[r] + ys[r + 1] - block) / 2,
            "bottom": ys[r + 1] - PAD - block,
        }[valign]
        glyphs += [g for k, t in enumerate(texts) for g in line(t, 61, first + k * PITCH)]
    got = cells(glyphs, grid(XS, ys))
    assert [got[(r, 1)] for r in range(len(spec))] == want
