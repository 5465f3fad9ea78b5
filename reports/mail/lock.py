"""One sender per campaign: a lock file per brief in the data directory, held for the whole run.

The lock is filelock's, as `fetch` takes for the CoinGecko store: an OS lock (flock) on an open
file, which the kernel drops when the process ends however it ends. A sender killed with SIGKILL
leaves the file but not the lock, so the next run takes it over with no staleness guess (no pid,
no age).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from filelock import FileLock, Timeout

from ..errors import BriefError, UsageError


class CampaignBusy(UsageError):
    """Another `send` of the same brief is running. Exit 2, as for any command that cannot run as
    given: this run did nothing, and running it again once the other has finished is safe."""


@dataclass(frozen=True)
class CampaignLock:
    """Held by this process for `brief`. `ledger.open_campaign` takes one, so the reset of rows left
    `sending` can only happen under the lock, when no live run can be holding them."""

    brief: str
    path: Path


def lock_path(data_dir: Path, brief: str) -> Path:
    """One file per brief key; the key is quoted whole, so an asset brief's '/' stays in the name."""
    return data_dir / f"send-{quote(brief, safe='')}.lock"


@contextmanager
def campaign_lock(data_dir: Path, brief: str) -> Iterator[CampaignLock]:
    """Hold the campaign's lock for the whole run; a second run is refused at once."""
    path = lock_path(data_dir, brief)
    lock = FileLock(path, timeout=0)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise CampaignBusy(
            f"another `send` is already mailing {brief} (it holds {path}). This run sent nothing. Wait for it to "
            "finish (`send-status` shows where it stands), then run again if anything is left pending; the lock "
            "ends with that process, even if it is killed, so there is nothing to delete."
        ) from None
    except OSError as error:
        raise BriefError(f"{path}: cannot take the campaign lock ({error.strerror or error}). "
                         "Check --data-dir / BRIEF_DATA_DIR.") from None
    try:
        yield CampaignLock(brief, path)
    finally:
        lock.release()
