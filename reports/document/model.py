"""brief.json, the model: every object of the file as a frozen pydantic model, in the file's key order.

Field order is the order of the keys in the file, so `dumps(load(path))` gives back the bytes a
build wrote. JSON keys that are not Python names map to fields by alias: `schema` (`schema_`),
`publishedAt`/`updatedAt` (`published_at`/`updated_at`) and a block's `type` (`kind`, the
spelling the story and every template use). Models are built with the JSON names, as the file
spells them: `ParagraphBlock(type="paragraph", ...)`.

Changes are in percent units (-16.5 means -16.5%). Each sentence lists the fact keys it states,
and `facts` holds every one of those keys (dates as ISO days), so a program can check any figure.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    Discriminator,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    Tag,
    model_serializer,
    model_validator,
)

from reports.document.base import ChartFile, IsoTime, Model, Stamp
from reports.document.drivers import Drivers
from reports.document.levels import RoundLevel
from reports.document.quality import DataQuality, Dropped, Freshness, Gap, Source, SourceFailure
from reports.document.quote import QuoteBlock


SchemaId = Literal["crypto-weekly-brief/1"]
SCHEMA: Final[SchemaId] = get_args(SchemaId)[0]  # the one spelling of the schema id


# --- words ------------------------------------------------------------------------------------------


class Sentence(Model):
    """One sentence and the fact keys it states."""

    text: str
    facts: tuple[str, ...]


class Paragraph(Model):
    """Sentences read as one paragraph (a bullet, an answer): `text` is the sentences joined."""

    text: str
    sentences: tuple[Sentence, ...]


class Question(Model):
    question: Sentence
    answer: Paragraph


class Cell(Model):
    """A table cell: its text, the fact it shows (None for a label) and its tone: "up" or "down" for a
    change coloured by its sign, "" for none."""

    text: str
    fact: str | None
    tone: Literal["", "up", "down"] = ""


# --- blocks: a section's content, told apart by `type` ---------------------------------------------------------


class _Block(Model):
    kind: str = Field(alias="type")


class ParagraphBlock(_Block):
    kind: Literal["paragraph", "subhead"] = Field(alias="type")
    text: str
    sentences: tuple[Sentence, ...]


class BulletsBlock(_Block):
    kind: Literal["bullets"] = Field(alias="type")
    items: tuple[Paragraph, ...]


class FAQBlock(_Block):
    kind: Literal["faq"] = Field(alias="type")
    items: tuple[Question, ...]


class TableBlock(_Block):
    """A table. `numeric` is each column's role, in the order of `columns`: true for a column of
    numbers (right-aligned), false for a label such as the asset's name; a reader lays the table out
    from these roles, never from a column's position (a brief without ranks has no Rank column)."""

    kind: Literal["table"] = Field(alias="type")
    caption: Sentence
    columns: tuple[str, ...]
    numeric: tuple[bool, ...] = ()
    rows: tuple[tuple[Cell, ...], ...]

    @model_validator(mode="after")
    def _one_role_per_column(self) -> TableBlock:
        if self.numeric and len(self.numeric) != len(self.columns):
            raise ValueError(f"the table has {len(self.columns)} columns but {len(self.numeric)} roles in `numeric`")
        return self

    @property
    def label_column(self) -> int | None:
        """The first column that is not numeric (the asset's name), or None if the roles are unknown."""
        return next((index for index, numeric in enumerate(self.numeric) if not numeric), None)


class FigureBlock(_Block):
    """A chart's place in the text; the chart itself is the entry of `charts` with the same `chart`."""

    kind: Literal["figure"] = Field(alias="type")
    chart: str
    title: Sentence
    caption: Sentence
    alt: Sentence
    png: ChartFile


BLOCK_TYPES = ("paragraph", "subhead", "bullets", "faq", "table", "figure", "quote")


def _block_tag(value: Any) -> str | None:
    """Which model a block is, from its `type` (a subhead is a paragraph block)."""
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "kind", None)
    return "paragraph" if kind == "subhead" else kind if isinstance(kind, str) else None


Block = Annotated[
    Annotated[ParagraphBlock, Tag("paragraph")] | Annotated[BulletsBlock, Tag("bullets")]
    | Annotated[FAQBlock, Tag("faq")] | Annotated[TableBlock, Tag("table")] | Annotated[FigureBlock, Tag("figure")]
    | Annotated[QuoteBlock, Tag("quote")],
    Discriminator(_block_tag, custom_error_type="block_type",
                  custom_error_message=f"a block's type must be one of {', '.join(BLOCK_TYPES)}"),
]


def block_sentences(block: Block) -> tuple[Sentence, ...]:
    """Every sentence a block prints, in reading order (a table's caption; a figure's title, caption, alt)."""
    if isinstance(block, ParagraphBlock):
        return block.sentences
    if isinstance(block, BulletsBlock):
        return tuple(sentence for item in block.items for sentence in item.sentences)
    if isinstance(block, FAQBlock):
        return tuple(sentence for item in block.items for sentence in (item.question, *item.answer.sentences))
    if isinstance(block, TableBlock):
        return (block.caption,)
    if isinstance(block, QuoteBlock):
        return ()  # an editor's words, quoted: not the brief's own sentences
    return (block.title, block.caption, block.alt)


