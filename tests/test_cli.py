"""The command line: help, argument errors (exit 2), unexpected errors (exit 1, traceback only
with --debug), and one real subprocess run of build.py."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, run_cli

BRIEF_OPTIONS = ("--week-ending", "--source", "--data", "--out", "--formats", "--config", "--locale", "--debug")


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_group_help(flag):
    result = run_cli(flag)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    assert "brief" in result.stdout  # the command
    assert "--debug" in result.stdout


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_brief_help_mentions_every_option(flag):
    result = run_cli("brief", flag)
    assert result.exit_code == 0, result.output
    for option in BRIEF_OPTIONS:
        assert option in result.stdout, f"{option} missing from brief --help"
    assert "YYYY-MM-DD" in result.stdout
    assert all(name in result.stdout for name in ("html", "pdf", "md", "json"))


def test_help_builds_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("brief", "--help").exit_code == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, named",
    [
        pytest.param(("brief", "--colour", "red"), "--colour", id="unknown-option-of-brief"),
        pytest.param(("--loud", "brief"), "--loud", id="unknown-option-of-group"),
        pytest.param(("report",), "report", id="unknown-command"),
        pytest.param(("brief", "--week-ending", "yesterday"), "yesterday", id="week-ending-a-word"),
        pytest.param(("brief", "--week-ending", "2026-02-30"), "2026-02-30", id="week-ending-no-such-day"),
        pytest.param(("brief", "--formats", "docx"), "docx", id="formats-docx"),
        pytest.param(("brief", "--formats", "html,docx"), "docx", id="formats-one-bad"),
        pytest.param(("brief", "--formats", ","), "format", id="formats-empty"),
        pytest.param(("brief", "--source", "excel"), "excel", id="source-unknown"),
        pytest.param(("brief", "--locale", "xx_YY"), "xx_YY", id="locale-unknown"),
    ],
)
def test_bad_arguments_exit_2_with_a_message_and_write_nothing(tmp_path, args, named):
    out = tmp_path / "out"
    result = run_cli(*args, "--out", str(out)) if args[0] == "brief" else run_cli(*args)
    assert result.exit_code == 2, result.output
    assert named in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_bad_week_ending_says_the_expected_form():
    result = run_cli("brief", "--week-ending", "yesterday")
    assert result.exit_code == 2
    assert "--week-ending" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_a_bad_format_lists_the_choices():
    result = run_cli("brief", "--formats", "docx")
    assert result.exit_code == 2
    assert "--formats" in result.stderr
    assert all(name in result.stderr for name in ("html", "pdf", "md", "json"))


def test_data_without_source_reads_the_csv(tmp_path):
    missing = tmp_path / "prices.csv"
    result = run_cli("brief", "--data", str(missing), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert str(missing) in result.stderr  # the CSV source was used, and found no file


# ---------------------------------------------------------------------------------------------
# unexpected errors


@pytest.fixture
def broken_pipeline(monkeypatch):
    import reports.build.pipeline

    def build_brief(settings, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(reports.build.pipeline, "build_brief", build_brief)


def test_an_unexpected_error_exits_1_with_a_short_message_and_no_traceback(tmp_path, broken_pipeline):
    result = run_cli("brief", "--out", str(tmp_path / "out"), "--formats", "json")
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert "RuntimeError" in message and "boom" in message
    assert "--debug" in message  # says how to get the traceback
    assert "Traceback" not in result.output and 'File "' not in result.output
    assert "\n\n" not in message and len(message.splitlines()) <= 3  # one short paragraph
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, env",
    [
        pytest.param(("--debug", "brief"), None, id="group-flag"),
        pytest.param(("brief", "--debug"), None, id="brief-flag"),
        pytest.param(("brief",), {"BRIEF_DEBUG": "1"}, id="env"),
    ],
)
def test_debug_shows_the_traceback(tmp_path, broken_pipeline, args, env):
    result = run_cli(*args, "--out", str(tmp_path / "out"), "--formats", "json", env=env)
    assert result.exit_code == 1, result.output
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: boom" in result.stderr
    assert "build_brief" in result.stderr  # the frame that raised


def test_a_user_error_is_not_reported_as_unexpected(tmp_path):
    result = run_cli("brief", "--source", "csv", "--data", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "unexpected" not in result.stderr and "--debug" not in result.stderr


# ---------------------------------------------------------------------------------------------
# the real entry script


def test_build_py_in_a_subprocess_exits_2_on_a_missing_data_file(tmp_path):
    missing = tmp_path / "no-such-prices.csv"
    out = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "brief", "--source", "csv", "--data", str(missing), "--out", str(out)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 2, completed.stderr
    assert str(missing) in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
    assert not out.exists()
