"""Glued cells → tokens: a table flattened with no separator at all.

``项目名称澄湖市…主管部门澄湖市民政局…年初预算数全年预算数…年度资金总额3,200,000.00
3,050,000.00…`` keeps its cells in order but not where one ends. Best effort:

- the label vocabulary cuts the text at every label it knows (the longest
  label first; labels of two characters only where a form's header puts them:
  分值, 得分, 权重, 总分, 合计, 总计), a ``*`` mark, a ``(元)``/``(50分)``
  annotation or a ``其中:`` prefix staying with its label;
- between labels, a numbered cell (``1.甲 2.乙``) starts at its item 1 glued to
  what comes before it and runs to the next one, less the figures glued after
  its last item (``…26场1515无`` → ``…26场``, ``15``, ``15``, ``无``);
- elsewhere a sentence end (。；) ends a cell, and figures are cut apart:
  amounts with thousands separators or two decimals
  (``3,200,000.003,050,000.00``), percentages (``1097.75%9.78`` → ``10``,
  ``97.75%``, ``9.78``), a run of figures from text (``=8000人`` | ``8350``),
  and a run of glued figures where a row's last figures would be
  (``83501010`` → ``8350``, ``10``, ``10``);
- what is left is one cell.

The cells then go through the same rows as space-joined cells
(:func:`~.flat.rows_of`). Figures glued without any mark between them
(``1181092``) stay one cell: the form is found, its header and labels read,
and such rows come out as far as their cells allow.
"""

from __future__ import annotations

import functools
import re

import regex

from .. import vocab
from .._data import load_data
from ..document import Paragraph, normalize_text
from ..segment.labels import label_kind
from ..values.words import OP_WORDS, PERCENT_WORD, PLACEHOLDERS
from .flat import Tok, _new_tok

__all__ = ["glued_tokens"]

# between labels, the values: an operator and what follows it, or a run of
# figures (cut apart by _figures)
_OPERATORS = "|".join(regex.escape(w) for w in sorted(OP_WORDS, key=len, reverse=True))
_VALUE = regex.compile(
    rf"(?:{_OPERATORS}|>=|<=)\d+(?:\.\d+)?(?:%|{regex.escape(PERCENT_WORD)}|[\p{{Han}}]{{1,2}})?"
    r"|[\d.,%]*\d[\d.,%]*"
)
# a numbered cell starts with its item 1, glued to what comes before it
_FIRST_ITEM = regex.compile(r"(?:^|(?<=\S))(?:1[.、．](?:(?!\d)|(?=\d{1,2}月))|[(（]1[)）]|①)")
# figures glued after a numbered cell's last item, and any text after them
_TAIL = regex.compile(r"(?<=[\p{Han}%)）])(\d+(?:\.\d+)?)([^\d]*)$")
# a dash before another dash is an empty cell of its own (——— is three)
_SENTENCE = re.compile(r"[—－-](?=[—－-])|[^。；;]+[。；;]?")
_RUN = regex.compile(r"\d+(?:\.\d+)*")
_PERCENT = regex.compile(r"(?:100|[1-9]?\d)(?:\.\d{1,2})?%")
_AMOUNT = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2}")
_HAN = regex.compile(r"[\p{Han}，。、；：]")


def _label_words() -> set[str]:
    return {
        w
        for w in vocab.FORM_LABELS | set(vocab.FUNDING_SECTION)
        if len(w) > 2 or w in vocab.GLUED_SHORT_LABELS
    }


@functools.lru_cache(maxsize=1)
def _labels() -> re.Pattern[str]:
    """A label: an optional ``*`` mark, an optional ``其中:`` prefix, the longest
    label word, its ``(元)``/``(50分)`` notes and colon (the text is folded first:
    half-width brackets and colons only).

    It is one alternation whose every branch opens with a character, for the
    standard library's engine: its search then skips every character no label
    starts with (in the ``regex`` module's, and with the mark and prefix
    optional in front, every branch was tried at every character, eight times
    the work). The branches are tried in the order the optional parts would be.
    """
    space = r"[^\S\x1c-\x1f]*"  # regex's \s (the standard \s takes \x1c-\x1f too)
    words = _branches(_label_words())
    trie = f"(?:{'|'.join(words)})"
    prefixed = [f"{p}:?{trie}" for p in _branches(set(vocab.FUNDING_SUB_LINE))]
    after_mark = f"(?:(?:{'|'.join(prefixed)})|{trie})"
    branches = [f"\\*{space}{after_mark}", f"★{space}{after_mark}", *prefixed, *words]
    return re.compile(f"(?:{'|'.join(branches)})(?:{space}\\([^()]{{1,12}}\\))*:?")


