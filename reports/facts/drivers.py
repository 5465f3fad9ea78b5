"""What drove the week, as numbers: US spot ETF flows, stocks, gold, the dollar, yields, stablecoin supply,
and how bitcoin's daily moves have followed US stocks.

Each driver is measured on its own calendar. ETF flows and the US markets trade on US business days:
a week's flow is the sum over the trading days in its seven days (counted, `trading_days`), and a market's
move runs from the last close before the week (on or before its base day) to the last close in the week.
Stablecoin supply is a 00:00 UTC snapshot, so its week runs from the snapshot at the base day's close
(00:00 UTC of the week's first day) to the one at the last day's close (00:00 UTC of the day after).

History and rank: each driver's week is set against every earlier seven-day window of the same series
(one ending on each calendar day, as `reports.facts.history.week_rank` ranks a coin's week). A driver
STANDS OUT when its week is larger, in absolute size, than STANDOUT_SHARE (90%) of those earlier windows,
with at least MIN_HISTORY of them; the one that stands out most (the highest share) is the week's
largest driver; ties go to the first in this order: bitcoin's ETF flows, ether's, QQQ, SPY, gold, the dollar,
the 10-year yield, stablecoin supply.

Correlation with stocks: bitcoin's close of day D is its price at 00:00 UTC of D+1, about three hours
after the US close of D (16:00 New York is 21:00 UTC, 20:00 in summer), so the two are paired by date:
on each US trading day both closes, and returns run from one common trading day to the next (a weekend's
bitcoin move falls into Monday's return). `observations` counts those return pairs.

A driver whose file is absent, whose dates do not cover the week, or which has no observation in it is
left out, and `left_out` says which and why, for the data notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from reports.data.model import DriverSeries, MarketData, SeriesInfo
from reports.facts import history as hist
from reports.facts.derivatives import Perpetual, compute_derivatives, for_asset as perpetuals_for
from reports.facts.model import BTC, ETH, OMIT_EMPTY, Points
from reports.facts.week import Week

STANDOUT_SHARE = 0.9  # a week larger than this share of earlier windows stands out
MIN_HISTORY = 20  # earlier seven-day windows needed before a week can stand out
CORRELATION_WINDOWS = (30, 90)  # calendar days to the week's end
MIN_OBSERVATIONS = {30: 15, 90: 40}  # return pairs needed for each window's correlation
MILLION = 1e6
ETF_FILES = {BTC: "etf_btc", ETH: "etf_eth"}
# The markets of the drivers section: key, column(s) in order of preference, unit of the move.
MARKETS = (
    ("qqq", ("qqq_close",), "pct"),
    ("spy", ("spy_close",), "pct"),
    ("gold", ("gold_lbma_pm_usd", "gld_close"), "pct"),
    ("dxy", ("dxy_close",), "pct"),
    ("ust10y", ("ust10y_pct",), "bp"),  # the 10-year Treasury yield
)
YIELD_YEARS = {"ust10y": 10}
STABLECOINS = (("usdt", "usdt_mcap_usd"), ("usdc", "usdc_mcap_usd"), ("top10", "top10_listed_sum_usd"))


@dataclass(frozen=True)
class Standing:
    """A week's size against the earlier seven-day windows of its own series."""

    share_pct: float | None  # of the earlier windows, the percentage smaller in absolute size than this week
    windows: int  # earlier windows (ending before the week starts)
    stands_out: bool


@dataclass(frozen=True)
class EtfFlows:
    """The US spot ETFs of one asset over the week's trading days (net flows in US dollars)."""

    asset: str
    total_usd: float
    trading_days: int
    closed_days: tuple[date, ...]  # weekdays of the week without a flow (US market holidays)
    first_day: date
    last_day: date
    largest_day: date  # the day with the largest flow, in or out
    largest_usd: float
    inflow_days: int
    outflow_days: int
    direction: str  # "inflow" or "outflow": the week's net
    previous_usd: float | None  # the week before, over its own trading days
    previous_days: int | None
    rank: int | None  # 1 = the largest net flow in the week's direction among `windows` seven-day windows
    windows: int | None
    since: date | None  # the end of the last earlier window with a net flow as large in the same direction
    since_usd: float | None
    history_start: date
    standing: Standing
    source: str


@dataclass(frozen=True)
class MarketMove:
    """A market's move over the week: from the last close on or before the base day to the last close in the week.

    `change_pct` for prices; for a yield, `change_bp` (basis points) and `change_pct` is None.
    """

    key: str
    column: str  # the column read (gold: the LBMA price, or GLD where the file has no fix for the week)
    years: int | None  # a yield's maturity (10 for the 10-year Treasury), None for a price
    base_day: date
    base_value: float
    end_day: date
    end_value: float
    change_pct: float | None
    change_bp: float | None
    trading_days: int
    previous_pct: float | None  # the week before, the same way
    previous_bp: float | None
    typical: float | None  # the standard deviation of earlier seven-day moves (percent, or basis points)
    standing: Standing
    source: str


