"""The brief's document: brief.json as one pydantic model, and the one way to read and write it.

Why a stage of its own: brief.json is written by the renderers and read back by the site, the
mailer and the fact checker. Each used to carry its own idea of the file (a hand-built dict, a
pydantic model, dataclasses over a dict, raw dicts), so a change to the file could please one
reader and break another. Here is the single model (`Brief`), the schema id (`SCHEMA`), the
writer's serialiser (`dumps`) and the readers' loader (`load`, `parse`), which turns a damaged or
foreign file into an `InputError` naming the file and what is wrong with it.

It sits just after `core` and imports nothing else of the package (no pandas, facts, story or
charts), so the checker can read a brief without loading the data stack. For the same reason it
holds the data the writer and the checker must share: the named stress periods (`stress`).
"""

from __future__ import annotations

from reports.document.files import dumps, load, parse, plain_json
from reports.document.levels import RoundLevel
from reports.document.model import (
    SCHEMA,
    AssetWeek,
    Block,
    Breadth,
    Brief,
    BulletsBlock,
    Cell,
    Chart,
    DataQuality,
    Drivers,
    Dropped,
    Event,
    FAQBlock,
    FearGreed,
    FigureBlock,
    Freshness,
    Gap,
    Market,
    Paragraph,
    ParagraphBlock,
    Question,
    Section,
    Sentence,
    Source,
    TableBlock,
    Universe,
    Week,
    block_sentences,
)
from reports.document.quote import QuoteBlock, Span

__all__ = [
    "SCHEMA", "AssetWeek", "Block", "Breadth", "Brief", "BulletsBlock", "Cell", "Chart", "DataQuality", "Drivers", "Dropped",
    "FAQBlock", "FearGreed", "FigureBlock", "Freshness", "Gap", "Market", "Paragraph", "ParagraphBlock", "Question",
    "QuoteBlock", "RoundLevel", "Span", "Event",
    "Section", "Sentence", "Source", "TableBlock", "Universe", "Week", "block_sentences", "dumps", "load", "parse",
    "plain_json",
]
