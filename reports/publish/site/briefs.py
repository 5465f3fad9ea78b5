"""Reading the briefs the pipeline already wrote: OUT/<YYYY-MM-DD>/brief.json and its files.

The site never recomputes a brief. It reads brief.json (the renderers' machine-readable
output) through pydantic models, so a damaged or foreign file is a clear error naming the
file, and it publishes the PDF, Markdown and chart files beside it as they are.
Only folders named like a date are weeks; anything else in OUT (per-asset briefs under
OUT/assets/, staging folders) is left alone.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reports.data.catalog import symbol_problem
from reports.core.errors import InputError, Location, UsageError
from reports.core.safepath import path_problem

SCHEMA = "crypto-weekly-brief/1"
WEEK_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMATS = {"pdf": "brief.pdf", "md": "brief.md", "json": "brief.json"}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Text(Model):
    text: str


class Cell(Model):
    text: str
    fact: str | None = None


class Item(Model):
    text: str


class QA(Model):
    question: Text
    answer: Text


class Block(Model):
    """One block of a section, as brief.json lays it out (`type` says which fields it has)."""

    type: Literal["paragraph", "subhead", "bullets", "faq", "table", "figure"]
    text: str = ""
    items: tuple[Item | QA, ...] = ()
    caption: Text | None = None
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    chart: str = ""
    title: Text | None = None
    alt: Text | None = None


class Section(Model):
    id: str
    title: str
    blocks: tuple[Block, ...]


class ChartRef(Model):
    chart: str
    title: Text
    caption: Text
    alt: Text
    png: str

    @field_validator("png")
    @classmethod
    def _inside(cls, png: str) -> str:
        """The chart file is read from the week's folder and published beside its page: it stays there."""
        problem = path_problem(png)
        if problem is not None:
            raise ValueError(f"the chart file {png[:80]!r} would leave the week's folder: {problem}")
        return png


class Week(Model):
    start: date
    end: date


class Document(Model):
    """The part of brief.json the site lays out."""

    schema_: Literal["crypto-weekly-brief/1"] = Field(alias="schema")
    publication: str
    headline: str
    description: str
    sentiment: str
    category: str
    tags: tuple[str, ...]
    lang: str
    locale: str
    published_at: datetime = Field(alias="publishedAt")
    updated_at: datetime = Field(alias="updatedAt")
    week: Week
    sections: tuple[Section, ...]
    charts: tuple[ChartRef, ...]
    facts: dict[str, Any]
    attributions: tuple[str, ...] = ()

    @field_validator("tags")
    @classmethod
    def _plain_tags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        """Each tag becomes a folder and an address of the site, so each must pass the symbol rule,
        as every tag the brief writes does: a brief.json from elsewhere is checked, not trusted."""
        for tag in tags:
            problem = symbol_problem(tag)
            if problem is not None:
                raise ValueError(f"the tag {tag[:80]!r} cannot name a folder of the site: {problem}")
        return tags


class PublishedBrief:
    """A week's brief on disk: its document, its folder, and which files it has."""

    def __init__(self, folder: Path, document: Document) -> None:
        self.folder = folder
        self.doc = document

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
    def main_chart(self) -> ChartRef | None:
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
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(Location(path, error.lineno, error.colno), f"not valid JSON ({error.msg})",
                         _rebuild_hint(folder)) from None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        found = raw.get("schema") if isinstance(raw, dict) else type(raw).__name__
        raise InputError(path, f"not a brief of schema {SCHEMA} (found {found!r})", _rebuild_hint(folder))
    try:
        document = Document.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(path, f"field {where!r}: {first['msg']}", _rebuild_hint(folder)) from None
    if document.week.end.isoformat() != folder.name:
        raise InputError(path, f"the brief is for the week ending {document.week.end}, but its folder is {folder.name}",
                         "Move it to a folder named after its week, or rebuild it")
    return PublishedBrief(folder, document)


def _rebuild_hint(folder: Path) -> str:
    return f"Rebuild it with `python build.py brief --week-ending {folder.name} --out {folder.parent}`"
