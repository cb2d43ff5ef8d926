"""Read XLSX (openpyxl) and XLS (xlrd) workbooks as the clerk saw them.

Every sheet becomes one :class:`~jixiao_parser.document.Table` whose ``page``
is the 1-based sheet index; rows and columns keep the sheet's own 0-based
indices (so ``p.1 r6c3`` is sheet 1, cell C6) and rows that hold nothing are
left out. A merged range is one cell in its top-left slot with
``rowspan``/``colspan``; the slots it covers are not emitted (whatever an XLS
file still stores there is hidden in Excel and dropped here). Within a row,
cells run from column A to the row's last non-empty column, empty ones with
text ``""``.

Values are rendered through their number format (:func:`format_number`,
:func:`format_datetime`): ``965043.97`` under ``#,##0.00`` reads
``965,043.97``, ``0.9735`` under ``0.00%`` reads ``97.35%``. Formulas are read
from the values cached in the file (openpyxl ``data_only``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import warnings
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from io import BytesIO, StringIO
from typing import Any

import attrs
import regex

from .. import limits
from ..document import Cell, Document, Table
from ..errors import CorruptDocument
from .text import clean_cell

__all__ = ["format_datetime", "format_number", "read_xls", "read_xlsx"]

# Built-in number formats whose code depends on the locale: files written by
# Chinese Excel or WPS refer to them by id only, without the code. These are
# the zh-CN codes (ECMA-376 Part 1, 18.8.30); all are dates or times.
_ZH_BUILTIN: dict[int, str] = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}  # fmt: skip

_DIGITS15 = Context(prec=15)
_WIDE = Context(prec=800)  # room for every digit of 1E+307 and its decimals
# One token of a format section: a quoted literal, an escaped character, a
# padding (_x) or fill (*x) instruction, a [bracket], the word General, an
# exponent, AM/PM, a date/time code, or any single character.
_TOKEN = regex.compile(
    r'"(?P<quote>[^"]*)"?|\\(?P<esc>.)|(?P<skip>[_*].)|\[(?P<bracket>[^\]]*)\]'
    r"|(?P<general>(?i:general))|(?P<exp>[eE][+-])|(?P<ampm>(?i:am/pm|a/p)|上午/下午)"
    r"|(?P<date>(?i:y+|m+|d+|h+|s+|a{3,4}))|(?P<char>.)",
    regex.DOTALL,
)
_ELAPSED = regex.compile(r"(?i)^(?:h+|m+|s+)$")
_CJK_DATE = regex.compile(r"[年月日时分秒]")
_HOLDERS = frozenset("0#?")
_MONTHS = ("January February March April May June July August September October November "
           "December").split()  # fmt: skip
_DAYS_EN = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_DAYS_ZH = "一二三四五六日"


@attrs.frozen
class _Token:
    """One token of a number format section.

    ``kind`` is ``lit`` (quoted or escaped text, padding, a ``[$¥-804]``
    currency: ``text`` is what it shows), ``char`` (any other character),
    ``general``, ``exp`` (``E+``), ``ampm`` or ``date`` (``yyyy``, ``mm``,
    ``h`` of ``[h]`` …: ``text`` is the code).
    """

    kind: str
    text: str

    @property
    def shown(self) -> str:
        """What the token shows outside any number or date: literals and characters."""
        return self.text if self.kind in ("lit", "char") else ""


def _token(m: regex.Match[str]) -> _Token:
    quote, esc, skip, bracket = m.group("quote", "esc", "skip", "bracket")
    if quote is not None:
        return _Token("lit", quote)
    if esc is not None:
        return _Token("lit", esc)
    if skip is not None:
        return _Token("lit", "")
    if bracket is not None:
        if _ELAPSED.match(bracket):
            return _Token("date", bracket.lower())  # [h]:mm — shown as hours of the day
        # [$¥-804] shows "¥"; colours, conditions, [DBNum1] and [$-804] show nothing.
        return _Token("lit", bracket[1:].partition("-")[0] if bracket.startswith("$") else "")
    for kind in ("general", "exp", "ampm", "date"):
        if m.group(kind) is not None:
            return _Token(kind, m.group(kind))
    return _Token("char", m.group(0))


@functools.lru_cache(maxsize=512)
def _sections(number_format: str) -> tuple[tuple[_Token, ...], ...]:
    """Tokens of each ``;``-separated section (``pos;neg;zero;text``)."""
    sections: list[list[_Token]] = [[]]
    for m in _TOKEN.finditer(number_format):
        token = _token(m)
        if token == _Token("char", ";"):
            sections.append([])
        else:
            sections[-1].append(token)
    return tuple(tuple(s) for s in sections)


def _is_date(section: tuple[_Token, ...]) -> bool:
    return any(t.kind in ("date", "ampm") for t in section)


# --------------------------------------------------------------------------
# Number formats


def format_number(value: float, number_format: str = "General", *, date1904: bool = False) -> str:
    """Render a cell's number as a spreadsheet shows it under ``number_format``.

    The value is first rounded to 15 significant digits, as Excel keeps them,
    so binary float noise is gone before any format applies; an integral
    number prints without ``.0``. Sections (``pos;neg;zero``), thousands
    separators, percent, quoted literals, ``[$¥-804]`` currency and colour
    brackets are honoured; date and time codes render through
    :func:`format_datetime` (serials in the 1900 system, or 1904 when
    ``date1904``).

    >>> format_number(1100000.0)
    '1100000'
    >>> format_number(5658097.550000001)
    '5658097.55'
    >>> format_number(965043.97, "#,##0.00")
    '965,043.97'
    >>> format_number(0.9735, "0.00%")
    '97.35%'
    >>> format_number(-1234.5, "#,##0.00_);(#,##0.00)")
    '(1,234.50)'
    >>> format_number(45015, "yyyy-mm-dd"), format_number(45015, 'yyyy"年"m"月"d"日"')
    ('2023-03-30', '2023年3月30日')
    """
    if not math.isfinite(value):
        return "#NUM!"
    number = _DIGITS15.create_decimal(value)
    section, number, signed = _pick_section(_sections(number_format or "General"), number)
    if _is_date(section):
        moment = _serial_datetime(float(value), date1904)
        if moment is not None:
            return _render_moment(section, moment)
        section = _sections("General")[0]
    text = _render_number(section, abs(number))
    negative = signed and number < 0 and any(ch in "123456789" for ch in text)
    return f"-{text}" if negative else text


def _pick_section(
    sections: tuple[tuple[_Token, ...], ...], number: Decimal
) -> tuple[tuple[_Token, ...], Decimal, bool]:
    """The section that applies to ``number``; the flag says whether to add a ``-``."""
    if number < 0 and len(sections) >= 2:
        return sections[1], -number, False
    if number == 0 and len(sections) >= 3:
        return sections[2], Decimal(0), False
    return sections[0], number, True


def _general(number: Decimal) -> str:
    """Excel's General: as many digits as needed, no exponent for ordinary sizes."""
    if number == 0:
        return "0"
    number = number.normalize()
    if not -10 < number.adjusted() < 15:
        mantissa, _, exponent = f"{number:E}".partition("E")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        return f"{mantissa}E{exponent[0]}{exponent[1:].zfill(2)}"
    return f"{number:f}"


