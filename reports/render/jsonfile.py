"""JSON: the facts and the story for other programs, with stable keys and ISO dates.

The file is `reports.document.Brief`, built here from the story and written by
`reports.document.dumps`; the model says what each field holds. Changes are in percent units
(-16.5 means -16.5%). Each sentence lists the fact keys it states, and `facts` holds every one of
those keys, so a program can check any figure.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reports import document as doc
from reports.facts.table import fact_table
from reports.story.prose import Sentence
from reports.core.settings import Settings
from reports.story.model import FAQ, Block, Bullets, Figure, Paragraph, Section, Table
from reports.render import chart_path

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief


def render(brief: Brief, settings: Settings) -> bytes:
    return doc.dumps(document(brief, settings))


def document(brief: Brief, settings: Settings) -> doc.Brief:
    """The brief.json of a brief."""
    story, facts = brief.story, brief.story.facts
    table = plain(fact_table(facts))
    return doc.Brief(
        schema=doc.SCHEMA,
        publication=story.publication,
        headline=story.headline.text,
        description=story.description.text,
        sentiment=story.sentiment,
        category=story.category,
        tags=story.tags,
        lang=story.lang,
        locale=settings.locale,
        publishedAt=story.published,
        updatedAt=story.modified,
        asset=table.get("relative.asset"),  # a per-asset brief's subject; None for the market brief
        week=doc.Week(start=facts.week.start, end=facts.week.end, base=facts.week.base),
        universe=doc.Universe.model_validate(plain(facts.universe)),
        assets=tuple(doc.AssetWeek.model_validate(plain(move)) for move in facts.assets),
        market=_market(brief),
        fear_greed=None if facts.fear_greed is None else doc.FearGreed.model_validate(plain(facts.fear_greed)),
        events=tuple(doc.Event.model_validate(plain(event)) for event in facts.events),
        drivers=None if facts.drivers is None else doc.Drivers.model_validate(plain(facts.drivers)),
        round_levels=tuple(doc.RoundLevel.model_validate(plain(level)) for level in facts.round_levels),
        sections=tuple(_section(section) for section in story.sections),
        charts=tuple(doc.Chart(**_figure(figure)) for figure in story.figures),
        facts=table,
        data_quality=doc.DataQuality.model_validate(plain(facts.quality)),
        sources=tuple(doc.Source.model_validate(plain(source)) for source in facts.sources),
        attributions=story.attributions,
        headline_facts=story.headline.facts,
        description_facts=story.description.facts,
    )


def _market(brief: Brief) -> doc.Market:
    facts = brief.story.facts
    cap = facts.market_cap
    market: dict[str, Any] = {
        "total_market_cap_usd": cap.end_usd if cap else None,
        "total_market_cap_start_usd": cap.start_usd if cap else None,
        "total_market_cap_change_usd": cap.change_usd if cap else None,
        "total_market_cap_change_pct": cap.change_pct if cap else None,
        "breadth": plain(facts.breadth),
    }
    for dom in facts.dominance:  # only the pairs the data has: the others stay out of the file
        prefix = "btc" if dom.asset == "bitcoin" else "eth"
        market[f"{prefix}_dominance_pct"] = dom.end_pct
        market[f"{prefix}_dominance_change_pp"] = dom.change_pp
    return doc.Market.model_validate(plain(market))


def _sentence(sentence: Sentence) -> doc.Sentence:
    return doc.Sentence(text=sentence.text, facts=tuple(sentence.facts))


def _paragraph(paragraph: Paragraph) -> doc.Paragraph:
    return doc.Paragraph(text=paragraph.text, sentences=tuple(_sentence(s) for s in paragraph.sentences))


def _block(block: Block) -> doc.Block:
    if isinstance(block, doc.QuoteBlock):
        return block  # an editor's note is its brief.json block already
    if isinstance(block, Paragraph):
        return doc.ParagraphBlock(type=block.kind, text=block.text,  # type: ignore[arg-type]  # paragraph or subhead
                                  sentences=tuple(_sentence(s) for s in block.sentences))
    if isinstance(block, Bullets):
        return doc.BulletsBlock(type="bullets", items=tuple(_paragraph(item) for item in block.items))
    if isinstance(block, FAQ):
        return doc.FAQBlock(type="faq", items=tuple(
            doc.Question(question=_sentence(item.question), answer=_paragraph(item.answer)) for item in block.items
        ))
    if isinstance(block, Table):
        return doc.TableBlock(
            type="table",
            caption=_sentence(block.caption),
            columns=tuple(column.title for column in block.columns),
            numeric=tuple(column.numeric for column in block.columns),
            rows=tuple(tuple(doc.Cell(text=cell.text, fact=cell.fact, tone=cell.tone)  # type: ignore[arg-type]
                             for cell in row) for row in block.rows),
        )
    return doc.FigureBlock(type="figure", **_figure(block))


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "chart": figure.chart,
        "title": _sentence(figure.title),
        "caption": _sentence(figure.caption),
        "alt": _sentence(figure.alt),
        "png": chart_path(figure.chart, "png"),
    }


def _section(section: Section) -> doc.Section:
    return doc.Section.of(section.id, section.title, tuple(_block(block) for block in section.blocks))


def plain(value: Any) -> Any:
    """JSON-ready values: dataclasses as objects, dates in ISO form, tuples as lists, no NaN."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
