"""Impact on the crypto market, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from datetime import date

from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.figures import figure
from reports.story.prose import Fragment, Sentence, join, sentence
from reports.story.model import Section
from reports.story.wording import is_flat, possessive, reads_equal
from reports.story.sections.blocks import bullets
from reports.story.asset_view import section, subject
from reports.story.asset_figures import peers_figure
from reports.story.sections.takeaways import share_sentence
from reports.story.flows import weekday


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    items = [_market_cap_bullet(desk), _dominance_bullet(desk), _altcoin_bullet(desk)]
    items += [_volatility_bullet(desk, v.asset) for v in desk.facts.volatility if v.asset == desk.lead]
    items += [_drawdown_bullet(desk)]
    blocks = [bullets(*items), figure(desk, "market-cap"), figure(desk, "drawdown")]
    return Section("impact", "Impact on the Crypto Market", tuple(b for b in blocks if b is not None))


def _market_cap_bullet(desk: MarketDesk) -> Sentence | None:
    cap = desk.facts.market_cap
    if cap is None:
        return None
    if is_flat(cap.change_pct):
        return sentence(
            "Market value: total crypto market capitalisation was little changed ({pct}), at {end} on {end_day} against "
            "{start} on {start_day}", pct=desk.f.pct("market_cap.change_pct", sign=True),
            end=desk.f.money("market_cap.end_usd"), end_day=desk.f.day("market_cap.end_day"),
            start=desk.f.money("market_cap.start_usd"), start_day=desk.f.day("market_cap.start_day"))
    return sentence(
        "Market value: total crypto market capitalisation {verb} {amount}, or {pct}, from {start} on {start_day} to {end} on {end_day}"
        "{steepest}", steepest=_steepest(desk),
        verb="fell" if cap.change_usd < 0 else "rose", amount=desk.f.money("market_cap.change_usd", absolute=True),
        pct=desk.f.pct("market_cap.change_pct", absolute=True), start=desk.f.money("market_cap.start_usd"),
        start_day=desk.f.day("market_cap.start_day"), end=desk.f.money("market_cap.end_usd"),
        end_day=desk.f.day("market_cap.end_day"),
    )


def _steepest(desk: MarketDesk) -> Fragment:
    """ ", its steepest one-day fall on Thursday, Feb 5" (the day the market-value chart marks), or that no day fell."""
    cap = desk.facts.market_cap
    assert cap is not None
    if cap.fall_day is None:
        return Fragment(", without a single day's fall")  # the facts hold no fall: nothing to cite
    return Fragment(", its steepest one-day fall on ") + weekday(desk, "market_cap.fall_day")


def _dominance_bullet(desk: MarketDesk) -> Sentence | None:
    """Bitcoin's share told with what it means this week (which side lost or gained value faster), or without a
    reading when the share and bitcoin's close-basis change disagree (`bases_note` says why, in the data notes);
    ether's share as a short clause after it."""
    clauses: list[Fragment] = []
    for dom in desk.facts.dominance:
        k = f"dominance.{dom.asset}"
        who = Fragment("bitcoin's" if dom.asset == BTC else "ether's")
        who = who + " share of total market value" if not clauses else who
        if reads_equal(dom.change_pp):
            clauses.append(who + " held at " + desk.f.pct(f"{k}.end_pct"))
        else:
            clauses.append(who + f" {_share_word(dom.change_pp)} " + desk.f.points(f"{k}.change_pp") + " points to " + desk.f.pct(f"{k}.end_pct"))
    if not clauses:
        return None
    share = _btc_share_move(desk)
    if share is None or not _bases_agree(desk, share):
        return sentence("Dominance: {clauses}", clauses=join(clauses, "and"))
    return sentence("Dominance: {clauses}, as {rest}", rest=_share_meaning(desk, share), clauses=join(clauses, "and"))


def _btc_share_move(desk: MarketDesk) -> float | None:
    """Bitcoin's change of share, in points, when it moved and there is a market value to read it against."""
    btc = next((dom for dom in desk.facts.dominance if dom.asset == BTC), None)
    if btc is None or reads_equal(btc.change_pp) or desk.facts.market_cap is None:
        return None
    return btc.change_pp


