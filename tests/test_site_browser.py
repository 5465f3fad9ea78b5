"""The site in a real browser: Debian's Chromium driven by Playwright, against the site served by
`serve`'s own server on 127.0.0.1, at desktop and phone widths, in the light and dark themes: the
charts and the data table fit the screen whole, and Pagefind's search finds briefs."""

from __future__ import annotations

import shutil
from pathlib import Path
from threading import Thread
from urllib.parse import urlsplit

import pytest

from site_weeks import (ASSET_WEEK, ASSETS, PDF_WEEK, WEEKS, asset_pool, brief_json, copy_assets,  # noqa: F401 - fixtures
                        copy_weeks, week_pool)
from reports.charts.canvas import DPI, STYLE

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {"home": "", "brief": f"briefs/{PDF_WEEK}/", "archive": "archive/"}
BRIEF_PAGES = {"market": f"briefs/{PDF_WEEK}/", "asset": f"assets/{ASSETS[0]}/{ASSET_WEEK}/"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(`apt-get install chromium`; .ci/run installs it)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def served(week_pool, asset_pool, tmp_path_factory):  # noqa: F811 - the fixtures imported above
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site
    from reports.publish.site.serve import make_server

    root = tmp_path_factory.mktemp("browser")
    out = copy_assets(asset_pool, copy_weeks(week_pool, root / "out", WEEKS))
    site = root / "site"
    build_site(load_settings(flags={"out_dir": out, "site_dir": site, "base_url": "https://brief.example.com/"}))
    server = make_server(site, 0, quiet=True)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def visit(browser, url: str, width: str, scheme: str = "light"):
    """Open `url`; returns the page and every console error and failed or refused request."""
    viewport = WIDTHS[width]
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, color_scheme=scheme)
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} {request.failure}"))
    page.on("response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}"))
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    page.on("request", lambda request: not request.url.startswith((origin, "data:"))
            and problems.append(f"outside request: {request.url}"))
    response = page.goto(url, wait_until="load")
    assert response.status == 200
    page.evaluate("document.fonts.ready")
    return page, problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_pages_load_cleanly_and_fit_the_screen(browser, served, name, width):
    page, problems = visit(browser, served + PAGES[name], width)
    try:
        assert problems == []
        assert page.locator("h1").first.is_visible()
        overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert overflow[0] <= overflow[1], f"the page scrolls sideways: {overflow[0]} px wide in {overflow[1]} px"
        loaded = page.evaluate("Array.from(document.fonts).filter(face => face.status === 'loaded').map(face => face.family)")
        assert {"Inter", '"Source Serif 4"'} <= set(loaded) or {"Inter", "Source Serif 4"} <= set(loaded), loaded
        if name == "archive":
            items = page.locator("ol.items > li")
            assert items.count() == len(WEEKS)
            for index in range(items.count()):
                box = items.nth(index).bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0
                assert items.nth(index).locator(".sentiment").is_visible()
        else:
            charts = page.locator("figure .chart img")
            assert charts.count() == 6
            for index in range(charts.count()):
                chart = charts.nth(index)
                chart.scroll_into_view_if_needed()
                box = chart.bounding_box()
                assert box and box["width"] > 200 and box["height"] > 80, f"chart {index} is not visible: {box}"
                assert chart.evaluate("img => img.complete && img.naturalWidth") > 0, "the chart's PNG did not load"
                assert chart.get_attribute("alt")
    finally:
        page.close()


