"""The `live` source: pull what is new from every live source into the local stores, then build from them.

`LIVE_PULLERS` is the registry: one line per source, its name and the module that holds it. CoinGecko's
module gives the prices (its store must exist); every other module has the same face:
- `NAME`, `BASE_URL_ENV` (the environment variable that overrides its address);
- `pull(settings, client=None)` brings its part of the live store up to date (each answer or page in one
  transaction, none at all when already pulled today);
- `newest_day(store)` is its newest stored day, for `build.py sources`;
- `add(store, raw)` returns the raw data with what it stored added in a bundled file's shape (or `raw`
  unchanged when it stored nothing).
A source that fails after its retries does not stop the build: the brief is made from the others, and
`pull_all` returns the failures so the command can name each and exit 3 for cron to alert.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from types import ModuleType

from reports.core.errors import BriefError
from reports.core.settings import Settings
from reports.data.sources.livestore import LIVE_FILE, LiveStore
from reports.data.validate import RawMarketData

GECKO = "coingecko"
LIVE_PULLERS: dict[str, str] = {
    GECKO: "reports.data.sources.coingecko.pull",
    "fear-greed": "reports.data.sources.feargreed",
    "coinmetrics": "reports.data.sources.coinmetrics",
    "binance": "reports.data.sources.binance",
    "bybit": "reports.data.sources.bybit",
}
FAILED_EXIT = 3  # the brief was built, but a source failed: cron should alert
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failed:
    source: str
    error: str

    def line(self) -> str:
        return f"{self.source} failed: {self.error}"


def module(name: str) -> ModuleType:
    return importlib.import_module(LIVE_PULLERS[name])


def added_sources() -> dict[str, ModuleType]:
    """The sources whose stored data is added to CoinGecko's prices, in registry order."""
    return {name: module(name) for name in LIVE_PULLERS if name != GECKO}


def pull_all(settings: Settings) -> tuple[Failed, ...]:
    """Pull every live source in turn; one that fails is reported and the others still pull."""
    failed = []
    for name in LIVE_PULLERS:
        try:
            module(name).pull(settings)
        except BriefError as error:
            log.warning("%s: %s", name, error)
            failed.append(Failed(name, str(error)))
    return tuple(failed)


def load(settings: Settings) -> RawMarketData:
    """The CoinGecko store's prices with every other live source's stored data added."""
    from reports.data.sources.coingecko.stored import load as stored

    if not settings.offline:
        pull_all(settings)
    raw = stored(replace_offline(settings))
    if not (settings.data_dir / LIVE_FILE).exists():
        return raw
    with LiveStore(settings.data_dir / LIVE_FILE) as store:
        for source in added_sources().values():
            raw = source.add(store, raw)
    return raw


def replace_offline(settings: Settings) -> Settings:
    """The same settings, building from the stores as they are (the pulls are done)."""
    return settings.model_copy(update={"offline": True})


@dataclass(frozen=True)
class SourceStatus:
    source: str
    newest: date | None
    last_pull: datetime | None
    stale: bool

    def line(self) -> str:
        newest = self.newest.isoformat() if self.newest else "nothing stored"
        pulled = f"{self.last_pull:%Y-%m-%d %H:%M} UTC" if self.last_pull else "never"
        return f"{self.source:<12} newest day {newest:<14} last pull {pulled:<22} {'STALE' if self.stale else 'fresh'}"


def statuses(settings: Settings, today: date) -> tuple[SourceStatus, ...]:
    """Each live source's newest stored day, last pull, and whether it falls short of the week to build."""
    from reports.data.sources.coingecko.store import STORE_FILE, Store
    from reports.data.sources.coingecko.stored import requested_end

    wanted = requested_end(settings, today)
    found: list[tuple[str, date | None, datetime | None]] = []
    gecko = settings.data_dir / STORE_FILE
    if gecko.exists():
        with Store(gecko) as cg:
            newest = cg.rows("SELECT max(day) FROM closes")[0][0]
            found.append((GECKO, date.fromisoformat(newest) if newest else None, cg.last_pull()))
    else:
        found.append((GECKO, None, None))
    others = added_sources()
    if (settings.data_dir / LIVE_FILE).exists():  # asking makes no store
        with LiveStore.at(settings.data_dir) as store:
            found += [(name, source.newest_day(store), store.last_pull(name)) for name, source in others.items()]
    else:
        found += [(name, None, None) for name in others]
    return tuple(SourceStatus(name, newest, pulled, newest is None or newest < wanted) for name, newest, pulled in found)


def from_settings(settings: Settings) -> RawMarketData:
    """The source registry's entry."""
    return load(settings)
