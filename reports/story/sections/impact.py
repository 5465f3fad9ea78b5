"""Impact on the crypto market, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story import context
from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.figures import figure
from reports.story.prose import Fragment, Sentence, join, sentence
from reports.story.model import Paragraph, Section
from reports.story.wording import is_flat, possessive, reads_equal
from reports.story.sections.blocks import bullets, paragraph
from reports.story.asset_view import section, subject
from reports.story.asset_figures import peers_figure
from reports.story.sections.takeaways import share_sentence


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    items = [_market_cap_bullet(desk), _dominance_bullet(desk), _altcoin_bullet(desk), _regime_bullet(desk)]
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
        "Market value: total crypto market capitalisation {verb} {amount}, or {pct}, from {start} on {start_day} to {end} on {end_day}",
        verb="fell" if cap.change_usd < 0 else "rose", amount=desk.f.money("market_cap.change_usd", absolute=True),
        pct=desk.f.pct("market_cap.change_pct", absolute=True), start=desk.f.money("market_cap.start_usd"),
        start_day=desk.f.day("market_cap.start_day"), end=desk.f.money("market_cap.end_usd"),
        end_day=desk.f.day("market_cap.end_day"),
    )


def _dominance_bullet(desk: MarketDesk) -> Paragraph | None:
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
    parts: list[Sentence | None] = [sentence("Dominance: {clauses}", clauses=join(clauses, "and"))]
    btc = next((dom for dom in desk.facts.dominance if dom.asset == BTC), None)
    if btc is not None and not reads_equal(btc.change_pp) and desk.facts.market_cap is not None:
        parts.append(_share_meaning(desk, btc.change_pp) if _bases_agree(desk, btc.change_pp) else _bases_sentence(desk))
    return Paragraph(tuple(part for part in parts if part is not None))


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


def _share_meaning(desk: MarketDesk, share_pp: float) -> Sentence:
    cap = desk.facts.market_cap
    assert cap is not None
    falling, rising_share = cap.change_usd < 0, share_pp > 0
    if falling:
        rest = "the rest of the market lost value faster than bitcoin" if rising_share else "bitcoin lost value faster than the rest of the market"
    else:
        rest = "bitcoin gained value faster than the rest of the market" if rising_share else "the rest of the market gained value faster than bitcoin"
    return sentence("A {change} share in a {direction} market means {rest}", change="rising" if rising_share else "falling",
                    direction="falling" if falling else "rising", rest=rest)


def _bases_sentence(desk: MarketDesk) -> Sentence | None:
    """When the share and bitcoin's change disagree: which basis each is on, in a few plain words, instead of a
    reading of the share that the closes contradict. Two series at the same hour cannot explain it: say nothing."""
    cap, move = desk.facts.market_cap, desk.facts.asset(BTC)
    assert cap is not None and move is not None
    shares, closes = next(s for s in desk.facts.sources if s.key == cap.series), next(s for s in desk.facts.sources if s.key == move.series)
    if shares.time_of_day == closes.time_of_day:
        return None
    share = next(dom for dom in desk.facts.dominance if dom.asset == BTC)
    return sentence("Bitcoin {relation}, yet its share {share}: the share is on {shares_by} {shares_at}, bitcoin's weekly "
                    "change on {closes_by} {closes_at}, hours apart",
                    relation=Fragment(_relation(move.change_pct, cap.change_pct), ("assets.bitcoin.change_pct", "market_cap.change_pct")),
                    share=Fragment(_share_word(share.change_pp), ("dominance.bitcoin.change_pp",)),
                    shares_by=possessive(desk.f.cite(f"sources.{cap.series}.provider", str)),
                    shares_at=desk.f.cite(f"sources.{cap.series}.time_of_day", str),
                    closes_by=possessive(desk.f.cite(f"sources.{move.series}.provider", str)),
                    closes_at=desk.f.cite(f"sources.{move.series}.time_of_day", str))

def _relation(btc_pct: float, cap_pct: float) -> str:
    """ "fell less than total market value", "rose while total market value fell": words only."""
    def moved(pct: float) -> str:
        return "was little changed" if is_flat(pct) else "rose" if pct > 0 else "fell"
    if reads_equal(btc_pct, cap_pct):
        return "moved in line with total market value"
    if moved(btc_pct) != moved(cap_pct):
        return f"{moved(btc_pct)} while total market value {moved(cap_pct)}"
    return f"{moved(btc_pct)} {'more' if abs(btc_pct) > abs(cap_pct) else 'less'} than total market value"

def _altcoin_bullet(desk: MarketDesk) -> Paragraph | None:
    alts = desk.facts.altcoins
    if alts is None:
        return None
    first = sentence(
        "Altcoins: the {count} altcoins {coins} averaged {avg} (median {median}), against {btc} for bitcoin",
        count=desk.f.count("altcoins.count"), avg=desk.f.pct("altcoins.average_pct", sign=True), coins=desk.counted("in the universe"),
        median=desk.f.pct("altcoins.median_pct", sign=True), btc=desk.f.pct("altcoins.btc_pct", sign=True),
    )
    return paragraph(first, beta_sentence(desk))


def beta_sentence(desk: MarketDesk) -> Sentence | None:
    """Beta glossed as what it is, a regression slope: above one, altcoins tended to move more than bitcoin."""
    alts = desk.facts.altcoins
    if alts is None or alts.beta is None:
        return None
    return sentence(
        "Over the past {days} days their beta to bitcoin was {beta}: the slope of their daily returns against bitcoin's, "
        "where above one means they tended to move more than bitcoin and below one less",
        days=desk.f.count("altcoins.beta_days"), beta=desk.f.cite("altcoins.beta", lambda v: desk.fmt.number(v, 2)))


def _regime_bullet(desk: MarketDesk) -> Paragraph | None:
    """Correlation with bitcoin this week against the past, and how far apart the coins' weeks were."""
    # A correlation of the week's seven daily returns is too few points to report (issue 16): dispersion only.
    found = [context.dispersion_sentence(desk)]
    if not any(found):
        return None
    return paragraph(*found)


