"""The week in days: its largest one-day moves on closes, and its intraday low and high from the candles.

All on the price panel as the week reads it (`week_data`): one basis per asset for the week.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from reports.data.basis import for_week
from reports.data.model import MarketData
from reports.facts.capsum import market_for_week
from reports.facts.model import TYPICAL_WEEK_DAYS, DailyMove
from reports.facts.week import Week

MIN_DAYS = 30  # daily changes needed for a typical daily move


def week_data(data: MarketData, week: Week) -> MarketData:
    """The data as one week reads it: each asset on one price basis from the base day to the last, and
    the market series that covers the week's two ends (`capsum.market_for_week`)."""
    return market_for_week(replace(data, prices=for_week(data.prices, week.base, week.end)), week)


def _daily_changes(data: MarketData, week: Week, asset: str) -> tuple[pd.Series, pd.Series]:
    closes = data.prices.close[asset].loc[pd.Timestamp(week.base) : pd.Timestamp(week.end)]
    return closes, (closes / closes.shift(1) - 1).dropna() * 100


def typical_day(data: MarketData, week: Week, asset: str) -> float | None:
    """The standard deviation (percent) of the asset's daily changes over TYPICAL_WEEK_DAYS before the week."""
    closes = data.prices.close[asset].loc[pd.Timestamp(week.base) - pd.Timedelta(days=TYPICAL_WEEK_DAYS) : pd.Timestamp(week.base)]
    changes = (closes / closes.shift(1) - 1).dropna() * 100
    return float(changes.std(ddof=1)) if len(changes) >= MIN_DAYS else None


def _at(data: MarketData, week: Week, asset: str, closes: pd.Series, day: pd.Timestamp, change: float) -> DailyMove:
    previous = day - pd.Timedelta(days=1)
    return DailyMove(asset, day.date(), change, float(closes.loc[previous]), float(closes.loc[day]),
                     typical_day(data, week, asset))


def daily_move(data: MarketData, week: Week, asset: str) -> DailyMove | None:
    """The asset's largest move between consecutive daily closes of the week (by size)."""
    closes, changes = _daily_changes(data, week, asset)
    if changes.empty:
        return None
    day = changes.abs().idxmax()
    return _at(data, week, asset, closes, day, float(changes.loc[day]))


def daily_extreme(data: MarketData, week: Week, asset: str, side: str) -> DailyMove | None:
    """The asset's largest one-day fall (`side` "fall") or rise ("rise") of the week, None if it had none."""
    closes, changes = _daily_changes(data, week, asset)
    changes = changes[changes < 0] if side == "fall" else changes[changes > 0]
    if changes.empty:
        return None
    day = changes.idxmin() if side == "fall" else changes.idxmax()
    return _at(data, week, asset, closes, day, float(changes.loc[day]))


Extreme = tuple[float, date, int | None]


def intraday(data: MarketData, week: Week, asset: str) -> tuple[Extreme | None, Extreme | None]:
    """The week's lowest low and highest high in the candles, each with its day and, where hourly candles
    cover that day, its UTC hour; (None, None) when the asset has no candles for every day of the week."""
    panel = data.prices
    if panel.low is None or panel.high is None or asset not in panel.low.columns:
        return None, None
    days = slice(pd.Timestamp(week.start), pd.Timestamp(week.end))
    lows, highs = panel.low[asset].loc[days], panel.high[asset].loc[days]
    if lows.isna().any() or highs.isna().any() or not len(lows):
        return None, None
    low_day, high_day = lows.idxmin(), highs.idxmax()
    return ((float(lows[low_day]), low_day.date(), _hour(data, asset, low_day, float(lows[low_day]), "low")),
            (float(highs[high_day]), high_day.date(), _hour(data, asset, high_day, float(highs[high_day]), "high")))


def _hour(data: MarketData, asset: str, day: pd.Timestamp, value: float, side: str) -> int | None:
    """The first hour of `day` whose candle reached `value`, when the hourly candles cover the whole day."""
    if data.hourly is None:
        return None
    frame = data.hourly.low if side == "low" else data.hourly.high
    if asset not in frame.columns:
        return None
    hours = frame[asset].loc[day : day + pd.Timedelta(hours=23)].dropna()
    if len(hours) != 24:
        return None
    reached = hours[hours <= value] if side == "low" else hours[hours >= value]
    return int(reached.index[0].hour) if len(reached) else None
