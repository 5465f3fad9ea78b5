"""Overview: the week in one paragraph, for the market (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story import context
from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Section
from reports.story.wording import is_flat, reads_equal, up_down, week_shape
from reports.story.sections.blocks import paragraph
from reports.story.sections.drivers import standout_sentence
from reports.story.asset_view import btc_comparison, gap_words, market_name, rank_clause, section, since_bitcoin, subject


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    first = paragraph(_market_sentence(desk), _lead_sentence(desk), standout_sentence(desk), breadth_sentence(desk),
                      _fear_greed_sentence(desk))
    history = context.history_paragraph_sentences(desk)
    return Section("overview", "Overview", (first, paragraph(*history)) if history else (first,))


def _market_sentence(desk: MarketDesk) -> Sentence:
    shape = week_shape(desk.market_change)
    if desk.facts.market_cap is None:
        return sentence(
            "The {total} largest cryptocurrencies in the brief had a {shape} in {week}: the median move was {median}",
            total=desk.f.count("breadth.total"), shape=shape, week=desk.week_to(),
            median=desk.f.pct("breadth.median_pct", sign=True),
        )
    cap = desk.facts.market_cap
    if is_flat(cap.change_pct):
        return sentence("Total crypto market value was little changed in {week}, at {end}",
                        week=desk.week_to(), end=desk.f.money("market_cap.end_usd"))
    falling = cap.change_usd < 0
    parts: dict[str, Fragment | str] = dict(amount=desk.f.money("market_cap.change_usd", absolute=True), week=desk.week_to(), shape=shape,
                 pct=desk.f.pct("market_cap.change_pct", absolute=True), end=desk.f.money("market_cap.end_usd"))
    # Three ways to open, chosen by the week's seed: the same week always opens the same way.
    template = desk.vary.pick((
        "The crypto market {verb} {amount} of value in {week}, a {shape} that took total capitalisation {direction} {pct} "
        "to {end}",
        "Total crypto market capitalisation {moved} {pct} to {end} in {week}, {erasing} {amount} in a {shape}",
        "A {shape} {wiped} {amount} {off} the crypto market in {week}, {leaving} total capitalisation at {end}, "
        "{direction} {pct}",
    ))
    return sentence(
        template, **parts, verb="lost" if falling else "added", direction=up_down(cap.change_pct),
        moved="fell" if falling else "rose", erasing="erasing" if falling else "adding",
        wiped="wiped" if falling else "added", off="off" if falling else "to",
        leaving="leaving" if falling else "lifting",
    )


def _lead_sentence(desk: MarketDesk) -> Sentence:
    lead, second = desk.lead, desk.second
    if second is None:
        return sentence("{lead} {moved}", lead=desk.names(lead), moved=desk.moved_to(lead))
    same_way = (desk.move(lead).change_pct < 0) == (desk.move(second).change_pct < 0)
    link = "while" if same_way else "whereas"
    return sentence("{lead} {moved}, {link} {second} {moved2}", lead=desk.names(lead), moved=desk.moved_to(lead),
                    link=link, second=desk.names(second), moved2=desk.moved_to(second))


def breadth_sentence(desk: MarketDesk) -> Sentence | None:
    b = desk.facts.breadth
    if b.total < 2:
        return None
    parts = dict(fell=desk.f.count("breadth.fell"), rose=desk.f.count("breadth.rose"), total=desk.f.count("breadth.total"),
                 coins=Fragment(desk.coins))
    if b.fell == b.total:
        return sentence("All {total} {coins} fell", **parts)
    if b.rose == b.total:
        return sentence("All {total} {coins} rose", **parts)
    if b.rose == 1 and b.fell == b.total - 1:
        only = desk.facts.leaders[0]
        return sentence("Of the {total} {coins}, {fell} fell; {only} was the only one to gain, {moved}",
                        **parts, only=desk.names(only), moved=desk.up_down(only))
    if b.fell == 1 and b.rose == b.total - 1:
        only = desk.facts.laggards[0]
        return sentence("Of the {total} {coins}, {rose} rose; only {only} declined, {moved}",
                        **parts, only=desk.names(only), moved=desk.up_down(only))
    if b.fell > b.rose:
        return sentence("Decliners outnumbered gainers {fell} to {rose} among the {total} {coins}", **parts)
    if b.rose > b.fell:
        return sentence("Gainers outnumbered decliners {rose} to {fell} among the {total} {coins}", **parts)
    return sentence("Gainers and decliners were evenly split, {rose} each, among the {total} {coins}", **parts)


def _fear_greed_sentence(desk: MarketDesk) -> Sentence | None:
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    if fg.change is None or reads_equal(fg.change, places=0):
        return sentence("The Crypto Fear & Greed Index ended the week at {value} ({label})", **parts)
    return sentence(
        "The Crypto Fear & Greed Index ended the week at {value} ({label}), {direction} from {base} a week earlier",
        **parts, direction=Fragment("down" if fg.change < 0 else "up", ("fear_greed.change",)),
        base=desk.f.index("fear_greed.base_value"),
    )


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    a = subject(desk)
    first = sentence("{name} {moved} in {week}", name=desk.names(a), moved=desk.moved_to(a), week=desk.week_to())
    return section("overview", "Overview", paragraph(first, standout_sentence(desk), against(desk), _rank_sentence(desk),
                                                     _place_sentence(desk)))


def against(desk: AssetDesk) -> Sentence:
    """The move set against bitcoin's (or, for bitcoin, the market's)."""
    a, rel, btc = subject(desk), desk.facts.relative, btc_comparison(desk)
    if btc is not None:
        if abs(btc.vs_btc_pp) < desk.facts.method.unchanged_pct:
            return sentence("Bitcoin {moved} over the same days, so {name} kept pace with the largest cryptocurrency",
                            moved=desk.moved(BTC), name=desk.names.plain(a))
        return sentence(
            "Over the same days bitcoin {moved} and {market} {market_move}, so {name} did {word} than bitcoin by "
            "{gap} percentage points, {ratio}",
            moved=desk.moved(BTC, varied=False), market=market_name(desk), market_move=desk.direction("relative.market_pct", rel.market_pct, "rose", "fell", "was flat"),
            name=desk.names.plain(a),
            word=gap_words(btc.vs_btc_pp), gap=desk.f.points("relative.vs_btc_pp"), ratio=since_bitcoin(desk, btc),
        )
    return sentence(
        "Over the same days {market} {market_move}, so {name} did {word} than the market by {gap} percentage points",
        market=market_name(desk), market_move=desk.direction("relative.market_pct", rel.market_pct, "rose", "fell", "was flat"),
        name=desk.names.plain(a), word=gap_words(rel.vs_market_pp), gap=desk.f.points("relative.vs_market_pp"),
    )


def _rank_sentence(desk: AssetDesk) -> Sentence | None:
    if desk.facts.standing.rank is None:
        return None
    return sentence("On {end} it ranked {rank}", rank=rank_clause(desk), end=desk.f.day("week.end"))


def _place_sentence(desk: AssetDesk) -> Sentence | None:
    s = desk.facts.standing
    if s.of < 3:
        return None
    among = "largest coins tracked" if s.in_universe else "largest coins tracked, itself included"
    if s.place == 1:
        return sentence("Its weekly change was the best of the {of} {among}", of=desk.f.count("standing.of"), among=among)
    if s.place == s.of:
        return sentence("Its weekly change was the worst of the {of} {among}", of=desk.f.count("standing.of"), among=among)
    return sentence("By weekly change it placed No. {place} of the {of} {among}", place=desk.f.count("standing.place"),
                    of=desk.f.count("standing.of"), among=among)
