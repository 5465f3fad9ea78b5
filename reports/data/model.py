"""Validated market data: the typed result of the source and validation stages.

Every frame here has passed validation: days are a `DatetimeIndex` of UTC calendar days,
prices are finite and positive, and a missing observation is NaN (a gap), never zero.
Each series carries a `SeriesInfo` that says where it comes from and its time of day,
because a figure must use one time-of-day convention and say which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import pandas as pd

CLOSE_BASIS = "close-00utc"  # the last price before 00:00 UTC of the next day
SNAPSHOT_BASIS = "snapshot-12utc"  # one price taken at about noon UTC
GIVEN_BASIS = "as-given"  # a user's file: one value per day, as the file gives it
CAPS_SUM_KEY = "coingecko-top-caps"  # the series key of total market value reconstructed from coins' caps (CapsSum)


@dataclass(frozen=True)
class SeriesInfo:
    """Provenance of one series: who made it, at what time of day, under which licence, and its
    price basis (CLOSE_BASIS, SNAPSHOT_BASIS or GIVEN_BASIS), which decides what it compares with."""

    key: str
    provider: str
    title: str
    time_of_day: str
    attribution: str
    licence: str
    basis: str = GIVEN_BASIS


@dataclass(frozen=True)
class Splice:
    """A close series extended back with another source's closes: days before `day` come from `info`."""

    info: SeriesInfo
    day: date
    assets: tuple[str, ...]


@dataclass(frozen=True)
class Asset:
    """One asset as the brief names it. `kind` decides whether it can be a weekly mover."""

    id: str
    symbol: str
    name: str
    kind: str = "coin"


@dataclass(frozen=True)
class PricePanel:
    """Daily prices of many assets (index: day, columns: asset id), each on one basis.

    Every asset is on `info`'s basis except those in `other_assets`, which are on `other`'s
    (the bundled data: Binance's daily closes where Binance has the coin, CoinGecko's noon
    snapshots for the rest). `high` and `low` are the day's intraday extremes where the source
    has candles (NaN elsewhere); `splice` says where a close series was extended back.
    `snapshot` keeps the `other` series' prices of the close-based coins, for a week their closes
    do not cover (`reports.data.basis.for_week` puts such a coin on `other`'s basis for that week).
    """

    close: pd.DataFrame
    info: SeriesInfo
    rank: pd.DataFrame | None = None
    market_cap: pd.DataFrame | None = None
    volume: pd.DataFrame | None = None
    high: pd.DataFrame | None = None
    low: pd.DataFrame | None = None
    other: SeriesInfo | None = None
    other_assets: frozenset[str] = frozenset()
    splice: Splice | None = None
    snapshot: pd.DataFrame | None = None
    listed: pd.Series | None = None  # the days the universe (its ranks and snapshots) is known, when not every day with a close

    def observed(self) -> pd.Series:
        """The days a week can end or start on: those with a price (and, where set, a listing of the universe)."""
        found = self.close.notna().any(axis=1)
        return found if self.listed is None else found & self.listed.reindex(found.index, fill_value=False)

    def info_of(self, asset: str) -> SeriesInfo:
        """The series an asset's prices come from."""
        return self.other if self.other is not None and asset in self.other_assets else self.info

    def compares(self, asset: str) -> bool:
        """Whether the asset's moves are on the panel's own basis, so that they compare with the others'."""
        return self.info_of(asset) is self.info


@dataclass(frozen=True)
class HourlyCandles:
    """Hourly lows and highs (index: hour start, UTC; columns: asset id), where a source has them."""

    low: pd.DataFrame
    high: pd.DataFrame
    info: SeriesInfo


@dataclass(frozen=True)
class MarketSeries:
    """Whole-market daily series: any of total_market_cap_usd, btc_dominance_pct, eth_dominance_pct."""

    frame: pd.DataFrame
    info: SeriesInfo


@dataclass(frozen=True)
class SentimentSeries:
    """The Crypto Fear & Greed Index: columns value (0-100) and classification."""

    frame: pd.DataFrame
    info: SeriesInfo


@dataclass(frozen=True)
class DriverSeries:
    """One driver's daily observations (index: the days the file has, sorted; NaN: an empty cell).

    Keys in `MarketData.drivers`: "etf_btc", "etf_eth" (column total_usd_m, US$ millions per US trading
    day), "etf_btc_history" (the same, reaching back to 2024), "stablecoins" (usdt_mcap_usd, usdc_mcap_usd,
    top10_listed_sum_usd) and "cross_asset" (spy_close, qqq_close, gld_close, dxy_close, gold_lbma_pm_usd,
    ust10y_pct, ust2y_pct, on US/UK business days). A day the file lacks is no observation, never zero.
    """

    frame: pd.DataFrame
    info: SeriesInfo


@dataclass(frozen=True)
class SourceFailure:
    """A live source that could not be pulled after its retries: its registry name (`key`) and the error,
    redacted as every error is. The build goes on from what the stores hold; the data notes name it."""

    key: str
    error: str

    @property
    def source(self) -> str:
        """The name live.Failed had for `key` (its callers read `failure.source`)."""
        return self.key

    def line(self) -> str:
        return f"{self.key} failed: {self.error}"


@dataclass(frozen=True)
class CapsSum:
    """How a stored source lets the facts reconstruct total market value when it has no whole-market
    snapshot for a week's two ends: the sum of the `top` largest market caps of each day (a day with
    fewer is no value), bitcoin's and ether's shares of that sum as dominance, labelled by `info`."""

    top: int
    info: SeriesInfo


@dataclass(frozen=True)
class Freshness:
    """How recent a stored source is: its newest close, its last pull, and the week it falls short of if stale;
    `failed`: the live sources whose pull failed before this build (their sections may be missing)."""

    newest_day: date
    pulled_at: datetime | None
    stale_for: date | None = None
    left_top_list: tuple[str, ...] = ()  # symbols of coins that dropped out of the top list during the week
    # (symbol, last day listed) of every coin a later listing no longer holds; `for_week` keeps the week's
    last_listed: tuple[tuple[str, date], ...] = ()
    failed: tuple[SourceFailure, ...] = ()

    def for_week(self, end: date) -> Freshness:
        """This freshness for the week ending `end` (the one being built, not the week of today): the coins
        last listed during that week (listed on its last day L means a close through L-1), and the
        staleness only when the week is the newest the store holds (an older week of a backfill is complete)."""
        start = end - timedelta(days=6)
        during = tuple((symbol, day) for symbol, day in self.last_listed if start <= day <= end)
        stale_for = self.stale_for if end > self.newest_day - timedelta(days=7) else None
        return replace(self, stale_for=stale_for, left_top_list=tuple(symbol for symbol, _ in during), last_listed=during)


@dataclass(frozen=True)
class MarketData:
    """Everything the facts stage may use. Optional series are None when a source lacks them."""

    assets: Mapping[str, Asset]
    prices: PricePanel
    history: PricePanel | None = None
    market: MarketSeries | None = None
    sentiment: SentimentSeries | None = None
    ignored_columns: tuple[str, ...] = field(default=())
    freshness: Freshness | None = None
    hourly: HourlyCandles | None = None
    drivers: Mapping[str, DriverSeries] = field(default_factory=dict)  # what drove the week; absent when a file is
    caps_sum: CapsSum | None = None  # a stored source's market caps may stand in for a missing market series