def _share_word(change_pp: float) -> str:
    return ("edged up" if change_pp > 0 else "slipped") if abs(change_pp) < 1 else ("rose" if change_pp > 0 else "fell")


def _bases_agree(desk: MarketDesk, share_pp: float) -> bool:
    """Whether bitcoin's share moved the way its weekly change against total market value says it should.
    The share and market value are snapshots (CoinGecko, about 11:00 UTC); bitcoin's change is on the brief's
    daily closes (00:00 UTC). Hours apart, they can disagree: bitcoin fell less than the market on closes while its
    share fell on snapshots (the week to Feb 6, 2026). Then "a falling share means bitcoin lost value faster"
    would contradict the figures the reader was just given."""
    cap, move = desk.facts.market_cap, desk.facts.asset(BTC)
    assert cap is not None
    if move is None or not move.compared:
        return True  # no close-basis bitcoin figure to contradict
    if reads_equal(move.change_pct, cap.change_pct):
        return False  # equal as printed: neither "faster" claim is borne out
    return (move.change_pct > cap.change_pct) == (share_pp > 0)


def _share_meaning(desk: MarketDesk, share_pp: float) -> Fragment:
    """ "bitcoin lost value faster than the rest of the market": what a share's move means in the week's market."""
    cap = desk.facts.market_cap
    assert cap is not None
    falling, rising_share = cap.change_usd < 0, share_pp > 0
    if falling:
        rest = "the rest of the market lost value faster than bitcoin" if rising_share else "bitcoin lost value faster than the rest of the market"
    else:
        rest = "bitcoin gained value faster than the rest of the market" if rising_share else "the rest of the market gained value faster than bitcoin"
    return Fragment(rest, ("market_cap.change_usd", "dominance.bitcoin.change_pp"))


def bases_note(desk: MarketDesk) -> Sentence | None:
    """The data note for a week whose bitcoin share and close-basis change disagree: which basis each is on, in a
    few plain words, instead of a reading of the share that the closes contradict (Impact gives the share alone).
    Two series at the same hour cannot explain it: no note."""
    cap, move, share = desk.facts.market_cap, desk.facts.asset(BTC), _btc_share_move(desk)
    if cap is None or move is None or share is None or _bases_agree(desk, share):
        return None
    shares, closes = next(s for s in desk.facts.sources if s.key == cap.series), next(s for s in desk.facts.sources if s.key == move.series)
    if shares.time_of_day == closes.time_of_day:
        return None
    return sentence(
        "Bitcoin's share of total market value {moved} on {shares} {shares_time}, while on {closes} {closes_time} bitcoin "
        "{relation}: the two are hours apart, so Impact gives the share without reading it",
        moved=desk.f.cite("dominance.bitcoin.change_pp", lambda v: "rose" if v > 0 else "fell"),
        shares=possessive(desk.f.cite(f"sources.{cap.series}.provider", str)),
        shares_time=desk.f.cite(f"sources.{cap.series}.time_of_day", str),
        closes=possessive(desk.f.cite(f"sources.{move.series}.provider", str)),
        closes_time=desk.f.cite(f"sources.{move.series}.time_of_day", str),
        relation=Fragment(_relation(move.change_pct, cap.change_pct), ("assets.bitcoin.change_pct", "market_cap.change_pct")))


def _relation(btc_pct: float, cap_pct: float) -> str:
    """ "fell less than total market value", "rose while total market value fell": words only."""
    def moved(pct: float) -> str:
        return "was little changed" if is_flat(pct) else "rose" if pct > 0 else "fell"
    if reads_equal(btc_pct, cap_pct):
        return "moved in line with total market value"
    if moved(btc_pct) != moved(cap_pct):
        return f"{moved(btc_pct)} while total market value {moved(cap_pct)}"
    return f"{moved(btc_pct)} {'more' if abs(btc_pct) > abs(cap_pct) else 'less'} than total market value"

