"""Reading the briefs the pipeline already wrote: OUT/<YYYY-MM-DD>/brief.json and its files.

The site never recomputes a brief. It reads brief.json (the renderers' machine-readable
output) through `reports.document`, so a damaged or foreign file is a clear error naming the
file, and it publishes the PDF, Markdown and chart files beside it as they are. Each tag must
also pass the symbol rule, since it names a folder of the site.
Only folders named like a date are weeks; anything else in OUT (staging folders) is left alone.
Per-asset briefs (OUT/assets/<asset-id>/<week-end>/) are read by `find_asset_briefs`, each id
checked by the symbol rule before it names a folder of the site.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from pathlib import Path

from reports import document
from reports.data.catalog import symbol_problem
from reports.core.errors import InputError, UsageError
from reports.core.safepath import within
from reports.document import Block, Brief, Chart, Section

__all__ = ["Block", "PublishedBrief", "find_asset_briefs", "find_briefs", "is_week_folder", "read_brief"]

WEEK_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMATS = {"pdf": "brief.pdf", "md": "brief.md", "json": "brief.json"}


class PublishedBrief:
    """A week's brief on disk: its document, its folder, and which files it has."""

    def __init__(self, folder: Path, brief: Brief) -> None:
        self.folder = folder
        self.doc = brief

    @property
    def asset(self) -> str | None:
        """The subject of a per-asset brief (its id), None for the market brief."""
        return self.doc.asset

    @property
    def week_end(self) -> date:
        return self.doc.week.end

    @property
    def slug(self) -> str:
        return self.week_end.isoformat()

    @cached_property
    def formats(self) -> tuple[str, ...]:
        """The downloadable files this week has (json always; pdf and md when they were built)."""
        return tuple(fmt for fmt, name in FORMATS.items() if (self.folder / name).is_file())

    @property
    def main_chart(self) -> Chart | None:
        return self.doc.charts[0] if self.doc.charts else None

    @property
    def takeaways(self) -> Section | None:
        return next((section for section in self.doc.sections if section.id == "key-takeaways"), None)

    def chart_files(self) -> list[Path]:
        folder = self.folder / "charts"
        return sorted(path for path in folder.iterdir() if path.suffix == ".png") if folder.is_dir() else []


def find_briefs(out_dir: Path) -> list[PublishedBrief]:
    """Every week's brief under `out_dir`, newest first."""
    if not out_dir.is_dir():
        raise UsageError(
            f"{out_dir}: no such folder of briefs. Build some with `python build.py brief --out {out_dir}`, "
            "point --briefs at another folder, or pass --build-missing."
        )
    briefs = [read_brief(folder) for folder in sorted(out_dir.iterdir(), reverse=True) if is_week_folder(folder)]
    return [brief for brief in briefs if brief is not None]


def find_asset_briefs(out_dir: Path) -> dict[str, list[PublishedBrief]]:
    """Every asset's briefs under `out_dir`/assets/<asset-id>/<week-end>/, newest first, assets by id.
    An id folder that breaks the symbol rule is an error naming it; a brief for another asset than
    its folder says is one too."""
    root = out_dir / "assets"
    if not root.is_dir():
        return {}
    found: dict[str, list[PublishedBrief]] = {}
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        problem = symbol_problem(folder.name)
        if problem is not None:
            raise InputError(folder, f"the folder name cannot be an asset id: {problem}",
                             "Per-asset briefs live in OUT/assets/<asset-id>/; move or remove this folder")
        weeks = [read_brief(week) for week in sorted(within(root, folder.name).iterdir(), reverse=True)
                 if is_week_folder(week)]
        briefs = [brief for brief in weeks if brief is not None]
        for brief in briefs:
            if brief.asset != folder.name:
                raise InputError(brief.folder / "brief.json", f"the brief is about {brief.asset!r}, but its folder is "
                                 f"assets/{folder.name}/", "Rebuild it with `python build.py brief --asset ID`")
        if briefs:
            found[folder.name] = briefs
    return found


def is_week_folder(folder: Path) -> bool:
    if not (folder.is_dir() and WEEK_FOLDER.match(folder.name)):
        return False
    try:
        date.fromisoformat(folder.name)
    except ValueError:
        return False
    return True


def read_brief(folder: Path) -> PublishedBrief | None:
    """The week in `folder`, or None when it has no brief.json (built without the json format)."""
    path = folder / "brief.json"
    if not path.is_file():
        return None
    brief = document.load(path, _rebuild_hint(folder))
    for tag in brief.tags:  # each tag becomes a folder and an address of the site: checked, not trusted
        problem = symbol_problem(tag)
        if problem is not None:
            raise InputError(path, f"field 'tags': the tag {tag[:80]!r} cannot name a folder of the site: {problem}",
                             _rebuild_hint(folder))
    if brief.week.end.isoformat() != folder.name:
        raise InputError(path, f"the brief is for the week ending {brief.week.end}, but its folder is {folder.name}",
                         "Move it to a folder named after its week, or rebuild it")
    return PublishedBrief(folder, brief)


def _rebuild_hint(folder: Path) -> str:
    return f"Rebuild it with `python build.py brief --week-ending {folder.name} --out {folder.parent}`"
