"""Label vocabulary: the words that name sections, columns and rows.

The vocabulary is data (``data/vocab.toml``): a new county's layout should be
a change there, not here. Every lookup goes through :func:`label_key`, which
normalises the text as every cell is (:func:`~jixiao_parser.document.normalize_text`:
full-width forms to ASCII …), folds Traditional characters to Simplified, drops
spaces, line breaks, marks (``*``, ``★``), pinyin glosses after Han characters
(``項(xiàng)目``) and a trailing colon, so
``"* 实际\\n完成值："`` and ``"實際完成值"`` both read as ``实际完成值``;
:func:`role_key` also drops formula annotations (``(A)``, ``(B/A)``, ``(%)``,
``①``, ``④=①+②+③``, ``(20分*执行率)``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import regex

from ._data import load_data
from .document import normalize_text

__all__ = [
    "CAPTIONS",
    "FOOTER_LABELS",
    "FORM_LABELS",
    "FORM_MARKS",
    "FUNDING_COLUMNS",
    "FUNDING_ROWS",
    "FUNDING_SECTION",
    "FUNDING_SUB_LINE",
    "GLUED_SHORT_LABELS",
    "GOAL_LABELS",
    "GOAL_SUBTABLE",
    "GROUP_LABELS",
    "HEADER_FIELDS",
    "INDICATOR_COLUMNS",
    "LABEL_SUFFIX",
    "LEVEL1_TERMS",
    "LEVEL2_ORDER",
    "LEVEL2_TERMS",
    "SECTION_HEADINGS",
    "TEMPLATE_ROW",
    "TITLE",
    "TOTAL_LABELS",
    "finder",
    "goal_role",
    "label_key",
    "lookup",
    "role_key",
    "role_of_keys",
    "section_heading",
    "to_simplified",
    "unnumbered",
    "without_points",
]

_SPACE = regex.compile(r"\s+")
_MARKS = regex.compile(r"^[*★☆#※]+|[*★☆※]+$")
# "(A)" "(B/A)" "(%)" "(万元)" "(元)" "(分)" "(20分*执行率)" "(D/C×100%)"
_ANNOTATION = regex.compile(r"[(][A-Za-z0-9/×*%+\-=.分执行率万元]*[)]")
# circled column numbers and their formulas: "①" "④=①+②+③" "⑦=⑤/④" (normalised
# text keeps them as written)
_CIRCLED = regex.compile(r"[①-⑳](?:[=][①-⑳+\-×*/()]+)?")
_ANY_CIRCLED = regex.compile(r"[①-⑳]")
_MARK_CHARS = frozenset("*★☆#※")  # what _MARKS strips at either end (# only at the start)
_NUMBERING = regex.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(][一二三四五六七八九十\d]+[)]|\d+[、.．](?!\d))"
)
_POINTS = regex.compile(r"[(]\d+(?:\.\d+)?分[)]$")
# a pinyin gloss after a Han character: "項(xiàng)目名稱(chēng)" → "項目名稱"
_GLOSS = regex.compile(r"(?<=\p{Han})[(][a-zàáâãäèéêëìíîïòóôõöùúûüāēěīōūǎǐǒǔǖǘǚǜḿńňǹ]+[)]")


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in Simplified characters, as labels are matched (``實際`` → ``实际``).

    >>> to_simplified("實際完成值")
    '实际完成值'
    """
    return text if text.isascii() else str(_t2s().convert(text))


@functools.lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """Fold a label for matching (Traditional → Simplified for matching only;
    pinyin glosses after Han characters dropped: ``項(xiàng)目`` → ``项目``).

    ``text`` may be a cell's normalised text (``Cell.norm``), which the first
    step leaves as it is, or any other text.

    >>> label_key("* 实际\\n完成值：")
    '实际完成值'
    >>> label_key("项目资金 （元）"), label_key("實際完成值"), label_key("小计④=①+②+③")
    ('项目资金(元)', '实际完成值', '小计')
    >>> label_key("項(xiàng)目名稱(chēng)"), label_key("產(chǎn)出指標(biāo)")
    ('项目名称', '产出指标')
    """
    key = normalize_text(text)
    if _ANY_CIRCLED.search(key):
        key = _CIRCLED.sub("", key)
    if not key.isprintable():  # every \s but " " is unprintable
        key = _SPACE.sub("", key)
    elif " " in key:
        key = key.replace(" ", "")
    if key[:1] in _MARK_CHARS or key[-1:] in _MARK_CHARS:
        key = _MARKS.sub("", key)
    if not key.isascii():
        if "(" in key:
            key = _GLOSS.sub("", key)
        key = _t2s().convert(key)
    return key.rstrip(":")


