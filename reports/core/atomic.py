"""Writing a week's folder atomically: all files or none, and a failed build leaves the old ones.

Files are written to a staging folder beside the target, then the folder is swapped in
with renames. Files of the previous build that this build does not make (other formats)
are carried over, so `--formats md` refreshes the Markdown without deleting the PDF.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from reports.core.errors import OutputError


def write_week(out_dir: Path, name: str, files: Mapping[str, bytes]) -> Path:
    """Write `files` as OUT_DIR/NAME, all or nothing. An OSError (no permission, a full disk) is an
    OutputError naming the folder: the user can act on it, and the old folder is left intact."""
    target = out_dir / name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir))
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


def _fill(staging: Path, target: Path, files: Mapping[str, bytes]) -> None:
    if target.is_dir():
        _carry_over(target, staging, files)
    for relative, content in files.items():
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    staging.chmod(0o755)


def _carry_over(target: Path, staging: Path, files: Mapping[str, bytes]) -> None:
    for path in target.rglob("*"):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def swap_folder(staging: Path, target: Path) -> None:
    """Replace `target` with `staging`; the old folder is removed only once the new one is in place."""
    if not target.exists():
        os.rename(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(retired)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
