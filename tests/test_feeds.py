"""The site's feeds against the rules of their specifications, one test per rule.

RSS 2.0 (https://www.rssboard.org/rss-specification): a channel has title, link (the site) and
description; an item has a title or a description; a guid with isPermaLink="true" is the item's
address; pubDate is an RFC 822 date; the channel image has url, title and link, its link and title
are the channel's, and its url is a GIF, JPEG or PNG of at most 144 by 400 pixels. Atom (RFC 4287):
a feed has exactly one id, title and updated, so does each entry; the feed's rel="self" link is its
own address and rel="alternate" the site's; content of type "html" holds escaped HTML.

The feeds are read with ElementTree and the standard library's date parsers, and expected values
come from brief.json read with the json module, not from the site's own reader.
"""

from __future__ import annotations

import re
import struct
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import feedparser
import pytest

from conftest import run_cli
from site_weeks import WEEKS, brief_json, copy_weeks, week_pool  # noqa: F401 - fixture

pytestmark = pytest.mark.slow
BASE = "https://brief.example.com/news/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
NAME = "The Weekly Crypto Brief"  # the publication_name default
TAGLINE = "What moved the crypto market this week, from the data."
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} (\+|-)\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def build_site(out: Path, site: Path, base_url: str = BASE) -> None:
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site as build

    build(load_settings(flags={"out_dir": out, "site_dir": site, "base_url": base_url}))


@pytest.fixture(scope="module")
def built(week_pool, tmp_path_factory):  # noqa: F811 - the fixture imported above
    root = tmp_path_factory.mktemp("feeds")
    out = copy_weeks(week_pool, root / "out", WEEKS)
    build_site(out, root / "site")
    return out, root / "site"


@pytest.fixture(scope="module")
def rss(built) -> ET.Element:
    return ET.parse(built[1] / "rss.xml").getroot().find("channel")


@pytest.fixture(scope="module")
def atom(built) -> ET.Element:
    return ET.parse(built[1] / "feed.xml").getroot()


