"""Atom (feed.xml) and RSS 2.0 (rss.xml) feeds of the newest briefs, written by feedgen: one pair for
the market briefs at the site's root, and one pair per asset beside its index (`assets/bitcoin/feed.xml`),
for a reader who follows one coin.

One generator per feed, since the two differ where the specifications differ: each feed's
`rel="self"` link is its own address (RFC 4287 section 4.2.7.2; RSS through `atom:link`), the RSS
channel's `<link>` and its `<image><link>` are the site's home page and `<image><url>` a PNG (the
RSS 2.0 specification allows GIF, JPEG or PNG, at most 144 by 400 pixels); Atom has a square `icon`.

Entries are the newest weeks, newest week first whatever order they were built in. Each carries the
brief's full text as HTML (Atom `<content type="html">`, RSS `<content:encoded>`), laid out by
templates/site/feed_entry.html.j2 from brief.json with its charts at absolute addresses. Entry ids are
the briefs' permalinks, times come from the briefs (publishedAt/updatedAt, which belong to the week,
see reports/build/dates.py), and the feed's own updated time is its newest entry's: nothing depends on
when the site was built, so an unchanged feed is byte-identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from jinja2 import Environment

from reports.core.formatting import Formatter
from reports.core.safepath import within
from reports.core.settings import Settings
from reports.document import FigureBlock
from reports.publish.site import urls
from reports.publish.site.briefs import PublishedBrief
from reports.publish.site.pages import asset_name, environment, page_of, png_size

FEED_SIZE = 20
LOGO = "assets/img/logo.png"  # 144 x 144, made from logo.svg; RSS images are at most 144 wide
LOGO_SIZE = 144
ENTRY_TEMPLATE = "feed_entry.html.j2"
NO_BRIEFS = datetime(1970, 1, 1, tzinfo=timezone.utc)  # an empty feed's updated time: fixed, never the clock


@dataclass(frozen=True)
class Channel:
    """One feed pair: its title, the page it is the feed of, and its two files' paths in the site."""

    title: str
    home: str  # a page address in the site ("" for the home page)
    atom: str
    rss: str


def feeds(briefs: Sequence[PublishedBrief], settings: Settings,
          assets: Mapping[str, Sequence[PublishedBrief]] | None = None) -> dict[str, bytes]:
    """{path in the site: bytes} for the market's feed.xml and rss.xml and each asset's pair."""
    env = environment(settings.templates_dir)
    files = _pair(briefs, Channel(settings.publication_name, "", urls.ATOM, urls.RSS), settings, env)
    for asset_id, series in (assets or {}).items():
        if series:
            title = f"{settings.publication_name}: {asset_name(series[0])}"
            files.update(_pair(series, Channel(title, urls.asset(asset_id), urls.atom(asset_id), urls.rss(asset_id)),
                               settings, env))
    return files


def _pair(briefs: Sequence[PublishedBrief], channel: Channel, settings: Settings, env: Environment) -> dict[str, bytes]:
    newest = sorted(briefs, key=lambda brief: brief.week_end, reverse=True)[:FEED_SIZE]
    contents = [entry_html(brief, settings.base_url, env) for brief in newest]
    return {
        channel.atom: _atom(newest, contents, settings, channel).atom_str(pretty=True),
        channel.rss: _rss(newest, contents, settings, channel).rss_str(pretty=True),
    }


def entry_html(brief: PublishedBrief, base_url: str, env: Environment) -> str:
    """The brief's full text as HTML for a feed reader: every section, its tables and its charts."""
    return env.get_template(ENTRY_TEMPLATE).render(entry=EntryView(brief, base_url)).strip()


class EntryView:
    """A brief as the feed entry template reads it: its document, its address and its charts' addresses."""

    def __init__(self, brief: PublishedBrief, base_url: str) -> None:
        self.brief = brief
        self.doc = brief.doc
        self.link = urls.absolute(base_url, page_of(brief))
        self.week_text = Formatter(brief.doc.locale).date(brief.doc.week.end)

    def image(self, block: FigureBlock) -> dict[str, object]:
        """The chart's PNG at its absolute address on the site, with its alt text and the size to show it at:
        half its pixels (the charts are drawn at twice screen resolution), so a reader that does not fit
        images to its column still shows the chart whole on a desktop."""
        chart = next(chart for chart in self.doc.charts if chart.chart == block.chart)
        path = within(self.brief.folder, chart.png)
        width, height = png_size(path) if path.is_file() else (None, None)
        shown = (width // 2, height // 2) if width and height else (None, None)
        return {"src": self.link + chart.png, "alt": block.alt.text, "width": shown[0], "height": shown[1]}


def _atom(briefs: Sequence[PublishedBrief], contents: Sequence[str], settings: Settings, channel: Channel) -> FeedGenerator:
    feed = _common(briefs, contents, settings, channel)
    feed.link(href=urls.absolute(settings.base_url, channel.home), rel="alternate", type="text/html")
    feed.link(href=urls.absolute(settings.base_url, channel.atom), rel="self", type="application/atom+xml")
    feed.icon(urls.absolute(settings.base_url, LOGO))
    return feed


def _rss(briefs: Sequence[PublishedBrief], contents: Sequence[str], settings: Settings, channel: Channel) -> FeedGenerator:
    feed = _common(briefs, contents, settings, channel)
    home = urls.absolute(settings.base_url, channel.home)
    # feedgen takes the channel's <link> from the last link given: the self link first, the home page last.
    feed.link(href=urls.absolute(settings.base_url, channel.rss), rel="self", type="application/rss+xml")
    feed.link(href=home, rel="alternate", type="text/html")
    feed.image(url=urls.absolute(settings.base_url, LOGO), title=channel.title, link=home,
               width=str(LOGO_SIZE), height=str(LOGO_SIZE))
    return feed


def _common(briefs: Sequence[PublishedBrief], contents: Sequence[str], settings: Settings, channel: Channel) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(urls.absolute(settings.base_url, channel.home))
    feed.title(channel.title)
    feed.description(settings.tagline or settings.publication_name)  # RSS requires one; also Atom's subtitle
    feed.author({"name": settings.publication_name})
    feed.language(briefs[0].doc.lang if briefs else "en")
    feed.generator(settings.publication_name)
    feed.updated(max((brief.doc.updated_at for brief in briefs), default=NO_BRIEFS))
    # feedgen lists entries newest-added first; add the oldest first so the feed reads newest first.
    for brief, content in reversed(list(zip(briefs, contents))):
        _entry(feed, brief, content, settings.base_url)
    return feed


def _entry(feed: FeedGenerator, brief: PublishedBrief, content: str, base: str) -> None:
    doc = brief.doc
    link = urls.absolute(base, page_of(brief))
    entry = feed.add_entry()
    entry.id(link)
    entry.guid(link, permalink=True)
    entry.title(doc.headline)
    entry.link(href=link, rel="alternate", type="text/html")
    entry.summary(doc.description)
    entry.content(content, type="html")
    entry.published(doc.published_at)
    entry.updated(doc.updated_at)
    for tag in doc.tags:
        entry.category(term=tag)
