"""What drove the week in brief.json: each driver on its own calendar, as `reports.facts.drivers`
measures it (ETF flows, US markets, stablecoin supply, bitcoin's correlation with stocks). A part of
the one brief.json model (`reports.document.model.Brief.drivers`), kept in its own module for size."""

from __future__ import annotations

from datetime import date
from typing import Literal

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


class LeftOut(Model):
    key: str
    reason: Literal["no_file", "outside_dates", "no_trading_day"]
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
