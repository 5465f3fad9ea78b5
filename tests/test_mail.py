"""Emailing the brief, against a real SMTP server (aiosmtpd) on 127.0.0.1 started by each test.

Expected values come from the brief folder itself (brief.json, charts/*.png, brief.pdf), from the
CSV each test writes, and from the server's own record of what it accepted.
"""

from __future__ import annotations

import json
import re
from html import escape
from datetime import datetime, timezone
from email.utils import format_datetime, parseaddr

import pytest

from conftest import EPOCH, SELL_OFF, run_cli
from reports.core.errors import UsageError
from mail_support import brief_folder, database, mail_env, parse, server, subscribe, tokens  # noqa: F401

PEOPLE = "email,name,tags\nana@example.com,Ana Lima,vip\nbo@example.org,Bo,\ncy@example.net,,news\n"


def tree(message, depth=0) -> list[str]:
    lines = [f"{'  ' * depth}{message.get_content_type()}"]
    if message.is_multipart():
        for part in message.iter_parts():
            lines += tree(part, depth + 1)
    return lines


def send(folder, *args):
    return run_cli("send", str(folder), *args)


def counts(output: str) -> dict[str, int]:
    found = re.search(r"sent (\d+) \+ failed (\d+) \+ suppressed (\d+) \+ pending (\d+) = (\d+); "
                      r"subscribers at campaign time (\d+) \(invariant holds\)", output)
    assert found, output
    keys = ("sent", "failed", "suppressed", "pending", "sum", "subscribers")
    return dict(zip(keys, map(int, found.groups())))


