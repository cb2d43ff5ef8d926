"""What a line says by its labels: a title, a year, a section's first row.

Each predicate reads a :class:`~jixiao_parser.document.Line` by the label
vocabulary (:mod:`jixiao_parser.vocab`) on its cells' normalised text, never
by its position in the document.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import regex

from .. import vocab
from ..document import Line

__all__ = [
    "FUNDING_ROLE",
    "GOAL_ROLE",
    "HEADER_ROLE",
    "INDICATOR_ROLE",
    "ends_section",
    "filled_header",
    "goal_subtable",
    "goal_subtable_label",
    "heading_of",
    "is_footer_row",
    "is_funding_columns",
    "is_funding_start",
    "is_goals_start",
    "is_header_row",
    "is_indicator_header",
    "is_level_label",
    "is_title",
    "is_total",
    "label_kind",
    "labels",
    "opens_row",
    "snap_label",
    "starts_project",
    "year_of_line",
]

#: the role of a cell's normalised text in each label table (cached lookups)
HEADER_ROLE = vocab.finder(vocab.HEADER_FIELDS)
FUNDING_ROLE = vocab.finder(vocab.FUNDING_COLUMNS, prefix=True)
GOAL_ROLE = vocab.goal_role
INDICATOR_ROLE = vocab.finder(vocab.INDICATOR_COLUMNS)

# a stray mark OCR read at either end of a label (a speck, a ruling's stub)
_NOISE = regex.compile(
    r"^[-－—_~·.,，、'\"‘’“”|!！;；`^]{1,2}|[-－—_~·.,，、。'\"‘’“”|!！;；`^]{1,2}$"
)
_LONG = 6  # a label this long may have two characters misread
# a dash opening a label: OCR's reading of 一 (一级指标 read as "—级指标")
_DASH_ONE = regex.compile(r"^[-－—_](?=\p{Han})")
# the tables whose labels name a column (their text is in no report)
_COLUMNS = (vocab.INDICATOR_COLUMNS, vocab.FUNDING_COLUMNS)
_NOT_COLUMNS = (
    vocab.HEADER_FIELDS,
    vocab.FUNDING_ROWS,
    vocab.GOAL_LABELS,
    vocab.SECTION_HEADINGS,
    vocab.GROUP_LABELS,
    vocab.LEVEL1_TERMS,
    vocab.LEVEL2_TERMS,
    vocab.TOTAL_LABELS,
    vocab.FOOTER_LABELS,
)
_YEAR_LINE = regex.compile(r"^[(（]?\s*(?P<y>(?:19|20)\d\d)\s*年度?\s*[)）]?$")
_VALUE_ROLES = frozenset({"target", "actual", "target_op"})
_GOAL_SUBTABLE = regex.compile(
    rf"^(?P<label>(?:{'|'.join(sorted(vocab.GOAL_SUBTABLE, key=len, reverse=True))})\d+)"
    r"(?:[(](?P<points>\d+(?:\.\d+)?)分[)])?$"
)


@functools.lru_cache(maxsize=65536)
def label_kind(text: str) -> str | None:
    """What vocabulary a cell's text belongs to, if any: ``"header"``,
    ``"funding"`` (a column, row or block label), ``"goal"``, ``"indicator"`` (a
    column label), ``"level"`` (a level-1/level-2 label or a group label such as
    绩效指标), ``"total"``, ``"footer"``, ``"section"`` (a heading row), ``"title"``
    or ``"year"``; None for anything else (a name, a value, a note).

    >>> label_kind("主管部门："), label_kind("产出指标 (50分)"), label_kind("三、预算执行情况")
    ('header', 'level', 'section')
    >>> label_kind("为全市120个社区助餐点提供运营补贴") is None
    True
    """
    if not text or len(text) > 40:
        return None
    key = vocab.label_key(text)
    plain = vocab.role_key(text)  # (the tables asked as vocab.lookup asks them, at once)
    if (
        vocab.role_of_keys(vocab.HEADER_FIELDS, key, plain)
        or key.split(":", 1)[0] in vocab.HEADER_FIELDS
    ):
        return "header"
    if (
        vocab.role_of_keys(vocab.FUNDING_ROWS, key, plain) is not None
        or vocab.role_of_keys(vocab.FUNDING_COLUMNS, key, plain) is not None
        or key.startswith(vocab.FUNDING_SECTION)
        or key.startswith(vocab.FUNDING_SUB_LINE)
    ):
        return "funding"
    if GOAL_ROLE(text) or (key.startswith(vocab.GOAL_SUBTABLE) and _GOAL_SUBTABLE.match(key)):
        return "goal"
    if vocab.role_of_keys(vocab.INDICATOR_COLUMNS, key, plain):
        return "indicator"
    if _level_term(vocab.without_points(key)):
        return "level"
    if key in vocab.TOTAL_LABELS:
        return "total"
    if key in vocab.FOOTER_LABELS or key.split(":", 1)[0] in vocab.FOOTER_LABELS:
        return "footer"
    if vocab.section_heading(text):
        return "section"
    if vocab.TITLE.search(key):
        return "title"
    if "年" in text and _YEAR_LINE.match(text):  # (年: what the pattern needs)
        return "year"
    return None


def _level_term(bare: str) -> bool:
    """A level-1, level-2 or group label's key, its points dropped."""
    return bare in vocab.LEVEL1_TERMS or bare in vocab.LEVEL2_TERMS or bare in vocab.GROUP_LABELS