def _render_number(section: tuple[_Token, ...], number: Decimal) -> str:
    """Render a non-negative number under one (non-date) format section."""
    kinds = {t.kind for t in section}
    chars = {t.text for t in section if t.kind == "char"}
    if "general" in kinds:
        return "".join(
            _general(number) if t.kind == "general" else t.shown for t in section
        ).strip()
    if not _HOLDERS & chars:
        # "@" shows the number as General; a literal-only section ("-") shows itself.
        return _general(number) if "@" in chars else "".join(t.shown for t in section).strip()
    if "/" in chars:
        return _general(number)  # fractions (# ?/?) are not used in these forms
    if "exp" in kinds:
        return _render_scientific(section, number)
    return _render_fixed(_fixed_plan(section), number)


@attrs.frozen
class _Plan:
    """A fixed-point section taken apart: where the digits go and how many."""

    tokens: tuple[_Token, ...]
    dot: int  # index of the decimal point token (len(tokens) if none)
    anchor: int  # token where the integer digits go
    first_frac: int  # token where the decimals go (-1 if none)
    decimals: str  # the decimal placeholders, e.g. "00" or "0#"
    min_int: int  # integer digits always shown (zero-padded)
    pad: str  # "0", or " " for ? placeholders
    grouping: bool  # thousands separators
    factor: Decimal  # x100 per %, /1000 per comma after the digits