def test_received_message_part_by_part(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    result = send(brief_folder)
    assert result.exit_code == 0, result.output
    assert counts(result.output) == {"sent": 3, "failed": 0, "suppressed": 0, "pending": 0, "sum": 3, "subscribers": 3}
    assert "3/3 messages (sent 3)" in result.stderr  # not a terminal: a plain progress line per batch
    assert sorted(mail_env.received) == ["ana@example.com", "bo@example.org", "cy@example.net"]
    raw = dict(mail_env.messages)["ana@example.com"]
    message = parse(raw)
    document = json.loads((brief_folder / "brief.json").read_text(encoding="utf-8"))
    charts = [chart["chart"] for chart in document["charts"]]

    assert tree(message) == [
        "multipart/mixed",
        "  multipart/alternative",
        "    text/plain",
        "    multipart/related",
        "      text/html",
        *["      image/png"] * len(charts),
        "  application/pdf",
    ]
    alternative, pdf = message.iter_parts()
    plain, related = alternative.iter_parts()
    html_part, *images = related.iter_parts()

    # headers
    assert message["Subject"] == document["headline"]
    assert parseaddr(str(message["From"])) == ("The Weekly Crypto Brief", "brief@example.com")
    assert str(message["Reply-To"]) == "editor@example.com"
    assert parseaddr(str(message["To"])) == ("Ana Lima", "ana@example.com")
    assert message["Date"] == format_datetime(datetime.fromtimestamp(int(EPOCH), timezone.utc))
    token = tokens()["ana@example.com"]
    links = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    assert links == [f"mailto:brief@example.com?subject=unsubscribe%20{token}",
                     f"https://example.com/unsubscribe?token={token}"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<[0-9a-f]{32}@example\.com>", message["Message-ID"])
    ids = {parse(body)["Message-ID"] for _, body in mail_env.messages}
    assert len(ids) == 3  # one per subscriber

    # the images are the brief's PNG charts, each with a Content-ID the HTML refers to
    html = html_part.get_content()
    cids = {part["Content-ID"].strip("<>"): part for part in images}
    referenced = re.findall(r'src="cid:([^"]+)"', html)
    assert sorted(referenced) == sorted(cids)
    for chart in charts:
        (cid,) = [cid for cid in cids if cid.startswith(chart + ".")]
        assert cids[cid].get_content() == (brief_folder / "charts" / f"{chart}.png").read_bytes()
        assert cids[cid].get_content_disposition() == "inline"
    assert pdf.get_content() == (brief_folder / "brief.pdf").read_bytes()
    assert pdf.get_content_disposition() == "attachment" and pdf.get_filename().endswith(".pdf")

    # HTML built for email clients
    assert len(html.encode("utf-8")) < 102 * 1024  # Gmail clips larger HTML
    assert "data:" not in html and "<svg" not in html.lower() and ".svg" not in html
    head, body = html.split("<body", 1)
    assert head.count("<style") == 1 and "<style" not in body  # the rest is inlined: some clients drop <style>
    assert "@media only screen and (max-width: 480px)" in head and "prefers-color-scheme: dark" in head
    assert 'style="' in body and "max-width: 600px" in body  # fluid, up to 600 px
    assert "The Weekly Crypto Brief, 1 Example Street" in body  # the postal address in the footer
    description = escape(document["description"], quote=False)
    assert html.count(description) == 2  # the hidden preheader, then the dek under the headline
    assert html.index(description) < html.index(escape(document["headline"]), html.index("<body"))
    assert f"https://example.com/unsubscribe?token={token}" in html and "Hello Ana Lima," in html

    # the text part stands on its own
    text = plain.get_content()
    assert "<" not in text.replace("<https", "")
    assert document["headline"] in " ".join(text.split())
    for section in document["sections"]:
        assert section["title"].upper() in text
    assert "Hello Ana Lima," in text and f"https://example.com/unsubscribe?token={token}" in text
    assert max(len(line) for line in text.splitlines() if "http" not in line) <= 78


def test_no_attachment_when_the_setting_is_off(tmp_path, brief_folder, mail_env, monkeypatch):
    monkeypatch.setenv("BRIEF_ATTACH_PDF", "false")
    subscribe(tmp_path, "email\nana@example.com\n")
    assert send(brief_folder).exit_code == 0
    message = parse(mail_env.messages[0][1])
    assert tree(message)[:3] == ["multipart/alternative", "  text/plain", "  multipart/related"]
    assert "application/pdf" not in "".join(tree(message))
    assert "Hello," in message.get_body(("plain",)).get_content()


def test_550_fails_for_good_and_451_is_retried_until_delivered(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    mail_env.refuse["bo@example.org"] = 550
    mail_env.defer["cy@example.net"] = 2  # two 451s, then accepted
    result = send(brief_folder)
    assert result.exit_code == 0, result.output
    assert counts(result.output) == {"sent": 2, "failed": 1, "suppressed": 0, "pending": 0, "sum": 3,
                                         "subscribers": 3}
    assert mail_env.received == {"ana@example.com": 1, "cy@example.net": 1}
    assert mail_env.attempts["cy@example.net"] == 3 and mail_env.attempts["bo@example.org"] == 1

    again = send(brief_folder)  # a rerun retries nothing: the 550 is permanent, the rest are sent
    assert again.exit_code == 0 and "0 messages attempted" in again.output
    assert mail_env.attempts["bo@example.org"] == 1 and sum(mail_env.received.values()) == 2

    status = run_cli("send-status", str(brief_folder))
    assert counts(status.output)["failed"] == 1
    assert "failed\tbo@example.org\t550 5.1.1 <bo@example.org>: mailbox unavailable" in status.output
    listed = run_cli("subscribers", "list").output
    assert "bo@example.org\tbounced" in listed  # a hard bounce is suppressed from now on


def test_451_every_time_leaves_the_message_pending_for_the_next_run(tmp_path, brief_folder, mail_env, monkeypatch):
    monkeypatch.setenv("BRIEF_MAX_ATTEMPTS", "2")
    subscribe(tmp_path, "email\nana@example.com\n")
    mail_env.defer["ana@example.com"] = 2
    first = send(brief_folder)
    assert counts(first.output)["pending"] == 1 and mail_env.attempts["ana@example.com"] == 2
    second = send(brief_folder)
    assert counts(second.output)["sent"] == 1 and mail_env.received["ana@example.com"] == 1


def test_campaign_stops_after_consecutive_failures(tmp_path, brief_folder, mail_env, monkeypatch):
    monkeypatch.setenv("BRIEF_MAX_CONSECUTIVE_FAILURES", "3")
    monkeypatch.setenv("BRIEF_SEND_CONCURRENCY", "1")
    rows = [f"reader{i}@example.com" for i in range(8)]
    subscribe(tmp_path, "email\n" + "\n".join(rows) + "\n")
    for address in rows:
        mail_env.refuse[address] = 554
    result = send(brief_folder)
    assert result.exit_code == 1
    assert "stopped after 3 failures in a row" in result.output
    assert counts(result.output) == {"sent": 0, "failed": 3, "suppressed": 0, "pending": 5, "sum": 8, "subscribers": 8}


def test_dry_run_writes_eml_files_and_sends_nothing(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    eml = tmp_path / "eml"
    result = send(brief_folder, "--dry-run", "--eml-dir", str(eml), "--limit", "2")
    assert result.exit_code == 0, result.output
    files = sorted(eml.glob("*.eml"))
    assert [parse(f.read_bytes())["To"].addresses[0].addr_spec for f in files] == ["ana@example.com", "bo@example.org"]
    assert mail_env.attempts == {} and mail_env.messages == []
    assert "not sent yet" in run_cli("send-status", str(brief_folder)).output
    # the same brief and subscriber always make the same bytes, Message-ID included
    send(brief_folder, "--dry-run", "--eml-dir", str(tmp_path / "again"), "--limit", "2")
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in sorted((tmp_path / "again").glob("*.eml"))]


def test_to_sends_one_test_copy_and_records_nothing(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    result = send(brief_folder, "--to", "editor@example.com")
    assert result.exit_code == 0, result.output
    assert mail_env.received == {"editor@example.com": 1}
    assert "not sent yet" in run_cli("send-status", str(brief_folder)).output
    bad = send(brief_folder, "--to", "not-an-address")
    assert bad.exit_code == 2 and "not a valid email address" in bad.output


def test_an_asset_brief_is_its_own_campaign_beside_the_market_brief_of_the_same_week(tmp_path, brief_folder, mail_env):
    built = run_cli("brief", "--asset", "ethereum", "--week-ending", SELL_OFF.isoformat(), "--formats", "html,json",
                    "--out", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    subscribe(tmp_path, PEOPLE.replace(",vip\n", ",vip;market;ethereum\n").replace(",\n", ",ethereum;market\n")
              .replace(",news\n", ",news;market;ethereum\n"))  # all three chose both briefs
    assert counts(send(brief_folder).output)["sent"] == 3
    ether = send(tmp_path / "out" / "assets" / "ethereum" / SELL_OFF.isoformat())
    assert counts(ether.output)["sent"] == 3, ether.output  # not "already sent": another brief, another campaign
    assert mail_env.received == {"ana@example.com": 2, "bo@example.org": 2, "cy@example.net": 2}


def test_suppressed_addresses_are_never_mailed(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    token = tokens()["bo@example.org"]
    assert run_cli("subscribers", "unsubscribe", token).exit_code == 0
    subscribe(tmp_path, PEOPLE, "again.csv")  # importing the list again does not re-subscribe Bo
    assert "bo@example.org\tunsubscribed" in run_cli("subscribers", "list").output

    first = send(brief_folder, "--limit", "1")
    assert counts(first.output) == {"sent": 1, "failed": 0, "suppressed": 1, "pending": 1, "sum": 3, "subscribers": 3}
    # Cy unsubscribes while the campaign is under way: the rest of it skips them
    assert run_cli("subscribers", "unsubscribe", tokens()["cy@example.net"]).exit_code == 0
    second = send(brief_folder)
    assert counts(second.output) == {"sent": 1, "failed": 0, "suppressed": 2, "pending": 0, "sum": 3, "subscribers": 3}
    assert mail_env.received == {"ana@example.com": 1}
    assert run_cli("subscribers", "unsubscribe", "no-such-token").exit_code == 2


def test_complained_and_bounced_addresses_are_suppressed(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    assert run_cli("subscribers", "suppress", "ana@example.com", "--as", "complained").exit_code == 0
    assert run_cli("subscribers", "suppress", "bo@example.org", "--as", "bounced").exit_code == 0
    assert run_cli("subscribers", "suppress", "zz@example.org", "--as", "bounced").exit_code == 2
    result = send(brief_folder)
    assert counts(result.output) == {"sent": 1, "failed": 0, "suppressed": 2, "pending": 0, "sum": 3, "subscribers": 3}
    assert mail_env.received == {"cy@example.net": 1}


def test_remove_forgets_a_subscriber(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    assert run_cli("subscribers", "remove", "Bo@Example.org").exit_code == 0
    assert "bo@example.org" not in run_cli("subscribers", "list").output
    assert run_cli("subscribers", "remove", "bo@example.org").exit_code == 2
    result = send(brief_folder)
    assert counts(result.output)["subscribers"] == 2 and "bo@example.org" not in mail_env.received


def test_unreachable_server_is_a_clear_error_and_moves_no_row(tmp_path, brief_folder, mail_env, monkeypatch):
    import smtp_server

    subscribe(tmp_path, PEOPLE)
    monkeypatch.setenv("SMTP_PORT", str(smtp_server.free_port()))
    result = send(brief_folder)
    assert result.exit_code == 1 and "cannot connect to the SMTP server 127.0.0.1:" in result.output
    with database() as db:
        assert dict(db.execute("SELECT state, COUNT(*) FROM ledger GROUP BY state")) == {"pending": 3}


def test_the_smtp_password_never_reaches_the_output(tmp_path, brief_folder, mail_env, monkeypatch):
    subscribe(tmp_path, PEOPLE)
    monkeypatch.setenv("SMTP_USER", "mailer")
    monkeypatch.setenv("SMTP_PASSWORD", "hunter2-very-secret")
    result = send(brief_folder, "--debug")
    assert result.exit_code == 2 and "does not offer STARTTLS/AUTH" in result.output
    assert "hunter2" not in result.output + (result.stderr or "")
    monkeypatch.delenv("SMTP_PASSWORD")
    missing = send(brief_folder)
    assert missing.exit_code == 2 and "SMTP_PASSWORD is not set" in missing.output


def test_a_refused_login_is_a_clear_error_without_the_password_and_a_right_one_sends(tmp_path, brief_folder, mail_env,
                                                                                     monkeypatch):
    """Against a server that really asks for AUTH: the password is sent, and never shown."""
    import smtp_server

    recorder = smtp_server.Recorder()
    controller = smtp_server.start(recorder, logins={"mailer": "the-right-one"})
    try:
        monkeypatch.setenv("SMTP_PORT", str(controller.port))
        monkeypatch.setenv("SMTP_USER", "mailer")
        monkeypatch.setenv("SMTP_PASSWORD", "hunter2-very-secret")
        subscribe(tmp_path, PEOPLE)
        refused = send(brief_folder, "--debug")
        assert refused.exit_code == 2 and "refused the login" in refused.output, refused.output
        assert "hunter2" not in refused.output + (refused.stderr or "")
        assert recorder.count == 0
        monkeypatch.setenv("SMTP_PASSWORD", "the-right-one")
        accepted = send(brief_folder)
        assert counts(accepted.output)["sent"] == 3, accepted.output
        assert recorder.count == 3
    finally:
        controller.stop()


def test_a_folder_without_a_brief_is_bad_input(tmp_path, mail_env):
    result = send(tmp_path)
    assert result.exit_code == 2 and "no brief.json" in result.output


def test_smtp_settings_answer_to_the_conventional_names():
    from reports.core.settings import load_settings

    env = {"SMTP_HOST": "mail.example.com", "SMTP_PORT": "2525", "SMTP_SECURITY": "tls", "SMTP_USER": "u",
           "MAIL_FROM": "Brief <b@example.com>"}
    settings = load_settings(None, env, {})
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_user, settings.mail_from) == \
        ("mail.example.com", 2525, "tls", "u", "Brief <b@example.com>")
    assert load_settings(None, {**env, "BRIEF_SMTP_HOST": "other.example.com"}, {}).smtp_host == "other.example.com"
    assert "password" not in " ".join(type(settings).model_fields)
    with pytest.raises(UsageError, match="environment variable SMTP_SECURITY: setting 'smtp_security' is invalid"):
        load_settings(None, {"SMTP_SECURITY": "ssl"}, {})


def test_progress_on_a_terminal_is_a_bar_with_rate_and_eta():
    import io

    from reports.publish.mail.progress import SendProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = SendProgress(4, screen)
    for state in ("sent", "sent", "failed", "sent"):
        progress.update(state)
    progress.close()
    shown = screen.getvalue()
    assert "4/4" in shown and "msg/s" in shown and "sent=3" in shown and "failed=1" in shown
    assert "<00:00" in shown  # tqdm's elapsed<remaining (the ETA)


def test_rate_limits_space_messages_by_the_stricter_limit():
    from reports.publish.mail.sender import RateLimit

    assert RateLimit(2, 0).gap == 0.5  # 2 a second
    assert RateLimit(0, 360).gap == 10.0  # 360 an hour: one every ten seconds
    assert RateLimit(2, 360).gap == 10.0 and RateLimit(100, 3600 * 50).gap == 0.02
    assert RateLimit(0, 0).gap == 0.0  # no limit