@dataclass(frozen=True)
class Supply:
    """A stablecoin's (or the ten largest's) market value between two 00:00 UTC snapshots."""

    key: str
    start_day: date  # the snapshot at the base day's close (00:00 UTC of the week's first day)
    end_day: date  # the snapshot at the last day's close (00:00 UTC of the day after the week)
    start_usd: float
    end_usd: float
    change_usd: float
    change_pct: float
    previous_usd: float | None  # the change over the seven days before
    standing: Standing
    source: str


@dataclass(frozen=True)
class StockLink:
    """The correlation of bitcoin's daily returns with QQQ's over `days` calendar days to the week's end."""

    key: str  # "past_30", "past_90"
    days: int
    correlation: float
    observations: int  # return pairs on common trading days
    source: str


@dataclass(frozen=True)
class LeftOut:
    """A driver the brief leaves out, and why: "no_file", "outside_dates", "no_trading_day" or "not_in_source"
    (the source has the file but not this series: a live source that does not publish it)."""

    key: str
    reason: str
    first_day: date | None = None  # the file's dates, where it has some
    last_day: date | None = None


@dataclass(frozen=True)
class Drivers:
    etf: tuple[EtfFlows, ...]
    markets: tuple[MarketMove, ...]
    stablecoins: tuple[Supply, ...]
    stock_links: tuple[StockLink, ...]
    left_out: tuple[LeftOut, ...]
    largest: str | None  # the fact-key prefix of the driver that stands out most ("etf.bitcoin", "markets.qqq")
    standout_pct: float = STANDOUT_SHARE * 100
    min_history: int = MIN_HISTORY
    # the BTC and ETH perpetuals' funding and open interest (live data only; no fact keys when there are none)
    derivatives: tuple[Perpetual, ...] = field(default=(), metadata={OMIT_EMPTY: True})

    def flows(self, asset: str) -> EtfFlows | None:
        return next((flow for flow in self.etf if flow.asset == asset), None)

    def market(self, key: str) -> MarketMove | None:
        return next((move for move in self.markets if move.key == key), None)

    def supply(self, key: str) -> Supply | None:
        return next((item for item in self.stablecoins if item.key == key), None)


def compute_drivers(data: MarketData, week: Week) -> Drivers:
    left: list[LeftOut] = []
    etf = [flow for asset, key in ETF_FILES.items() if (flow := _etf(data, week, asset, key, left)) is not None]
    markets = _markets(data.drivers.get("cross_asset"), week, left)
    supply = _supply(data.drivers.get("stablecoins"), week, left)
    links = _stock_links(data, week)
    candidates = [(f"etf.{f.asset}", f.standing) for f in etf] + [(f"markets.{m.key}", m.standing) for m in markets]
    candidates += [(f"stablecoins.{s.key}", s.standing) for s in supply if s.key == "top10"]
    standing_out = [(standing.share_pct or 0.0, key) for key, standing in candidates if standing.stands_out]
    largest = max(standing_out, key=lambda item: item[0])[1] if standing_out else None
    return Drivers(tuple(etf), tuple(markets), tuple(supply), tuple(links), tuple(left), largest,
                   derivatives=compute_derivatives(data, week))


def for_asset(drivers: Drivers, asset: str) -> Drivers:
    """The drivers an asset's brief tells: its own ETFs' flows (bitcoin's, ether's), stocks and stablecoins for all."""
    etf = tuple(flow for flow in drivers.etf if flow.asset == asset)
    left = tuple(item for item in drivers.left_out if not item.key.startswith("etf") or item.key == ETF_FILES.get(asset))
    keys = {f"etf.{flow.asset}" for flow in etf} | {f"markets.{m.key}" for m in drivers.markets} | {"stablecoins.top10"}
    return replace(drivers, etf=etf, left_out=left, largest=drivers.largest if drivers.largest in keys else None,
                   derivatives=perpetuals_for(drivers.derivatives, asset))


def sources(data: MarketData, drivers: Drivers) -> tuple[SeriesInfo, ...]:
    """The series the drivers were measured on."""
    used = {flow.source for flow in drivers.etf} | {m.source for m in drivers.markets} | {s.source for s in drivers.stablecoins}
    used |= {link.source for link in drivers.stock_links}
    used |= {perpetual.source for perpetual in drivers.derivatives}
    return tuple(series.info for series in data.drivers.values() if series.info.key in used)


