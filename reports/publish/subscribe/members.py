"""What the service changes in the subscriber list: a confirmed sign-up, a one-click unsubscribe,
a subscriber's tags, and the throttle on confirmation mails. Each change is one committed SQLite
transaction before the service answers, so a killed service never loses a confirmed subscriber."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from reports.core import clock
from reports.publish.mail.subscribers import Subscriber, find, new_token

THROTTLE = """
CREATE TABLE IF NOT EXISTS signup_mails (
    who  TEXT PRIMARY KEY,   -- the address's keyed hash (signing.pseudonym), never the address
    sent TEXT NOT NULL       -- when the last confirmation mail went to it
) WITHOUT ROWID;
"""
RESUBSCRIBE = ("active", "unsubscribed", "bounced")  # a complaint is never undone by a web form


def prepare(db: sqlite3.Connection) -> None:
    with db:
        db.executescript(THROTTLE)


def may_mail(db: sqlite3.Connection, who: str, every: float) -> bool:
    """True (and recorded) when no confirmation mail went to this address in the last `every` seconds."""
    now = datetime.now(UTC)  # the wall clock, not the build's pinned one: a throttle must expire
    with db:
        row = db.execute("SELECT sent FROM signup_mails WHERE who = ?", (who,)).fetchone()
        if row is not None and now - datetime.fromisoformat(row["sent"]) < timedelta(seconds=every):
            return False
        db.execute("INSERT INTO signup_mails (who, sent) VALUES (?, ?) ON CONFLICT (who) DO UPDATE SET sent = excluded.sent",
                   (who, now.isoformat()))
    return True


def confirm(db: sqlite3.Connection, address: str, tags: tuple[str, ...]) -> bool:
    """Subscribe a confirmed address (or bring back one that unsubscribed or bounced); True if it is
    now active. A known address keeps its token, so links in mails already sent go on working."""
    with db:
        known = db.execute("SELECT status FROM subscribers WHERE email = ?", (address,)).fetchone()
        if known is None:
            db.execute("INSERT INTO subscribers (email, name, tags, token, added) VALUES (?, '', ?, ?, ?)",
                       (address, ",".join(sorted(set(tags))), new_token(), clock.now().isoformat()))
            return True
        if known["status"] not in RESUBSCRIBE:
            return False
        db.execute("UPDATE subscribers SET status = 'active', reason = 'confirmed sign-up' WHERE email = ?", (address,))
    return True


def by_token(db: sqlite3.Connection, token: str) -> Subscriber | None:
    row = db.execute("SELECT email FROM subscribers WHERE token = ?", (token,)).fetchone()
    return find(db, row["email"]) if row else None


def unsubscribe(db: sqlite3.Connection, token: str) -> bool:
    """One-click unsubscribe; True when a subscriber had this token (the answer is the same either way)."""
    with db:
        cursor = db.execute("UPDATE subscribers SET status = 'unsubscribed', reason = 'one-click unsubscribe' "
                            "WHERE token = ? AND status = 'active'", (token,))
        known = cursor.rowcount or db.execute("SELECT 1 FROM subscribers WHERE token = ?", (token,)).fetchone()
    return bool(known)


def set_tags(db: sqlite3.Connection, token: str, tags: tuple[str, ...]) -> bool:
    with db:
        cursor = db.execute("UPDATE subscribers SET tags = ? WHERE token = ?", (",".join(sorted(set(tags))), token))
    return cursor.rowcount > 0


def known_tags(db: sqlite3.Connection) -> set[str]:
    return {tag for (tags,) in db.execute("SELECT tags FROM subscribers") for tag in tags.split(",") if tag}
