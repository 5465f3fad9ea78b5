"""The subscriber list: import from CSV (validated, duplicates merged), list, remove, unsubscribe.

A bad row never stops an import and is never dropped silently: it is reported with its line
and skipped, and the good rows go in together in one transaction. Names end up in headers
(`To: Name <address>`) and in the text, so a name with a line break or another control
character is refused here, where the person fixing the file can see it.
"""

from __future__ import annotations

import csv
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from reports.core import clock
from reports.core.errors import InputError, Location, UsageError

STATUSES = ("active", "unsubscribed", "bounced", "complained")
MAX_NAME = 200


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str
    tags: tuple[str, ...]
    token: str
    status: str


@dataclass(frozen=True)
class BadRow:
    """A row the import reports: skipped, or (as a note) imported with something to know."""

    where: Location
    problem: str
    outcome: str = "row skipped"

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}; {self.outcome}"


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    merged: int  # rows that repeated an address earlier in the file
    bad: tuple[BadRow, ...] = field(default=())
    notes: tuple[BadRow, ...] = field(default=())  # rows imported, with something the operator should know


def new_token() -> str:
    """A subscriber's unsubscribe token: 144 random bits, URL-safe, and never starting with '-', so
    that `subscribers unsubscribe TOKEN` is not read as an option (1 in 64 tokens used to be)."""
    while True:
        token = secrets.token_urlsafe(18)
        if not token.startswith("-"):
            return token


def normalise_address(text: str) -> str:
    """The address as email-validator normalises it, lower-cased so that case never makes a duplicate."""
    result = validate_email(text.strip(), check_deliverability=False)
    return result.normalized.lower()