def chart_points(data: MarketData, week: Week, drivers: Drivers) -> tuple[Points, Points]:
    """The ETF chart's series: bitcoin ETFs' daily net flows in the week (the base day's belong to the week before,
    so it has none) and bitcoin's closes from the base day to the last day."""
    close = data.prices.close
    if drivers.flows(BTC) is None or BTC not in close.columns or not data.prices.compares(BTC):
        return (), ()
    days = week.days(with_base=True)
    flows = data.drivers["etf_btc"].frame["total_usd_m"].reindex(days) * MILLION
    flows.iloc[0] = np.nan
    closes = close[BTC].reindex(days)
    return _points(flows), _points(closes)


def _points(series: pd.Series) -> Points:
    return tuple((day.date(), None if pd.isna(value) else float(value)) for day, value in series.items())


# --- ETF flows ------------------------------------------------------------------------------------------------


def _covers(series: DriverSeries | None, key: str, week: Week, left: list[LeftOut], column: str | None = None) -> bool:
    """Whether the file's dates reach from before the week to its last weekday (else the driver is left out)."""
    if series is None:
        left.append(LeftOut(key, "no_file"))
        return False
    values = series.frame[column].dropna() if column else series.frame.dropna(how="all")
    if values.empty:
        left.append(LeftOut(key, "no_file"))
        return False
    first, last = values.index[0].date(), values.index[-1].date()
    last_weekday = max(day for day in (week.end - timedelta(days=n) for n in range(7)) if day.weekday() < 5)
    if first > week.base or last < last_weekday:
        left.append(LeftOut(key, "outside_dates", first, last))
        return False
    return True


def _etf(data: MarketData, week: Week, asset: str, key: str, left: list[LeftOut]) -> EtfFlows | None:
    series = data.drivers.get(key)
    if not _covers(series, key, week, left, "total_usd_m"):
        return None
    assert series is not None
    daily = series.frame["total_usd_m"].dropna() * MILLION
    days = daily.loc[pd.Timestamp(week.start) : pd.Timestamp(week.end)]
    if days.empty:
        left.append(LeftOut(key, "no_trading_day", daily.index[0].date(), daily.index[-1].date()))
        return None
    history = _with_history(daily, data.drivers.get("etf_btc_history")) if asset == BTC else daily
    cumulative = _calendar(history.cumsum(), week)
    rank = hist.week_rank(cumulative, asset, week, series.info.key, unit="usd")
    before = daily.loc[pd.Timestamp(week.base) - pd.Timedelta(days=6) : pd.Timestamp(week.base)]
    largest = days.abs().idxmax()
    total = float(days.sum())
    return EtfFlows(
        asset=asset, total_usd=total, trading_days=len(days), closed_days=_closed(days, week), first_day=days.index[0].date(), last_day=days.index[-1].date(),
        largest_day=largest.date(), largest_usd=float(days.loc[largest]),
        inflow_days=int((days > 0).sum()), outflow_days=int((days < 0).sum()),
        direction="outflow" if total < 0 else "inflow",
        previous_usd=float(before.sum()) if len(before) else None, previous_days=len(before) if len(before) else None,
        rank=rank.rank if rank else None, windows=rank.windows if rank else None, since=rank.since if rank else None,
        since_usd=rank.since_change_usd if rank else None, history_start=history.index[0].date(),
        standing=_standing(hist.weekly_changes(cumulative, "usd"), total, week), source=series.info.key,
    )


def _closed(days: pd.Series, week: Week) -> tuple[date, ...]:
    traded = {day.date() for day in days.index}
    return tuple(day.date() for day in week.days() if day.weekday() < 5 and day.date() not in traded)


def _with_history(daily: pd.Series, older: DriverSeries | None) -> pd.Series:
    """The daily file's flows, reaching back with the history file's days before the daily file starts."""
    if older is None:
        return daily
    earlier = older.frame["total_usd_m"].dropna() * MILLION
    return pd.concat([earlier.loc[: daily.index[0] - pd.Timedelta(days=1)], daily])


def _calendar(values: pd.Series, week: Week) -> pd.Series:
    """A series on trading days as a calendar-day series to the week's end: each day holds the last value so far."""
    values = values.loc[: pd.Timestamp(week.end)]
    return values.reindex(pd.date_range(values.index[0], week.end, freq="D")).ffill()


def _standing(windows: pd.Series, value: float, week: Week) -> Standing:
    earlier = windows.loc[: pd.Timestamp(week.start) - pd.Timedelta(days=1)].abs()
    if earlier.empty:
        return Standing(None, 0, False)
    share = float((earlier < abs(value)).mean())
    return Standing(share * 100, len(earlier), len(earlier) >= MIN_HISTORY and share >= STANDOUT_SHARE)


# --- markets --------------------------------------------------------------------------------------------------


