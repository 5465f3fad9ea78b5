"""The market-data store: what the CoinGecko pulls have kept, in one SQLite file under the data dir.

SQLite because it is in the standard library (nothing to install), one file that any
tool can open, and transactional: a pull writes each asset's new days in one
transaction, so a pull killed at any instant (kill -9 included) leaves the file as it
was after the last committed asset, and the next pull carries on from there. WAL mode
lets a build read while a pull writes. Parquet would need a rewrite-and-rename per
update and DuckDB a 40 MB dependency for a table of a few thousand rows a year.

Days are UTC calendar days as ISO text. A daily close of day D is the price at 00:00 UTC
of D+1 (CoinGecko's daily point); the listing (ranks) and global snapshots are stamped
with the UTC day of the pull that took them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Self

from reports.data.catalog import id_problem
from reports.core.errors import InputError, Location

STORE_FILE = "coingecko.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS coins (
    coin TEXT PRIMARY KEY,           -- CoinGecko id
    symbol TEXT NOT NULL,
    name TEXT NOT NULL,
    history_through TEXT,            -- last day whose close is stored (NULL: never backfilled)
    last_listed TEXT NOT NULL        -- last pull day the coin was in the top list
);
CREATE TABLE IF NOT EXISTS closes (
    coin TEXT NOT NULL,
    day TEXT NOT NULL,
    close REAL NOT NULL,
    market_cap REAL,
    volume REAL,
    PRIMARY KEY (coin, day)
);
CREATE TABLE IF NOT EXISTS listings (
    day TEXT NOT NULL,
    coin TEXT NOT NULL,
    rank INTEGER,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (day, coin)
);
CREATE TABLE IF NOT EXISTS global_daily (
    day TEXT PRIMARY KEY,
    taken_at TEXT NOT NULL,
    total_market_cap_usd REAL,
    total_volume_usd REAL,
    btc_dominance_pct REAL,
    eth_dominance_pct REAL
);
CREATE TABLE IF NOT EXISTS pulls (
    started_at TEXT PRIMARY KEY,
    finished_at TEXT,
    calls INTEGER
);
"""


@dataclass(frozen=True)
class Listed:
    """One coin of a /coins/markets answer, as the store keeps it."""

    coin: str
    symbol: str
    name: str
    rank: int | None


@dataclass(frozen=True)
class Close:
    day: date
    close: float
    market_cap: float | None
    volume: float | None


@dataclass(frozen=True)
class GlobalSnapshot:
    total_market_cap_usd: float | None
    total_volume_usd: float | None
    btc_dominance_pct: float | None
    eth_dominance_pct: float | None


class SqliteStore:
    """A store's SQLite file (WAL, full sync, explicit transactions), its tables made by `SCHEMA_SQL`;
    every write method of a store is one transaction. The live sources' store is one too (livestore.py)."""

    FILE = STORE_FILE
    SCHEMA_SQL = SCHEMA

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(self.SCHEMA_SQL)

    @classmethod
    def at(cls, data_dir: Path) -> Self:
        return cls(data_dir / cls.FILE)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self):
        return Transaction(self.db)

    def where(self, table: str) -> Path:
        """How an error names a table of this file, as if it were a CSV file whose lines are rowids."""
        return Path(f"{self.path} [table {table}; line = rowid]")

    def rows(self, query: str, *params: object) -> list[tuple]:
        return list(self.db.execute(query, params))

    def _one(self, query: str, *params: object):
        row = self.db.execute(query, params).fetchone()
        return row[0] if row else None


