"""Validated market data: the typed result of the source and validation stages.

Every frame here has passed validation: days are a `DatetimeIndex` of UTC calendar days,
prices are finite and positive, and a missing observation is NaN (a gap), never zero.
Each series carries a `SeriesInfo` that says where it comes from and its time of day,
because a figure must use one time-of-day convention and say which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

@dataclass(frozen=True)
class SeriesInfo:
    """Provenance of one series: who made it, at what time of day, under which licence."""

    key: str
    provider: str
    title: str
    time_of_day: str
    attribution: str
    licence: str


@dataclass(frozen=True)
class Asset:
    """One asset as the brief names it. `kind` decides whether it can be a weekly mover."""

    id: str
    symbol: str
    name: str
    kind: str = "coin"


@dataclass(frozen=True)
class PricePanel:
    """Daily prices of many assets on one time-of-day convention (index: day, columns: asset id)."""

    close: pd.DataFrame
    info: SeriesInfo
    rank: pd.DataFrame | None = None
    market_cap: pd.DataFrame | None = None
    volume: pd.DataFrame | None = None


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
class Freshness:
    """How recent a stored source is: its newest close, its last pull, and the week it falls short of if stale."""

    newest_day: date
    pulled_at: datetime | None
    stale_for: date | None = None
    left_top_list: tuple[str, ...] = ()  # symbols of coins that dropped out of the top list during the week


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
