"""The site's address scheme: one place that knows where each page lives.

Pages are folders with an index.html (`briefs/2026-02-08/`), so permalinks carry no
extension. Links between pages are relative, so the site works under any path prefix
(`https://example.com/brief/`) and from `serve`; canonical URLs, feeds, the sitemap and
social cards use absolute addresses built from the `base_url` setting.
"""

from __future__ import annotations

from datetime import date

from reports.core.safepath import name
from reports.document.addresses import brief_page

ARCHIVE = "archive/"
TAGS = "tags/"
ATOM = "feed.xml"
RSS = "rss.xml"


def brief(week_end: date) -> str:
    return brief_page(week_end)


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
