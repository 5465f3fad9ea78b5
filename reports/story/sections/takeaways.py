"""Key takeaways: the week in bullets, for the market (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from collections.abc import Callable

from reports.story import context
from reports.facts.model import Altcoins, FearGreed
from reports.story.desk import AssetDesk, MarketDesk
from reports.story.front import NOTABLE_LEVEL_DAYS, notable_level, since_phrase
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Section
from reports.story.wording import is_flat, reads_equal
from reports.story.sections.blocks import all_flat, bullets
from reports.story.asset_view import btc_comparison, market_name, rank_clause, section, since_bitcoin, subject


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    lead, second = desk.lead, desk.second
    level = notable_level(desk, lead, "low" if desk.move(lead).change_pct < 0 else "high")
    first = sentence("{lead} {moved} over the week", lead=desk.names.plain(lead), moved=desk.moved_to(lead))
    if level is not None:
        first = sentence(
            "{lead} {moved}; its {day} close was its {extreme} close {since}",
            lead=desk.names.plain(lead), moved=desk.moved_to(lead), day=desk.f.day(f"{level}.day"),
            extreme="lowest" if desk.move(lead).change_pct < 0 else "highest", since=since_phrase(desk, level, precise=True),
        )
    items = [first, context.rank_takeaway(desk)]
    if second is not None:
        items.append(sentence("{name} {moved}, {relation}", name=desk.names.plain(second), moved=desk.moved_to(second),
                              relation=desk.relation(second)))
    if desk.facts.altcoins is not None:
        items.append(_altcoin_takeaway(desk, desk.facts.altcoins))
    if desk.facts.market_cap is not None and is_flat(desk.facts.market_cap.change_pct):
        items.append(sentence("Total market value was little changed at {end} ({pct})",
                              end=desk.f.money("market_cap.end_usd"), pct=desk.f.pct("market_cap.change_pct", sign=True)))
    elif desk.facts.market_cap is not None:
        items.append(sentence(
            "Total market value {verb} {amount} ({pct}) to {end}{breadth}",
            verb="fell" if desk.facts.market_cap.change_usd < 0 else "rose",
            amount=desk.f.money("market_cap.change_usd", absolute=True),
            pct=desk.f.pct("market_cap.change_pct", sign=True), end=desk.f.money("market_cap.end_usd"),
            breadth=_breadth_words(desk, desk.facts.market_cap.change_usd < 0),
        ))
    if len(desk.facts.assets) > 1 and not all_flat(desk):
        best, worst = desk.facts.leaders[0], desk.facts.laggards[0]
        items.append(sentence("Best performer: {best}; worst: {worst}",
                              best=desk.signed_list([best]), worst=desk.signed_list([worst])))
    if desk.facts.fear_greed is not None:
        items.append(_fear_greed_takeaway(desk, desk.facts.fear_greed))
    return Section("key-takeaways", "Key Takeaways", (bullets(*items),))


# How many altcoins beat bitcoin, in words, by share: the first band whose test passes words the clause, and a
# one-sided count (none, all) opens the bullet, since it is the news; "{count}" may be the word itself ("not one").
BEAT_BANDS: tuple[tuple[Callable[[int, int], bool], bool, str], ...] = (
    (lambda beat, total: beat == 0, True, "not one of the {total} altcoins beat bitcoin"),
    (lambda beat, total: beat == total, True, "every one of the {total} altcoins beat bitcoin"),
    (lambda beat, total: beat * 4 <= total, False, "only {count} of {total} altcoins beat bitcoin"),
    (lambda beat, total: beat * 4 >= total * 3, False, "most altcoins beat bitcoin, {count} of {total}"),
    (lambda beat, total: True, False, "{count} of {total} altcoins beat bitcoin"),
)


def _breadth_words(desk: MarketDesk, falling: bool) -> Fragment:
    """How widely the market's move was shared, in words (the Overview gives the count): ", with every coin lower",
    ", though most coins rose". Citing the count it rests on; nothing when the coins were split."""
    b = desk.facts.breadth
    if b.total < 4:
        return Fragment("")
    same, other = (b.fell, b.rose) if falling else (b.rose, b.fell)
    way = "lower" if falling else "higher"
    cite = ("breadth.fell", "breadth.rose")
    if same == b.total:  # every coin the breadth counts: those with daily closes when the table holds others too
        return Fragment(f"; every coin {desk.counted('in the table')} " + ("fell" if falling else "rose"), cite)
    if same * 4 >= b.total * 3:
        return Fragment(f", with most coins {way}", cite)
    if other * 2 > b.total:
        return Fragment(", though most coins " + ("rose" if falling else "fell"), cite)
    return Fragment("")


def _altcoin_takeaway(desk: MarketDesk, alts: Altcoins) -> Sentence:
    """The altcoins against bitcoin, opened by what stands out: a one-sided count first, else the median's gap."""
    compare = "trailing" if alts.median_pct < alts.btc_pct else "ahead of"
    if reads_equal(alts.median_pct, alts.btc_pct):
        compare = "level with"
    opens, count = next((opens, words) for test, opens, words in BEAT_BANDS if test(alts.outperformed, alts.count))
    parts: dict[str, Fragment | str] = dict(
        median=desk.f.pct("altcoins.median_pct", sign=True), compare=compare, btc=desk.f.pct("altcoins.btc_pct", sign=True),
        count=desk.f.count("altcoins.outperformed"), total=desk.f.count("altcoins.count"),
        said=Fragment("", ("altcoins.outperformed",)))  # "not one", "every one": the count is in the words
    if opens:
        return sentence(count[0].upper() + count[1:] + "{said}; the median altcoin returned {median}, {compare} bitcoin's {btc}",
                        **parts)
    return sentence("The median altcoin returned {median}, {compare} bitcoin's {btc}; " + count, **parts)


