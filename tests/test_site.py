"""The static site built from real weeks: links, feeds, sitemap, social tags, atomic and incremental
publishing, template overrides and bad input. Browser checks are in test_site_browser.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from datetime import datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from threading import Thread
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import feedparser
import pytest

from conftest import raw_rows, run_cli
from site_weeks import PDF_WEEK, WEEKS, brief_json, copy_weeks, snapshot, week_pool  # noqa: F401 - fixture

pytestmark = pytest.mark.slow
BASE = "https://brief.example.com/news/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def build(out: Path, site: Path, *extra: str):
    return run_cli("site", "--out", str(site), "--briefs", str(out), "--base-url", BASE, *extra)


@pytest.fixture(scope="module")
def built(week_pool, tmp_path_factory):  # noqa: F811 - the fixture imported above
    """A site of all four pooled weeks, built once for the read-only checks."""
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site

    root = tmp_path_factory.mktemp("built")
    out = copy_weeks(week_pool, root / "out", WEEKS)
    site = root / "site"
    build_site(load_settings(flags={"out_dir": out, "site_dir": site, "base_url": BASE}))
    return out, site


class Links(HTMLParser):
    """Every href/src of a page, and its <meta> and <link rel=canonical> values."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.loads: list[str] = []  # what a browser fetches to show the page: src, stylesheets, icons

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.refs.append(attrs[name])
        if attrs.get("src") or (tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "preload")):
            self.loads.append(attrs.get("src") or attrs["href"])
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), []).append(attrs.get("content"))


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def site_file(site: Path, url: str) -> Path:
    """The file a site-relative URL (already resolved against the page's address) is served from."""
    path = site / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def address(site: Path, page: Path) -> str:
    relative = page.parent.relative_to(site).as_posix()
    return BASE + ("" if relative == "." else relative + "/")


# --- structure -----------------------------------------------------------------------------------

def test_every_internal_link_and_source_resolves_to_a_file(built):
    out, site = built
    checked = 0
    for page in pages(site):
        here = "http://local/" + page.relative_to(site).as_posix()
        for ref in parse(page).refs:
            if ref.startswith(("http://", "https://", "mailto:")) or ref.startswith("#"):
                continue
            target = site_file(site, urljoin(here, ref.split("#")[0]).removeprefix("http://local/"))
            assert target.is_file(), f"{page.relative_to(site)} links to {ref}, which is not in the site"
            checked += 1
    assert checked > 200
    for css in site.rglob("*.css"):  # fonts referenced from the stylesheets are shipped too
        for ref in re.findall(r'url\("?([^")]+)"?\)', css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "'data:")):  # an inline picture (Pagefind's search icon): nothing to load
                continue
            assert not ref.startswith(("http:", "https:", "//")), f"{css.name} loads {ref} from outside"
            assert (css.parent / ref).resolve().is_file(), f"{css.name} refers to missing {ref}"


def test_pages_have_a_permalink_per_week_with_previous_and_next(built):
    out, site = built
    newest_first = sorted(WEEKS, reverse=True)
    for index, week_end in enumerate(newest_first):
        page = site / "briefs" / week_end.isoformat() / "index.html"
        html = page.read_text(encoding="utf-8")
        assert brief_json(out, week_end)["headline"] in unescape(html)
        older = newest_first[index + 1] if index + 1 < len(newest_first) else None
        newer = newest_first[index - 1] if index > 0 else None
        assert (f'rel="prev" href="../../briefs/{older}/"' in html) == (older is not None)
        assert (f'rel="next" href="../../briefs/{newer}/"' in html) == (newer is not None)


