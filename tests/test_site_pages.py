"""The site's pages beyond the weekly ones: per-asset briefs and their indexes, the 404 page, JSON-LD
NewsArticle markup, sources as links, tags that say what the week was about, and the sign-up form.
One site is built per module from real weeks and real per-asset briefs (site_weeks.py)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from site_weeks import (ASSET_WEEK, ASSETS, WEEKS, asset_pool, brief_json, copy_assets, copy_weeks,  # noqa: F401
                        week_pool)

BASE = "https://brief.example.com/news/"
SUBSCRIBE = "https://join.example.org/"


class Page(HTMLParser):
    """Links, JSON-LD blocks and forms of one page, read by the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.json_ld: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.inputs: list[dict[str, str | None]] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        if tag == "form":
            self.forms.append(attributes)
        if tag == "input":
            self.inputs.append(attributes)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def build(out: Path, site: Path, **flags):
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site

    return build_site(load_settings(flags={"out_dir": out, "site_dir": site, "base_url": BASE, **flags}))


def resolves(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on `page` leads to."""
    here = "http://local/" + page.relative_to(site).as_posix()
    target = urljoin(here, href.split("#")[0]).removeprefix("http://local/")
    return site / (target + "index.html" if target.endswith("/") or target == "" else target)


@pytest.fixture(scope="module")
def built(week_pool, asset_pool, tmp_path_factory):  # noqa: F811 - the fixtures imported above
    root = tmp_path_factory.mktemp("site-pages")
    out = copy_assets(asset_pool, copy_weeks(week_pool, root / "out", WEEKS))
    site = root / "site"
    build(out, site)
    yield out, site
    shutil.rmtree(root, ignore_errors=True)


def asset_briefs(out: Path) -> list[Path]:
    return sorted((out / "assets").glob("*/*/brief.json"))


# --- per-asset briefs ----------------------------------------------------------------------------

def test_every_asset_brief_has_its_page_and_index_and_the_market_brief_links_them(built):
    out, site = built
    found = asset_briefs(out)
    assert {path.parent.parent.name for path in found} == set(ASSETS)
    market_page = site / "briefs" / ASSET_WEEK.isoformat() / "index.html"
    market_links = {resolves(site, market_page, href) for href in parse(market_page).links}
    index = site / "assets" / "index.html"
    index_links = {resolves(site, index, href) for href in parse(index).links}
    for path in found:
        doc = json.loads(path.read_text(encoding="utf-8"))
        asset, week = path.parent.parent.name, path.parent.name
        page = site / "assets" / asset / week / "index.html"
        assert page.is_file(), f"no page for {asset} {week}"
        html = page.read_text(encoding="utf-8")
        assert doc["headline"].replace("&", "&amp;") in html
        for chart in doc["charts"]:  # its charts are published beside it
            assert (site / "assets" / asset / week / chart["png"]).is_file()
        assert page in market_links, f"the market brief of {week} does not link {asset}'s brief"
        asset_index = site / "assets" / asset / "index.html"
        assert page in {resolves(site, asset_index, href) for href in parse(asset_index).links}
        assert asset_index in index_links
        # and back: the asset's brief links the market brief of its week
        assert market_page in {resolves(site, page, href) for href in parse(page).links}
    names = {entry["name"] for path in found for entry in json.loads(path.read_text())["assets"]
             if entry["id"] == path.parent.parent.name}
    assert "Briefs by coin:" in market_page.read_text(encoding="utf-8")
    assert all(f">{name}</a>" in market_page.read_text(encoding="utf-8") for name in names)


def test_a_week_without_asset_briefs_links_none(built):
    out, site = built
    older = site / "briefs" / WEEKS[0].isoformat() / "index.html"
    assert "Briefs by coin" not in older.read_text(encoding="utf-8")


def test_an_asset_folder_holding_another_assets_brief_is_refused(week_pool, asset_pool, tmp_path):  # noqa: F811
    from reports.core.errors import InputError

    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    shutil.copytree(asset_pool / "assets" / "bitcoin", out / "assets" / "dogecoin")
    with pytest.raises(InputError, match="about 'bitcoin', but its folder is assets/dogecoin/"):
        build(out, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_an_asset_id_that_is_a_folder_of_the_sites_assets_is_refused(week_pool, asset_pool, tmp_path):  # noqa: F811
    from reports.core.errors import InputError

    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    (out / "assets" / "css").mkdir(parents=True)
    shutil.copytree(asset_pool / "assets" / "bitcoin" / ASSET_WEEK.isoformat(), out / "assets" / "css" / ASSET_WEEK.isoformat())
    document = json.loads((out / "assets" / "css" / ASSET_WEEK.isoformat() / "brief.json").read_text())
    document["asset"] = "css"
    (out / "assets" / "css" / ASSET_WEEK.isoformat() / "brief.json").write_text(json.dumps(document))
    with pytest.raises(InputError, match="assets/css/ folder"):
        build(out, tmp_path / "site")


def test_each_asset_has_its_own_feeds_of_its_briefs_linked_from_its_pages(built):
    """A reader who follows one coin subscribes to assets/<id>/feed.xml: its entries are that coin's
    briefs only, at their own pages; the market feed stays the market briefs'."""
    import feedparser

    out, site = built
    for asset in ASSETS:
        series = sorted((out / "assets" / asset).glob("*/brief.json"))
        headlines = {json.loads(path.read_text(encoding="utf-8"))["headline"] for path in series}
        for name in ("feed.xml", "rss.xml"):
            feed = feedparser.parse((site / "assets" / asset / name).read_bytes())
            assert not feed.bozo, (asset, name, feed.get("bozo_exception"))
            assert {entry.title for entry in feed.entries} == headlines
            assert {entry.link for entry in feed.entries} == {f"{BASE}assets/{asset}/{path.parent.name}/" for path in series}
            assert feed.feed.link == f"{BASE}assets/{asset}/"
        index = (site / "assets" / asset / "index.html").read_text(encoding="utf-8")
        page = (site / "assets" / asset / ASSET_WEEK.isoformat() / "index.html").read_text(encoding="utf-8")
        for html, root in ((index, "../../"), (page, "../../../")):
            assert f'type="application/atom+xml" title="' in html and f'href="{root}assets/{asset}/feed.xml"' in html
    market = feedparser.parse((site / "feed.xml").read_bytes())
    assert {entry.link for entry in market.entries} == {f"{BASE}briefs/{week.isoformat()}/" for week in WEEKS}


# --- 404 ------------------------------------------------------------------------------------------

def test_the_404_page_links_home_and_the_archive_from_the_server_root(built):
    out, site = built
    page = site / "404.html"
    links = parse(page).links
    root = urlsplit(BASE).path
    assert root in links and root + "archive/" in links
    html = page.read_text(encoding="utf-8")
    assert 'href="/news/assets/css/site.css"' in html and '<meta name="robots" content="noindex">' in html
    assert "404.html" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_preview_server_answers_a_missing_page_with_the_404_page(built):
    from threading import Thread
    from urllib.error import HTTPError
    from urllib.request import urlopen

    from reports.publish.site.serve import make_server

    out, site = built
    server = make_server(site, 0, quiet=True)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(HTTPError) as answer:
            urlopen(f"http://127.0.0.1:{server.server_address[1]}/no/such/page/")
        assert answer.value.code == 404
        assert "Page not found" in answer.value.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()


# --- JSON-LD --------------------------------------------------------------------------------------

def brief_pages(site: Path, out: Path):
    for week_end in WEEKS:
        yield site / "briefs" / week_end.isoformat() / "index.html", out / week_end.isoformat() / "brief.json"
    for path in asset_briefs(out):
        yield site / "assets" / path.parent.parent.name / path.parent.name / "index.html", path


def test_each_brief_page_has_a_news_article_with_its_stable_dates(built):
    out, site = built
    for page, source in brief_pages(site, out):
        doc = json.loads(source.read_text(encoding="utf-8"))
        blocks = parse(page).json_ld
        assert len(blocks) == 1, page
        article = json.loads(blocks[0])
        week_end = datetime.fromisoformat(doc["week"]["end"]).date()
        monday_after = datetime(week_end.year, week_end.month, week_end.day, 6, tzinfo=timezone.utc) + timedelta(days=1)
        assert article["@type"] == "NewsArticle" and article["@context"] == "https://schema.org"
        assert article["headline"] == doc["headline"]
        assert datetime.fromisoformat(article["datePublished"]) == monday_after  # the week's, not the build's
        assert article["datePublished"] == doc["publishedAt"] and article["dateModified"] == doc["updatedAt"]
        address = BASE + page.parent.relative_to(site).as_posix() + "/"
        assert article["mainEntityOfPage"]["@id"] == address
        assert article["image"] == [address + chart["png"] for chart in doc["charts"]] and article["image"]
        for who in ("author", "publisher"):
            assert article[who]["@type"] == "Organization" and article[who]["name"]
            assert article[who]["logo"]["url"].startswith(BASE) and (site / article[who]["logo"]["url"].removeprefix(BASE)).is_file()


def test_a_headline_holding_a_closing_script_tag_stays_inside_the_json_ld(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    path = out / WEEKS[-1].isoformat() / "brief.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    hostile = 'Bitcoin </script><script>alert("x")</script> <!-- & \u2028 falls'
    document["headline"] = hostile
    path.write_text(json.dumps(document), encoding="utf-8")
    build(out, tmp_path / "site")
    html = (tmp_path / "site" / "briefs" / WEEKS[-1].isoformat() / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    ld = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(ld) == 1 and json.loads(ld[0])["headline"] == hostile


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text())
def test_script_json_never_ends_its_script_and_reads_back(text):
    from reports.publish.site.markup import script_json

    written = str(script_json({"headline": text}))
    assert "<" not in written and ">" not in written and "\u2028" not in written
    assert json.loads(written) == {"headline": text}


# --- sources, tags --------------------------------------------------------------------------------

def test_source_addresses_are_links(built):
    out, site = built
    wanted = {url.rstrip(".,;") for source in brief_json(out, WEEKS[-1])["sources"]
              for url in re.findall(r"https?://[^\s()]+", source["attribution"])}
    for page in (site / "briefs" / WEEKS[-1].isoformat() / "index.html", site / "index.html"):
        links = set(parse(page).links)
        assert wanted and wanted <= links, (page, wanted - links)


def test_tags_name_what_the_week_was_about_never_a_bare_ticker(built):
    out, site = built
    docs = [brief_json(out, week_end) for week_end in WEEKS] + [json.loads(p.read_text()) for p in asset_briefs(out)]
    for doc in docs:
        tickers = {entry["symbol"].lower() for entry in doc["assets"] if entry["symbol"].lower() != entry["name"].lower()}
        assert not set(doc["tags"]) & tickers, (doc["week"], doc["tags"])
        assert not {"weekly-brief", "crypto-market"} & set(doc["tags"])
        shapes = [tag for tag in doc["tags"] if tag in ("sell-off", "pullback", "range-bound", "advance", "rally")]
        assert len(shapes) == 1, doc["tags"]
    for week_end in WEEKS:  # the market brief's shape follows the total market value's move, worked out here
        market = brief_json(out, week_end)["market"]
        change = 100 * (market["total_market_cap_usd"] / market["total_market_cap_start_usd"] - 1)
        expected = ("sell-off" if change <= -5 else "rally" if change >= 5 else "pullback" if change <= -2
                    else "advance" if change >= 2 else "range-bound")
        assert expected in brief_json(out, week_end)["tags"], (week_end, change)
    weekly = [tuple(brief_json(out, week_end)["tags"]) for week_end in WEEKS]
    assert len(set(weekly)) == len(WEEKS)  # no two weeks carry the same tags
    names = {entry["name"].lower().replace(" ", "-") for doc in docs for entry in doc["assets"]}
    assert any(tag in names for tag in weekly[-1])  # the week's movers, by name


# --- the sign-up form (issue 18) ------------------------------------------------------------------

def test_no_sign_up_form_without_subscribe_url(built):
    out, site = built
    assert all(parse(page).forms == [] for page in site.rglob("index.html"))


def test_every_page_has_a_sign_up_form_posting_to_the_service(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    site = tmp_path / "site"
    build(out, site, subscribe_url=SUBSCRIBE)
    pages = sorted(site.rglob("index.html")) + [site / "404.html"]
    for page in pages:
        parsed = parse(page)
        assert [(form["action"], form["method"]) for form in parsed.forms] == [(SUBSCRIBE, "post")], page
        assert any(field.get("name") == "email" and field.get("type") == "email" for field in parsed.inputs)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(), st.sampled_from(["https://example.org/a?b=1&c=<x>", "http://x.test/", "(https://y.test/p).",
                                                         '"><script>', "javascript:alert(1)"])), max_size=6).map(" ".join))
def test_linked_text_reads_back_and_opens_no_element_but_its_links(text):
    from html import unescape

    from reports.publish.site.markup import linked

    written = str(linked(text))
    without_links = re.sub(r'<a href="[^"<>]*" rel="external">', "", written).replace("</a>", "")
    assert "<" not in without_links and ">" not in without_links  # only the links' own tags
    assert unescape(without_links) == text
    for href in re.findall(r'<a href="([^"]*)"', written):
        assert unescape(href).startswith(("http://", "https://"))
