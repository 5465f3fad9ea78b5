"""The live sources' store: what the keyless daily sources (Fear & Greed, Coin Metrics) have kept.

One SQLite file beside the CoinGecko store, for the same reasons (standard library, one file,
transactional; see coingecko/store.py): each page of an answer is written in one transaction,
so a pull killed at any instant leaves the file as it was after the last committed page, and
the next pull asks again from the newest stored day. Days are UTC calendar days as ISO text.
The exchange sources (Binance's daily candles, Bybit's funding and open interest) keep theirs here too,
one table each (`candles`, `funding`, `open_interest`).
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
CREATE TABLE IF NOT EXISTS candles (
    asset TEXT NOT NULL,             -- the catalog's id (Binance's USDT pair of its symbol)
    day TEXT NOT NULL,               -- the candle's UTC day, 00:00-24:00 (completed days only)
    open REAL NOT NULL,
    high REAL NOT NULL,
    low REAL NOT NULL,
    close REAL NOT NULL,             -- the last trade before 00:00 UTC of the next day
    PRIMARY KEY (asset, day)
);
CREATE TABLE IF NOT EXISTS funding (
    asset TEXT NOT NULL,             -- the catalog's id of the perpetual's coin (bitcoin, ethereum)
    day TEXT NOT NULL,               -- the UTC day; rate: its last funding (the 16:00 UTC settlement)
    rate REAL NOT NULL,              -- a decimal per eight hours (0.0001 = 0.01%)
    stamp TEXT NOT NULL,             -- when that funding was settled (ISO, UTC)
    PRIMARY KEY (asset, day)
);
CREATE TABLE IF NOT EXISTS open_interest (
    asset TEXT NOT NULL,
    day TEXT NOT NULL,               -- the 00:00 UTC daily value of that day
    value REAL NOT NULL,             -- contracts outstanding, in the coin (Bybit's linear unit)
    PRIMARY KEY (asset, day)
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

    def save_candles(self, candles: Iterable[tuple[str, date, float, float, float, float]]) -> None:
        """(asset, day, open, high, low, close) rows, one page of one symbol, in one transaction."""
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO candles VALUES (?, ?, ?, ?, ?, ?)",
                                [(asset, day.isoformat(), *prices) for asset, day, *prices in candles])

    def save_funding(self, rates: Iterable[tuple[str, date, float, datetime]]) -> None:
        """Each day keeps its latest settlement: a later one replaces it, an earlier one does not."""
        with self._transaction():
            self.db.executemany("INSERT INTO funding VALUES (?, ?, ?, ?) ON CONFLICT (asset, day) DO UPDATE SET "
                                "rate = excluded.rate, stamp = excluded.stamp WHERE excluded.stamp >= funding.stamp",
                                [(asset, day.isoformat(), rate, stamp.isoformat()) for asset, day, rate, stamp in rates])

    def save_open_interest(self, values: Iterable[tuple[str, date, float]]) -> None:
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO open_interest VALUES (?, ?, ?)",
                                [(asset, day.isoformat(), value) for asset, day, value in values])

    def newest_in(self, table: str, asset: str | None = None) -> date | None:
        """The newest stored day of one of the exchange tables (candles, funding, open_interest), of one asset or any."""
        if table not in ("candles", "funding", "open_interest"):
            raise ValueError(f"no exchange table {table!r}")
        value = self._one(f"SELECT max(day) FROM {table} WHERE asset = coalesce(?, asset)", asset)
        return date.fromisoformat(value) if value else None
