"""The fact checker, reading a brief: its JSON (the words, each sentence's fact keys, and the
fact table) into the checker's records, or a clear error naming the file, line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reports.core.errors import InputError, Location


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def load(path: Path) -> dict[str, Any]:
    """A brief.json, or a clear error saying what is wrong with the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(Location(path), "no such file",
                         "Build a brief with `python build.py brief` and pass OUT/<week>/brief.json") from None
    except UnicodeDecodeError as error:
        raise InputError(Location(path), f"not UTF-8 text (byte {error.start})", "Pass the brief.json that a build wrote") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(Location(path, error.lineno, error.colno), f"not valid JSON ({error.msg})",
                         "Pass the brief.json that a build wrote") from None
    if not isinstance(doc, dict) or not {"facts", "sections", "headline"} <= doc.keys():
        raise InputError(Location(path), "not a brief: it lacks facts, sections or headline",
                         "Pass the brief.json that a build wrote")
    return doc


def sentences(doc: dict[str, Any]) -> Iterator[Cited]:
    """Every sentence of the brief with where it sits, headline and description first."""
    yield Cited("headline", doc["headline"], tuple(doc.get("headline_facts", ())))
    yield Cited("description", doc["description"], tuple(doc.get("description_facts", ())))
    for section in doc["sections"]:
        for number, block in enumerate(section["blocks"], 1):
            where = f"{section['id']} block {number}"
            for item in _block_sentences(block):
                yield Cited(where, item["text"], tuple(item["facts"]))


def _block_sentences(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    kind = block["type"]
    if kind == "bullets":
        for item in block["items"]:
            yield from item["sentences"]
    elif kind == "faq":
        for item in block["items"]:
            yield item["question"]
            yield from item["answer"]["sentences"]
    elif kind == "table":
        yield block["caption"]
    elif kind == "figure":
        yield from (block["title"], block["caption"], block["alt"])
    else:
        yield from block["sentences"]


def _values(doc: dict[str, Any]) -> dict[str, Any]:
    """The fact table with ISO dates turned back into dates."""
    return {key: _value(v) for key, v in doc["facts"].items()}


def _value(value: Any) -> Any:
    if isinstance(value, str) and ISO_DAY.match(value):
        return date.fromisoformat(value)
    if isinstance(value, list):
        return [_value(item) for item in value]
    return value


def story_document(story, settings) -> dict[str, Any]:
    """The JSON a build would write for `story`, without drawing charts: for checking in-process
    (tests, and every week of a dataset) exactly what `check` reads from brief.json."""
    from reports.charts.canvas import Brief
    from reports.render.jsonfile import render

    return json.loads(render(Brief(story, ()), settings))