class Store(SqliteStore):
    """The CoinGecko pulls' file."""

    # --- writes ----------------------------------------------------------------------------------

    def save_listing(self, day: date, taken_at: datetime, coins: Sequence[Listed]) -> None:
        with self._transaction():
            for coin in coins:
                self.db.execute(
                    "INSERT INTO coins (coin, symbol, name, last_listed) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(coin) DO UPDATE SET symbol=excluded.symbol, name=excluded.name, last_listed=excluded.last_listed",
                    (coin.coin, coin.symbol, coin.name, day.isoformat()),
                )
                self.db.execute(
                    "INSERT OR REPLACE INTO listings (day, coin, rank, taken_at) VALUES (?, ?, ?, ?)",
                    (day.isoformat(), coin.coin, coin.rank, taken_at.isoformat()),
                )

    def save_closes(self, coin: str, closes: Iterable[Close], through: date | None) -> None:
        """Upsert a coin's closes (revisions overwrite) and move its `history_through` in the same transaction."""
        with self._transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO closes (coin, day, close, market_cap, volume) VALUES (?, ?, ?, ?, ?)",
                [(coin, c.day.isoformat(), c.close, c.market_cap, c.volume) for c in closes],
            )
            if through is not None:
                self.db.execute(
                    "UPDATE coins SET history_through = max(coalesce(history_through, ''), ?) WHERE coin = ?",
                    (through.isoformat(), coin),
                )

    def save_global(self, day: date, taken_at: datetime, snapshot: GlobalSnapshot) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO global_daily VALUES (?, ?, ?, ?, ?, ?)",
                (day.isoformat(), taken_at.isoformat(), snapshot.total_market_cap_usd, snapshot.total_volume_usd,
                 snapshot.btc_dominance_pct, snapshot.eth_dominance_pct),
            )

    def record_pull(self, started_at: datetime, finished_at: datetime, calls: int) -> None:
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO pulls VALUES (?, ?, ?)",
                            (started_at.isoformat(), finished_at.isoformat(), calls))

    # --- reads -----------------------------------------------------------------------------------

    def has_listing(self, day: date) -> bool:
        return self._one("SELECT 1 FROM listings WHERE day = ? LIMIT 1", day.isoformat()) is not None

    def has_global(self, day: date) -> bool:
        return self._one("SELECT 1 FROM global_daily WHERE day = ?", day.isoformat()) is not None

    def listed(self, day: date) -> list[str]:
        """The coins of that day's listing, by rank. Each goes into a URL, so each is checked as it
        comes back: a store an earlier version filled from a hostile answer is refused, not trusted."""
        rows = self.db.execute("SELECT rowid, coin FROM listings WHERE day = ? ORDER BY rank IS NULL, rank, coin",
                               (day.isoformat(),))
        return [self._checked_id(rowid, coin) for rowid, coin in rows]

    def history_through(self, coin: str) -> date | None:
        value = self._one("SELECT history_through FROM coins WHERE coin = ?", coin)
        return date.fromisoformat(value) if value else None

    def unlisted_since(self, day: date) -> list[tuple[str, date]]:
        """Coins with stored history that the listing of `day` no longer holds, with their last listed day."""
        rows = self.db.execute("SELECT coin, last_listed FROM coins WHERE last_listed < ? ORDER BY coin", (day.isoformat(),))
        return [(coin, date.fromisoformat(last)) for coin, last in rows]

    def left_top_list(self) -> list[tuple[str, str, date]]:
        """(coin, symbol, last day listed) of every coin a later listing no longer holds: it left the top
        list on that day. Which week that falls in is the facts' question, for the week being built."""
        rows = self.db.execute(
            "SELECT coin, symbol, last_listed FROM coins WHERE last_listed < (SELECT max(day) FROM listings) "
            "ORDER BY coin")
        return [(coin, symbol, date.fromisoformat(last)) for coin, symbol, last in rows]

    def last_pull(self) -> datetime | None:
        value = self._one("SELECT max(finished_at) FROM pulls")
        return datetime.fromisoformat(value) if value else None

    def dump(self) -> dict[str, list[tuple]]:
        """Every market table in a fixed order, to compare two stores (the pull log is left out)."""
        return {
            "coins": self.rows("SELECT coin, symbol, name, history_through, last_listed FROM coins ORDER BY coin"),
            "closes": self.rows("SELECT * FROM closes ORDER BY coin, day"),
            "listings": self.rows("SELECT day, coin, rank FROM listings ORDER BY day, coin"),
            "global_daily": self.rows("SELECT day, total_market_cap_usd, total_volume_usd, btc_dominance_pct, "
                                      "eth_dominance_pct FROM global_daily ORDER BY day"),
        }

    def _checked_id(self, rowid: int, coin: str) -> str:
        problem = id_problem(coin)
        if problem is not None:
            raise InputError(Location(self.where("listings"), rowid, 2, "coin"),
                             f"{coin[:80]!r} is not a usable asset id: {problem}",
                             "An earlier version stored it from an answer that was not CoinGecko's: delete that "
                             "row, or the store file, and pull again.")
        return coin


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (autocommit connection, explicit transactions)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, error, trace) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
