"""The send ledger: one row per (brief, subscriber), each state change its own commit.

    pending -> sending -> sent | failed | suppressed      (and sending -> pending on a 4xx)

A row is marked `sending` and committed before the SMTP transaction starts, so after a crash
the only rows whose fate is unknown are the ones still `sending`, at most one per connection.
Resuming puts those back to `pending` and sends them again: a kill can duplicate at most
the messages in flight, and can never lose one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from reports.core import clock
from reports.publish.mail.lock import CampaignLock

STATES = ("pending", "sending", "sent", "failed", "suppressed")


@dataclass(frozen=True)
class Tally:
    """Where a campaign stands. `pending` includes rows caught `sending` by a crash."""

    subscribers: int  # the list's size when the campaign began
    sent: int
    failed: int
    suppressed: int
    pending: int

    @property
    def holds(self) -> bool:
        return self.sent + self.failed + self.suppressed + self.pending == self.subscribers

    def __str__(self) -> str:
        verdict = "holds" if self.holds else "BROKEN"
        return (f"sent {self.sent} + failed {self.failed} + suppressed {self.suppressed} + pending {self.pending} "
                f"= {self.sent + self.failed + self.suppressed + self.pending}; subscribers at campaign time "
                f"{self.subscribers} (invariant {verdict})")


def _stamp() -> str:
    return clock.now().isoformat()


def open_campaign(db: sqlite3.Connection, held: CampaignLock,
                  audience: Callable[[tuple[str, ...]], bool] = lambda tags: True) -> int:
    """Start the campaign for the locked brief or resume it; returns the audience's size at its start.

    The first run snapshots the audience in one transaction: the subscribers whose tags `audience`
    accepts (see `audience.receives`), active ones as `pending`, suppressed ones `suppressed`. Later
    runs add nobody, so the invariant keeps its meaning; in-flight rows left by a crash go back to
    `pending`. That reset is why the lock is required: with it held, a row still `sending` belongs to
    a run that has died.
    """
    brief = held.brief
    with db:
        row = db.execute("SELECT subscribers FROM campaigns WHERE brief = ?", (brief,)).fetchone()
        if row is not None:
            db.execute("UPDATE ledger SET state = 'pending', updated = ? WHERE brief = ? AND state = 'sending'",
                       (_stamp(), brief))
            return row["subscribers"]
        stamp = _stamp()
        rows = [(brief, person["email"], "pending" if person["status"] == "active" else "suppressed",
                 "" if person["status"] == "active" else f"{person['status']} before the campaign", stamp)
                for person in db.execute("SELECT email, status, tags FROM subscribers ORDER BY email")
                if audience(tuple(filter(None, person["tags"].split(","))))]
        db.execute("INSERT INTO campaigns (brief, subscribers, started) VALUES (?, ?, ?)", (brief, len(rows), stamp))
        db.executemany("INSERT INTO ledger (brief, email, state, answer, updated) VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)


def pending(db: sqlite3.Connection, brief: str, limit: int | None = None) -> list[str]:
    sql = "SELECT email FROM ledger WHERE brief = ? AND state = 'pending' ORDER BY email"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row["email"] for row in db.execute(sql, (brief,))]


def mark(db: sqlite3.Connection, brief: str, email: str, state: str, answer: str = "", attempt: bool = False) -> None:
    """One state change, committed at once."""
    assert state in STATES
    with db:
        db.execute(
            "UPDATE ledger SET state = ?, answer = ?, attempts = attempts + ?, updated = ? WHERE brief = ? AND email = ?",
            (state, answer, int(attempt), _stamp(), brief, email),
        )


def tally(db: sqlite3.Connection, brief: str) -> Tally | None:
    row = db.execute("SELECT subscribers FROM campaigns WHERE brief = ?", (brief,)).fetchone()
    if row is None:
        return None
    counts = dict.fromkeys(STATES, 0)
    for state, count in db.execute("SELECT state, COUNT(*) FROM ledger WHERE brief = ? GROUP BY state", (brief,)):
        counts[state] = count
    return Tally(row["subscribers"], counts["sent"], counts["failed"], counts["suppressed"],
                 counts["pending"] + counts["sending"])


def failures(db: sqlite3.Connection, brief: str, limit: int = 20) -> list[tuple[str, str]]:
    rows = db.execute("SELECT email, answer FROM ledger WHERE brief = ? AND state = 'failed' ORDER BY email LIMIT ?",
                      (brief, limit))
    return [(row["email"], row["answer"]) for row in rows]
