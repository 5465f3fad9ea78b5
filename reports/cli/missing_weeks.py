"""`site --build-missing`: build, through the pipeline, the weeks of the data that OUT has no brief for.

It lives with the commands, not with the site: publishing reads built briefs and never builds
(nothing under reports/publish imports the build, the facts or the data model).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from reports.core.errors import NoDataError
from reports.core.settings import Settings
from reports.data.model import MarketData
from reports.facts.week import resolve_week


def buildable_weeks(data: MarketData, settings: Settings) -> list[date]:
    """Every week ending on the configured weekday that the data covers completely enough to build."""
    from reports.build.batch import week_ends

    observed = data.prices.observed()
    days = observed.index[observed]
    weeks = []
    for end in week_ends(days[0].date(), days[-1].date(), settings.week_ends_on):
        try:
            weeks.append(resolve_week(data, end, settings.week_ends_on).end)
        except NoDataError:
            pass  # a week with a gap at its ends: the pipeline would refuse it too
    return weeks


def build_missing(settings: Settings, briefs_dir: Path, report: Callable[[str], None] = print) -> list[date]:
    """Build each buildable week without a brief.json in `briefs_dir`; returns the weeks built.
    The data is read (through the parsed-data cache) once for all of them."""
    from reports.build.pipeline import build_week, load_data

    data = load_data(settings)
    formats = settings.formats if "json" in settings.formats else (*settings.formats, "json")
    chosen = settings.model_copy(update={"out_dir": briefs_dir, "formats": formats})
    missing = [end for end in buildable_weeks(data, settings) if not (briefs_dir / end.isoformat() / "brief.json").is_file()]
    for number, end in enumerate(missing, start=1):
        result = build_week(data, end, chosen)
        report(f"[{number}/{len(missing)}] {result.folder}: {result.story.headline.text}")
    return missing
