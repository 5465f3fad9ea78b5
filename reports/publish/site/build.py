"""Building the site: read the briefs, lay out every page and feed, publish atomically.

briefs (OUT/<date>/) -> pages, feeds, sitemap, copies of each week's files -> publish
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reports.core.errors import UsageError
from reports.core.safepath import relative
from reports.core.settings import Settings
from reports.publish.site import urls
from reports.publish.site.briefs import PublishedBrief, find_briefs
from reports.publish.site.feeds import feeds
from reports.publish.site.pages import Pages
from reports.publish.site.publish import Content, Published, publish
from reports.publish.site.sitemap import ROBOTS, SITEMAP, robots, sitemap
from reports.publish.site.static import static_files


@dataclass(frozen=True)
class SiteResult:
    published: Published
    weeks: int
    pages: int
    seconds: float


def build_site(settings: Settings, briefs_dir: Path | None = None) -> SiteResult:
    """Publish the briefs in `briefs_dir` (default: the out_dir setting) to settings.site_dir."""
    started = time.perf_counter()
    if settings.templates_dir is not None and not settings.templates_dir.is_dir():
        raise UsageError(f"{settings.templates_dir}: no such templates folder. Check --templates.")
    briefs = find_briefs(briefs_dir or settings.out_dir)
    files, pages = site_files(briefs, settings)
    published = publish(settings.site_dir, files)
    return SiteResult(published, len(briefs), pages, time.perf_counter() - started)


def site_files(briefs: list[PublishedBrief], settings: Settings) -> tuple[dict[str, Content], int]:
    """Every file of the site, keyed by its path in the site, and how many pages there are."""
    files: dict[str, Content] = static_files(settings.templates_dir)
    changed: dict[str, datetime | None] = {}
    latest = briefs[0].doc.updated_at if briefs else None
    by_page = {urls.brief(brief.week_end): brief for brief in briefs}
    for page, html in Pages(briefs, settings).render_all():
        files[urls.file_of(page)] = html
        brief = by_page.get(page)
        changed[page] = brief.doc.updated_at if brief else latest
    for brief in briefs:
        files.update(week_files(brief))
    files.update(feeds(briefs, settings))
    files[SITEMAP] = sitemap(changed, settings.base_url)
    files[ROBOTS] = robots(settings.base_url)
    for path in files:
        relative(path)  # every address in the site stays in the site (and its staging folder)
    return files, len(changed)


def week_files(brief: PublishedBrief) -> dict[str, Path]:
    """The week's own files, published beside its page: PDF, Markdown (its chart links resolve), JSON, charts."""
    folder = urls.brief(brief.week_end)
    files = {folder + name: brief.folder / name for fmt, name in (("pdf", "brief.pdf"), ("md", "brief.md"), ("json", "brief.json"))
             if fmt in brief.formats}
    for path in brief.chart_files():
        files[f"{folder}charts/{path.name}"] = path
    return files
