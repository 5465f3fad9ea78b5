"""What a week is, and which week is built: checked against the dates of the raw top-100 file."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pandas as pd
import pytest

from conftest import RALLY, SELL_OFF, raw_rows
from reports.core.errors import NoDataError
from reports.data.model import Asset, MarketData, PricePanel, SeriesInfo
from reports.facts.week import Week, resolve_week

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@cache
def raw_days() -> frozenset[date]:
    """Every day with at least one row in coingecko_top100_daily.csv."""
    return frozenset(date.fromisoformat(row["date"]) for row in raw_rows("coingecko_top100_daily.csv"))


def latest_complete_week(weekday: int) -> date:
    """The latest day D on `weekday` (Monday = 0) such that every day D-7..D has a row."""
    days = raw_days()
    for end in sorted(days, reverse=True):
        if end.weekday() == weekday and all(end - timedelta(days=back) in days for back in range(8)):
            return end
    raise AssertionError("no complete week in the raw file")


def base_day_gaps() -> list[date]:
    """Days D with prices whose D-7 falls inside the data's range but has no row."""
    days = raw_days()
    first = min(days)
    return sorted(end for end in days if end - timedelta(days=7) >= first and end - timedelta(days=7) not in days)


# --- the Week itself -----------------------------------------------------------------------------


def test_week_start_base_and_days():
    week = Week(date(2026, 2, 6))
    assert week.start == date(2026, 1, 31)
    assert week.base == date(2026, 1, 30)
    assert list(week.days()) == [pd.Timestamp(2026, 1, 31) + pd.Timedelta(days=n) for n in range(7)]
    assert list(week.days(with_base=True)) == [pd.Timestamp(2026, 1, 30) + pd.Timedelta(days=n) for n in range(8)]
    assert week.days()[0].date() == week.start and week.days()[-1].date() == week.end


def test_week_across_a_month_and_year_end():
    week = Week(date(2026, 1, 3))
    assert (week.start, week.base) == (date(2025, 12, 28), date(2025, 12, 27))
    assert len(week.days()) == 7 and len(week.days(with_base=True)) == 8
    assert week.days().freq == "D"


# --- the default week ----------------------------------------------------------------------------


def test_default_week_is_the_latest_complete_sunday_week(bundled_data):
    expected = latest_complete_week(6)
    # The raw file runs without gaps 2025-10-20 .. 2026-03-28; 2026-03-29 (a Sunday) is missing,
    # and every later Sunday week has April gaps, so the last complete Sunday week ends 2026-03-22.
    assert expected == date(2026, 3, 22)
    assert resolve_week(bundled_data, None, "sunday") == Week(expected)
    assert resolve_week(bundled_data, None, "sunday").end == expected


def test_default_week_ending_on_a_friday(bundled_data):
    expected = latest_complete_week(4)
    assert expected == date(2026, 3, 27)  # 2026-03-20 .. 2026-03-27 all present; 2026-04-03's week lacks 03-29
    assert resolve_week(bundled_data, None, "friday").end == expected


@pytest.mark.parametrize("weekday", WEEKDAYS)
def test_default_week_for_every_weekday(bundled_data, weekday):
    end = resolve_week(bundled_data, None, weekday).end
    assert end == latest_complete_week(WEEKDAYS.index(weekday))
    assert end.weekday() == WEEKDAYS.index(weekday)


def _synthetic(missing: list[date]) -> MarketData:
    """January 2026, one asset, NaN (a gap) on the given days."""
    days = pd.date_range("2026-01-01", "2026-01-31", freq="D")
    close = pd.DataFrame({"coin": [float(100 + n) for n in range(len(days))]}, index=days)
    close.loc[[pd.Timestamp(day) for day in missing], "coin"] = float("nan")
    info = SeriesInfo("test", "test", "test", "test", "test", "test")
    return MarketData(assets={"coin": Asset("coin", "COIN", "Coin")}, prices=PricePanel(close=close, info=info))


def test_default_week_needs_its_base_day_too():
    # 2026-01-18 (a Sunday) missing: the week ending 2026-01-25 has all of 01-19..01-25 but not its
    # base day, so the default Sunday week is the one ending 2026-01-11 (01-04..01-11 all present).
    data = _synthetic([date(2026, 1, 18)])
    assert resolve_week(data, None, "sunday").end == date(2026, 1, 11)
    # with no gap the latest Sunday, 2026-01-25, is complete
    assert resolve_week(_synthetic([]), None, "sunday").end == date(2026, 1, 25)


def test_default_week_ignores_a_week_with_a_gap_inside():
    data = _synthetic([date(2026, 1, 28)])  # a Wednesday inside the last Saturday week (01-24..01-31)
    assert resolve_week(data, None, "saturday").end == date(2026, 1, 24)


