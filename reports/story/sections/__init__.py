"""The body of a brief, section by section, in the order crypto market articles use.

Each section module holds two writers: `market`, for the market brief, and `asset`, the same
section told from one coin's point of view. A writer takes the desk and returns a `Section`,
and states only what the facts hold: when a series is missing (no market cap, no Fear & Greed,
no bitcoin in a user's file) the sentences that need it are left out, never filled with a guess.
`SECTIONS` lists them in reading order; `market_body()` and `asset_body()` are the two bodies it gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from reports.story.desk import AssetDesk, MarketDesk
from reports.story.model import Section
from reports.story.sections import (comparison, drivers, faq, happened, impact, methodology, notes, overview,
                                    takeaways, watch)


class SectionModule(Protocol):
    """What a section module holds: one writer per subject (None: the brief has no such section,
    as the editor's notes sections when there are no notes)."""

    def market(self, desk: MarketDesk) -> Section | None: ...

    def asset(self, desk: AssetDesk) -> Section | None: ...


# The registry: one line a section, in reading order, for every subject.
SECTIONS: tuple[SectionModule, ...] = (
    overview,
    takeaways,
    happened,
    drivers,
    impact,
    comparison,
    notes.DESK,
    notes.QUOTES,
    notes.UNCONFIRMED,
    watch,
    faq,
    methodology,
)


def market_body() -> tuple[Callable[[MarketDesk], Section | None], ...]:
    """The market brief's section writers, read from the registry when a brief is written."""
    return tuple(module.market for module in SECTIONS)


def asset_body() -> tuple[Callable[[AssetDesk], Section | None], ...]:
    """An asset brief's section writers, from the same registry."""
    return tuple(module.asset for module in SECTIONS)