def _trie(words: set[str]) -> str:
    """One pattern matching the longest of ``words``, with their common
    prefixes factored out (a plain alternation of hundreds of words is tried
    word by word at every character).

    >>> _trie({"项目名称", "项目编码", "总分"})
    '(?:总分|项目(?:名称|编码))'
    >>> regex.fullmatch(_trie({"得分", "执行率得分"}), "执行率得分") is not None
    True
    """
    return _pattern(_tree(words))


_Node = dict[str, "_Node"]  # a trie: next character → node; "" marks a word's end


def _tree(words: set[str]) -> _Node:
    tree: _Node = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return tree


def _branches(words: set[str]) -> list[str]:
    """The top-level branches of :func:`_trie`'s pattern of ``words``."""
    return _pattern_branches(_tree(words))


def _pattern(node: _Node) -> str:
    ends = "" in node
    branches = _pattern_branches(node)
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    return f"(?:{'|'.join(branches)})" + ("?" if ends else "")


def _pattern_branches(node: _Node) -> list[str]:
    branches: list[str] = []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        text = str(regex.escape(ch))
        while len(child) == 1 and "" not in child:  # a single path: no group
            ((ch, child),) = child.items()
            text += str(regex.escape(ch))
        rest = _pattern(child) if set(child) != {""} else ""
        branches.append(text + rest)
    return branches


def glued_tokens(p: Paragraph) -> list[Tok]:
    """The cells of one glued line, each with its offset in the line.

    >>> from jixiao_parser.document import Paragraph
    >>> [t.text for t in glued_tokens(Paragraph("项目名称示例项目主管部门某局总分10098.5"))]
    ['项目名称', '示例项目', '主管部门', '某局', '总分', '100', '98.5']
    """
    text = p.text
    # cut where the folded text says (Simplified characters, ASCII digits and
    # operators: 實際 → 实际, ９５％ → 95%, ≧ → ≥), character for character;
    # the cells keep the text as written
    found = _folded(text)
    out: list[Tok] = []
    line, page = p.line, p.page
    at = 0
    total = False  # after the total row's label (总分): its weight and score glued
    for m in _labels().finditer(found):
        start, end = m.span()
        if start > at:  # (labels side by side: nothing between them)
            _add_cells(out, text, found, at, _gap_cells(found[at:start], total), line, page)
        label = m.group()
        out.append(_new_tok((text[start:end], line, page, start)))  # (as written)
        at = end
        total = label_kind(label) == "total"
    if at < len(found):
        _add_cells(out, text, found, at, _gap_cells(found[at:], total), line, page)
    return out


def _add_cells(
    out: list[Tok],
    text: str,
    found: str,
    at: int,
    cells: tuple[tuple[str, int, bool], ...],
    line: int | None,
    page: int,
) -> None:
    """The cells of a gap at ``at`` in ``found`` (the folded ``text``), each with
    its text as written: the same characters of ``text`` for a cell that is a
    piece of the gap as it stands, else where its text is found from there on."""
    for cell, k, piece in cells:
        if piece:
            out.append(_new_tok((text[at + k : at + k + len(cell)], line, page, at + k)))
        else:
            tok = _new_tok((cell, line, page, at + k))
            out.append(tok if found is text else _as_written(text, found, tok))


def _folded(text: str) -> str:
    """``text`` folded as labels and values are matched, one character for one."""
    simplified = vocab.to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    table, chars = _fold_table()
    folded = simplified
    for ch in set(chars.findall(simplified)):  # (str.translate looks at every character)
        folded = folded.replace(ch, table[ord(ch)])
    return text if folded == text else folded


@functools.lru_cache(maxsize=1)
def _fold_table() -> tuple[dict[int, str], re.Pattern[str]]:
    """Full-width forms and operator look-alikes → what the normalisation stage
    makes of them, where that is one character; and a pattern finding them (the
    standard library's: a class of a hundred characters is one table lookup
    there, and as many comparisons in the ``regex`` module's)."""
    table = {}
    lookalikes = load_data("values.toml")["lookalikes"]
    for code in (*range(0xFF01, 0xFF5F), 0x3000, *map(ord, lookalikes)):
        folded = normalize_text(chr(code)) or " "
        if len(folded) == 1 and folded != chr(code):
            table[code] = folded
    return table, re.compile(f"[{''.join(re.escape(chr(c)) for c in table)}]")


def _as_written(text: str, found: str, tok: Tok) -> Tok:
    """``tok`` (cut from ``found``, the folded ``text``) with its text as written."""
    start = found.find(tok.text, tok.offset)
    if start < 0:
        return tok
    written = text[start : start + len(tok.text)]
    return tok if written == tok.text else Tok(written, tok.line, tok.page, tok.offset)