def test_no_complete_week_raises_naming_the_data_range():
    data = _synthetic([date(2026, 1, day) for day in range(2, 32, 3)])  # a gap every third day from 01-02
    with pytest.raises(NoDataError) as raised:
        resolve_week(data, None, "sunday")
    assert "2026-01-01" in str(raised.value) and "2026-01-31" in str(raised.value)  # first and last priced days


# --- an explicit week ----------------------------------------------------------------------------


@pytest.mark.parametrize("end", [SELL_OFF, RALLY, date(2025, 10, 27), date(2026, 5, 1)], ids=str)
def test_explicit_week_inside_the_data_is_accepted(bundled_data, end):
    assert end in raw_days() and end - timedelta(days=7) in raw_days()
    week = resolve_week(bundled_data, end, "sunday")
    assert week == Week(end)
    assert (week.start, week.base) == (end - timedelta(days=6), end - timedelta(days=7))


@pytest.mark.parametrize(
    "end",
    [date(2026, 5, 8), date(2026, 7, 1), date(2025, 8, 11), date(2025, 8, 1)],
    ids=str,
)
def test_week_outside_the_data_raises_naming_the_data_range(bundled_data, end):
    first, last = min(raw_days()), max(raw_days())
    assert (first, last) == (date(2025, 8, 5), date(2026, 5, 1))
    assert end > last or end - timedelta(days=7) < first
    with pytest.raises(NoDataError) as raised:
        resolve_week(bundled_data, end, "sunday")
    message = str(raised.value)
    assert str(first) in message and str(last) in message
    assert str(end) in message


def test_base_day_gaps_found_in_the_raw_file():
    gaps = base_day_gaps()
    # Saturdays 2025-08-23 and 2025-10-18 have no rows, while 2025-08-30 and 2025-10-25 do.
    assert date(2025, 8, 30) in gaps and date(2025, 10, 25) in gaps
    assert all(end - timedelta(days=7) not in raw_days() for end in gaps)


@pytest.mark.parametrize("end", base_day_gaps(), ids=str)
def test_week_whose_base_day_is_a_gap_raises_naming_that_day(bundled_data, end):
    base = end - timedelta(days=7)
    with pytest.raises(NoDataError) as raised:
        resolve_week(bundled_data, end, "sunday")
    message = str(raised.value)
    assert str(base) in message
    assert str(end) in message


@pytest.mark.parametrize("end", [date(2026, 3, 29), date(2026, 4, 12), date(2025, 9, 14)], ids=str)
def test_week_whose_last_day_is_a_gap_raises_naming_that_day(bundled_data, end):
    assert end not in raw_days()
    with pytest.raises(NoDataError) as raised:
        resolve_week(bundled_data, end, "sunday")
    assert str(end) in str(raised.value)


# --- hostile requests and data too short for any week (issue 12) -------------------------------------


def _first_days(count: int) -> MarketData:
    """The first `count` days of the synthetic January: fewer than a week needs when under 8."""
    data = _synthetic([])
    close = data.prices.close.iloc[:count]
    return MarketData(assets=data.assets, prices=PricePanel(close=close, info=data.prices.info))


@pytest.mark.parametrize("end", [date(1, 1, 1), date(1, 1, 7)], ids=str)
def test_a_week_ending_in_the_first_days_of_year_one_is_refused_not_an_overflow(bundled_data, end):
    """Its base day (end - 7) is before the first date a calendar has: OverflowError before the fix."""
    with pytest.raises(NoDataError) as raised:
        resolve_week(bundled_data, end, "sunday")
    message = str(raised.value)
    assert str(end) in message and "2025-08-05" in message and "2026-05-01" in message
    assert "Pick a week ending between 2025-08-12 and 2026-05-01" in message


@pytest.mark.parametrize("requested", [None, date(2026, 1, 1), date(2026, 1, 8)], ids=str)
@pytest.mark.parametrize("count", [1, 7])
def test_data_shorter_than_a_week_says_how_many_days_it_holds(count, requested):
    """Not "pick a week ending between 01-08 and 01-01" (an inverted range) or "no Sunday week"."""
    with pytest.raises(NoDataError) as raised:
        resolve_week(_first_days(count), requested, "sunday")
    message = str(raised.value)
    days = "1 day" if count == 1 else f"{count} days"
    assert f"only {days} of prices" in message and "8 daily closes" in message
    assert "between" not in message and "Sunday" not in message


def test_eight_days_are_enough_for_one_week():
    assert resolve_week(_first_days(8), None, "thursday") == Week(date(2026, 1, 8))
