"""What happened: the week day by day, for the market (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.figures import figure
from reports.story.front import notable_level, since_phrase
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Paragraph, Section
from reports.story.wording import gain_loss, is_flat, possessive, relation_to_lead
from reports.story.sections.blocks import all_flat, paragraph
from reports.story.asset_view import CLOSE_LINK, btc_comparison, gap_words, section, subject
from reports.story.asset_figures import relative_figure, week_figure
from reports.story.week_days import week_in_days


LARGE_CAPS = 3  # large caps named after bitcoin and ether in "What happened"


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    blocks = [_lead_paragraph(desk), figure(desk, "price-path"), _large_caps_paragraph(desk), _movers_paragraph(desk)]
    return Section("what-happened", "What Happened", tuple(block for block in blocks if block is not None))


def _lead_paragraph(desk: MarketDesk) -> Paragraph:
    lead = desk.lead
    return paragraph(opening_sentence(desk, lead), *week_in_days(desk, lead), _level_sentence(desk, lead))


def opening_sentence(desk: MarketDesk | AssetDesk, asset: str) -> Sentence:
    """The week from its first close to its last, with its up and down days when they tell something: a week that
    went one way on every day, or on all days but one, says so; a mixed week's day count is left out."""
    k, move = f"assets.{asset}", desk.move(asset)
    falling = move.down_days >= move.up_days
    parts: dict[str, Fragment | str] = dict(
        name=desk.names(asset), base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
        close=desk.f.price(f"{k}.close"), end_day=desk.f.day("week.end"),
        moved=Fragment("a ") + desk.f.pct(f"{k}.change_pct", absolute=True) + " " + gain_loss(move.change_pct)
        if not is_flat(move.change_pct) else Fragment("little changed"),
        direction="fell" if falling else "rose",
        count=desk.f.cardinal(f"{k}.down_days" if falling else f"{k}.up_days"),
        total=desk.f.cardinal(f"{k}.daily_changes"))
    majority = max(move.down_days, move.up_days)
    if move.daily_changes > 2 and majority == move.daily_changes:
        return sentence("{name} {direction} on every one of the {total} days, from {base} on {base_day} to {close} on "
                        "{end_day}, {moved}", **parts)
    if move.daily_changes > 2 and majority == move.daily_changes - 1:
        return sentence("{name} {direction} on {count} of the {total} days, going from {base} on {base_day} to {close} on "
                        "{end_day}, {moved}", **parts)
    return sentence(OPENINGS[_shape(desk, asset)], **parts)


# The opening of a mixed week, worded by its shape (the order of its highest and lowest close, and whether it ended on
# one of them), which the next sentence tells in days.
OPENINGS = {
    "ended-low": "{name} went from {base} on {base_day} to {close} on {end_day}, {moved}",
    "ended-high": "{name} went from {base} on {base_day} to {close} on {end_day}, {moved}",
    "peak-first": "{name} started the week at {base} on {base_day} and ended it at {close} on {end_day}, {moved}",
    "bottom-first": "{name} opened the week at {base} on {base_day} and closed it at {close} on {end_day}, {moved}",
}


def _shape(desk: MarketDesk | AssetDesk, asset: str) -> str:
    move = desk.move(asset)
    if move.low_day == desk.facts.week.end:
        return "ended-low"
    if move.high_day == desk.facts.week.end:
        return "ended-high"
    return "peak-first" if move.high_day < move.low_day else "bottom-first"


def _level_sentence(desk: MarketDesk, asset: str) -> Sentence | None:
    """The week's extreme close on the longest history, when it reaches back far enough to matter."""
    falling = desk.move(asset).change_pct < 0
    side = "low" if falling else "high"
    key = notable_level(desk, asset, side)
    if key is None:
        return None
    return sentence("{name}'s {day} close of {value} was its {extreme} close {since}", name=desk.names.plain(asset),
                    value=desk.f.price(f"{key}.value"), day=desk.f.day(f"{key}.day"),
                    extreme="lowest" if falling else "highest", since=since_phrase(desk, key, precise=True))


