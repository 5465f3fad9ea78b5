"""Every bad input, through the CLI: exit 2, one message naming the file, the line (and for a bad
cell the column), no traceback, and nothing written.

Each bad file is written out in the test itself. Line numbers are counted by hand from that
text (the header is line 1), never taken from the program's output.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import raw_rows, run_cli

# Real CoinGecko daily snapshot prices (reports/data/bundle/coingecko_top100_daily.csv), with
# plausible market caps and volumes, for the rows that are not the point of a test.
HEADER = "date,asset,close,symbol,rank,market_cap,volume"  # columns 1..7
BTC_28 = "2026-01-28,bitcoin,89233,BTC,1,1783000000000,41200000000"
ETH_28 = "2026-01-28,ethereum,3005.77,ETH,2,362800000000,27500000000"
BTC_29 = "2026-01-29,bitcoin,87824,BTC,1,1755000000000,38900000000"
ETH_29 = "2026-01-29,ethereum,2942.31,ETH,2,355100000000,25100000000"
BTC_30 = "2026-01-30,bitcoin,82244,BTC,1,1643000000000,61700000000"
ETH_30 = "2026-01-30,ethereum,2720.0,ETH,2,328300000000,40300000000"

# Two assets, ten consecutive days (2026-01-28 .. 2026-02-06): enough for the week ending
# 2026-02-06, whose weekly change is measured from the close of 2026-01-30.
WEEK_CSV = """\
date,asset,close
2026-01-28,bitcoin,89233
2026-01-28,ethereum,3005.77
2026-01-29,bitcoin,87824
2026-01-29,ethereum,2942.31
2026-01-30,bitcoin,82244
2026-01-30,ethereum,2720.0
2026-01-31,bitcoin,83066
2026-01-31,ethereum,2652.12
2026-02-01,bitcoin,78732
2026-02-01,ethereum,2419.36
2026-02-02,bitcoin,77631
2026-02-02,ethereum,2288.94
2026-02-03,bitcoin,78236
2026-02-03,ethereum,2292.85
2026-02-04,bitcoin,76091
2026-02-04,ethereum,2258.4
2026-02-05,bitcoin,71486
2026-02-05,ethereum,2130.07
2026-02-06,bitcoin,65881
2026-02-06,ethereum,1923.06
"""
WEEK = "2026-02-06"


def test_the_literal_rows_are_the_real_bundled_prices():
    """The prices above are copied from the bundled CoinGecko file, not made up."""
    names = {"Bitcoin": "bitcoin", "Ethereum": "ethereum"}
    real = {(r["date"], names[r["name"]]): r["price_usd"] for r in raw_rows("coingecko_top100_daily.csv")
            if r["name"] in names and "2026-01-28" <= r["date"] <= "2026-02-06"}
    ours = {(d, a): c for d, a, c in (line.split(",") for line in WEEK_CSV.splitlines()[1:])}
    assert ours == real
    for row in (BTC_28, ETH_28, BTC_29, ETH_29, BTC_30, ETH_30):
        day, asset, close = row.split(",")[:3]
        assert real[(day, asset)] == close


# ---------------------------------------------------------------------------------------------
# helpers


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def lines(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def brief(data: Path, out: Path, *args: str):
    return run_cli("brief", "--source", "csv", "--data", str(data), "--out", str(out), *args)


def message_of(result) -> str:
    """The one message of a rejected build: on stderr, nothing on stdout."""
    assert result.stdout == "", f"a rejected build printed to stdout: {result.stdout!r}"
    message = result.stderr.strip()
    assert message, "no message on stderr"
    assert "Traceback" not in result.output
    assert "\n" not in message, f"expected one message, got several lines:\n{message}"
    return message


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or list(out.iterdir()) == [], f"files were written: {list(out.rglob('*'))}"


def line_numbers(message: str) -> list[int]:
    return [int(n) for n in re.findall(r"\bline (\d+)\b", message)]


def assert_rejected(result, data: Path, out: Path, *, line: int | None, column: tuple[int, str] | None = None) -> str:
    assert result.exit_code == 2, result.output
    message = message_of(result)
    assert data.name in message
    if line is not None:
        assert line_numbers(message) == [line], message
    if column is not None:
        number, name = column
        assert re.findall(r"\bcolumn (\d+) \(([^)]*)\)", message) == [(str(number), name)], message
    assert_nothing_written(out)
    return message


# ---------------------------------------------------------------------------------------------
# bad cells: file, line, column and value


@pytest.mark.parametrize(
    "text, line, column, shows",
    [
        # close (column 3)
        pytest.param(lines(BTC_28, ETH_28, "2026-01-29,bitcoin,abc,BTC,1,1755000000000,38900000000", ETH_29),
                     4, (3, "close"), "abc", id="close-not-a-number"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, "2026-01-29,ethereum,-2942.31,ETH,2,355100000000,25100000000"),
                     5, (3, "close"), "-2942.31", id="close-negative"),
        pytest.param(lines(BTC_28, "2026-01-28,ethereum,0,ETH,2,362800000000,27500000000", BTC_29),
                     3, (3, "close"), "0", id="close-zero"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, ETH_29, "2026-01-30,bitcoin,nan,BTC,1,1643000000000,61700000000"),
                     6, (3, "close"), "nan", id="close-nan"),
        pytest.param(lines("2026-01-28,bitcoin,inf,BTC,1,1783000000000,41200000000", ETH_28),
                     2, (3, "close"), "inf", id="close-inf"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, ETH_29, BTC_30, "2026-01-30,ethereum,-inf,ETH,2,328300000000,"),
                     7, (3, "close"), "-inf", id="close-minus-inf"),
        pytest.param(lines(BTC_28, ETH_28, "2026-01-29,bitcoin,,BTC,1,1755000000000,38900000000"),
                     4, (3, "close"), "empty", id="close-empty"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, "2026-01-29,ethereum,\"2,942.31\",ETH,2,355100000000,"),
                     5, (3, "close"), "2,942.31", id="close-thousands-separator"),
        # date (column 1)
        pytest.param(lines(BTC_28, ETH_28, "2026-02-30,bitcoin,87824,BTC,1,1755000000000,38900000000"),
                     4, (1, "date"), "2026-02-30", id="date-no-such-day"),
        pytest.param(lines(BTC_28, "06/02/2026,ethereum,3005.77,ETH,2,362800000000,27500000000"),
                     3, (1, "date"), "06/02/2026", id="date-slashes"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, "2026-2-6,ethereum,2942.31,ETH,2,355100000000,25100000000"),
                     5, (1, "date"), "2026-2-6", id="date-not-zero-padded"),
        pytest.param(lines(BTC_28, ETH_28, ",bitcoin,87824,BTC,1,1755000000000,38900000000"),
                     4, (1, "date"), "empty", id="date-empty"),
        # asset (column 2)
        pytest.param(lines(BTC_28, "2026-01-28,,3005.77,ETH,2,362800000000,27500000000", BTC_29),
                     3, (2, "asset"), "empty", id="asset-empty"),
        # rank (column 5)
        pytest.param(lines(BTC_28, ETH_28, "2026-01-29,bitcoin,87824,BTC,1.5,1755000000000,38900000000"),
                     4, (5, "rank"), "1.5", id="rank-not-whole"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, "2026-01-29,ethereum,2942.31,ETH,0,355100000000,25100000000"),
                     5, (5, "rank"), "0", id="rank-zero"),
        pytest.param(lines(BTC_28, "2026-01-28,ethereum,3005.77,ETH,second,362800000000,27500000000"),
                     3, (5, "rank"), "second", id="rank-a-word"),
        # market_cap (column 6) and volume (column 7)
        pytest.param(lines("2026-01-28,bitcoin,89233,BTC,1,-1783000000000,41200000000", ETH_28),
                     2, (6, "market_cap"), "-1783000000000", id="market-cap-negative"),
        pytest.param(lines(BTC_28, ETH_28, BTC_29, ETH_29, "2026-01-30,bitcoin,82244,BTC,1,1643000000000,-5"),
                     6, (7, "volume"), "-5", id="volume-negative"),
        # blank lines are skipped but still counted: the bad row is on file line 5
        pytest.param(lines(BTC_28, ETH_28, "", "2026-01-29,bitcoin,abc,BTC,1,1755000000000,38900000000"),
                     5, (3, "close"), "abc", id="blank-line-before-bad-row"),
        # columns are numbered as the file has them, not in the canonical order
        pytest.param(lines("bitcoin,BTC,2026-01-28,89233", "ethereum,ETH,2026-02-30,3005.77",
                           header="asset,symbol,date,close"),
                     3, (3, "date"), "2026-02-30", id="date-in-third-column"),
        pytest.param(lines("bitcoin,BTC,2026-01-28,89233", "ethereum,ETH,2026-01-28,-1",
                           header="asset,symbol,date,close"),
                     3, (4, "close"), "-1", id="close-in-fourth-column"),
    ],
)
def test_a_bad_cell_is_named_by_file_line_and_column(tmp_path, text, line, column, shows):
    data = write(tmp_path / "prices.csv", text)
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out, "--formats", "json"), data, out, line=line, column=column)
    tail = message[message.index(f"column {column[0]} ({column[1]})") + len(f"column {column[0]} ({column[1]})"):]
    assert re.search(rf"(?<![\w.-]){re.escape(shows)}(?!\w|\.\d)", tail), f"{shows!r} not shown in: {message}"


# ---------------------------------------------------------------------------------------------
# bad files


def test_an_empty_file(tmp_path):
    data = write(tmp_path / "empty.csv", "")
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=1)
    assert "empty" in message


def test_a_header_without_data_rows(tmp_path):
    data = write(tmp_path / "header_only.csv", "date,asset,close,symbol\n")
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=1)
    assert "no data rows" in message


def test_a_missing_required_column_is_named(tmp_path):
    data = write(tmp_path / "no_close.csv", "date,asset,price_usd\n2026-01-28,bitcoin,89233\n2026-01-28,ethereum,3005.77\n")
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=1)
    assert "'close'" in message


@pytest.mark.parametrize(
    "text, line, fields",
    [
        pytest.param("date,asset,close\n2026-01-28,bitcoin,89233\n2026-01-28,ethereum,3005.77\n"
                     "2026-01-29,bitcoin,87824\n2026-01-29,ethereum\n", 5, "2", id="too-few-fields"),
        pytest.param("date,asset,close\n2026-01-28,bitcoin,89233\n2026-01-28,ethereum,3005.77,ETH\n"
                     "2026-01-29,bitcoin,87824\n", 3, "4", id="too-many-fields"),
        pytest.param("date,asset,close\n2026-01-28,bitcoin,89233\n\n\n2026-01-28,ethereum,3005.77,ETH\n",
                     5, "4", id="after-blank-lines"),
    ],
)
def test_a_ragged_row(tmp_path, text, line, fields):
    data = write(tmp_path / "ragged.csv", text)
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=line)
    numbers = re.findall(r"\b\d+\b", message.split(f"line {line}", 1)[1])
    assert fields in numbers and "3" in numbers, message  # this row's field count and the header's


def test_a_duplicated_day_and_asset_names_both_lines(tmp_path):
    data = write(tmp_path / "dupes.csv", lines(BTC_28, ETH_28, BTC_29, ETH_29,
                                              "2026-01-29,bitcoin,87900,BTC,1,1756000000000,39000000000"))
    out = tmp_path / "out"
    result = brief(data, out)
    assert result.exit_code == 2, result.output
    message = message_of(result)
    assert data.name in message
    assert sorted(line_numbers(message)) == [4, 6], message  # BTC_29 is line 4, its repeat line 6
    assert "bitcoin" in message and "2026-01-29" in message
    assert_nothing_written(out)


@pytest.mark.parametrize(
    "content, line",
    [
        # UTF-16 with its byte order mark, as spreadsheet programs save "Unicode text"
        pytest.param(b"\xff\xfe" + "date,asset,close\r\n2026-01-28,bitcoin,89233\r\n".encode("utf-16-le"), 1,
                     id="utf-16"),
        # Latin-1 on line 5 (the e-acute of "Ethéreum" is the single byte 0xe9)
        pytest.param(b"date,asset,close,name\n2026-01-28,bitcoin,89233,Bitcoin\n2026-01-28,ethereum,3005.77,Ethereum\n"
                     b"2026-01-29,bitcoin,87824,Bitcoin\n2026-01-29,ethereum,2942.31,Eth\xe9reum\n", 5, id="latin-1-on-line-5"),
    ],
)
def test_a_file_that_is_not_utf8(tmp_path, content, line):
    data = tmp_path / "prices_latin1.csv"
    data.write_bytes(content)
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=line)
    assert "UTF-8" in message


def test_a_non_utf8_byte_deep_in_a_large_file_is_located_correctly(tmp_path):
    """Past the reader's first 8 KiB buffer: the line (and any byte offset stated) must still be right."""
    rows = [f"2025-{m:02d}-{d:02d},bitcoin,{90000 + 10 * d},Bitcoin" for m in range(1, 13) for d in range(1, 29)]
    content = ("date,asset,close,name\n" + "\n".join(rows) + "\n").encode() + b"2026-01-01,ethereum,2970.5,Eth\xe9reum\n"
    assert content.index(b"\xe9") > 8192
    data = tmp_path / "big.csv"
    data.write_bytes(content)
    bad_line = 1 + len(rows) + 1  # header, 336 rows, then the bad one: line 338
    assert content.count(b"\n") == bad_line and content.splitlines()[bad_line - 1].endswith(b"Eth\xe9reum")
    out = tmp_path / "out"
    result = brief(data, out)
    offset = content.index(b"\xe9")
    for stated in re.findall(r"\bbyte (\d+)", result.stderr):
        assert int(stated) == offset, f"message says byte {stated}, the bad byte is at {offset}: {result.stderr}"
    assert_rejected(result, data, out, line=bad_line)