def _altcoin_bullet(desk: MarketDesk) -> Sentence | None:
    """Altcoins against bitcoin in one sentence led by what the week shows (fell further, rose while bitcoin fell,
    ...), with the coins' spread when it was wide or narrow and their beta when it is far from one. Left to the FAQ
    when it asks why the altcoins moved more than bitcoin and the spread says nothing: the takeaways give the median
    and the count, the FAQ the average, the gap and the beta, and a bullet here would tell them a third time."""
    alts = desk.facts.altcoins
    if alts is None or (asks_why_altcoins(desk) and not _spread_clause(desk).text):
        return None
    return sentence(
        "Altcoins: the {count} altcoins {coins} {relation}, averaging {avg} (median {median}) against {btc} for bitcoin"
        "{spread}{beta}", count=desk.f.count("altcoins.count"), coins=desk.counted("in the universe"),
        relation=_alt_relations(alts.average_pct, alts.median_pct, alts.btc_pct), avg=desk.f.pct("altcoins.average_pct", sign=True),
        median=desk.f.pct("altcoins.median_pct", sign=True), btc=desk.f.pct("altcoins.btc_pct", sign=True),
        spread=_spread_clause(desk), beta=_beta_clause(desk))


def _alt_relations(avg_pct: float, median_pct: float, btc_pct: float) -> Fragment:
    """The average altcoin against bitcoin, and the median one when it tells a different story ("fell further than
    bitcoin on average, while the median altcoin fell less than bitcoin")."""
    average = _alt_relation(avg_pct, btc_pct)
    median = _alt_relation(median_pct, btc_pct, "altcoins.median_pct")
    if median.text == average.text:
        return average
    if reads_equal(median_pct, btc_pct):  # one comparison word per sentence for the checker to read: "matched"
        median = Fragment("matched bitcoin", ("altcoins.median_pct", "altcoins.btc_pct"))
    return average + " on average, while the median altcoin " + median


def _alt_relation(alt_pct: float, btc_pct: float, alt_key: str = "altcoins.average_pct") -> Fragment:
    """ "fell further than bitcoin", "rose while bitcoin fell": words only, from the two signed changes."""
    keys = (alt_key, "altcoins.btc_pct")
    if reads_equal(alt_pct, btc_pct):
        return Fragment("moved in line with bitcoin", keys)
    alt, btc = ("was little changed" if is_flat(alt_pct) else "rose" if alt_pct > 0 else "fell",
                "was little changed" if is_flat(btc_pct) else "rose" if btc_pct > 0 else "fell")
    if alt != btc:
        return Fragment(f"{alt} while bitcoin {btc}", keys)
    further = abs(alt_pct) > abs(btc_pct)
    word = ("further" if further else "less") if alt_pct < 0 else ("more" if further else "less")
    return Fragment(f"{alt} {word} than bitcoin", keys)


WIDE_PP, NARROW_PP = 8.0, 3.0  # the standard deviation of weekly changes, points, above/below which the spread is told


def _spread_clause(desk: MarketDesk) -> Fragment:
    """The coins' spread, only when it was wide or narrow: a moderate one says nothing new."""
    regime = desk.facts.regime
    if regime is None or len(desk.facts.assets) < 4 or NARROW_PP <= regime.dispersion_pp < WIDE_PP:
        return Fragment("")
    how = "far apart" if regime.dispersion_pp >= WIDE_PP else "close together"
    return (Fragment(f", with the coins' weeks {how}: ") + desk.f.points("regime.spread_pp")
            + " points between the best and the worst")


FAR_BETA = 0.25  # a beta at least this far from one is told: the altcoins' usual swing against bitcoin's
CLEAR_GAP_PP = 1.0  # the average altcoin must trail or lead bitcoin by this much for a "why" question


def asks_why_altcoins(desk: MarketDesk) -> bool:
    """Whether the altcoins' week begs a "why" (a clear gap, most of them on the far side of bitcoin, and a beta to
    answer it with): the FAQ then asks it and gives the beta, which Impact leaves to it."""
    alts = desk.facts.altcoins
    if alts is None or alts.beta is None:
        return False
    majority, minority = alts.outperformed * 2 > alts.count, alts.outperformed * 2 < alts.count
    return (alts.btc_pct < 0 and alts.gap_pp <= -CLEAR_GAP_PP and minority) or \
        (alts.btc_pct > 0 and alts.gap_pp >= CLEAR_GAP_PP and majority)