@functools.lru_cache(maxsize=65536)
def _gap_cells(gap: str, total: bool) -> tuple[tuple[str, int, bool], ...]:
    """The cells between two labels (:func:`_pieces`), each with its offset in
    ``gap`` and whether it is the piece of ``gap`` there (not a trimmed one):
    once per text (names, figures and targets recur from form to form)."""
    return tuple([(text, k, gap.startswith(text, k)) for text, k in _pieces(gap, 0, total)])


# a cell's text and where it starts
_Piece = tuple[str, int]


def _pieces(gap: str, start: int, total: bool = False) -> list[_Piece]:
    """The cells between two labels: numbered cells whole, then values and text
    (``total``: after the total row's label, where a run of figures is its
    weight and score, ``10099.43`` → 100, 99.43)."""
    # (every item 1 holds a 1 or a ①)
    lists = [m.start() for m in _FIRST_ITEM.finditer(gap)] if "1" in gap or "①" in gap else []
    if not lists:
        return _values(gap, start, total)
    out = _values(gap[: lists[0]], start, total)
    for k, begin in enumerate(lists):
        end = lists[k + 1] if k + 1 < len(lists) else len(gap)
        out.extend(_numbered(gap[begin:end], start + begin))
    return out


def _numbered(cell: str, start: int) -> list[_Piece]:
    """A numbered cell (``1.甲 2.乙``), and the figures and text glued after its
    last item (``…26场1515无`` → ``…26场``, ``15``, ``15``, ``无``)."""
    m = _TAIL.search(cell)
    if m:
        figures = _split_run(m.group(1))
        if len(figures) >= 2:
            out = [(cell[: m.start()].strip(), start)]
            k = start + m.start(1)
            for part in figures:
                out.append((part, k))
                k += len(part)
            return out + _texts(m.group(2), start + m.start(2))
    return [(cell.strip(), start)]


def _values(gap: str, start: int, total: bool = False) -> list[_Piece]:
    out: list[_Piece] = []
    at = 0
    unit = ""  # the unit of the last target read (≥3600人次: 人次)
    value_end = -1  # where the last value ended
    for m in _VALUE.finditer(gap):
        value = m.group()
        bare = value[0] in "0123456789"
        end = m.end()
        if bare and unit and gap.startswith(unit, end) and not any(c in value for c in ".,%"):
            end += len(unit)  # 3742人次 after ≥3600人次: the actual in the target's unit
            value = gap[m.start() : end]
            parts = [value]
        else:
            inside = (
                bare
                and m.start() != value_end
                and m.start() > 0
                and end < len(gap)
                and _HAN.match(gap[m.start() - 1])
                and _HAN.match(gap[end])
                and len(value) <= 4
            )
            if inside or (len(value) <= 3 and _marker(gap, m.start(), end)):
                continue  # 全市120个社区, 1.开展…
            parts = list(_cut_figures(value)) if bare else [value]
            if total and bare:
                parts = _total_figures(value, parts)
            if not bare:
                found = _UNIT.search(value)
                unit = found.group() if found else ""
        if m.start() > at:
            out.extend(_texts(gap[at : m.start()], start + at, at == value_end))
        k = m.start()
        for part in parts:
            out.append((part, start + k))
            k += len(part)
        at = value_end = end
    if at < len(gap):
        out.extend(_texts(gap[at:], start + at, at == value_end))
    return out


_UNIT = regex.compile(r"(?:%|[\p{Han}]{1,2})$")


def _total_figures(run: str, parts: list[str]) -> list[str]:
    """A run of figures after the total row's label: a weight of 100 and the
    score (``10099.43`` → 100, 99.43), or one figure up to 100 (``100``, ``96``),
    else as cut for any row (``parts``).

    >>> _total_figures("10099.43", ["10099.43"]), _total_figures("100", ["10", "0"])
    (['100', '99.43'], ['100'])
    """
    cut = _split_run(run)
    if len(cut) == 2 and cut[0] == "100":
        return list(cut)
    if _UP_TO_100.fullmatch(run):
        return [run]
    return parts


_UP_TO_100 = regex.compile(r"100(?:\.0+)?|\d{1,2}(?:\.\d+)?")


def _marker(gap: str, start: int, end: int) -> bool:
    """A list marker (``1.`` ``2、`` ``(1)``) before text, not a figure."""
    value = gap[start:end]
    after = gap[end : end + 1]
    if _DOTTED.fullmatch(value) and after and not after.isdigit():
        return True
    return bool(_NUMBER.fullmatch(value)) and after in ("、", ")", "）")


