"""The one formatting layer for numbers, money, percentages and dates (Babel).

Prose, tables and chart axes all format through a `Formatter`, so "$2.34 trillion" in a
sentence and in a table come from the same code and change together with the locale.
House style: money in compact words with fixed digits ($549.7 billion, $2.34 trillion),
prices by size ($65,881, $1,923.06, $0.2563), percentages to one decimal (-16.5%, 57.3%).
"""

from __future__ import annotations

import decimal
import math
import re
import sys
from datetime import date
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import NumberPattern, get_currency_symbol, parse_pattern

CURRENCY = "USD"
ZEROS = re.compile(r"0+")
Date = date  # the type, for annotations in `Formatter` after its `date` method (which shadows it there)


class Formatter:
    """Locale-aware formatting of the values a brief prints."""

    def __init__(self, locale: str = "en_US") -> None:
        self.locale = Locale.parse(locale)

    @cached_property
    def _symbols(self) -> dict[str, str]:
        return self.locale.number_symbols.get("latn", self.locale.number_symbols)

    @cached_property
    def _currency_first(self) -> bool:
        return self.locale.currency_formats["standard"].pattern.startswith("¤")

    # --- plain numbers ---------------------------------------------------------------------------

    def number(self, value: float, digits: int = 0) -> str:
        pattern = parse_pattern(self.locale.decimal_formats[None].pattern)
        pattern.frac_prec = (digits, digits)
        return _apply(pattern, value, self.locale)

    def signed(self, text: str, value: float) -> str:
        """Prefix a plus sign to a positive value's text (negatives carry their own minus)."""
        return self._symbols["plusSign"] + text if value > 0 and text[0] != self._symbols["minusSign"] else text

    # --- percentages -----------------------------------------------------------------------------

    def percent(self, value_pct: float, digits: int = 1, sign: bool = False) -> str:
        """`value_pct` is in percent units: -16.5 gives "-16.5%"; `sign` adds "+" to gains."""
        value_pct = _no_negative_zero(value_pct, digits)
        pattern = parse_pattern(self.locale.percent_formats[None].pattern)
        pattern.frac_prec = (digits, digits)
        text = _apply(pattern, value_pct / 100, self.locale)
        return self.signed(text, value_pct) if sign else text

    def points(self, value: float, digits: int = 1) -> str:
        """A change in percentage points, as a bare number ("0.6"); the words say "points"."""
        return self.number(_no_negative_zero(value, digits), digits)

    # --- money -----------------------------------------------------------------------------------

    def price(self, usd: float) -> str:
        """A price with digits by size: $65,881 / $1,923.06 / $0.2563 (four significant digits)."""
        digits = _price_digits(abs(usd))
        return self._money_text(self.number(_no_negative_zero(usd, digits), digits))

    def money(self, usd: float) -> str:
        """Large amounts in words with fixed digits: $549.7 billion, $2.34 trillion, $18.2 million."""
        if abs(usd) < 1e6:
            return self._money_text(self.number(usd, 0))
        digits = 2 if abs(usd) >= 1e12 else 1
        return self._money_text(self._compact(usd, digits, "long"))

    def money_short(self, usd: float, digits: int = 1) -> str:
        """Compact money for chart axes: $2.3T."""
        if abs(usd) < 1e3:
            return self._money_text(self.number(usd, 0))
        return self._money_text(self._compact(usd, digits, "short"))

    def _money_text(self, number: str) -> str:
        symbol = get_currency_symbol(CURRENCY, self.locale)
        minus = self._symbols["minusSign"]
        negative = number.startswith(minus)
        number = number.removeprefix(minus)
        text = f"{symbol}{number}" if self._currency_first else f"{number}\u00a0{symbol}"
        return minus + text if negative else text

    def _compact(self, value: float, digits: int, style: str) -> str:
        formats = self.locale.compact_decimal_formats
        table = (formats.get(style) or formats["short"])["other"]
        magnitude = max((int(key) for key in table if int(key) <= abs(value)), default=None)
        if magnitude is None:
            return self.number(value, digits)
        pattern = table[str(magnitude)].pattern if hasattr(table[str(magnitude)], "pattern") else table[str(magnitude)]
        found = ZEROS.search(pattern)
        if found is None:
            raise ValueError(f"{self.locale}: compact number pattern {pattern!r} has no digit placeholder")
        zeros = found.group()
        divisor = magnitude / 10 ** (len(zeros) - 1)
        return pattern.replace(zeros, self.number(value / divisor, digits), 1).replace("'", "")

    # --- dates -----------------------------------------------------------------------------------

    def day(self, value: date) -> str:
        """Feb 6"""
        return format_skeleton("MMMd", value, locale=self.locale)

    def weekday_day(self, value: date) -> str:
        """Tuesday, Feb 3: a day inside the week, as news copy names it (the weekday tells the week's shape)"""
        return f"{format_date(value, 'EEEE', locale=self.locale)}, {self.day(value)}"

    def date(self, value: date) -> str:
        """Feb 6, 2026"""
        return format_skeleton("yMMMd", value, locale=self.locale)

    def span(self, start: Date, end: Date) -> str:
        """Mar 17 – 18, Mar 31 – Apr 1 (one day: Mar 17): an event's days, in the locale's interval form"""
        return format_interval(start, end, "MMMd", locale=self.locale)

    def month(self, value: Date) -> str:
        """October 2024"""
        return format_skeleton("yMMMM", value, locale=self.locale)

    def index(self, value: float) -> str:
        """An index reading such as Fear & Greed: a whole number."""
        return self.number(_no_negative_zero(value, 0), 0)


def _price_digits(size: float) -> int:
    """Decimals for four significant digits (at least two below $1000). Zero, NaN and infinity have
    no size to count digits of (an axis ticks at 0; a close is never 0): they get none."""
    if size >= 1000 or size == 0 or not math.isfinite(size):
        return 0
    if size >= 1:
        return 2
    return max(2, 3 - math.floor(math.log10(size)))


def _apply(pattern: NumberPattern, value: float, locale: Locale) -> str:
    """`pattern.apply` with decimal precision for every digit of any finite float (up to 309
    before the point): under the default 28, Babel's rounding raises InvalidOperation past 1e28."""
    with decimal.localcontext() as context:
        context.prec = max(context.prec, sys.float_info.max_10_exp + 2 + pattern.frac_prec[1])
        return pattern.apply(value, locale)


def _no_negative_zero(value: float, digits: int) -> float:
    """-0.04 shown to one decimal is "0.0", not "-0.0"."""
    return 0.0 if round(value, digits) == 0 else value
