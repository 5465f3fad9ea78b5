"""Scheduled events for What to Watch: the FOMC calendar shipped in the bundle, a user's events
file (`events_file`, `--events`) and `[[events]]` tables in the settings, validated where they enter.

An events file is a UTF-8 CSV with a header line:

    date,end,title,url,assets
    2026-03-12,,US CPI for February,https://www.bls.gov/cpi/,
    2026-03-20,2026-03-21,Token unlock,,solana;aptos

`date` and `title` are required; `end` (the last day of a several-day event), `url` (http or
https only) and `assets` (asset ids separated by `;` or spaces: the asset briefs it concerns;
empty for the whole market) are optional columns. A bad cell is an error naming the file, line
and column. Titles are names (`catalog.name_problem`): one line of printable text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from reports.core.errors import InputError, Location, UsageError
from reports.core.events import EventEntry
from reports.core.settings import Settings
from reports.core.values import http_url
from reports.data.catalog import DATA_DIR, ID, name_problem, slug
from reports.data.raw import LINE, read_csv

FOMC_FILE = DATA_DIR / "fomc_calendar_2025_2026.csv"
FOMC = "fomc"  # the source of the bundled calendar's events
COLUMNS = ("date", "end", "title", "url", "assets")
REQUIRED = ("date", "title")
ASSET_SEPARATOR = re.compile(r"[;\s]+")


@dataclass(frozen=True)
class ScheduledEvent:
    """One scheduled event: its first and last day (`end` None for a one-day event), what it is
    called, where it is announced, and the assets it concerns (empty: the whole market).
    `source` is "fomc" for the bundled Fed calendar, "events_file" or "settings" for the user's."""

    id: str
    title: str
    day: date
    end: date | None
    url: str | None
    assets: tuple[str, ...]
    source: str


def scheduled_events(settings: Settings) -> tuple[ScheduledEvent, ...]:
    """Every event the brief knows of, in date order: the Fed's meetings, then the user's."""
    found = list(fomc_meetings())
    path = settings.events_file
    if path is not None:
        if not path.is_file():
            problem = "not a regular file" if path.exists() else "no such events file"
            raise InputError(path, problem, "Give the path of an events CSV with --events or events_file.")
        found += _events_file(path.resolve(), path.stat().st_mtime_ns)
    found += [_entry(entry, number) for number, entry in enumerate(settings.events, start=1)]
    unique = {event.id: event for event in reversed(found)}  # the same event listed twice is shown once
    return tuple(sorted(unique.values(), key=lambda event: (event.day, event.title, event.id)))


@cache
def fomc_meetings() -> tuple[ScheduledEvent, ...]:
    """The bundled FOMC calendar (the Fed's scheduled meetings): first day to statement day."""
    table = read_csv(FOMC_FILE)
    return tuple(
        ScheduledEvent(id=f"{FOMC}-{row['first_day']}", title=row["event"], day=date.fromisoformat(row["first_day"]),
                       end=date.fromisoformat(row["statement_day"]), url=None, assets=(), source=FOMC)
        for row in table.frame.to_dict("records")
    )


@cache
def _events_file(path: Path, _mtime: int) -> tuple[ScheduledEvent, ...]:
    table = read_csv(path)
    unknown = [name for name in table.header if name not in COLUMNS]
    if unknown:
        column = table.header.index(unknown[0]) + 1
        raise InputError(Location(path, 1, column, unknown[0]), f"{unknown[0]!r} is not a column of an events file",
                         f"Use the columns {', '.join(COLUMNS)} (date and title required).")
    missing = [name for name in REQUIRED if name not in table.header]
    if missing:
        raise InputError(Location(path, 1), f"the header has no {missing[0]!r} column",
                         f"An events file needs the columns {' and '.join(REQUIRED)}; {', '.join(COLUMNS[1:])} are optional.")
    events = []
    for row in table.frame.to_dict("records"):
        line = int(row[LINE])

        def where(column: str, line: int = line) -> Location:
            return table.location(line, column)

        day = _day(row["date"], where("date"), "date")
        end = _day(row["end"], where("end"), "end") if row.get("end") else None
        if end is not None and end < day:
            raise InputError(where("end"), f"the event ends ({end}) before it starts ({day})",
                             "Give an end date on or after the date, or leave it empty for a one-day event.")
        title = _title(row["title"], where("title"))
        url = _url(row.get("url") or None, where("url"))
        assets = _assets(row.get("assets") or "", where("assets"))
        events.append(ScheduledEvent(_id(day, title), title, day, end, url, assets, "events_file"))
    return tuple(events)


def _day(text: str, where: Location, column: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        problem = "the date is empty" if not text else f"{text[:40]!r} is not a date"
        raise InputError(where, problem, f"Write the {column} as YYYY-MM-DD, e.g. 2026-03-18.") from None


def _title(text: str, where: Location) -> str:
    problem = "it is empty" if not text.strip() else name_problem(text)
    if problem is not None:
        raise InputError(where, f"the event's title is not a name: {problem}", "Give the event a one-line title.")
    return text.strip()


def _url(text: str | None, where: Location) -> str | None:
    if text is None:
        return None
    try:
        return http_url(text)
    except ValueError as error:
        raise InputError(where, f"the address {text[:80]!r} is not usable: {error}",
                         "Give an http:// or https:// address, or leave the cell empty.") from None


def _assets(text: str, where: Location) -> tuple[str, ...]:
    ids = tuple(part for part in ASSET_SEPARATOR.split(text.strip()) if part)
    bad = next((asset for asset in ids if not ID.fullmatch(asset)), None)
    if bad is not None:
        raise InputError(where, f"{bad[:40]!r} is not an asset id",
                         "List asset ids such as bitcoin;ethereum (lower case, separated by ';'), or leave it empty.")
    return ids


def _entry(entry: EventEntry, number: int) -> ScheduledEvent:
    problem = name_problem(entry.title) or _assets_problem(entry.assets)
    if problem is not None:
        raise UsageError(f"settings: [[events]] table {number} ({entry.title[:40]!r}) is invalid: {problem}. "
                         "Give a one-line title and asset ids such as bitcoin.")
    return ScheduledEvent(_id(entry.date, entry.title), entry.title.strip(), entry.date, entry.end, entry.url,
                          entry.assets, "settings")


def _assets_problem(assets: tuple[str, ...]) -> str | None:
    bad = next((asset for asset in assets if not ID.fullmatch(asset)), None)
    return None if bad is None else f"{bad[:40]!r} is not an asset id"


def _id(day: date, title: str) -> str:
    """A key for the fact table: the day and the title's slug (dots would split a dotted key)."""
    return f"{day.isoformat()}-{slug(title)[:40] or 'event'}"
