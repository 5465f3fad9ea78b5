"""The site's address scheme: one place that knows where each page lives.

Pages are folders with an index.html (`briefs/2026-02-08/`), so permalinks carry no
extension. Links between pages are relative, so the site works under any path prefix
(`https://example.com/brief/`) and from `serve`; canonical URLs, feeds, the sitemap and
social cards use absolute addresses built from the `base_url` setting.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from reports.core.safepath import name
from reports.document.addresses import asset_index, brief_page

ARCHIVE = "archive/"
TAGS = "tags/"
ASSETS = "assets/"  # the index of assets; each asset's briefs under assets/<asset-id>/ (beside assets/css/...)
SEARCH = "search/"
NOT_FOUND = "404.html"
PAGEFIND = "pagefind/"
ATOM = "feed.xml"
RSS = "rss.xml"


def brief(week_end: date, asset: str | None = None) -> str:
    """A market brief's page, or with `asset` (a validated id) that asset's brief of the week."""
    return brief_page(week_end, name(asset) if asset else None)


def asset(asset_id: str) -> str:
    """The index of one asset's briefs."""
    return asset_index(name(asset_id))


def atom(asset_id: str | None = None) -> str:
    """The Atom feed of the market briefs, or with `asset_id` of that asset's briefs (beside its index)."""
    return asset(asset_id) + ATOM if asset_id else ATOM


def rss(asset_id: str | None = None) -> str:
    return asset(asset_id) + RSS if asset_id else RSS


def archive(page: int) -> str:
    return ARCHIVE if page == 1 else f"{ARCHIVE}page/{page}/"


def tag(text: str) -> str:
    """A tag's page: one folder under tags/, whatever the tag holds (see safepath)."""
    return f"{TAGS}{name(text)}/"


def file_of(page: str) -> str:
    """The file that serves a page address: `briefs/x/` is `briefs/x/index.html`."""
    return page + "index.html" if page == "" or page.endswith("/") else page


def root_from(page: str) -> str:
    """The relative prefix that leads from `page` back to the site root ("../../" or "./")."""
    depth = page.count("/")
    return "../" * depth if depth else "./"


def absolute(base_url: str, path: str) -> str:
    return base_url + path


def server_root(base_url: str) -> str:
    """The site's root as a path on its server ("/" or "/brief/"): for the 404 page, which the server
    sends for any missing address, at any depth, so relative links cannot work there."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"