class Section(Model):
    """A section: `text` is its paragraphs, bullets, questions with answers and tables' captions, one per line."""

    id: str
    title: str
    text: str
    blocks: tuple[Block, ...]

    @classmethod
    def of(cls, section_id: str, title: str, blocks: tuple[Block, ...]) -> Section:
        """A section with its `text` made from its blocks, as the writer lays it out."""
        return cls(id=section_id, title=title, text=section_text(blocks), blocks=blocks)


def section_text(blocks: tuple[Block, ...]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, ParagraphBlock):
            parts.append(block.text)
        elif isinstance(block, BulletsBlock):
            parts += [item.text for item in block.items]
        elif isinstance(block, FAQBlock):
            parts += [f"{item.question.text} {item.answer.text}" for item in block.items]
        elif isinstance(block, QuoteBlock):
            parts.append(f"{block.text} — {block.attribution}")
        elif isinstance(block, TableBlock):
            parts.append(block.caption.text)  # a section may open on its table: its basis line is its words
    return "\n".join(parts)


class Chart(Model):
    """One chart of the brief: its words and its PNG, a path inside the week's folder."""

    chart: str
    title: Sentence
    caption: Sentence
    alt: Sentence
    png: ChartFile


# --- the week's numbers (the facts stage's records, as the file holds them) ---------------------------------------


class Week(Model):
    start: date
    end: date
    base: date


class Universe(Model):
    """Which assets the brief covers and how they were picked (`ranked_by`: rank, market_cap or all)."""

    size: int
    ranked_by: str
    excluded_kinds: tuple[str, ...]
    excluded: tuple[str, ...]
    shown: int = 0


class AssetWeek(Model):
    """One asset's week: closes on the base and last day, and the range of the week's closes."""

    id: str
    symbol: str
    name: str
    rank: int | None
    close: float
    base_close: float
    change_pct: float
    market_cap_usd: float | None
    high: float
    high_day: date
    low: float
    low_day: date
    up_days: int
    down_days: int
    daily_changes: int
    typical_week_pct: float | None
    series: str = ""  # the series its prices come from: its price basis
    compared: bool = True  # on the brief's basis, so in the claims that compare moves
    intraday_low: float | None = None
    intraday_low_day: date | None = None
    intraday_low_hour: int | None = None
    intraday_high: float | None = None
    intraday_high_day: date | None = None
    intraday_high_hour: int | None = None


class Breadth(Model):
    """Counts over the coins on the brief's price basis (`left_out`: the others)."""

    rose: int
    fell: int
    unchanged: int
    total: int
    median_pct: float
    left_out: int = 0


DOMINANCE = ("btc_dominance_pct", "btc_dominance_change_pp", "eth_dominance_pct", "eth_dominance_change_pp")


class Market(Model):
    """Total market value (None without a market-cap series), breadth, and dominance. A dominance
    pair is in the file only when the data has it: absent keys stay absent when written back."""

    total_market_cap_usd: float | None
    total_market_cap_start_usd: float | None
    total_market_cap_change_usd: float | None
    total_market_cap_change_pct: float | None
    breadth: Breadth
    btc_dominance_pct: float | None = None
    btc_dominance_change_pp: float | None = None
    eth_dominance_pct: float | None = None
    eth_dominance_change_pp: float | None = None

    @model_serializer(mode="wrap")
    def _given_keys(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if key not in DOMINANCE or key in self.model_fields_set}


class FearGreed(Model):
    value: float
    classification: str
    day: date
    base_value: float | None
    base_classification: str | None
    change: float | None
    week_low: float
    week_high: float
    low_since: date | None
    high_since: date | None
    history_start: date
    low_since_period: str | None
    high_since_period: str | None


class Event(Model):
    """A scheduled event after the week (What to Watch): its first and last day, the days from the
    week's end to its start, and its source ("fomc": the bundled Fed calendar; "events_file" or
    "settings": the user's list). `url` is an http(s) address or None; `assets` empty for the market."""

    id: str
    title: str
    day: date
    end: date
    days_after: int
    url: str | None
    assets: tuple[str, ...]
    source: str


# --- the brief -------------------------------------------------------------------------------------------------


class Brief(Model):
    """The whole of brief.json."""

    schema_: SchemaId = Field(alias="schema")
    publication: str
    headline: str
    description: str
    sentiment: str
    category: str
    tags: tuple[str, ...]
    lang: str
    locale: str
    published_at: Stamp = Field(alias="publishedAt")
    updated_at: Stamp = Field(alias="updatedAt")
    asset: str | None  # a per-asset brief's subject; None for the market brief
    week: Week
    universe: Universe
    assets: tuple[AssetWeek, ...]
    market: Market
    fear_greed: FearGreed | None
    events: tuple[Event, ...] = ()  # scheduled events after the week, as What to Watch lists them
    drivers: Drivers | None = None  # absent in briefs written before the drivers section
    round_levels: tuple[RoundLevel, ...] = ()  # round numbers crossed or touched (bitcoin, ether)
    sections: tuple[Section, ...]
    charts: tuple[Chart, ...]
    facts: dict[str, JsonValue]  # every fact a sentence cites, by dotted key
    data_quality: DataQuality
    sources: tuple[Source, ...]
    attributions: tuple[str, ...]
    headline_facts: tuple[str, ...]
    description_facts: tuple[str, ...]

    @model_validator(mode="after")
    def _figures_have_charts(self) -> Brief:
        listed = {chart.chart for chart in self.charts}
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, FigureBlock) and block.chart not in listed:
                    raise ValueError(f"section {section.id!r} shows the chart {block.chart[:80]!r}, which `charts` "
                                     "does not list")
        return self
