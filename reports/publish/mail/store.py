"""The mail database: one SQLite file (WAL) in the mail directory, shared by the subscriber
list and the send ledger, so a campaign and its list can never drift apart on disk.

WAL keeps every committed change through a crash of the sender and lets `send-status`
read while a campaign writes.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from reports.core.errors import BriefError
from reports.core.settings import Settings, default_data_dir, default_mail_dir

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


def mail_dir(settings: Settings) -> Path:
    """Where the list and the ledger live: mail_dir if set; else data_dir if it was set (BRIEF_DATA_DIR,
    --data-dir); else the user's data directory, never the cache (cache cleaners would delete the list,
    the ledger and who unsubscribed)."""
    if settings.mail_dir is not None:
        return settings.mail_dir
    if "data_dir" in settings.model_fields_set:
        return settings.data_dir
    return default_mail_dir()


def open_store(settings: Settings, stream: TextIO | None = None) -> sqlite3.Connection:
    """The mail database of these settings, moved first from the old cache path if it is still there."""
    folder = mail_dir(settings)
    if settings.mail_dir is None and "data_dir" not in settings.model_fields_set:
        move_from_cache(default_data_dir(), folder, stream or sys.stderr)
    return connect(folder)


def move_from_cache(old_dir: Path, new_dir: Path, stream: TextIO) -> bool:
    """Copy the database at the old default (the cache directory) to the data directory with SQLite's
    backup (WAL pages included), swap it into place in one rename, then rename the old file away so
    it is never read again. Returns True when it moved something, and says so on `stream`."""
    old, new = database_path(old_dir), database_path(new_dir)
    if not old.is_file() or new.exists() or old.resolve() == new.resolve():
        return False
    staged = new.with_name(new.name + ".moving")
    try:
        new_dir.mkdir(parents=True, exist_ok=True)
        staged.unlink(missing_ok=True)
        source, target = sqlite3.connect(old), sqlite3.connect(staged)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        staged.replace(new)
        for suffix in ("", "-wal", "-shm"):
            moved = old.with_name(old.name + suffix)
            if moved.exists():
                moved.replace(moved.with_name(moved.name + ".moved"))
    except (sqlite3.Error, OSError) as error:
        raise BriefError(f"cannot move the mail database from {old} to {new} ({error}). Move it by hand, or "
                         "set mail_dir to the old folder.") from None
    print(f"moved the subscriber list and send ledger from the cache ({old}) to the data directory ({new}); "
          f"the old file is kept as {old.name}.moved", file=stream)
    return True
