"""The live sources' store: what the keyless daily sources (Fear & Greed, Coin Metrics) have kept.

One SQLite file beside the CoinGecko store, for the same reasons (standard library, one file,
transactional; see coingecko/store.py): each page of an answer is written in one transaction,
so a pull killed at any instant leaves the file as it was after the last committed page, and
the next pull asks again from the newest stored day. Days are UTC calendar days as ISO text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from reports.data.sources.coingecko.store import SqliteStore

LIVE_FILE = "live.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS fear_greed (
    day TEXT PRIMARY KEY,            -- the UTC day the reading is stamped with (00:00 UTC)
    value REAL NOT NULL,
    classification TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS closes (
    source TEXT NOT NULL,            -- a live source's name (coinmetrics)
    asset TEXT NOT NULL,             -- the catalog's id
    day TEXT NOT NULL,               -- close of the day: the price at 00:00 UTC of the next
    close REAL NOT NULL,
    PRIMARY KEY (source, asset, day)
);
CREATE TABLE IF NOT EXISTS driver_values (
    source TEXT NOT NULL,            -- a driver source's name (farside, defillama, stooq, fred)
    series TEXT NOT NULL,            -- the bundled file's key and column it fills ("etf_btc:total_usd_m")
    day TEXT NOT NULL,               -- the day the source dates the value with
    value REAL NOT NULL,
    PRIMARY KEY (source, series, day)
);
CREATE TABLE IF NOT EXISTS pulls (
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    calls INTEGER NOT NULL,
    PRIMARY KEY (source, started_at)
);
"""


class LiveStore(SqliteStore):
    """The live sources' file."""

    FILE = LIVE_FILE
    SCHEMA_SQL = SCHEMA

    def save_fear_greed(self, readings: Iterable[tuple[date, float, str]]) -> None:
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO fear_greed VALUES (?, ?, ?)",
                                [(day.isoformat(), value, label) for day, value, label in readings])

    def save_closes(self, source: str, closes: Iterable[tuple[str, date, float]]) -> None:
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO closes VALUES (?, ?, ?, ?)",
                                [(source, asset, day.isoformat(), close) for asset, day, close in closes])

    def save_values(self, source: str, values: Iterable[tuple[str, date, float]]) -> None:
        """One driver answer's (series, day, value) rows, in one transaction."""
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO driver_values VALUES (?, ?, ?, ?)",
                                [(source, series, day.isoformat(), value) for series, day, value in values])

    def record_pull(self, source: str, started_at: datetime, finished_at: datetime, calls: int) -> None:
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO pulls VALUES (?, ?, ?, ?)",
                            (source, started_at.isoformat(), finished_at.isoformat(), calls))

    def newest(self, table: str, source: str | None = None, asset: str | None = None) -> date | None:
        """The newest stored day of `fear_greed`, or of one source's (and asset's) `closes`."""
        if table == "fear_greed":
            value = self._one("SELECT max(day) FROM fear_greed")
        else:
            value = self._one("SELECT max(day) FROM closes WHERE source = ? AND asset = coalesce(?, asset)", source, asset)
        return date.fromisoformat(value) if value else None

    def last_pull(self, source: str) -> datetime | None:
        value = self._one("SELECT max(finished_at) FROM pulls WHERE source = ?", source)
        return datetime.fromisoformat(value) if value else None