def check_name(name: str) -> str:
    """A display name that is safe in a header and in text: no control characters, no line breaks."""
    name = name.strip()
    bad = [ch for ch in name if unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029"]
    if bad:
        raise ValueError(f"the name contains a control character ({', '.join(sorted({repr(c) for c in bad}))}); "
                         "names must be one line of plain text")
    if len(name) > MAX_NAME:
        raise ValueError(f"the name is {len(name)} characters long; at most {MAX_NAME} are allowed")
    return name


def _tags(text: str) -> tuple[str, ...]:
    return tuple(sorted({tag.strip() for tag in text.replace(";", ",").split(",") if tag.strip()}))


def _smtputf8_note(where: Location, address: str) -> BadRow | None:
    """A non-ASCII local part is accepted: it is sent with SMTPUTF8 where the server offers it, and
    otherwise that one row fails with an answer saying so (sender.py). The import says so up front."""
    if address.rsplit("@", 1)[0].isascii():
        return None
    return BadRow(where, f"{address} has a non-ASCII local part",
                  "imported; it can only be mailed through an SMTP server that offers SMTPUTF8")


@dataclass
class _Parsed:
    rows: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # address -> (name, tags)
    merged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    notes: list[BadRow] = field(default_factory=list)


def read_csv(path: Path) -> _Parsed:
    """Rows of `email,name[,tags]` -> {address: (name, tags)}, merged duplicates, bad rows and notes."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return _read_rows(path, csv.reader(handle))
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror})", "Check the path.") from None
    except UnicodeDecodeError:
        raise InputError(path, "the file is not UTF-8 text", "Save it as UTF-8 CSV and import again.") from None
    except csv.Error as error:
        raise InputError(path, f"not a readable CSV file ({error})", "Fix the quoting and import again.") from None


def _read_rows(path: Path, reader) -> _Parsed:
    header = [cell.strip().lower() for cell in next(reader, [])]
    if "email" not in header:
        raise InputError(Location(path, 1), f"the header {','.join(header) or '(empty)'} has no email column",
                         "The first line must name the columns: email,name,tags (name and tags optional).")
    columns = {name: header.index(name) for name in ("email", "name", "tags") if name in header}
    parsed = _Parsed()
    rows, bad = parsed.rows, parsed.bad
    while True:
        line = reader.line_num + 1  # where the row starts: a quoted cell may span several lines
        cells = next(reader, None)
        if cells is None:
            break
        if not any(cell.strip() for cell in cells):
            continue
        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        try:
            address = normalise_address(cell("email"))
        except EmailNotValidError as error:
            bad.append(BadRow(Location(path, line, columns["email"] + 1, "email"),
                              f"{cell('email')!r} is not a valid email address ({error})"))
            continue
        try:
            name = check_name(cell("name"))
        except ValueError as error:
            bad.append(BadRow(Location(path, line, columns["name"] + 1, "name"), str(error)))
            continue
        note = _smtputf8_note(Location(path, line, columns["email"] + 1, "email"), address)
        if note is not None:
            parsed.notes.append(note)
        if address in rows:
            parsed.merged += 1
            old_name, old_tags = rows[address]
            rows[address] = (name or old_name, tuple(sorted(set(old_tags) | set(_tags(cell("tags"))))))
        else:
            rows[address] = (name, _tags(cell("tags")))
    return parsed


def import_csv(db: sqlite3.Connection, path: Path) -> ImportReport:
    """Add new addresses and refresh names/tags of known ones. An unsubscribed, bounced or complained
    address stays suppressed: importing a list again never re-subscribes anyone."""
    parsed = read_csv(path)
    added = updated = 0
    stamp = clock.now().isoformat()
    with db:
        for address, (name, tags) in parsed.rows.items():
            known = db.execute("SELECT name, tags FROM subscribers WHERE email = ?", (address,)).fetchone()
            if known is None:
                db.execute("INSERT INTO subscribers (email, name, tags, token, added) VALUES (?, ?, ?, ?, ?)",
                           (address, name, ",".join(tags), new_token(), stamp))
                added += 1
            else:
                merged_tags = sorted(set(filter(None, known["tags"].split(","))) | set(tags))
                db.execute("UPDATE subscribers SET name = ?, tags = ? WHERE email = ?",
                           (name or known["name"], ",".join(merged_tags), address))
                updated += 1
    return ImportReport(added, updated, parsed.merged, tuple(parsed.bad), tuple(parsed.notes))


def _subscriber(row: sqlite3.Row) -> Subscriber:
    return Subscriber(row["email"], row["name"], tuple(filter(None, row["tags"].split(","))), row["token"], row["status"])


def all_subscribers(db: sqlite3.Connection) -> list[Subscriber]:
    return [_subscriber(row) for row in db.execute("SELECT * FROM subscribers ORDER BY email")]


def find(db: sqlite3.Connection, address: str) -> Subscriber | None:
    row = db.execute("SELECT * FROM subscribers WHERE email = ?", (address,)).fetchone()
    return _subscriber(row) if row else None


def _known_address(address: str) -> str:
    try:
        return normalise_address(address)
    except EmailNotValidError as error:
        raise UsageError(f"{address!r} is not a valid email address ({error}).") from None


def remove(db: sqlite3.Connection, address: str) -> None:
    """Forget a subscriber entirely (their past ledger rows stay, as the record of what was sent)."""
    address = _known_address(address)
    with db:
        _must_exist(db.execute("DELETE FROM subscribers WHERE email = ?", (address,)), address)


def _must_exist(cursor: sqlite3.Cursor, address: str) -> None:
    if cursor.rowcount == 0:
        raise UsageError(f"{address} is not on the list; `subscribers list` shows who is.")


def suppress_address(db: sqlite3.Connection, address: str, status: str) -> None:
    """Mark one address bounced, complained or unsubscribed, by hand (a provider's report)."""
    address = _known_address(address)
    with db:
        _must_exist(db.execute("UPDATE subscribers SET status = ?, reason = 'marked by hand' WHERE email = ?",
                               (status, address)), address)


def unsubscribe(db: sqlite3.Connection, token: str) -> str:
    """Mark the subscriber with this token unsubscribed; returns their address. Idempotent."""
    with db:
        row = db.execute("SELECT email FROM subscribers WHERE token = ?", (token.strip(),)).fetchone()
        if row is None:
            raise UsageError("no subscriber has that unsubscribe token; check it was copied whole.")
        db.execute("UPDATE subscribers SET status = 'unsubscribed', reason = 'unsubscribe link' WHERE email = ?",
                   (row["email"],))
    return row["email"]


def suppress(db: sqlite3.Connection, addresses: Iterable[str], status: str, reason: str) -> None:
    """Mark addresses bounced or complained (the sender does this on a permanent refusal)."""
    assert status in STATUSES
    with db:
        db.executemany("UPDATE subscribers SET status = ?, reason = ? WHERE email = ?",
                       [(status, reason, address) for address in addresses])
