"""Looking before sending: `--dry-run` writes each message as an .eml file, `--to` mails one copy.

Neither touches the send ledger: a dry run or a test copy never counts as a subscriber's send.
"""

from __future__ import annotations

import re
from pathlib import Path

from email_validator import EmailNotValidError

from reports.core.atomic import write_file
from reports.core.errors import BriefError, UsageError
from reports.core.settings import Settings
from reports.publish.mail import audience, smtp, subscribers
from reports.publish.mail.edition import read_edition
from reports.publish.mail.failures import RunStopped, unexpected
from reports.publish.mail.message import Composer, Recipient
from reports.publish.mail.store import open_store

TEST_TOKEN = "test-copy"  # a test copy's unsubscribe links unsubscribe nobody


def _recipients(settings: Settings, to: str | None, limit: int | None, asset: str | None = None) -> list[Recipient]:
    if to is not None:
        try:
            address = subscribers.normalise_address(to)
        except EmailNotValidError as error:
            raise UsageError(f"--to {to!r} is not a valid email address ({error}).") from None
        return [Recipient(address, "", TEST_TOKEN)]
    people = [p for p in subscribers.all_subscribers(open_store(settings))
              if p.status == "active" and audience.receives(p.tags, asset)]
    return [Recipient(p.email, p.name, p.token) for p in people[:limit]]


def write_drafts(settings: Settings, folder: Path, eml_dir: Path, to: str | None = None,
                 limit: int | None = None) -> list[Path]:
    """One .eml per recipient (the brief's active audience, or the --to address); nothing is sent."""
    edition = read_edition(folder)
    composer = Composer(edition, settings)
    try:
        eml_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BriefError(f"{eml_dir}: cannot create the folder ({error.strerror}). Choose another --eml-dir.") from None
    written: list[Path] = []
    for number, recipient in enumerate(_recipients(settings, to, limit, edition.asset), start=1):
        path = eml_dir / f"{number:05d}-{re.sub(r'[^A-Za-z0-9@._+-]', '_', recipient.email)}.eml"
        try:
            data = composer.message_bytes(recipient)
        except Exception as error:  # a bug, or a row no check foresaw: say which, and what is already written
            done = f"{len(written)} .eml files were written to {eml_dir} before it"
            raise RunStopped(f"stopped: {unexpected(recipient.email, error)}; {done}. Report the error "
                             "(--debug shows the traceback)") from error
        write_file(path, data)
        written.append(path)
    return written


def send_test(settings: Settings, folder: Path, to: str) -> str:
    """Mail one copy to `to` now; returns the server's answer. Raises if it was not accepted."""
    composer = Composer(read_edition(folder), settings)
    (recipient,) = _recipients(settings, to, None)
    message = composer.compose(recipient)
    del message["Message-ID"]  # a test copy must not share the real message's id (servers dedupe on it)
    message["Message-ID"] = composer.message_id(f"{TEST_TOKEN}:{recipient.email}")
    client = smtp.connect(settings)
    try:
        answer = smtp.deliver(client, composer.sender.addr_spec, recipient.address.addr_spec,
                              composer.as_bytes(message))
    finally:
        smtp.close(client)
    if not answer.delivered:
        raise BriefError(f"the server did not accept the test copy to {recipient.email}: {answer}")
    return str(answer)
