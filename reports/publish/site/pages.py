"""The site's HTML pages, laid out by Jinja templates from the briefs as they were written.

Templates live in templates/site/; a `--templates DIR` folder is searched first, so a
user overrides any one of them (a footer, an analytics snippet in head_extra.html.j2)
without copying the rest. Pages carry no build time, so a page whose inputs did not
change renders to the same bytes and the publisher leaves its file alone.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from reports.core.formatting import Formatter
from reports.document import Cell, FigureBlock, TableBlock
from reports.render import PHONE_EXTENSION
from reports.render.templating import TEMPLATES
from reports.core.safepath import within
from reports.core.settings import Settings
from reports.publish.site import urls
from reports.publish.site.briefs import PublishedBrief
from reports.publish.site.markup import linked, news_article, script_json

SITE_TEMPLATES = TEMPLATES / "site"
ARCHIVE_PAGE_SIZE = 10
RECENT_ON_HOME = 6


@dataclass(frozen=True)
class Site:
    """What every page knows about the site it belongs to."""

    name: str
    tagline: str
    base_url: str
    lang: str
    logo: str = "assets/img/logo.svg"  # the publisher's logo in JSON-LD (a PNG once the site has one)
    subscribe_url: str | None = None  # the subscription service's sign-up page: a form on every page
    assets: bool = False  # whether the site has per-asset briefs (a link to their index on every page)


def environment(overrides: Path | None) -> Environment:
    loaders = [FileSystemLoader(overrides)] if overrides else []
    loaders.append(FileSystemLoader(SITE_TEMPLATES))
    loaders.append(FileSystemLoader(SITE_TEMPLATES.parent))  # blocks/ shared with the brief (the editor's notes)
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["urls"] = urls
    env.filters["linked"] = linked
    return env


class Pages:
    """Renders every page of the site: {page address: html bytes}."""

    def __init__(self, briefs: Sequence[PublishedBrief], settings: Settings,
                 assets: dict[str, list[PublishedBrief]] | None = None, logo: str = Site.logo) -> None:
        self.briefs = list(briefs)
        self.assets = dict(assets or {})
        self.settings = settings
        self.env = environment(settings.templates_dir)
        first = self.briefs[0].doc if self.briefs else None
        self.site = Site(settings.publication_name, settings.tagline, settings.base_url, first.lang if first else "en",
                         logo, settings.subscribe_url, bool(self.assets))

    def render_all(self) -> Iterator[tuple[str, bytes]]:
        yield "", self.home()
        for series in (self.briefs, *self.assets.values()):
            for index, brief in enumerate(series):
                newer = series[index - 1] if index > 0 else None
                older = series[index + 1] if index + 1 < len(series) else None
                yield page_of(brief), self.brief(brief, newer, older)
        if self.assets:
            yield urls.ASSETS, self.asset_index()
        for asset_id, series in self.assets.items():
            yield urls.asset(asset_id), self.asset(asset_id, series)
        for page, chunk in enumerate(self._archive_chunks(), start=1):
            yield urls.archive(page), self.archive(page, chunk)
        yield urls.TAGS, self.tag_index()
        for tag, tagged in self.tags.items():
            yield urls.tag(tag), self.tag(tag, tagged)
        latest = self.briefs[0] if self.briefs else None
        yield urls.SEARCH, self._render("search.html.j2", urls.SEARCH, card=latest)
        yield urls.NOT_FOUND, self._render("404.html.j2", urls.NOT_FOUND, card=latest,
                                           root=urls.server_root(self.site.base_url))

    # --- one method per kind of page ---------------------------------------------------------

    def home(self) -> bytes:
        latest = self.briefs[0] if self.briefs else None
        return self._render("home.html.j2", "", latest=latest and self._view(latest),
                            recent=[self._view(brief) for brief in self.briefs[1:RECENT_ON_HOME + 1]],
                            card=latest)

    def brief(self, brief: PublishedBrief, newer: PublishedBrief | None, older: PublishedBrief | None) -> bytes:
        page = page_of(brief)
        canonical = urls.absolute(self.site.base_url, page)
        images = [urls.absolute(self.site.base_url, page + chart.png) for chart in brief.doc.charts]
        article = news_article(brief.doc, canonical, images, self.site.name, self.site.base_url,
                               urls.absolute(self.site.base_url, self.site.logo))
        market = self._market_of(brief.week_end) if brief.asset else None
        return self._render("brief.html.j2", page, brief=self._view(brief),
                            newer=newer and self._view(newer), older=older and self._view(older), card=brief,
                            json_ld=script_json(article), coins=self.coins(brief.week_end) if not brief.asset else [],
                            market=market and self._view(market),
                            asset_name=asset_name(brief) if brief.asset else None,
                            asset_feed=self._asset_feed(brief.asset, asset_name(brief)) if brief.asset else None)

    def coins(self, week_end) -> list[tuple[str, str]]:
        """The per-asset briefs of a week, as (the asset's name, page), in the order of the assets' ids."""
        return [(asset_name(found), page_of(found)) for series in self.assets.values()
                for found in series if found.week_end == week_end]

    def asset_index(self) -> bytes:
        entries = [(asset_name(series[0]), urls.asset(asset_id), self._view(series[0]), len(series))
                   for asset_id, series in self.assets.items()]
        return self._render("assets.html.j2", urls.ASSETS, entries=sorted(entries, key=lambda e: e[0].lower()),
                            card=self.briefs[0] if self.briefs else next(iter(self.assets.values()))[0])

    def asset(self, asset_id: str, series: Sequence[PublishedBrief]) -> bytes:
        name = asset_name(series[0])
        return self._render("asset.html.j2", urls.asset(asset_id), name=name,
                            items=[self._view(b) for b in series], card=series[0],
                            asset_feed=self._asset_feed(asset_id, name))

    @staticmethod
    def _asset_feed(asset_id: str, name: str) -> dict[str, str]:
        """The asset's own feeds, for the head's feed links and its index's "Follow" line."""
        return {"name": name, "atom": urls.atom(asset_id), "rss": urls.rss(asset_id)}

    def _market_of(self, week_end) -> PublishedBrief | None:
        return next((brief for brief in self.briefs if brief.week_end == week_end), None)

    def archive(self, number: int, chunk: Sequence[PublishedBrief]) -> bytes:
        pages = self.archive_pages
        return self._render("archive.html.j2", urls.archive(number), items=[self._view(b) for b in chunk],
                            number=number, pages=pages,
                            newer=urls.archive(number - 1) if number > 1 else None,
                            older=urls.archive(number + 1) if number < pages else None,
                            card=self.briefs[0] if self.briefs else None)

    def tag_index(self) -> bytes:
        return self._render("tags.html.j2", urls.TAGS, tags=[(tag, len(items)) for tag, items in self.tags.items()],
                            card=self.briefs[0] if self.briefs else None)

    def tag(self, tag: str, tagged: Sequence[PublishedBrief]) -> bytes:
        return self._render("tag.html.j2", urls.tag(tag), tag=tag, items=[self._view(b) for b in tagged],
                            card=tagged[0])

    # --- helpers -------------------------------------------------------------------------------

    @property
    def archive_pages(self) -> int:
        return max(1, -(-len(self.briefs) // ARCHIVE_PAGE_SIZE))

    def _archive_chunks(self) -> Iterator[list[PublishedBrief]]:
        for page in range(self.archive_pages):
            yield self.briefs[page * ARCHIVE_PAGE_SIZE:(page + 1) * ARCHIVE_PAGE_SIZE]

    @cached_property
    def tags(self) -> dict[str, list[PublishedBrief]]:
        """Each tag with its weeks (newest first), tags in alphabetical order."""
        found: dict[str, list[PublishedBrief]] = {}
        for brief in self.briefs:
            for tag in brief.doc.tags:
                found.setdefault(tag, []).append(brief)
        return dict(sorted(found.items()))

    def _render(self, template: str, page: str, card: PublishedBrief | None, root: str | None = None,
                **context) -> bytes:
        root = root or urls.root_from(page)
        html = self.env.get_template(template).render(
            site=self.site, page=page, root=root, canonical=urls.absolute(self.site.base_url, page),
            social=card and social_card(card, self.site.base_url), **context,
        )
        return html.encode("utf-8")

    def _view(self, brief: PublishedBrief) -> BriefView:
        return BriefView(brief, Formatter(brief.doc.locale))


class BriefView:
    """A brief as templates read it: its document plus dates, charts and tables ready to lay out."""

    def __init__(self, brief: PublishedBrief, fmt: Formatter) -> None:
        self.brief = brief
        self.doc = brief.doc
        self.fmt = fmt

    @property
    def page(self) -> str:
        return page_of(self.brief)

    @property
    def formats(self) -> tuple[str, ...]:
        return self.brief.formats

    @property
    def week_text(self) -> str:
        return self.fmt.date(self.doc.week.end)

    @property
    def published_text(self) -> str:
        return self.fmt.date(self.doc.published_at.date())

    @property
    def updated_text(self) -> str | None:
        return self.fmt.date(self.doc.updated_at.date()) if self.doc.updated_at != self.doc.published_at else None

    @property
    def takeaways(self):
        return self.brief.takeaways

    @property
    def figures(self) -> list[FigureBlock]:
        return [block for section in self.doc.sections for block in section.blocks if isinstance(block, FigureBlock)]

    def chart(self, block: FigureBlock, root: str) -> Markup:
        """The chart's PNG (published beside the week's page), with the figure's alt text and its size;
        where the build drew a phone version (narrower and taller, `charts/<id>.phone.png`), a
        <picture> that a narrow screen takes it from, so the whole chart fits without scrolling."""
        chart = next(chart for chart in self.doc.charts if chart.chart == block.chart)
        width, height = png_size(within(self.brief.folder, chart.png))
        img = Markup('<img src="{}" alt="{}" width="{}" height="{}">').format(
            f"{root}{self.page}{chart.png}", block.alt.text if block.alt else "", width, height)
        phone = phone_png(chart.png)
        if not within(self.brief.folder, phone).is_file():
            return img
        narrow_width, narrow_height = png_size(within(self.brief.folder, phone))
        return Markup('<picture><source media="(max-width: {}px)" srcset="{}" width="{}" height="{}">{}</picture>').format(
            PHONE_MAX_PX, f"{root}{self.page}{phone}", narrow_width, narrow_height, img)

    def table(self, block: TableBlock) -> dict:
        """The table laid out from the roles and tones the brief states (document.parse fills them in
        for a file written before they were)."""
        numeric = list(block.numeric)
        tones = [[cell.tone for cell in row] for row in block.rows]
        label = next((index for index, role in enumerate(numeric) if not role), None)
        return {
            "columns": list(zip(block.columns, numeric)),
            "label": label,  # the row's name (the asset): the title of its card on a phone
            "rows": [[(cell.text, numeric[i], tones[r][i]) for i, cell in enumerate(row)] for r, row in enumerate(block.rows)],
        }


PHONE_MAX_PX = 640  # the site's phone layout (site.css) begins at this width


def phone_png(png: str) -> str:
    """The phone version of a chart file: `charts/price-path.png` -> `charts/price-path.phone.png`."""
    return png.removesuffix(".png") + "." + PHONE_EXTENSION if png.endswith(".png") else png


def page_of(brief: PublishedBrief) -> str:
    return urls.brief(brief.week_end, brief.asset)


def asset_name(brief: PublishedBrief) -> str:
    """The display name of a per-asset brief's subject, from its own list of assets (else its id)."""
    return next((entry.name for entry in brief.doc.assets if entry.id == brief.asset), brief.asset or "")


def social_card(brief: PublishedBrief, base_url: str) -> dict | None:
    """Open Graph and Twitter card image: the week's main chart as PNG, at an absolute address."""
    chart = brief.main_chart
    if chart is None:
        return None
    png = within(brief.folder, chart.png)
    width, height = png_size(png) if png.is_file() else (None, None)
    return {
        "image": urls.absolute(base_url, page_of(brief) + chart.png),
        "alt": chart.alt.text,
        "width": width,
        "height": height,
    }


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (bytes 16-24 of the IHDR chunk)."""
    with path.open("rb") as handle:
        head = handle.read(24)
    return struct.unpack(">II", head[16:24])
