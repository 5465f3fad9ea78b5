"""The story: the brief's words, as typed blocks that every renderer lays out the same way.

Every sentence carries the fact keys it states (see `prose`). Sections hold blocks
(paragraphs, bullet lists, a table, questions and answers, figures) in reading order;
renderers never add words of their own beyond fixed labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reports.document.quote import QuoteBlock
from reports.facts.asset import BriefFacts
from reports.story.prose import Sentence


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]
    kind: str = "paragraph"

    @property
    def text(self) -> str:
        return " ".join(sentence.text for sentence in self.sentences)


@dataclass(frozen=True)
class Bullets:
    items: tuple[Paragraph, ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Question:
    question: Sentence
    answer: Paragraph


@dataclass(frozen=True)
class FAQ:
    items: tuple[Question, ...]
    kind: str = "faq"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, the fact it shows, and a tone ("up", "down", "") for colour."""

    text: str
    fact: str | None = None
    tone: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    caption: Sentence
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    """A chart's place in the text, with its words: title, caption and alt text."""

    chart: str
    title: Sentence
    caption: Sentence
    alt: Sentence
    labels: tuple[tuple[str, str], ...] = ()
    kind: str = "figure"

    def label(self, key: str) -> str:
        return dict(self.labels).get(key, key)


Block = Paragraph | Bullets | FAQ | Table | Figure | QuoteBlock  # a quote block: an editor's note, not generated


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Figure))

    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence of the section in reading order."""
        return tuple(sentence for block in self.blocks for sentence in _block_sentences(block))


@dataclass(frozen=True)
class Story:
    facts: BriefFacts  # the market brief's `WeekFacts` or an asset brief's `AssetWeekFacts`
    publication: str
    tagline: str
    headline: Sentence
    description: Sentence
    dateline: Sentence
    sentiment: str
    category: str
    tags: tuple[str, ...]
    sections: tuple[Section, ...]
    attributions: tuple[str, ...]
    credit: str
    published: datetime
    published_text: str
    locale: str
    lang: str = "en"
    updated: datetime | None = None  # when the content last changed after `published` (set by the build)

    @property
    def modified(self) -> datetime:
        return self.updated or self.published

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(figure for section in self.sections for figure in section.figures)

    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence of the brief in reading order (headline and description first)."""
        return (self.headline, self.description, *(sentence for section in self.sections for sentence in section.sentences()))


def _block_sentences(block: Block) -> list[Sentence]:
    if isinstance(block, Paragraph):
        return list(block.sentences)
    if isinstance(block, Bullets):
        return [sentence for item in block.items for sentence in item.sentences]
    if isinstance(block, FAQ):
        return [s for item in block.items for s in (item.question, *item.answer.sentences)]
    if isinstance(block, Table):
        return [block.caption]
    if isinstance(block, QuoteBlock):
        return []  # the editor's words are quoted, not the brief's sentences
    return [block.title, block.caption, block.alt]
