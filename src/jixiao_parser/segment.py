"""Segmentation: a Document's lines → one :class:`FormLayout` per form.

Forms and sections are found by label vocabulary, never by row numbers:

- a title line (``财政项目支出绩效自评表``) starts a form, and so does a
  ``项目名称`` row once the open form is past its header;
- ``项目资金 (元)`` / ``资金使用情况`` or a row of money column labels starts
  the funding block; ``预算目标`` / ``年度总体目标`` … the goals; a row with
  ``三级指标`` … ``年度指标值`` the indicator table; ``总分`` / ``合计`` under
  the indicator table its total; what follows the total is footer.
"""

from __future__ import annotations

import attrs
import regex

from . import vocab
from .document import Cell, Document, Paragraph

__all__ = ["FormLayout", "Line", "document_lines", "segment_forms"]

_YEAR_LINE = regex.compile(r"^[(（]?\s*(?P<y>(?:19|20)\d\d)\s*年度?\s*[)）]?$")


@attrs.frozen
class Line:
    """One row of cells, or a paragraph (then a single cell with ``col`` 0)."""

    cells: tuple[Cell, ...]
    paragraph: bool = False
    #: the non-empty cells, in order (computed once)
    filled: tuple[Cell, ...] = attrs.field(init=False, eq=False, repr=False)
    _memo: dict[int, tuple[str | None, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "filled", tuple([c for c in self.cells if c.text]))
        object.__setattr__(self, "_memo", {})

    def roles(self, table: dict[str, str], *, prefix: bool = False) -> tuple[str | None, ...]:
        """The role of each filled cell in ``table`` (``vocab.lookup``), looked up once
        per line: segmentation and the section parsers ask the same line often.

        >>> Line((Cell("项目名称", 0, 0), Cell("示例", 0, 1))).roles(vocab.HEADER_FIELDS)
        ('project_name', None)
        """
        key = ~id(table) if prefix else id(table)  # ids are never negative
        found = self._memo.get(key)
        if found is None:
            found = tuple(map(vocab.finder(table, prefix=prefix), [c.text for c in self.filled]))
            self._memo[key] = found
        return found

    @property
    def where(self) -> str:
        """``"line 19"`` for text, ``"p.2 r7"`` otherwise."""
        if not self.cells:
            return "?"
        first = self.cells[0]
        return (
            f"line {first.line}" if first.line is not None else f"p.{first.page} r{first.row + 1}"
        )


@attrs.frozen
class FormLayout:
    """The lines of one form, sorted into its sections."""

    title: Line | None = None
    year_lines: tuple[Line, ...] = ()
    header: tuple[Line, ...] = ()
    funding: tuple[Line, ...] = ()
    goals: tuple[Line, ...] = ()
    indicators: tuple[Line, ...] = ()
    total: Line | None = None
    footer: tuple[Line, ...] = ()
    pages: tuple[int, int] = (1, 1)


def document_lines(doc: Document) -> list[Line]:
    """Flatten a Document into lines in reading order.

    A merged cell is kept in its top-left slot; the slots it covers become
    empty cells, so that every format looks like a text export, where a merged
    level-1 label is followed by empty cells on the rows below.
    """
    out: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if vocab.label_key(block.text) in vocab.CAPTIONS:
                continue  # "续表": the table goes on, nothing to read
            cell = Cell(block.text, row=0, col=0, line=block.line, page=block.page)
            out.append(Line((cell,), paragraph=True))
        else:
            out.extend(Line(row) for row in _fill_spans(block.rows))
    return out


def _fill_spans(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[Cell, ...]]:
    """Rows with an empty cell in every slot a merged cell covers."""
    if not _has_spans(rows):
        return list(rows)  # nothing merged
    covered: dict[int, dict[int, Cell]] = {}
    # a span never reaches past the table (hostile files claim rowspan=100000)
    last_row = max((c.row for row in rows for c in row), default=0)
    last_col = max((c.col for row in rows for c in row), default=0)
    for row in rows:
        for c in row:
            for r in range(c.row, min(c.row + c.rowspan, last_row + 1)):
                for k in range(c.col, min(c.col + c.colspan, last_col + 1)):
                    if (r, k) != (c.row, c.col):
                        covered.setdefault(r, {})[k] = c
    out = []
    for row in rows:
        if not row:
            out.append(row)
            continue
        r = row[0].row
        cells = {c.col: c for c in row}
        for k, owner in covered.get(r, {}).items():
            if k not in cells:
                cells[k] = attrs.evolve(owner, text="", row=r, col=k, rowspan=1, colspan=1)
        out.append(tuple(cells[k] for k in sorted(cells)))
    return out


def _has_spans(rows: tuple[tuple[Cell, ...], ...]) -> bool:
    """Whether any cell spans more than its own slot (a plain loop: most tables
    have no merged cell, and every cell is looked at)."""
    for row in rows:
        for c in row:
            if c.rowspan != 1 or c.colspan != 1:
                return True
    return False


def is_title(line: Line) -> bool:
    """A short line naming a self-evaluation form (``项目支出绩效自评表``)."""
    filled = line.filled
    if len(filled) != 1 or len(filled[0].text) > 60:
        return False
    return bool(vocab.TITLE.search(vocab.label_key(filled[0].text)))


def year_of_line(line: Line) -> int | None:
    """``(2021 年度)`` / ``（2023年度）`` on a line of its own."""
    filled = line.filled
    if len(filled) != 1:
        return None
    m = _YEAR_LINE.match(filled[0].text)
    return int(m.group("y")) if m else None


def _labels(line: Line, table: dict[str, str], *, prefix: bool = False) -> list[str]:
    return [r for r in line.roles(table, prefix=prefix) if r]


def is_header_row(line: Line) -> bool:
    return not line.paragraph and any(line.roles(vocab.HEADER_FIELDS))


def starts_project(line: Line) -> bool:
    return "project_name" in line.roles(vocab.HEADER_FIELDS)


def is_funding_start(line: Line) -> bool:
    if line.paragraph:
        return False
    if len(set(_labels(line, vocab.FUNDING_COLUMNS, prefix=True))) >= 3:
        return True
    first = line.filled[0].text if line.filled else ""
    return vocab.label_key(first).startswith(vocab.FUNDING_SECTION)


def is_goals_start(line: Line) -> bool:
    if line.paragraph:
        return False
    return bool(_labels(line, vocab.GOAL_LABELS)) or goal_subtable(line) is not None


def is_indicator_header(line: Line, below: Line | None = None) -> bool:
    """A row of indicator column labels (``一级指标 … 三级指标 年度指标值 …``), alone
    or completed by the row ``below`` (a two-row header whose first row only
    says ``绩效指标 … 年度指标值 实际完成值``)."""
    roles = set(_labels(line, vocab.INDICATOR_COLUMNS))
    if below is not None and len(roles) >= 2:
        roles |= set(_labels(below, vocab.INDICATOR_COLUMNS))
    return "name" in roles and bool(roles & _VALUE_ROLES) and len(roles) >= 3


_VALUE_ROLES = frozenset({"target", "actual", "target_op"})
_GOAL_SUBTABLE = regex.compile(
    r"^(?P<label>(?:年度)?绩效目标\d+)(?:[(](?P<points>\d+(?:\.\d+)?)分[)])?$"
)


def goal_subtable(line: Line) -> tuple[str, str | None] | None:
    """``年度绩效目标1(40分)`` opening a repeated goal sub-table → (label, points)."""
    filled = line.filled
    if not filled:
        return None
    key = vocab.label_key(filled[0].text)
    if not key.startswith(("绩效目标", "年度绩效目标")):
        return None  # what _GOAL_SUBTABLE opens with
    m = _GOAL_SUBTABLE.match(key)
    return (m.group("label"), m.group("points")) if m else None


def heading_of(line: Line) -> str | None:
    """The section a row that only names a section opens (``四、年度绩效指标完成情况``)."""
    texts = {c.text for c in line.filled}
    if len(texts) != 1:
        return None
    return vocab.section_heading(texts.pop())


def is_footer_row(line: Line) -> bool:
    """A row led by a footer label (``评价结论``, ``项目负责人:张三``)."""
    filled = line.filled
    if not filled:
        return False
    key = vocab.label_key(filled[0].text)
    return key in vocab.FOOTER_LABELS or key.split(":", 1)[0] in vocab.FOOTER_LABELS


def is_total(line: Line) -> bool:
    filled = line.filled
    return bool(filled) and vocab.label_key(filled[0].text) in vocab.TOTAL_LABELS


def segment_forms(lines: list[Line]) -> tuple[list[FormLayout], list[Line]]:
    """Split lines into forms; also return the lines that belong to no form."""
    forms: list[dict[str, list[Line]]] = []
    outside: list[Line] = []
    state = "none"
    current: dict[str, list[Line]] = {}

    def open_form() -> dict[str, list[Line]]:
        form: dict[str, list[Line]] = {k: [] for k in _SECTIONS}
        if not forms:
            # a year line before the first form belongs to it; other text
            # before it (page chrome, a cover note) is not part of any form
            form["title"].extend(ln for ln in outside if year_of_line(ln) is not None)
            outside[:] = [ln for ln in outside if year_of_line(ln) is None]
        forms.append(form)
        return form

    filled_lines = [ln for ln in lines if ln.filled]
    for k, line in enumerate(filled_lines):
        if is_title(line):
            if state != "title":
                current = open_form()
            current["title"].append(line)
            state = "title"
            continue
        if starts_project(line) and state not in ("title", "header"):
            current = open_form()
            state = "header"
        if state == "none":
            if is_header_row(line):
                current = open_form()
                state = "header"
            else:
                outside.append(line)
                continue
        heading = heading_of(line)
        if heading is not None:
            # 一、基本情况 / 三、预算执行情况 …: layout, not data; it may open its
            # section (funding and goals come in either order)
            forward = _SECTIONS.index(heading) > _SECTIONS.index(state)
            swap = {heading, state} <= {"funding", "goals"}
            if (forward or swap) and state not in ("indicators", "total", "footer"):
                state = heading
            continue
        below = filled_lines[k + 1] if k + 1 < len(filled_lines) else None
        if state not in ("indicators", "total", "footer") and is_indicator_header(line, below):
            state = "indicators"
        else:
            state = _next_state(state, line)
        current[state].append(line)
    return [_layout(f) for f in forms], outside


_SECTIONS = ("title", "header", "funding", "goals", "indicators", "total", "footer")


def _next_state(state: str, line: Line) -> str:
    """The section ``line`` belongs to, given the section of the line before."""
    order = _SECTIONS.index(state)
    if state in ("title", "header") and year_of_line(line) is not None:
        return state
    if order <= _SECTIONS.index("header") and is_header_row(line) and not is_funding_start(line):
        return "header"
    if state == "goals" and len(set(_labels(line, vocab.FUNDING_COLUMNS, prefix=True))) >= 3:
        return "funding"  # the funding matrix after the goals (numbered-section layouts)
    if order < _SECTIONS.index("indicators"):
        if is_indicator_header(line):
            return "indicators"
        if order < _SECTIONS.index("goals") and is_goals_start(line):
            return "goals"
        if order < _SECTIONS.index("funding") and is_funding_start(line):
            return "funding"
    if state == "indicators" and is_total(line):
        return "total"
    if state == "indicators" and is_footer_row(line):
        return "footer"  # a form without a total row
    if state == "total":
        return "footer"
    return "header" if state == "title" else state


def _layout(form: dict[str, list[Line]]) -> FormLayout:
    title = next((ln for ln in form["title"] if is_title(ln)), None)
    rest = [ln for ln in form["title"] if ln is not title] + form["header"]
    year_lines = [ln for ln in rest if year_of_line(ln) is not None]
    header = [ln for ln in rest if year_of_line(ln) is None]
    totals = form["total"]
    pages = [c.page for sec in form.values() for ln in sec for c in ln.cells]
    return FormLayout(
        title=title,
        year_lines=tuple(year_lines),
        header=tuple(header),
        funding=tuple(form["funding"]),
        goals=tuple(form["goals"]),
        indicators=tuple(form["indicators"]),
        total=totals[0] if totals else None,
        footer=tuple(totals[1:] + form["footer"]),
        pages=(min(pages), max(pages)) if pages else (1, 1),
    )
