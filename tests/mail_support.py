"""Fixtures and helpers shared by the mail tests (imported by tests/test_mail*.py)."""

from __future__ import annotations

import email
import sqlite3
from email import policy
from pathlib import Path

import pytest

import smtp_server
from conftest import EPOCH, SELL_OFF, run_cli


@pytest.fixture(scope="session")
def brief_folder(tmp_path_factory) -> Path:
    """ONE real week (the February 2026 sell-off) built once per session, with the PDF for the attachment."""
    out = tmp_path_factory.mktemp("mail-out")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run_cli("brief", "--week-ending", SELL_OFF.isoformat(), "--formats", "html,pdf,json", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / SELL_OFF.isoformat()


@pytest.fixture
def server():
    recorder = smtp_server.Recorder()
    controller = smtp_server.start(recorder)
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture
def utf8_server(mail_env, monkeypatch):
    """`mail_env`, but pointing at a second server that offers SMTPUTF8 (the first one does not)."""
    recorder = smtp_server.Recorder()
    controller = smtp_server.start(recorder, smtputf8=True)
    recorder.port = controller.port
    monkeypatch.setenv("SMTP_PORT", str(controller.port))
    yield recorder
    controller.stop()


@pytest.fixture
def mail_env(monkeypatch, server, tmp_path):
    """SMTP settings pointing at the test's server, the conventional env names, quick retries."""
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(server.port))
    monkeypatch.setenv("SMTP_SECURITY", "none")
    monkeypatch.setenv("MAIL_FROM", "The Weekly Crypto Brief <brief@example.com>")
    monkeypatch.setenv("BRIEF_REPLY_TO", "editor@example.com")
    monkeypatch.setenv("BRIEF_UNSUBSCRIBE_URL", "https://example.com/unsubscribe")
    monkeypatch.setenv("BRIEF_POSTAL_ADDRESS", "The Weekly Crypto Brief, 1 Example Street, Springfield 00000")
    monkeypatch.setenv("BRIEF_RETRY_BACKOFF", "0.05")
    for name in ("SMTP_USER", "SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return server


def subscribe(tmp_path: Path, text: str, name: str = "subscribers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_cli("subscribers", "import", str(path))


def database(data_dir: Path | None = None) -> sqlite3.Connection:
    """The mail database opened with plain sqlite3: the tests read it without the product's code."""
    import os

    return sqlite3.connect(Path(data_dir or os.environ["BRIEF_DATA_DIR"]) / "mail.sqlite3")


def tokens() -> dict[str, str]:
    with database() as db:
        return dict(db.execute("SELECT email, token FROM subscribers"))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def parse_utf8(raw: bytes) -> email.message.EmailMessage:
    """A message sent with SMTPUTF8: its headers are UTF-8 (RFC 6532), which the bytes parser does not read."""
    return email.message_from_string(raw.decode("utf-8"), policy=policy.default)


def headers(raw: bytes) -> str:
    """The header block as it went over the wire, unfolded lines and all."""
    return raw.split(b"\r\n\r\n", 1)[0].decode("utf-8")


def ledger_rows(data_dir: Path | None = None) -> dict[str, tuple[str, str]]:
    """address -> (state, answer) for every ledger row."""
    with database(data_dir) as db:
        rows = db.execute("SELECT email, state, answer FROM ledger")
        return {email: (state, answer) for email, state, answer in rows}
