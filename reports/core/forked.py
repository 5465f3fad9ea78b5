"""A forked child that works beside this process on a cold build's second core.

Two things use it: the print worker (WeasyPrint loads while the facts are made, then lays
out the PDF) and the chart helper (half of a brief's figures drawn while this process draws
the rest). Both need the same care: the child closes its copy of our end of the pipe (else
it never sees us go and outlives the build, holding its stdout open), and every answer is
a result or the error that stopped it, raised here.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Child:
    """Runs `serve(conn, *args)` in a forked daemon process; `ask` and `answer` talk to it."""

    def __init__(self, serve: Callable[..., None], *args: Any, name: str) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_run, args=(serve, theirs, self._conn, args), name=name, daemon=True)
        self._process.start()
        theirs.close()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def ask(self, failure: str, *job: Any) -> Any:
        """Send a job and wait for its result; `failure` opens the error raised if there is none."""
        self._conn.send(job)
        return self.answer(failure)

    def answer(self, failure: str) -> Any:
        try:
            status, payload = self._conn.recv()
        except EOFError:
            status, payload = "error", "the helper process ended without answering"
        if status != "ok":
            raise RuntimeError(f"{failure}: {payload}")
        return payload

    def close(self, timeout: float = 10) -> int | None:
        """Close our end of the pipe (the child sees the end and exits); returns its exit code."""
        self._conn.close()
        self._process.join(timeout)
        return self._process.exitcode


def reply(conn, work: Callable[..., Any], *args: Any) -> None:
    """In the child: send `work(*args)`, or the error that stopped it."""
    try:
        conn.send(("ok", work(*args)))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", f"{type(error).__name__}: {error}"))


def _run(serve: Callable[..., None], conn, parents_end, args: tuple) -> None:
    parents_end.close()
    try:
        serve(conn, *args)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        return
