"""Overview: the week in one paragraph, for the market (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story import context
from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Section
from reports.story.levels import round_number_clause
from reports.story.front import breadth_clause, lead_plan, level_clause, record_clause, since_phrase
from reports.story.wording import is_flat, possessive, reads_equal, up_down, week_shape
from reports.story.sections.blocks import paragraph
from reports.story.sections.drivers import standout_clause, standout_sentence
from reports.story.asset_view import btc_comparison, gap_words, market_name, rank_clause, section, since_bitcoin, subject


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    """The lead: the news in plain words, opened by what is notable this week (`front.lead_plan`): a record week,
    a level not seen in months, a driver that stood out, bitcoin against the rest, a quiet week, or the market's
    move. Each fact is told once here; the method behind it is in Methodology & sources."""
    plan = lead_plan(desk)
    standout = _standout(desk) if plan != "driver" else None
    if plan == "broad" or (plan == "quiet" and desk.facts.market_cap is None):
        first = paragraph(_market_sentence(desk), _lead_sentence(desk), _round_sentence(desk),
                          _breadth(desk, plan), _fear_greed_sentence(desk, plan))
        second = [standout, *context.streak_sentences(desk)]
    elif plan == "quiet":
        first = paragraph(_opening(desk, plan), _second_sentence(desk), _breadth(desk, plan))
        second = [_fear_greed_sentence(desk, plan), standout, *context.streak_sentences(desk)]
    elif plan == "divergence":
        first = paragraph(_opening(desk, plan), _breadth(desk, plan), _second_sentence(desk))
        second = [_fear_greed_sentence(desk, plan), *context.streak_sentences(desk)]
    elif plan == "driver":
        first = paragraph(_opening(desk, plan), _second_sentence(desk), _cap_sentence(desk, plan))
        second = [_breadth(desk, plan), *context.streak_sentences(desk), _fear_greed_sentence(desk, plan)]
    else:
        first = paragraph(_opening(desk, plan), _within_sentence(desk), _round_sentence(desk),
                          _cap_sentence(desk, plan), _second_sentence(desk), standout)
        second = [_breadth(desk, plan), _fear_greed_sentence(desk, plan), *context.streak_sentences(desk)]
    rest = paragraph(*second)
    return Section("overview", "Overview", (first, rest) if rest.sentences else (first,))


def _opening(desk: MarketDesk, plan: str) -> Sentence:
    """The lead asset first: "Bitcoin (BTC) plunged 16.2% to $70,580 in the week to Feb 6, its worst week ..."."""
    lead = desk.lead
    flat = is_flat(desk.move(lead).change_pct)  # "held steady at $90,395", not "held steady to"
    moved = desk.moved(lead) + " at " + desk.f.price(f"assets.{lead}.close") if flat else desk.moved_to(lead)
    parts: dict[str, Fragment | str] = dict(name=desk.names(lead), moved=moved, week=desk.week_to())
    if plan == "record":
        level = level_clause(desk)
        return sentence("{name} {moved} in {week}, {record}{level}", **parts, record=record_clause(desk),
                        level=Fragment(", with ") + level if level is not None else Fragment(""))
    if plan == "level":
        level = level_clause(desk)
        assert level is not None
        return sentence("{name} {moved} in {week}, {level}", **parts, level=level)
    if plan == "driver":
        return sentence("{name} {moved} in {week}, a move that coincided with {driver}, large against that driver's own "
                        "history", **parts, driver=standout_clause(desk))
    cap = desk.facts.market_cap
    if plan == "divergence" and cap is not None and (cap.change_pct > 0) != (desk.move(lead).change_pct > 0):
        return sentence("{name} {moved} in {week}, even as total crypto market value {way} to {end}", **parts,
                        way=desk.direction("market_cap.change_pct", cap.change_pct, "rose", "fell"),
                        end=desk.f.money("market_cap.end_usd"))
    if plan == "quiet" and cap is not None:
        return sentence("{week} was a quiet one for crypto: {name} {moved}, and total market value {way}, at {end}", **parts,
                        way=desk.direction("market_cap.change_pct", cap.change_pct, "rose", "fell", "was little changed"),
                        end=desk.f.money("market_cap.end_usd"))
    if plan == "divergence" and desk.facts.altcoins is not None:
        return sentence("{name} {moved} in {week}, while the median altcoin went the other way, {median}", **parts,
                        median=desk.direction("altcoins.median_pct", desk.facts.altcoins.median_pct))
    return sentence("{name} {moved} in {week}", **parts)


def _round_sentence(desk: MarketDesk) -> Sentence | None:
    """The round number the lead's week went through, the level readers watch: "On the way down, bitcoin closed
    below $80,000 and touched $60,000 on Feb 6 without a close below it"."""
    clause = round_number_clause(desk, desk.lead)
    change = desk.move(desk.lead).change_pct
    if clause is None or is_flat(change):
        return None
    return sentence("On the way {way}, {clause}", way="down" if change < 0 else "up", clause=clause)


