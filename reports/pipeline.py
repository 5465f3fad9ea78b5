"""The pipeline: each stage's typed result feeds the next, in a straight line.

source -> validated market data -> week -> facts -> story -> charts -> renderers -> files
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import clock
from .charts import draw_charts
from .facts import compute_facts
from .output import write_week
from .progress import Progress
from .render import render_files
from .settings import Settings
from .sources import load_source
from .story import Story
from .validate import validate
from .week import resolve_week
from .writing import write_story


@dataclass(frozen=True)
class BuildResult:
    story: Story
    folder: Path
    files: tuple[str, ...]


def build_brief(settings: Settings, progress: Progress | None = None) -> BuildResult:
    progress = progress or Progress(total=7)
    with progress.stage("Reading market data"):
        raw = load_source(settings)
    with progress.stage("Validating"):
        data = validate(raw)
        week = resolve_week(data, settings.week_ending, settings.week_ends_on)
    with progress.stage(f"Computing the facts of the week ending {week.end}"):
        facts = compute_facts(data, week, settings)
    with progress.stage("Writing the story"):
        story = write_story(facts, settings, clock.now())
    with progress.stage("Drawing charts"):
        brief = draw_charts(story)
    with progress.stage(f"Rendering {', '.join(settings.formats)}"):
        files = render_files(brief, settings, settings.formats)
    with progress.stage(f"Writing {settings.out_dir / week.end.isoformat()}"):
        folder = write_week(settings.out_dir, week.end.isoformat(), files)
    return BuildResult(story, folder, tuple(sorted(files)))
