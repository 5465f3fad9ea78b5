"""The subscription service end to end: its real server (uvicorn, `build.py serve-subscriptions`) on
127.0.0.1, the aiosmtpd test server receiving the confirmation mails and the campaigns, headless
Chromium filling the form and pressing the buttons, and plain HTTP for what mail clients do."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from conftest import SELL_OFF, run_cli
from mail_support import brief_folder, database, mail_env, parse, server, subscribe  # noqa: F401
from subscribe_support import CSRF, confirm, confirm_link, sign_up, start, wait_for_mail
from test_site_browser import ARGS, CHROMIUM

READER = "reader@example.com"
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


def status_of(address: str) -> str | None:
    with database() as db:
        row = db.execute("SELECT status FROM subscribers WHERE email = ?", (address,)).fetchone()
    return row[0] if row else None


@pytest.fixture
def service(tmp_path, mail_env, monkeypatch):
    running = start(tmp_path)
    monkeypatch.setenv("BRIEF_UNSUBSCRIBE_URL", running.url + "unsubscribe")
    yield running
    running.stop()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_sign_up_confirm_campaign_one_click_unsubscribe_and_the_next_campaign_skips_them(
        tmp_path, brief_folder, mail_env, service):
    subscribe(tmp_path, "email\nother@example.com\n")  # someone already on the list
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(service.url)
            page.fill("#email", READER)
            page.click("#subscribe")
            assert page.locator("h1").inner_text() == "Check your inbox"
            link = confirm_link(wait_for_mail(mail_env, READER)[0], service.url)
            assert status_of(READER) is None  # double opt-in: nothing until confirmed
            page.goto(link)
            assert page.locator("h1").inner_text() == "One more step"
            assert status_of(READER) is None  # fetching the link (a scanner) confirms nothing
            page.click("#confirm")
            assert page.locator("h1").inner_text() == "You are subscribed"
        finally:
            browser.close()
    assert status_of(READER) == "active"

    first = run_cli("send", str(brief_folder))
    assert first.exit_code == 0, first.output
    campaign = parse(wait_for_mail(mail_env, READER, 2)[1])
    assert campaign["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (https,) = [link for link in re.findall(r"<([^>]+)>", campaign["List-Unsubscribe"]) if link.startswith("http")]
    assert https.startswith(service.url + "unsubscribe?token=")
    answer = httpx.post(https, data={"List-Unsubscribe": "One-Click"})  # what a mail client does: no cookie, no page
    assert answer.status_code == 200 and "unsubscribed" in answer.text
    assert status_of(READER) == "unsubscribed"

    week_before = (SELL_OFF - timedelta(days=7)).isoformat()  # the next campaign: another week's market brief
    built = run_cli("brief", "--week-ending", week_before, "--formats", "html,json", "--out", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    second = run_cli("send", str(tmp_path / "out" / week_before))
    assert second.exit_code == 0, second.output
    assert mail_env.received[READER] == 2 and mail_env.received["other@example.com"] == 2  # confirmation + 1 brief
    assert READER not in service.log.read_text()  # the logs never name an address


def test_no_enumeration_throttled_repeats_csrf_and_scanner_safe_links(tmp_path, mail_env, service):
    subscribe(tmp_path, "email\nknown@example.com\n")
    client = httpx.Client()
    known = sign_up(client, service.url, "known@example.com")
    unknown = sign_up(client, service.url, "new@example.com")
    strip = re.compile(r'name="csrf" value="[^"]+"')
    assert known.status_code == unknown.status_code == 200
    assert strip.sub("", known.text) == strip.sub("", unknown.text)  # the same answer, known or not
    wait_for_mail(mail_env, "new@example.com")
    again = sign_up(client, service.url, "new@example.com")
    assert strip.sub("", again.text) == strip.sub("", unknown.text)
    wait_for_mail(mail_env, "known@example.com")
    assert mail_env.received["new@example.com"] == 1  # a repeat within resend_after mails nothing

    forged = httpx.post(service.url, data={"email": "victim@example.com", "csrf": "forged"})
    assert "Confirm you want to subscribe" in forged.text  # no CSRF token: the form again, no mail
    bad = httpx.post(service.url + "confirm", data={"token": "forged", "csrf": "x"})
    assert "You are subscribed" not in bad.text

    with database() as db:
        token = db.execute("SELECT token FROM subscribers WHERE email = 'known@example.com'").fetchone()[0]
    assert httpx.get(service.url + f"unsubscribe?token={token}").status_code == 200
    assert status_of("known@example.com") == "active"  # GET shows a button; it unsubscribes nobody

    page = client.get(service.url + f"preferences?token={token}")
    assert "What you receive" in page.text
    client.post(service.url + "preferences", data={"token": token, "tag": "market", "csrf": "forged"})
    with database() as db:
        assert db.execute("SELECT tags FROM subscribers WHERE token = ?", (token,)).fetchone()[0] == ""
    client.post(service.url + "preferences", data={"token": token, "tag": ["market", "nonsense"],
                                                    "csrf": CSRF.search(page.text).group(1)})
    with database() as db:
        assert db.execute("SELECT tags FROM subscribers WHERE token = ?", (token,)).fetchone()[0] == "market"
    log = service.log.read_text()
    assert '"event": "confirmation_sent"' in log and "@example.com" not in log


def test_requests_are_rate_limited_per_ip(tmp_path, mail_env):
    running = start(tmp_path, "--rate-per-minute", "3")
    try:
        answers = [httpx.post(running.url + "unsubscribe?token=nothing", data={"List-Unsubscribe": "One-Click"})
                   for _ in range(5)]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
        assert answers[-1].headers["Retry-After"] == "60"
    finally:
        running.stop()