def _standout(desk: MarketDesk) -> Sentence | None:
    """The driver that stood out, after the move has been told (the drivers section's words, or a shorter pair)."""
    found = standout_sentence(desk)
    if found is None or desk.vary.pick((True, False)):
        return found
    return sentence("Beside it stood {driver}, a large move for that driver", driver=standout_clause(desk))


def _within_sentence(desk: MarketDesk) -> Sentence | None:
    """ "At its worst, in the seven days to Feb 5, it was down 25.7%": the deeper window inside a record week, said
    plainly."""
    found = context.rank(desk, desk.lead)
    if found is None or found.within is None or found.unit != "pct":
        return None
    key = f"ranks.{desk.lead}"
    return sentence("At its {extreme}, in the seven days to {day}, it was {way} {pct}",
                    extreme="worst" if found.direction == "fall" else "best", day=desk.f.day(f"{key}.within"),
                    way="down" if found.direction == "fall" else "up", pct=desk.f.pct(f"{key}.within_change_pct", absolute=True))


def _cap_sentence(desk: MarketDesk, plan: str) -> Sentence | None:
    """Total market value after the lead has been told: its move once, with its rank when the week was a record."""
    cap = desk.facts.market_cap
    if cap is None:
        return None
    if is_flat(cap.change_pct):
        return sentence("Total crypto market value was little changed, at {end}", end=desk.f.money("market_cap.end_usd"))
    falling = cap.change_usd < 0
    found = context.rank(desk, "market")
    parts: dict[str, Fragment | str] = dict(way=desk.direction("market_cap.change_pct", cap.change_pct, "rose", "fell"),
                                            end=desk.f.money("market_cap.end_usd"),
                                            amount=desk.f.money("market_cap.change_usd", absolute=True))
    if found is None or found.unit != "usd":
        template = {  # worded by what the lead told first, so that neighbouring weeks read differently
            "level": "Total crypto market value {way} to {end}, {verb} {amount}",
            "driver": "Across the market, {amount} of value was {done}, leaving the total at {end}, {updown}",
        }.get(plan, "The market as a whole {lost} {amount}, ending the week at {end}")
        btc = desk.facts.asset(BTC)
        compare = Fragment("")
        if btc is not None and desk.lead == BTC and (btc.change_pct > 0) == (cap.change_pct > 0) and not is_flat(btc.change_pct) \
                and not reads_equal(cap.change_pct, btc.change_pct):
            size = ("bigger" if falling is False else "steeper") if abs(cap.change_pct) > abs(btc.change_pct) else "smaller"
            compare = Fragment(f", a {size} {'fall' if falling else 'gain'} than bitcoin's", ("assets.bitcoin.change_pct",))
        template += "{compare}"
        return sentence(template, **parts, compare=compare, verb="a loss of" if falling else "a gain of", done="lost" if falling else "added",
                        lost="lost" if falling else "gained",
                        updown=desk.direction("market_cap.change_pct", cap.change_pct))
    return sentence("Total crypto market value {way} to {end}; the {amount} {drop} was the largest one-week {kind} in "
                    "{provider} global data {since}", **parts, kind="loss" if falling else "gain",
                    drop="drop" if falling else "rise", since=since_phrase(desk, "ranks.market", True),
                    provider=possessive(desk.f.cite(f"sources.{found.series}.provider", str)))