def is_level_label(text: str) -> bool:
    """``label_kind(text) == "level"``, the vocabulary asked in full only of a text
    whose key is a level term (most cells are none).

    >>> is_level_label("产出指标(50分)"), is_level_label("场次")
    (True, False)
    """
    return _level_term(vocab.without_points(vocab.label_key(text))) and label_kind(text) == "level"


def ends_section(text: str) -> bool:
    """Whether ``label_kind(text)`` is ``"total"``, ``"footer"``, ``"section"`` or
    ``"title"``, the vocabulary asked in full only of a text whose key may be one
    (most cells are none).

    >>> ends_section("总分"), ends_section("评价结论:"), ends_section("场次")
    (True, True, False)
    """
    key = vocab.label_key(text)
    maybe = (
        key in vocab.TOTAL_LABELS
        or key in vocab.FOOTER_LABELS
        or key.split(":", 1)[0] in vocab.FOOTER_LABELS
        or vocab.section_heading(text) is not None
        or vocab.TITLE.search(key) is not None
    )
    return maybe and label_kind(text) in ("total", "footer", "section", "title")


_ROW_KINDS = frozenset({"header", "goal", "level", "total", "footer", "section"})
# indicator columns a row may open with (the rest sit inside a row)
_FIRST_COLUMNS = frozenset({"level1", "level2", "name"})


@functools.lru_cache(maxsize=65536)
def opens_row(text: str) -> bool:
    """Whether a row may open with this label: a header, goal, level, total or
    footer label, a section heading, a funding row or block label, or the first
    indicator column labels — not a column label that sits inside a row
    (年初预算数, 得分, 年度指标值).

    >>> opens_row("项目名称"), opens_row("其中:当年财政拨款"), opens_row("一级指标")
    (True, True, True)
    >>> opens_row("得分"), opens_row("年初预算数"), opens_row("示例")
    (False, False, False)
    """
    kind = label_kind(text)
    if kind in _ROW_KINDS:
        return True
    if kind == "funding":
        return vocab.lookup(vocab.FUNDING_COLUMNS, text) is None
    if kind == "indicator":
        return vocab.lookup(vocab.INDICATOR_COLUMNS, text) in _FIRST_COLUMNS
    return False


def labels(line: Line, find: Callable[[str], str | None]) -> list[str]:
    """The roles ``find`` gives the line's filled cells, those it knows only."""
    return [r for r in line.roles(find) if r]


def _known(line: Line, find: Callable[[str], str | None]) -> set[str | None]:
    """The distinct roles ``find`` gives the line's filled cells, ``None`` left out."""
    found = set(line.roles(find))
    found.discard(None)
    return found