@functools.lru_cache(maxsize=512)
def _fixed_plan(section: tuple[_Token, ...]) -> _Plan:
    chars = [t.text if t.kind == "char" else "" for t in section]
    dot = chars.index(".") if "." in chars else len(chars)
    holders = [i for i, c in enumerate(chars) if c in _HOLDERS]
    ints = [i for i in holders if i < dot]
    fracs = [i for i in holders if i > dot]
    pattern = "".join(chars[i] for i in ints)
    first = min((k for k, c in enumerate(pattern) if c in "0?"), default=len(pattern))
    scale = chars[ints[-1] + 1 : dot].count(",") if ints else 0
    return _Plan(
        tokens=section,
        dot=dot,
        anchor=ints[0] if ints else dot,
        first_frac=fracs[0] if fracs else -1,
        decimals="".join(chars[i] for i in fracs),
        min_int=len(pattern) - first,
        pad=" " if pattern[first:].startswith("?") else "0",
        grouping=bool(ints) and "," in chars[ints[0] : ints[-1]],
        factor=Decimal(100) ** chars.count("%") / Decimal(1000) ** scale,
    )


def _group(digits: str) -> str:
    """``"1100000"`` → ``"1,100,000"``."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def _render_fixed(plan: _Plan, number: Decimal) -> str:
    """``#,##0.00`` / ``0%`` / ``"¥"#,##0.00"元"``: digits into placeholders."""
    with localcontext(_WIDE):
        scaled = (number * plan.factor).quantize(
            Decimal(1).scaleb(-len(plan.decimals)), rounding=ROUND_HALF_UP
        )
    whole, _, frac = f"{scaled:f}".partition(".")
    whole = ("" if whole == "0" else whole).rjust(plan.min_int, plan.pad)
    whole = _group(whole) if plan.grouping and whole.isdigit() else whole
    # Trailing zero decimals under # are dropped, under ? become spaces.
    shown = list(frac)
    k = len(shown)
    while k and shown[k - 1] == "0" and plan.decimals[k - 1] != "0":
        shown[k - 1] = " " if plan.decimals[k - 1] == "?" else ""
        k -= 1
    out: list[str] = []
    for i, t in enumerate(plan.tokens):
        if i == plan.anchor:
            out.append(whole)
        if i == plan.dot:
            out.append(".")
        elif i == plan.first_frac:
            out.append("".join(shown))
        elif not (t.kind == "char" and t.text in ("0", "#", "?", ",", "@")):
            out.append(t.shown)
    return "".join(out).strip()


def _render_scientific(section: tuple[_Token, ...], number: Decimal) -> str:
    """``0.00E+00``: mantissa with the format's decimals, exponent of two digits or more."""
    chars = [t.text if t.kind == "char" else "" for t in section]
    exp_at = next(i for i, t in enumerate(section) if t.kind == "exp")
    dot = chars.index(".") if "." in chars[:exp_at] else exp_at
    places = sum(1 for c in chars[dot:exp_at] if c in _HOLDERS)
    width = max(2, sum(1 for c in chars[exp_at:] if c in _HOLDERS))
    mantissa, _, exponent = f"{number:.{places}E}".partition("E")
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}E{sign}{exponent.lstrip('+-').zfill(width)}"


# --------------------------------------------------------------------------
# Dates and times


def _serial_datetime(serial: float, date1904: bool) -> dt.datetime | None:
    """An Excel date serial as a datetime (to the second); None if out of range.

    The 1900 system counts the fictitious 1900-02-29 (serial 60), so serials
    from 61 on are one day ahead of a plain count from 1899-12-31.
    """
    if not 0 <= serial < 2958466:
        return None
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        base = dt.datetime(1899, 12, 31 if serial < 60 else 30)
    return base + dt.timedelta(seconds=round(serial * 86400))


