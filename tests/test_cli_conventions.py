"""The command-line conventions people expect from a tool, checked on the real CLI in a subprocess
(`python build.py ...`): --version, -q/-v, a closed pipe, brief.toml discovery, one-line help.

Every run starts in the test's own folder with its own $XDG_CONFIG_HOME (conftest's autouse
fixture), so a developer's brief.toml can never change what these tests see.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT

WEEK = "2026-03-15"
PUBLIC = "https://brief.example.com/"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
        stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=180, env={**os.environ, **(env or {})})


def test_the_suite_never_reads_the_developers_config(tmp_path):
    """What conftest's autouse fixture promises: an empty working directory and config home of the test's own."""
    assert Path.cwd() != ROOT and not any(Path.cwd().iterdir())
    config_home = Path(os.environ["XDG_CONFIG_HOME"])
    assert config_home.is_dir() and not any(config_home.iterdir()) and ROOT not in config_home.parents


# --- --version ---------------------------------------------------------------------------------------

def test_version_prints_the_package_version_and_exits_0(tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    done = cli("--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"build.py {version}\n"
    assert done.stderr == ""


# --- -q / -v -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> Path:
    """One real week's brief.json, built by the CLI (before the autouse fixture runs: hence its own clock,
    data directory and config home)."""
    out = tmp_path_factory.mktemp("briefs")
    env = {"SOURCE_DATE_EPOCH": EPOCH, "BRIEF_DATA_DIR": str(tmp_path_factory.mktemp("data")),
           "XDG_CONFIG_HOME": str(tmp_path_factory.mktemp("config"))}
    done = cli("-q", "brief", "--week-ending", WEEK, "--formats", "json", "--out", str(out), cwd=out, env=env)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")  # -q: no report line, no base_url warning
    assert (out / WEEK / "brief.json").is_file()
    return out


def test_without_flags_a_command_reports_and_warns(briefs, tmp_path):
    done = cli("site", "--briefs", str(briefs), "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{tmp_path / 'site'}: 1 weeks")
    assert done.stderr.startswith("warning: the base_url setting is http://localhost:8000/")
    assert len(done.stderr.splitlines()) == 1


def test_quiet_prints_errors_only(briefs, tmp_path):
    done = cli("-q", "site", "--briefs", str(briefs), "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")  # neither the report nor the base_url warning
    assert (tmp_path / "site" / "index.html").is_file()
    failed = cli("--quiet", "site", "--briefs", str(tmp_path / "none"), "--out", str(tmp_path / "site2"), cwd=tmp_path)
    assert failed.returncode == 2
    assert failed.stderr.startswith("error: ") and str(tmp_path / "none") in failed.stderr


def test_verbose_adds_debug_lines_naming_the_settings_file(briefs, tmp_path):
    done = cli("-v", "site", "--briefs", str(briefs), "--out", str(tmp_path / "site"), "--base-url", PUBLIC,
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("debug: settings file: none")
    assert done.stdout.startswith(f"{tmp_path / 'site'}: 1 weeks")
    quiet = cli("site", "--briefs", str(briefs), "--out", str(tmp_path / "site"), "--base-url", PUBLIC, cwd=tmp_path)
    assert quiet.stderr == ""  # without -v: no debug lines


def test_quiet_keeps_what_a_command_is_asked_to_print(tmp_path):
    (tmp_path / "people.csv").write_text("email,name,tags\nana@example.com,Ana,\nnot-an-address,Nobody,\n",
                                         encoding="utf-8")
    loud = cli("subscribers", "import", str(tmp_path / "people.csv"), cwd=tmp_path)
    assert loud.returncode == 0 and "1 added" in loud.stdout, loud
    assert loud.stderr.startswith(f"warning: {tmp_path / 'people.csv'}, line 3"), loud
    quiet = cli("-q", "subscribers", "import", str(tmp_path / "people.csv"), cwd=tmp_path)
    assert quiet.returncode == 0 and (quiet.stdout, quiet.stderr) == ("", ""), quiet  # report and bad row: hidden
    listed = cli("-q", "subscribers", "list", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.startswith("ana@example.com\tactive\tAna"), listed


def test_quiet_and_verbose_together_is_a_usage_error(tmp_path):
    done = cli("-q", "-v", "site", cwd=tmp_path)
    assert done.returncode == 2
    assert "-q/--quiet" in done.stderr and "-v/--verbose" in done.stderr
    assert not (tmp_path / "site").exists()


# --- a closed pipe ---------------------------------------------------------------------------------------

def test_a_reader_that_stops_after_one_line_ends_the_command_quietly(tmp_path):
    """`build.py subscribers list | head -1` with a list far longer than a pipe holds: the reader reads one
    line and exits while build.py is still writing."""
    rows = "".join(f"reader{number}@example.com,Reader {number},news\n" for number in range(5000))
    (tmp_path / "list.csv").write_text("email,name,tags\n" + rows, encoding="utf-8")
    imported = cli("subscribers", "import", str(tmp_path / "list.csv"), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    reader = subprocess.Popen([sys.executable, "-c", "import sys; print(sys.stdin.readline(), end='')"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    writer = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "subscribers", "list"], cwd=tmp_path,
                              stdout=reader.stdin, stderr=subprocess.PIPE, text=True)
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.close()  # only the two processes hold the pipe now
    first = reader.stdout.read()
    reader.wait(timeout=120)
    _, errors = writer.communicate(timeout=120)
    assert first.split("\t")[0].endswith("@example.com")
    assert writer.returncode == 0, errors
    assert errors == ""


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("subscribers", "list"), ("brief", "--help")])
def test_a_pipe_closed_before_anything_is_written_ends_quietly(tmp_path, args):
    if args == ("subscribers", "list"):
        (tmp_path / "one.csv").write_text("email,name,tags\nana@example.com,Ana,\n", encoding="utf-8")
        assert cli("subscribers", "import", str(tmp_path / "one.csv"), cwd=tmp_path).returncode == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that is already gone
    try:
        done = cli(*args, cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


# --- brief.toml discovery ---------------------------------------------------------------------------------

def test_config_is_found_in_the_working_directory_then_the_config_dir_and_config_wins(tmp_path):
    """Each brief.toml sends the brief to its own out_dir (relative to the file), so where the brief lands
    says which file was read; -v names it too."""
    home, work, elsewhere = tmp_path / "config-home", tmp_path / "work", tmp_path / "elsewhere"
    for folder, name in ((home / "crypto-weekly-brief", "brief.toml"), (work, "brief.toml"), (elsewhere, "mine.toml")):
        folder.mkdir(parents=True)
        (folder / name).write_text(f'out_dir = "out-{folder.name}"\nformats = ["json"]\n', encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(home)}
    brief = ("-v", "brief", "--week-ending", WEEK)

    only_home = cli(*brief, cwd=tmp_path, env=env)  # no brief.toml in the working directory
    assert only_home.returncode == 0, only_home.stderr
    assert f"settings file: {home / 'crypto-weekly-brief' / 'brief.toml'}" in only_home.stderr
    assert (home / "crypto-weekly-brief" / "out-crypto-weekly-brief" / WEEK / "brief.json").is_file()

    from_work = cli(*brief, cwd=work, env=env)  # the working directory's beats the config directory's
    assert from_work.returncode == 0, from_work.stderr
    assert f"settings file: {work / 'brief.toml'}" in from_work.stderr
    assert (work / "out-work" / WEEK / "brief.json").is_file()

    explicit = cli(*brief, "--config", str(elsewhere / "mine.toml"), cwd=work, env=env)  # --config beats both
    assert explicit.returncode == 0, explicit.stderr
    assert f"settings file: {elsewhere / 'mine.toml'} (--config)" in explicit.stderr
    assert (elsewhere / "out-elsewhere" / WEEK / "brief.json").is_file()


# --- --help ------------------------------------------------------------------------------------------------

def commands_section(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    return [line for line in lines[lines.index("Commands:") + 1:] if line.strip()]


@pytest.mark.parametrize("group", [(), ("subscribers",), ("bounces",)])
def test_help_lists_every_command_on_one_whole_line(tmp_path, group):
    from reports.cli.main import main

    commands = main.commands[group[0]].commands if group else main.commands
    done = cli(*group, "--help", cwd=tmp_path, env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    listed = commands_section(done.stdout)
    assert len(listed) == len(commands)  # one line per command: nothing wrapped onto a second line
    for line, name in zip(listed, sorted(commands)):
        assert line.split()[0] == name, line
        described = line.split(None, 1)[1]
        assert described.endswith(".") and "..." not in described, line  # a whole sentence, not cut short
        assert len(line) <= 80
