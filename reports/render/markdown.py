"""Markdown with front matter: the shape a static site generator or headless CMS ingests.

The front matter says what the page is (title, dates, description, tags, images); the body is the
brief's sections only, so a theme that prints the title and description does not show them twice.
`front_matter` picks the names (see `FRONT_MATTER`):

- hugo (the default): YAML with `title`, `date`, `lastmod`, `description`, `summary`, `tags`,
  `categories`, `images` (absolute URLs, for og:image), `draft`. These are the names most
  generators share: Hugo, Jekyll, Eleventy, Astro, Docusaurus and MkDocs Material's blog read
  the same YAML keys (each ignores the ones it does not know).
- pelican: Pelican's Markdown metadata (`Key: value` lines, read by Python-Markdown's meta
  extension, not YAML): `Title`, `Date`, `Modified`, `Summary`, `Category`, `Tags` (separated by
  semicolons, so a name may hold a comma), `Slug`, `Status`, `Image`.
- jekyll: YAML with Jekyll's names: `date` as "YYYY-MM-DD HH:MM:SS +0000", `last_modified_at`
  (jekyll-sitemap, jekyll-seo-tag), `image` (one, jekyll-seo-tag), `excerpt`, `published`.
- plain: this tool's own names (`publishedAt`, `updatedAt`, `category`, `image`), as in brief.json.

Every style ends with our own keys: `lang`, `sentiment`, `source`, `weekStart`, `weekEnd`,
`publication` (and `asset` for an asset's brief).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import yaml

from reports.core.settings import Settings
from reports.document.addresses import brief_page
from reports.render import chart_path
from reports.render.templating import markdown_environment

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief
    from reports.story.model import Story


def render(brief: Brief, settings: Settings) -> bytes:
    text = markdown_environment().get_template("brief.md.j2").render(
        story=brief.story,
        front_matter=front_matter_text(brief, settings),
        chart_paths={chart.id: chart_path(chart.id, "png") for chart in brief.charts},
    )
    return text.encode("utf-8")


def front_matter_text(brief: Brief, settings: Settings) -> str:
    """The block between the two `---` lines, each line ending in a newline."""
    matter = front_matter(brief, settings)
    if settings.front_matter == "pelican":
        return "".join(f"{key}: {_pelican_value(value)}\n" for key, value in matter.items() if value is not None)
    return yaml.dump(matter, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


class _Dumper(yaml.SafeDumper):
    """Each value written out: an equal date or list is not an anchor and an alias (`*id001`)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def front_matter(brief: Brief, settings: Settings) -> dict[str, Any]:
    story = brief.story
    images = [settings.base_url + brief_page(story.facts.week.end, _asset(story)) + chart_path(chart.id, "png")
              for chart in (brief.chart(figure.chart) for figure in story.figures[:1])]
    style = settings.front_matter
    if style == "pelican":
        matter: dict[str, Any] = {
            "Title": story.headline.text, "Date": _stamp(story.published), "Modified": _stamp(story.modified),
            "Summary": story.description.text, "Category": story.category, "Tags": list(story.tags),
            "Slug": "-".join(filter(None, (_asset(story), story.facts.week.end.isoformat()))),
            "Status": "published", "Image": images[0] if images else None,
        }
    elif style == "jekyll":
        matter = {
            "title": story.headline.text, "date": _jekyll(story.published), "last_modified_at": _jekyll(story.modified),
            "description": story.description.text, "excerpt": story.description.text, "categories": [story.category],
            "tags": list(story.tags), "image": images[0] if images else None, "published": True,
        }
    elif style == "plain":
        matter = {
            "title": story.headline.text, "description": story.description.text,
            "publishedAt": _stamp(story.published), "updatedAt": _stamp(story.modified),
            "category": story.category, "tags": list(story.tags),
            "image": chart_path(story.figures[0].chart, "png") if story.figures else None,
        }
    else:
        matter = {
            # YAML timestamps, not strings: tools that check the type (MkDocs Material's blog) take them
            "title": story.headline.text, "date": _utc(story.published), "lastmod": _utc(story.modified),
            "description": story.description.text, "summary": story.description.text,
            "tags": list(story.tags), "categories": [story.category], "images": images, "draft": False,
        }
    return {**matter, **_own(story)}


def _own(story: Story) -> dict[str, Any]:
    own: dict[str, Any] = {
        "lang": story.lang,
        "sentiment": story.sentiment,
        "source": ", ".join(dict.fromkeys(info.provider for info in story.facts.sources)),
        "weekStart": story.facts.week.start.isoformat(),
        "weekEnd": story.facts.week.end.isoformat(),
        "publication": story.publication,
    }
    asset = _asset(story)
    return {**own, "asset": asset} if asset else own


def _asset(story: Story) -> str | None:
    return getattr(story.facts, "asset_id", None)  # an asset brief's facts name their asset; the market's do not


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _jekyll(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S +0000")


def _pelican_value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    text = str(value)
    return " ".join(text.split())  # one line: a line break would start another key
