"""The site in a real browser: Debian's Chromium driven by Playwright, against the site served by
`serve`'s own server on 127.0.0.1, at desktop and phone widths, in the light and dark themes."""

from __future__ import annotations

import shutil
from pathlib import Path
from threading import Thread
from urllib.parse import urlsplit

import pytest

from site_weeks import PDF_WEEK, WEEKS, copy_weeks, week_pool  # noqa: F401 - fixture
from reports.charts.canvas import DPI, STYLE

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {"home": "", "brief": f"briefs/{PDF_WEEK}/", "archive": "archive/"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(`apt-get install chromium`; .ci/run installs it)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def served(week_pool, tmp_path_factory):  # noqa: F811 - the fixture imported above
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site
    from reports.publish.site.serve import make_server

    root = tmp_path_factory.mktemp("browser")
    out = copy_weeks(week_pool, root / "out", WEEKS)
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


def test_charts_keep_readable_text_on_a_phone(browser, served):
    """On a phone the chart keeps a minimum width and scrolls inside its own box, so its axis labels
    stay near their designed size instead of shrinking with the screen."""
    page, problems = visit(browser, served + PAGES["brief"], "phone")
    try:
        # The charts' labels are drawn at font.size points in a DPI picture; on screen an em of them
        # measures that many pixels times the picture's shown width over its natural width.
        label_px = STYLE["font.size"] * DPI / 72
        scales = page.evaluate("""Array.from(document.querySelectorAll('figure .chart img')).map(
            img => img.getBoundingClientRect().width / img.naturalWidth)""")
        assert len(scales) == 6 and min(scales) * label_px >= 8, scales
        scrollable = page.evaluate("""Array.from(document.querySelectorAll('.chart')).every(
            box => box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === 'auto')""")
        assert scrollable
        assert problems == []
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
