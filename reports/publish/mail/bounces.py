"""Reading a Maildir of what came back: delivery-status notifications (flufl.bounce recognises the
standard DSN and the many formats servers actually send) mark hard bounces, and ARF feedback
reports (RFC 5965, a recipient pressing "spam") mark complaints. Temporary failures change
nothing: the sender already retries those. Only addresses on the list are touched; a report for
an unknown address is counted, never added."""

from __future__ import annotations

import email
import mailbox
import sqlite3
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.utils import getaddresses
from pathlib import Path

from email_validator import EmailNotValidError
from flufl.bounce import all_failures

from reports.core.errors import InputError
from reports.publish.mail.subscribers import find, normalise_address, suppress


@dataclass
class BounceReport:
    read: int = 0
    bounced: set[str] = field(default_factory=set)
    complained: set[str] = field(default_factory=set)
    unknown: int = 0        # reports naming addresses not on the list
    not_reports: int = 0    # messages that are neither a hard bounce nor a complaint

    def __str__(self) -> str:
        return (f"{self.read} messages read: {len(self.bounced)} addresses marked bounced, {len(self.complained)} "
                f"marked complained, {self.unknown} reports for addresses not on the list, {self.not_reports} "
                "messages that were neither a hard bounce nor a complaint")


def _complaint(message: Message) -> list[str]:
    """The recipients an ARF report complains about: its Original-Rcpt-To, else the To of the original."""
    if message.get_content_type() != "multipart/report" or message.get_param("report-type") != "feedback-report":
        return []
    found: list[str] = []
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            found += [address for _, address in getaddresses(_inner(part).get_all("Original-Rcpt-To", []))]
        elif part.get_content_type() in ("message/rfc822", "text/rfc822-headers") and not found:
            found += [address for _, address in getaddresses(_inner(part).get_all("To", []))]
    return found


def _inner(part: Message) -> Message:
    """The header block a message/* or text/rfc822-headers part holds, as a message."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    return email.message_from_string(str(payload).strip() + "\n\n", policy=policy.compat32)


def _on_list(db: sqlite3.Connection, addresses: list[str], report: BounceReport) -> list[str]:
    known = []
    for raw in addresses:
        try:
            address = normalise_address(raw)
        except EmailNotValidError:
            report.unknown += 1
            continue
        if find(db, address) is None:
            report.unknown += 1
        else:
            known.append(address)
    return known


def import_maildir(db: sqlite3.Connection, folder: Path) -> BounceReport:
    if not (folder / "cur").is_dir() and not (folder / "new").is_dir():
        raise InputError(folder, "not a Maildir (no cur/ or new/ folder)", "Pass the Maildir the bounces arrive in.")
    report = BounceReport()
    box = mailbox.Maildir(folder, factory=None, create=False)
    for key in sorted(box.keys()):
        message = email.message_from_bytes(box.get_bytes(key), policy=policy.compat32)
        report.read += 1
        complained = _on_list(db, _complaint(message), report)
        if complained:
            suppress(db, complained, "complained", "ARF complaint")
            report.complained.update(complained)
            continue
        _, permanent = all_failures(message)
        bounced = _on_list(db, [address.decode("utf-8", "replace") for address in permanent], report)
        if bounced:
            suppress(db, bounced, "bounced", "hard bounce (delivery-status notification)")
            report.bounced.update(bounced)
        elif not permanent:
            report.not_reports += 1
    return report