def _second_sentence(desk: MarketDesk) -> Sentence | None:
    """Ether after bitcoin has been told: "Ether (ETH) crashed 23.8% to $2,063, falling further than bitcoin"."""
    second = desk.second
    if second is None:
        return None
    return sentence("{name} {moved}, {relation}", name=desk.names(second), moved=desk.moved_to(second),
                    relation=desk.relation(second))


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
        "The crypto market {verb} {amount} of value in {week}, {a} {shape} that took total capitalisation {direction} {pct} "
        "to {end}",
        "Total crypto market capitalisation {moved} {pct} to {end} in {week}, {erasing} {amount} in {a} {shape}",
        "{a} {shape} {wiped} {amount} {off} the crypto market in {week}, {leaving} total capitalisation at {end}, "
        "{direction} {pct}",
    ))
    return sentence(
        template, **parts, verb="lost" if falling else "added", a="an" if shape[0] in "aeiou" else "a", direction=up_down(cap.change_pct),
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


def _breadth(desk: MarketDesk, plan: str = "broad") -> Sentence | None:
    """How widely the move was shared, for the lead, worded by how broad it was; in a week when bitcoin and the
    market went opposite ways, by which way most coins went (which settles the seeming contradiction)."""
    b = desk.facts.breadth
    majority = max(b.rose, b.fell)
    if plan == "divergence" and b.total >= 2 and b.rose != b.fell and not is_flat(desk.move(desk.lead).change_pct):
        with_lead = (b.fell > b.rose) == (desk.move(desk.lead).change_pct < 0)
        # no citation: bitcoin's move is cited where the lead states it, and here "rose" belongs to the coins' count
        follow = Fragment("went " + desk.names.plain(desk.lead).text + "'s way" if with_lead else "did not follow it")
        return sentence("Most of the largest coins {follow}: {clause}", clause=breadth_clause(desk), follow=follow)
    if b.total < 2 or majority == b.total - 1 or majority * 4 < b.total * 3:
        return breadth_sentence(desk)  # one coin against the rest (named), or a split market
    if majority == b.total:
        return sentence("No coin bucked the move: {clause}", clause=breadth_clause(desk))
    return sentence("The {losses} were broad: {clause}", losses="losses" if b.fell > b.rose else "gains",
                    clause=breadth_clause(desk))


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


FEAR_GREED_BIG = 10  # index points in a week that make a big swing in sentiment
FEAR_GREED_SMALL = 3  # and below this it barely moved


def _fear_greed_sentence(desk: MarketDesk, plan: str = "broad") -> Sentence | None:
    """Sentiment, worded by what it did: changed label, swung, moved a little or held (chosen by the facts)."""
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    if fg.change is None or reads_equal(fg.change, places=0):
        return sentence("The Crypto Fear & Greed Index ended the week at {value} ({label})", **parts)
    parts["base"] = desk.f.index("fear_greed.base_value")
    size = abs(fg.change)
    if fg.base_classification is not None and fg.base_classification != fg.classification:
        return sentence("Sentiment moved from {was} to {label}: the Crypto Fear & Greed Index ended the week at {value}, "
                        "against {base} a week earlier", **parts, was=desk.f.cite("fear_greed.base_classification", str))
    falling = fg.change < 0
    if size >= FEAR_GREED_BIG:
        return sentence("The Crypto Fear & Greed Index {moved} to {value} from {base}, deep in {label}" if falling else
                        "The Crypto Fear & Greed Index {moved} to {value} from {base}, still in {label}", **parts,
                        moved=Fragment("sank" if falling else "jumped", ("fear_greed.change",)))
    if size < FEAR_GREED_SMALL:
        return sentence("Sentiment barely moved: the Crypto Fear & Greed Index ended the week at {value} ({label}), "
                        "against {base} a week earlier", **parts, moved=Fragment("", ("fear_greed.change",)))
    template = ("The Crypto Fear & Greed Index {direction} to {value}, staying in {label} (from {base})" if plan in
                ("record", "level", "driver") else
                "The Crypto Fear & Greed Index ended the week at {value} ({label}), {direction} from {base} a week earlier")
    return sentence(template, **parts, direction=Fragment(("slipped" if falling else "edged up") if "to {value}" in template
                                                          and "staying" in template else ("down" if falling else "up"),
                                                          ("fear_greed.change",)))


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
