"""What the keyless live sources share: their client (the CoinGecko one: timeouts, retries with backoff
and jitter on 429/5xx honouring Retry-After, a client-side rate limit), their address from the
environment, the error for an answer in a shape the source does not document, and a pull's report.

Only the address comes from the environment (`<SOURCE>_BASE_URL`, for a proxy, a mirror or a test
server): Alternative.me and Coin Metrics' community API take no key. The rate limit and backoff are
the CoinGecko settings' (`coingecko_rate_limit`, `coingecko_backoff`), one politeness for every API.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from reports.core.errors import UsageError
from reports.core.settings import Settings
from reports.data.raw import LINE, RawTable
from reports.data.sources.coingecko.client import ApiConfig, ApiError, Client
from reports.data.sources.livestore import LiveStore


class ChangedAnswer(ApiError):
    """An answer not in the shape the source documents: bad input (exit 2), not a failure to reach it."""

    exit_code = 2

    def __init__(self, where: str, message: str, env_name: str) -> None:
        super().__init__(f"{where}: {message} The source may have changed its answers' shape; check that "
                         f"{env_name} points at it or a mirror you trust. Nothing of this answer was stored.")


@dataclass(frozen=True)
class LivePull:
    """What one live source's pull did: the calls it made and the newest day now stored."""

    source: str
    calls: tuple[str, ...]
    newest: date | None
    kept: int

    def line(self) -> str:
        newest = self.newest.isoformat() if self.newest else "nothing stored"
        return f"{self.source}: {len(self.calls)} calls, {self.kept} rows kept, newest day {newest}"


def api_config(settings: Settings, env_name: str, default_url: str,
               env: Mapping[str, str] | None = None) -> ApiConfig:
    """The source's address (`env_name` overrides `default_url`), keyless, with the shared politeness."""
    env = os.environ if env is None else env
    base_url = (env.get(env_name) or default_url).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise UsageError(f"{env_name} is {base_url!r}; give a full URL, e.g. {default_url}.")
    return ApiConfig(base_url=base_url, calls_per_minute=settings.coingecko_rate_limit, backoff=settings.coingecko_backoff)


def pull_with(settings: Settings, client: Client | None, env_name: str, default_url: str,
              body: Callable[[LiveStore, Client], LivePull]) -> LivePull:
    """Run a source's pull `body` against the live store, with the given client or one of its own."""
    own = client is None
    client = client or Client(api_config(settings, env_name, default_url))
    try:
        with LiveStore.at(settings.data_dir) as store:
            return body(store, client)
    finally:
        if own:
            client.close()


def pulled_today(last: datetime | None, now: datetime) -> bool:
    """A source pulled once a day is not asked again the same UTC day: its daily value is already in."""
    return last is not None and last.date() == now.date()


def field(record: Any, name: str, where: str, env_name: str) -> Any:
    if not isinstance(record, dict) or name not in record:
        raise ChangedAnswer(where, f"a record without {name!r}: {str(record)[:80]}", env_name)
    return record[name]


def records(answer: Any, where: str, noun: str, env_name: str) -> list[tuple[str, Any]]:
    """The records of an answer's `data` list, each with where it is for an error ("..., record 3 of 90");
    an answer without that list is a changed shape."""
    data = field(answer, "data", where, env_name)
    if not isinstance(data, list):
        raise ChangedAnswer(where, f"'data' is not a list of {noun}s.", env_name)
    return [(f"{where}, {noun} {number} of {len(data)}", record) for number, record in enumerate(data, start=1)]


def stored_table(path: Path, header: tuple[str, ...], rows: list[Any],
                 cells: Callable[[Any], list[str]]) -> RawTable | None:
    """Stored rows (each starting with its rowid) as a raw table in a bundled file's columns, text cells
    made by `cells`, the rowid as the line an error names; None when nothing is stored."""
    if not rows:
        return None
    frame = pd.DataFrame([cells(row) for row in rows], columns=list(header), dtype=object)
    frame[LINE] = [row[0] for row in rows]
    return RawTable(path=path, header=header, frame=frame)
