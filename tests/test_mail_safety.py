"""`send` refuses a real campaign while a setting is unsafe (exit 2, naming it); a dry run and a
test copy still go, with a warning. Each test removes or spoils one setting of an otherwise safe
environment (mail_env) and checks that nothing reached the SMTP server on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import run_cli
from mail_support import brief_folder, mail_env, server, subscribe  # noqa: F401

PEOPLE = "email,name\nana@example.com,Ana\n"


def _refused(brief_folder, mail_env, tmp_path, setting: str) -> None:
    subscribe(tmp_path, PEOPLE)
    result = run_cli("send", str(brief_folder))
    assert result.exit_code == 2, result.output
    assert setting in result.stderr and "not sending" in result.stderr
    assert not mail_env.received


@pytest.mark.parametrize("value", [None, "Brief <brief@localhost.localdomain>", "brief@localhost.localdomain",
                                   "brief@mail.localdomain"])
def test_send_refuses_an_unset_or_local_mail_from(brief_folder, mail_env, tmp_path, monkeypatch, value):
    monkeypatch.delenv("MAIL_FROM")
    if value is not None:
        monkeypatch.setenv("MAIL_FROM", value)
    _refused(brief_folder, mail_env, tmp_path, "mail_from")


@pytest.mark.parametrize("value", [None, "https://localhost.localdomain/unsubscribe", "http://localhost:8000/u"])
def test_send_refuses_an_unset_or_local_unsubscribe_url(brief_folder, mail_env, tmp_path, monkeypatch, value):
    monkeypatch.delenv("BRIEF_UNSUBSCRIBE_URL")
    if value is not None:
        monkeypatch.setenv("BRIEF_UNSUBSCRIBE_URL", value)
    _refused(brief_folder, mail_env, tmp_path, "unsubscribe_url")


@pytest.mark.parametrize("value", [None, "   "])
def test_send_refuses_without_a_postal_address(brief_folder, mail_env, tmp_path, monkeypatch, value):
    monkeypatch.delenv("BRIEF_POSTAL_ADDRESS")
    if value is not None:
        monkeypatch.setenv("BRIEF_POSTAL_ADDRESS", value)
    _refused(brief_folder, mail_env, tmp_path, "postal_address")


def test_dry_run_and_test_copy_still_work_with_a_warning(brief_folder, mail_env, tmp_path, monkeypatch):
    for name in ("MAIL_FROM", "BRIEF_UNSUBSCRIBE_URL", "BRIEF_POSTAL_ADDRESS"):
        monkeypatch.delenv(name)
    subscribe(tmp_path, PEOPLE)
    dry = run_cli("send", str(brief_folder), "--dry-run", "--eml-dir", str(tmp_path / "eml"))
    assert dry.exit_code == 0, dry.output
    for setting in ("mail_from", "unsubscribe_url", "postal_address"):
        assert f"warning: {setting}" in dry.stderr
    copy = run_cli("send", str(brief_folder), "--to", "me@example.com")
    assert copy.exit_code == 0, copy.output
    assert "warning: mail_from" in copy.stderr
    assert list(mail_env.received) == ["me@example.com"]


def test_documentation_domains_are_safe(brief_folder, mail_env, tmp_path):
    subscribe(tmp_path, PEOPLE)
    result = run_cli("send", str(brief_folder))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert list(mail_env.received) == ["ana@example.com"]