def test_home_shows_the_latest_brief_with_takeaways_charts_and_downloads(built):
    out, site = built
    latest = brief_json(out, PDF_WEEK)
    html = (site / "index.html").read_text(encoding="utf-8")
    text = unescape(html)
    assert latest["headline"] in text and latest["description"] in text
    takeaways = next(s for s in latest["sections"] if s["id"] == "key-takeaways")
    for item in takeaways["blocks"][0]["items"]:
        assert item["text"] in text
    for chart in latest["charts"]:
        assert f'id="chart-{chart["chart"]}"' in html
        assert f'<img src="./briefs/{PDF_WEEK}/{chart["png"]}" alt="' in html  # the PNG published beside the page
        assert f'alt="{chart["alt"]["text"]}"' in text
    words = unescape(re.sub(r"<[^>]+>", "", html))  # as read: the addresses in them are links
    for attribution in latest["attributions"]:  # the data licences travel with the charts
        assert attribution in words
    for download in ("brief.pdf", "brief.md", "brief.json"):
        assert f'href="./briefs/{PDF_WEEK}/{download}"' in html
    older = (site / "briefs" / WEEKS[0].isoformat() / "index.html").read_text(encoding="utf-8")
    assert "brief.pdf" not in older, "a week built without a PDF must not link one"


def test_archive_lists_every_week_newest_first_with_sentiment_and_headline(built):
    out, site = built
    html = (site / "archive" / "index.html").read_text(encoding="utf-8")
    positions = []
    for week_end in WEEKS:
        doc = brief_json(out, week_end)
        item = re.search(rf'<time datetime="{week_end}">.*?</li>', html, re.S).group(0)
        assert doc["sentiment"].title() in item and doc["headline"] in unescape(item)
        positions.append(html.index(f'datetime="{week_end}"'))
    assert positions == sorted(positions, reverse=True)


def test_archive_paginates(week_pool, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr("reports.publish.site.pages.ARCHIVE_PAGE_SIZE", 3)
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS)
    assert build(out, tmp_path / "site").exit_code == 0
    first = (tmp_path / "site/archive/index.html").read_text(encoding="utf-8")
    second = (tmp_path / "site/archive/page/2/index.html").read_text(encoding="utf-8")
    assert [f'datetime="{w}"' in first for w in WEEKS] == [False, True, True, True]
    assert [f'datetime="{w}"' in second for w in WEEKS] == [True, False, False, False]
    assert 'href="../../../archive/"' in second and 'href="../archive/page/2/"' in first


def test_markdown_pdf_and_charts_are_published_as_built(built):
    out, site = built
    for week_end in WEEKS:
        source, published = out / week_end.isoformat(), site / "briefs" / week_end.isoformat()
        for path in source.rglob("*"):
            if path.is_file() and path.name != ".dates.json":  # the build's record, not a file of the site
                assert (published / path.relative_to(source)).read_bytes() == path.read_bytes()
        markdown = (published / "brief.md").read_text(encoding="utf-8")
        assert markdown.startswith("---\ntitle: ")
        for image in re.findall(r"\]\((charts/[^)]+)\)", markdown):
            assert (published / image).is_file()


def test_tag_pages_list_their_weeks(built):
    out, site = built
    for week_end in WEEKS:
        for tag in brief_json(out, week_end)["tags"]:
            assert f'datetime="{week_end}"' in (site / "tags" / tag / "index.html").read_text(encoding="utf-8")


# --- feeds, sitemap, social cards ---------------------------------------------------------------

