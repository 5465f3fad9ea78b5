"""The 10- and 2-year Treasury yields, live from FRED's keyless CSV download (DGS10, DGS2); see crossasset.py."""

from __future__ import annotations

from datetime import date

from reports.core.settings import Settings
from reports.data.sources import crossasset
from reports.data.sources.coingecko.client import Client
from reports.data.sources.liveapi import LivePull
from reports.data.sources.livestore import LiveStore
from reports.data.sources.livetext import TextClient, last_weekday, pull_text
from reports.data.validate import RawMarketData

NAME = "fred"
BASE_URL_ENV = "FRED_BASE_URL"
DEFAULT_URL = "https://fred.stlouisfed.org"
PATH = "/graph/fredgraph.csv"
SERIES = {"ust10y_pct": "DGS10", "ust2y_pct": "DGS2"}
HEADER = (("observation_date", "{symbol}"), ("DATE", "{symbol}"))


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_text(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: TextClient) -> LivePull:
    return crossasset.pull_series(store, client, NAME, BASE_URL_ENV, SERIES, _query, HEADER)


def _query(symbol: str, start: date) -> tuple[str, dict[str, str]]:
    return PATH, {"id": symbol, "cosd": start.isoformat()}


def needed_day(day: date) -> date:
    """Dated by US trading days: a week ending on a weekend is complete with its Friday."""
    return last_weekday(day)


def newest_day(store: LiveStore) -> date | None:
    return crossasset.newest_of(store, NAME)


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    return crossasset.add(store, raw)