@functools.lru_cache(maxsize=65536)
def role_key(text: str) -> str:
    """``label_key`` without formula annotations.

    >>> role_key("执行率(B/A)"), role_key("小计④=①+②+③"), role_key("得分(20分*执行率)")
    ('执行率', '小计', '得分')
    """
    key = label_key(text)
    return _ANNOTATION.sub("", key) if "(" in key else key


def lookup(table: dict[str, str], text: str, *, prefix: bool = False) -> str | None:
    """The role of ``text`` in ``table``: exact match, then without annotations,
    then (with ``prefix``) the longest label the text starts with.

    >>> lookup(INDICATOR_COLUMNS, "* 实际完成值")
    'actual'
    >>> lookup(FUNDING_COLUMNS, "执行率(%)"), lookup(FUNDING_COLUMNS, "年初部门预算安排金额①")
    ('execution_rate', 'initial_budget')
    """
    found = _FINDERS.get((id(table), prefix))
    if found is not None and found[0] is table:
        return found[1][text]  # (what finder() gives, without making a function)
    return _lookup_uncached(table, text, prefix=prefix)


def finder(table: dict[str, str], *, prefix: bool = False) -> Callable[[str], str | None]:
    """:func:`lookup` in ``table`` as a function of the text alone; for this
    module's tables it is cached, and costs a dictionary probe when the text was
    seen before (segmentation asks about every cell of every row).

    >>> role_of = finder(HEADER_FIELDS)
    >>> [role_of(t) for t in ("项目名称", "示例")]
    ['project_name', None]
    """
    found = _FINDERS.get((id(table), prefix))
    if found is not None and found[0] is table:
        return found[1].__getitem__
    return functools.partial(_lookup_uncached, table, prefix=prefix)


class _Roles(dict[str, str | None]):
    """The roles of the texts seen so far in one table, looked up as they are
    asked for (``roles[text]``); emptied when full."""

    def __init__(self, table: dict[str, str], prefix: bool) -> None:
        super().__init__()
        self.table = table
        self.prefix = prefix

    def __missing__(self, text: str) -> str | None:
        if len(self) >= 16384:
            self.clear()
        role = self[text] = _lookup_uncached(self.table, text, prefix=self.prefix)
        return role

    def cache_clear(self) -> None:
        """Forget every text (as ``functools.lru_cache`` wrappers do)."""
        self.clear()


# (id of a module table, prefix) → (the table, its cached roles). A hit is a
# dict lookup, about half what an lru_cache hit costs: segmentation asks often.
_FINDERS: dict[tuple[int, bool], tuple[dict[str, str], _Roles]] = {}


def role_of_keys(table: dict[str, str], key: str, bare: str) -> str | None:
    """:func:`lookup` without ``prefix``, of a text whose :func:`label_key` and
    :func:`role_key` are ``key`` and ``bare`` (a caller asking several tables at
    once folds the text once).

    >>> role_of_keys(HEADER_FIELDS, label_key("项目名称:"), role_key("项目名称:"))
    'project_name'
    """
    return table[key] if key in table else table.get(bare)


def _lookup_uncached(table: dict[str, str], text: str, *, prefix: bool) -> str | None:
    key = label_key(text)
    if key in table:
        return table[key]
    bare = role_key(text)
    if bare in table:  # (role_of_keys, with the role key made only when needed)
        return table[bare]
    if prefix:
        # the longest label the text starts with: two labels of one length
        # cannot both begin it
        for size in _label_sizes(id(table), tuple(table)):
            if size < len(bare) and (role := table.get(bare[:size])) is not None:
                return role
    return None


@functools.lru_cache(maxsize=64)
def _label_sizes(_table_id: int, labels: tuple[str, ...]) -> tuple[int, ...]:
    """The lengths of ``labels``, longest first."""
    return tuple(sorted({len(label) for label in labels}, reverse=True))


def without_points(key: str) -> str:
    """A label key without its trailing points (``产出指标(50分)`` → ``产出指标``).

    >>> without_points(label_key("绩效指标（90分）"))
    '绩效指标'
    """
    return _POINTS.sub("", key) if key.endswith("分)") else key