def _markets(series: DriverSeries | None, week: Week, left: list[LeftOut]) -> list[MarketMove]:
    found = []
    for key, columns, unit in MARKETS:
        present = [column for column in columns if series is not None and column in series.frame.columns]
        if series is None or not present:
            left.append(LeftOut(key, "no_file"))
            continue
        usable = [column for column in present if _covers(series, key, week, [], column) and _observed(series.frame[column], week)]
        if usable:
            found.append(_market_move(series, key, usable[0], unit, week))
        elif _covers(series, key, week, left, present[0]):
            left.append(LeftOut(key, "no_trading_day"))
    return found


def _observed(values: pd.Series, week: Week) -> int:
    return int(values.loc[pd.Timestamp(week.start) : pd.Timestamp(week.end)].notna().sum())


def _market_move(series: DriverSeries, key: str, column: str, unit: str, week: Week) -> MarketMove:
    values = series.frame[column].dropna()
    daily = _calendar(values, week)
    base, end = values.loc[: pd.Timestamp(week.base)], values.loc[: pd.Timestamp(week.end)]
    weekly = (daily - daily.shift(7)).dropna() * 100 if unit == "bp" else hist.weekly_changes(daily)
    change = float(weekly.loc[pd.Timestamp(week.end)])
    previous_end = pd.Timestamp(week.base)
    previous = float(weekly.loc[previous_end]) if previous_end in weekly.index else None
    earlier = weekly.loc[: pd.Timestamp(week.start) - pd.Timedelta(days=1)]
    bp = unit == "bp"
    return MarketMove(
        key=key, column=column, years=YIELD_YEARS.get(key), base_day=base.index[-1].date(), base_value=float(base.iloc[-1]),
        end_day=end.index[-1].date(), end_value=float(end.iloc[-1]),
        change_pct=None if bp else change, change_bp=change if bp else None, trading_days=_observed(values, week),
        previous_pct=None if bp else previous, previous_bp=previous if bp else None,
        typical=float(earlier.std(ddof=1)) if len(earlier) >= MIN_HISTORY else None,
        standing=_standing(weekly, change, week), source=series.info.key,
    )


# --- stablecoins ----------------------------------------------------------------------------------------------


def _supply(series: DriverSeries | None, week: Week, left: list[LeftOut]) -> list[Supply]:
    if series is None:
        left.append(LeftOut("stablecoins", "no_file"))
        return []
    start, end = pd.Timestamp(week.start), pd.Timestamp(week.end) + pd.Timedelta(days=1)
    found = []
    for key, column in STABLECOINS:
        values = series.frame[column].dropna()
        if values.empty:
            left.append(LeftOut(f"stablecoins.{key}", "not_in_source"))
            continue
        if start not in values.index or end not in values.index:
            days = values.index
            left.append(LeftOut(f"stablecoins.{key}", "outside_dates", *((days[0].date(), days[-1].date()) if len(days) else ())))
            continue
        weekly = (values.asfreq("D") - values.asfreq("D").shift(7)).dropna()
        change = float(values.loc[end] - values.loc[start])
        previous = start - pd.Timedelta(days=7)
        found.append(Supply(
            key=key, start_day=start.date(), end_day=end.date(), start_usd=float(values.loc[start]), end_usd=float(values.loc[end]),
            change_usd=change, change_pct=(float(values.loc[end] / values.loc[start]) - 1) * 100,
            previous_usd=float(values.loc[start] - values.loc[previous]) if previous in values.index else None,
            standing=_standing(weekly.shift(-1).dropna(), change, week), source=series.info.key,
        ))
    return found


# --- bitcoin and stocks ---------------------------------------------------------------------------------------


def _stock_links(data: MarketData, week: Week) -> list[StockLink]:
    """Correlation of bitcoin's returns with QQQ's on common trading days (see the module doc for the pairing)."""
    stocks = data.drivers.get("cross_asset")
    close = data.prices.close
    if stocks is None or "qqq_close" not in stocks.frame.columns or BTC not in close.columns or not data.prices.compares(BTC):
        return []
    end = pd.Timestamp(week.end)
    qqq = stocks.frame["qqq_close"].dropna().loc[:end]
    if qqq.empty or qqq.index[-1] < end - pd.Timedelta(days=6):
        return []  # the file ends before the week: no correlation "to the week's end"
    found = []
    for days in CORRELATION_WINDOWS:
        window = pd.DataFrame({"btc": close[BTC], "qqq": qqq}).loc[end - pd.Timedelta(days=days - 1) : end].dropna()
        returns = (window / window.shift(1) - 1).dropna()
        if len(returns) < MIN_OBSERVATIONS[days] or returns["qqq"].std() == 0 or returns["btc"].std() == 0:
            continue
        value = float(np.corrcoef(returns["btc"], returns["qqq"])[0, 1])
        found.append(StockLink(f"past_{days}", days, value, len(returns), stocks.info.key))
    return found
