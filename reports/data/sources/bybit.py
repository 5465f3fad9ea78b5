"""Funding rates and open interest of the BTC and ETH perpetuals, live from Bybit's v5 public market data
(keyless): `GET /v5/market/funding/history?category=linear&symbol=BTCUSDT&startTime=..&endTime=..` and
`GET /v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=1d&startTime=..&endTime=..`.

Bybit answers `{"retCode": 0, "retMsg": "OK", "result": {"list": [...]}}`, newest first, numbers as text and
times in milliseconds; a `retCode` other than 0 is Bybit refusing the request, an error naming its `retMsg`.
Stored daily, one value per UTC day:
- funding: the LAST settlement of the day (16:00 UTC on Bybit's eight-hour schedule; the last one whatever
  the schedule), the rate longs pay shorts for the next interval as it stood at the day's end. The last
  rather than the day's sum, so a week-end value reads as the rate at the week's end; only completed days.
- open interest: the 00:00 UTC daily value (`intervalTime=1d`), in the coin (Bybit's unit for linear pairs).
Both are asked for in windows moving forward from FIRST_DAYS back (or from the newest stored day less an
overlap), each window small enough for one page (WINDOW_DAYS: at most 180 of 200 records), each answer
stored in one transaction: a kill leaves a complete prefix of days and the next pull completes it. None at
all when this source was already pulled today.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from reports.core import clock
from reports.core.settings import Settings
from reports.data.model import SeriesInfo
from reports.data.raw import LINE, RawSeries, RawTable
from reports.data.sources.coingecko.client import ApiError, Client
from reports.data.sources.liveapi import ChangedAnswer, LivePull, field, pull_with, pulled_today
from reports.data.sources.livestore import LiveStore
from reports.data.validate import LIMITS, RawMarketData

import pandas as pd

NAME = "bybit"
BASE_URL_ENV = "BYBIT_BASE_URL"
DEFAULT_URL = "https://api.bybit.com"
PATH = "/v5/market/funding/history"
OI_PATH = "/v5/market/open-interest"
PERPETUALS = {"BTCUSDT": "bitcoin", "ETHUSDT": "ethereum"}
PREFIX = {"bitcoin": "btc", "ethereum": "eth"}
FIRST_DAYS = 240  # over 20 earlier weeks, for a rank against the store's own history
WINDOW_DAYS = 60  # 180 eight-hourly fundings, or 60 daily open interests: one page of at most 200
OVERLAP_DAYS = 2
PAGE = 200
DAY_MS = 86_400_000
DRIVER_KEY = "derivatives"
COLUMNS = ("date", "btc_funding", "eth_funding", "btc_open_interest", "eth_open_interest")
DERIVATIVES = SeriesInfo(
    "bybit-derivatives", "Bybit", "Bybit BTC and ETH perpetual funding rates and open interest",
    "funding: the last settlement of each UTC day (16:00 UTC); open interest: the 00:00 UTC daily value",
    "Bybit market data (https://www.bybit.com), BTCUSDT and ETHUSDT linear perpetuals.",
    "No licence stated; attribute Bybit market data.")


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_with(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: Client) -> LivePull:
    now = clock.now()
    if pulled_today(store.last_pull(NAME), now):
        return LivePull(NAME, (), newest_day(store), 0)
    kept = 0
    for symbol, asset in PERPETUALS.items():
        for start, end in _windows(store.newest_in("funding", asset), now):
            rates = funding_of(client.get(PATH, _params(symbol, start, end)), asset, now)
            store.save_funding(rates)
            kept += len(rates)
        for start, end in _windows(store.newest_in("open_interest", asset), now):
            values = open_interest_of(client.get(OI_PATH, {**_params(symbol, start, end), "intervalTime": "1d"}), asset, now)
            store.save_open_interest(values)
            kept += len(values)
    store.record_pull(NAME, now, clock.now(), len(client.calls))
    return LivePull(NAME, tuple(client.calls), newest_day(store), kept)


def _params(symbol: str, start: int, end: int) -> dict[str, Any]:
    return {"category": "linear", "symbol": symbol, "startTime": start, "endTime": end, "limit": PAGE}


def _windows(newest: date | None, now: datetime) -> list[tuple[int, int]]:
    """[start, end] in milliseconds, WINDOW_DAYS each, from the first day wanted to now, oldest first."""
    first = now.date() - timedelta(days=FIRST_DAYS) if newest is None else newest - timedelta(days=OVERLAP_DAYS)
    start, now_ms = _ms(first), int(now.timestamp() * 1000)
    windows = []
    while start <= now_ms:
        windows.append((start, min(start + WINDOW_DAYS * DAY_MS - 1, now_ms)))
        start += WINDOW_DAYS * DAY_MS
    return windows


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)


def _listed(answer: Any, path: str) -> list[tuple[str, Any]]:
    """The records of `result.list`, each with where it is; retCode != 0 is Bybit's refusal, named."""
    where = f"GET {path} answer"
    code = field(answer, "retCode", where, BASE_URL_ENV)
    if code != 0:
        message = answer.get("retMsg")
        raise ApiError(f"GET {path}: Bybit refused the request: retCode {str(code)[:20]}, retMsg "
                       f"{str(message)[:120]!r}. Check the symbol and times asked for, or try again later.")
    result = field(answer, "result", where, BASE_URL_ENV)
    rows = field(result, "list", where, BASE_URL_ENV)
    if not isinstance(rows, list):
        raise ChangedAnswer(where, "'result.list' is not a list.", BASE_URL_ENV)
    return [(f"{where}, record {number} of {len(rows)}", row) for number, row in enumerate(rows, start=1)]