def is_title(line: Line) -> bool:
    """A short line naming a self-evaluation form (``项目支出绩效自评表``)."""
    filled = line.filled
    if len(filled) != 1 or len(filled[0].text) > 60:
        return False
    return bool(vocab.TITLE.search(vocab.label_key(filled[0].norm)))


def year_of_line(line: Line) -> int | None:
    """``(2021 年度)`` / ``（2023年度）`` on a line of its own."""
    filled = line.filled
    if len(filled) != 1:
        return None
    m = _YEAR_LINE.match(filled[0].norm)
    return int(m.group("y")) if m else None


def is_header_row(line: Line) -> bool:
    return not line.paragraph and any(line.roles(HEADER_ROLE))


def starts_project(line: Line) -> bool:
    return "project_name" in line.roles(HEADER_ROLE)


def is_funding_columns(line: Line) -> bool:
    """A row of three or more money column labels (``年初预算数 全年预算数 全年执行数``)."""
    return len(_known(line, FUNDING_ROLE)) >= 3


def is_funding_start(line: Line) -> bool:
    if line.paragraph:
        return False
    if is_funding_columns(line):
        return True
    first = line.filled[0].norm if line.filled else ""
    return vocab.label_key(first).startswith(vocab.FUNDING_SECTION)


def is_goals_start(line: Line) -> bool:
    if line.paragraph:  # only an item label (2.项目实施内容及过程概述) stands alone
        return GOAL_ROLE(line.cells[0].norm) == "item"
    return any(line.roles(GOAL_ROLE)) or goal_subtable(line) is not None


def is_indicator_header(line: Line, below: Line | None = None) -> bool:
    """A row of indicator column labels (``一级指标 … 三级指标 年度指标值 …``), alone
    or completed by the row ``below`` (a two-row header whose first row only
    says ``绩效指标 … 年度指标值 实际完成值``)."""
    roles = _known(line, INDICATOR_ROLE)
    if len(roles) < 2:
        return False  # most rows: too few labels even with the row below
    if below is not None:
        roles |= _known(below, INDICATOR_ROLE)
    return "name" in roles and bool(roles & _VALUE_ROLES) and len(roles) >= 3


def goal_subtable(line: Line) -> tuple[str, str | None] | None:
    """``年度绩效目标1(40分)`` opening a repeated goal sub-table → (label, points)."""
    filled = line.filled
    return goal_subtable_label(filled[0].norm) if filled else None


def goal_subtable_label(text: str) -> tuple[str, str | None] | None:
    """A goal sub-table's label in one cell's text → (label, points).

    >>> goal_subtable_label("年度绩效目标1(40分)"), goal_subtable_label("预期目标")
    (('年度绩效目标1', '40'), None)
    """
    key = vocab.label_key(text)
    if not key.startswith(vocab.GOAL_SUBTABLE):
        return None  # what _GOAL_SUBTABLE opens with
    m = _GOAL_SUBTABLE.match(key)
    return (m.group("label"), m.group("points")) if m else None


def heading_of(line: Line) -> str | None:
    """The section a row that only names a section opens (``四、年度绩效指标完成情况``)."""
    filled = line.filled
    if not filled:
        return None
    heading = vocab.section_heading(filled[0].norm)
    if heading is None or len({c.text for c in filled}) != 1:
        return None  # (the heading first: most rows name none)
    return heading


def is_footer_row(line: Line) -> bool:
    """A row led by a footer label (``评价结论``, ``项目负责人:张三``)."""
    filled = line.filled
    if not filled:
        return False
    key = vocab.label_key(filled[0].norm)
    return key in vocab.FOOTER_LABELS or key.split(":", 1)[0] in vocab.FOOTER_LABELS


def is_total(line: Line) -> bool:
    filled = line.filled
    return bool(filled) and vocab.label_key(filled[0].norm) in vocab.TOTAL_LABELS


@functools.cache
def _labels() -> dict[int, list[str]]:
    """The form labels of the vocabulary (as ``label_key`` folds them), by length."""
    out: dict[int, list[str]] = {}
    for key in sorted(vocab.FORM_LABELS):
        if len(key) >= 3:
            out.setdefault(len(key), []).append(key)
    return out


