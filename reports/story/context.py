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
CONVERGED = 0.1  # correlation shift, week vs past, that counts as converging or diverging


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


def _within(desk: MarketDesk, key: str, found: WeekRank) -> Fragment:
    """ " among windows ending before this week; the seven days to Feb 5, inside it, fell further (25.7%)": said
    whenever a window ending earlier in the week went further, so the claim says exactly which windows it ranks."""
    if found.within is None:
        return Fragment("")
    usd = found.unit == "usd"
    amount = desk.f.money(f"{key}.within_change_usd", absolute=True) if usd else desk.f.pct(f"{key}.within_change_pct", absolute=True)
    verb = ("lost " if found.direction == "fall" else "added ") if usd else ("fell " if found.direction == "fall" else "rose ")
    return (Fragment(", leaving aside the seven-day windows ending earlier this week (the seven days to ")
            + desk.f.day(f"{key}.within") + " " + verb + amount + ")")


def lead_rank_sentence(desk: MarketDesk) -> Sentence | None:
    """ "Bitcoin's 16.2% fall was its worst week in data going back to September 2024, leaving aside the seven-day
    windows ending earlier this week (the seven days to Feb 5 fell 25.7%)." """
    lead = desk.lead
    found = rank(desk, lead)
    if found is None:
        return None
    key = f"ranks.{lead}"
    falling = found.direction == "fall"
    period = None
    if found.since_period:
        period = Fragment(", during ") + desk.f.cite(f"{key}.since_period", str)
    return sentence(
        "{name}'s {pct} {kind} was its {extreme} week {since}{period}{within}",
        name=desk.names.plain(lead), pct=desk.f.pct(f"{key}.change_pct", absolute=True),
        kind="fall" if falling else "gain", extreme="worst" if falling else "best", since=_reach(desk, key),
        period=period or Fragment(""), within=_within(desk, key, found),
    )


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


def market_rank_sentence(desk: MarketDesk) -> Sentence | None:
    """ "The $549.7 billion drop was the largest one-week loss of total market value since mid-October 2025 (...)":
    ranked on dollars, the unit it is printed in."""
    found = rank(desk, "market")
    if found is None or found.unit != "usd":
        return None
    falling = found.direction == "fall"
    return sentence(
        "The {amount} {kind} was the largest one-week {noun} of total market value in {provider} {title} {since}{within}",
        amount=desk.f.money("market_cap.change_usd", absolute=True), kind="drop" if falling else "rise",
        noun="loss" if falling else "gain", since=_reach(desk, "ranks.market"),
        provider=possessive(desk.f.cite(f"sources.{found.series}.provider", str)), title="global data",
        within=_within(desk, "ranks.market", found),
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


def correlation_sentence(desk: MarketDesk) -> Sentence | None:
    """Altcoins moving with bitcoin (or apart from it) this week compared with the past 90 days."""
    regime = desk.facts.regime
    if regime is None or regime.correlation_week is None or regime.correlation_shift is None:
        return None
    parts = dict(week=desk.f.decimal("regime.correlation_week"), past=desk.f.decimal("regime.correlation_past"),
                 days=desk.f.count("regime.past_days"))
    if regime.correlation_shift >= CONVERGED:
        lead = "Correlations converged"
    elif regime.correlation_shift <= -CONVERGED:
        lead = "Altcoins moved more on their own"
    else:
        lead = "Altcoins tracked bitcoin about as closely as usual"
    return sentence(
        "{lead}: the average correlation of altcoins' daily returns with bitcoin's was {week} this week, against {past} "
        "over the previous {days} days", lead=lead, **parts)


def dispersion_sentence(desk: MarketDesk) -> Sentence | None:
    regime = desk.facts.regime
    if regime is None or len(desk.facts.assets) < 4:
        return None
    return sentence(
        "Dispersion, how far apart the coins' weeks were, was {size}: weekly changes across the {total} coins had a "
        "standard deviation of {sd} percentage points, with {spread} points between the best and the worst",
        size="wide" if regime.dispersion_pp >= 8 else "narrow" if regime.dispersion_pp < 3 else "moderate",
        total=desk.f.count("breadth.total"), sd=desk.f.points("regime.dispersion_pp"),
        spread=desk.f.points("regime.spread_pp"),
    )


def history_paragraph_sentences(desk: MarketDesk) -> list[Sentence]:
    """The week's place in the history, for the Overview: rank, market rank, streaks."""
    found = [lead_rank_sentence(desk), market_rank_sentence(desk), *streak_sentences(desk)]
    return [s for s in found if s is not None]
