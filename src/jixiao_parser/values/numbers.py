"""Numbers as written on the forms: Arabic with separators, Chinese numerals, 万/亿."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["CN_DIGITS", "MULTIPLIERS", "chinese_to_int", "parse_number"]

CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}


def chinese_to_int(text: str) -> int | None:
    """Read a Chinese numeral below 10,000; ``None`` if it is not one.

    >>> [chinese_to_int(t) for t in ("六十", "一百二十", "十二", "百")]
    [60, 120, 12, 100]
    >>> chinese_to_int("二零二三")
    2023
    """
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        # digit by digit, as in years: 二零二三
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = 0
    digit: int | None = None
    last_unit = 10000
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                return None  # two digits in a row: not a numeral
            digit = CN_DIGITS[ch]
        else:
            unit = CN_UNITS[ch]
            if unit >= last_unit:
                return None  # 十百: units must fall
            total += (digit if digit is not None else 1) * unit
            digit = None
            last_unit = unit
    if digit:
        total += digit
    return total


def parse_number(text: str) -> Decimal | None:
    """Arabic (``965,043.97``, ``-0.3``, ``.5``) or Chinese (``六十``) number.

    >>> parse_number("965,043.97"), parse_number("六十"), parse_number("abc")
    (Decimal('965043.97'), Decimal('60'), None)
    """
    s = text.replace(",", "")
    if s and (s[0].isdigit() or s[0] in "-."):
        try:
            value = Decimal(s)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    n = chinese_to_int(s)
    return Decimal(n) if n is not None else None
