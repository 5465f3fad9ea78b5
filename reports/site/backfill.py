"""`--build-missing`: build, through the pipeline, the weeks of the data that OUT has no brief for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from ..errors import NoDataError
from ..settings import WEEKDAYS, Settings
from ..sources import load_source
from ..validate import validate
from ..week import resolve_week


def buildable_weeks(settings: Settings) -> list[date]:
    """Every week ending on the configured weekday that the data covers completely enough to build."""
    data = validate(load_source(settings))
    observed = data.prices.close.notna().any(axis=1)
    days = observed.index[observed]
    first, last = days[0].date(), days[-1].date()
    end = first + timedelta(days=(WEEKDAYS.index(settings.week_ends_on) - first.weekday()) % 7)
    weeks = []
    while end <= last:
        try:
            weeks.append(resolve_week(data, end, settings.week_ends_on).end)
        except NoDataError:
            pass  # a week with a gap at its ends: the pipeline would refuse it too
        end += timedelta(days=7)
    return weeks


def build_missing(settings: Settings, briefs_dir: Path, report: Callable[[str], None] = print) -> list[date]:
    """Build each buildable week without a brief.json in `briefs_dir`; returns the weeks built."""
    from ..pipeline import build_brief

    formats = settings.formats if "json" in settings.formats else (*settings.formats, "json")
    missing = [end for end in buildable_weeks(settings) if not (briefs_dir / end.isoformat() / "brief.json").is_file()]
    for number, end in enumerate(missing, start=1):
        result = build_brief(settings.model_copy(update={"week_ending": end, "out_dir": briefs_dir, "formats": formats}))
        report(f"[{number}/{len(missing)}] {result.folder}: {result.story.headline.text}")
    return missing
