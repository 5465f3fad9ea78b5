"""A pull: ask CoinGecko for what is new since the last pull and keep it in the store.

Per pull: one /coins/markets call for the day's top list (skipped when the store already
has that day's listing, which is also how a killed pull resumes with the same coins), one
/global call for the day's snapshot (likewise once a day), then per coin one
/market_chart call for the days after its last stored close (with a small overlap for
revisions) — or its whole history the first time the coin is seen — and none when its
history already reaches yesterday's close. Each coin is committed on its own.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any


from reports.core import clock
from reports.data.catalog import id_problem, name_problem, symbol_problem
from reports.core.errors import InputError
from reports.core.locks import Busy, exclusive
from reports.core.settings import Settings
from reports.data.sources.coingecko.client import BASE_URL_ENV as BASE_URL_ENV  # the registry's face, re-exported
from reports.data.sources.coingecko.client import ApiConfig, ApiError, Client
from reports.data.sources.coingecko.store import Close, GlobalSnapshot, Listed, Store
from reports.data.validate import LIMITS

NAME = "coingecko"  # the live registry's face (sources/live.py): its name and the variable that moves its address
OVERLAP_DAYS = 2  # re-fetch the last stored closes too: CoinGecko revises recent points
LOCK_FILE = "coingecko.lock"
DAY_MS = 86_400_000
LAST_STAMP_MS = 253_402_300_799_999  # 9999-12-31 23:59:59.999 UTC: the last instant a date can hold
UNTRUSTED = ("CoinGecko's own ids and symbols never look like this: check that COINGECKO_BASE_URL points at "
             "CoinGecko or a mirror you trust. Nothing of this answer was stored.")
log = logging.getLogger(__name__)


class StoreBusy(Busy):
    """Another pull holds the store's lock."""


@dataclass(frozen=True)
class Skipped:
    """A point or a coin the pull did not keep, and why (shown by `fetch` and in the logs)."""

    coin: str
    reason: str


@dataclass(frozen=True)
class PullReport:
    pulled_at: datetime
    calls: tuple[str, ...]
    coins: int
    updated: tuple[str, ...]
    backfilled: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    unlisted: tuple[tuple[str, date], ...]

    @property
    def history_calls(self) -> int:
        return sum(1 for path in self.calls if path.endswith("/market_chart"))


def api_config(settings: Settings) -> ApiConfig:
    return ApiConfig.from_env(calls_per_minute=settings.coingecko_rate_limit, backoff=settings.coingecko_backoff)


@contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the store's lock for a whole pull; a second pull fails at once with a clear message."""
    busy = (f"another pull is already updating the market-data store in {data_dir} (lock {data_dir / LOCK_FILE} is "
            "held). Wait for it to finish and run again; the store is not touched by this run.")
    with exclusive(data_dir / LOCK_FILE, StoreBusy, busy, "--data-dir"):
        yield


def pull(settings: Settings, client: Client | None = None) -> PullReport:
    """Bring the store up to yesterday's close for today's top coins."""
    own_client = client is None
    client = client or Client(api_config(settings))
    try:
        with locked(settings.data_dir), Store.at(settings.data_dir) as store:
            return _pull(store, client, settings)
    finally:
        if own_client:
            client.close()


def _pull(store: Store, client: Client, settings: Settings) -> PullReport:
    now = clock.now()
    today = now.date()
    if not store.has_listing(today):
        store.save_listing(today, now, _listing(client.markets(settings.coingecko_top), client.config))
    if not store.has_global(today):
        store.save_global(today, now, _global(client.global_market()))
    coins = store.listed(today)
    updated: list[str] = []
    backfilled: list[str] = []
    skipped: list[Skipped] = []
    for coin in coins:
        last = store.history_through(coin)
        if last is not None and last >= today - timedelta(days=1):
            continue
        days = settings.coingecko_backfill_days if last is None else (today - last).days + OVERLAP_DAYS
        try:
            chart = client.market_chart(coin, days)
        except ApiError as error:
            if error.status != 404:
                raise
            skipped.append(Skipped(coin, "CoinGecko no longer knows this id (404); its stored history is kept"))
            continue
        closes, problems = daily_closes(chart, today)
        skipped.extend(Skipped(coin, problem) for problem in problems)
        store.save_closes(coin, closes, max((c.day for c in closes), default=None))
        (backfilled if last is None else updated).append(coin)
        log.info("%s: %d closes kept (%s)", coin, len(closes), "backfill" if last is None else f"after {last}")
    store.record_pull(now, clock.now(), len(client.calls))
    return PullReport(now, tuple(client.calls), len(coins), tuple(updated), tuple(backfilled), tuple(skipped),
                      tuple(store.unlisted_since(today)))