_DOTTED = regex.compile(r"\d{1,2}\.")
_NUMBER = regex.compile(r"\d{1,2}")


@functools.lru_cache(maxsize=65536)
def _cut_figures(run: str) -> tuple[str, ...]:
    """:func:`_figures`, once per run (runs of figures recur from form to form)."""
    return tuple(_figures(run))


def _figures(run: str) -> list[str]:
    """A run of glued figures cut apart: percentages, amounts (with thousands
    separators or two decimals), then what a row's last figures may be.

    >>> _figures("1098.20%9.82"), _figures("680000.00652300.00"), _figures("0.98109.8")
    (['10', '98.20%', '9.82'], ['680000.00', '652300.00'], ['0.98', '10', '9.8'])
    """
    if not run:
        return []
    m = _PERCENT.search(run)
    if m and (m.start() or m.end() < len(run)):
        return [*_figures(run[: m.start()]), m.group(), *_figures(run[m.end() :])]
    if "," in run or run.count(".") >= 2 or _AMOUNT_FIRST.match(run):
        m = _AMOUNT.match(run)
        if m and m.end() < len(run):
            return [m.group(), *_figures(run[m.end() :])]
    if _WHOLE_AMOUNT.fullmatch(run):
        return [run]  # 652300.00: one amount
    if len(run) <= 4 and set(run) == {"0"}:
        return list(run)  # 000: empty amounts glued
    return _split_run(run) if _RUN.fullmatch(run) else [run]


_WHOLE_AMOUNT = regex.compile(r"\d{4,}\.\d{2}")
_AMOUNT_FIRST = regex.compile(r"\d{4,}\.\d{2}\d")  # 640558.6010: an amount, then more


def _texts(text: str, start: int, after_figures: bool = False) -> list[_Piece]:
    """Text between values: a cell per sentence; right after a row's figures, a
    leading 无 (an empty note) is a cell of its own (``无助浴服务…`` → ``无``, …)."""
    out = []
    if after_figures:
        empty = _EMPTY_NOTE.match(text)
        if empty:
            out.append((empty.group(), start))
            text, start = text[empty.end() :], start + empty.end()
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            out.append((m.group().strip(), start + m.start()))
    return out


_PLACEHOLDER_WORDS = sorted(map(regex.escape, PLACEHOLDERS), key=len, reverse=True)
_EMPTY_NOTE = regex.compile("(?:" + "|".join(_PLACEHOLDER_WORDS) + r")(?=\p{Han})")


def _split_run(run: str) -> list[str]:
    return list(_cut_run(run))


@functools.lru_cache(maxsize=4096)
def _cut_run(run: str) -> tuple[str, ...]:
    """A run of glued figures cut where a row's last figures would be: an
    actual, a weight and a score (``83501010`` → 8350, 10, 10), or a weight and
    a score (``10098.58`` → 100, 98.58); as it is when no cut is plausible.

    >>> _cut_run("83501010"), _cut_run("10098.58"), _cut_run("55"), _cut_run("2023")
    (('8350', '10', '10'), ('100', '98.58'), ('5', '5'), ('2023',))
    """
    best: tuple[float, tuple[str, ...]] = (2.5, (run,))
    n = len(run)
    # (a weight is 1 to 30 or 100, three digits at most: no longer one is tried;
    # and one that is no multiple of 5 scores 2.5 at most, no better than no cut)
    for i in range(1, n):
        for j in range(i if i <= 3 else i + 1, min(i + 4, n)):
            weight = run[i:j] if j > i else run[:i]
            if not weight.isdecimal() or int(weight) not in _ROUND_WEIGHTS:
                continue
            parts = (run[:i], weight, run[j:]) if j > i else (weight, run[i:])
            score = _plausible(list(parts))
            if score > best[0]:
                best = (score, parts)
    return best[1]


# the weights _plausible may score above 2.5: multiples of 5 from 1 to 30, and 100
_ROUND_WEIGHTS = frozenset({5, 10, 15, 20, 25, 30, 100})


def _plausible(parts: list[str]) -> float:
    *actual, weight, score = parts
    if any(len(x) > 1 and x.startswith("0") and not x.startswith("0.") for x in parts):
        return 0.0
    if "." in weight or not weight or any(x.count(".") > 1 or x.endswith(".") for x in parts):
        return 0.0
    if not weight.isdecimal():
        return 0.0  # (100,98.5: a comma is no weight)
    w = int(weight)
    try:
        sc = float(score)
    except ValueError:
        return 0.0
    if not (1 <= w <= 30 or w == 100) or sc > w:
        return 0.0
    return 1.0 + (2.0 if w % 5 == 0 else 0.0) + (1.0 if sc == w else 0.5) + (0.5 if actual else 0.0)
