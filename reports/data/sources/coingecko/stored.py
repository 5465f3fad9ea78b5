"""The `coingecko` source: pull what is new (unless offline), then read the store as raw tables.

The store's rows go through the same validation as a CSV file's; a row's "line" is its
SQLite rowid, so an error points at the table and row to look at. A store whose newest
close is older than the requested week is an error unless the user allows a stale build,
and then the brief says so (`Freshness`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from reports.core import clock
from reports.data.catalog import catalog
from reports.core.errors import NoDataError
from reports.data.model import CAPS_SUM_KEY, CLOSE_BASIS, CapsSum, Freshness
from reports.core.settings import WEEKDAYS, Settings
from reports.data.sources.coingecko.store import STORE_FILE, Store
from reports.data.validate import RawMarketData
from reports.data.sources import coingecko_series, named_by_catalog
from reports.data.raw import LINE, RawSeries, RawTable

CLOSES = coingecko_series("coingecko-closes", "CoinGecko daily closes", "daily closes at 00:00 UTC", CLOSE_BASIS)
GLOBAL = coingecko_series("coingecko-global-pulls", "CoinGecko global market snapshots",
                          "one snapshot per day, taken at the first pull of that day")
PRICES_QUERY = """
SELECT c.rowid, c.day, c.coin, c.close, c.market_cap, c.volume, k.symbol, k.name, l.rank
FROM closes c JOIN coins k ON k.coin = c.coin LEFT JOIN listings l ON l.day = c.day AND l.coin = c.coin
ORDER BY c.coin, c.day
"""
GLOBAL_QUERY = "SELECT rowid, day, total_market_cap_usd, btc_dominance_pct, eth_dominance_pct FROM global_daily ORDER BY day"


def load(settings: Settings) -> RawMarketData:
    if not settings.offline:
        from reports.data.sources.coingecko.pull import pull

        pull(settings)
    path = settings.data_dir / STORE_FILE
    if not path.exists():
        raise NoDataError(
            f"The market-data store {path} does not exist yet. Run `python build.py fetch` (or build without --offline) "
            "to pull from CoinGecko first, or point --data-dir at an existing store."
        )
    with Store(path) as store:
        prices = _table(store, "closes", PRICES_QUERY,
                        ("date", "asset", "close", "market_cap", "volume", "symbol", "name", "rank"))
        market = _table(store, "global_daily", GLOBAL_QUERY,
                        ("date", "total_market_cap_usd", "btc_dominance_pct", "eth_dominance_pct"))
        pulled_at = store.last_pull()
        wanted = requested_end(settings, clock.now().date())
        left = store.left_top_list()
        listed = store.rows("SELECT count(*) FROM listings WHERE day = (SELECT max(day) FROM listings)")[0][0]
    if prices.frame.empty:
        raise NoDataError(f"The market-data store {path} holds no closes yet. Run `python build.py fetch` first.")
    prices = _catalog_ids(prices)
    newest = date.fromisoformat(prices.frame["date"].max())
    return RawMarketData(
        prices=RawSeries(prices, CLOSES),
        market=RawSeries(market, GLOBAL) if not market.frame.empty else None,
        catalog=catalog(),
        freshness=_freshness(settings, newest, wanted, pulled_at, path, _last_listed(prices, left)),
        caps_sum=caps_sum(min(settings.coingecko_top, listed)) if listed else None,
    )


def caps_sum(top: int) -> CapsSum:
    """Total market value from the store's own market caps, for weeks without /global snapshots at both
    ends (a first run): the `top` largest coins' combined value, labelled as not CoinGecko's total."""
    return CapsSum(top, coingecko_series(
        CAPS_SUM_KEY, f"combined value of the {top} largest coins in the store, from CoinGecko's daily market caps, "
        "not CoinGecko's total of every coin", "daily closes at 00:00 UTC", CLOSE_BASIS))


def _table(store: Store, name: str, query: str, columns: tuple[str, ...]) -> RawTable:
    """Rows as text cells (as a CSV reader would give them), the rowid standing in for a file line:
    validation checks them as it checks a CSV file's, ids and symbols included."""
    rows = store.rows(query)
    frame = pd.DataFrame([[_text(v) for v in row[1:]] for row in rows], columns=list(columns), dtype=object)
    frame[LINE] = [row[0] for row in rows]
    return RawTable(path=store.where(name), header=columns, frame=frame)


def _text(value: object) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _catalog_ids(table: RawTable) -> RawTable:
    """The catalog's id and display name for a coin it knows (by name, as for the bundled data), else CoinGecko's id."""
    frame = named_by_catalog(table.frame, table.frame["asset"])
    frame["coin"] = table.frame["asset"]  # CoinGecko's id, kept for the store's own notes (validation ignores it)
    return RawTable(table.path, table.header, frame)


def requested_end(settings: Settings, today: date) -> date:
    """The week the build is for: the one asked for, else the latest whose last close is in (yesterday or before)."""
    if settings.week_ending is not None:
        return settings.week_ending
    last_close = today - timedelta(days=1)
    back = (last_close.weekday() - WEEKDAYS.index(settings.week_ends_on)) % 7
    return last_close - timedelta(days=back)


def _last_listed(prices: RawTable, left: list[tuple[str, str, date]]) -> tuple[tuple[str, date], ...]:
    """(symbol, last day listed) of the coins that left the top list and have stored closes."""
    coins = set(prices.frame["coin"])
    return tuple((symbol, day) for coin, symbol, day in left if coin in coins)


def _freshness(settings: Settings, newest: date, wanted: date, pulled_at, path: Path,
               left: tuple[tuple[str, date], ...]) -> Freshness:
    stale = newest < wanted
    if stale and not settings.allow_stale:
        raise NoDataError(
            f"The market-data store {path} is stale: its newest close is for {newest}, but the week asked for ends on "
            f"{wanted}. Run without --offline to pull the missing days, or pass --allow-stale to build the latest week "
            "the store holds (the brief will say it is stale)."
        )
    return Freshness(newest_day=newest, pulled_at=pulled_at, stale_for=wanted if stale else None, last_listed=left)


def from_settings(settings: Settings) -> RawMarketData:
    """The source registry's entry."""
    return load(settings)
