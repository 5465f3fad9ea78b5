"""Campaign progress: a tqdm bar with rate and ETA on a terminal, one plain line per batch otherwise
(so CI logs and cron mail stay readable), and nothing under -q."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import TextIO

from tqdm import tqdm

from reports.core.progress import shown

BATCHES = 20  # plain-log mode prints about this many lines per run


class SendProgress:
    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.counts: Counter[str] = Counter()
        self.done = 0
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.batch = max(1, min(1000, -(-total // BATCHES)))
        self.quiet = not shown()  # -q: errors only
        self.bar = tqdm(total=total, file=stream, unit="msg", dynamic_ncols=True) if _is_tty(stream) and not self.quiet \
            else None

    def update(self, state: str) -> None:
        with self.lock:
            self.done += 1
            self.counts[state] += 1
            if self.bar is not None:
                self.bar.update(1)
                self.bar.set_postfix(self.counts, refresh=False)
            elif not self.quiet and (self.done % self.batch == 0 or self.done == self.total):
                self.stream.write(self.line() + "\n")
                self.stream.flush()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        states = ", ".join(f"{state} {count}" for state, count in sorted(self.counts.items()))
        return f"{self.done}/{self.total} messages ({states}), {self.done / elapsed:.1f} msg/s"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
