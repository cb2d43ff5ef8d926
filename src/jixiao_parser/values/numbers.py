"""Numbers as written on the forms: Arabic with separators, Chinese numerals, 万/亿."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .words import CN_DIGITS, CN_UNITS, MULTIPLIERS

__all__ = ["CN_DIGITS", "MULTIPLIERS", "chinese_to_int", "parse_number"]

# 亿 before 万: the sections of a numeral, largest first
_SECTIONS = tuple(sorted(((k, int(v)) for k, v in MULTIPLIERS.items()), key=lambda kv: -kv[1]))


_MAX_DIGITS = 30  # longer figures are not amounts on a form: refuse them


def _below_10000(text: str) -> int | None:
    """十 百 千 and digits: ``一千零五`` → 1005; ``None`` if malformed."""
    total = 0
    digit: int | None = None
    last_unit = _SECTIONS[-1][1]
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                return None  # two digits in a row: not a numeral
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit >= last_unit:
                return None  # 十百: units must fall
            total += (digit if digit is not None else 1) * unit
            digit = None
            last_unit = unit
        else:
            return None
    return total + (digit or 0)


def chinese_to_int(text: str) -> int | None:
    """Read a Chinese numeral (with 万 and 亿 sections); ``None`` if it is not one.

    >>> [chinese_to_int(t) for t in ("六十", "一百二十", "十二", "百", "一万五千", "二零二三")]
    [60, 120, 12, 100, 15000, 2023]
    >>> chinese_to_int("万") is None, chinese_to_int("优良") is None
    (True, True)
    """
    if not text or len(text) > _MAX_DIGITS:
        return None
    if len(text) > 1 and all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))  # digit by digit: 二零二三
    total = 0
    for big, factor in _SECTIONS:
        if big in text:
            head, text = text.split(big, 1)
            n = _below_10000(head)
            if not head or n is None:
                return None
            total += n * factor
    if not text:
        return total
    rest = _below_10000(text)
    return None if rest is None else total + rest


def parse_number(text: str) -> Decimal | None:
    """Arabic (``965,043.97``, ``-0.3``, ``.5``) or Chinese (``六十``) number.

    >>> parse_number("965,043.97"), parse_number("六十"), parse_number("abc")
    (Decimal('965043.97'), Decimal('60'), None)
    """
    s = text.replace(",", "")
    if len(s) > _MAX_DIGITS:
        return None
    if s and (s[0].isdigit() or s[0] in "-."):
        try:
            value = Decimal(s)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    n = chinese_to_int(s)
    return Decimal(n) if n is not None else None
