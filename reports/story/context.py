"""History as context, in words: where the week ranks, how long a run has lasted, how the market moved together.

Every claim here cites the ranking, streak or regime fact that backs it and states its
lookback ("in Coin Metrics' data, which begin in September 2024"), so a reader (and the
checker) can see how far back "worst since" reaches.
"""

from __future__ import annotations

from datetime import timedelta

from reports.story.desk import MarketDesk
from reports.facts.model import BTC, ETH
from reports.facts.history import Streak, WeekRank
from reports.story.prose import Fragment, Sentence, join, sentence
from reports.story.wording import is_flat, part_of_month, possessive

NOTABLE_RANK = 3  # a week among the three most extreme in the data is news whatever its "since"
NOTABLE_SINCE_DAYS = 90  # "worst week since" must reach back this far to be worth saying
NOTABLE_STREAK = 3  # runs shorter than this are ordinary


def rank(desk: MarketDesk, asset: str) -> WeekRank | None:
    """The week's ranking for `asset` ("market" for total market value), if it is news."""
    found = next((r for r in desk.facts.ranks if r.asset == asset), None)
    if found is None or is_flat(found.change_pct):
        return None
    if asset != "market":
        shown = desk.move(asset).change_pct
    elif desk.facts.market_cap is not None:  # the facts rank market value only in weeks that have it
        shown = desk.facts.market_cap.change_pct
    else:
        return None
    if (found.change_pct < 0) != (shown < 0):
        return None  # on the history's own time of day the week went the other way: no claim
    if found.since is None or found.rank <= NOTABLE_RANK:
        return found
    reach = desk.facts.week.end - found.since
    return found if reach >= timedelta(days=NOTABLE_SINCE_DAYS) else None


def _reach(desk: MarketDesk, key: str) -> Fragment:
    """ "in data going back to September 2024" when nothing earlier was as extreme, else
    "since early October 2025 (the data begin in September 2024)": the lookback is always stated."""
    start = desk.f.month(f"{key}.history_start")
    if desk.f.table.get(f"{key}.since") is None:
        return Fragment("in data going back to ") + start
    since = desk.f.cite(f"{key}.since", lambda day: part_of_month(day) + desk.fmt.month(day))
    return Fragment("since ") + since + " (the data begin in " + start + ")"


def rank_takeaway(desk: MarketDesk) -> Sentence | None:
    """ "History: bitcoin's worst week in data going back to September 2024 (-16.2%)": without the windows ending
    earlier in the week, which is method (Methodology & sources says which windows a rank compares; the Overview
    tells a deeper window inside the week in plain words)."""
    found = rank(desk, desk.lead)
    if found is None:
        return None
    key = f"ranks.{desk.lead}"
    return sentence(
        "History: {name}'s {extreme} week ({pct}) {since}",
        name=desk.names.plain(desk.lead), extreme="worst" if found.direction == "fall" else "best",
        since=_reach(desk, key), pct=desk.f.pct(f"{key}.change_pct", sign=True),
    )


def _streak(desk: MarketDesk, key: str) -> Streak | None:
    found = next((s for s in desk.facts.streaks if s.key == key), None)
    return found if found is not None and found.weeks >= NOTABLE_STREAK else None


def streak_sentences(desk: MarketDesk) -> list[Sentence]:
    """ "It was bitcoin's third straight weekly decline." / "Ether underperformed bitcoin for the third week running." """
    found = []
    runs = [(asset, run) for asset in (BTC, ETH) if desk.facts.asset(asset) and (run := _streak(desk, asset))]
    same = len(runs) == 2 and {(r.weeks, r.direction, r.complete) for _, r in runs} == {(runs[0][1].weeks, runs[0][1].direction, runs[0][1].complete)}
    groups = [runs] if same else [[run] for run in runs]
    for group in groups:
        asset, run = group[0]
        found.append(sentence(
            "It was {least}{count} straight weekly {kind} for {names}",
            least="the " if run.complete else "at least the ",
            count=desk.f.ordinal(f"streaks.{asset}.weeks") + Fragment("", tuple(f"streaks.{a}.weeks" for a, _ in group)),
            kind="decline" if run.direction == "down" else "gain",
            names=Fragment("both ") + join([desk.names.plain(a) for a, _ in group]) if len(group) > 1 else desk.names.plain(asset),
        ))
    relative = _streak(desk, f"{ETH}-vs-{BTC}")
    if relative is not None and desk.facts.asset(ETH) and desk.facts.asset(BTC):
        found.append(sentence(
            "{eth} {verb} {btc} for {least}{count} week running",
            eth=desk.names.plain(ETH), verb="underperformed" if relative.direction == "under" else "outperformed",
            btc=desk.names.plain(BTC), least="the " if relative.complete else "at least the ",
            count=desk.f.ordinal(f"streaks.{ETH}-vs-{BTC}.weeks"),
        ))
    return found
