"""The subscriber list and the send ledger live in the data directory, not the cache: cache
cleaners delete caches, and with them who unsubscribed. A list left at the old cache path is
moved on first use, with a message. platformdirs follows XDG_CACHE_HOME and XDG_DATA_HOME."""

from __future__ import annotations

import sqlite3

from conftest import run_cli

APP = "crypto-weekly-brief"


def test_the_list_moves_from_the_cache_to_the_data_directory_once(tmp_path, monkeypatch):
    cache, data = tmp_path / "cache", tmp_path / "data"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    people = tmp_path / "people.csv"
    people.write_text("email,name\nana@example.com,Ana\nbo@example.org,Bo\n", encoding="utf-8")
    # the old layout: the list in the cache directory, the default data_dir before this change
    old_dir = cache / APP
    assert run_cli("subscribers", "import", str(people), "--data-dir", str(old_dir)).exit_code == 0
    assert run_cli("subscribers", "suppress", "bo@example.org", "--as", "unsubscribed",
                   "--data-dir", str(old_dir)).exit_code == 0

    monkeypatch.delenv("BRIEF_DATA_DIR")
    first = run_cli("subscribers", "list")
    assert first.exit_code == 0, first.output
    assert "moved the subscriber list and send ledger from the cache" in first.stderr
    assert str(data / APP / "mail.sqlite3") in first.stderr
    assert first.stdout.splitlines() == ["ana@example.com\tactive\tAna\t", "bo@example.org\tunsubscribed\tBo\t"]
    assert not (old_dir / "mail.sqlite3").exists() and (old_dir / "mail.sqlite3.moved").is_file()
    with sqlite3.connect(data / APP / "mail.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert dict(db.execute("SELECT email, status FROM subscribers")) == {
            "ana@example.com": "active", "bo@example.org": "unsubscribed"}

    second = run_cli("subscribers", "list")
    assert second.exit_code == 0 and "moved" not in second.stderr
    assert second.stdout == first.stdout


def test_an_explicit_data_dir_keeps_the_list_where_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    people = tmp_path / "people.csv"
    people.write_text("email\nana@example.com\n", encoding="utf-8")
    assert run_cli("subscribers", "import", str(people), "--data-dir", str(tmp_path / "here")).exit_code == 0
    assert (tmp_path / "here" / "mail.sqlite3").is_file() and not (tmp_path / "data").exists()