@pytest.mark.parametrize("name, version", [("feed.xml", "atom10"), ("rss.xml", "rss20")])
def test_feeds_parse_and_hold_every_week_newest_first(built, name, version):
    out, site = built
    feed = feedparser.parse((site / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    newest_first = sorted(WEEKS, reverse=True)
    assert [entry.link for entry in feed.entries] == [f"{BASE}briefs/{w}/" for w in newest_first]
    assert [entry.id for entry in feed.entries] == [f"{BASE}briefs/{w}/" for w in newest_first]
    for entry, week_end in zip(feed.entries, newest_first):
        doc = brief_json(out, week_end)
        assert entry.title == doc["headline"]
        assert entry.summary == doc["description"]
        stamp = datetime.fromisoformat(doc["updatedAt" if version == "atom10" else "publishedAt"])
        parsed = entry.updated_parsed if version == "atom10" else entry.published_parsed
        assert datetime(*parsed[:6], tzinfo=stamp.tzinfo) == stamp
        assert {tag.term for tag in entry.tags} == set(doc["tags"])
    newest = max(datetime.fromisoformat(brief_json(out, w)["updatedAt"]) for w in WEEKS)
    parsed = feed.feed.updated_parsed
    assert datetime(*parsed[:6], tzinfo=newest.tzinfo) == newest


def test_atom_feed_has_the_required_elements(built):
    out, site = built
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == f"{atom}feed"
    for element in ("id", "title", "updated", "author"):
        assert root.find(f"{atom}{element}") is not None
    assert root.find(f"{atom}link[@rel='self']").get("href") == BASE + "feed.xml"
    for entry in root.findall(f"{atom}entry"):
        for element in ("id", "title", "updated", "summary", "published"):
            assert entry.find(f"{atom}{element}") is not None and entry.find(f"{atom}{element}").text


def test_sitemap_lists_every_page_and_robots_points_to_it(built):
    out, site = built
    listed = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", SITEMAP_NS)}
    assert listed == {address(site, page) for page in pages(site)}
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text(encoding="ascii")


def test_canonical_and_social_tags_use_absolute_addresses(built):
    out, site = built
    for page in pages(site):
        links = parse(page)
        assert links.canonical == address(site, page)
        assert links.meta["og:url"] == [links.canonical]
        image = links.meta["og:image"][0]
        assert image.startswith(BASE) and image.endswith(".png")
        assert site_file(site, image.removeprefix(BASE)).is_file()
        assert links.meta["twitter:card"] == ["summary_large_image"]
        assert links.meta["twitter:image"] == [image]
    brief_page = parse(site / "briefs" / PDF_WEEK.isoformat() / "index.html")
    main_chart = brief_json(out, PDF_WEEK)["charts"][0]
    assert brief_page.meta["og:image"] == [f"{BASE}briefs/{PDF_WEEK}/{main_chart['png']}"]
    assert brief_page.meta["og:image:alt"] == [main_chart["alt"]["text"]]
    assert brief_page.meta["og:type"] == ["article"]
    assert brief_page.meta["og:title"] == brief_page.meta["twitter:title"] == [brief_json(out, PDF_WEEK)["headline"]]


def test_pages_load_nothing_from_outside_and_need_no_script(built):
    out, site = built
    for page in pages(site):
        links = parse(page)
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b([^>]*)>", html)
        if page.parent.name == "search":  # the one page that runs a script: Pagefind's UI, from the site itself
            assert scripts and all(re.search(r'src="[^":]+"', attrs) for attrs in scripts), scripts
        else:  # anything else holds data only (JSON-LD), nothing a browser runs
            assert all(attrs == ' type="application/ld+json"' for attrs in scripts), scripts
        assert links.loads and all(not urlsplit(ref).scheme and not ref.startswith("//") for ref in links.loads), links.loads


# --- publishing: atomic and incremental ---------------------------------------------------------

@pytest.mark.parametrize("stage", ["rendering a page", "writing a file"])
def test_a_failed_build_leaves_the_live_site_byte_identical(week_pool, tmp_path, monkeypatch, stage):  # noqa: F811
    from reports.publish.site import pages as pages_module
    from reports.publish.site import publish as publish_module

    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[:3])
    site = tmp_path / "site"
    assert build(out, site).exit_code == 0
    before = snapshot(site)
    copy_weeks(week_pool, out, WEEKS[3:])  # a new week, so the next build has work to do
    owner, name = (pages_module.Pages, "brief") if stage == "rendering a page" else (publish_module, "_write")
    original = getattr(owner, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("injected failure midway")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)
    result = build(out, site)
    assert result.exit_code == 1 and "injected failure midway" in result.stderr
    assert len(calls) == 3
    assert snapshot(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "site"], "no staging folder left behind"


def test_adding_a_week_rewrites_only_what_changed(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[:3])
    site = tmp_path / "site"
    assert build(out, site).exit_code == 0
    before = snapshot(site)
    again = build(out, site)
    assert "0 files written" in again.output and snapshot(site) == before

    copy_weeks(week_pool, out, WEEKS[3:])
    result = build(out, site)
    assert result.exit_code == 0
    after = snapshot(site)
    oldest, previous_latest = WEEKS[0].isoformat(), WEEKS[2].isoformat()
    untouched = [path for path in before if path.startswith(f"briefs/{oldest}/") or path.startswith("assets/")]
    assert untouched
    for path in untouched:
        assert after[path] == before[path], f"{path} was rewritten although nothing it shows changed"
    for path in ("index.html", "feed.xml", "rss.xml", "sitemap.xml", "archive/index.html",
                 f"briefs/{previous_latest}/index.html"):  # its "next week" link is new
        assert after[path][0] != before[path][0] and after[path][1] != before[path][1], path
    assert f"briefs/{WEEKS[3]}/index.html" in after and f"briefs/{WEEKS[3]}/index.html" not in before


def test_the_live_folder_is_exchanged_in_one_step(tmp_path):
    from reports.core.atomic import _exchange

    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "old.html").write_text("old")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "new.html").write_text("new")
    if not _exchange(tmp_path / "new", tmp_path / "live"):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE); publishing falls back to two renames")
    assert [p.name for p in (tmp_path / "live").iterdir()] == ["new.html"]
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["old.html"]