def format_datetime(value: dt.datetime | dt.date | dt.time, number_format: str) -> str:
    """Render a date/time as ISO, or with the format's own 年/月/日 literals.

    A format that writes Chinese date words (``yyyy"年"m"月"d"日"``) or a
    weekday (``aaaa``) renders code by code; any other shows the parts it asks
    for in ISO order (``mm-dd-yy`` → ``2023-03-30``, ``yyyy/m/d h:mm`` →
    ``2023-03-30 14:05``, ``mmm-yy`` → ``2023-03``, ``h:mm`` → ``14:05``).

    >>> format_datetime(dt.datetime(2023, 3, 30), "mm-dd-yy")
    '2023-03-30'
    >>> format_datetime(dt.date(2023, 3, 30), 'yyyy"年"m"月"d"日"')
    '2023年3月30日'
    >>> format_datetime(dt.datetime(2023, 3, 30, 14, 5), "yyyy/m/d h:mm")
    '2023-03-30 14:05'
    >>> format_datetime(dt.time(9, 30), 'h"时"mm"分"')
    '9时30分'
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        moment = dt.datetime.combine(dt.date(1899, 12, 31), value)
    return _render_moment(_sections(number_format or "General")[0], moment)


def _render_moment(section: tuple[_Token, ...], moment: dt.datetime) -> str:
    codes = _date_codes(section)
    literals = "".join(t.shown for t in section)
    if _CJK_DATE.search(literals) or "a" in codes.values():  # 年/月/日, 星期
        return _render_date_tokens(section, codes, moment)
    return _render_iso(set(codes.values()), moment)


def _date_codes(section: tuple[_Token, ...]) -> dict[int, str]:
    """Token index → ``y``/``M`` (month)/``d``/``a`` (weekday)/``h``/``m`` (minute)/``s``.

    ``m`` is a minute right after an hour code or right before a second code.
    """
    kinds = {i: t.text[0].lower() for i, t in enumerate(section) if t.kind == "date"}
    order = sorted(kinds)
    for k, i in enumerate(order):
        if kinds[i] != "m":
            continue
        before = kinds[order[k - 1]] if k else ""
        after = kinds[order[k + 1]] if k + 1 < len(order) else ""
        kinds[i] = "m" if before == "h" or after == "s" else "M"
    return kinds


def _render_iso(kinds: set[str], moment: dt.datetime) -> str:
    """The parts a format shows, in ISO form (``2023-03-30 14:05:00``)."""
    y, mo, d = moment.year, moment.month, moment.day
    partial = {
        frozenset("yM"): f"{y:04d}-{mo:02d}",
        frozenset("Md"): f"{mo:02d}-{d:02d}",
        frozenset("y"): f"{y:04d}",
        frozenset("M"): f"{mo:02d}",
        frozenset("d"): f"{d:02d}",
        frozenset(): "",
    }
    date = partial.get(frozenset(kinds & {"y", "M", "d"}), f"{y:04d}-{mo:02d}-{d:02d}")
    if "h" in kinds:
        time = f"{moment.hour:02d}:{moment.minute:02d}"
        time += f":{moment.second:02d}" if "s" in kinds else ""
    elif "s" in kinds:
        time = f"{moment.minute:02d}:{moment.second:02d}"
    else:
        time = ""
    return " ".join(part for part in (date, time) if part)


def _render_date_tokens(
    section: tuple[_Token, ...], kinds: dict[int, str], moment: dt.datetime
) -> str:
    """Render code by code: ``yyyy"年"m"月"d"日"`` → ``2023年3月30日``."""
    twelve = any(t.kind == "ampm" for t in section)
    pm = moment.hour >= 12
    out: list[str] = []
    for i, t in enumerate(section):
        if i in kinds:
            out.append(_date_part(kinds[i], len(t.text), moment, twelve))
        elif t.kind == "ampm":
            out.append(
                ("下午" if pm else "上午") if t.text == "上午/下午" else ("PM" if pm else "AM")
            )
        else:
            out.append(t.shown)
    return "".join(out).strip()


def _date_part(kind: str, size: int, moment: dt.datetime, twelve: bool) -> str:
    """One date code: ``yyyy`` → ``2023``, ``m`` → ``3``, ``aaaa`` → ``星期四`` …"""
    if kind == "y":
        return f"{moment.year:04d}" if size > 2 else f"{moment.year % 100:02d}"
    if kind == "M":
        if size >= 3:
            name = _MONTHS[moment.month - 1]
            return name[:1] if size == 5 else name if size == 4 else name[:3]
        return f"{moment.month:0{size}d}"
    if kind == "d":
        if size >= 3:
            name = _DAYS_EN[moment.weekday()]
            return name if size == 4 else name[:3]
        return f"{moment.day:0{size}d}"
    if kind == "a":
        zh = _DAYS_ZH[moment.weekday()]
        return f"星期{zh}" if size == 4 else zh
    hour = (moment.hour % 12 or 12) if twelve else moment.hour
    value = {"h": hour, "m": moment.minute, "s": moment.second}[kind]
    return f"{value:0{min(size, 2)}d}"


# --------------------------------------------------------------------------
# Sheets → tables


def _sheet_table(texts: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]],
                 page: int) -> Table:  # fmt: skip
    """Build a sheet's table from cell texts and merges ``(row, col, rowspan, colspan)``.

    Rows without text are left out; a row runs from column 0 to its last
    non-empty column; covered slots of a merge are left out (and any text an
    XLS file kept in them is dropped, as Excel hides it).
    """
    texts = {k: t for k, t in texts.items() if t}
    if not texts:
        return Table(())
    last_row = max(r for r, _ in texts)
    last_col = max(c for _, c in texts)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    budget = limits.budget()
    area = 0
    for r, c, rowspan, colspan in sorted(merges):
        if (r, c) in covered or r > last_row or c > last_col:
            continue
        rowspan, colspan = min(rowspan, last_row - r + 1), min(colspan, last_col - c + 1)
        if rowspan * colspan > 1:
            area += rowspan * colspan
            budget.cells(area)  # before the covered slots are listed
            spans[(r, c)] = (rowspan, colspan)
            covered.update((r + i, c + k) for i in range(rowspan) for k in range(colspan))
            covered.discard((r, c))
    by_row: dict[int, dict[int, str]] = {}
    for (r, c), text in texts.items():
        if (r, c) not in covered:
            by_row.setdefault(r, {})[c] = text
    # a row runs from column A to its last cell: counted before any is made (a
    # cell in column XFD makes 16384)
    budget.cells(sum(max(row) + 1 for row in by_row.values()))
    rows = []
    for r in sorted(by_row):
        row = by_row[r]
        cells = tuple(
            Cell(row.get(c, ""), row=r, col=c, page=page,
                 rowspan=spans.get((r, c), (1, 1))[0], colspan=spans.get((r, c), (1, 1))[1])
            for c in range(max(row) + 1)
            if (r, c) not in covered
        )  # fmt: skip
        rows.append(cells)
    return Table(tuple(rows))


def _value_text(value: object, number_format: str, date1904: bool) -> str:
    """A cell value as shown under its number format, cleaned like any cell text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value, number_format, date1904=date1904)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_datetime(value, number_format)
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return _clean_text(str(value))


