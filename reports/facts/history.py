"""A week set against an asset's whole history: levels not seen since, drawdown, volatility rank.

Each figure uses one series end to end (one time-of-day convention), chosen as the
longest history that covers the week; the figure records which series and from when.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from reports.data.model import MarketData, SeriesInfo, Splice
from reports.document.stress import STRESS_PERIODS
from reports.facts.week import Week

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class History:
    """One asset's daily closes up to the end of the week, from one series."""

    asset: str
    closes: pd.Series
    info: SeriesInfo
    splice: Splice | None = None  # where the series was extended back with another source's closes, if it reaches there

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
    """How far the week's last close sits below the highest close in the history, and the rise that would take it
    back there (`recovery_pct`, larger than the fall: it starts from the lower price)."""

    asset: str
    close: float
    peak: float
    peak_day: date
    drawdown_pct: float
    history_start: date
    series: str
    recovery_pct: float


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
            splice = panel.splice if panel.splice and asset in panel.splice.assets else None
            best = History(asset, closes, panel.info_of(asset), splice)
    return best


@dataclass(frozen=True)
class Extension:
    """Where the brief's long histories continue on another source's closes (same basis): before `day`,
    the closes of `assets` are `series`'s."""

    series: str
    day: date
    assets: tuple[str, ...]


def extension(histories: list[History]) -> Extension | None:
    """The splice the brief's histories reach back across, if any."""
    spliced = [h for h in histories if h.splice is not None and h.closes.index[0].date() < h.splice.day]
    if not spliced or spliced[0].splice is None:
        return None
    splice = spliced[0].splice
    return Extension(splice.info.key, splice.day, tuple(h.asset for h in spliced))


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
        history.asset, close, peak, peak_day.date(), (close / peak - 1) * 100, history.start, history.info.key,
        (peak / close - 1) * 100,
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


# --- the week ranked against the history ------------------------------------------------------------


def stress_period(day: date | None) -> str | None:
    """The named stress period a day falls in, if any."""
    if day is None:
        return None
    return next((period.name for period in STRESS_PERIODS if period.start <= day <= period.end), None)


MIN_WINDOWS = 8  # fewer earlier weeks than this and a ranking says nothing


@dataclass(frozen=True)
class WeekRank:
    """The week's seven-day change on one series, ranked against every other seven-day change in it.

    `unit` is what is ranked: "pct" (the percent change) or "usd" (the change in dollars, for a series
    the brief prints in dollars). `rank` 1 is the most extreme in the week's direction (largest fall
    for a falling week, largest rise for a rising one) among `windows` seven-day changes: one ending on
    each day of the history up to the week's end, those ending inside this week included. `within`
    is the end of the most extreme window ending inside the week (before its last day) when it went
    further than the week itself, with its change in `within_change`. `since` is the end of the last
    earlier window, ending before the week starts, with a change at least as extreme (in `unit`);
    None when there was none in the history, which starts on `history_start`.
    """

    asset: str
    direction: str  # "fall" or "rise"
    change_pct: float
    rank: int
    windows: int
    since: date | None
    since_change_pct: float | None
    since_period: str | None
    history_start: date
    series: str
    unit: str = "pct"
    change_usd: float | None = None  # the week's change in dollars, for a "usd" ranking
    since_change_usd: float | None = None
    within: date | None = None
    within_change_pct: float | None = None
    within_change_usd: float | None = None


def weekly_changes(closes: pd.Series, unit: str = "pct") -> pd.Series:
    """Each day's change on the value seven days earlier (percent, or for `unit` "usd" the difference);
    days without both are dropped."""
    daily = closes.asfreq("D") if isinstance(closes.index, pd.DatetimeIndex) and len(closes) else closes
    if unit == "usd":
        return (daily - daily.shift(7)).dropna()
    return ((daily / daily.shift(7) - 1) * 100).dropna()


