"""One progress line per pipeline stage, on a terminal only (pipes and CI logs stay clean)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
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
