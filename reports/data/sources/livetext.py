"""What the driver sources share (Farside's HTML pages, DefiLlama's stablecoin charts, Stooq's and FRED's
CSV downloads): a client for answers that are text, and the way their stored values become the bundled
drivers' tables.

The client is CoinGecko's (timeouts, retries with backoff and jitter on 429/5xx honouring Retry-After,
the client-side rate limit, redaction) with one difference: the answer is kept as text, and an answer
that is cut short or is not the kind of document asked for (a page without its end, a CSV without its
header: a proxy's error page, a dropped connection) is retried like a 5xx, then named. A complete
document in a shape the source does not document is a `ChangedAnswer` (exit 2 for that source).

Stored values live in `driver_values` (one row per source, series and day; see livestore.py), the series
named `<driver key>:<column>` so that `add()` rebuilds the bundled file's columns without a mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import httpx
import pandas as pd

from reports.core.settings import Settings
from reports.data.model import SeriesInfo
from reports.data.raw import LINE, RawSeries, RawTable
from reports.data.sources.coingecko.client import Client, _Transient
from reports.data.sources.liveapi import LivePull, api_config
from reports.data.sources.livestore import LiveStore
from reports.data.validate import RawMarketData

Complete = Callable[[str], bool]


class TextClient(Client):
    """GET calls whose answers are text; `complete(text)` says whether an answer is whole (else: retried)."""

    def __init__(self, *args: Any, env_name: str = "the source's *_BASE_URL", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.http.headers["accept"] = "text/html, text/csv, text/plain, */*"
        self.complete: Complete = lambda text: True
        self.env_name = env_name

    def get_text(self, path: str, params: Mapping[str, Any], complete: Complete) -> str:
        self.complete = complete
        answer = self.get(path, params)
        assert isinstance(answer, str)
        return answer

    def _body(self, response: httpx.Response) -> str:
        try:
            text = self.config.redact(response.content.decode("utf-8"))
        except UnicodeDecodeError:
            raise _Transient("the answer is not UTF-8 text") from None
        if not self.complete(text):
            raise _Transient(f"the answer is cut short or not the document asked for (starts {self.config.excerpt(text, 40)!r})")
        return text

    def _hint(self, status: int) -> str:
        """What to do about a refusal: these sources take no key (a 401/403 is the site refusing scripts,
        e.g. a bot check in front of Farside's pages), so the way out is a mirror or proxy."""
        if status in (401, 403, 404):
            return (f"The site refused or does not know this address; it takes no key. Check {self.env_name}, or point it "
                    "at a mirror or proxy that serves the same page.")
        return "The request was refused; it will not succeed by retrying."


def pull_text(settings: Settings, client: Client | None, env_name: str, default_url: str,
              body: Callable[[LiveStore, TextClient], LivePull]) -> LivePull:
    """Run a source's pull `body` against the live store, with the given client or a text client of its own."""
    own = client is None
    text_client = client if isinstance(client, TextClient) else TextClient(
        client.config if client is not None else api_config(settings, env_name, default_url), env_name=env_name,
        **({"sleep": client.sleep} if client is not None else {}))
    try:
        with LiveStore.at(settings.data_dir) as store:
            return body(store, text_client)
    finally:
        if own or text_client is not client:
            text_client.close()


def newest(store: LiveStore, source: str) -> date | None:
    value = store.rows("SELECT max(day) FROM driver_values WHERE source = ?", source)[0][0]
    return date.fromisoformat(value) if value else None


def last_weekday(day: date) -> date:
    """The last Monday-to-Friday day on or before `day`: what a source dated by US trading days needs for a
    week ending `day` (a US holiday on that Friday still makes the source look a day short)."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def values_table(store: LiveStore, sources: Iterable[str], key: str, columns: tuple[str, ...]) -> RawTable | None:
    """The stored values of driver `key` (from any of `sources`) in the bundled file's columns: one row a
    day, text cells, an empty cell where a series has no value that day; the first rowid is the line."""
    names = tuple(sources)
    marks = ",".join("?" * len(names))
    rows = store.rows(f"SELECT rowid, series, day, value FROM driver_values WHERE source IN ({marks}) "
                      f"AND series LIKE ? ORDER BY day, series", *names, f"{key}:%")
    if not rows:
        return None
    days: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for rowid, series, day, value in rows:
        days.setdefault(day, {})[series.split(":", 1)[1]] = repr(value)
        lines[day] = min(lines.get(day, rowid), rowid)
    header = ("date", *columns)
    frame = pd.DataFrame([[day, *(cells.get(column, "") for column in columns)] for day, cells in days.items()],
                         columns=list(header), dtype=object)
    frame[LINE] = [lines[day] for day in days]
    return RawTable(path=store.where("driver_values"), header=header, frame=frame)


def with_driver(raw: RawMarketData, key: str, table: RawTable | None, info: SeriesInfo) -> RawMarketData:
    """The raw data with driver `key` replaced by the stored table (or unchanged when nothing is stored)."""
    return raw if table is None else replace(raw, drivers={**raw.drivers, key: RawSeries(table, info)})


def number(text: str) -> float | None:
    """A numeric cell, or None for an empty or non-numeric one (a gap, never a zero)."""
    try:
        value = float(text)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if value == value and abs(value) != float("inf") else None