def _volatility_bullet(desk: MarketDesk, asset: str) -> Sentence:
    vol = next(v for v in desk.facts.volatility if v.asset == asset)
    return volatility_sentence(desk, desk.names.plain(asset), f"volatility.{asset}", vol.highest_since is None,
                               vol.annualised_pct > vol.median_pct)


def volatility_sentence(desk: MarketDesk | AssetDesk, name: Fragment, k: str, highest: bool, above: bool) -> Sentence:
    """Realised volatility, glossed in plain words the first time: how widely the daily closes swung, at a yearly rate."""
    parts = dict(name=name, vol=desk.f.pct(f"{k}.annualised_pct"), median=desk.f.pct(f"{k}.median_pct"),
                 start=desk.f.month(f"{k}.history_start"))
    what = "Volatility: {name}'s realised volatility (how widely its daily closes swung, scaled to a yearly rate) over the week was"
    if highest:
        return sentence(what + " {vol}, the highest for any seven-day window since its history in the data begins in {start}; "
                        "the median window is {median}", **parts)
    if above:
        return sentence(what + " {vol}, above the median of {median} for seven-day windows since {start}", **parts)
    return sentence(what + " a subdued {vol}, below the median of {median} for seven-day windows since {start}", **parts)


def _drawdown_bullet(desk: MarketDesk) -> Sentence | None:
    """Distance from the top, one sentence for every coin with a history (bitcoin and ether): "bitcoin ended the
    week 43.4% below its highest close in the data, $124,659 on Oct 6, 2025, and ether 57.3% below its own, ..."."""
    clauses: list[Fragment] = []
    for dd in desk.facts.drawdowns:
        k, name = f"drawdowns.{dd.asset}", desk.names.plain(dd.asset)
        if dd.drawdown_pct > -0.05:
            clauses.append(name + " closed the week at its highest close in the data, " + desk.f.price(f"{k}.peak"))
            continue
        below = " below its highest close in the data, " if not clauses else " below its own, "
        clauses.append(name + (" ended the week " if not clauses else " ") + desk.f.pct(f"{k}.drawdown_pct", absolute=True)
                       + below + desk.f.price(f"{k}.peak") + " on " + desk.f.date(f"{k}.peak_day"))
    if not clauses:
        return None
    told = clauses[0]
    for clause in clauses[1:]:
        told = told + ", and " + clause
    return sentence("Distance from the top: on daily closes, {clauses}", clauses=told)


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
                               vol.annualised_pct > vol.median_pct)
