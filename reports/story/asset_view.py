"""The asset brief's shared phrases: the coin the brief is about, and the clauses its front,
sections and figures all use ("No. 2 by market value", "losing 11.7% in bitcoin terms").
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.story.desk import AssetDesk
from reports.facts.model import BTC
from reports.story.prose import Fragment
from reports.story.model import Section

CLOSE_LINK = 0.7  # correlation to bitcoin at or above which the moves "track" bitcoin's


def link_words(correlation: float) -> str:
    """How bitcoin's daily moves followed a series with this correlation: "closely", "loosely", "not at all"."""
    return "closely" if correlation >= CLOSE_LINK else "loosely" if correlation > 0 else "not at all"


def section(section_id: str, title: str, *blocks) -> Section:
    return Section(section_id, title, tuple(b for b in blocks if b is not None and getattr(b, "items", True)))


def subject(desk: AssetDesk) -> str:
    return desk.facts.asset_id


def is_btc(desk: AssetDesk) -> bool:
    return subject(desk) == BTC


@dataclass(frozen=True)
class BtcComparison:
    """The asset's week against bitcoin's (the `relative.btc_pct`, `.vs_btc_pp`, `.vs_btc_ratio_pct` facts),
    when the brief can compare them."""

    btc_pct: float
    vs_btc_pp: float
    vs_btc_ratio_pct: float


def btc_comparison(desk: AssetDesk) -> BtcComparison | None:
    """None for bitcoin's own brief and when the facts hold no comparison with bitcoin."""
    rel = desk.facts.relative
    if is_btc(desk) or rel.btc_pct is None or rel.vs_btc_pp is None or rel.vs_btc_ratio_pct is None:
        return None
    return BtcComparison(rel.btc_pct, rel.vs_btc_pp, rel.vs_btc_ratio_pct)


def has_btc(desk: AssetDesk) -> bool:
    return btc_comparison(desk) is not None


def _abs(desk: AssetDesk, key: str) -> Fragment:
    return desk.f.cite(key, lambda v: desk.fmt.number(abs(v)))


def market_name(desk: AssetDesk) -> Fragment:
    """What "the market" is in this brief: total market value, or the median of the universe."""
    if desk.facts.relative.market == "market_cap":
        return Fragment("total crypto market value")
    return Fragment("the median of the ") + desk.f.count("breadth.total") + " largest coins"


def gap_words(gap_pp: float) -> str:
    return "better" if gap_pp > 0 else "worse"


def rank_clause(desk: AssetDesk, change: bool = True) -> Fragment:
    """ "No. 2 by market value, unchanged on the week" / "No. 7 ..., up two places from No. 9" """
    s = desk.facts.standing
    text = Fragment("No. ") + desk.f.count("standing.rank") + " by market value"
    if s.rank_change is None or not change:
        return text
    if s.rank_change == 0:
        return text + Fragment(", unchanged on the week", ("standing.rank_change",))
    places = "place" if abs(s.rank_change) == 1 else "places"
    return (text + (", up " if s.rank_change > 0 else ", down ") + _abs(desk, "standing.rank_change") + f" {places} from No. "
            + desk.f.count("standing.base_rank"))


def since_bitcoin(desk: AssetDesk, btc: BtcComparison) -> Fragment:
    """ "losing 11.7% in bitcoin terms" """
    word = "gaining " if btc.vs_btc_ratio_pct > 0 else "losing "
    return Fragment(word) + desk.f.pct("relative.vs_btc_ratio_pct", absolute=True) + " in bitcoin terms"
