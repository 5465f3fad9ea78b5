"""A kill -9 of the subscription service in the middle of a burst of sign-ups and confirmations
loses no confirmed subscriber: each confirmation is committed before its answer is sent, so every
address that was told "You are subscribed" is on the list, the file is consistent, and the service
starts again on it and takes the remaining confirmations."""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from mail_support import database, mail_env, server  # noqa: F401
from subscribe_support import confirm, confirm_link, sign_up, start, wait_for_mail

COUNT = 60
pytestmark = pytest.mark.slow


def test_kill_9_during_a_burst_loses_no_confirmed_subscriber(tmp_path, mail_env):
    fast = ("--rate-per-minute", "1000000", "--resend-after", "0")
    service = start(tmp_path, *fast)
    addresses = [f"reader{number:03d}@example.com" for number in range(COUNT)]
    with httpx.Client() as client:
        for address in addresses:
            assert sign_up(client, service.url, address).status_code == 200
    links = {address: confirm_link(wait_for_mail(mail_env, address)[0], service.url) for address in addresses}

    told: list[str] = []  # addresses the service answered "You are subscribed" for, before the kill
    lock = threading.Lock()
    enough = threading.Event()

    def confirm_one(address: str) -> None:
        try:
            with httpx.Client(timeout=10) as client:
                sign_up(client, service.url, f"late-{address}")  # sign-ups keep coming during the burst
                answer = confirm(client, links[address])
        except (httpx.TransportError, AttributeError):  # killed mid-request (or mid-page)
            return
        if "You are subscribed" in answer.text:
            with lock:
                told.append(address)
                if len(told) >= COUNT // 3:
                    enough.set()

    with ThreadPoolExecutor(8) as pool:
        for address in addresses:
            pool.submit(confirm_one, address)
        assert enough.wait(60), "the burst did not get going"
        os.kill(service.process.pid, signal.SIGKILL)
        service.process.wait()
    assert service.process.returncode == -signal.SIGKILL
    assert COUNT // 3 <= len(told) < COUNT, len(told)  # killed mid-burst

    with database() as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        active = {email for (email,) in db.execute("SELECT email FROM subscribers WHERE status = 'active'")}
    assert set(told) <= active  # nobody who was told "subscribed" is lost

    again = start(tmp_path, *fast, name="restarted")
    try:
        with httpx.Client() as client:
            for address in addresses:
                answer = confirm(client, links[address].replace(service.url, again.url))
                assert "You are subscribed" in answer.text  # the same links still work, confirming twice is fine
    finally:
        again.stop()
    with database() as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT email, status FROM subscribers WHERE email LIKE 'reader%'").fetchall()
    assert sorted(rows) == [(address, "active") for address in addresses]
