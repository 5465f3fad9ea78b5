"""The one formatting layer: house style in en_US and the locale actually applied elsewhere."""

from __future__ import annotations

from datetime import date

import pytest

from reports.core.formatting import Formatter


@pytest.fixture
def fmt():
    return Formatter("en_US")


@pytest.mark.parametrize(
    ("value", "text"),
    [(65881.0, "$65,881"), (472.11, "$472.11"), (1.33, "$1.33"), (0.256305, "$0.2563"), (0.092485, "$0.09248"),  # the float is 0.0924849999…, so it rounds down,
     (0.000005123, "$0.000005123")],
)
def test_prices_get_digits_by_size(fmt, value, text):
    assert fmt.price(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(-467.6e9, "-$467.6 billion"), (2.65e12, "$2.65 trillion"), (2.0e12, "$2.00 trillion"), (18.24e6, "$18.2 million"),
     (125_000.0, "$125,000")],
)
def test_large_amounts_read_in_words_with_fixed_digits(fmt, value, text):
    assert fmt.money(value) == text


def test_percentages_are_in_percent_units_with_one_decimal(fmt):
    assert fmt.percent(-16.5) == "-16.5%"
    assert fmt.percent(57.31) == "57.3%"
    assert fmt.percent(12.74, sign=True) == "+12.7%"
    assert fmt.percent(-0.04) == "0.0%"  # never "-0.0%"
    assert fmt.percent(-0.04, sign=True) == "0.0%"


def test_dates(fmt):
    assert fmt.day(date(2026, 2, 6)) == "Feb 6"
    assert fmt.date(date(2026, 2, 6)) == "Feb 6, 2026"
    assert fmt.month(date(2024, 10, 13)) == "October 2024"


def test_other_locales_change_separators_and_symbols():
    de = Formatter("de_DE")
    assert de.price(65881.0) == "65.881\u00a0$"
    assert de.percent(-16.5) == "-16,5\u00a0%"
    assert de.money(2.65e12) == "2,65 Billionen\u00a0$"
    assert de.day(date(2026, 2, 6)) == "6. Feb."
    gb = Formatter("en_GB")
    assert gb.day(date(2026, 2, 6)) == "6 Feb"


def test_chart_axis_money_is_compact(fmt):
    assert fmt.money_short(2.4e12) == "$2.4T"
    assert fmt.money_short(950.0) == "$950"


# --- values no real close has, which an axis or hostile data can still bring (issue 12) -------------

EXTREMES = [0.0, -0.0, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e30, float("nan"), float("inf"),
            float("-inf")]


@pytest.mark.parametrize("method", ["number", "price", "money", "money_short", "percent", "points", "index"])
@pytest.mark.parametrize("value", EXTREMES)
def test_every_float_formats_without_raising(fmt, method, value):
    """A chart axis ticks at 0, and data may hold absurd but finite numbers: a label, never a crash."""
    assert isinstance(getattr(fmt, method)(value), str)


def test_a_zero_price_tick_is_plain_zero_dollars(fmt):
    """An axis that starts at 0 (the zcash history chart) gets a "$0" tick, not a log10(0) crash."""
    assert fmt.price(0.0) == "$0"
    assert fmt.price(-0.0) == "$0"


def test_the_largest_float_is_written_out_in_full(fmt):
    """Babel's quantize ran out of decimal precision past 28 digits; every digit is now kept."""
    assert fmt.number(1e308).replace(",", "") == "1" + "0" * 308  # the float's shortest repr, as Babel reads it
    assert fmt.money(1e30) == "$1,000,000,000,000,000,000.00 trillion"
    assert fmt.price(-1e308).startswith("-$1")


def test_not_a_number_and_infinity_read_as_the_locale_writes_them(fmt):
    assert fmt.price(float("inf")) == "$∞"
    assert fmt.price(float("nan")) == "$NaN"
    assert fmt.index(float("inf")) == "∞"