def week_rank(closes: pd.Series, asset: str, week: Week, series: str, unit: str = "pct") -> WeekRank | None:
    history = closes.loc[: pd.Timestamp(week.end)]
    changes = weekly_changes(history, unit)
    percents = weekly_changes(history)
    end = pd.Timestamp(week.end)
    if end not in changes.index:
        return None
    current = float(changes.loc[end])
    before = changes.loc[: pd.Timestamp(week.start) - pd.Timedelta(days=1)]
    others = changes.drop(end)
    if len(before) < MIN_WINDOWS:
        return None
    falling = current < 0
    beyond = before[before <= current] if falling else before[before >= current]
    inside = others.loc[pd.Timestamp(week.start) :]
    worse = inside[inside < current] if falling else inside[inside > current]
    within = (worse.idxmin() if falling else worse.idxmax()) if len(worse) else None
    since = beyond.index[-1] if len(beyond) else None
    usd = unit == "usd"
    return WeekRank(
        asset=asset,
        direction="fall" if falling else "rise",
        change_pct=float(percents.loc[end]),
        rank=1 + int(((others < current) if falling else (others > current)).sum()),
        windows=len(others) + 1,
        since=since.date() if since is not None else None,
        since_change_pct=float(percents.loc[since]) if since is not None else None,
        since_period=stress_period(since.date() if since is not None else None),
        history_start=closes.dropna().index[0].date(),
        series=series,
        unit=unit,
        change_usd=current if usd else None,
        since_change_usd=float(changes.loc[since]) if usd and since is not None else None,
        within=within.date() if within is not None else None,
        within_change_pct=float(percents.loc[within]) if within is not None else None,
        within_change_usd=float(changes.loc[within]) if usd and within is not None else None,
    )


@dataclass(frozen=True)
class Streak:
    """How many weeks in a row, this one included, a weekly change kept its direction.

    Weeks step back seven days at a time from the week's end. `key` names what is counted:
    an asset ("bitcoin") or a comparison ("ethereum-vs-bitcoin"). `complete` is False when the
    run reaches back to the start of the data, so the true streak may be longer. `run_pct` is an asset's change
    over the whole run, from `run_start` (the weeks compounded); None for a comparison, whose weeks are points.
    """

    key: str
    direction: str  # "down"/"up", or for a comparison "under"/"over" (performed)
    weeks: int
    complete: bool
    history_start: date
    run_start: date
    run_pct: float | None


def streak(weekly: pd.Series, key: str, week: Week, flat: float, relative: bool = False) -> Streak | None:
    """`weekly`: a series of seven-day changes (percent, or percentage points for a comparison)."""
    steps = weekly.reindex(pd.date_range(end=pd.Timestamp(week.end), periods=len(weekly) // 7 + 2, freq="7D"))
    values = list(reversed(steps.to_list()))
    first = values[0]
    if first is None or pd.isna(first) or abs(first) < flat:
        return None
    sign = first > 0
    weeks = 0
    for value in values:
        if pd.isna(value) or abs(value) < flat or (value > 0) != sign:
            break
        weeks += 1
    complete = weeks < len(values) and not pd.isna(values[weeks])
    names = ("over", "under") if relative else ("up", "down")
    run_pct = None if relative else (float(np.prod([1 + value / 100 for value in values[:weeks]])) - 1) * 100
    return Streak(key, names[0] if sign else names[1], weeks, complete, weekly.index[0].date(),
                  week.end - timedelta(days=7 * weeks), run_pct)


def weekly_sd(closes: pd.Series, week: Week, days: int) -> float | None:
    """The standard deviation (percent) of seven-day changes over `days` days before the week:
    the asset's typical weekly move, which sizes the words for this week's."""
    changes = weekly_changes(closes.loc[: pd.Timestamp(week.base)])
    changes = changes.loc[pd.Timestamp(week.base) - pd.Timedelta(days=days - 1) :]
    if len(changes) < 30:
        return None
    return float(changes.std(ddof=1))
