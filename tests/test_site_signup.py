"""The site's sign-up form against the real subscription service (issue 18): the site built with
`subscribe_url`, served on 127.0.0.1, the service (`build.py serve-subscriptions`) on another port,
mail to the aiosmtpd test server, Chromium filling the form in a brief page's footer.

The form is cross-site, so it cannot carry the service's CSRF token: the service answers it with its
own sign-up page, the address filled in, and nothing is mailed until the reader confirms there."""

from __future__ import annotations

import time
from threading import Thread

import pytest

from mail_support import mail_env, server  # noqa: F401 - fixtures
from site_weeks import WEEKS, copy_weeks, week_pool  # noqa: F401 - fixture
from subscribe_support import confirm_link, start, wait_for_mail
from test_site_browser import ARGS, CHROMIUM

READER = "site-reader@example.com"
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


def test_the_sites_form_leads_to_the_services_sign_up_and_a_confirmation_mail(tmp_path, mail_env, week_pool):  # noqa: F811
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site
    from reports.publish.site.serve import make_server

    service = start(tmp_path)
    try:
        out = copy_weeks(week_pool, tmp_path / "out", WEEKS[-1:])
        site = tmp_path / "site"
        build_site(load_settings(flags={"out_dir": out, "site_dir": site, "subscribe_url": service.url}))
        server = make_server(site, 0, quiet=True)
        Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                try:
                    page = browser.new_page()
                    page.goto(f"http://127.0.0.1:{server.server_address[1]}/briefs/{WEEKS[-1]}/")
                    page.fill("#signup-email", READER)
                    page.click(".signup button[type=submit]")
                    assert page.url.startswith(service.url)
                    assert page.locator("h1").inner_text() == "Confirm you want to subscribe"
                    assert page.locator("#email").input_value() == READER  # carried over from the site's form
                    time.sleep(0.5)
                    assert mail_env.received.get(READER, 0) == 0  # the cross-site post alone mails nobody
                    page.click("#subscribe")
                    assert page.locator("h1").inner_text() == "Check your inbox"
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
        assert confirm_link(wait_for_mail(mail_env, READER)[0], service.url)
    finally:
        service.stop()