@functools.lru_cache(maxsize=4096)
def section_heading(text: str) -> str | None:
    """The section a heading row opens (``四、年度绩效指标完成情况`` → ``"indicators"``).

    >>> section_heading("一、基本情况"), section_heading("绩效指标(90分)"), section_heading("总分")
    ('header', 'indicators', None)
    """
    return SECTION_HEADINGS.get(without_points(unnumbered(text)))


@functools.lru_cache(maxsize=16384)
def goal_role(text: str) -> str | None:
    """The role of a goal label, numbered or not.

    >>> goal_role("预期目标"), goal_role("2.项目实施内容及过程概述"), goal_role("1.甲")
    ('planned', 'item', None)
    """
    role = lookup(GOAL_LABELS, text)
    if role is None and (bare := unnumbered(text)) != label_key(text):
        role = GOAL_LABELS.get(bare)
    return role


def unnumbered(text: str) -> str:
    """:func:`label_key` without a leading number (``1.`` ``二、`` ``(三)``).

    >>> unnumbered("2.项目实施内容及过程概述"), unnumbered("（一）基本情况")
    ('项目实施内容及过程概述', '基本情况')
    """
    key = label_key(text)
    first = key[:1]
    if ("\u3400" <= first <= "\u9fff" and first not in "一二三四五六七八九十") or (
        first.isascii() and first.isalpha()
    ):
        return key  # (what no leading number opens with: most labels and cells)
    return _NUMBERING.sub("", key)


def _roles(spec: dict[str, list[str]]) -> dict[str, str]:
    return {label: role for role, labels in spec.items() for label in labels}


_DATA = load_data("vocab.toml")

HEADER_FIELDS: dict[str, str] = _roles(_DATA["header"])
FUNDING_COLUMNS: dict[str, str] = _roles(_DATA["funding_columns"])
FUNDING_ROWS: dict[str, str] = _roles(_DATA["funding_rows"])
FUNDING_SECTION: tuple[str, ...] = tuple(_DATA["prefixes"]["funding_block"])
GOAL_SUBTABLE: tuple[str, ...] = tuple(_DATA["prefixes"]["goal_subtable"])
FUNDING_SUB_LINE: tuple[str, ...] = tuple(_DATA["prefixes"]["funding_sub_line"])
LABEL_SUFFIX: str = _DATA["terms"]["label_suffix"]
GOAL_LABELS: dict[str, str] = _roles(_DATA["goals"])
INDICATOR_COLUMNS: dict[str, str] = _roles(_DATA["indicator_columns"])
SECTION_HEADINGS: dict[str, str] = _roles(_DATA["sections"])
GROUP_LABELS = frozenset(_DATA["terms"]["group"])
LEVEL1_TERMS = frozenset(_DATA["terms"]["level1"])
LEVEL2_ORDER: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["level2_order"].items()}
LEVEL2_TERMS = frozenset(
    {t for terms in LEVEL2_ORDER.values() for t in terms} | set(_DATA["terms"]["level2_extra"])
)
TOTAL_LABELS = frozenset(_DATA["terms"]["total"])
FOOTER_LABELS = frozenset(_DATA["terms"]["footer"])
CAPTIONS = frozenset(_DATA["terms"]["captions"])
FORM_MARKS: tuple[str, ...] = tuple(_DATA["terms"]["form_marks"])
GLUED_SHORT_LABELS = frozenset(_DATA["terms"]["glued_short_labels"])
# the tables that map a label to its role
_ROLE_TABLES = (
    HEADER_FIELDS,
    FUNDING_COLUMNS,
    FUNDING_ROWS,
    GOAL_LABELS,
    INDICATOR_COLUMNS,
    SECTION_HEADINGS,
)
#: every form label the vocabulary knows (keys as :func:`label_key` folds them): the
#: labels of each role table and the level, group, total and footer terms
FORM_LABELS = frozenset(
    {label for table in _ROLE_TABLES for label in table}
    | GROUP_LABELS
    | LEVEL1_TERMS
    | LEVEL2_TERMS
    | TOTAL_LABELS
    | FOOTER_LABELS
)
# (plain alternatives: the standard library's engine searches them for a
# fraction of what the regex module's costs, and every cell is asked)
TITLE = re.compile(_DATA["title_pattern"])
TEMPLATE_ROW = regex.compile(_DATA["template_row_pattern"])

for _table in _ROLE_TABLES:
    for _prefix in (False, True):  # module constants: their lookups are cached
        _FINDERS[id(_table), _prefix] = (_table, _Roles(_table, _prefix))
