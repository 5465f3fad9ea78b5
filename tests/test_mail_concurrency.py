"""Two `send` runs of one brief at once, and the run holding the campaign lock killed with SIGKILL
(issue 12, case 1): real processes (`python build.py send`) against a real SMTP server.

A rate limit of 200 messages a second makes the 300-message campaign last about 1.5 s, long
enough for the two runs started together to overlap, short enough to keep the test quick.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SELL_OFF
from mail_support import brief_folder, database, mail_env, server, subscribe  # noqa: F401
from test_mail_crash import small_copy

SUBSCRIBERS = 300
CONCURRENCY = 4
SLOW = {"BRIEF_RATE_PER_SECOND": "200"}


@pytest.fixture
def campaign(tmp_path, brief_folder, mail_env, monkeypatch):
    """A small copy of the real week and 300 subscribers; returns (folder, addresses)."""
    monkeypatch.setenv("BRIEF_SEND_CONCURRENCY", str(CONCURRENCY))
    folder = small_copy(brief_folder, tmp_path / "week")
    addresses = [f"reader{i:03d}@example.com" for i in range(SUBSCRIBERS)]
    assert subscribe(tmp_path, "email\n" + "\n".join(addresses) + "\n").exit_code == 0
    return folder, addresses


def start(folder, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "send", str(folder)], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(run: subprocess.Popen) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); bounded, so a hang fails the test instead of stalling the suite."""
    out, err = run.communicate(timeout=120)
    return run.returncode, out, err


def test_two_runs_started_together_mail_everyone_once_and_one_is_refused(campaign, mail_env):
    folder, addresses = campaign
    runs = [start(folder, **SLOW), start(folder, **SLOW)]
    results = [finish(run) for run in runs]
    (refused,) = [result for result in results if result[0] == 2]
    (done,) = [result for result in results if result[0] == 0]
    assert f"another `send` is already mailing week-{SELL_OFF}" in refused[2] and "This run sent nothing" in refused[2]
    assert f"sent {SUBSCRIBERS} + failed 0 + suppressed 0 + pending 0 = {SUBSCRIBERS};" in done[1], done
    assert mail_env.count == SUBSCRIBERS
    assert mail_env.received == {address: 1 for address in addresses}


def test_a_killed_lock_holder_leaves_no_lock_and_the_next_run_repeats_only_what_was_in_flight(campaign, mail_env):
    folder, addresses = campaign
    holder = start(folder, **SLOW)
    deadline = time.monotonic() + 60
    while mail_env.count < 50 and holder.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert holder.poll() is None, "the campaign ended before the kill"
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=10)
    with database() as db:
        in_flight = {email for (email,) in db.execute("SELECT email FROM ledger WHERE state = 'sending'")}
    assert len(in_flight) <= CONCURRENCY
    lock = Path(os.environ["BRIEF_DATA_DIR"]) / f"send-week-{SELL_OFF}.lock"
    assert lock.exists()  # the file stays; the lock on it ended with the process, as the next run shows

    resumed = start(folder)
    code, out, err = finish(resumed)
    assert code == 0, err
    assert f"sent {SUBSCRIBERS} + failed 0 + suppressed 0 + pending 0 = {SUBSCRIBERS};" in out
    assert set(mail_env.received) == set(addresses)  # nobody lost
    repeated = {address: count - 1 for address, count in mail_env.received.items() if count > 1}
    assert set(repeated) <= in_flight and set(repeated.values()) <= {1}  # only a message in flight, once
    assert sum(repeated.values()) <= CONCURRENCY

