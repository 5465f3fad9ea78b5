"""Sending a campaign: worker threads, each with its own reused SMTP connection, a shared rate
limit, backoff on 4xx, and a stop after too many failures in a row.

Every message's fate is in the ledger before and after its SMTP transaction (see ledger.py),
so the process can be killed at any instant and the next run picks up where it left off. A run
holds the campaign's lock (lock.py) from start to end: two runs at once never share a ledger.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from reports.core.errors import BriefError
from reports.core.settings import Settings
from reports.publish.mail import audience, ledger, smtp, subscribers
from reports.publish.mail.edition import read_edition
from reports.publish.mail.failures import unexpected
from reports.publish.mail.lock import CampaignLock, campaign_lock
from reports.publish.mail.message import Composer, Recipient
from reports.publish.mail.progress import SendProgress
from reports.publish.mail.store import mail_dir, open_store


@dataclass(frozen=True)
class Outcome:
    brief: str
    tally: ledger.Tally
    counts: Mapping[str, int]  # this run's rows by what became of them: sent, failed, deferred, suppressed
    stopped: str | None  # why the campaign stopped early, if it did
    error: BaseException | None = field(default=None, compare=False)  # the bug that stopped it, for --debug

    @property
    def attempted(self) -> int:
        return sum(self.counts.values())

    def failure(self) -> str | None:
        """Why this run did not do its job (the CLI then exits 1), or None. Messages attempted and
        none delivered is a failure even when every answer was final: a cron job must notice."""
        if self.stopped:
            return self.stopped
        tried = self.attempted - self.counts.get("suppressed", 0)
        if tried and not self.counts.get("sent"):
            return (f"none of the {tried} messages attempted in this run was delivered; "
                    "`send-status` lists the server's answers")
        return None


class RateLimit:
    """Spaces messages evenly so that neither the per-second nor the per-hour limit is exceeded."""

    def __init__(self, per_second: float, per_hour: float) -> None:
        gaps = [1 / per_second if per_second else 0.0, 3600 / per_hour if per_hour else 0.0]
        self.gap = max(gaps)
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self, stop: threading.Event) -> None:
        if not self.gap:
            return
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next)
            self.next = slot + self.gap
        stop.wait(max(0.0, slot - now))


class Campaign:
    """One run of sending a brief to whoever in its ledger is still pending."""

    def __init__(self, settings: Settings, folder: Path, stream: TextIO | None = None) -> None:
        self.settings = settings
        self.edition = read_edition(folder)
        self.composer = Composer(self.edition, settings)
        self.db = open_store(settings)
        self.lock = threading.Lock()  # one SQLite connection, one writer at a time
        self.stop = threading.Event()
        self.stopped: str | None = None
        self.error: BaseException | None = None
        self.failures_in_a_row = 0
        self.rate = RateLimit(settings.rate_per_second, settings.rate_per_hour)
        self.stream = stream or sys.stderr

    @property
    def key(self) -> str:
        return self.edition.key

    def _mark(self, email: str, state: str, answer: str = "", attempt: bool = False) -> None:
        with self.lock:
            ledger.mark(self.db, self.key, email, state, answer, attempt)

    def run(self, limit: int | None = None) -> Outcome:
        """Send what is pending, holding the campaign's lock throughout (CampaignBusy if another run has it)."""
        with campaign_lock(mail_dir(self.settings), self.key) as held:
            return self._run(held, limit)

    def _run(self, held: CampaignLock, limit: int | None) -> Outcome:
        with self.lock:
            ledger.open_campaign(self.db, held, lambda tags: audience.receives(tags, self.edition.asset))
            todo = ledger.pending(self.db, self.key, limit)
        if todo:
            smtp.close(smtp.connect(self.settings))  # a wrong host or login stops here, before any row moves
        jobs: queue.SimpleQueue[str] = queue.SimpleQueue()
        for email in todo:
            jobs.put(email)
        progress = SendProgress(len(todo), self.stream)
        workers = [threading.Thread(target=self._work, args=(jobs, progress), daemon=True)
                   for _ in range(min(self.settings.send_concurrency, len(todo)))]
        try:
            for worker in workers:
                worker.start()
            for worker in workers:
                while worker.is_alive():
                    worker.join(0.2)
        except KeyboardInterrupt:
            self.stop.set()
            self.stopped = "interrupted"
            for worker in workers:
                worker.join()
        finally:
            progress.close()
        with self.lock:
            tally = ledger.tally(self.db, self.key)
        assert tally is not None  # open_campaign made the campaign
        return Outcome(self.key, tally, dict(progress.counts), self.stopped, self.error)

    def _work(self, jobs: queue.SimpleQueue[str], progress: SendProgress) -> None:
        client = None
        try:
            while not self.stop.is_set():
                try:
                    email = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    state, client = self._send_one(email, client)
                except Exception as error:  # a bug, or a row no check foresaw: stop the run, not just this thread
                    self._crash(email, error)
                    state = "failed"
                progress.update(state)
        finally:
            smtp.close(client)

    def _crash(self, email: str, error: Exception) -> None:
        """Stop the run at a row whose sending raised. The row is answered `failed` with the error, so
        it is never left pending without a word and a rerun sends the rest instead of stopping there."""
        self.error = error
        self._halt(f"stopped: {unexpected(email, error)}. That row is marked failed with this answer; run the "
                   "same command to send the rest, and report the error (--debug shows the traceback)")
        with contextlib.suppress(sqlite3.Error):  # if the ledger itself failed, the row stays `sending`: resumed
            self._mark(email, "failed", f"not sent: {unexpected(email, error)}")

    def _send_one(self, email: str, client):
        """Send to one subscriber; returns the row's final state and the (maybe new) connection."""
        with self.lock:
            person = subscribers.find(self.db, email)
        if person is None or person.status != "active":
            self._mark(email, "suppressed", "removed from the list" if person is None else person.status)
            return "suppressed", client
        recipient = Recipient(person.email, person.name, person.token)
        data = self.composer.message_bytes(recipient)
        self._mark(email, "sending", attempt=True)
        for attempt in range(1, self.settings.max_attempts + 1):
            self.rate.wait(self.stop)
            if client is None:
                try:
                    client = smtp.connect(self.settings)
                except BriefError as error:
                    answer = smtp.Answer(0, str(error))
                    client = None
            if client is not None:
                answer = smtp.deliver(client, self.composer.sender.addr_spec, recipient.address.addr_spec, data)
            if answer.delivered:
                self._mark(email, "sent", str(answer))
                self._count(ok=True)
                return "sent", client
            if answer.permanent:
                self._mark(email, "failed", str(answer))
                if answer.bounced:
                    with self.lock:
                        subscribers.suppress(self.db, [email], "bounced", str(answer))
                if not answer.local:  # our own refusal says nothing about the server's health
                    self._count(ok=False)
                return "failed", client
            if answer.code in (0, 421):  # the server closed or is closing the connection
                smtp.close(client)
                client = None
            if self.stop.is_set():
                break
            if attempt < self.settings.max_attempts:
                self.stop.wait(self.settings.retry_backoff * 2 ** (attempt - 1))
        self._mark(email, "pending", f"deferred after {attempt} tries: {answer}")
        self._count(ok=False)
        return "deferred", client

    def _count(self, ok: bool) -> None:
        with self.lock:
            self.failures_in_a_row = 0 if ok else self.failures_in_a_row + 1
            too_many = self.failures_in_a_row >= self.settings.max_consecutive_failures
        if too_many:
            self._halt(f"stopped after {self.settings.max_consecutive_failures} failures in a row "
                       "(max_consecutive_failures); check the SMTP server, then run the same command to resume")

    def _halt(self, reason: str) -> None:
        if not self.stop.is_set():
            self.stopped = reason
            self.stop.set()


def status(settings: Settings, folder: Path) -> tuple[str, ledger.Tally | None, list[tuple[str, str]]]:
    """The campaign's tally and its first failures, for `send-status`."""
    edition = read_edition(folder)
    db: sqlite3.Connection = open_store(settings)
    return edition.key, ledger.tally(db, edition.key), ledger.failures(db, edition.key)
