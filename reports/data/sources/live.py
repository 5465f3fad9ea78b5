"""The `live` source: pull what is new from every live source into the local stores, then build from them.

`LIVE_PULLERS` is the registry (one line per source: its name and the module whose `pull(settings)`
brings its store up to date). A source that fails after its retries does not stop the build: the
brief is made from the others, and `pull_all` returns the failures so the command can name each
and exit 3 for cron to alert. CoinGecko's store gives the prices (it must exist); Alternative.me's
readings and Coin Metrics' long history are added when stored.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime

from reports.core.errors import BriefError
from reports.core.settings import Settings
from reports.data.raw import RawSeries
from reports.data.sources.bundled import COINMETRICS, FEAR_GREED
from reports.data.sources.livestore import LIVE_FILE, LiveStore
from reports.data.validate import RawMarketData

LIVE_PULLERS: dict[str, str] = {
    "coingecko": "reports.data.sources.coingecko.pull",
    "fear-greed": "reports.data.sources.feargreed",
    "coinmetrics": "reports.data.sources.coinmetrics",
}
FAILED_EXIT = 3  # the brief was built, but a source failed: cron should alert
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failed:
    source: str
    error: str

    def line(self) -> str:
        return f"{self.source} failed: {self.error}"


def pull_all(settings: Settings) -> tuple[Failed, ...]:
    """Pull every live source in turn; one that fails is reported and the others still pull."""
    failed = []
    for name, module in LIVE_PULLERS.items():
        try:
            importlib.import_module(module).pull(settings)
        except BriefError as error:
            log.warning("%s: %s", name, error)
            failed.append(Failed(name, str(error)))
    return tuple(failed)


def load(settings: Settings) -> RawMarketData:
    """The CoinGecko store's prices with the live store's sentiment and long history added."""
    from reports.data.sources import coinmetrics, feargreed
    from reports.data.sources.coingecko.stored import load as stored

    if not settings.offline:
        pull_all(settings)
    raw = stored(replace_offline(settings))
    path = settings.data_dir / LIVE_FILE
    if not path.exists():
        return raw
    with LiveStore(path) as store:
        sentiment, history = feargreed.table(store), coinmetrics.table(store)
    return replace(raw, sentiment=RawSeries(sentiment, FEAR_GREED) if sentiment is not None else None,
                   history=RawSeries(history, COINMETRICS) if history is not None else None)


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
    from reports.data.sources import coinmetrics
    from reports.data.sources.coingecko.store import STORE_FILE, Store
    from reports.data.sources.coingecko.stored import requested_end

    wanted = requested_end(settings, today)
    found: list[tuple[str, date | None, datetime | None]] = []
    gecko = settings.data_dir / STORE_FILE
    if gecko.exists():
        with Store(gecko) as cg:
            newest = cg.rows("SELECT max(day) FROM closes")[0][0]
            found.append(("coingecko", date.fromisoformat(newest) if newest else None, cg.last_pull()))
    else:
        found.append(("coingecko", None, None))
    if (settings.data_dir / LIVE_FILE).exists():  # asking makes no store
        with LiveStore.at(settings.data_dir) as store:
            found.append(("fear-greed", store.newest("fear_greed"), store.last_pull("fear-greed")))
            found.append(("coinmetrics", coinmetrics.newest_day(store), store.last_pull("coinmetrics")))
    else:
        found += [("fear-greed", None, None), ("coinmetrics", None, None)]
    return tuple(SourceStatus(name, newest, pulled, newest is None or newest < wanted) for name, newest, pulled in found)


def from_settings(settings: Settings) -> RawMarketData:
    """The source registry's entry."""
    return load(settings)
