"""The subscription service started for real: `build.py serve-subscriptions` in its own process on
127.0.0.1, mailing through the test's aiosmtpd server (mail_env), on the test's data directory."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from conftest import ROOT

SECRET = "test-secret-" + "x" * 40
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Service:
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(tmp_path: Path, *args: str, name: str = "service") -> Service:
    port = free_port()
    log = tmp_path / f"{name}.log"
    env = {**os.environ, "SUBSCRIBE_SECRET": SECRET}
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve-subscriptions", "--host", "127.0.0.1",
                                "--port", str(port), *args], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the service exited: {log.read_text()}")
        try:
            if httpx.get(url + "healthz", timeout=1).status_code == 200:
                return Service(process, url, log)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"the service did not start: {log.read_text()}")


def wait_for_mail(recorder, address: str, count: int = 1, timeout: float = 15) -> list[bytes]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with recorder.lock:
            found = [raw for to, raw in recorder.messages if to == address]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no mail for {address} within {timeout}s")


def confirm_link(raw: bytes, url: str) -> str:
    text = raw.decode("utf-8", "replace").replace("=\r\n", "")
    found = re.search(re.escape(url) + r"confirm\?token=[A-Za-z0-9._\-]+", text)
    assert found, text
    return found.group(0)


def sign_up(client: httpx.Client, url: str, address: str) -> httpx.Response:
    form = client.get(url)
    return client.post(url, data={"email": address, "csrf": CSRF.search(form.text).group(1)})


def confirm(client: httpx.Client, link: str) -> httpx.Response:
    page = client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    return client.post(link.split("?")[0], data={"token": token, "csrf": CSRF.search(page.text).group(1)})