def site_file(site: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return site / urlsplit(url).path.removeprefix(urlsplit(BASE).path)


def one(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.findall(tag)
    assert len(found) == 1, f"{len(found)} {tag} elements in {parent.tag}"
    return found[0]


@pytest.mark.parametrize("name, version", [("feed.xml", "atom10"), ("rss.xml", "rss20")])
def test_feedparser_reads_both_feeds_without_bozo(built, name, version):
    feed = feedparser.parse((built[1] / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert len(feed.entries) == len(WEEKS)


# --- RSS 2.0 ------------------------------------------------------------------------------------------

def test_rss_channel_has_title_link_to_the_site_and_description(rss):
    assert one(rss, "title").text == NAME
    assert one(rss, "link").text == BASE  # the site's home page, not a feed
    assert one(rss, "description").text == TAGLINE


def test_rss_items_have_a_title_or_a_description(rss, built):
    items = rss.findall("item")
    assert len(items) == len(WEEKS)
    for item, week_end in zip(items, sorted(WEEKS, reverse=True)):
        doc = brief_json(built[0], week_end)
        assert item.findtext("title") == doc["headline"]
        assert item.findtext("description") == doc["description"]


def test_rss_guid_is_a_permalink_to_the_brief(rss):
    for item, week_end in zip(rss.findall("item"), sorted(WEEKS, reverse=True)):
        guid = one(item, "guid")
        assert guid.get("isPermaLink") == "true"
        assert guid.text == item.findtext("link") == f"{BASE}briefs/{week_end}/"


def test_rss_pubdate_is_rfc_822_and_the_briefs_publication_time(rss, built):
    for item, week_end in zip(rss.findall("item"), sorted(WEEKS, reverse=True)):
        text = one(item, "pubDate").text
        assert RFC822.match(text), text
        published = datetime.fromisoformat(brief_json(built[0], week_end)["publishedAt"])
        assert parsedate_to_datetime(text) == published
    assert parsedate_to_datetime(rss.findtext("lastBuildDate")) == max(
        datetime.fromisoformat(brief_json(built[0], week)["updatedAt"]) for week in WEEKS)


def test_rss_image_has_url_title_and_link_and_links_where_the_channel_does(rss):
    image = one(rss, "image")
    assert one(image, "url").text
    assert one(image, "title").text == rss.findtext("title")
    assert one(image, "link").text == rss.findtext("link") == BASE


def test_rss_image_is_a_png_of_at_most_144_by_400_pixels(rss, built):
    image = one(rss, "image")
    data = site_file(built[1], image.findtext("url")).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"  # the PNG signature: the file is published and is a PNG
    width, height = struct.unpack(">II", data[16:24])
    assert width <= 144 and height <= 400
    assert (int(image.findtext("width")), int(image.findtext("height"))) == (width, height)


def test_rss_self_link_is_the_rss_feed_itself(rss):
    selves = [link for link in rss.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in selves] == [BASE + "rss.xml"]


def test_rss_items_carry_the_full_text_as_content_encoded(rss, built):
    for item, week_end in zip(rss.findall("item"), sorted(WEEKS, reverse=True)):
        assert_full_content(one(item, f"{CONTENT}encoded").text, built, week_end)


# --- Atom (RFC 4287) ------------------------------------------------------------------------------------

def test_atom_feed_has_one_id_title_and_updated(atom, built):
    assert atom.tag == f"{ATOM}feed"
    assert one(atom, f"{ATOM}id").text == BASE
    assert one(atom, f"{ATOM}title").text == NAME
    updated = one(atom, f"{ATOM}updated").text
    assert RFC3339.match(updated), updated
    assert datetime.fromisoformat(updated) == max(
        datetime.fromisoformat(brief_json(built[0], week)["updatedAt"]) for week in WEEKS)


def test_atom_entries_have_one_id_title_and_updated(atom, built):
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == len(WEEKS)
    for entry, week_end in zip(entries, sorted(WEEKS, reverse=True)):
        doc = brief_json(built[0], week_end)
        assert one(entry, f"{ATOM}id").text == f"{BASE}briefs/{week_end}/"
        assert one(entry, f"{ATOM}title").text == doc["headline"]
        updated = one(entry, f"{ATOM}updated").text
        assert RFC3339.match(updated), updated
        assert datetime.fromisoformat(updated) == datetime.fromisoformat(doc["updatedAt"])
        assert datetime.fromisoformat(one(entry, f"{ATOM}published").text) == datetime.fromisoformat(doc["publishedAt"])


def test_atom_self_link_is_the_atom_feed_itself(atom):
    selves = [link for link in atom.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in selves] == [BASE + "feed.xml"]


def test_atom_alternate_links_are_the_site_and_each_brief(atom):
    alternates = [link for link in atom.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    assert [link.get("href") for link in alternates] == [BASE]
    for entry, week_end in zip(atom.findall(f"{ATOM}entry"), sorted(WEEKS, reverse=True)):
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert [link.get("href") for link in alternates] == [f"{BASE}briefs/{week_end}/"]


def test_atom_content_is_html(atom, built):
    for entry, week_end in zip(atom.findall(f"{ATOM}entry"), sorted(WEEKS, reverse=True)):
        content = one(entry, f"{ATOM}content")
        assert content.get("type") == "html"
        assert not list(content)  # escaped HTML is text, not child elements
        assert_full_content(content.text, built, week_end)


# --- what both feeds hold -----------------------------------------------------------------------------

class Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def assert_full_content(html: str | None, built, week_end: date) -> None:
    """The entry holds the brief's body (a sentence from the middle of it, not only the dek) and its lead
    chart at an absolute address that the site serves."""
    out, site = built
    doc = brief_json(out, week_end)
    parsed = Html()
    parsed.feed(html or "")
    text = " ".join("".join(parsed.text).split())
    body = [block["text"] for section in doc["sections"] for block in section["blocks"] if block["type"] == "paragraph"]
    assert body[-1] in text and body[0] in text
    for section in doc["sections"]:
        assert section["title"] in text
    lead = f"{BASE}briefs/{week_end}/{doc['charts'][0]['png']}"
    assert parsed.images and parsed.images[0]["src"] == lead
    assert all(image["src"].startswith(BASE) for image in parsed.images)
    assert site_file(site, lead).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_favicon_is_an_icon_at_the_site_root(built):
    data = (built[1] / "favicon.ico").read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00"  # ICONDIR: reserved 0, type 1 (icon)
    assert struct.unpack("<H", data[4:6])[0] >= 1


# --- order and stability --------------------------------------------------------------------------------

def build_week(out: Path, week_end: date, epoch: int, monkeypatch, formats=("json",)) -> None:
    from reports.build.pipeline import build_brief
    from reports.core.settings import load_settings

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    build_brief(load_settings(flags={"week_ending": week_end, "out_dir": out, "formats": formats}))


def test_entries_are_in_week_order_when_weeks_were_built_out_of_order(tmp_path, monkeypatch):
    out = tmp_path / "out"
    late = int(datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp())  # a backfill run long after the weeks
    built_order = (WEEKS[2], WEEKS[0], WEEKS[3], WEEKS[1])
    for number, week_end in enumerate(built_order):
        build_week(out, week_end, late + 3600 * number, monkeypatch)
    build_site(out, tmp_path / "site")
    newest_first = sorted(WEEKS, reverse=True)
    for name, version in (("feed.xml", "atom10"), ("rss.xml", "rss20")):
        feed = feedparser.parse((tmp_path / "site" / name).read_bytes())
        assert [entry.link for entry in feed.entries] == [f"{BASE}briefs/{week}/" for week in newest_first], name
        # each week dated the Monday after it at 06:00 UTC (the default publish time), not when it was built
        expected = [datetime.combine(week + timedelta(days=1), datetime.min.time().replace(hour=6), timezone.utc)
                    for week in newest_first]
        published = [datetime(*entry.published_parsed[:6], tzinfo=timezone.utc) for entry in feed.entries]
        assert published == expected, name


def test_the_feeds_put_the_newest_week_first_whatever_order_they_are_given(built):
    from reports.core.settings import load_settings
    from reports.publish.site.briefs import find_briefs
    from reports.publish.site.feeds import feeds

    out, _site = built
    briefs = find_briefs(out)
    shuffled = [briefs[index] for index in (2, 0, 3, 1)]
    written = feeds(shuffled, load_settings(flags={"base_url": BASE}))
    for name in ("feed.xml", "rss.xml"):
        links = [entry.link for entry in feedparser.parse(written[name]).entries]
        assert links == [f"{BASE}briefs/{week}/" for week in sorted(WEEKS, reverse=True)], name


def test_an_unchanged_rebuild_leaves_both_feeds_byte_identical(week_pool, tmp_path, monkeypatch):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[:2])
    build_site(out, tmp_path / "site")
    before = {name: (tmp_path / "site" / name).read_bytes() for name in ("feed.xml", "rss.xml")}
    later = int(datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp())
    build_week(out, WEEKS[1], later, monkeypatch, ("md", "json"))  # rebuilt months later, as pooled: same content
    build_site(out, tmp_path / "site")
    assert {name: (tmp_path / "site" / name).read_bytes() for name in before} == before


# --- base_url still the localhost default ----------------------------------------------------------------

def test_deploy_with_the_localhost_base_url_is_refused(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    result = run_cli("site", "--deploy", "--briefs", str(out), "--out", str(tmp_path / "site"))
    assert result.exit_code == 2, result.output
    assert "base_url" in result.stderr and "http://localhost:8000/" in result.stderr
    assert not (tmp_path / "site").exists()  # nothing published


def test_deploy_with_a_public_base_url_publishes(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    result = run_cli("site", "--deploy", "--briefs", str(out), "--out", str(tmp_path / "site"), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert (tmp_path / "site" / "rss.xml").is_file()


def test_a_site_built_for_localhost_warns_in_one_line(week_pool, tmp_path):  # noqa: F811
    out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
    result = run_cli("site", "--briefs", str(out), "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "base_url" in lines[0] and "localhost" in lines[0], result.stderr
    assert "http://localhost:8000/rss.xml" in (tmp_path / "site" / "rss.xml").read_text(encoding="utf-8")


def test_a_brief_built_for_localhost_warns_in_one_line(tmp_path):
    result = run_cli("brief", "--week-ending", WEEKS[-1].isoformat(), "--formats", "json", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "base_url" in lines[0], result.stderr
    quiet = run_cli("brief", "--week-ending", WEEKS[-1].isoformat(), "--formats", "json", "--out", str(tmp_path),
                    env={"BRIEF_BASE_URL": BASE})
    assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr
