"""The emailed HTML in a real browser (Debian's Chromium through Playwright): at 375 px nothing
scrolls sideways and the headline is whole; at 600 px it is the 600 px layout; dark mode changes
the colours; every chart has alt text. The message is the one `send --dry-run` writes, its cid:
images saved beside it. Screenshots go to $EMAIL_SCREENSHOTS (default: the test's tmp folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import run_cli
from mail_support import brief_folder, mail_env, parse, server, subscribe  # noqa: F401
from test_site_browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


@pytest.fixture
def email_page(tmp_path, brief_folder, mail_env) -> Path:
    """The HTML part of a real message, its images written beside it and its cid: links pointed at them."""
    subscribe(tmp_path, "email,name\nana@example.com,Ana\n")
    assert run_cli("send", str(brief_folder), "--dry-run", "--eml-dir", str(tmp_path / "eml")).exit_code == 0
    message = parse(next((tmp_path / "eml").glob("*.eml")).read_bytes())
    folder = tmp_path / "email"
    folder.mkdir()
    html = message.get_body(("html",)).get_content()
    for part in message.walk():
        if part.get_content_type() == "image/png":
            cid = part["Content-ID"].strip("<>")
            (folder / f"{cid}.png").write_bytes(part.get_content())
            html = html.replace(f'src="cid:{cid}"', f'src="{cid}.png"')
    assert "cid:" not in html
    (folder / "index.html").write_text(html, encoding="utf-8")
    return folder / "index.html"


def _geometry(page) -> dict:
    return page.evaluate("""() => {
        const h1 = document.querySelector('h1').getBoundingClientRect();
        const root = document.documentElement;
        return {scroll: root.scrollWidth, client: root.clientWidth, h1_left: h1.left, h1_right: h1.right,
                h1_height: h1.height, h1_scroll: document.querySelector('h1').scrollWidth,
                h1_client: document.querySelector('h1').clientWidth,
                container: document.querySelector('.container').getBoundingClientRect().width,
                images: [...document.images].map(i => ({alt: i.alt, loaded: i.complete && i.naturalWidth > 0,
                                                        right: i.getBoundingClientRect().right})),
                background: getComputedStyle(document.querySelector('.container')).backgroundColor};
    }""")


def test_the_email_reads_at_phone_and_desktop_widths_and_in_dark_mode(email_page, tmp_path):
    shots = Path(os.environ.get("EMAIL_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            seen = {}
            for width, scheme in ((375, "light"), (600, "light"), (375, "dark")):
                page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
                page.goto(email_page.as_uri())
                page.wait_for_load_state("load")
                seen[(width, scheme)] = geometry = _geometry(page)
                page.screenshot(path=str(shots / f"email-{width}px-{scheme}.png"), full_page=True)
                page.close()
                assert geometry["scroll"] <= geometry["client"] == width, geometry  # no horizontal scroll
                assert 0 <= geometry["h1_left"] and geometry["h1_right"] <= width, geometry  # headline whole
                assert geometry["h1_scroll"] <= geometry["h1_client"], geometry
                assert geometry["images"] and all(image["alt"].strip() and image["loaded"] and image["right"] <= width
                                                  for image in geometry["images"]), geometry["images"]
        finally:
            browser.close()
    assert seen[(600, "light")]["container"] == 600 and seen[(375, "light")]["container"] == 375
    assert seen[(375, "light")]["background"] == "rgb(255, 255, 255)"
    dark = [int(channel) for channel in re.findall(r"\d+", seen[(375, "dark")]["background"])[:3]]
    assert max(dark) < 64, seen[(375, "dark")]["background"]  # prefers-color-scheme: dark took effect
    print(f"\nemail screenshots: {shots}")