def funding_of(answer: Any, asset: str, now: datetime) -> list[tuple[str, date, float, datetime]]:
    """(asset, day, rate, settled at) of each settlement on a completed day; a changed shape is an error."""
    found = []
    for at, record in _listed(answer, PATH):
        stamp = _stamp(field(record, "fundingRateTimestamp", at, BASE_URL_ENV))
        rate = _number(field(record, "fundingRate", at, BASE_URL_ENV))
        if stamp is None or rate is None or abs(rate) > 1:
            raise ChangedAnswer(at, f"not a funding rate (a decimal, at most 1 either way) with its time: {str(record)[:120]}",
                                BASE_URL_ENV)
        if stamp.date() < now.date():
            found.append((asset, stamp.date(), rate, stamp))
    return found


def open_interest_of(answer: Any, asset: str, now: datetime) -> list[tuple[str, date, float]]:
    """(asset, day, open interest) of each 00:00 UTC daily value up to now; a changed shape is an error."""
    found = []
    high = LIMITS["amount"][1]
    for at, record in _listed(answer, OI_PATH):
        stamp = _stamp(field(record, "timestamp", at, BASE_URL_ENV))
        value = _number(field(record, "openInterest", at, BASE_URL_ENV))
        if stamp is None or stamp.hour or stamp.minute or stamp.second or value is None or not 0 <= value <= high:
            raise ChangedAnswer(at, f"not a daily open interest at 00:00 UTC: {str(record)[:120]}", BASE_URL_ENV)
        if stamp <= now:
            found.append((asset, stamp.date(), value))
    return found


def _stamp(value: Any) -> datetime | None:
    """Bybit's times are milliseconds as text ("1672041600000")."""
    number = _number(value)
    if number is None or number % 1 or not 0 <= number < 2**53:
        return None
    return datetime.fromtimestamp(number / 1000, timezone.utc)


def _number(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def newest_day(store: LiveStore) -> date | None:
    """The older of the two series' newest days: the source is as fresh as the one that lags (None: either is empty)."""
    days = [store.newest_in(table) for table in ("funding", "open_interest")]
    return None if None in days else min(day for day in days if day is not None)


def table(store: LiveStore) -> RawTable | None:
    """The stored days as one driver table (`COLUMNS`, text cells, empty where a value is missing), or None.
    The line an error names is the day's place in the table."""
    cells: dict[str, dict[str, str]] = {}
    for kind, sql in (("funding", "SELECT day, asset, rate FROM funding"), ("open_interest", "SELECT day, asset, value FROM open_interest")):
        for day, asset, value in store.rows(sql):
            if asset in PREFIX:
                cells.setdefault(day, {})[f"{PREFIX[asset]}_{kind}"] = repr(value)
    if not cells:
        return None
    frame = pd.DataFrame([[day, *(cells[day].get(column, "") for column in COLUMNS[1:])] for day in sorted(cells)],
                         columns=list(COLUMNS), dtype=object)
    frame[LINE] = range(1, len(frame) + 1)
    return RawTable(path=store.where("funding"), header=COLUMNS, frame=frame)


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with the stored funding and open interest as the derivatives driver (the live registry's entry)."""
    found = table(store)
    return raw if found is None else replace(raw, drivers={**raw.drivers, DRIVER_KEY: RawSeries(found, DERIVATIVES)})
