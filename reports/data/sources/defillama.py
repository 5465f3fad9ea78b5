"""Stablecoin supply, live from DefiLlama's stablecoins API (keyless; `DEFILLAMA_BASE_URL`, default
https://stablecoins.llama.fi): `GET /stablecoincharts/all?stablecoin=1` (Tether) and `?stablecoin=2`
(USD Coin), each the coin's whole daily history, one record a day stamped 00:00 UTC:
`{"date": "1770163200", "totalCirculating": {"peggedUSD": ...}, "totalCirculatingUSD": {"peggedUSD": ...}, ...}`.
`totalCirculatingUSD.peggedUSD` is the circulating supply valued in dollars: the market value the bundled
`usdt_mcap_usd` and `usdc_mcap_usd` hold, on the same 00:00 UTC day stamp.

The bundled file's third series, `top10_listed_sum_usd`, is the ten largest US dollar stablecoins on
CoinGecko's category page; DefiLlama's total (`/stablecoincharts/all` without `stablecoin`) is every
stablecoin it tracks, a different and larger series, so it is not passed off as that one: the live
table leaves `top10_listed_sum_usd` empty, and the brief leaves that figure out (its data notes say so).
No licence is stated for the API's data; the brief attributes DefiLlama.

Asked once a UTC day; each coin's answer is stored in one transaction (a kill leaves whole coins).
The point stamped 00:00 UTC today is kept: it is the snapshot a week ending yesterday closes on (the
bundled file's row of the day after the week). DefiLlama may still revise it during the day; each
pull stores the whole history again, so the next day's pull replaces it. Points after today are refused.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from reports.core import clock
from reports.core.settings import Settings
from reports.data.model import SeriesInfo
from reports.data.sources.coingecko.client import Client
from reports.data.sources.liveapi import ChangedAnswer, LivePull, pull_with, pulled_today
from reports.data.sources.livestore import LiveStore
from reports.data.sources.livetext import newest, number, values_table, with_driver
from reports.data.validate import LIMITS, RawMarketData

NAME = "defillama"
BASE_URL_ENV = "DEFILLAMA_BASE_URL"
DEFAULT_URL = "https://stablecoins.llama.fi"
PATH = "/stablecoincharts/all"
COINS = {"usdt_mcap_usd": 1, "usdc_mcap_usd": 2}  # column: DefiLlama's stablecoin id
COLUMNS = ("usdt_mcap_usd", "usdc_mcap_usd", "top10_listed_sum_usd")
STABLECOINS = SeriesInfo("stablecoins", "DefiLlama", "Market value of Tether (USDT) and USD Coin (USDC)",
                         "daily points stamped 00:00 UTC", "Stablecoin market values: DefiLlama stablecoins API "
                         "(https://stablecoins.llama.fi), circulating supply valued in US dollars.",
                         "No licence stated for the API's data; attribute DefiLlama.")


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_with(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: Client) -> LivePull:
    now = clock.now()
    if pulled_today(store.last_pull(NAME), now):
        return LivePull(NAME, (), newest(store, NAME), 0)
    kept = 0
    for column, coin in COINS.items():
        values = supply_of(client.get(PATH, {"stablecoin": coin}), now.date())
        store.save_values(NAME, [(f"stablecoins:{column}", day, value) for day, value in values])
        kept += len(values)
    store.record_pull(NAME, now, clock.now(), len(client.calls))
    return LivePull(NAME, tuple(client.calls), newest(store, NAME), kept)


def supply_of(answer: Any, today: date) -> list[tuple[date, float]]:
    """(day, US dollars) of each record up to today's 00:00 UTC point; a changed shape is an error, nothing stored."""
    where = f"GET {PATH} answer"
    if not isinstance(answer, list):
        raise ChangedAnswer(where, f"not a list of daily records: {str(answer)[:80]}", BASE_URL_ENV)
    low, high = LIMITS["amount"]
    found = []
    for index, record in enumerate(answer, start=1):
        at = f"{where}, record {index} of {len(answer)}"
        usd = record.get("totalCirculatingUSD") if isinstance(record, dict) else None
        stamp = number(str(record.get("date"))) if isinstance(record, dict) else None
        if not isinstance(usd, dict) or stamp is None or stamp % 86400 or not 0 <= stamp <= 1e11:
            raise ChangedAnswer(at, f"not a record with 'date' at 00:00 UTC and 'totalCirculatingUSD': {str(record)[:120]}",
                                BASE_URL_ENV)
        value = number(str(usd.get("peggedUSD")))
        day = datetime.fromtimestamp(stamp, timezone.utc).date()
        if value is not None and low <= value <= high and value > 0 and day <= today:
            found.append((day, value))
    return found


def needed_day(day: date) -> date:
    """A week ending `day` closes on the point stamped 00:00 UTC of the day after (the bundled file's convention)."""
    return day + timedelta(days=1)


def newest_day(store: LiveStore) -> date | None:
    return newest(store, NAME)


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with the stored supply as its stablecoins driver (the live registry's entry)."""
    return with_driver(raw, "stablecoins", values_table(store, (NAME,), "stablecoins", COLUMNS), STABLECOINS)