def _large_caps(desk: MarketDesk) -> tuple[str | None, list[str]]:
    """The second coin and the other large caps What Happened names after the lead."""
    second = desk.second
    return second, list(desk.others(LARGE_CAPS, skip=(desk.lead, second) if second else (desk.lead,)))


def _large_caps_paragraph(desk: MarketDesk) -> Paragraph | None:
    second, others = _large_caps(desk)
    if not others and second is None:
        return None
    lead_sentence = None
    if second is not None:
        k = f"assets.{second}"
        lead_sentence = sentence(
            "{name} {moved}, from {base} to {close}, over the same seven days, {relation}",
            name=desk.names(second), moved=desk.moved(second), base=desk.f.price(f"{k}.base_close"),
            close=desk.f.price(f"{k}.close"),
            relation=desk.relation(second),
        )
    biggest_first = sorted(others, key=lambda asset: -abs(desk.move(asset).change_pct))  # the largest move leads
    rest = sentence("Among the other large caps, {moves}", moves=desk.named_moves(biggest_first)) if others else None
    level = _level_sentence(desk, second) if second else None
    return paragraph(lead_sentence, level, rest)


def _movers_paragraph(desk: MarketDesk) -> Paragraph | None:
    facts = desk.facts
    if len(facts.assets) < 4 or all_flat(desk):
        return None
    best, *next_best = facts.leaders
    worst, *next_worst = facts.laggards
    # "ahead of" / "followed by" only for coins whose printed change is clearly behind the extreme one
    shown = {move.id: round(move.change_pct, 1) for move in facts.assets}
    # and, after a coin that moved one way, only coins that moved the same way ("fared worst, down 0.1%, followed
    # by LEO Token (+0.4%)" would call a rise among the worst)
    next_best = [asset for asset in next_best if shown[asset] < shown[best] and (shown[asset] > 0) == (shown[best] > 0)]
    next_worst = [asset for asset in next_worst if shown[asset] > shown[worst] and (shown[asset] < 0) == (shown[worst] < 0)]
    # a coin whose week What Happened has already told (the lead, the large caps) is named without its figure again
    second, others = _large_caps(desk)
    told = {desk.lead, *([second] if second else []), *others}
    next_best = [asset for asset in next_best if asset not in told]
    next_worst = [asset for asset in next_worst if asset not in told]
    among = Fragment("Among the ") + desk.f.count("breadth.total") + " " + desk.coins + ", " if facts.breadth.left_out else Fragment("")
    # a best performer that fell "fell the least"; a worst that rose "rose the least"
    top = sentence(
        "{among}{best} fell the least{moved}{rest}" if shown[best] < 0 else "{among}{best} was the week's best performer{moved}{rest}",
        among=among, best=desk.names(best), moved=_moved_once(desk, best, told, shown[best] < 0),
        rest=Fragment(", ahead of ") + desk.signed_list(next_best) if next_best else Fragment(""),
    )
    bottom = sentence(
        "{worst} rose the least{moved}{rest}" if shown[worst] > 0 else "{worst} fared worst{moved}{rest}",
        worst=desk.names(worst), moved=_moved_once(desk, worst, told, shown[worst] > 0),
        rest=Fragment(", followed by ") + desk.signed_list(next_worst) if next_worst else Fragment(""),
    )
    return paragraph(top, bottom)


def _moved_once(desk: MarketDesk, asset: str, told: set[str], unsigned: bool) -> Fragment:
    """ ", down 6.8%" (or the bare ", 6.8%" after "fell the least"), or nothing for a coin whose week What Happened
    has already told above: its figure is not told a third time."""
    if asset in told:
        return Fragment("")
    return Fragment(", ") + (desk.f.pct(f"assets.{asset}.change_pct", absolute=True) if unsigned else desk.up_down(asset))


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    return section("what-happened", "What Happened", _week_paragraph(desk), week_figure(desk), _bitcoin_paragraph(desk),
                    relative_figure(desk))


