"""The errors a user can act on, and the exit code each one maps to.

Anything that is not a `BriefError` is a bug: the CLI reports it as unexpected (exit 1).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


class BriefError(Exception):
    """An error with a message written for the user, and the exit code to leave with."""

    exit_code = 1


class UsageError(BriefError):
    """Bad arguments or settings (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem is: line and column are 1-based."""

    path: Path
    line: int | None = None
    column: int | None = None
    column_name: str | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f", line {self.line}"
        if self.column is not None:
            text += f", column {self.column}"
            if self.column_name:
                text += f" ({self.column_name})"
        return text


class InputError(BriefError):
    """Bad input data (exit 2): says where, what is wrong and what to do about it."""

    exit_code = 2

    def __init__(self, where: Location | Path | str, problem: str, fix: str) -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(f"{where}: {problem}. {fix}")


class NoDataError(BriefError):
    """The data cannot support what was asked (a week outside its range): exit 2."""

    exit_code = 2


class OutputError(BriefError):
    """The output cannot be written where asked (exit 2): no permission, a full disk, a read-only
    file system. Raised where the path is known, after the previous output there was restored."""

    exit_code = 2

    def __init__(self, path: Path, error: OSError, option: str = "--out") -> None:
        super().__init__(f"{path}: cannot write here ({error.strerror or error}): {_advice(error.errno, option)} "
                         "What was there before is unchanged.")


def _advice(code: int | None, option: str) -> str:
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full (or your quota is used up). Free some space, or choose another {option}."
    if code == errno.EROFS:
        return f"the file system is read-only. Choose another {option}."
    if code in (errno.EACCES, errno.EPERM):
        return f"you may not write there. Choose another {option}, or change the folder's permissions."
    return f"choose another {option}."