@functools.cache
def _column_role(label: str) -> tuple[str, str] | None:
    """The role of a label that only names a money or indicator column (its text is
    in no report: 年度指标值 and 年初指标值 both say "target"); None for any other."""
    if any(label in other for other in _NOT_COLUMNS):
        return None
    named = [(k, table[label]) for k, table in enumerate(_COLUMNS) if label in table]
    return (str(named[0][0]), named[0][1]) if len(named) == 1 else None


def _nearest(key: str) -> str | None:
    """The one label ``key`` is a misreading of, if any: one character misread or
    dropped; or, for a label of :data:`_LONG` characters or more, two misread.
    Labels as near as each other that name the same column count as one."""
    labels = _labels()
    found = [
        label
        for label in labels.get(len(key), ())
        if sum(a != b for a, b in zip(label, key, strict=True)) == 1
    ] + [
        label
        for label in labels.get(len(key) + 1, ())
        if any(label[:k] + label[k + 1 :] == key for k in range(len(label)))
    ]
    if not found and len(key) >= _LONG:
        found = [
            label
            for label in labels.get(len(key), ())
            if sum(a != b for a, b in zip(label, key, strict=True)) == 2
        ]
    if len(found) == 1:
        return found[0]
    roles = {_column_role(label) for label in found}
    if len(roles) == 1 and None not in roles:
        return min(found)  # (the first by code point: the same label on every run)
    return None


def _clipped(key: str) -> str | None:
    """The column label ``key`` is the start of, where a narrow cell clipped a long
    label (偏差原因分析及 for 偏差原因分析及改进措施): a start of :data:`_LONG`
    characters or more, of labels that all name one column.

    >>> _clipped("偏差原因分析及"), _clipped("项目")
    ('偏差原因分析及改进措施', None)
    """
    if len(key) < _LONG:
        return None
    found = [
        label
        for length, labels in _labels().items()
        if length > len(key)
        for label in labels
        if label.startswith(key)
    ]
    roles = {_column_role(label) for label in found}
    if not found or len(roles) != 1 or None in roles:
        return None
    return min(found)  # (the first by code point: the same label on every run)


def _put_right(text: str, key: str, label: str) -> str:
    """``text`` (whose ``label_key`` is ``key``) with the characters that make it
    ``label`` put in, where each one's place in ``text`` is plain; else the label
    as the vocabulary writes it.

    >>> _put_right("项自名称：", "项自名称", "项目名称")
    '项目名称：'
    >>> _put_right("实际完成（", "实际完成(", "实际完成值")
    '实际完成值'
    """
    if len(label) == len(key):
        out = text
        for wrong, right in zip(key, label, strict=True):
            if wrong == right:
                continue
            if out.count(wrong) != 1:
                return label  # (a character the text has twice, or written otherwise)
            out = out.replace(wrong, right)
        return out
    k = next(i for i in range(len(label)) if label[:i] + label[i + 1 :] == key)
    anchor = key[0] if k == 0 else key[k - 1]
    if text.count(anchor) != 1:
        return label
    if k == 0:
        return text.replace(anchor, label[0] + anchor)
    return text.replace(anchor, anchor + label[k])


