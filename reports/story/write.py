"""The story stage: week facts in, the brief's words out (`write_story`)."""

from __future__ import annotations

from datetime import datetime

from reports.story import sections
from reports.story.desk import Desk
from reports.facts.market import WeekFacts
from reports.story.front import dateline, description, headline, sentiment, tags
from reports.core.settings import Settings
from reports.story.model import Story

CATEGORY = "Markets"
BODY = (
    sections.overview,
    sections.key_takeaways,
    sections.what_happened,
    sections.impact,
    sections.comparison,
    sections.what_to_watch,
    sections.faq,
    sections.methodology,
)


def write_story(facts: WeekFacts, settings: Settings, published: datetime) -> Story:
    desk = Desk.open(facts, settings)
    label = sentiment(desk)
    front = dict(headline=headline(desk), description=description(desk), dateline=dateline(desk))
    desk.names.seen.clear()  # the body introduces each asset afresh, whatever the front mentioned
    return Story(
        facts=facts,
        publication=settings.publication_name,
        tagline=settings.tagline,
        sentiment=label,
        category=CATEGORY,
        tags=tags(desk),
        sections=tuple(write(desk) for write in BODY),
        attributions=tuple(dict.fromkeys(info.attribution for info in facts.sources)),
        credit="Data: " + ", ".join(dict.fromkeys(info.provider for info in facts.sources)),
        published=published,
        published_text=desk.fmt.date(published.date()),
        locale=settings.locale,
        **front,
    )
