"""The mail database: one SQLite file (WAL) under the data directory, shared by the subscriber
list and the send ledger, so a campaign and its list can never drift apart on disk.

WAL keeps every committed change through a crash of the sender and lets `send-status`
read while a campaign writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reports.core.errors import BriefError

FILENAME = "mail.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS subscribers (
    email   TEXT PRIMARY KEY,            -- normalised address, compared without regard to case
    name    TEXT NOT NULL DEFAULT '',
    tags    TEXT NOT NULL DEFAULT '',    -- comma-separated, sorted
    token   TEXT NOT NULL UNIQUE,        -- the secret in the unsubscribe links
    status  TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'unsubscribed', 'bounced', 'complained')),
    reason  TEXT NOT NULL DEFAULT '',
    added   TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS campaigns (
    brief       TEXT PRIMARY KEY,        -- the brief's key (see message.brief_key)
    subscribers INTEGER NOT NULL,        -- the list's size when the campaign began
    started     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
    brief    TEXT NOT NULL REFERENCES campaigns(brief),
    email    TEXT NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'suppressed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    answer   TEXT NOT NULL DEFAULT '',   -- the server's last answer, or why it was suppressed
    updated  TEXT NOT NULL,
    PRIMARY KEY (brief, email)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ledger_state ON ledger (brief, state);
"""


def database_path(data_dir: Path) -> Path:
    return data_dir / FILENAME


def connect(data_dir: Path) -> sqlite3.Connection:
    """Open (creating if needed) the mail database; autocommit off, so each `with db:` is one commit."""
    path = database_path(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process (the OS still has the pages); only a power
        # cut can lose the last commits, never corrupt the file.
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
    except sqlite3.Error as error:
        raise BriefError(f"{path}: cannot open the mail database ({error}). Check --data-dir / BRIEF_DATA_DIR.") from None
    except OSError as error:
        raise BriefError(f"{path.parent}: cannot create the data directory ({error.strerror}). "
                         "Check --data-dir / BRIEF_DATA_DIR.") from None
    db.row_factory = sqlite3.Row
    return db
