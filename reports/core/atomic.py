"""Writing atomically: a file, or a whole folder, is replaced all at once or not at all.

The one place that does it, for everything the package writes in place of what was there:
- `write_file`: one file (the parsed-data cache, a dry run's .eml files): a temporary file beside
  it, written and fsynced, renamed over it, then the folder's entry fsynced.
- `write_week`: a week's folder. Files are written to a staging folder beside the target
  (`stage_file`), then the folder is swapped in (`swap_folder`). Files of the previous build that
  this build does not make (other formats) are carried over, so `--formats md` refreshes the
  Markdown without deleting the PDF.
- `swap_folder`: what `write_week` and the site's publish use to put a staged folder in place: on
  Linux one renameat2(RENAME_EXCHANGE), so the path never goes missing even for an instant,
  elsewhere two renames.

A staging folder is `.NAME.<random>.tmp` beside its target, and a folder being replaced is kept as
`.NAME.<random>.old` until the new one is in place (publish.py removes those a killed run left).
Every file is fsynced before its rename and every folder whose entries changed after it, so what a
rename put in place survives a power cut.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from reports.core.errors import OutputError


def write_file(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, all or nothing: on any failure the old file (or no file) is left,
    and the temporary file is removed. An OSError is raised as it is, for the caller to say what it
    means. The file is readable by its owner only (0600, as mkstemp makes it)."""
    # the name cut short: mkstemp's letters and the suffix must still fit in NAME_MAX
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_week(out_dir: Path, name: str, files: Mapping[str, bytes]) -> Path:
    """Write `files` as OUT_DIR/NAME, all or nothing. An OSError (no permission, a full disk) is an
    OutputError naming the folder: the user can act on it, and the old folder is left intact."""
    target = out_dir / name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = staging_folder(target)
    except OSError as error:
        raise OutputError(out_dir, error) from None
    try:
        _fill(staging, target, files)
        swap_folder(staging, target)
    except OSError as error:
        raise OutputError(target, error) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # already gone once swapped in
    return target


def staging_folder(target: Path) -> Path:
    """A new, empty staging folder beside `target`: `.NAME.<random>.tmp` (mkdtemp's letters have no dots)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))


def _fill(staging: Path, target: Path, files: Mapping[str, bytes]) -> None:
    if target.is_dir():
        _carry_over(target, staging, files)
    for relative, content in files.items():
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        stage_file(path, content)


def _carry_over(target: Path, staging: Path, files: Mapping[str, bytes]) -> None:
    for path in target.rglob("*"):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            stage_file(destination, path)
            shutil.copystat(path, destination)  # as shutil.copy2 would: the file is not rewritten, only moved


def stage_file(path: Path, content: bytes | Path) -> None:
    """Write `content` (bytes, or a file to copy) as the new file `path` in a staging folder, fsynced.
    Not atomic on its own: the staging folder is swapped in as a whole (`swap_folder`)."""
    with path.open("wb") as handle:
        if isinstance(content, Path):
            with content.open("rb") as source:
                shutil.copyfileobj(source, handle)
        else:
            handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def swap_folder(staging: Path, target: Path) -> None:
    """Replace `target` with `staging` (made world-readable, 0755); the old folder is removed only
    once the new one is in place. The staged files must be fsynced already (`stage_file`); the
    staging folder's own entries are fsynced here first, and the parent's after the swap."""
    staging.chmod(0o755)
    _sync_tree(staging)
    if target.is_dir() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous folder
    elif not target.exists():
        os.rename(staging, target)
    else:
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(retired)
        os.rename(target, retired)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(retired, target)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    _sync_folder(target.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    rename_exchange, at_fdcwd = 2, -100
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    return bool(renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0)


def _sync_tree(folder: Path) -> None:
    """fsync every folder in the tree under `folder`, so the names of the files in it are on disk."""
    for parent, _, _ in os.walk(folder):
        _sync_folder(Path(parent))


def _sync_folder(folder: Path) -> None:
    """fsync a folder's entries (a rename in it, a file made in it). A file system that cannot
    fsync a folder (EINVAL, ENOTSUP) makes its own guarantees, and is let be."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(handle)
