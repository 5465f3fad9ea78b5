"""Building the site: read the briefs, lay out every page and feed, publish atomically.

briefs (OUT/<date>/, OUT/assets/<id>/<date>/) -> pages, feeds, sitemap, copies of each week's files,
search index -> publish
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reports.core.errors import InputError, UsageError
from reports.core.safepath import relative
from reports.core.settings import Settings
from reports.publish.site import urls
from reports.publish.site.briefs import PublishedBrief, find_asset_briefs, find_briefs
from reports.publish.site.feeds import feeds
from reports.publish.site.pages import Pages, page_of
from reports.publish.site.publish import Content, Published, publish
from reports.publish.site.search import search_index
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
    assets = find_asset_briefs(briefs_dir or settings.out_dir)
    files, pages = site_files(briefs, settings, assets)
    published = publish(settings.site_dir, files)
    return SiteResult(published, len(briefs), pages, time.perf_counter() - started)


def site_files(briefs: list[PublishedBrief], settings: Settings,
               assets: dict[str, list[PublishedBrief]] | None = None) -> tuple[dict[str, Content], int]:
    """Every file of the site, keyed by its path in the site, and how many pages there are."""
    assets = assets or {}
    files: dict[str, Content] = static_files(settings.templates_dir)
    _check_asset_ids(assets, files)
    changed: dict[str, datetime | None] = {}
    latest = briefs[0].doc.updated_at if briefs else None
    everyone = briefs + [brief for series in assets.values() for brief in series]
    by_page = {page_of(brief): brief for brief in everyone}
    logo = next((path for path in ("assets/img/logo.png", "assets/img/logo.svg") if path in files), "assets/img/logo.svg")
    html: dict[str, bytes] = {}
    for page, content in Pages(briefs, settings, assets, logo).render_all():
        html[urls.file_of(page)] = content
        if page != urls.NOT_FOUND:  # not a page of its own: the answer to any missing address
            brief = by_page.get(page)
            changed[page] = brief.doc.updated_at if brief else latest
    files.update(html)
    files.update(search_index(html, briefs[0].doc.lang if briefs else "en"))
    for brief in everyone:
        files.update(week_files(brief))
    files.update(feeds(briefs, settings, assets))
    files[SITEMAP] = sitemap(changed, settings.base_url)
    files[ROBOTS] = robots(settings.base_url)
    for path in files:
        relative(path)  # every address in the site stays in the site (and its staging folder)
    return files, len(changed)


def week_files(brief: PublishedBrief) -> dict[str, Path]:
    """The week's own files, published beside its page: PDF, Markdown (its chart links resolve), JSON, charts."""
    folder = page_of(brief)
    files = {folder + name: brief.folder / name for fmt, name in (("pdf", "brief.pdf"), ("md", "brief.md"), ("json", "brief.json"))
             if fmt in brief.formats}
    for path in brief.chart_files():
        files[f"{folder}charts/{path.name}"] = path
    return files


def _check_asset_ids(assets: dict[str, list[PublishedBrief]], static: dict[str, Content]) -> None:
    """Per-asset pages share assets/ with the site's stylesheets, fonts and images: an asset whose id is
    one of those folders (assets/css/...) would mix its pages into them, so it is refused."""
    taken = {path.split("/")[1] for path in static if path.startswith(urls.ASSETS) and path.count("/") > 1}
    for asset_id, series in assets.items():
        if asset_id in taken:
            raise InputError(series[0].folder.parent, f"the asset id {asset_id!r} is the name of the site's "
                             f"assets/{asset_id}/ folder (one of {', '.join(sorted(taken))})",
                             "Leave this asset's briefs out of the briefs folder, or publish them elsewhere")