@functools.lru_cache(maxsize=65536)  # labels and values recur on every scanned form
def snap_label(text: str) -> str:
    """``text`` put right where it is a form label but for what OCR misread: one
    character misread or dropped (OCR reads 项目名称 as ``项自名称``, and drops a
    Traditional character it does not know: 年初預算數 as ``年初算數``), two misread
    in a label of six characters or more, a stray mark at either end
    (``-年度指标值``) or read apart from it (``采 实际完成情况``), 一 read as a dash
    (``—级指标``), or the end of a long column label a narrow cell clipped
    (``偏差原因分析及``). A text as near to two
    labels is left as it is, unless both name the same column (``年摩指标值``:
    年度指标值 or 年初指标值, the target).
    Texts that are labels already, or near none, stay as they are.

    >>> snap_label("项自名称："), snap_label("年初算數"), snap_label("项目名称")
    ('项目名称：', '年初预算數', '项目名称')
    >>> snap_label("-年度指标值"), snap_label("一级指标。"), snap_label("年摩指标值")
    ('年度指标值', '一级指标', '年初指标值')
    >>> snap_label("偏差原因分忻及改进搢施"), snap_label("项自名你")
    ('偏差原因分析及改进措施', '项自名你')
    >>> snap_label("自评得分很高"), snap_label("-指标说明很长"), snap_label("指标2")
    ('自评得分很高', '-指标说明很长', '指标2')
    >>> snap_label("—級指標"), snap_label("—级指标")  # 一 read as a dash
    ('一級指標', '一级指标')
    >>> snap_label("偏差原因分析及")  # a long label a narrow cell clipped
    '偏差原因分析及改进措施'
    >>> snap_label("采 实际完成情况"), snap_label("A 完成")  # a mark read apart from a label
    ('实际完成情况', 'A 完成')
    """
    key = vocab.label_key(text)
    if len(key) < 3 or key in _labels().get(len(key), ()) or vocab.TEMPLATE_ROW.match(key):
        return text  # (a template row's 指标2 is one character from 指标值)
    one = _DASH_ONE.sub("一", text)
    if one != text and vocab.label_key(one) in _labels().get(len(key), ()):
        return one
    parts = text.split()
    if len(parts) == 2 and min(len(p) for p in parts) == 1:  # "采 实际完成情况": a stray mark
        word = max(parts, key=len)
        if snap_label(word) != word or vocab.label_key(word) in _labels().get(len(word), ()):
            return snap_label(word)
    label = _nearest(key)
    if label is not None:
        return _put_right(text, key, label)
    label = _clipped(key)
    if label is not None:
        return label
    bare = _NOISE.sub("", text)
    if bare == text:
        return text
    key = vocab.label_key(bare)
    if len(key) < 3:
        return text
    if key in _labels().get(len(key), ()):
        return bare
    label = _nearest(key)
    return text if label is None else _put_right(bare, key, label)


# the indicator columns in the order forms give them, and the label each is named by
_COLUMN_ORDER = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
_COLUMN_LABEL = dict(zip(_COLUMN_ORDER, ("一级指标", "二级指标", "三级指标", "年度指标值",
                                         "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
                         strict=True))  # fmt: skip


def filled_header(texts: list[str]) -> list[str]:
    """A row of indicator column labels with the labels OCR could not read (a seal
    over them) named by their place: where three or more cells name columns in
    the forms' order (一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
    偏差原因分析及改进措施) and the cells between two of them are as many as the
    columns that order puts between, each unread, each is named as its column.
    Any other row is returned as it is.

    >>> filled_header(["一级指标", "二级指标", "三级", "年", "成值", "分值", "得分"])
    ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分']
    >>> filled_header(["一级指标", "二级指标", "三级", "成值", "分值", "得分"])
    ['一级指标', '二级指标', '三级', '成值', '分值', '得分']
    >>> filled_header(["产出指标", "数量指标", "助浴人次", "≥3000人次", "10", "10"])
    ['产出指标', '数量指标', '助浴人次', '≥3000人次', '10', '10']
    """
    places = [
        (k, _COLUMN_ORDER.index(role))
        for k, text in enumerate(texts)
        if text and (role := vocab.lookup(vocab.INDICATOR_COLUMNS, text)) in _COLUMN_LABEL
    ]
    if len(places) < 3 or any(b[1] <= a[1] for a, b in itertools.pairwise(places)):
        return texts
    out = list(texts)
    for (a, first), (b, last) in itertools.pairwise(places):
        gap = range(a + 1, b)
        if not gap or len(gap) != last - first - 1:
            continue
        if any(not texts[k] or label_kind(texts[k]) is not None for k in gap):
            continue  # an empty slot (a merged cell's), or another label
        for k, role in zip(gap, _COLUMN_ORDER[first + 1 : last], strict=True):
            out[k] = _COLUMN_LABEL[role]
    return out
