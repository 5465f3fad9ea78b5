"""A brief's dates: published at a time that belongs to its week, updated only when its content changes.

The publication time is the first `publish_day` after the week's end at `publish_time` (UTC;
default the Monday after at 06:00), or, once a brief has been built, the time recorded in its
folder (`.dates.json`): a later build keeps it, whatever the settings or the clock say. The
content hash covers every file of the brief as rendered with no update time; a rebuild whose hash
matches the recorded one keeps the recorded `updatedAt`, so an unchanged week is byte-identical.
When it differs, `updatedAt` becomes the build clock (`SOURCE_DATE_EPOCH` pins it), never before
the publication time. A brief first built has `updatedAt` equal to `publishedAt`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from reports.core.settings import WEEKDAYS, Settings
from reports.story.model import Story

DATES_FILE = ".dates.json"
NOT_CONTENT = {DATES_FILE, ".inputs.sha256"}
DATED_FORMATS = ("html", "md", "json")  # the formats that say when the brief was updated


@dataclass(frozen=True)
class Dates:
    published: datetime
    updated: datetime
    content: str  # sha256 of the brief's files as rendered without an update time

    def dumps(self) -> bytes:
        record = {"publishedAt": _stamp(self.published), "updatedAt": _stamp(self.updated), "content": self.content}
        return (json.dumps(record, indent=2) + "\n").encode("ascii")


def scheduled(week_end: date, settings: Settings) -> datetime:
    """The first `publish_day` after `week_end`, at `publish_time` UTC."""
    days = (WEEKDAYS.index(settings.publish_day) - week_end.weekday()) % 7 or 7
    hour, minute = (int(part) for part in settings.publish_time.split(":"))
    return datetime.combine(week_end + timedelta(days=days), time(hour, minute), timezone.utc)


def recorded(folder: Path) -> Dates | None:
    """The dates kept in a brief's folder, or None (never built, built before dates were kept, or unreadable:
    then the brief is dated as if new)."""
    try:
        record = json.loads((folder / DATES_FILE).read_text(encoding="ascii"))
        return Dates(datetime.fromisoformat(record["publishedAt"]), datetime.fromisoformat(record["updatedAt"]),
                     str(record["content"]))
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def content_hash(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256(b"crypto-brief-content/1\0")
    for name in sorted(set(files) - NOT_CONTENT):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def settle(previous: Dates | None, published: datetime, content: str, now: datetime) -> Dates:
    """This build's dates: the recorded update time while the content is the same, else now."""
    if previous is None:
        return Dates(published, published, content)
    if previous.content == content:
        return Dates(published, previous.updated, content)
    return Dates(published, max(now, published), content)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def publication(previous: Dates | None, week_end: date, settings: Settings) -> datetime:
    return previous.published if previous is not None else scheduled(week_end, settings)


SITE_FORMAT = "json"  # the site publishes the weeks built with brief.json, and shows their phone charts


def render_dated(story: Story, settings: Settings, previous: Dates | None, now: datetime) -> tuple[Story, dict[str, bytes]]:
    """Draw the story's charts and render every format, dated: the files as first rendered (no update time)
    give the content hash; when the settled update time is not the publication time, the formats that
    carry it are rendered again with it. The PDF carries the publication time only (its print date)."""
    from reports.charts.draw import draw_charts
    from reports.render import render_files

    brief = draw_charts(story, phone=SITE_FORMAT in settings.formats)  # phone charts: for the site, which reads json
    files = render_files(brief, settings, settings.formats)
    dates = settle(previous, story.published, content_hash(files), now)
    if dates.updated != story.published:
        story = replace(story, updated=dates.updated)
        files.update(render_files(replace(brief, story=story), settings,
                                  [fmt for fmt in settings.formats if fmt in DATED_FORMATS]))
    files[DATES_FILE] = dates.dumps()
    return story, files