_XSTRING_ESCAPE = regex.compile(r"_x([0-9A-Fa-f]{4})_")
_CR = regex.compile(r"\r\n?")


def _clean_text(text: str, *, ooxml: bool = False) -> str:
    """Cell text: ``\\r\\n`` → ``\\n``, then :func:`clean_cell`; ``ooxml`` also decodes
    the ``_x000D_`` escapes that Excel writes into XLSX strings (openpyxl keeps them).

    >>> _clean_text("第一行_x000D_\\n第二行 ", ooxml=True)
    '第一行\\n第二行'
    """
    if ooxml and "_x" in text:
        text = _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return clean_cell(_CR.sub("\n", text))


def _reason(kind: str, exc: Exception) -> str:
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"cannot read as {kind}: {type(exc).__name__}" + (f": {detail}" if detail else "")


# --------------------------------------------------------------------------
# XLSX


def read_xlsx(data: bytes, path: str | None, source: str) -> Document:
    """Read an XLSX workbook: one table per sheet, values as formatted in the sheet."""
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" …
            wb: Any = openpyxl.load_workbook(BytesIO(data), data_only=True, keep_links=False)
    except Exception as exc:
        raise CorruptDocument(source, _reason("XLSX", exc)) from exc
    date1904 = bool(wb.epoch.year == 1904)
    names: list[str] = list(wb.sheetnames)
    blocks = tuple(_xlsx_table(wb[name], page, date1904) for page, name in enumerate(names, 1))
    return Document(path=path, format="xlsx", blocks=blocks, pages=len(names))


