"""One progress line per pipeline stage, on a terminal only (pipes and CI logs stay clean), and
none under -q (the command line sets the `reports` logger to errors only; see `shown`)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


def shown() -> bool:
    """Whether progress and reports of what was done are printed: yes, unless -q asked for errors only."""
    return logging.getLogger("reports").isEnabledFor(logging.WARNING)


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = (self.stream.isatty() and shown()) if enabled is None else enabled
        self.done = 0

    @contextmanager
    def stage(self, label: str) -> Iterator[None]:
        self.done += 1
        started = time.perf_counter()
        if self.enabled:
            self.stream.write(f"[{self.done}/{self.total}] {label}… ")
            self.stream.flush()
        try:
            yield
        except BaseException:
            if self.enabled:
                self.stream.write("failed\n")
            raise
        if self.enabled:
            self.stream.write(f"done ({time.perf_counter() - started:.2f} s)\n")


class BatchProgress:
    """Counts and ETA for a batch of briefs: a tqdm bar on a terminal, one plain line per brief otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if enabled is None else enabled
        self.quiet = not shown()
        self.done = 0
        self.started = time.perf_counter()
        self.bar = None
        if self.tty and total and not self.quiet:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="brief", file=self.stream, dynamic_ncols=True)

    def advance(self, label: str, outcome: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{label} {outcome}", refresh=False)
            self.bar.update(1)
            return
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.started
        left = elapsed / self.done * (self.total - self.done)
        self.stream.write(f"[{self.done}/{self.total}] {label} {outcome} (elapsed {elapsed:.1f} s, ETA {left:.1f} s)\n")
        self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
