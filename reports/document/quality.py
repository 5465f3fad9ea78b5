"""brief.json's record of the data behind a brief: gaps, coins left out, how fresh a stored source was, the live
sources that failed, and each series' provenance (who made it, at what time of day, under which licence)."""

from __future__ import annotations

from datetime import date

from reports.document.base import IsoTime, Model


class Gap(Model):
    """Days in the week's window (base day included) on which a series has no value."""

    series: str
    days: tuple[date, ...]


class Dropped(Model):
    asset: str
    symbol: str
    reason: str


class SourceFailure(Model):
    """A live source whose pull failed after its retries, and the (redacted) error."""

    key: str
    error: str


class Freshness(Model):
    """A stored source's newest close, its last pull, and the week it falls short of when stale."""

    newest_day: date
    pulled_at: IsoTime | None
    stale_for: date | None
    left_top_list: tuple[str, ...]
    last_listed: tuple[tuple[str, date], ...] = ()  # (symbol, last day listed) of those that left during the week
    failed: tuple[SourceFailure, ...] = ()  # the live sources that could not be pulled for this build


class DataQuality(Model):
    gaps: tuple[Gap, ...]
    dropped: tuple[Dropped, ...]
    missing: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    newest_day: date
    freshness: Freshness | None


class Source(Model):
    """Provenance of one series: who made it, at what time of day, under which licence."""

    key: str
    provider: str
    title: str
    time_of_day: str
    attribution: str
    licence: str
    basis: str = "as-given"  # "close-00utc", "snapshot-12utc" or "as-given" (a user's file)
