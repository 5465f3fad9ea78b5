"""Publishing a built site: incremental by content hash, and atomic.

The new site is assembled in a staging folder beside the live one. A file whose content
hash equals the live file's is hard-linked from the live site (same inode, same mtime:
not rewritten, and web servers and rsync see it unchanged); any other file is written
fresh and fsynced. Then the staging folder is swapped in (core/atomic.py's `swap_folder`: on
Linux one renameat2(RENAME_EXCHANGE), so the live path never goes missing even for an instant,
elsewhere two renames). A failure at any point
removes the staging folder and leaves the live site exactly as it was; a build that
changes nothing leaves the live site in place. One run publishes into a folder at a time (a lock
on the site's parent folder), and it removes the staging folders a killed run left.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reports.core.atomic import stage_file, staging_folder, swap_folder
from reports.core.errors import OutputError
from reports.core.locks import Busy, exclusive

Content = bytes | Path
_write = stage_file  # one file into the staging folder (tests replace it to fail or die midway)


class SiteBusy(Busy):
    """Another `site` run is publishing the same site."""


@dataclass(frozen=True)
class Published:
    site_dir: Path
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def publish(site_dir: Path, files: Mapping[str, Content]) -> Published:
    """Publish `files` as the site in `site_dir`. An OSError (no permission, a full disk) is an
    OutputError naming the site: the user can act on it, and the live site is left as it was."""
    site_dir = site_dir.absolute()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _publishing(site_dir):
            return _publish(site_dir, files)
    except OSError as error:
        raise OutputError(site_dir, error) from None


@contextmanager
def _publishing(site_dir: Path) -> Iterator[None]:
    """Hold the lock on the site's parent folder for the whole publish, and first remove what a
    killed run left: only the holder makes staging folders, so while it is held any other folder of
    this site's staging pattern is stale."""
    busy = f"{site_dir}: another `site` run is publishing in {site_dir.parent}. Wait for it to finish, then run again."
    with exclusive(site_dir.parent, SiteBusy, busy, "--out"):
        _remove_stale(site_dir)
        yield


def _remove_stale(site_dir: Path) -> None:
    """Staging folders (`.NAME.<random>.tmp`) of killed runs; a retired copy (`.NAME.<random>.old`)
    only when the live site is in place, since then it is surely superseded."""
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}\.[a-z0-9_]+\.(tmp|old)")  # mkdtemp's names have no dots
    for path in site_dir.parent.iterdir():
        found = pattern.fullmatch(path.name)
        if found and path.is_dir() and not path.is_symlink() and (found[1] == "tmp" or site_dir.is_dir()):
            shutil.rmtree(path, ignore_errors=True)


def _publish(site_dir: Path, files: Mapping[str, Content]) -> Published:
    live = _live_files(site_dir)
    staging = staging_folder(site_dir)
    written, unchanged = [], []
    try:
        for relative, content in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if relative in live and _digest(live[relative]) == _digest(content) and _link(live[relative], target):
                unchanged.append(relative)
            else:
                _write(target, content)
                written.append(relative)
        result = Published(site_dir, tuple(written), tuple(unchanged), tuple(sorted(set(live) - set(files))))
        if result.changed or not site_dir.is_dir():
            swap_folder(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _live_files(site_dir: Path) -> dict[str, Path]:
    if not site_dir.is_dir():
        return {}
    return {path.relative_to(site_dir).as_posix(): path for path in site_dir.rglob("*") if path.is_file()}


def _link(live: Path, target: Path) -> bool:
    """Hard-link an unchanged file into the new site; False where the file system cannot."""
    try:
        os.link(live, target)
    except OSError:
        return False
    return True


def _digest(content: Content) -> str:
    if isinstance(content, bytes):
        return hashlib.sha256(content).hexdigest()
    with content.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()

