"""A week set against an asset's whole history: levels not seen since, drawdown, volatility rank.

Each figure uses one series end to end (one time-of-day convention), chosen as the
longest history that covers the week; the figure records which series and from when.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .market import MarketData, SeriesInfo
from .week import Week

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class History:
    """One asset's daily closes up to the end of the week, from one series."""

    asset: str
    closes: pd.Series
    info: SeriesInfo

    @property
    def start(self) -> date:
        return self.closes.index[0].date()


@dataclass(frozen=True)
class LevelSince:
    """The week's lowest (or highest) close, and the last earlier day the asset closed beyond it.

    `since` is None when no earlier close in the history was as low (or as high).
    """

    asset: str
    side: str
    value: float
    day: date
    since: date | None
    history_start: date
    series: str


@dataclass(frozen=True)
class Drawdown:
    """How far the week's last close sits below the highest close in the history."""

    asset: str
    close: float
    peak: float
    peak_day: date
    drawdown_pct: float
    history_start: date
    series: str


@dataclass(frozen=True)
class Volatility:
    """Annualised realised volatility of the week's seven daily returns, ranked against every
    seven-day window in the history. `percentile`: share of windows (this one included) at or
    below this week's; `highest_since`: the last window ending before the week starts (so not
    overlapping it) whose volatility was as high, None if there was none."""

    asset: str
    annualised_pct: float
    median_pct: float
    percentile: float
    windows: int
    highest_since: date | None
    history_start: date
    series: str


def longest_history(data: MarketData, asset: str, week: Week) -> History | None:
    """The series with the earliest start that has this asset's closes on the week's base and end days."""
    best: History | None = None
    for panel in (data.history, data.prices):
        if panel is None or asset not in panel.close.columns:
            continue
        closes = panel.close[asset].loc[: pd.Timestamp(week.end)]
        if _missing(closes, week.base) or _missing(closes, week.end):
            continue
        closes = closes.loc[closes.first_valid_index() :]
        if best is None or closes.index[0] < best.closes.index[0]:
            best = History(asset, closes, panel.info)
    return best


def _missing(closes: pd.Series, day: date) -> bool:
    return pd.isna(closes.get(pd.Timestamp(day), np.nan))


def level_since(history: History, week: Week, side: str) -> LevelSince:
    closes = history.closes.dropna()
    window = closes.loc[pd.Timestamp(week.start) :]
    day = window.idxmin() if side == "low" else window.idxmax()
    value = float(window.loc[day])
    before = closes.loc[: pd.Timestamp(week.start) - pd.Timedelta(days=1)]
    beyond = before[before <= value] if side == "low" else before[before >= value]
    since = beyond.index[-1].date() if len(beyond) else None
    return LevelSince(history.asset, side, value, day.date(), since, history.start, history.info.key)


def drawdown(history: History) -> Drawdown:
    closes = history.closes.dropna()
    peak_day = closes.idxmax()
    close = float(closes.iloc[-1])
    peak = float(closes.loc[peak_day])
    return Drawdown(
        history.asset, close, peak, peak_day.date(), (close / peak - 1) * 100, history.start, history.info.key
    )


def drawdown_path(history: History) -> pd.Series:
    """Percent below the running high, day by day (gaps carried as NaN)."""
    closes = history.closes
    return (closes / closes.cummax() - 1) * 100


def window_volatility(closes: pd.Series) -> pd.Series:
    """Annualised volatility (percent) of the seven daily log returns ending on each day."""
    returns = np.log(closes).diff()
    return returns.rolling(7, min_periods=7).std(ddof=1) * math.sqrt(DAYS_PER_YEAR) * 100


def volatility(history: History, week: Week) -> Volatility | None:
    windows = window_volatility(history.closes).dropna()
    end = pd.Timestamp(week.end)
    if end not in windows.index:
        return None
    current = float(windows.loc[end])
    before = windows.loc[: pd.Timestamp(week.start) - pd.Timedelta(days=1)]
    as_high = before[before >= current]
    return Volatility(
        asset=history.asset,
        annualised_pct=current,
        median_pct=float(windows.median()),
        percentile=float((windows <= current).mean() * 100),
        windows=len(windows),
        highest_since=as_high.index[-1].date() if len(as_high) else None,
        history_start=history.start,
        series=history.info.key,
    )