def _beta_clause(desk: MarketDesk) -> Fragment:
    """Beta as what it is, a regression slope, told only when far from one, and said against the week: did the
    altcoins swing more (or less) than bitcoin this week, as their slope would have them? Left to the FAQ when it
    asks why the altcoins fell (or rose) more than bitcoin."""
    alts = desk.facts.altcoins
    if alts is None or alts.beta is None or abs(alts.beta - 1) < FAR_BETA or asks_why_altcoins(desk):
        return Fragment("")
    more = alts.beta > 1
    swung_more = abs(alts.average_pct) > abs(alts.btc_pct)
    how = "true to" if more == swung_more else "against"
    tendency = "move more than bitcoin" if more else "move less than bitcoin"
    return (Fragment(f"; {how} their tendency over the past ") + desk.f.count("altcoins.beta_days") + f" days to {tendency} "
            + "(a beta, the slope of their daily returns against bitcoin's, of "
            + desk.f.cite("altcoins.beta", lambda v: desk.fmt.number(v, 2)) + ")")


def _volatility_bullet(desk: MarketDesk, asset: str) -> Sentence | None:
    """The lead's volatility, only in a week that swung unusually much or little: a middling week says nothing new."""
    vol = next(v for v in desk.facts.volatility if v.asset == asset)
    if vol.highest_since is not None and CALM_PCT < vol.percentile < STORMY_PCT:
        return None
    return volatility_sentence(desk, desk.names.plain(asset), f"volatility.{asset}", vol.highest_since is None,
                               vol.annualised_pct > vol.median_pct, vol.percentile, vol.highest_since is not None)


CALM_PCT, STORMY_PCT = 25.0, 75.0  # percentiles of the seven-day windows outside which the week's volatility is told
GLOSS = "realised volatility (how widely the daily closes swung, scaled to a yearly rate)"


def volatility_sentence(desk: MarketDesk | AssetDesk, name: Fragment, k: str, highest: bool, above: bool,
                        percentile: float | None = None, since: bool = False) -> Sentence:
    """Realised volatility, glossed in plain words, worded by the week's place among the series' own windows:
    the highest in the data, the highest since a dated window, among the calmest share, or against the median."""
    parts = dict(name=name, vol=desk.f.pct(f"{k}.annualised_pct"), median=desk.f.pct(f"{k}.median_pct"),
                 start=desk.f.month(f"{k}.history_start"))
    if highest:
        return sentence("Volatility: {name}'s " + GLOSS + " over the week was {vol}, the highest for any seven-day window "
                        "since its history in the data begins in {start}; the median window is {median}", **parts)
    if percentile is not None and percentile >= STORMY_PCT and since:
        return sentence("Volatility: {name} swung more than in most weeks, its " + GLOSS + " of {vol} the highest since the "
                        "seven days to {since}, against a median of {median} since {start}",
                        since=desk.f.date(f"{k}.highest_since"), **parts)
    if percentile is not None and percentile <= CALM_PCT:
        share = desk.f.cite(f"{k}.percentile", lambda p: "very calmest" if p <= 10 else "calmest quarter")
        return sentence("Volatility: a calm week for {name}, whose " + GLOSS + " of {vol} was among the {share} of "
                        "seven-day windows since {start} (median {median})", share=share, **parts)
    what = "Volatility: {name}'s " + GLOSS + " over the week was"
    if above:
        return sentence(what + " {vol}, above the median of {median} for seven-day windows since {start}", **parts)
    return sentence(what + " a subdued {vol}, below the median of {median} for seven-day windows since {start}", **parts)


def tells_distance_from_top(desk: MarketDesk) -> bool:
    """Whether Impact tells the lead's distance from its top this week (the FAQ then asks something else)."""
    return _drawdown_bullet(desk) is not None


