"""One generated brief as the mailer sees it: the text from brief.json, the PNG charts and the PDF.

The renderers already wrote every word and figure; this module only reads them back into
frozen dataclasses, so a mistake in the folder is a clear error before anything is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reports.core.errors import InputError


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    caption: str
    alt: str
    png: bytes


@dataclass(frozen=True)
class Block:
    """One block of a section. `kind` is paragraph, subhead, bullets, faq, table or figure; the
    fields a kind does not use are empty."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()        # faq: (question, answer)
    columns: tuple[str, ...] = ()                  # table
    rows: tuple[tuple[str, ...], ...] = ()         # table
    chart: Chart | None = None                     # figure


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Edition:
    key: str                  # names the campaign in the ledger: one brief, one send
    folder: Path
    publication: str
    headline: str
    description: str
    lang: str
    locale: str
    week_start: date
    week_end: date
    sections: tuple[Section, ...]
    charts: tuple[Chart, ...]
    pdf: bytes | None


def read_edition(folder: Path) -> Edition:
    """Read OUT/<week>/ (brief.json, charts/*.png and, when present, brief.pdf)."""
    document = _document(folder)
    try:
        charts = {item["chart"]: _chart(folder, item) for item in document["charts"]}
        sections = tuple(
            Section(section["id"], section["title"], tuple(_block(block, charts) for block in section["blocks"]))
            for section in document["sections"]
        )
        week = document["week"]
        pdf_path = folder / "brief.pdf"
        return Edition(
            key=brief_key(document),
            folder=folder,
            publication=document["publication"],
            headline=_one_line(document["headline"]),
            description=document["description"],
            lang=document.get("lang", "en"),
            locale=document.get("locale", "en_US"),
            week_start=date.fromisoformat(week["start"]),
            week_end=date.fromisoformat(week["end"]),
            sections=sections,
            charts=tuple(charts.values()),
            pdf=pdf_path.read_bytes() if pdf_path.is_file() else None,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(folder / "brief.json", f"not a brief this version understands ({type(error).__name__}: {error})",
                         "Rebuild the week with `build.py brief --formats html,pdf,json`.") from None


def brief_key(document: dict[str, Any]) -> str:
    """The campaign's name: the week (and the asset, for a per-asset brief). Rebuilding the same week
    keeps the key, so a rebuilt brief is never mailed a second time to the same people."""
    key = f"week-{document['week']['end']}"
    return f"{key}/{document['asset']}" if document.get("asset") else key


def _document(folder: Path) -> dict[str, Any]:
    path = folder / "brief.json"
    if not path.is_file():
        raise InputError(folder, "no brief.json in this folder",
                         "Pass a week's folder, e.g. out/2026-02-06, built with --formats including json.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, f"cannot read the brief ({error})", "Rebuild the week.") from None


def _chart(folder: Path, item: dict[str, Any]) -> Chart:
    path = folder / item["png"]
    if not path.is_file():
        raise InputError(path, "the chart's PNG is missing", "Rebuild the week; the email needs the PNG charts.")
    return Chart(item["chart"], item["title"]["text"], item["caption"]["text"], item["alt"]["text"], path.read_bytes())


def _block(block: dict[str, Any], charts: dict[str, Chart]) -> Block:
    kind = block["type"]
    if kind == "bullets":
        return Block(kind, items=tuple(item["text"] for item in block["items"]))
    if kind == "faq":
        return Block(kind, pairs=tuple((item["question"]["text"], item["answer"]["text"]) for item in block["items"]))
    if kind == "table":
        return Block(kind, text=block["caption"]["text"], columns=tuple(block["columns"]),
                     rows=tuple(tuple(cell["text"] for cell in row) for row in block["rows"]))
    if kind == "figure":
        return Block(kind, chart=charts[block["chart"]])
    return Block(kind, text=block["text"])


def _one_line(text: str) -> str:
    """Header-safe: the subject is the headline on one line."""
    return " ".join(text.split())
