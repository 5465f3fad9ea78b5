"""brief.md read by the static site generators people already run: Hugo (Debian's `hugo`) and
Pelican (PyPI) build real sites from `build.py` output, and each week comes through with its
week-based date, its update time, title, tags and chart images.

The tools are real: a missing one is a skip with the reason here, and a failure in CI
(`CI` set), where `.ci/run` installs both."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html import unescape
from pathlib import Path

import pytest
import yaml

from reports.core.settings import load_settings

pytestmark = pytest.mark.slow
BASE = "https://brief.example.com/"
WEEKS = (date(2026, 3, 8), date(2026, 3, 15))
PUBLISHED = {date(2026, 3, 8): "2026-03-09T06:00:00", date(2026, 3, 15): "2026-03-16T06:00:00"}


def _need(tool: str, found: bool) -> None:
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed: .ci/run installs it")
        pytest.skip(f"{tool} is not installed (Debian: apt-get install hugo; PyPI: pip install 'pelican[markdown]')")


def _out(tmp_path_factory, style: str) -> Path:
    from reports.build.assets import build_asset_brief
    from reports.build.pipeline import build_brief, load_data
    from reports.facts.week import Week

    out = tmp_path_factory.mktemp(f"out-{style}")
    for week_end in WEEKS:
        settings = load_settings(flags={"week_ending": week_end, "out_dir": out, "formats": ("md", "json"),
                                        "base_url": BASE, "front_matter": style})
        build_brief(settings)
    build_asset_brief(load_data(settings), Week(WEEKS[-1]), "bitcoin", settings)
    return out


def _matter(folder: Path) -> dict:
    return yaml.safe_load((folder / "brief.md").read_text(encoding="utf-8").split("---\n")[1])


def test_the_body_does_not_repeat_the_front_matter(tmp_path_factory):
    out = _out(tmp_path_factory, "plain")
    text = (out / "2026-03-15" / "brief.md").read_text(encoding="utf-8")
    _, matter, body = text.split("---\n", 2)
    meta = yaml.safe_load(matter)
    assert body.startswith("\n## Overview\n")
    assert meta["title"] not in body and meta["description"] not in body and meta["sentiment"] not in body
    assert not re.search(r"^# ", body, re.MULTILINE)


# --- Hugo ------------------------------------------------------------------------------------------------------

HUGO_SINGLE = """<!doctype html><html><head><title>{{ .Title }}</title>{{ template "_internal/opengraph.html" . }}</head>
<body><h1>{{ .Title }}</h1>
<p class="date">{{ .Date.UTC.Format "2006-01-02T15:04:05" }}</p>
<p class="lastmod">{{ .Lastmod.UTC.Format "2006-01-02T15:04:05" }}</p>
<p class="draft">{{ .Draft }}</p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul class="categories">{{ range .GetTerms "categories" }}<li>{{ .LinkTitle }}</li>{{ end }}</ul>
<div class="summary">{{ .Summary }}</div>
{{ .Content }}</body></html>
"""


@pytest.fixture(scope="module")
def hugo_site(tmp_path_factory):
    _need("hugo", shutil.which("hugo") is not None)
    out = _out(tmp_path_factory, "hugo")
    site = tmp_path_factory.mktemp("hugo")
    (site / "hugo.toml").write_text(f'baseURL = "{BASE}"\ntitle = "Briefs"\ndisableKinds = ["RSS"]\n')
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(
        '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>\n')
    for folder in [out / w.isoformat() for w in WEEKS] + [out / "assets" / "bitcoin" / WEEKS[-1].isoformat()]:
        bundle = site / "content" / folder.relative_to(out)
        if folder.parent == out:
            bundle = site / "content" / "briefs" / folder.name
        shutil.copytree(folder, bundle)
        (bundle / "brief.md").rename(bundle / "index.md")  # a leaf bundle: the charts are its resources
    done = subprocess.run(["hugo", "--source", str(site), "--destination", str(site / "public")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return out, site / "public"


@pytest.mark.parametrize("week_end", WEEKS)
def test_hugo_shows_each_week_with_its_date_title_tags_and_charts(hugo_site, week_end):
    out, public = hugo_site
    meta = _matter(out / week_end.isoformat())
    page = public / "briefs" / week_end.isoformat()
    html = (page / "index.html").read_text(encoding="utf-8")
    assert f'<p class="date">{PUBLISHED[week_end]}</p>' in html  # not 0001-01-01, not the build time
    assert f'<p class="lastmod">{PUBLISHED[week_end]}</p>' in html
    assert '<p class="draft">false</p>' in html
    assert f"<h1>{meta['title']}</h1>" in unescape(html)
    assert f'<meta property="og:description" content="{meta["description"]}" />' in unescape(html)
    tags = re.findall(r'<li><a href="(/tags/[^"]+/)">([^<]+)</a></li>', html)
    assert [unescape(name) for _, name in tags] == meta["tags"] and len(tags) >= 3
    for href, _ in tags:  # a real taxonomy: each tag's page lists the week
        assert f'<a href="/briefs/{week_end}/">' in (public / href.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "<li>Markets</li>" in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 3
    for src in images:
        assert (page / src).is_file(), src  # the chart resolves beside the page
    og = re.findall(r'<meta property="og:image" content="([^"]+)" />', html)
    assert og == [f"{BASE}briefs/{week_end}/charts/price-path.png"] and og[0].endswith("/" + images[0])


def test_hugo_shows_an_asset_brief_under_its_asset(hugo_site):
    out, public = hugo_site
    page = public / "assets" / "bitcoin" / WEEKS[-1].isoformat()
    html = (page / "index.html").read_text(encoding="utf-8")
    assert f'<p class="date">{PUBLISHED[WEEKS[-1]]}</p>' in html
    og = re.findall(r'<meta property="og:image" content="([^"]+)" />', html)
    assert og and og[0].startswith(f"{BASE}assets/bitcoin/{WEEKS[-1]}/charts/")
    assert all((page / src).is_file() for src in re.findall(r'<img src="([^"]+)"', html))


# --- Pelican ---------------------------------------------------------------------------------------------------

PELICAN_CONF = """SITENAME = "Briefs"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["."]
STATIC_PATHS = ["."]
PATH_METADATA = r"(?P<folder>.*)/brief\\.md"
ARTICLE_URL = "{folder}/"
ARTICLE_SAVE_AS = "{folder}/index.html"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""