def summary(report: PullReport) -> str:
    """What a pull did, for the `fetch` command's output."""
    lines = [
        f"pulled {report.pulled_at:%Y-%m-%d %H:%M} UTC: {len(report.calls)} calls ({report.history_calls} history), "
        f"{report.coins} coins listed, {len(report.backfilled)} backfilled, {len(report.updated)} updated, "
        f"{report.coins - len(report.backfilled) - len(report.updated)} already current"
    ]
    lines += [f"  skipped {item.coin}: {item.reason}" for item in report.skipped]
    lines += [f"  {coin} left the top list after {day}: its stored history is kept, no longer updated"
              for coin, day in report.unlisted]
    return "\n".join(lines)


def daily_closes(chart: dict[str, Any], today: date) -> tuple[list[Close], list[str]]:
    """The closes in a market_chart answer: points stamped 00:00 UTC of D+1 are the close of D.

    A point at any other time (the "now" point at the end of the range) is not a close and is
    dropped, as is any point for today or later. A price that is not a positive number is
    left out (a gap the brief will report), never stored as zero.
    """
    caps = _by_stamp(chart.get("market_caps"))
    volumes = _by_stamp(chart.get("total_volumes"))
    closes: dict[date, Close] = {}
    problems = []
    for point in chart["prices"]:
        stamp = _stamp(point[0]) if isinstance(point, list) and len(point) == 2 else None
        if stamp is None:
            problems.append(f"a price point that is not [time, value]: {point!r:.60}")
            continue
        if stamp % DAY_MS:
            continue  # not a daily close
        day = datetime.fromtimestamp(stamp / 1000, timezone.utc).date() - timedelta(days=1)
        if day >= today:
            continue
        price = _amount(point[1], "price")
        if price is None:
            problems.append(f"no usable close for {day} (price {point[1]!r:.60}); left as a gap")
            continue
        closes[day] = Close(day, price, _amount(caps.get(stamp)), _amount(volumes.get(stamp)))
    return [closes[day] for day in sorted(closes)], problems


def _by_stamp(points: Any) -> dict[int, Any]:
    if not isinstance(points, list):
        return {}
    pairs = ((_stamp(point[0]), point[1]) for point in points if isinstance(point, list) and len(point) == 2)
    return {stamp: value for stamp, value in pairs if stamp is not None}


def _number(value: Any) -> float | None:
    """A JSON number as a finite float, else None: a bool, a string, NaN or infinity (Python's JSON
    reads them), or an integer too large for a float is no number an answer can mean."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _stamp(value: Any) -> int | None:
    """A time in milliseconds since 1970 that falls on a calendar day (up to the end of 9999), else None."""
    number = _number(value)
    return int(number) if number is not None and 0 <= number <= LAST_STAMP_MS else None


def _amount(value: Any, kind: str = "amount") -> float | None:
    """A price, market cap or volume: a positive number (CoinGecko sends 0 or null when it does not know
    one) within what validation accepts (validate.LIMITS): a value beyond would stop every build
    from the store, so it is left out here like an unknown one."""
    number = _number(value)
    low, high = LIMITS[kind]
    return number if number is not None and 0 < number and low <= number <= high else None


def _listing(records: list[Any], config: ApiConfig) -> list[Listed]:
    """The day's top list. Each record is checked as a CSV row is (validate.py), because its id goes
    into URLs and folders and its symbol into tags: one that breaks the rules stops the pull before
    anything of the answer is stored or called."""
    coins = []
    for number, record in enumerate(records, start=1):
        where = f"GET /coins/markets answer, record {number} of {len(records)}"
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise InputError(where, f"a record without an id: {config.excerpt(str(record), 80)}", UNTRUSTED)
        coin = record["id"]
        listed = Listed(coin, str(record.get("symbol") or coin).upper(), str(record.get("name") or coin),
                        _rank(record.get("market_cap_rank")))
        _check_listed(listed, where, config)
        coins.append(listed)
    return coins


def _rank(value: Any) -> int | None:
    """A rank CoinGecko could give (a whole number up to validation's limit), else unknown: ranks are
    optional, and a bigger integer does not even fit the store's 64-bit column."""
    low, high = LIMITS["rank"]
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else None


def _check_listed(listed: Listed, where: str, config: ApiConfig) -> None:
    for field, value, problem_of in (("id", listed.coin, id_problem), ("symbol", listed.symbol, symbol_problem),
                                     ("name", listed.name, name_problem)):
        problem = problem_of(value)
        if problem is not None:
            raise InputError(where, f"the {field} {config.excerpt(repr(value), 80)} is not usable: {problem}", UNTRUSTED)


def _global(data: dict[str, Any]) -> GlobalSnapshot:
    def usd(key: str) -> float | None:
        value = data.get(key)
        return _amount(value.get("usd")) if isinstance(value, dict) else None

    found = data.get("market_cap_percentage")
    share: dict[str, Any] = found if isinstance(found, dict) else {}
    return GlobalSnapshot(usd("total_market_cap"), usd("total_volume"), _percent(share.get("btc")), _percent(share.get("eth")))


def _percent(value: Any) -> float | None:
    number = _number(value)
    return number if number is not None and 0 <= number <= 100 else None