def _week_paragraph(desk: AssetDesk) -> Paragraph:
    a = subject(desk)
    return paragraph(opening_sentence(desk, a), *week_in_days(desk, a), _asset_level_sentence(desk))


def _asset_level_sentence(desk: AssetDesk) -> Sentence | None:
    a = subject(desk)
    falling = desk.facts.subject.change_pct < 0
    key = notable_level(desk, a, "low" if falling else "high")
    if key is None or is_flat(desk.facts.subject.change_pct):
        return None
    return sentence(
        "{name}'s {day} close of {value} was its {extreme} close {since}",
        name=desk.names.plain(a), day=desk.f.day(f"{key}.day"), value=desk.f.price(f"{key}.value"),
        extreme="lowest" if falling else "highest", since=since_phrase(desk, key, precise=True),
    )


def _bitcoin_paragraph(desk: AssetDesk) -> Paragraph:
    a, btc = subject(desk), btc_comparison(desk)
    if btc is None:
        return paragraph(_market_sentence(desk), median_sentence(desk))
    relation = relation_to_lead(desk.facts.subject.change_pct, btc.btc_pct, "bitcoin")
    first = sentence("Bitcoin {moved} over the same seven days, from {base} to {close}, leaving {name} {relation}",
                     moved=desk.moved(BTC), base=desk.f.price(f"assets.{BTC}.base_close"), close=desk.f.price(f"assets.{BTC}.close"),
                     name=desk.names.plain(a), relation=relation)
    ratio = sentence("Priced in bitcoin, {name} {moved}", name=desk.names.plain(a),
                     moved=Fragment("rose " if btc.vs_btc_ratio_pct > 0 else "fell ") + desk.f.pct("relative.vs_btc_ratio_pct", absolute=True))
    return paragraph(first, ratio, _market_sentence(desk), link_sentence(desk))


def _market_sentence(desk: AssetDesk) -> Sentence | None:
    cap = desk.facts.market_cap
    if cap is None:
        return None
    if is_flat(cap.change_pct):
        return sentence("Total crypto market value was little changed, at {end}", end=desk.f.money("market_cap.end_usd"))
    return sentence("Total crypto market value {verb} {amount}, or {pct}, to {end}",
                    verb="lost" if cap.change_usd < 0 else "added", amount=desk.f.money("market_cap.change_usd", absolute=True),
                    pct=desk.f.pct("market_cap.change_pct", absolute=True), end=desk.f.money("market_cap.end_usd"))


def median_sentence(desk: AssetDesk) -> Sentence | None:
    if desk.facts.breadth.total < 3 or not desk.facts.subject.compared:
        return None  # the median is of the coins on the brief's basis: a coin on another is not set against it
    return sentence("The median move among the {total} largest coins was {median}, so {name} did {word} than the typical coin by "
                    "{gap} percentage points", total=desk.f.count("breadth.total"), median=desk.f.pct("breadth.median_pct", sign=True),
                    name=desk.names.plain(subject(desk)), word=gap_words(desk.facts.relative.vs_median_pp),
                    gap=desk.f.points("relative.vs_median_pp"))


def link_sentence(desk: AssetDesk) -> Sentence | None:
    link = desk.facts.btc_link
    if link is None:
        return None
    how = "closely" if link.correlation >= CLOSE_LINK else "loosely"
    return sentence(
        "Over the past {days} days {name}'s daily moves have tracked bitcoin's {how} (correlation {corr}), with a beta of {beta}: "
        "the slope of its daily returns against bitcoin's", days=desk.f.count("btc_link.days"), how=how, name=desk.names.plain(subject(desk)), corr=desk.f.decimal("btc_link.correlation"),
        beta=desk.f.decimal("btc_link.beta"))