def test_a_removed_week_disappears_from_the_site(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[:2])
    site = tmp_path / "site"
    assert build(out, site).exit_code == 0
    shutil.rmtree(out / WEEKS[0].isoformat())
    assert build(out, site).exit_code == 0
    assert not (site / "briefs" / WEEKS[0].isoformat()).exists()
    assert str(WEEKS[0]) not in (site / "sitemap.xml").read_text(encoding="utf-8")


# --- template overrides and inputs --------------------------------------------------------------

def test_template_override_folder_replaces_templates_and_assets(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    overrides = tmp_path / "brand"
    (overrides / "assets" / "css").mkdir(parents=True)
    (overrides / "static").mkdir()
    (overrides / "footer.html.j2").write_text('<footer class="site-footer"><p>Brought to you by Acme Research</p></footer>\n')
    (overrides / "head_extra.html.j2").write_text('<meta name="analytics" content="acme-123">\n')
    (overrides / "assets" / "css" / "site.css").write_text("body { color: rebeccapurple; }\n")
    (overrides / "static" / "CNAME").write_text("brief.example.com\n")
    result = build(out, tmp_path / "site", "--templates", str(overrides))
    assert result.exit_code == 0, result.output
    for page in pages(tmp_path / "site"):
        html = page.read_text(encoding="utf-8")
        assert "Brought to you by Acme Research" in html and 'content="acme-123"' in html
        assert "nothing here is investment advice" not in html  # the shipped footer is gone
    assert (tmp_path / "site/assets/css/site.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (tmp_path / "site/CNAME").read_text() == "brief.example.com\n"
    assert (tmp_path / "site/assets/fonts/inter-latin-400-normal.woff2").is_file()  # the rest still shipped


def test_only_date_folders_are_weeks(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    (out / "assets" / "bitcoin" / "notes").mkdir(parents=True)  # an asset's folder without briefs: no pages
    (out / "notes").mkdir()
    (out / "2026-13-45").mkdir()
    assert build(out, tmp_path / "site").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "site" / "briefs").iterdir()) == [PDF_WEEK.isoformat()]
    assert not (tmp_path / "site" / "assets" / "bitcoin").exists() and not (tmp_path / "site" / "assets" / "index.html").exists()


def test_a_damaged_brief_is_a_clear_error_and_the_site_is_kept(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-2:])
    site = tmp_path / "site"
    assert build(out, site).exit_code == 0
    before = snapshot(site)
    damaged = out / WEEKS[-2].isoformat() / "brief.json"
    damaged.write_text('{"schema": "crypto-weekly-brief/1",\n "headline": }')
    result = build(out, site)
    assert result.exit_code == 2
    assert f"{damaged}, line 2, column 14: not valid JSON" in result.stderr
    assert f"--week-ending {WEEKS[-2]}" in result.stderr
    damaged.write_text('{"schema": "something-else/2"}')
    result = build(out, site)
    assert result.exit_code == 2 and "not a brief of schema crypto-weekly-brief/1" in result.stderr
    document = brief_json(out, WEEKS[-1])  # a whole brief, one field wrong
    document["week"] = {**document["week"], "end": "the week's end"}
    damaged.write_text(json.dumps(document))
    result = build(out, site)
    assert result.exit_code == 2 and f"{damaged}: field 'week.end': Input should be a valid date" in result.stderr
    assert f"--week-ending {WEEKS[-2]}" in result.stderr
    assert snapshot(site) == before


