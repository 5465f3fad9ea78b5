"""Issue 12, items 7-10: hostile or careless input through the real CLI. Each case was a crash
("unexpected error", exit 1), a false message, a leftover or a listing before its fix; now it is
exit 2 with a message naming the setting, file or path and what to do, and nothing is written
(or the previous output is left exactly as it was).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from reports.core.errors import UsageError

WEEK = "2026-02-06"


def rejected(result) -> str:
    """The one message of a refused command: exit 2, on stderr, no traceback, not "unexpected"."""
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert message and "Traceback" not in result.output and "unexpected" not in message, message
    return message


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a `build.py` subprocess: this test's data directory and clock."""
    return {**os.environ, "BRIEF_DATA_DIR": str(tmp_path / "data-dir")}


# --- item 7: the zcash brief, and what a multi-asset run says when it stops --------------------------


def test_the_zcash_brief_builds_from_the_bundled_data(tmp_path):
    """Its history chart's axis ticks at $0, which `price` took log10 of ("math domain error")."""
    result = run_cli("brief", "--asset", "zcash", "--week-ending", "2026-02-08", "--formats", "md",
                     "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    charts = tmp_path / "out" / "assets" / "zcash" / "2026-02-08" / "charts"
    assert (charts / "asset-history.png").stat().st_size > 0


@pytest.fixture
def third_asset_fails(monkeypatch):
    """The third asset brief of a run raises (a bug or a bad input, as the test says)."""
    import reports.build.assets

    real = reports.build.assets.build_asset_brief
    calls = []

    def arm(error: BaseException):
        def build_asset_brief(data, week, asset_id, settings):
            calls.append(asset_id)
            if len(calls) == 3:
                raise error
            return real(data, week, asset_id, settings)

        monkeypatch.setattr(reports.build.assets, "build_asset_brief", build_asset_brief)
        return calls

    return arm


@pytest.mark.parametrize("error, code", [(RuntimeError("boom"), 1), (UsageError("bad asset"), 2)],
                         ids=["unexpected", "user-error"])
def test_a_multi_asset_run_that_stops_says_which_briefs_it_wrote(tmp_path, third_asset_fails, error, code):
    """Not "Nothing was written" after writing two briefs."""
    calls = third_asset_fails(error)
    out = tmp_path / "out"
    result = run_cli("brief", "--assets", "top5", "--week-ending", "2026-02-08", "--formats", "json", "--out", str(out))
    assert result.exit_code == code, result.output
    written = sorted(path.parent.name for path in (out / "assets").glob("*/2026-02-08"))
    assert written == sorted(calls[:2])
    message = result.stderr
    assert "Nothing was written" not in message and "nothing was written" not in message
    assert "2 briefs written before this are kept" in message
    assert str(out / "assets" / calls[1] / "2026-02-08") in message  # the last one written


def test_a_single_brief_that_fails_still_says_nothing_was_written(tmp_path, monkeypatch):
    import reports.build.pipeline

    monkeypatch.setattr(reports.build.pipeline, "build_brief", lambda settings, progress=None: 1 / 0)
    result = run_cli("brief", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "Nothing was written." in result.stderr


# --- item 8: crashes that are input errors ------------------------------------------------------------


def test_an_absurd_but_finite_close_is_a_brief_or_a_refusal_never_a_crash(tmp_path):
    """1e308 made Babel raise InvalidOperation (its decimal context holds 28 digits)."""
    data = tmp_path / "prices.csv"
    rows = [f"2026-01-{day:02d},bitcoin,{80000 + day}" for day in range(28, 32)]
    rows += [f"2026-02-{day:02d},bitcoin,{70000 + day}" for day in range(1, 6)] + [f"{WEEK},bitcoin,1e308"]
    data.write_text("date,asset,close\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("brief", "--data", str(data), "--week-ending", WEEK, "--formats", "md", "--out", str(out))
    assert result.exit_code in (0, 2), result.output
    assert "unexpected" not in result.stderr and "Traceback" not in result.output
    if result.exit_code == 0:
        assert (out / WEEK / "brief.md").is_file()
    else:
        assert "1e+308" in result.stderr or "1e308" in result.stderr


def test_a_settings_file_that_is_not_utf8_names_the_file_and_line(tmp_path):
    config = tmp_path / "brief.toml"
    config.write_bytes(b'locale = "en_US"\npublication_name = "Caf\xe9 Crypto"\n')  # Latin-1, not UTF-8
    out = tmp_path / "out"
    message = rejected(run_cli("brief", "--config", str(config), "--out", str(out)))
    assert str(config) in message and "line 2" in message and "UTF-8" in message
    assert not out.exists()


def test_a_week_ending_on_the_first_day_of_year_one_is_refused(tmp_path):
    out = tmp_path / "out"
    message = rejected(run_cli("brief", "--week-ending", "0001-01-01", "--out", str(out)))
    assert "0001-01-01" in message and "2025-08-05 to 2026-05-01" in message
    assert not out.exists()


def test_a_one_day_csv_is_told_it_holds_one_day_not_an_inverted_range(tmp_path):
    data = tmp_path / "one-day.csv"
    data.write_text(f"date,asset,close\n{WEEK},bitcoin,65881\n", encoding="utf-8")
    out = tmp_path / "out"
    message = rejected(run_cli("brief", "--data", str(data), "--week-ending", WEEK, "--out", str(out)))
    assert "only 1 day of prices" in message and "8 daily closes" in message
    assert "between 2026-02-13 and 2026-02-06" not in message
    assert not out.exists()


@pytest.mark.parametrize(
    "key, value",
    [("reply_to", "a@example.com\r\nBcc: everyone@example.com"),
     ("unsubscribe_url", "https://example.com/u?t=\r\nBcc: x@example.com"),
     ("mail_from", "Brief <brief@example.com>\nBcc: x@example.com")],
)
def test_a_line_break_in_a_mail_header_setting_is_refused_before_anything_is_sent(tmp_path, key, value):
    config = tmp_path / "brief.toml"
    config.write_text(f'publication_name = "Brief"\n{key} = {json.dumps(value)}\n', encoding="utf-8")
    eml = tmp_path / "eml"
    message = rejected(run_cli("send", str(tmp_path / "out" / WEEK), "--dry-run", "--eml-dir", str(eml),
                               "--config", str(config)))
    assert f"{config}, line 2" in message and repr(key) in message
    assert not eml.exists()


@pytest.fixture
def tmpfs(tmp_path):
    """A real, tiny file system of its own (a tmpfs), to fill up or make read-only; unmounted after."""
    mount = tmp_path / "disk"
    mount.mkdir()

    def make(size: str) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        return mount

    yield make
    subprocess.run(["umount", str(mount)], capture_output=True, check=False)


def old_week(out: Path) -> dict[str, bytes]:
    """A previous build's week folder (its files stand in for a real build's)."""
    (out / WEEK / "charts").mkdir(parents=True)
    (out / WEEK / "brief.json").write_text('{"old": true}', encoding="utf-8")
    (out / WEEK / "charts" / "drawdown.png").write_bytes(b"old chart")
    return files_under(out)


def test_a_full_disk_is_exit_2_with_the_path_and_the_old_week_intact(tmp_path, tmpfs):
    out = tmpfs("128k") / "out"
    before = old_week(out)
    result = run_cli("brief", "--week-ending", WEEK, "--formats", "json", "--out", str(out))
    message = rejected(result)
    assert str(out / WEEK) in message and "disk is full" in message and "--out" in message
    assert files_under(out) == before  # the old week, and no staging folder left behind


def test_a_read_only_file_system_is_exit_2_with_the_old_week_intact(tmp_path, tmpfs):
    disk = tmpfs("1m")
    before = old_week(disk / "out")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    message = rejected(run_cli("brief", "--week-ending", WEEK, "--formats", "json", "--out", str(disk / "out")))
    assert str(disk / "out") in message and "read-only" in message
    assert files_under(disk / "out") == before


def test_an_out_that_is_a_file_is_exit_2(tmp_path):
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    message = rejected(run_cli("brief", "--week-ending", WEEK, "--formats", "json", "--out", str(out)))
    assert str(out) in message and "--out" in message
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_an_out_without_write_permission_is_exit_2(tmp_path):
    """A real EACCES: as root, the build runs without the capability that overrides permissions."""
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    command = [sys.executable, str(ROOT / "build.py"), "brief", "--week-ending", WEEK, "--formats", "json", "--out",
               str(out)]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot drop the permission override")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=cli_env(tmp_path),
                          check=False)
    assert done.returncode == 2, done.stderr
    assert str(out) in done.stderr and "permission" in done.stderr and "--out" in done.stderr
    assert list(out.iterdir()) == []


# --- item 10: a killed `site`, and `serve` ----------------------------------------------------------


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> Path:
    """One built week to publish."""
    out = tmp_path_factory.mktemp("briefs")
    result = run_cli("brief", "--week-ending", WEEK, "--formats", "md,json", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


KILL_MID_PUBLISH = """\
import os, signal, sys
import reports.publish.site.publish as publish
def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)  # kill -9 with the staging folder half written
publish._write = die
from reports.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_site_run_killed_mid_publish_leaves_a_staging_folder_the_next_run_removes(tmp_path, briefs):
    site = tmp_path / "live"
    args = ["site", "--out", str(site), "--briefs", str(briefs)]
    assert run_cli(*args).exit_code == 0
    published = files_under(site)
    killed = subprocess.run([sys.executable, "-c", KILL_MID_PUBLISH, *args, "--base-url", "https://x.example/"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120, env=cli_env(tmp_path),
                            check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stale = [path.name for path in tmp_path.glob(".live.*.tmp")]
    assert len(stale) == 1 and files_under(site) == published  # the kill left the live site alone
    assert run_cli(*args).exit_code == 0
    assert list(tmp_path.glob(".live.*")) == []
    assert files_under(site) == published


def test_a_site_run_leaves_another_runs_staging_alone(tmp_path, briefs):
    """A staging folder of a live run (it holds the lock on the site's parent folder) is not removed:
    the second run is refused. Nor is another site's whose name starts the same."""
    import fcntl

    site = tmp_path / "live"
    live_staging = tmp_path / ".live.abcd1234.tmp"
    other_site = tmp_path / ".live.x.abcd1234.tmp"  # the staging folder of a site named "live.x"
    live_staging.mkdir()
    other_site.mkdir()
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # as a live run holds it
        result = run_cli("site", "--out", str(site), "--briefs", str(briefs))
    finally:
        os.close(folder)
    assert result.exit_code == 2 and "another" in result.stderr and str(site) in result.stderr
    assert live_staging.is_dir() and not site.exists()
    assert run_cli("site", "--out", str(site), "--briefs", str(briefs)).exit_code == 0
    assert not live_staging.exists() and other_site.is_dir()


def fill(disk: Path) -> None:
    """Use up every free block of `disk`."""
    with (disk / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def test_a_site_publish_on_a_full_disk_is_exit_2_and_the_live_site_is_intact(tmpfs, briefs):
    site = tmpfs("8m") / "site"
    assert run_cli("site", "--out", str(site), "--briefs", str(briefs)).exit_code == 0
    published = files_under(site)
    fill(site.parent)
    message = rejected(run_cli("site", "--out", str(site), "--briefs", str(briefs),
                               "--base-url", "https://elsewhere.example.com/"))  # every page changes
    assert str(site) in message and "disk is full" in message
    assert files_under(site) == published
    assert sorted(path.name for path in site.parent.iterdir()) == ["filler", "site"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path, briefs):
    """`build.py serve` of a published site, on a free port; stopped after the test."""
    site = tmp_path / "site"
    assert run_cli("site", "--out", str(site), "--briefs", str(briefs)).exit_code == 0
    (site / "empty-folder").mkdir()
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", str(site), "--port", str(port)],
                              cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(tmp_path))
    try:
        assert "Serving" in server.stdout.readline()
        yield site, f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def status_of(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_serve_does_not_list_a_directory(served):
    site, base = served
    week_folder = next(path.relative_to(site).as_posix() for path in site.rglob("charts") if path.is_dir())
    for folder in ("empty-folder/", f"{week_folder}/"):
        status, body = status_of(base + folder)
        assert status == 404, body
        assert "Directory listing" not in body
    assert status_of(base)[0] == 200  # a folder with index.html is still its page
    assert status_of(base + "empty-folder")[0] in (301, 404)
