"""The pipeline: each stage's typed result feeds the next, in a straight line.

source -> validated market data -> week -> facts -> story -> charts -> renderers -> files

`build_brief(settings)` runs it all for one week. Batches (backfill, a warm process, a
cluster) load the data once with `load_data` and call `build_week` or `render_week` per
week. The drawing and rendering stages are imported when first used, so a command that
builds nothing (or a backfill with nothing to do) never loads matplotlib or WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reports.build.dates import Dates, publication, recorded, render_dated
from reports.core import clock
from reports.data.model import MarketData
from reports.core.progress import Progress
from reports.core.settings import Settings
from reports.story.model import Story
from reports.facts.week import Week, resolve_week


@dataclass(frozen=True)
class BuildResult:
    story: Story
    folder: Path
    files: tuple[str, ...]


@dataclass(frozen=True)
class RenderedWeek:
    """One week's brief as bytes, not yet written: what a worker hands back to the writer."""

    story: Story
    week: Week
    files: dict[str, bytes]


def load_data(settings: Settings) -> MarketData:
    """Read and validate the market data (or take it from the parsed-data cache). A user's file is
    checked first: the cache reads it whole to hash it, which `--data /dev/zero` would never end."""
    from reports.data.cache import load_market_data
    from reports.data.raw import check_file

    if settings.source == "csv" and settings.data is not None:
        check_file(settings.data)
    return load_market_data(settings)


def build_brief(settings: Settings, progress: Progress | None = None) -> BuildResult:
    progress = progress or Progress(total=4)
    check_notes(settings)
    with progress.stage("Reading and validating market data"):
        data = load_data(settings)
        week = resolve_week(data, settings.week_ending, settings.week_ends_on)
    check_notes(settings, week)
    return build_week(data, week.end, settings, progress)


def check_notes(settings: Settings, week: Week | None = None) -> None:
    """The editor's notes of a single brief, checked before the data is read (a bad file fails at
    once) and, once the week is known, for that week: notes written for another week are an error
    here (a backfill puts dated notes into their own week only)."""
    if settings.notes is None:
        return
    from reports.core.errors import InputError
    from reports.document.notes import load_notes

    notes = load_notes(settings.notes)
    if week is not None and notes.week is not None and notes.week != week.end:
        raise InputError(settings.notes, f"these notes are for the week ending {notes.week}, not {week.end}",
                         "Build that week (--week-ending), or change or remove `week:` in the notes' front matter.")


def build_week(data: MarketData, week_end: date | None, settings: Settings,
               progress: Progress | None = None) -> BuildResult:
    """One brief from already-validated data, written to OUT/<week-ending>/."""
    from reports.core.atomic import write_week

    progress = progress or Progress(total=3)
    week = resolve_week(data, week_end, settings.week_ends_on)
    previous = recorded(settings.out_dir / week.end.isoformat())
    rendered = render_week(data, week, settings, clock.now(), progress, previous)
    with progress.stage(f"Writing {settings.out_dir / week.end.isoformat()}"):
        folder = write_week(settings.out_dir, week.end.isoformat(), rendered.files)
    return BuildResult(rendered.story, folder, tuple(sorted(rendered.files)))


def render_week(data: MarketData, week: Week, settings: Settings, now: datetime,
                progress: Progress | None = None, previous: Dates | None = None) -> RenderedWeek:
    """Facts, story, charts and every output file of one week, as bytes: a pure function of its inputs
    (`previous`: the dates recorded by the week's last build; `now` dates a changed brief's update)."""
    from reports.facts.market import compute_facts
    from reports.story.write import write_story

    progress = progress or Progress(total=2, enabled=False)
    with progress.stage(f"Writing the story of the week ending {week.end}"):
        published = publication(previous, week.end, settings)
        story = write_story(compute_facts(data, week, settings), settings, published)
    with progress.stage(f"Drawing charts and rendering {', '.join(settings.formats)}"):
        story, files = render_dated(story, settings, previous, now)
    return RenderedWeek(story, week, files)