def _drawdown_bullet(desk: MarketDesk) -> Sentence | None:
    """Distance from the top, only when the week moved it in a way worth telling: the lead's lowest close of the week
    was its furthest below the top since the top was set, or a rise larger than its typical week brought it back.
    The same distance every week is no news; the size in words ("more than a quarter") follows the figure."""
    lead = desk.lead
    top = next((dd for dd in desk.facts.drawdowns if dd.asset == lead), None)
    if top is None:
        return None
    k = f"drawdowns.{lead}"
    if top.drawdown_pct > -0.05:
        return sentence("Distance from the top: {name} closed the week at its highest close in the data, {peak}",
                        name=desk.names.plain(lead), peak=desk.f.price(f"{k}.peak"))
    opening = _drawdown_opening(desk, top.peak_day)
    if opening is None:
        return None
    others = [dd for dd in desk.facts.drawdowns if dd.asset != lead and dd.drawdown_pct <= -0.05]
    more = Fragment("")
    for dd in others:
        o = f"drawdowns.{dd.asset}"
        more = more + ", and " + desk.names.plain(dd.asset) + " " + desk.f.pct(f"{o}.drawdown_pct", absolute=True) + " below its own, " \
            + desk.f.price(f"{o}.peak") + " on " + desk.f.date(f"{o}.peak_day")
    return sentence("Distance from the top: {opening}; it ended the week {size} below that top ({pct}){more}", opening=opening, size=desk.f.cite(f"{k}.drawdown_pct", _size_words),
                    pct=desk.f.pct(f"{k}.drawdown_pct", absolute=True), more=more)


def _drawdown_opening(desk: MarketDesk, peak_day: date) -> Fragment | None:
    """Why the distance is news this week ("the week took bitcoin further below its top ... than any close since"),
    or None: the lead's lowest close of the week went deeper than every close since the top, or a rise larger than
    its typical week narrowed the gap."""
    lead, k = desk.lead, f"drawdowns.{desk.lead}"
    top = (desk.f.price(f"{k}.peak") + " on " + desk.f.date(f"{k}.peak_day"))
    name = desk.names.plain(lead)
    low = next((lv for lv in desk.facts.levels if lv.asset == lead and lv.side == "low"), None)
    if low is not None and (low.since is None or low.since < peak_day):
        return (Fragment("the week took ", (f"levels.{lead}.low.day",)) + name + " further below its top, " + top
                + ", than at any close since it was set")
    move = desk.move(lead)
    scale = move.typical_week_pct or BIG_WEEK_PCT
    if move.change_pct >= scale:
        return Fragment(possessive(name).text + " rise narrowed the gap to its top, ", (f"assets.{lead}.change_pct",)) + top
    return None


def _size_words(drawdown_pct: float) -> str:
    """How far below the top, in words a reader pictures: "more than a quarter", "nearly half"."""
    size = abs(drawdown_pct)
    return next(words for below, words in DISTANCE_WORDS if size < below)


DISTANCE_WORDS = ((25.0, "less than a quarter"), (40.0, "more than a quarter"), (50.0, "nearly half"), (100.1, "more than half"))
BIG_WEEK_PCT = 5.0  # without the lead's typical week: the size of move that makes the distance from the top news


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    items = [share_sentence(desk, "Market value") if desk.facts.dominance else None, _standing_bullet(desk),
             _breadth_bullet(desk), asset_volatility_bullet(desk)]
    return section("impact", "Impact on the Crypto Market", bullets(*items), peers_figure(desk))


def _standing_bullet(desk: AssetDesk) -> Sentence | None:
    s = desk.facts.standing
    if s.of < 3:
        return None
    a = subject(desk)
    return sentence("Among its peers: {name}'s {change} beat {beat} of the other {others} largest coins tracked",
                    name=desk.names.plain(a), change=desk.change(a, sign=True), beat=desk.f.count("standing.beat"),
                    others=desk.f.count("standing.others"))


def _breadth_bullet(desk: AssetDesk) -> Sentence | None:
    b = desk.facts.breadth
    if b.total < 2:
        return None
    parts = dict(total=desk.f.count("breadth.total"), rose=desk.f.count("breadth.rose"), fell=desk.f.count("breadth.fell"),
                 median=desk.f.pct("breadth.median_pct", sign=True))
    # Total market value is stated once, in What Happened (`_bitcoin_paragraph`).
    return sentence("The wider market: of the {total} largest coins, {rose} rose and {fell} fell, with a median move of {median}",
                    **parts)


def asset_volatility_bullet(desk: AssetDesk) -> Sentence | None:
    vol = desk.facts.volatility
    if vol is None:
        return None
    return volatility_sentence(desk, desk.names.plain(subject(desk)), "volatility", vol.highest_since is None,
                               vol.annualised_pct > vol.median_pct, vol.percentile, vol.highest_since is not None)
