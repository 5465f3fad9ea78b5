"""What drove the week in brief.json: each driver on its own calendar, as `reports.facts.drivers`
measures it (ETF flows, US markets, stablecoin supply, bitcoin's correlation with stocks). A part of
the one brief.json model (`reports.document.model.Brief.drivers`), kept in its own module for size."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import SerializerFunctionWrapHandler, model_serializer

from reports.document.base import Model


class DriverStanding(Model):
    """A driver's week against the earlier seven-day windows of its own series."""

    share_pct: float | None
    windows: int
    stands_out: bool


class EtfFlows(Model):
    """US spot ETF net flows of one asset over the week's trading days, in US dollars."""

    asset: str
    total_usd: float
    trading_days: int
    closed_days: tuple[date, ...]
    first_day: date
    last_day: date
    largest_day: date
    largest_usd: float
    inflow_days: int
    outflow_days: int
    direction: Literal["inflow", "outflow"]
    previous_usd: float | None
    previous_days: int | None
    rank: int | None
    windows: int | None
    since: date | None
    since_usd: float | None
    history_start: date
    standing: DriverStanding
    source: str


class MarketMove(Model):
    """A market's move from the last close on or before the base day to the last close in the week."""

    key: str
    column: str
    years: int | None
    base_day: date
    base_value: float
    end_day: date
    end_value: float
    change_pct: float | None
    change_bp: float | None
    trading_days: int
    previous_pct: float | None
    previous_bp: float | None
    typical: float | None
    standing: DriverStanding
    source: str


class Supply(Model):
    """A stablecoin's market value between the 00:00 UTC snapshots at the week's two closes."""

    key: str
    start_day: date
    end_day: date
    start_usd: float
    end_usd: float
    change_usd: float
    change_pct: float
    previous_usd: float | None
    standing: DriverStanding
    source: str


class StockLink(Model):
    """Correlation of bitcoin's daily returns with QQQ's on common trading days."""

    key: str
    days: int
    correlation: float
    observations: int
    source: str


class Perpetual(Model):
    """One perpetual's week (`reports.facts.derivatives`): funding in percent per eight hours, open interest in the coin."""

    asset: str
    symbol: str
    funding_pct: float | None
    funding_day: date | None
    funding_start_pct: float | None
    funding_annual_pct: float | None
    funding_start_annual_pct: float | None
    funding_turned: Literal["negative", "positive"] | None
    open_interest_start: float | None
    open_interest_end: float | None
    open_interest_start_day: date | None
    open_interest_end_day: date | None
    open_interest_change_pct: float | None
    open_interest_rank: int | None
    open_interest_weeks: int | None
    source: str


class LeftOut(Model):
    key: str
    reason: Literal["no_file", "outside_dates", "no_trading_day", "not_in_source"]
    first_day: date | None
    last_day: date | None


class Drivers(Model):
    """What drove the week, each driver on its own calendar (`reports.facts.drivers`)."""

    etf: tuple[EtfFlows, ...]
    markets: tuple[MarketMove, ...]
    stablecoins: tuple[Supply, ...]
    stock_links: tuple[StockLink, ...]
    left_out: tuple[LeftOut, ...]
    largest: str | None
    standout_pct: float
    min_history: int
    derivatives: tuple[Perpetual, ...] = ()  # live data only; left out of brief.json when there are none

    @model_serializer(mode="wrap")
    def _without_empty_derivatives(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Briefs without derivatives (every bundled one) keep the shape they had before."""
        dumped = handler(self)
        if isinstance(dumped, dict) and not self.derivatives:
            dumped.pop("derivatives", None)
        return dumped
