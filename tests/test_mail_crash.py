"""The sender killed with SIGKILL at random moments, resumed each time: in the end everyone has the
brief, nobody has it twice except messages in flight at a kill, and the invariant holds.

The brief is the session's real week, copied with its charts swapped for tiny PNGs and without the
PDF: this test is about the ledger, and 2,000 one-megabyte messages would only make it slow.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, run_cli
from mail_support import brief_folder, database, mail_env, server, subscribe  # noqa: F401

SUBSCRIBERS = 2000
CONCURRENCY = 4
KILLS = 12


def small_copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target)
    (target / "brief.pdf").unlink()
    for png in (target / "charts").glob("*.png"):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
        png.write_bytes(buffer.getvalue())
    return target


def in_flight() -> set[str]:
    with database() as db:
        return {email for (email,) in db.execute("SELECT email FROM ledger WHERE state = 'sending'")}


@pytest.mark.slow
def test_killed_at_random_moments_and_resumed(tmp_path, brief_folder, mail_env, monkeypatch):
    monkeypatch.setenv("BRIEF_SEND_CONCURRENCY", str(CONCURRENCY))
    folder = small_copy(brief_folder, tmp_path / "week")
    addresses = [f"reader{i:04d}@example.com" for i in range(SUBSCRIBERS)]
    assert subscribe(tmp_path, "email,name\n" + "".join(f"{a},Reader {i}\n" for i, a in enumerate(addresses))).exit_code == 0
    command = [sys.executable, str(ROOT / "build.py"), "send", str(folder)]
    rng = random.Random(6)
    flights: list[set[str]] = []
    deadline = time.monotonic() + 240  # bounded: a hang fails the test instead of stalling the suite

    while len(flights) < KILLS:
        target = mail_env.count + rng.randint(10, 120)  # kill after a random number of deliveries
        sender = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while mail_env.count < target and sender.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        assert sender.poll() is None, "the campaign finished before the planned kills; lower the kill points"
        sender.send_signal(signal.SIGKILL)
        sender.wait()
        flight = in_flight()
        assert len(flight) <= CONCURRENCY
        flights.append(flight)
        assert time.monotonic() < deadline

    final = subprocess.run(command, env=os.environ.copy(), capture_output=True, text=True, timeout=240)
    assert final.returncode == 0, final.stderr
    assert f"sent {SUBSCRIBERS} + failed 0 + suppressed 0 + pending 0 = {SUBSCRIBERS}; " \
           f"subscribers at campaign time {SUBSCRIBERS} (invariant holds)" in final.stdout

    assert set(mail_env.received) == set(addresses)  # nobody lost
    twice = {address: count for address, count in mail_env.received.items() if count > 1}
    for address, count in twice.items():  # only messages in flight at a kill came again, once per such kill
        assert count - 1 <= sum(address in flight for flight in flights), address
    assert sum(count - 1 for count in twice.values()) <= sum(len(flight) for flight in flights) <= KILLS * CONCURRENCY
    status = run_cli("send-status", str(folder))
    assert "(invariant holds)" in status.output and f"sent {SUBSCRIBERS} +" in status.output
    print(f"{len(flights)} kills, in flight at each: {[len(f) for f in flights]}, delivered twice: {len(twice)}")
