"""The story stage: week facts in, the brief's words out (`write_story`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from reports.story.desk import Desk, F
from reports.facts.model import WeekFacts
from reports.story.front import dateline, description, headline, sentiment, tags
from reports.core.settings import Settings
from reports.story.model import Section, Story
from reports.story.prose import Sentence
from reports.story.sections import market_body

CATEGORY = "Markets"


@dataclass(frozen=True)
class Front:
    """The brief's front, written before the body (which introduces each asset afresh)."""

    headline: Sentence
    description: Sentence
    dateline: Sentence


def write_story(facts: WeekFacts, settings: Settings, published: datetime) -> Story:
    desk = Desk.open(facts, settings)
    label = sentiment(desk)
    front = Front(headline=headline(desk), description=description(desk), dateline=dateline(desk))
    desk.names.seen.clear()  # the body introduces each asset afresh, whatever the front mentioned
    return compose(desk, settings, published, front, label, tags, market_body())


def compose(desk: Desk[F], settings: Settings, published: datetime, front: Front, label: str,
            tags_of: Callable[[Desk[F]], tuple[str, ...]], body: Sequence[Callable[[Desk[F]], Section | None]]) -> Story:
    """The `Story` of any subject, from its desk, its front and its sections. The tags and then the
    sections are written here, in that order, after the front: each may vary the desk's words."""
    facts = desk.facts
    return Story(
        facts=facts,
        publication=settings.publication_name,
        tagline=settings.tagline,
        sentiment=label,
        category=CATEGORY,
        tags=tags_of(desk),
        sections=tuple(section for write in body if (section := write(desk)) is not None),
        attributions=tuple(dict.fromkeys(info.attribution for info in facts.sources)),
        credit="Data: " + ", ".join(dict.fromkeys(info.provider for info in facts.sources)),
        published=published,
        published_text=desk.fmt.date(published.date()),
        locale=settings.locale,
        headline=front.headline,
        description=front.description,
        dateline=front.dateline,
    )
