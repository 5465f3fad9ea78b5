"""The PDF printed in a second process (a cold `build.py brief`): same bytes, and it never outlives the build."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from conftest import EPOCH, ROOT, SELL_OFF, build_story, run_cli
from reports.charts.draw import draw_charts
from reports.render import pdf
from reports.core.settings import load_settings


@pytest.fixture(scope="module")
def brief(bundled_data):
    return draw_charts(build_story(bundled_data, SELL_OFF))


def test_the_worker_prints_the_same_bytes_as_this_process(brief, monkeypatch):
    settings = load_settings(flags={"week_ending": SELL_OFF})
    here = pdf.render(brief, settings)
    worker = pdf.PrintWorker()
    try:
        monkeypatch.setattr(pdf, "_worker", worker)
        # Forked before this patch, the worker keeps the real printer; this process may not print.
        monkeypatch.setattr(pdf, "_print", lambda *job: pytest.fail("the PDF was printed in this process"))
        there = pdf.render(brief, settings)
        assert worker.alive, "the PDF came from this process, not the worker"
    finally:
        code = worker.close()
    assert there == here
    assert code == 0, "the worker did not end when its parent closed the pipe"


def test_a_worker_whose_parent_dies_ends_too(tmp_path):
    """The child must not hold the parent's end of the pipe open (it would wait for work forever,
    and keep the build's stdout open, hanging whoever reads it)."""
    script = ("import os, sys; from reports.render import pdf; pdf.start_print_worker(); "
              "print(pdf._worker._process.pid, flush=True); os._exit(0)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    child = int(result.stdout.strip())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _running(child):
        time.sleep(0.1)
    assert not _running(child), f"the print worker {child} outlived its parent"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] not in "ZX"  # a zombie has ended; its reaper is gone
    except FileNotFoundError:
        return False


def test_a_cold_build_and_an_in_process_build_write_identical_files(tmp_path):
    """`build.py` (which prints in the worker and exits at once) and the same command run in-process."""
    env = {"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": EPOCH, "HOME": str(tmp_path),
           "BRIEF_DATA_DIR": str(tmp_path / "data")}
    cold = subprocess.run([sys.executable, str(ROOT / "build.py"), "brief", "--week-ending", SELL_OFF.isoformat(),
                           "--out", str(tmp_path / "cold")], capture_output=True, text=True, env=env, timeout=300)
    assert cold.returncode == 0, cold.stderr
    warm = run_cli("brief", "--week-ending", SELL_OFF.isoformat(), "--out", str(tmp_path / "warm"))
    assert warm.exit_code == 0, warm.output
    cold_files = {p.relative_to(tmp_path / "cold"): p.read_bytes() for p in (tmp_path / "cold").rglob("*") if p.is_file()}
    warm_files = {p.relative_to(tmp_path / "warm"): p.read_bytes() for p in (tmp_path / "warm").rglob("*") if p.is_file()}
    assert sorted(cold_files) == sorted(warm_files) and len(cold_files) == 17  # 4 formats, 6 charts, their 6 phone versions and the dates record
    for name, data in cold_files.items():
        assert data == warm_files[name], name
