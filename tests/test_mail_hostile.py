"""Hostile subscriber data and settings against the real sender (issue 12, the mail parts).

Every test sends through a real aiosmtpd server on 127.0.0.1 and reads back what the server
received, byte for byte, with the standard library's parser; the ledger is read with plain sqlite3.
"""

from __future__ import annotations

import csv
import io
import re
from email.utils import getaddresses

import pytest

from conftest import run_cli
from mail_support import (brief_folder, database, headers, ledger_rows, mail_env, parse, parse_utf8,  # noqa: F401
                          server, subscribe, tokens, utf8_server)
from reports.core.errors import UsageError

NON_ASCII = ["ana@example.com", "bo@example.com", "cy@example.com", "dan@example.com", "jörg@example.com",
             "kim@example.com", "lu@example.com", "zoe@example.com"]


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch):
    """These tests are about headers and the ledger: a megabyte of PDF per message would only slow them."""
    monkeypatch.setenv("BRIEF_ATTACH_PDF", "false")


def send(folder, *args):
    return run_cli("send", str(folder), *args)


def rows_csv(rows: list[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["email", "name"])
    writer.writerows(rows)
    return buffer.getvalue()


def tally(output: str) -> dict[str, int]:
    found = re.search(r"sent (\d+) \+ failed (\d+) \+ suppressed (\d+) \+ pending (\d+) = \d+; "
                      r"subscribers at campaign time (\d+) \(invariant holds\)", output)
    assert found, output
    return dict(zip(("sent", "failed", "suppressed", "pending", "subscribers"), map(int, found.groups())))


# --- case 4: non-ASCII addresses ------------------------------------------------------------------

def test_a_non_ascii_local_part_goes_out_with_smtputf8_when_the_server_offers_it(tmp_path, brief_folder, utf8_server):
    subscribe(tmp_path, rows_csv([(address, address.split("@")[0].title()) for address in NON_ASCII]))
    result = send(brief_folder)
    assert result.exit_code == 0, result.output
    assert tally(result.output)["sent"] == len(NON_ASCII)
    assert sorted(utf8_server.received) == sorted(NON_ASCII)
    assert "SMTPUTF8" in utf8_server.mail_options["jörg@example.com"]
    assert "SMTPUTF8" not in utf8_server.mail_options["ana@example.com"]  # only the message that needs it
    (to,) = parse_utf8(dict(utf8_server.messages)["jörg@example.com"])["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Jörg", "jörg@example.com")


def test_without_smtputf8_only_the_non_ascii_row_fails_with_an_answer_and_stays_subscribed(tmp_path, brief_folder,
                                                                                           mail_env):
    subscribe(tmp_path, rows_csv([(address, "") for address in NON_ASCII]))
    result = send(brief_folder)
    assert result.exit_code == 0, result.output  # the others were delivered: the run did its job
    assert tally(result.output) == {"sent": 7, "failed": 1, "suppressed": 0, "pending": 0, "subscribers": 8}
    assert sorted(mail_env.received) == sorted(set(NON_ASCII) - {"jörg@example.com"})
    assert mail_env.attempts["jörg@example.com"] == 0  # refused here, never offered to the server
    state, answer = ledger_rows()["jörg@example.com"]
    assert state == "failed" and "SMTPUTF8" in answer and "non-ASCII" in answer
    assert f"failed\tjörg@example.com\t{answer}" in run_cli("send-status", str(brief_folder)).output
    assert "jörg@example.com\tactive" in run_cli("subscribers", "list").output  # not a bounce


def test_import_takes_a_non_ascii_local_part_and_says_on_which_line_what_it_needs(tmp_path):
    result = subscribe(tmp_path, "email,name\nana@example.com,Ana\njörg@example.com,Jörg\n")
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output and "0 bad rows skipped" in result.output
    assert "subscribers.csv, line 3, column 1 (email): jörg@example.com has a non-ASCII local part" in result.stderr
    assert "SMTPUTF8" in result.stderr


def test_dry_run_writes_every_message_including_the_non_ascii_one(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, rows_csv([("ana@example.com", "Ana"), ("jörg@example.com", "Jörg"), ("zoe@example.com", "")]))
    eml = tmp_path / "eml"
    result = send(brief_folder, "--dry-run", "--eml-dir", str(eml))
    assert result.exit_code == 0, result.output
    assert "wrote 3 messages" in result.output and "Nothing was written" not in result.output
    files = sorted(eml.glob("*.eml"))
    assert [parse_utf8(f.read_bytes())["To"].addresses[0].addr_spec for f in files] == \
        ["ana@example.com", "jörg@example.com", "zoe@example.com"]


def test_a_non_ascii_domain_is_idna_encoded_in_the_envelope_and_in_to(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, "email,name\nana@Bücher.example.com,Ana\n")
    result = send(brief_folder)
    assert result.exit_code == 0, result.output
    assert mail_env.received == {"ana@xn--bcher-kva.example.com": 1}
    raw = mail_env.messages[0][1]
    to_line = [line for line in headers(raw).split("\r\n") if line.startswith("To:")]
    assert to_line == ["To: Ana <ana@xn--bcher-kva.example.com>"]
    assert "SMTPUTF8" not in mail_env.mail_options["ana@xn--bcher-kva.example.com"]


# --- case 6: display names are text, never header syntax --------------------------------------------

HOSTILE_NAMES = [
    "=?utf-8?b?QmNjOiB4QHkuY29t?=",                  # decodes to "Bcc: x@y.com"
    "=?utf-8?q?Bcc=3A_x=40y=2Ecom?= Smith",
    "Jörg =?utf-8?b?QmNjOiB4QHkuY29t?=",
    'Ana "Boss", <x@evil.example>',
    "Müller, Jörg",
    "x@evil.example",
]


def test_names_that_look_like_encoded_words_or_addresses_arrive_as_the_same_text(tmp_path, brief_folder, mail_env):
    people = {f"reader{i}@example.com": name for i, name in enumerate(HOSTILE_NAMES)}
    assert subscribe(tmp_path, rows_csv(list(people.items()))).exit_code == 0
    result = send(brief_folder)
    assert result.exit_code == 0, result.output
    for address, raw in mail_env.messages:
        block = headers(raw)
        assert "Bcc" not in block and "x@y.com" not in block, block  # neither the encoded word nor its decoding
        message = parse(raw)
        (to,) = message["To"].addresses
        assert (to.display_name, to.addr_spec) == (people[address], address)
        # an independent reader of the raw header sees one address, not a group or a list
        (line,) = [line for line in block.split("\r\n") if line.startswith("To:")]
        assert len(getaddresses([line[3:]])) == 1
        assert f"Hello {people[address]}," in message.get_body(("plain",)).get_content()


def test_a_from_name_that_looks_like_an_encoded_word_is_plain_text_too(brief_folder):
    from reports.publish.mail.message import Recipient

    composer = _composer(brief_folder, mail_from='"=?utf-8?b?QmNjOiB4QHkuY29t?=" <brief@example.com>')
    raw = composer.as_bytes(composer.compose(Recipient("ana@example.com", "Ana", "tok")))
    assert "Bcc" not in headers(raw)
    (sender,) = parse(raw)["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("=?utf-8?b?QmNjOiB4QHkuY29t?=", "brief@example.com")


# --- case 9 (runtime): List-Unsubscribe carries exactly the two links --------------------------------

def _composer(brief_folder, **settings):
    from reports.publish.mail.edition import read_edition
    from reports.publish.mail.message import Composer
    from reports.core.settings import load_settings

    # model_copy skips validation: this checks that the header is safe even with values the
    # settings checks would refuse
    return Composer(read_edition(brief_folder), load_settings(None, {}, {}).model_copy(update=settings))


def test_an_unsubscribe_mailto_with_a_second_address_is_refused_before_anything_is_sent(tmp_path, brief_folder,
                                                                                        mail_env, monkeypatch):
    hostile = "u@example.com>, <mailto:evil@evil.example"
    with pytest.raises(UsageError, match="unsubscribe_mailto"):
        _composer(brief_folder, unsubscribe_mailto=hostile)
    subscribe(tmp_path, "email\nana@example.com\n")
    monkeypatch.setenv("BRIEF_UNSUBSCRIBE_MAILTO", hostile)
    result = send(brief_folder)
    assert result.exit_code == 2 and "unsubscribe_mailto" in result.output, result.output
    assert mail_env.attempts == {}


def test_the_unsubscribe_links_are_percent_encoded_and_cannot_break_out_of_their_brackets(brief_folder, tmp_path,
                                                                                         mail_env, monkeypatch):
    composer = _composer(brief_folder, unsubscribe_mailto="a&b=c@example.com",
                         unsubscribe_url="https://example.com/u?x=1>, <mailto:evil@evil.example")
    https, mailto = composer.unsubscribe_links("tok")
    assert mailto == "mailto:a%26b%3Dc@example.com?subject=unsubscribe%20tok"
    assert "<" not in https and ">" not in https and " " not in https and https.endswith("&token=tok")

    monkeypatch.setenv("BRIEF_UNSUBSCRIBE_MAILTO", "unsub+brief@example.com")
    subscribe(tmp_path, "email\nana@example.com\n")
    assert send(brief_folder).exit_code == 0
    links = re.findall(r"<([^>]*)>", str(parse(mail_env.messages[0][1])["List-Unsubscribe"]))
    token = tokens()["ana@example.com"]
    assert links == [f"mailto:unsub+brief@example.com?subject=unsubscribe%20{token}",
                     f"https://example.com/unsubscribe?token={token}"]


# --- case 10 (mail): what a 5xx means, and a run that delivers nothing ------------------------------

def test_any_5xx_refusal_of_the_recipient_is_a_bounce_but_a_refused_message_is_not(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, "email\nana@example.com\nbo@example.com\ncy@example.com\ndan@example.com\n")
    mail_env.refuse["bo@example.com"] = 554
    mail_env.refuse["cy@example.com"] = 551
    mail_env.reject_data["dan@example.com"] = 554  # the server took the address, then refused this message
    result = send(brief_folder)
    assert result.exit_code == 0, result.output
    assert tally(result.output) == {"sent": 1, "failed": 3, "suppressed": 0, "pending": 0, "subscribers": 4}
    statuses = dict(line.split("\t")[:2] for line in run_cli("subscribers", "list").output.splitlines())
    assert statuses == {"ana@example.com": "active", "bo@example.com": "bounced", "cy@example.com": "bounced",
                        "dan@example.com": "active"}
    assert ledger_rows()["dan@example.com"] == ("failed", "554 5.6.0 message refused")


def test_a_run_that_attempts_messages_and_delivers_none_exits_1(tmp_path, brief_folder, mail_env, monkeypatch):
    monkeypatch.setenv("BRIEF_MAX_CONSECUTIVE_FAILURES", "10")  # not the stop rule: every answer is final
    subscribe(tmp_path, "email\nana@example.com\nbo@example.com\n")
    mail_env.refuse.update({"ana@example.com": 550, "bo@example.com": 554})
    result = send(brief_folder)
    assert result.exit_code == 1, result.output
    assert "none of the 2 messages attempted in this run was delivered" in result.output
    assert tally(result.output)["failed"] == 2
    again = send(brief_folder)  # nothing left to attempt: that is not a failure
    assert again.exit_code == 0 and "0 messages attempted" in again.output


# --- an unexpected error for one row ---------------------------------------------------------------

def add_broken_row() -> None:
    """A row the import would refuse (a name with a line break), written into the database by hand or by
    an older version: composing its message raises."""
    with database() as db:
        db.execute("INSERT INTO subscribers (email, name, token, added) VALUES (?, ?, ?, ?)",
                   ("eve@example.com", "Eve\r\nBcc: x@evil.example", "token-eve", "2026-02-01T00:00:00+00:00"))


def test_an_unexpected_error_for_one_row_stops_the_run_names_the_row_and_answers_it(tmp_path, brief_folder, mail_env,
                                                                                   monkeypatch):
    monkeypatch.setenv("BRIEF_SEND_CONCURRENCY", "1")  # one thread: the rows go in address order
    subscribe(tmp_path, "email\nana@example.com\nbo@example.com\nzed@example.com\n")
    add_broken_row()
    result = send(brief_folder)
    assert result.exit_code == 1, result.output
    assert "eve@example.com" in result.output and "ValueError" in result.output
    assert "unexpected error:" not in result.output and "Nothing was written" not in result.output
    rows = ledger_rows()
    assert rows["eve@example.com"][0] == "failed" and "ValueError" in rows["eve@example.com"][1]
    assert {state for state, _ in rows.values()} <= {"sent", "failed", "pending"}  # nothing left `sending`
    assert rows["zed@example.com"][0] == "pending"  # the run stopped at eve's row
    assert mail_env.received == {"ana@example.com": 1, "bo@example.com": 1}

    again = send(brief_folder)  # the rest goes out; eve's row keeps its answer
    assert again.exit_code == 0, again.output
    assert tally(again.output) == {"sent": 3, "failed": 1, "suppressed": 0, "pending": 0, "subscribers": 4}
    assert "x@evil.example" not in mail_env.received


def test_a_dry_run_that_meets_such_a_row_names_it_and_says_what_it_already_wrote(tmp_path, brief_folder, mail_env):
    subscribe(tmp_path, "email\nana@example.com\nbo@example.com\nzed@example.com\n")
    add_broken_row()
    eml = tmp_path / "eml"
    result = send(brief_folder, "--dry-run", "--eml-dir", str(eml))
    assert result.exit_code == 1, result.output
    assert "eve@example.com" in result.output and f"2 .eml files were written to {eml}" in result.output
    assert "Nothing was written" not in result.output
    assert len(list(eml.glob("*.eml"))) == 2


def test_an_unsubscribe_token_never_starts_with_a_dash():
    """`subscribers unsubscribe TOKEN` would read such a token as an option (it did for 1 token in 64)."""
    from reports.publish.mail.subscribers import new_token

    assert not [token for token in (new_token() for _ in range(5000)) if token.startswith("-")]
