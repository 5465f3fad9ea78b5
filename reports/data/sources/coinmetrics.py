"""Long price history, live from the Coin Metrics community API v4 (keyless):
`GET /timeseries/asset-metrics?assets=btc,eth,bnb&metrics=PriceUSD&frequency=1d`, so "lowest since"
reaches back years for the assets it covers (the bundled `coinmetrics_daily.csv` has the same values).

The answer comes in pages: each page is stored in one transaction, then `next_page_url` is followed
(only when it points under the configured address). The first pull asks from ten years back; later
ones from the oldest of the assets' newest stored days (less a small overlap), and none at all when
this source was already pulled today. A kill at any point leaves a complete prefix of pages; the
next pull asks again from there. `PriceUSD` at time D is the close of D (00:00 UTC of D+1).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from reports.core import clock
from reports.core.settings import Settings
from reports.data.raw import RawSeries, RawTable
from reports.data.sources.bundled import COINMETRICS, HISTORY_ASSETS
from reports.data.sources.coingecko.client import Client
from reports.data.sources.liveapi import ChangedAnswer, LivePull, field, pull_with, pulled_today, records, stored_table
from reports.data.sources.livestore import LiveStore
from reports.data.validate import LIMITS, RawMarketData

NAME = "coinmetrics"
BASE_URL_ENV = "COINMETRICS_BASE_URL"
DEFAULT_URL = "https://community-api.coinmetrics.io/v4"
PATH = "/timeseries/asset-metrics"
METRIC = "PriceUSD"
ASSETS = {ticker.lower(): asset for ticker, asset in HISTORY_ASSETS.items()}  # btc -> bitcoin
FIRST_DAYS = 3653  # ten years back on the first pull
OVERLAP_DAYS = 2
PAGE_SIZE = 1000
MAX_PAGES = 200
COLUMNS = ("date", "asset", "close")


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_with(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: Client) -> LivePull:
    now = clock.now()
    if pulled_today(store.last_pull(NAME), now):
        return LivePull(NAME, (), store.newest("closes", NAME), 0)
    newest = [store.newest("closes", NAME, asset) for asset in ASSETS.values()]
    start = (now.date() - timedelta(days=FIRST_DAYS) if None in newest
             else min(day for day in newest if day is not None) - timedelta(days=OVERLAP_DAYS))
    params: dict[str, Any] = {"assets": ",".join(ASSETS), "metrics": METRIC, "frequency": "1d",
                              "start_time": start.isoformat(), "page_size": PAGE_SIZE, "paging_from": "start"}
    path, kept = PATH, 0
    for _ in range(MAX_PAGES):
        answer = client.get(path, params)
        closes = closes_of(answer, now.date())
        store.save_closes(NAME, closes)
        kept += len(closes)
        following = answer.get("next_page_url")
        if not following:
            break
        path, params = _next(following, client.config.base_url)
    store.record_pull(NAME, now, clock.now(), len(client.calls))
    return LivePull(NAME, tuple(client.calls), store.newest("closes", NAME), kept)


def _next(url: Any, base_url: str) -> tuple[str, dict[str, Any]]:
    """The next page's path and query under the configured address; any other address is refused."""
    if not isinstance(url, str) or not url.startswith(base_url + "/"):
        raise ChangedAnswer(f"GET {PATH} answer", f"next_page_url {str(url)[:120]!r} is not under {base_url}.",
                            BASE_URL_ENV)
    parts = urlsplit(url[len(base_url):])
    return parts.path, dict(parse_qsl(parts.query))


def closes_of(answer: Any, today: date) -> list[tuple[str, date, float]]:
    """(catalog id, day, close) of each record of a page; a changed shape is an error, nothing stored."""
    closes = []
    for at, record in records(answer, f"GET {PATH} answer", "record", BASE_URL_ENV):
        ticker, stamp = field(record, "asset", at, BASE_URL_ENV), field(record, "time", at, BASE_URL_ENV)
        day = _day(stamp)
        if not isinstance(ticker, str) or ticker not in ASSETS or day is None:
            raise ChangedAnswer(at, f"not one of {sorted(ASSETS)} at 00:00 UTC of a day: {str(record)[:120]}",
                                BASE_URL_ENV)
        price = _price(record.get(METRIC))
        if price is not None and day < today:  # a missing price is a gap, never a zero
            closes.append((ASSETS[ticker], day, price))
    return closes


def _day(stamp: Any) -> date | None:
    """'2026-01-30T00:00:00.000000000Z' -> 2026-01-30; any other time of day is not a daily point."""
    if not isinstance(stamp, str) or not stamp.endswith("Z") or "T" not in stamp:
        return None
    day, time = stamp[:-1].split("T", 1)
    try:
        return date.fromisoformat(day) if time.strip("0:.") == "" else None
    except ValueError:
        return None


def _price(value: Any) -> float | None:
    try:
        price = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    low, high = LIMITS["price"]  # what validation accepts: a price beyond would stop every build from the store
    return price if 0 < price and low <= price <= high else None


def table(store: LiveStore) -> RawTable | None:
    """The stored closes as the history table (text cells, rowid as the line), or None when empty."""
    rows = store.rows("SELECT rowid, day, asset, close FROM closes WHERE source = ? ORDER BY asset, day", NAME)
    return stored_table(store.where("closes"), COLUMNS, rows, lambda row: [row[1], row[2], repr(row[3])])


def newest_day(store: LiveStore) -> date | None:
    return store.newest("closes", NAME)


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with the stored closes as its long history (the live registry's entry)."""
    found = table(store)
    return raw if found is None else replace(raw, history=RawSeries(found, COINMETRICS))
