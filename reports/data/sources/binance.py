"""Daily highs, lows and closes, live from Binance's public market data (keyless):
`GET /api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=..&limit=1000`, the same basis as the bundled
`binance_spot_daily_ohlcv.csv` (the day 00:00-24:00 UTC, its close the last trade before 00:00 UTC of the next).

The symbols are the USDT pairs of the coins the bundled candles cover (`bundled.CANDLE_ASSETS`, the one
mapping of Binance symbols to catalog ids). Binance answers a list of arrays, `[openTime, open, high, low,
close, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, ignore]`, times in milliseconds and
prices as text; only open, high, low and close are kept, and only for days whose `closeTime` has passed
(the day in progress is never stored). The first pull asks from FIRST_DAYS back; later ones from each
symbol's newest stored day less a small overlap, and none at all when this source was already pulled today.
A full page (LIMIT candles) is followed by the next from the day after its last; each page is stored in one
transaction, so a kill leaves complete pages and the next pull asks again from the newest stored day.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from reports.core import clock
from reports.core.settings import Settings
from reports.data.raw import RawSeries, RawTable
from reports.data.sources.bundled import BINANCE, CANDLE_ASSETS
from reports.data.sources.coingecko.client import Client
from reports.data.sources.liveapi import ChangedAnswer, LivePull, pull_with, pulled_today, stored_table
from reports.data.sources.livestore import LiveStore
from reports.data.validate import LIMITS, RawMarketData

NAME = "binance"
BASE_URL_ENV = "BINANCE_BASE_URL"
DEFAULT_URL = "https://api.binance.com"
PATH = "/api/v3/klines"
QUOTE = "USDT"
FIRST_DAYS = 1000  # one full page per symbol on the first pull
OVERLAP_DAYS = 2
LIMIT = 1000  # Binance's largest page
MAX_PAGES = 20
DAY_MS = 86_400_000
COLUMNS = ("date", "asset", "open", "high", "low", "close")
Candle = tuple[str, date, float, float, float, float]


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_with(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: Client) -> LivePull:
    now = clock.now()
    if pulled_today(store.last_pull(NAME), now):
        return LivePull(NAME, (), store.newest_in("candles"), 0)
    kept = 0
    for symbol, asset in CANDLE_ASSETS.items():
        kept += _pull_symbol(store, client, symbol, asset, now)
    store.record_pull(NAME, now, clock.now(), len(client.calls))
    return LivePull(NAME, tuple(client.calls), store.newest_in("candles"), kept)


def _pull_symbol(store: LiveStore, client: Client, symbol: str, asset: str, now: datetime) -> int:
    """One symbol's new days, page by page (a full page means there may be more)."""
    newest = store.newest_in("candles", asset)
    start = now.date() - timedelta(days=FIRST_DAYS) if newest is None else newest - timedelta(days=OVERLAP_DAYS)
    start_ms, kept = _ms(start), 0
    for _ in range(MAX_PAGES):
        answer = client.get(PATH, {"symbol": symbol + QUOTE, "interval": "1d", "startTime": start_ms, "limit": LIMIT})
        candles = candles_of(answer, asset, now)
        store.save_candles(candles)
        kept += len(candles)
        if len(answer) < LIMIT or not candles:
            break
        start_ms = _ms(candles[-1][1] + timedelta(days=1))
    return kept


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)


def candles_of(answer: Any, asset: str, now: datetime) -> list[Candle]:
    """(asset, day, open, high, low, close) of each completed day; a changed shape is an error, nothing stored."""
    where = f"GET {PATH} answer"
    if not isinstance(answer, list):
        raise ChangedAnswer(where, f"not a list of candles: {str(answer)[:80]}", BASE_URL_ENV)
    now_ms = now.timestamp() * 1000
    candles = []
    for number, row in enumerate(answer, start=1):
        at = f"{where}, candle {number} of {len(answer)}"
        candle = _candle(row, asset)
        if candle is None:
            raise ChangedAnswer(at, "not a daily candle [openTime at 00:00 UTC, open, high, low, close, volume, closeTime, ...] "
                                f"with prices in order: {str(row)[:120]}", BASE_URL_ENV)
        if row[6] < now_ms:  # the day in progress has a close time still to come
            candles.append(candle)
    return candles


def _candle(row: Any, asset: str) -> Candle | None:
    if not isinstance(row, list) or len(row) < 7 or not all(_whole(row[i]) for i in (0, 6)):
        return None
    opened, closes = row[0], row[6]
    if opened % DAY_MS or closes != opened + DAY_MS - 1:
        return None
    prices = [_price(cell) for cell in row[1:5]]
    if any(price is None for price in prices):
        return None
    open_, high, low, close = (float(price) for price in prices if price is not None)
    if not (high >= max(open_, low, close) and low <= min(open_, close)):
        return None  # validation refuses such a candle: it would stop every build from the store
    day = datetime.fromtimestamp(opened / 1000, timezone.utc).date()
    return asset, day, open_, high, low, close


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53


def _price(value: Any) -> float | None:
    """Binance sends prices as text ("60000.00"); what validation accepts, or None."""
    if not isinstance(value, str):
        return None
    try:
        price = float(value)
    except (ValueError, OverflowError):
        return None
    low, high = LIMITS["price"]
    return price if math.isfinite(price) and low <= price <= high else None


def table(store: LiveStore) -> RawTable | None:
    """The stored candles in the bundled candles' columns (text cells, the rowid as the line), or None."""
    rows = store.rows("SELECT rowid, day, asset, open, high, low, close FROM candles ORDER BY asset, day")
    return stored_table(store.where("candles"), COLUMNS, rows, lambda row: [row[1], row[2], *(repr(value) for value in row[3:])])


def newest_day(store: LiveStore) -> date | None:
    return store.newest_in("candles")


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with the stored candles as its daily closes, highs and lows (the live registry's entry)."""
    found = table(store)
    return raw if found is None else replace(raw, candles=RawSeries(found, BINANCE))
