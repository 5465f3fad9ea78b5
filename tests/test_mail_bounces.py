"""`bounces import MAILDIR`: hard bounces (RFC 3464 delivery-status notifications) and complaints
(RFC 5965 ARF reports) found in a real Maildir mark their addresses, and the next campaign skips
them. The messages are written here in the standard formats servers send."""

from __future__ import annotations

import mailbox

from conftest import run_cli
from mail_support import brief_folder, mail_env, server, subscribe  # noqa: F401

PEOPLE = "email\nana@example.com\nbo@example.org\ncy@example.net\ndee@example.com\n"


def dsn(recipient: str, action: str, status: str) -> bytes:
    return f"""From: MAILER-DAEMON@mx.example.net
To: brief@example.com
Subject: Delivery Status Notification
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered to {recipient}.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b1
Content-Type: text/rfc822-headers

From: brief@example.com
To: {recipient}
Subject: The weekly brief

--b1--
""".replace("\n", "\r\n").encode()


def arf(recipient: str) -> bytes:
    return f"""From: feedback@provider.example.net
To: abuse@example.com
Subject: complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b2"

--b2
Content-Type: text/plain

This is an email abuse report.

--b2
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Rcpt-To: {recipient}

--b2
Content-Type: message/rfc822

From: brief@example.com
To: {recipient}
Subject: The weekly brief

Hello
--b2--
""".replace("\n", "\r\n").encode()


def test_hard_bounces_and_complaints_are_marked_and_skipped(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, PEOPLE)
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(dsn("ana@example.com", "failed", "5.1.1"))
    box.add(dsn("bo@example.org", "delayed", "4.4.1"))  # temporary: nothing changes
    box.add(arf("cy@example.net"))
    box.add(dsn("stranger@example.com", "failed", "5.1.1"))  # not on the list: never added
    box.add(b"From: someone@example.com\r\nSubject: thanks\r\n\r\nNice brief!\r\n")
    result = run_cli("bounces", "import", str(tmp_path / "bounces"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ("5 messages read: 1 addresses marked bounced, 1 marked complained, "
                                     "1 reports for addresses not on the list, 2 messages that were neither a hard "
                                     "bounce nor a complaint")
    listed = dict(line.split("\t")[:2] for line in run_cli("subscribers", "list").stdout.splitlines())
    assert listed == {"ana@example.com": "bounced", "bo@example.org": "active", "cy@example.net": "complained",
                      "dee@example.com": "active"}
    sent = run_cli("send", str(brief_folder))
    assert sent.exit_code == 0, sent.output
    assert sorted(mail_env.received) == ["bo@example.org", "dee@example.com"]


def test_a_folder_that_is_not_a_maildir_is_bad_input(tmp_path, mail_env):
    result = run_cli("bounces", "import", str(tmp_path))
    assert result.exit_code != 0 and "not a Maildir" in result.stderr