@pytest.mark.parametrize("args, message", [
    (["--base-url", "brief.example.com"], "is not an absolute http(s) address"),
    (["--templates", "no-such-folder"], "no such templates folder"),
])
def test_bad_options_are_usage_errors(week_pool, tmp_path, args, message):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    result = run_cli("site", "--out", str(tmp_path / "site"), "--briefs", str(out), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "site").exists()


def test_missing_briefs_folder_is_a_usage_error(tmp_path):
    result = run_cli("site", "--out", str(tmp_path / "site"), "--briefs", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "--build-missing" in result.stderr


# --- serve ------------------------------------------------------------------------------------

def test_serve_serves_the_site_on_localhost(built):
    from reports.publish.site.serve import make_server

    out, site = built
    server = make_server(site, 0, quiet=True)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with urllib.request.urlopen(base) as response:
            assert response.status == 200 and b"<h1>" in response.read()
        with urllib.request.urlopen(f"{base}briefs/{PDF_WEEK}/brief.md") as response:
            assert response.headers["Content-Type"].startswith("text/markdown")
    finally:
        server.shutdown()
        server.server_close()


def test_serve_refuses_a_folder_without_a_site(tmp_path):
    result = run_cli("serve", str(tmp_path))
    assert result.exit_code == 2 and "no site here" in result.stderr


def test_build_missing_builds_only_the_weeks_without_a_brief(tmp_path):
    from reports.build.pipeline import load_data
    from reports.core.settings import load_settings
    from reports.cli.missing_weeks import buildable_weeks

    settings = load_settings()
    weeks = buildable_weeks(load_data(settings), settings)
    # Each buildable week ends on a Sunday priced in the raw file, as is the Sunday before it.
    priced = {row["date"] for row in raw_rows("coingecko_top100_daily.csv") if row["price_usd"]}
    assert len(weeks) > 10
    for week_end in weeks:
        assert week_end.weekday() == 6
        assert week_end.isoformat() in priced and (week_end - timedelta(days=7)).isoformat() in priced
    out = tmp_path / "out"
    for week_end in weeks[:-1]:  # every week but the newest "built" (placeholders, never read here)
        (out / week_end.isoformat()).mkdir(parents=True)
        (out / week_end.isoformat() / "brief.json").write_text("{}")
    result = run_cli("site", "--out", str(tmp_path / "site"), "--briefs", str(out), "--build-missing",
                     "--formats", "md")
    built_now = out / weeks[-1].isoformat()
    assert f"[1/1] {built_now}" in result.stderr
    assert sorted(p.name for p in built_now.iterdir()) == [".dates.json", "brief.json", "brief.md", "charts"]  # json added
    assert result.exit_code == 2 and "not a brief of schema" in result.stderr  # the placeholders are refused
    assert not (tmp_path / "site").exists()
