"""Markdown with YAML front matter: the shape a static site generator or headless CMS ingests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from reports.core.settings import Settings
from reports.render import chart_path
from reports.render.templating import markdown_environment

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief


def front_matter(brief: Brief, settings: Settings) -> dict:
    story = brief.story
    stamp = story.published.isoformat().replace("+00:00", "Z")
    first = story.figures[0].chart if story.figures else None
    return {
        "title": story.headline.text,
        "description": story.description.text,
        "publishedAt": stamp,
        "updatedAt": story.modified.isoformat().replace("+00:00", "Z"),
        "lang": story.lang,
        "category": story.category,
        "tags": list(story.tags),
        "sentiment": story.sentiment,
        "source": ", ".join(dict.fromkeys(info.provider for info in story.facts.sources)),
        "weekStart": story.facts.week.start.isoformat(),
        "weekEnd": story.facts.week.end.isoformat(),
        "image": chart_path(first, "png") if first else None,
        "publication": story.publication,
    }


def render(brief: Brief, settings: Settings) -> bytes:
    matter = yaml.safe_dump(front_matter(brief, settings), sort_keys=False, allow_unicode=True, width=1000)
    text = markdown_environment().get_template("brief.md.j2").render(
        story=brief.story,
        front_matter="---\n" + matter,
        chart_paths={chart.id: chart_path(chart.id, "png") for chart in brief.charts},
    )
    return text.encode("utf-8")
