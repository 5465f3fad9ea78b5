"""Importing subscribers: every bad row is reported with its line and skipped, duplicates merged.

Line numbers are counted by hand in each CSV below (the header is line 1).
"""

from __future__ import annotations

from conftest import run_cli
from mail_support import subscribe


def listed() -> list[list[str]]:
    return [line.split("\t") for line in run_cli("subscribers", "list").output.splitlines()]


def test_bad_rows_are_reported_with_their_line_and_skipped(tmp_path):
    csv_text = (
        "email,name,tags\n"                       # 1
        "ana@example.com,Ana,vip\n"               # 2
        "not-an-address,Nobody,\n"                # 3
        '"eve@example.com","Eve\r\nBcc: x@evil.example",\n'  # 4-5: a header injection attempt
        "bell@example.com,Ding\x07,\n"            # 6
        "ANA@Example.com,,news\n"                 # 7: Ana again, other case
        "\n"                                      # 8: blank, ignored
        "dan@exa mple.com,Dan,\n"                 # 9
        "zed@example.com,Zed,a;b\n"               # 10
    )
    result = subscribe(tmp_path, csv_text)
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "subscribers.csv, line 3, column 1 (email): 'not-an-address' is not a valid email address" in err
    assert "line 4, column 2 (name): the name contains a control character ('\\n', '\\r')" in err
    assert "line 6, column 2 (name): the name contains a control character ('\\x07')" in err
    assert "line 9, column 1 (email): 'dan@exa mple.com' is not a valid email address" in err
    assert err.count("row skipped") == 4
    assert "2 added, 0 already on the list (updated), 1 duplicate rows merged, 4 bad rows skipped" in result.output
    assert listed() == [["ana@example.com", "active", "Ana", "news,vip"], ["zed@example.com", "active", "Zed", "a,b"]]


def test_a_second_import_updates_instead_of_duplicating(tmp_path):
    subscribe(tmp_path, "email,name\nana@example.com,Ana\n")
    result = subscribe(tmp_path, "email,name,tags\nAna@example.com,Ana Lima,new\nbo@example.com,,\n", "b.csv")
    assert "1 added, 1 already on the list (updated)" in result.output
    assert listed() == [["ana@example.com", "active", "Ana Lima", "new"], ["bo@example.com", "active", "", ""]]


def test_files_that_cannot_be_imported_are_bad_input_and_write_nothing(tmp_path):
    no_email = subscribe(tmp_path, "address,name\nana@example.com,Ana\n")
    assert no_email.exit_code == 2 and "line 1: the header address,name has no email column" in no_email.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("email,name\nana@example.com,Jos\xe9\n".encode("latin-1"))
    not_utf8 = run_cli("subscribers", "import", str(latin))
    assert not_utf8.exit_code == 2 and "not UTF-8" in not_utf8.output
    missing = run_cli("subscribers", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "cannot read the file" in missing.output
    assert listed() == []