CHART_FIT = """Array.from(document.querySelectorAll('figure .chart')).map(box => {
    const img = box.querySelector('img'), rect = img.getBoundingClientRect();
    return {src: img.currentSrc, left: rect.left, right: rect.right, width: rect.width, natural: img.naturalWidth,
            loaded: img.complete && img.naturalWidth > 0, boxScroll: box.scrollWidth, boxClient: box.clientWidth};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", BRIEF_PAGES)
def test_every_chart_fits_whole_with_this_weeks_end_in_view(browser, served, kind, width):
    """No chart scrolls sideways and its right edge (where each line ends, this week) is inside the
    viewport; on a phone it is the phone PNG, shown large enough that its labels stay readable."""
    page, problems = visit(browser, served + BRIEF_PAGES[kind], width)
    try:
        charts = page.evaluate(CHART_FIT)
        viewport = page.evaluate("window.innerWidth")
        assert len(charts) >= 4
        # The labels are drawn at font.size points in a DPI picture; on screen an em of them measures
        # that many pixels times the picture's shown width over its natural width.
        label_px = STYLE["font.size"] * DPI / 72
        for chart in charts:
            assert chart["loaded"], chart
            assert chart["boxScroll"] <= chart["boxClient"], f"the chart scrolls sideways: {chart}"
            assert chart["left"] >= 0 and chart["right"] <= viewport, f"the chart's right edge is off screen: {chart}"
            assert chart["src"].endswith(".phone.png") == (width == "phone"), chart["src"]
            assert chart["width"] / chart["natural"] * label_px >= 8, f"labels under 8 px: {chart}"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport
        assert problems == []
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_data_table_fits_the_screen(browser, served, width):
    page, problems = visit(browser, served + BRIEF_PAGES["market"], width)
    try:
        tables = page.locator("table.data")
        assert tables.count() == len(brief_table_rows(served)) >= 2  # the drivers table and the data table
        for index in range(tables.count()):
            tables.nth(index).scroll_into_view_if_needed()
            sizes = page.evaluate("""(index) => { const t = document.querySelectorAll('table.data')[index], w = t.closest('.table-wrap');
                return [t.scrollWidth, t.clientWidth, w.scrollWidth, w.clientWidth, t.getBoundingClientRect().right, innerWidth]; }""", index)
            assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3] and sizes[4] <= sizes[5], (index, sizes)
            rows = tables.nth(index).locator("tbody tr")
            assert rows.count() == brief_table_rows(served)[index]
            assert rows.first.locator("td.label").is_visible()
        assert problems == []
    finally:
        page.close()


def brief_table_rows(served) -> list[int]:
    """The rows of each of the week's tables, in page order, from its brief.json as served (read with the json module)."""
    import json
    from urllib.request import urlopen

    with urlopen(served + BRIEF_PAGES["market"] + "brief.json") as answer:
        doc = json.loads(answer.read())
    return [len(block["rows"]) for section in doc["sections"] for block in section["blocks"] if block["type"] == "table"]


def search(browser, served, query: str, typed: bool) -> list[str]:
    """The result links Pagefind's UI shows for `query`: typed into the box, or given in the address (?q=)."""
    page, problems = visit(browser, served + "search/" + ("" if typed else f"?q={query}"), "desktop")
    try:
        if typed:
            page.locator(".pagefind-ui__search-input").fill(query)
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        page.wait_for_timeout(300)  # the rest of the results settle
        links = page.evaluate("Array.from(document.querySelectorAll('.pagefind-ui__result-link')).map(a => a.href)")
        titles = page.evaluate("Array.from(document.querySelectorAll('.pagefind-ui__result-link')).map(a => a.textContent)")
        assert all(" · week ending " in title for title in titles), titles  # each result says its week
        assert problems == []
        return links
    finally:
        page.close()


def test_search_finds_a_brief_by_a_coin_name(browser, served):
    links = search(browser, served, "Ethereum", typed=True)
    assert f"{served}assets/ethereum/{ASSET_WEEK}/" in links, links


def test_search_finds_a_brief_by_a_phrase_from_its_text(browser, served, week_pool):  # noqa: F811
    phrase = " ".join(brief_json(week_pool, WEEKS[1])["headline"].split()[:6])
    links = search(browser, served, phrase, typed=False)
    assert links and links[0] == f"{served}briefs/{WEEKS[1]}/", (phrase, links)


def test_the_search_page_says_what_to_do_without_javascript(browser, served):
    page = browser.new_page(java_script_enabled=False)
    try:
        page.goto(served + "search/")
        assert page.locator("noscript, .no-script").count() >= 1
        assert "archive" in page.content()
        page.goto(served + BRIEF_PAGES["asset"])  # a brief reads without it, its charts included
        assert page.locator("figure .chart img").count() >= 4 and page.locator("h1").is_visible()
    finally:
        page.close()


def test_dark_theme_follows_the_system_setting(browser, served):
    colours = {}
    for scheme in ("light", "dark"):
        page, problems = visit(browser, served, "desktop", scheme)
        colours[scheme] = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        page.close()
        assert problems == []
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(29, 35, 43)"]
    assert colours["dark"][0] != colours["light"][0] and colours["dark"][1] != colours["light"][1]


def test_links_between_weeks_work_without_javascript(browser, served):
    page = browser.new_page(java_script_enabled=False)
    try:
        page.goto(served + PAGES["brief"])
        page.locator("a[rel=prev]").click()
        assert page.url == f"{served}briefs/{WEEKS[-2]}/"
        page.locator("nav[aria-label=Site] >> text=Archive").click()
        assert page.url == f"{served}archive/"
        assert page.locator("ol.items > li").count() == len(WEEKS)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pager_and_footer_line_up_with_the_article(browser, served, width):
    page, problems = visit(browser, served + BRIEF_PAGES["market"], width)
    try:
        lefts = page.evaluate("""['article.brief', 'nav.pager', '.site-footer .name'].map(
            selector => Math.round(document.querySelector(selector).getBoundingClientRect().left))""")
        assert lefts[0] == lefts[1] == lefts[2], lefts
        assert problems == []
    finally:
        page.close()
