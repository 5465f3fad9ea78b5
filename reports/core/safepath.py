"""Paths built from data: one helper joins them, and refuses any that would leave its base folder.

Asset ids, symbols and tags are checked where they enter (`assets.id_problem` and friends), so
a refusal here means that check was bypassed: a brief.json written by an older version or by
hand, a store an older version filled, a new caller. It stops there rather than trust it. The
check is on each segment, not on resolved paths, so an out folder that is a symlink is still
followed as the user set it up.
"""

from __future__ import annotations

from pathlib import Path

from reports.core.errors import BriefError

FORBIDDEN = ("\\", "\0")  # besides "/": a Windows separator, and what ends a C string


class UnsafePath(BriefError):
    """A path from data that would leave its folder (exit 2: the input is at fault)."""

    exit_code = 2


def within(base: Path, *parts: str) -> Path:
    """`base` joined with `parts`, each one or more '/'-separated plain names (never "", "." or
    "..", so never absolute; no backslash or NUL): a path that cannot lead outside `base`."""
    for part in parts:
        relative(part)
    return base.joinpath(*parts)


def relative(path: str) -> str:
    """`path`, a '/'-separated relative path (a site file's address), if every segment is a plain name."""
    problem = path_problem(path)
    if problem is not None:
        raise _unsafe(path, problem)
    return path


def name(text: str) -> str:
    """`text`, if it is one plain name: a tag or an id that is to be a single folder."""
    if "/" in text:
        raise _unsafe(text, "it contains '/'")
    return relative(text)


def _unsafe(path: str, problem: str) -> UnsafePath:
    return UnsafePath(f"refusing the path {path[:120]!r}, which could lead outside its folder: {problem}. It comes from "
                      "the data or a brief.json; fix that value (ids and symbols are letters, digits and . _ -).")


def path_problem(path: str) -> str | None:
    """Why `path` could lead outside the folder it is joined to, or None (for checks that report
    it their own way, such as a brief.json field)."""
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            return f"it has the segment {segment!r}" if segment else "it is empty or absolute, or has an empty segment"
        odd = next((mark for mark in FORBIDDEN if mark in segment), None)
        if odd is not None:
            return f"it contains {odd!r}"
    return None
