"""core/atomic.py, the one atomic writer: a file or a folder is replaced whole or not at all, what
it wrote is fsynced (the file, and the folder whose entries changed), and no temporary is left.

Everything runs on the real file system. The only stand-in is a spy on `os.fsync` that still
calls the real one and notes which path each descriptor is, so a test can say what was synced.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reports.core.atomic import stage_file, staging_folder, swap_folder, write_file, write_week
from reports.core.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def synced(monkeypatch) -> list[Path]:
    """The paths fsynced from now on, in order (os.fsync still runs)."""
    seen: list[Path] = []
    real = os.fsync

    def spy(fd: int) -> None:
        seen.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        real(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name a descriptor's file")
    monkeypatch.setattr(os, "fsync", spy)
    return seen


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# --- write_file ------------------------------------------------------------------------------------

def test_write_file_replaces_the_content_and_fsyncs_the_file_and_its_folder(tmp_path, synced):
    target = tmp_path / "cache.pickle"
    target.write_bytes(b"old")
    write_file(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert names(tmp_path) == ["cache.pickle"], "no temporary file is left"
    temporary, folder = synced
    assert temporary.parent == tmp_path and temporary.name.startswith(".cache.pickle.")  # fsynced before the rename
    assert folder == tmp_path  # and the rename itself, after it


def test_write_file_makes_a_new_file_readable_by_its_owner_only(tmp_path):
    target = tmp_path / "00001-ann@example.com.eml"
    write_file(target, b"From: x\r\n")
    assert target.read_bytes() == b"From: x\r\n" and target.stat().st_mode & 0o777 == 0o600


def test_write_file_keeps_the_old_content_when_the_data_cannot_be_written(tmp_path):
    target = tmp_path / "brief.eml"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_file(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old" and names(tmp_path) == ["brief.eml"]


FILE_SIZE_LIMIT = """\
import resource, signal, sys
from pathlib import Path
from reports.core.atomic import write_file
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit a write fails with EFBIG instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    write_file(Path(sys.argv[1]), b"x" * 100_000)
except OSError as error:
    print(error.errno)
"""


def test_write_file_keeps_the_old_content_when_the_disk_fills_midway(tmp_path):
    """A write that fails after part of the data is on disk (the file-size limit standing in for a
    full disk): the old file is intact and the half-written temporary is gone."""
    import errno

    target = tmp_path / "market.pickle"
    target.write_bytes(b"old")
    done = subprocess.run([sys.executable, "-c", FILE_SIZE_LIMIT, str(target)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(errno.EFBIG)
    assert target.read_bytes() == b"old" and names(tmp_path) == ["market.pickle"]


def test_write_file_removes_its_temporary_when_the_rename_fails(tmp_path):
    target = tmp_path / "taken"
    (target / "inside").mkdir(parents=True)  # a folder in the way: os.replace refuses
    with pytest.raises(OSError):
        write_file(target, b"data")
    assert names(tmp_path) == ["taken"] and names(target) == ["inside"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_write_file_in_a_read_only_folder_raises_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "drafts" / "1.eml"
    target.parent.mkdir()
    target.write_bytes(b"old")
    target.parent.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            write_file(target, b"new")
        assert target.read_bytes() == b"old" and names(target.parent) == ["1.eml"]
    finally:
        target.parent.chmod(0o700)


def test_write_file_takes_a_name_as_long_as_the_file_system_allows(tmp_path):
    target = tmp_path / ("a" * 250)
    write_file(target, b"data")
    assert target.read_bytes() == b"data" and names(tmp_path) == ["a" * 250]


# --- staging and swapping a folder -------------------------------------------------------------

def test_stage_file_writes_bytes_or_copies_a_file_and_fsyncs_each(tmp_path, synced):
    source = tmp_path / "style.css"
    source.write_bytes(b"body {}")
    stage_file(tmp_path / "page.html", b"<p>")
    stage_file(tmp_path / "copy.css", source)
    assert (tmp_path / "page.html").read_bytes() == b"<p>" and (tmp_path / "copy.css").read_bytes() == b"body {}"
    assert synced == [tmp_path / "page.html", tmp_path / "copy.css"]


def test_swap_folder_puts_the_new_folder_in_place_and_syncs_its_folders_and_the_parent(tmp_path, synced):
    live = tmp_path / "site"
    (live / "old").mkdir(parents=True)
    (live / "old" / "page.html").write_text("old")
    staging = staging_folder(live)
    assert staging.parent == tmp_path and staging.name.startswith(".site.") and staging.name.endswith(".tmp")
    (staging / "briefs" / "2026-02-08").mkdir(parents=True)
    stage_file(staging / "briefs" / "2026-02-08" / "index.html", b"new")
    synced.clear()
    swap_folder(staging, live)
    assert (live / "briefs" / "2026-02-08" / "index.html").read_bytes() == b"new" and not (live / "old").exists()
    assert names(tmp_path) == ["site"], "neither the staging folder nor the old site is left"
    assert live.stat().st_mode & 0o777 == 0o755
    assert set(synced[:-1]) == {staging, staging / "briefs", staging / "briefs" / "2026-02-08"}  # before the swap
    assert synced[-1] == tmp_path  # the swap itself


def test_swap_folder_into_a_new_place(tmp_path):
    staging = staging_folder(tmp_path / "week")
    stage_file(staging / "brief.md", b"# brief")
    swap_folder(staging, tmp_path / "week")
    assert names(tmp_path) == ["week"] and (tmp_path / "week" / "brief.md").read_bytes() == b"# brief"


# --- write_week ------------------------------------------------------------------------------------

def test_write_week_carries_over_the_other_formats_and_syncs_every_file(tmp_path, synced):
    week = tmp_path / "out" / "2026-02-08"
    write_week(tmp_path / "out", "2026-02-08", {"brief.md": b"one", "brief.pdf": b"%PDF", "charts/a.svg": b"<svg/>"})
    pdf_mtime = (week / "brief.pdf").stat().st_mtime_ns
    synced.clear()
    write_week(tmp_path / "out", "2026-02-08", {"brief.md": b"two"})
    assert (week / "brief.md").read_bytes() == b"two" and (week / "brief.pdf").read_bytes() == b"%PDF"
    assert (week / "charts" / "a.svg").read_bytes() == b"<svg/>"
    assert (week / "brief.pdf").stat().st_mtime_ns == pdf_mtime  # carried over, not rewritten
    assert names(tmp_path / "out") == ["2026-02-08"]
    *inside, last = synced
    staging = tmp_path / "out" / inside[0].relative_to(tmp_path / "out").parts[0]
    assert staging.name.startswith(".2026-02-08.") and staging.name.endswith(".tmp")
    # every staged file (the carried-over ones too) and folder, then the swap in the parent
    assert {path.relative_to(staging).as_posix() for path in inside} == {"brief.md", "brief.pdf", "charts/a.svg",
                                                                         ".", "charts"}
    assert last == tmp_path / "out"


def test_write_week_into_an_unwritable_place_is_an_output_error_naming_it(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(OutputError) as raised:
        write_week(tmp_path / "file", "2026-02-08", {"brief.md": b"x"})
    assert str(tmp_path / "file") in str(raised.value)
    assert names(tmp_path) == ["file"]
