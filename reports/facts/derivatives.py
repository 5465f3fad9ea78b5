"""Leverage in the week, as numbers: funding and open interest of the BTC and ETH perpetuals (the live
`derivatives` driver, from Bybit; the bundled data has none, and then there is nothing here).

Calendars (see reports.data.sources.bybit): a day's funding is its last settlement, so the week's funding
is that of its last day, set against that of the base day (the last day of the week before): a sign that
differs is the funding having "turned". Open interest is a 00:00 UTC value, so the week runs from the value
at 00:00 UTC of its first day (the base day's close) to the one at 00:00 UTC of the day after its last, as
the week's price change runs from close to close.

Rank: the week's open interest change against the same change over each earlier week of the store's own
history (weeks ending on the same weekday, seven days apart), once there are MIN_WEEKS of them: rank 1 is
the largest change in the week's direction (the largest rise, or the largest fall). Fewer: no rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from reports.data.model import DriverSeries, MarketData
from reports.facts.model import BTC, ETH
from reports.facts.week import Week

KEY = "derivatives"
MIN_WEEKS = 20  # earlier weeks needed before the week's open interest change is ranked
PERPETUALS = ((BTC, "btc", "BTCUSDT"), (ETH, "eth", "ETHUSDT"))
SETTLEMENTS_A_YEAR = 3 * 365  # eight-hourly funding, as BTCUSDT and ETHUSDT settle on Bybit: the annualised rate readers know


@dataclass(frozen=True)
class Perpetual:
    """One perpetual's week: funding (percent per eight hours) at both ends, open interest between two 00:00 UTC values."""

    asset: str
    symbol: str
    funding_pct: float | None  # the last funding of the week's last day
    funding_day: date | None
    funding_start_pct: float | None  # the last funding of the base day
    funding_annual_pct: float | None  # funding_pct over a year of eight-hourly settlements (SETTLEMENTS_A_YEAR)
    funding_start_annual_pct: float | None
    funding_turned: str | None  # "negative" or "positive" when the sign changed over the week, else None
    open_interest_start: float | None  # at 00:00 UTC of the week's first day, in the coin
    open_interest_end: float | None  # at 00:00 UTC of the day after the week's last
    open_interest_start_day: date | None
    open_interest_end_day: date | None
    open_interest_change_pct: float | None
    open_interest_rank: int | None  # 1 = the largest change in the week's direction among `open_interest_weeks` + 1 weeks
    open_interest_weeks: int | None  # earlier weeks ranked against (None: fewer than MIN_WEEKS)
    source: str


def compute_derivatives(data: MarketData, week: Week) -> tuple[Perpetual, ...]:
    """The perpetuals the store has something for in the week; none without the driver."""
    series = data.drivers.get(KEY)
    if series is None:
        return ()
    found = [_perpetual(series, week, asset, prefix, symbol) for asset, prefix, symbol in PERPETUALS]
    return tuple(item for item in found if item is not None)


def for_asset(perpetuals: tuple[Perpetual, ...], asset: str) -> tuple[Perpetual, ...]:
    """An asset's brief tells its own perpetual only."""
    return tuple(item for item in perpetuals if item.asset == asset)


def _value(frame: pd.DataFrame, column: str, day: date) -> float | None:
    if column not in frame.columns:
        return None
    value = frame[column].get(pd.Timestamp(day))
    return None if value is None or pd.isna(value) else float(value)


def _perpetual(series: DriverSeries, week: Week, asset: str, prefix: str, symbol: str) -> Perpetual | None:
    frame = series.frame
    funding, before = _value(frame, f"{prefix}_funding", week.end), _value(frame, f"{prefix}_funding", week.base)
    start_day, end_day = week.start, week.end + timedelta(days=1)
    oi_start, oi_end = _value(frame, f"{prefix}_open_interest", start_day), _value(frame, f"{prefix}_open_interest", end_day)
    change = (oi_end / oi_start - 1) * 100 if oi_start and oi_end is not None else None
    if funding is None and change is None:
        return None
    rank, weeks = _rank(frame, f"{prefix}_open_interest", end_day, change)
    turned = None
    if funding is not None and before is not None and (funding < 0) != (before < 0) and funding != 0:
        turned = "negative" if funding < 0 else "positive"
    return Perpetual(
        asset=asset, symbol=symbol, funding_pct=None if funding is None else funding * 100,
        funding_day=week.end if funding is not None else None, funding_start_pct=None if before is None else before * 100,
        funding_annual_pct=None if funding is None else funding * 100 * SETTLEMENTS_A_YEAR,
        funding_start_annual_pct=None if before is None else before * 100 * SETTLEMENTS_A_YEAR, funding_turned=turned, open_interest_start=oi_start if change is not None else None,
        open_interest_end=oi_end if change is not None else None,
        open_interest_start_day=start_day if change is not None else None, open_interest_end_day=end_day if change is not None else None,
        open_interest_change_pct=change, open_interest_rank=rank, open_interest_weeks=weeks, source=series.info.key,
    )


def _rank(frame: pd.DataFrame, column: str, end_day: date, change: float | None) -> tuple[int | None, int | None]:
    """The change's rank in its direction among the earlier weeks' changes (each seven days apart), or no rank."""
    if change is None or column not in frame.columns:
        return None, None
    values = frame[column].dropna()
    if values.empty:
        return None, None
    week = pd.Timedelta(days=7)
    ends, end = [], pd.Timestamp(end_day) - week  # the earlier weeks end on the same weekday, seven days apart
    while end - week >= values.index[0]:
        ends.append(end)
        end -= week
    earlier = [(values[end] / values[end - week] - 1) * 100 for end in ends
               if end in values.index and end - week in values.index and values[end - week] > 0]
    if len(earlier) < MIN_WEEKS:
        return None, None
    larger = sum(1 for value in earlier if (value > change if change >= 0 else value < change))
    return larger + 1, len(earlier)
