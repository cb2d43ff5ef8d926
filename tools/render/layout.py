"""A text case → its forms: paragraphs above each table, the padded grid, its
blocks (indicators, funding) and merged cells, and column widths (rules in the
docstring of tools/render_corpus.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jixiao_parser.document import Paragraph, Table
from jixiao_parser.readers.text import decode_text, text_to_document
from jixiao_parser.vocab import INDICATOR_COLUMNS, lookup, section_heading

TOTAL_LABELS = frozenset({"总分", "合计", "总计", "自评总分"})
GOAL_LABELS = frozenset(
    {
        "预期目标",
        "预算目标",
        "项目年度目标",
        "年度总体目标",
        "项目目标完成情况",
        "年度目标",
        "总体目标",
        "实际完成情况",
    }
)
LEVEL_HEADINGS = frozenset({"一级指标", "二级指标", "三级指标"})
_YEAR_LINE = re.compile(r"^[（(]?\s*\d{4}\s*年度?\s*[)）]?$")
_BARE_NUMBER = re.compile(r"[-+]?[\d,]+(?:\.\d+)?%?")
_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


def key(text: str) -> str:
    """A label folded for matching: no spaces, no ``*`` marks, no trailing colon."""
    k = re.sub(r"\s+", "", text)
    k = k.lstrip("*★").rstrip(":：")
    return k


@dataclass
class Form:
    paragraphs: list[str]
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r, c, rs, cs
    indicator_row: int | None = None
    funding_rows: tuple[int, int] | None = None
    total_row: int | None = None


def is_title_or_year(text: str) -> bool:
    return "自评表" in text or bool(_YEAR_LINE.match(text.strip()))


def load_forms(path: Path) -> list[Form]:
    doc = text_to_document(decode_text(path.read_bytes(), str(path)), str(path))
    forms: list[Form] = []
    current: Form | None = None
    pending: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if current is not None and not pending and section_heading(block.text):
                current.rows.append([block.text])  # 二、绩效目标: a row of its own
            elif current is not None and not pending and not is_title_or_year(block.text):
                append_continuation(current, block.text)
            else:
                pending.append(block.text)
        elif isinstance(block, Table):
            rows = [[cell.text for cell in row] for row in block.rows]
            if current is not None and not pending:
                current.rows.extend(rows)
            else:
                current = Form(paragraphs=pending, rows=rows)
                forms.append(current)
                pending = []
    for form in forms:
        normalise_grid(form)
        compute_merges(form)
    return forms


def append_continuation(form: Form, text: str) -> None:
    row = form.rows[-1]
    for c in range(len(row) - 1, -1, -1):
        if row[c]:
            row[c] += text
            return
    row.append(text)


def normalise_grid(form: Form) -> None:
    width = max(len(r) for r in form.rows)
    rows = [r + [""] * (width - len(r)) for r in form.rows]
    while width > 1 and all(not r[width - 1] for r in rows):
        width -= 1
        rows = [r[:width] for r in rows]
    form.rows = rows


def compute_merges(form: Form) -> None:
    rows = form.rows
    n = len(rows)
    h = next((r for r in range(n) if any(key(t) == "一级指标" for t in rows[r])), None)
    form.indicator_row = h
    end = n
    if h is not None:
        for r in range(h + 1, n):
            first = next((t for t in rows[r] if t), "")
            if key(first) in TOTAL_LABELS:
                end = r
                break
        form.total_row = end if end < n else None
    limit = h if h is not None else n
    f = next((r for r in range(limit) if any("预算数" in t for t in rows[r])), None)
    if f is not None:
        g = next(
            (
                r
                for r in range(f + 1, limit)
                if any(key(t) in GOAL_LABELS or _indicator_label(t) for t in rows[r])
                or (len([t for t in rows[r] if t]) == 1 and section_heading(rows[r][0]))
            ),
            limit,
        )
        form.funding_rows = (f, g)

    blocked: set[int] = set()
    merges: list[tuple[int, int, int, int]] = []

    def vertical(start: int, stop: int, is_label) -> None:  # type: ignore[no-untyped-def]
        for c in range(len(rows[0])):
            r = start
            while r < stop:
                if rows[r][c] and is_label(rows[r][c]):
                    r2 = r + 1
                    while r2 < stop and not rows[r2][c]:
                        r2 += 1
                    if r2 - r > 1:
                        merges.append((r, c, r2 - r, 1))
                    r = r2
                else:
                    r += 1
        blocked.update(range(start, stop))

    if h is not None:

        def indicator_label(text: str) -> bool:
            k = _POINTS.sub("", key(text))
            return k.endswith("指标") and k not in LEVEL_HEADINGS

        vertical(h, end, indicator_label)
    if form.funding_rows is not None:
        vertical(*form.funding_rows, lambda t: key(t).startswith("项目资金"))
    for r in range(n):
        if r in blocked:
            continue
        row = rows[r]
        c = 0
        while c < len(row):
            if row[c] and not _BARE_NUMBER.fullmatch(row[c]):
                c2 = c + 1
                while c2 < len(row) and not row[c2]:
                    c2 += 1
                if c2 - c > 1:
                    merges.append((r, c, 1, c2 - c))
                c = c2
            else:
                c += 1
    form.merges = sorted(merges)


def _indicator_label(text: str) -> bool:
    """A label of the indicator table's header (指标名称, 三级指标 …)."""
    return lookup(INDICATOR_COLUMNS, text) in ("name", "level1", "level2")


def covered(form: Form) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Grid position → the merge covering it (top-left included)."""
    out = {}
    for m in form.merges:
        r, c, rs, cs = m
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                out[(i, j)] = m
    return out


def display_width(text: str) -> float:
    """Width in em: ASCII (digits, Latin) about half a CJK character."""
    return sum(0.55 if ord(ch) < 0x2000 else 1.0 for ch in text)


def column_weights(form: Form, cap: float = 10.0) -> list[float]:
    """Relative column widths from the longest line of each column's unspanned cells.

    Text counts up to ``cap`` em (10; 6 for large type); a bare number counts in
    full (+1.5 em), so short numbers rarely wrap, while long amounts still may in
    a crowded table.
    """
    width = len(form.rows[0])
    spans = {(m[0], m[1]): m for m in form.merges}
    weights = []
    for c in range(width):
        longest = number = 0.0
        for r, row in enumerate(form.rows):
            m = spans.get((r, c))
            if m is not None and m[3] > 1:
                continue
            for line in row[c].split("\n"):
                longest = max(longest, display_width(line))
            if _BARE_NUMBER.fullmatch(row[c]):
                number = max(number, display_width(row[c]))
        weights.append(max(3.0, min(longest, cap) + 1.5, number + 1.5))
    return weights
