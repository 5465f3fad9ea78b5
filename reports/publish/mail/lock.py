"""One sender per campaign: a lock file per brief in the data directory, held for the whole run.

The lock is `reports.locks.exclusive`, the one `fetch` and `site` hold too: a sender killed with
SIGKILL leaves the file but not the lock, so the next run takes it over.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from reports.core.locks import Busy, exclusive


class CampaignBusy(Busy):
    """Another `send` of the same brief is running."""


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
    busy = (f"another `send` is already mailing {brief} (it holds {path}). This run sent nothing. Wait for it to "
            "finish (`send-status` shows where it stands), then run again if anything is left pending.")
    with exclusive(path, CampaignBusy, busy, "--data-dir"):
        yield CampaignLock(brief, path)
