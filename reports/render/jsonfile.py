"""JSON: the facts and the story for other programs, with stable keys and ISO dates.

Changes are in percent units (-16.5 means -16.5%). Each sentence lists the fact keys it
states, and `facts` holds every one of those keys, so a program can check any figure.
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reports.facts.table import fact_table
from reports.story.prose import Sentence
from reports.core.settings import Settings
from reports.story.model import FAQ, Block, Bullets, Figure, Paragraph, Table
from reports.render import chart_path

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief

SCHEMA = "crypto-weekly-brief/1"


def render(brief: Brief, settings: Settings) -> bytes:
    text = json.dumps(document(brief, settings), indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def document(brief: Brief, settings: Settings) -> dict[str, Any]:
    story, facts = brief.story, brief.story.facts
    stamp = story.published.isoformat().replace("+00:00", "Z")
    table = fact_table(facts)
    return plain({
        "schema": SCHEMA,
        "publication": story.publication,
        "headline": story.headline.text,
        "description": story.description.text,
        "sentiment": story.sentiment,
        "category": story.category,
        "tags": story.tags,
        "lang": story.lang,
        "locale": settings.locale,
        "publishedAt": stamp,
        "updatedAt": stamp,
        "asset": table.get("relative.asset"),  # a per-asset brief's subject; None for the market brief
        "week": {"start": facts.week.start, "end": facts.week.end, "base": facts.week.base},
        "universe": facts.universe,
        "assets": facts.assets,
        "market": _market(brief),
        "fear_greed": facts.fear_greed,
        "sections": [_section(section) for section in story.sections],
        "charts": [_figure(figure) for figure in story.figures],
        "facts": table,
        "data_quality": facts.quality,
        "sources": facts.sources,
        "attributions": story.attributions,
        "headline_facts": story.headline.facts,
        "description_facts": story.description.facts,
    })


def _market(brief: Brief) -> dict[str, Any]:
    facts = brief.story.facts
    cap = facts.market_cap
    market: dict[str, Any] = {
        "total_market_cap_usd": cap.end_usd if cap else None,
        "total_market_cap_start_usd": cap.start_usd if cap else None,
        "total_market_cap_change_usd": cap.change_usd if cap else None,
        "total_market_cap_change_pct": cap.change_pct if cap else None,
        "breadth": facts.breadth,
    }
    for dom in facts.dominance:
        prefix = "btc" if dom.asset == "bitcoin" else "eth"
        market[f"{prefix}_dominance_pct"] = dom.end_pct
        market[f"{prefix}_dominance_change_pp"] = dom.change_pp
    return market


def _sentence(sentence: Sentence) -> dict[str, Any]:
    return {"text": sentence.text, "facts": list(sentence.facts)}


def _paragraph(paragraph: Paragraph) -> dict[str, Any]:
    return {"text": paragraph.text, "sentences": [_sentence(s) for s in paragraph.sentences]}


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": block.kind, **_paragraph(block)}
    if isinstance(block, Bullets):
        return {"type": "bullets", "items": [_paragraph(item) for item in block.items]}
    if isinstance(block, FAQ):
        return {"type": "faq", "items": [
            {"question": _sentence(item.question), "answer": _paragraph(item.answer)} for item in block.items
        ]}
    if isinstance(block, Table):
        return {
            "type": "table",
            "caption": _sentence(block.caption),
            "columns": [column.title for column in block.columns],
            "rows": [[{"text": cell.text, "fact": cell.fact} for cell in row] for row in block.rows],
        }
    return {"type": "figure", **_figure(block)}


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "chart": figure.chart,
        "title": _sentence(figure.title),
        "caption": _sentence(figure.caption),
        "alt": _sentence(figure.alt),
        "png": chart_path(figure.chart, "png"),
    }


def _section_text(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"])
        for item in block.get("items", []):
            parts.append(item["text"] if "text" in item else f"{item['question']['text']} {item['answer']['text']}")
    return "\n".join(parts)


def _section(section) -> dict[str, Any]:
    blocks = [_block(block) for block in section.blocks]
    return {"id": section.id, "title": section.title, "text": _section_text(blocks), "blocks": blocks}


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
