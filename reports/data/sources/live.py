"""The `live` source: pull what is new from every live source into the local stores, then build from them.

`LIVE_PULLERS` is the registry: one line per source, its name and the module that holds it. CoinGecko's
module gives the prices (its store must exist); every other module has the same face:
- `NAME`, `BASE_URL_ENV` (the environment variable that overrides its address);
- `pull(settings, client=None)` brings its part of the live store up to date (each answer or page in one
  transaction, none at all when already pulled today);
- `newest_day(store)` is its newest stored day, for `build.py sources`;
- `add(store, raw)` returns the raw data with what it stored added in a bundled file's shape (or `raw`
  unchanged when it stored nothing);
- optionally `needed_day(day)`: the newest day the source must hold for a week ending `day` (a source
  dated by US trading days needs that week's last weekday, not its Sunday); without it, `day` itself.
A source that fails after its retries does not stop the build: the brief is made from the others.
`load` pulls (unless offline) and hands the failures to the build as data, on the raw data's
`Freshness.failed`, so the brief's data notes name each source and its error and the command can
print them and exit 3 for cron to alert. A bad setting (an address that is not http/https) is not a
failure to reach a source but the user's to fix: it stops the command at once (exit 2).
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import ModuleType

from reports.core.errors import BriefError, UsageError
from reports.core.settings import Settings
from reports.data.model import SourceFailure
from reports.data.sources.livestore import LIVE_FILE, LiveStore
from reports.data.validate import RawMarketData

GECKO = "coingecko"
LIVE_PULLERS: dict[str, str] = {
    GECKO: "reports.data.sources.coingecko.pull",
    "fear-greed": "reports.data.sources.feargreed",
    "coinmetrics": "reports.data.sources.coinmetrics",
    "farside": "reports.data.sources.farside",
    "defillama": "reports.data.sources.defillama",
    "stooq": "reports.data.sources.stooq",
    "fred": "reports.data.sources.fred",
    "binance": "reports.data.sources.binance",
    "bybit": "reports.data.sources.bybit",
}
FAILED_EXIT = 3  # the brief was built, but a source failed: cron should alert
log = logging.getLogger(__name__)


Failed = SourceFailure  # a source that failed after its retries: its name (`key`) and the error


def module(name: str) -> ModuleType:
    return importlib.import_module(LIVE_PULLERS[name])


def added_sources() -> dict[str, ModuleType]:
    """The sources whose stored data is added to CoinGecko's prices, in registry order."""
    return {name: module(name) for name in LIVE_PULLERS if name != GECKO}


def check_addresses(env: Mapping[str, str] | None = None) -> None:
    """Every source's address override (`BASE_URL_ENV`), checked before any source is pulled: one that is
    not an http(s) address is the user's to fix (exit 2), and no other source should be half-pulled first."""
    env = os.environ if env is None else env
    for name in LIVE_PULLERS:
        variable = getattr(module(name), "BASE_URL_ENV", None)
        value = env.get(variable, "") if variable else ""
        if value and not value.startswith(("http://", "https://")):
            raise UsageError(f"{variable} is {value[:100]!r}, not an http(s) address: give a full URL (http://... or "
                             f"https://...) of the {name} API or a mirror of it, or unset it to use the source's own.")


def pull_all(settings: Settings) -> tuple[Failed, ...]:
    """Pull every live source in turn; one that fails is reported and the others still pull."""
    check_addresses()
    failed = []
    for name in LIVE_PULLERS:
        try:
            module(name).pull(settings)
        except UsageError:
            raise  # a setting to fix (e.g. its base URL), not a source out of reach
        except BriefError as error:
            log.warning("%s: %s", name, error)
            failed.append(Failed(name, str(error)))
    return tuple(failed)


def load(settings: Settings) -> RawMarketData:
    """The CoinGecko store's prices with every other live source's stored data added."""
    from reports.data.sources.coingecko.stored import load as stored

    failed = () if settings.offline else pull_all(settings)
    raw = stored(replace_offline(settings))
    if (settings.data_dir / LIVE_FILE).exists():
        with LiveStore(settings.data_dir / LIVE_FILE) as store:
            for source in added_sources().values():
                raw = source.add(store, raw)
    return with_failures(raw, failed)


def with_failures(raw: RawMarketData, failed: tuple[SourceFailure, ...]) -> RawMarketData:
    """The raw data carrying the sources that failed, for the data notes and the exit code."""
    if not failed or raw.freshness is None:
        return raw
    return replace(raw, freshness=replace(raw.freshness, failed=failed))


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
    needed = {name: getattr(source, "needed_day", lambda day: day)(wanted) for name, source in others.items()}
    return tuple(SourceStatus(name, newest, pulled, newest is None or newest < needed.get(name, wanted))
                 for name, newest, pulled in found)


def from_settings(settings: Settings) -> RawMarketData:
    """The source registry's entry."""
    return load(settings)