def _fear_greed_takeaway(desk: MarketDesk, fg: FearGreed) -> Sentence | None:
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    falling = fg.change is not None and fg.change < 0
    since_key = "fear_greed.low_since" if falling else "fear_greed.high_since"
    extreme_value = fg.week_low if falling else fg.week_high
    since = desk.f.table.get(since_key)
    if reads_equal(fg.value, extreme_value, places=0) and since is not None and (fg.day - since).days >= NOTABLE_LEVEL_DAYS:
        period_key = f"{since_key}_period"
        period = Fragment(", during ") + desk.f.cite(period_key, str) if period_key in desk.f else Fragment("")
        return sentence("Crypto Fear & Greed Index: {value} ({label}), its {extreme} reading since {since}{period}",
                        **parts, extreme="lowest" if falling else "highest", since=desk.f.month(since_key), period=period)
    return None  # an ordinary reading: the Overview tells it, a bullet would only repeat it


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    a = subject(desk)
    change = desk.facts.subject.change_pct
    level = notable_level(desk, a, "low" if change < 0 else "high")
    first = sentence("{name} {moved} over the week", name=desk.names.plain(a), moved=desk.moved_to(a))
    if level is not None and not is_flat(change):
        first = sentence("{name} {moved}; its {day} close was its {extreme} close {since}", name=desk.names.plain(a),
                         moved=desk.moved_to(a), extreme="lowest" if change < 0 else "highest", day=desk.f.day(f"{level}.day"),
                         since=since_phrase(desk, level, precise=True))
    rel, btc = desk.facts.relative, btc_comparison(desk)
    items = [first]
    if btc is not None:
        items.append(sentence("Against bitcoin ({btc}): {gap} percentage points {word}, {ratio}",
                              btc=desk.f.pct("relative.btc_pct", sign=True), gap=desk.f.points("relative.vs_btc_pp"),
                              word="ahead" if btc.vs_btc_pp > 0 else "behind", ratio=since_bitcoin(desk, btc)))
    items.append(sentence("Against the market: {market} {market_pct}, the median of the {total} largest coins {median}",
                          market=market_name(desk) if rel.market == "market_cap" else Fragment("the market"),
                          market_pct=desk.f.pct("relative.market_pct", sign=True),
                          total=desk.f.count("breadth.total"), median=desk.f.pct("breadth.median_pct", sign=True)))
    if desk.facts.standing.rank is not None:
        items.append(sentence("Market-cap rank: {rank}", rank=rank_clause(desk)))
    if desk.facts.dominance:
        items.append(_share_takeaway(desk))
    if desk.facts.drawdown is not None and desk.facts.recovery is not None:
        items.append(sentence("From the top: {dd} below its highest close of {peak} ({day})",
                              dd=desk.f.pct("drawdown.drawdown_pct", absolute=True), peak=desk.f.price("drawdown.peak"),
                              day=desk.f.date("drawdown.peak_day")))
    return section("key-takeaways", "Key Takeaways", bullets(*items))


def _share_takeaway(desk: AssetDesk) -> Sentence:
    """ "Share of total crypto market value: 57.0%, up 0.3 points on the week" """
    k = f"dominance.{subject(desk)}"
    change = desk.facts.dominance[0].change_pp
    if reads_equal(change):
        return sentence("Share of total crypto market value: {end}, unchanged on the week", end=desk.f.pct(f"{k}.end_pct"))
    return sentence("Share of total crypto market value: {end}, {direction} {pp} points on the week", end=desk.f.pct(f"{k}.end_pct"),
                    direction="up" if change > 0 else "down", pp=desk.f.points(f"{k}.change_pp"))


def share_sentence(desk: AssetDesk, label: str) -> Sentence:
    a = subject(desk)
    dom = desk.facts.dominance[0]
    k = f"dominance.{a}"
    parts: dict[str, Fragment | str] = dict(label=label, name=desk.names.plain(a), end=desk.f.pct(f"{k}.end_pct"))
    cap = Fragment("")
    if desk.facts.subject.market_cap_usd is not None:
        cap = Fragment(", a market value of ") + desk.f.money(f"assets.{a}.market_cap_usd")
    if reads_equal(dom.change_pp):
        return sentence("{label}: {name} held {end} of total crypto market value{cap}", **parts, cap=cap)
    return sentence("{label}: {name} ended the week with {end} of total crypto market value{cap}, {direction} {pp} points",
                    **parts, cap=cap, direction="up" if dom.change_pp > 0 else "down", pp=desk.f.points(f"{k}.change_pp"))
