"""Stable dates: a brief is published at a time that belongs to its week, and updated only when its
content changes. Real weeks built through the pipeline, then the site built from them."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import feedparser
import pytest
from jinja2 import ChoiceLoader, DictLoader

from reports.build.dates import DATES_FILE, scheduled
from reports.core.settings import load_settings

pytestmark = pytest.mark.slow
BASE = "https://brief.example.com/"
WEEK = date(2026, 3, 15)  # a Sunday
LATER = "1790000000"  # 2026-09-21: a rebuild long after the week


def _build(out: Path, week_end: date = WEEK):
    from reports.build.pipeline import build_brief

    return build_brief(load_settings(flags={"week_ending": week_end, "out_dir": out, "formats": ("html", "md", "json")}))


def _site(out: Path, site: Path) -> dict[str, bytes]:
    from reports.publish.site.build import build_site

    build_site(load_settings(flags={"out_dir": out, "site_dir": site, "base_url": BASE}))
    return {name: (site / name).read_bytes() for name in ("feed.xml", "rss.xml", "sitemap.xml")}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _dates(folder: Path) -> tuple[str, str]:
    doc = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    return doc["publishedAt"], doc["updatedAt"]


@pytest.mark.parametrize(("week_end", "day", "at", "expected"), [
    (date(2026, 3, 15), "monday", "06:00", datetime(2026, 3, 16, 6, tzinfo=timezone.utc)),  # Sunday week
    (date(2026, 2, 6), "monday", "06:00", datetime(2026, 2, 9, 6, tzinfo=timezone.utc)),  # Friday week
    (date(2026, 3, 16), "monday", "06:00", datetime(2026, 3, 23, 6, tzinfo=timezone.utc)),  # ends on a Monday
    (date(2026, 3, 15), "sunday", "18:30", datetime(2026, 3, 22, 18, 30, tzinfo=timezone.utc)),
])
def test_the_publication_time_is_the_first_publish_day_after_the_week(week_end, day, at, expected):
    assert scheduled(week_end, load_settings(flags={"publish_day": day, "publish_time": at})) == expected


@pytest.mark.parametrize("bad", ["6:00", "24:00", "06:60", "noon"])
def test_a_publish_time_is_hours_and_minutes(bad):
    from reports.core.errors import UsageError

    with pytest.raises(UsageError, match="publish_time"):
        load_settings(flags={"publish_time": bad})


def test_a_brief_is_dated_by_its_week_not_the_build_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    folder = _build(tmp_path / "out").folder
    assert _dates(folder) == ("2026-03-16T06:00:00Z", "2026-03-16T06:00:00Z")
    front = (folder / "brief.md").read_text(encoding="utf-8")
    assert "\ndate: 2026-03-16 06:00:00+00:00\nlastmod: 2026-03-16 06:00:00+00:00\n" in front and "2026-09" not in front
    assert 'content="2026-03-16T06:00:00Z"' in (folder / "brief.html").read_text(encoding="utf-8")


def test_rebuilding_an_unchanged_week_changes_no_byte_of_it_its_feeds_or_sitemap(tmp_path, monkeypatch):
    out = tmp_path / "out"
    folder = _build(out).folder
    first, site = _files(folder), _site(out, tmp_path / "site1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)  # months later, another clock
    _build(out)
    assert _files(folder) == first
    assert _site(out, tmp_path / "site2") == site


def test_a_template_change_moves_updated_at_not_the_publication_date(tmp_path, monkeypatch):
    from reports.render import templating

    out = tmp_path / "out"
    folder = _build(out).folder
    before = json.loads((folder / DATES_FILE).read_text(encoding="ascii"))
    feed_before = feedparser.parse(_site(out, tmp_path / "site1")["feed.xml"])

    source = (templating.TEMPLATES / "brief.md.j2").read_text(encoding="utf-8")
    edited = templating.markdown_environment.__wrapped__()
    edited.loader = ChoiceLoader([DictLoader({"brief.md.j2": source + "\nA corrected line.\n"}), edited.loader])
    monkeypatch.setattr("reports.render.markdown.markdown_environment", lambda: edited)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    _build(out)

    assert (folder / "brief.md").read_text(encoding="utf-8").endswith("A corrected line.\n")
    assert _dates(folder) == ("2026-03-16T06:00:00Z", "2026-09-21T14:13:20Z")
    after = json.loads((folder / DATES_FILE).read_text(encoding="ascii"))
    assert after["publishedAt"] == before["publishedAt"] and after["content"] != before["content"]
    markdown = (folder / "brief.md").read_text(encoding="utf-8")
    assert "\ndate: 2026-03-16 06:00:00+00:00\nlastmod: 2026-09-21 14:13:20+00:00\n" in markdown
    site = _site(out, tmp_path / "site2")
    entry = feedparser.parse(site["feed.xml"]).entries[0]
    assert entry.published == feed_before.entries[0].published == "2026-03-16T06:00:00+00:00"
    assert entry.updated == "2026-09-21T14:13:20+00:00" != feed_before.entries[0].updated
    assert b"<lastmod>2026-09-21T14:13:20Z</lastmod>" in site["sitemap.xml"]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(LATER) + 86400))  # the same edit built again: no move
    _build(out)
    assert _dates(folder) == ("2026-03-16T06:00:00Z", "2026-09-21T14:13:20Z")


def test_the_first_publication_time_is_kept_in_the_folder(tmp_path):
    out = tmp_path / "out"
    folder = _build(out).folder
    from reports.build.pipeline import build_brief

    build_brief(load_settings(flags={"week_ending": WEEK, "out_dir": out, "formats": ("html", "md", "json"),
                                     "publish_time": "09:30"}))
    assert _dates(folder)[0] == "2026-03-16T06:00:00Z"  # a later setting dates later weeks, not this one


def test_backfilled_weeks_come_in_week_order_in_the_feeds(tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    _build(out, date(2026, 3, 22))  # the newer week built first...
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790003600")
    _build(out, date(2026, 3, 15))  # ...the older one an hour later
    site = _site(out, tmp_path / "site")
    for name in ("feed.xml", "rss.xml"):
        entries = feedparser.parse(site[name]).entries
        assert [e.link.rstrip("/").rsplit("/", 1)[-1] for e in entries] == ["2026-03-22", "2026-03-15"]
        stamps = [e.published_parsed for e in entries]
        assert stamps == sorted(stamps, reverse=True), name