def _xlsx_table(ws: Any, page: int, date1904: bool) -> Table:
    # The sheet's own cell store: only the cells the file has, however far the
    # used range reaches (iter_rows would create every slot of it).
    cells: dict[tuple[int, int], Any] = getattr(ws, "_cells", None) or {}
    texts: dict[tuple[int, int], str] = {}
    often = limits.budget().often
    for (r, c), cell in cells.items():
        often()
        value = cell.value
        if value is None:
            continue
        fmt = str(cell.number_format or "General")
        if fmt == "General" and isinstance(value, (int, float)):
            fmt = _ZH_BUILTIN.get(int(getattr(getattr(cell, "_style", None), "numFmtId", 0)), fmt)
        if isinstance(value, str):
            texts[(int(r) - 1, int(c) - 1)] = _clean_text(value, ooxml=True)
        else:
            texts[(int(r) - 1, int(c) - 1)] = _value_text(value, fmt, date1904)
    ranges = getattr(getattr(ws, "merged_cells", None), "ranges", ())
    merges = [
        (int(m.min_row) - 1, int(m.min_col) - 1,
         int(m.max_row) - int(m.min_row) + 1, int(m.max_col) - int(m.min_col) + 1)
        for m in ranges
    ]  # fmt: skip
    return _sheet_table(texts, merges, page)


# --------------------------------------------------------------------------
# XLS


def read_xls(data: bytes, path: str | None, source: str) -> Document:
    """Read an XLS (BIFF) workbook: one table per sheet, values as formatted in the sheet."""
    import xlrd  # type: ignore[import-untyped, unused-ignore]

    try:
        book: Any = xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, logfile=StringIO()
        )
    except Exception as exc:
        raise CorruptDocument(source, _reason("XLS", exc)) from exc
    date1904 = book.datemode == 1
    count = int(book.nsheets)
    blocks = tuple(_xls_table(book, book.sheet_by_index(i), i + 1, date1904) for i in range(count))
    return Document(path=path, format="xls", blocks=blocks, pages=count)


_XL_EMPTY, _XL_TEXT, _XL_NUMBER, _XL_DATE, _XL_BOOLEAN, _XL_ERROR, _XL_BLANK = range(7)
_XL_ERRORS = {0: "#NULL!", 7: "#DIV/0!", 15: "#VALUE!", 23: "#REF!", 29: "#NAME?", 36: "#NUM!",
              42: "#N/A"}  # fmt: skip


def _xls_table(book: Any, sheet: Any, page: int, date1904: bool) -> Table:
    texts: dict[tuple[int, int], str] = {}
    for r in range(int(sheet.nrows)):
        types = sheet.row_types(r)
        values = sheet.row_values(r)
        for c, (ctype, value) in enumerate(zip(types, values, strict=False)):
            if ctype in (_XL_EMPTY, _XL_BLANK):
                continue
            if ctype == _XL_TEXT:
                texts[(r, c)] = _clean_text(str(value))
            elif ctype in (_XL_NUMBER, _XL_DATE):
                fmt = _xls_format(book, sheet.cell_xf_index(r, c))
                if ctype == _XL_DATE and not _is_date(_sections(fmt)[0]):
                    fmt = "yyyy-mm-dd"
                texts[(r, c)] = format_number(float(value), fmt, date1904=date1904)
            elif ctype == _XL_BOOLEAN:
                texts[(r, c)] = "TRUE" if value else "FALSE"
            elif ctype == _XL_ERROR:
                texts[(r, c)] = _XL_ERRORS.get(int(value), "#N/A")
    merges = [(int(r0), int(c0), int(r1) - int(r0), int(c1) - int(c0))
              for r0, r1, c0, c1 in sheet.merged_cells]  # fmt: skip
    return _sheet_table(texts, merges, page)


def _xls_format(book: Any, xf_index: int) -> str:
    """The number format code of an XF record; zh-CN codes for locale built-ins."""
    try:
        key = int(book.xf_list[xf_index].format_key)
    except (IndexError, AttributeError):
        return "General"
    fmt = book.format_map.get(key)
    code = getattr(fmt, "format_str", None)
    return str(code) if code else _ZH_BUILTIN.get(key, "General")