def test_a_data_path_that_does_not_exist(tmp_path):
    data = tmp_path / "missing" / "prices.csv"
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=None)
    assert str(data) in message and "--data" in message


def test_a_directory_as_data(tmp_path):
    data = tmp_path / "exports"
    data.mkdir()
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out), data, out, line=None)
    assert str(data) in message and "directory" in message


# ---------------------------------------------------------------------------------------------
# weeks the data cannot support


@pytest.mark.parametrize("week_ending", ["2030-01-06", "2026-02-01"], ids=["far-future", "base-before-first-day"])
def test_a_week_outside_the_data_names_the_available_range(tmp_path, week_ending):
    data = write(tmp_path / "prices.csv", WEEK_CSV)
    out = tmp_path / "out"
    result = brief(data, out, "--week-ending", week_ending, "--formats", "json")
    assert result.exit_code == 2, result.output
    message = message_of(result)
    assert week_ending in message
    assert "2026-01-28" in message and "2026-02-06" in message  # first and last day of the file
    assert_nothing_written(out)


@pytest.mark.parametrize(
    "week_ending, missing_day",
    [("2026-02-06", "2026-01-30"), ("2026-02-04", "2026-02-04")],
    ids=["base-day-is-a-gap", "last-day-is-a-gap"],
)
def test_a_week_whose_base_or_last_day_is_a_gap(tmp_path, week_ending, missing_day):
    text = "".join(line + "\n" for line in WEEK_CSV.splitlines() if not line.startswith(missing_day))
    assert text.count("\n") == WEEK_CSV.count("\n") - 2  # both assets' rows for that day are gone
    data = write(tmp_path / "gappy.csv", text)
    out = tmp_path / "out"
    result = brief(data, out, "--week-ending", week_ending, "--formats", "json")
    assert result.exit_code == 2, result.output
    message = message_of(result)
    assert missing_day in message
    assert_nothing_written(out)


