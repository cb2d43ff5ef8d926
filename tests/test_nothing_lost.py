"""Nothing lost: every non-empty cell of a form ends up in a field, or in ``leftover``.

A cell is accounted for when it is a label the vocabulary knows (structure,
not data), a dash placeholder, or when its text — or the figure it states —
appears in the report.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_parser import JixiaoError, parse_text, vocab
from jixiao_parser.api import _reports
from jixiao_parser.readers import reader_for, sniff_format
from jixiao_parser.readers.text import read_text, text_to_document
from jixiao_parser.sections.common import is_dash, read_decimal
from jixiao_parser.segment import document_lines, segment_forms

ROOT = Path(__file__).resolve().parent.parent
INPUTS = (
    sorted(ROOT.glob("corpus/seeds/*/*.txt"))
    + sorted(ROOT.glob("corpus/cases/*/form.txt"))
    + sorted(
        p
        for p in ROOT.glob("corpus/renditions/*/*")
        if p.suffix in {".pdf", ".docx", ".xlsx", ".html"}
    )
)
TABLES = (
    vocab.HEADER_FIELDS,
    vocab.FUNDING_COLUMNS,
    vocab.FUNDING_ROWS,
    vocab.GOAL_LABELS,
    vocab.INDICATOR_COLUMNS,
)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _numbers(value: Any, out: set[Decimal]) -> set[Decimal]:
    if isinstance(value, dict):
        for v in value.values():
            _numbers(v, out)
    elif isinstance(value, list):
        for v in value:
            _numbers(v, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out.add(Decimal(str(value)).normalize())
    return out


def _is_label(text: str) -> bool:
    key = vocab.label_key(text)
    return (
        any(vocab.lookup(t, text, prefix=True) for t in TABLES)
        or key.startswith(vocab.FUNDING_SECTION)
        or key in vocab.GROUP_LABELS | vocab.TOTAL_LABELS | vocab.CAPTIONS
        or vocab.section_heading(text) is not None
        or vocab.goal_role(text) is not None  # numbered: 2.项目实施内容及过程概述
        or bool(vocab.TITLE.search(key))
    )


_POINTS = regex.compile(r"^(?P<label>.*?)[(](?P<n>\d+(?:\.\d+)?)分[)]$")
_YEAR = regex.compile(r"^[(]?(?P<n>(?:19|20)\d\d)年度?[)]?$")


def _accounted(text: str, dump: str, numbers: set[Decimal]) -> bool:
    if is_dash(text) or _is_label(text) or _squash(text) in dump:
        return True
    squashed = _squash(text)
    label, colon, value = squashed.partition(":")
    if colon and label in dump and (not value or value in dump):
        return True  # "财务负责人:赵丽华" → a field
    for pattern in (_POINTS, _YEAR):
        m = pattern.match(squashed)
        if m and Decimal(m.group("n")).normalize() in numbers:
            label = m.groupdict().get("label")
            return not label or label in dump
    t = _squash(text).removesuffix("%").removesuffix("元").removesuffix("分")
    n = read_decimal(t)
    if n is None:
        return False
    return any(x.normalize() in numbers for x in (n, n / 100, n * 10000, n * 100))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}.{p.suffix[1:]}")
def test_every_cell_is_accounted_for(path: Path) -> None:
    data = path.read_bytes()
    fmt = sniff_format(data)
    reader = reader_for(fmt)
    assert reader is not None
    doc = reader(data, str(path), str(path))
    reports = [r.to_dict() for r in _reports(doc)]
    dump = _squash(json.dumps(reports, ensure_ascii=False))
    numbers = _numbers(reports, set())
    layouts, _outside = segment_forms(document_lines(doc))
    missing = []
    for layout in layouts:
        lines = [layout.title, *layout.year_lines, *layout.header, *layout.funding, *layout.goals,
                 *layout.indicators, layout.total, *layout.footer]  # fmt: skip
        for line in lines:
            if line is None:
                continue
            for cell in line.cells:
                if cell.text and not _accounted(cell.text, dump, numbers):
                    missing.append(f"{cell.where}: {cell.text[:40]!r}")
    assert not missing, "\n".join(missing[:10])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_text_reader_fuzz(data: bytes) -> None:
    try:
        read_text(data)
    except JixiaoError:
        pass


ROWS = st.lists(
    st.lists(
        st.one_of(
            st.sampled_from(["", "项目名称", "一级指标", "三级指标", "年度指标值", "实际完成值", "产出指标",
                             "数量指标", "总分", "年初预算数", "全年执行数", "执行率", "≥95%", "10", "—",
                             "年度绩效目标1(40分)", "一、基本情况", "指标性质", "度量单位", "续表"]),
            st.text(max_size=6),
        ),
        max_size=9,
    ),
    max_size=40,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(ROWS)
def test_segmenter_fuzz(rows: list[list[str]]) -> None:
    text = "\n".join("\t".join(r) for r in rows)
    for report in parse_text(text):
        report.to_json()
    segment_forms(document_lines(text_to_document(text)))
