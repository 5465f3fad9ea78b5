"""One run at a time: the lock that `fetch`, `send` and `site` each hold for their whole run.

It is flock(2) on a lock file, or on a folder itself (so that `site` leaves no file beside the
site): the kernel drops it when the process ends, however it ends, so a run killed with SIGKILL
leaves no lock and the next run takes over with no staleness guess (no pid, no age). A second
run is refused at once.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reports.core.errors import OutputError, UsageError


class Busy(UsageError):
    """Another run holds the lock. Exit 2, as for any command that cannot run as given: this run
    did nothing, and running it again once the other has finished is safe."""


@contextmanager
def exclusive(path: Path, busy: type[Busy], message: str, option: str) -> Iterator[Path]:
    """Hold the lock on `path` (a folder, or a lock file made if missing) until the block ends;
    raise `busy(message)` if another run holds it. `option` names the setting that chose the
    folder, for the error when it cannot be written."""
    try:
        if path.is_dir():
            handle = os.open(path, os.O_RDONLY)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OutputError(path if path.is_dir() else path.parent, error, option) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy(f"{message} The lock ends with that process, even if it is killed: there is nothing "
                       "to delete.") from None
        yield path
    finally:
        os.close(handle)  # releases the lock