# ---------------------------------------------------------------------------------------------
# a failed build leaves the previous brief alone


def snapshot(root: Path) -> tuple[dict, set]:
    """Every file under root (hidden ones too) with its bytes and identity, and every folder."""
    files, folders = {}, set()
    for folder, dirnames, filenames in os.walk(root):
        for name in dirnames:
            folders.add(os.path.relpath(os.path.join(folder, name), root))
        for name in filenames:
            path = Path(folder, name)
            stat = path.stat()
            files[path.relative_to(root).as_posix()] = (path.read_bytes(), stat.st_ino, stat.st_mtime_ns)
    return files, folders


@pytest.fixture
def built_week(tmp_path):
    data = write(tmp_path / "prices.csv", WEEK_CSV)
    out = tmp_path / "out"
    result = brief(data, out, "--week-ending", WEEK, "--formats", "json,md")
    assert result.exit_code == 0, result.output
    files, folders = snapshot(out)
    assert {"2026-02-06/brief.json", "2026-02-06/brief.md"} <= set(files)
    assert folders == {"2026-02-06", "2026-02-06/charts"}
    return out, files, folders


def test_a_bad_build_leaves_the_existing_brief_untouched(tmp_path, built_week):
    out, files, folders = built_week
    bad_cell = WEEK_CSV.replace("2026-02-03,ethereum,2292.85", "2026-02-03,ethereum,n/a")
    base_gap = "".join(line + "\n" for line in WEEK_CSV.splitlines() if not line.startswith("2026-01-30"))
    duplicate = WEEK_CSV + "2026-02-06,bitcoin,65900\n"
    assert bad_cell != WEEK_CSV and base_gap.count("\n") == 19
    cases = {
        "bad-cell.csv": bad_cell,
        "base-gap.csv": base_gap,
        "duplicate.csv": duplicate,
        "missing.csv": None,
    }
    for name, text in cases.items():
        data = tmp_path / name
        if text is not None:
            write(data, text)
        result = brief(data, out, "--week-ending", WEEK, "--formats", "json,md")
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output
        now_files, now_folders = snapshot(out)
        assert now_folders == folders, f"{name}: folders changed: {now_folders ^ folders}"
        assert set(now_files) == set(files), f"{name}: files changed: {set(now_files) ^ set(files)}"
        for relative, (content, inode, mtime) in files.items():
            assert now_files[relative][0] == content, f"{name}: {relative} changed"
            assert now_files[relative][1:] == (inode, mtime), f"{name}: {relative} was rewritten"


def test_a_build_that_fails_while_writing_leaves_the_existing_brief_and_no_staging(tmp_path, built_week, monkeypatch):
    import reports.core.atomic

    out, files, folders = built_week

    def disk_full(staging, target):
        assert staging.exists() and staging.name.startswith(".")  # the new files were staged
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reports.core.atomic, "swap_folder", disk_full)
    data = write(tmp_path / "prices.csv", WEEK_CSV)
    result = brief(data, out, "--week-ending", WEEK, "--formats", "json,md")
    assert result.exit_code == 2, result.output  # a full disk is the environment's, not a bug
    assert "Traceback" not in result.output and "No space left" in result.output
    now_files, now_folders = snapshot(out)
    assert now_folders == folders, f"leftover folders: {now_folders - folders}"
    assert {k: v[0] for k, v in now_files.items()} == {k: v[0] for k, v in files.items()}
