"""The Crypto Fear & Greed Index, live from Alternative.me: `GET /fng/?limit=N` (keyless).

A pull asks for the days after the newest stored reading (with a small overlap, for a late
revision), or for the whole history (`limit=0`) the first time, and none at all when this source
was already pulled today. Each answer is stored in one transaction. The readings are stamped
00:00 UTC of their day, as in the bundled `fear_greed_daily.csv`, and are read back in its columns.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timezone
from typing import Any

from reports.core import clock
from reports.core.settings import Settings
from reports.data.raw import RawSeries, RawTable
from reports.data.sources.bundled import FEAR_GREED
from reports.data.sources.coingecko.client import Client
from reports.data.sources.liveapi import ChangedAnswer, LivePull, field, pull_with, pulled_today, records, stored_table
from reports.data.sources.livestore import LiveStore
from reports.data.validate import RawMarketData

NAME = "fear-greed"
BASE_URL_ENV = "ALTERNATIVE_ME_BASE_URL"
DEFAULT_URL = "https://api.alternative.me"
PATH = "/fng/"
OVERLAP_DAYS = 2
COLUMNS = ("date", "timestamp", "value", "classification")


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_with(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: Client) -> LivePull:
    now = clock.now()
    newest = store.newest("fear_greed")
    if pulled_today(store.last_pull(NAME), now):
        return LivePull(NAME, (), newest, 0)
    limit = 0 if newest is None else (now.date() - newest).days + OVERLAP_DAYS
    readings = readings_of(client.get(PATH, {"limit": limit}), now.date())
    store.save_fear_greed(readings)
    store.record_pull(NAME, now, clock.now(), len(client.calls))
    return LivePull(NAME, tuple(client.calls), store.newest("fear_greed"), len(readings))


def readings_of(answer: Any, today: date) -> list[tuple[date, float, str]]:
    """(day, value, classification) of each reading; a changed shape is an error, nothing stored."""
    readings = []
    for at, record in records(answer, f"GET {PATH} answer", "reading", BASE_URL_ENV):
        stamp, value = _number(field(record, "timestamp", at, BASE_URL_ENV)), _number(field(record, "value", at, BASE_URL_ENV))
        label = field(record, "value_classification", at, BASE_URL_ENV)
        if stamp is None or stamp % 86400 or value is None or not 0 <= value <= 100 or not isinstance(label, str):
            raise ChangedAnswer(at, f"not a reading stamped 00:00 UTC with a value from 0 to 100: {str(record)[:120]}",
                                BASE_URL_ENV)
        day = datetime.fromtimestamp(stamp, timezone.utc).date()
        if day <= today:
            readings.append((day, value, label[:40]))
    return readings


def _number(value: Any) -> float | None:
    """Alternative.me sends numbers as text ("8", "1771372800")."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def table(store: LiveStore) -> RawTable | None:
    """The stored readings in the bundled file's columns (text cells, the rowid as the line), or None."""
    rows = store.rows("SELECT rowid, day, value, classification FROM fear_greed ORDER BY day")
    return stored_table(store.where("fear_greed"), COLUMNS, rows, lambda row: [
        row[1], str(int(datetime.fromisoformat(row[1]).replace(tzinfo=timezone.utc).timestamp())), repr(row[2]), row[3]])


def newest_day(store: LiveStore) -> date | None:
    return store.newest("fear_greed")


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with the stored readings as its sentiment (the live registry's entry)."""
    found = table(store)
    return raw if found is None else replace(raw, sentiment=RawSeries(found, FEAR_GREED))
