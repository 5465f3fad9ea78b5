"""The asset brief's shared phrases: the coin the brief is about, and the clauses its front,
sections and figures all use ("No. 2 by market value", "losing 11.7% in bitcoin terms").
"""

from __future__ import annotations

from reports.story.desk import Desk
from reports.facts.model import BTC
from reports.story.prose import Fragment
from reports.story.model import Section

CLOSE_LINK = 0.7  # correlation to bitcoin at or above which the moves "track" bitcoin's


def section(section_id: str, title: str, *blocks) -> Section:
    return Section(section_id, title, tuple(b for b in blocks if b is not None and getattr(b, "items", True)))


def subject(desk: Desk) -> str:
    return desk.facts.asset_id


def is_btc(desk: Desk) -> bool:
    return subject(desk) == BTC


def has_btc(desk: Desk) -> bool:
    return not is_btc(desk) and desk.facts.relative.vs_btc_pp is not None


def _abs(desk: Desk, key: str) -> Fragment:
    return desk.f.cite(key, lambda v: desk.fmt.number(abs(v)))


def market_name(desk: Desk) -> Fragment:
    """What "the market" is in this brief: total market value, or the median of the universe."""
    if desk.facts.relative.market == "market_cap":
        return Fragment("total crypto market value")
    return Fragment("the median of the ") + desk.f.count("breadth.total") + " largest coins"


def gap_words(gap_pp: float) -> str:
    return "better" if gap_pp > 0 else "worse"


def rank_clause(desk: Desk, change: bool = True) -> Fragment:
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


def since_bitcoin(desk: Desk) -> Fragment:
    """ "losing 11.7% in bitcoin terms" """
    ratio = desk.facts.relative.vs_btc_ratio_pct
    word = "gaining " if ratio > 0 else "losing "
    return Fragment(word) + desk.f.pct("relative.vs_btc_ratio_pct", absolute=True) + " in bitcoin terms"
