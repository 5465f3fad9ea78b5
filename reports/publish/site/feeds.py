"""Atom and RSS 2.0 feeds of the newest briefs, written by feedgen.

Entry ids are the briefs' permalinks (stable across rebuilds), times come from the
briefs (publishedAt/updatedAt), and the feed's own updated time is its newest entry's:
nothing depends on when the site was built, so an unchanged feed is byte-identical.
"""

from __future__ import annotations

from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from reports.core.settings import Settings
from reports.publish.site import urls
from reports.publish.site.briefs import PublishedBrief

FEED_SIZE = 20


def feeds(briefs: Sequence[PublishedBrief], settings: Settings) -> dict[str, bytes]:
    generator = _generator(briefs[:FEED_SIZE], settings)
    return {
        urls.ATOM: generator.atom_str(pretty=True),
        urls.RSS: generator.rss_str(pretty=True),
    }


def _generator(briefs: Sequence[PublishedBrief], settings: Settings) -> FeedGenerator:
    base = settings.base_url
    feed = FeedGenerator()
    feed.id(base)
    feed.title(settings.publication_name)
    feed.subtitle(settings.tagline)
    feed.description(settings.tagline)
    feed.author({"name": settings.publication_name})
    feed.link(href=base, rel="alternate")
    feed.link(href=urls.absolute(base, urls.ATOM), rel="self")
    feed.logo(urls.absolute(base, "assets/img/logo.svg"))
    feed.language(briefs[0].doc.lang if briefs else "en")
    feed.generator(settings.publication_name)
    if briefs:
        newest = max(brief.doc.updated_at for brief in briefs)
        feed.updated(newest)
    # feedgen lists entries newest-added first; add oldest first so the feed reads newest first.
    for brief in reversed(briefs):
        _entry(feed, brief, base)
    return feed


def _entry(feed: FeedGenerator, brief: PublishedBrief, base: str) -> None:
    doc = brief.doc
    link = urls.absolute(base, urls.brief(brief.week_end))
    entry = feed.add_entry()
    entry.id(link)
    entry.guid(link, permalink=True)
    entry.title(doc.headline)
    entry.link(href=link, rel="alternate")
    entry.summary(doc.description)
    entry.published(doc.published_at)
    entry.updated(doc.updated_at)
    for tag in doc.tags:
        entry.category(term=tag)
