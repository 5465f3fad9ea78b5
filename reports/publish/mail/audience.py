"""Who receives which brief.

A subscriber's tags are of two kinds: tags that name a brief ("market" for the weekly market brief,
an asset's id such as "bitcoin" for its per-asset brief; these are what the preferences page of
`serve-subscriptions --tags` offers) and the list's own labels from an import ("vip", "press").
A per-asset brief goes only to those who chose it. The market brief goes to those who chose it and
to everyone who chose no brief at all, so a list imported without tags, or with labels only, keeps
getting the weekly brief it signed up for.
"""

from __future__ import annotations

from collections.abc import Iterable

from reports.data.catalog import catalog

MARKET = "market"


def brief_tags(tags: Iterable[str]) -> set[str]:
    """The tags among `tags` that name a brief: "market" or a known asset's id."""
    known = catalog().by_id
    return {tag for tag in tags if tag == MARKET or tag in known}


def receives(tags: Iterable[str], asset: str | None) -> bool:
    """Whether a subscriber with `tags` is in the audience of the brief about `asset` (None: the market)."""
    chosen = brief_tags(tags)
    if asset is None:
        return not chosen or MARKET in chosen
    return asset in chosen
