"""The fact checker, reading a brief: its brief.json through `reports.document` (the words, each
sentence's fact keys, and the fact table), or a clear error naming the file, line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reports import document
from reports.core.errors import InputError, Location
from reports.document import Brief, Cell, Section, TableBlock, block_sentences

if TYPE_CHECKING:
    from reports.core.settings import Settings
    from reports.story.model import Story

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")  # a stamp (a store's last pull)
PASS_A_BUILT_BRIEF = "Pass the brief.json that a build wrote"


@dataclass(frozen=True)
class Failure:
    where: str
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}\n    {self.text}"


@dataclass(frozen=True)
class Cited:
    """One sentence as the JSON holds it: its text and the fact keys it states."""

    where: str
    text: str
    facts: tuple[str, ...]


# --- reading a brief ------------------------------------------------------------------------------


def load(path: Path) -> Brief:
    """A brief.json, or a clear error saying what is wrong with the file."""
    if not path.is_file():
        raise InputError(Location(path), "no such file",
                         "Build a brief with `python build.py brief` and pass OUT/<week>/brief.json")
    return document.load(path, PASS_A_BUILT_BRIEF)


def sentences(doc: Brief) -> Iterator[Cited]:
    """Every sentence of the brief with where it sits, headline and description first."""
    yield Cited("headline", doc.headline, doc.headline_facts)
    yield Cited("description", doc.description, doc.description_facts)
    for section in doc.sections:
        for number, block in enumerate(section.blocks, 1):
            where = f"{section.id} block {number}"
            for item in block_sentences(block):
                yield Cited(where, item.text, item.facts)


B = TypeVar("B")


def blocks_of(doc: Brief, kind: type[B]) -> Iterator[tuple[Section, B]]:
    """Every block of one kind (tables, FAQs, quotes) with its section, in reading order."""
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, kind):
                yield section, block


def table_cells(doc: Brief) -> Iterator[tuple[Section, Cell]]:
    """Every cell of every table, with its section."""
    for section, block in blocks_of(doc, TableBlock):
        for row in block.rows:
            for cell in row:
                yield section, cell


def _values(doc: Brief) -> dict[str, Any]:
    """The fact table with ISO dates turned back into dates."""
    return {key: _value(v) for key, v in doc.facts.items()}


def _value(value: Any) -> Any:
    if isinstance(value, str) and ISO_DAY.match(value):
        return date.fromisoformat(value)
    if isinstance(value, str) and ISO_TIME.match(value):
        return datetime.fromisoformat(value)  # a date too: the day it falls on renders as a date does
    if isinstance(value, list):
        return [_value(item) for item in value]
    return value


def story_document(story: Story, settings: Settings) -> Brief:
    """The brief.json a build would write for `story`, read back as `check` reads it, without
    drawing charts: for checking in-process (tests, and every week of a dataset)."""
    from reports.charts.canvas import Brief as Drawn
    from reports.render.jsonfile import render

    return document.parse(json.loads(render(Drawn(story, ()), settings)), "<story>", PASS_A_BUILT_BRIEF)