@pytest.fixture(scope="module")
def pelican_site(tmp_path_factory):
    try:
        import markdown  # noqa: F401 - Pelican reads .md only with it
        import pelican  # noqa: F401
    except ImportError:
        _need("pelican", False)
    out = _out(tmp_path_factory, "pelican")
    site = tmp_path_factory.mktemp("pelican")
    for week_end in WEEKS:
        shutil.copytree(out / week_end.isoformat(), site / "content" / week_end.isoformat())
    shutil.copytree(out / "assets", site / "content" / "assets")
    (site / "pelicanconf.py").write_text(PELICAN_CONF)
    done = subprocess.run([sys.executable, "-m", "pelican", str(site / "content"), "-o", str(site / "output"),
                           "-s", str(site / "pelicanconf.py"), "--fatal", "warnings"],
                          capture_output=True, text=True, timeout=180, cwd=site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Done: Processed 3 articles" in done.stdout, done.stdout
    return out, site / "output"


@pytest.mark.parametrize("week_end", WEEKS)
def test_pelican_shows_each_week_with_its_date_title_tags_and_charts(pelican_site, week_end):
    out, output = pelican_site
    text = (out / week_end.isoformat() / "brief.md").read_text(encoding="utf-8")
    meta = dict(line.split(": ", 1) for line in text.split("---\n")[1].splitlines())
    page = output / week_end.isoformat()
    html = unescape((page / "index.html").read_text(encoding="utf-8"))
    assert f'<abbr class="published" title="{PUBLISHED[week_end]}+00:00">' in html
    assert f'<abbr class="modified" title="{PUBLISHED[week_end]}+00:00">' in html
    assert meta["Title"] in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    tags = re.findall(r'<a href="/tag/[^"]+\.html">([^<]+)</a>', html)
    assert tags == meta["Tags"].split("; ") and len(tags) >= 3
    assert '<a href="/category/markets.html">Markets</a>' in html
    images = re.findall(r'<img alt="[^"]*" src="([^"]+)"', html)
    assert len(images) >= 3
    for src in images:
        assert (page / src).is_file(), src
    if week_end != WEEKS[-1]:  # the theme's index shows the newest in full, the others by their summary
        summary = (output / "index.html").read_text(encoding="utf-8")
        assert unescape(meta["Summary"]) in unescape(summary)  # the description, not the body's first words


# --- the other styles ------------------------------------------------------------------------------------------


def test_jekyll_and_plain_front_matter_use_their_own_names(tmp_path_factory):
    jekyll = _matter(_out(tmp_path_factory, "jekyll") / "2026-03-15")
    assert jekyll["date"] == jekyll["last_modified_at"] == "2026-03-16 06:00:00 +0000"  # the form Jekyll documents
    assert jekyll["image"] == f"{BASE}briefs/2026-03-15/charts/price-path.png" and jekyll["published"] is True
    assert jekyll["categories"] == ["Markets"] and jekyll["excerpt"] == jekyll["description"]
    plain = _matter(_out(tmp_path_factory, "plain") / "2026-03-15")
    assert plain["publishedAt"] == plain["updatedAt"] == "2026-03-16T06:00:00Z"
    assert plain["image"] == "charts/price-path.png" and plain["category"] == "Markets" and "date" not in plain
