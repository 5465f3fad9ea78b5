"""The body of a brief, section by section, in the order crypto market articles use.

Each section module holds two writers: `market`, for the market brief, and `asset`, the same
section told from one coin's point of view. A writer takes the desk and returns a `Section`,
and states only what the facts hold: when a series is missing (no market cap, no Fear & Greed,
no bitcoin in a user's file) the sentences that need it are left out, never filled with a guess.
The two tuples below are the briefs' bodies, in reading order.
"""

from __future__ import annotations

from reports.story.sections import comparison, faq, happened, impact, methodology, overview, takeaways, watch

MARKET = (
    overview.market,
    takeaways.market,
    happened.market,
    impact.market,
    comparison.market,
    watch.market,
    faq.market,
    methodology.market,
)
ASSET = (
    overview.asset,
    takeaways.asset,
    happened.asset,
    impact.asset,
    comparison.asset,
    watch.asset,
    faq.asset,
    methodology.asset,
)
