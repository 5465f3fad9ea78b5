"""The brief's front: headline, one-sentence description, dateline, sentiment label and tags."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from reports.data.catalog import symbol_problem, tag
from reports.facts.model import AssetMove
from reports.story import context
from reports.story.desk import Desk, F, MarketDesk
from reports.story.prose import Fragment, Sentence, phrase, sentence
from reports.story.wording import is_flat, part_of_month, week_shape

NOTABLE_LEVEL_DAYS = 90  # "lowest since ..." makes the headline only when it reaches this far back


def sentiment(desk: MarketDesk) -> str:
    """POSITIVE / NEGATIVE when the market-wide move passes the threshold either way, else NEUTRAL."""
    threshold = desk.facts.method.sentiment_threshold_pct
    if desk.market_change >= threshold:
        return "POSITIVE"
    if desk.market_change <= -threshold:
        return "NEGATIVE"
    return "NEUTRAL"


def notable_level(desk: Desk[F], asset: str, side: str) -> str | None:
    """The key of a "lowest/highest since" fact worth a headline, if the week set one."""
    level = next((lv for lv in desk.facts.levels if lv.asset == asset and lv.side == side), None)
    if level is None:
        return None
    reach = level.day - (level.since or level.history_start)
    if reach >= timedelta(days=NOTABLE_LEVEL_DAYS):
        return f"levels.{asset}.{side}"
    return None


def since_phrase(desk: Desk[F], key: str, precise: bool = False) -> Fragment:
    """ "since October 2024" ("since mid-October 2024" when precise), or "in data going back to
    September 2024" when nothing in the history went as far."""
    if desk.f.table.get(f"{key}.since") is None:
        return Fragment("in data going back to ") + desk.f.month(f"{key}.history_start")
    month = desk.f.month(f"{key}.since")
    if precise:
        month = Fragment(part_of_month(desk.f.value(f"{key}.since"))) + month
    return Fragment("since ") + month


def headline(desk: MarketDesk) -> Sentence:
    lead = desk.lead
    name = desk.names.plain(lead)
    change = desk.move(lead).change_pct
    moved = desk.moved(lead, present=True)
    side = "low" if change < 0 else "high"
    level = notable_level(desk, lead, side)
    if level and not is_flat(change):
        extreme = "lowest" if side == "low" else "highest"
        return phrase(
            "{name} {moved} in a week, with its {extreme} close {since}",
            name=name, moved=moved, extreme=extreme, since=since_phrase(desk, level),
        )
    if desk.facts.market_cap and not is_flat(desk.facts.market_cap.change_pct):
        verb = "adds" if desk.facts.market_cap.change_usd > 0 else "sheds"
        return phrase(
            "{name} {moved} as crypto market {verb} {amount}",
            name=name, moved=moved, verb=verb, amount=desk.f.money("market_cap.change_usd", absolute=True),
        )
    return phrase("{name} {moved} to {price} in {week}", name=name, moved=moved,
                  price=desk.f.price(f"assets.{lead}.close"), week=desk.week_to())


QUIET_PCT = 2.0  # a week when neither the market nor its lead moved this far either way is a quiet one
DIVERGENCE_PP = 2.0  # bitcoin and the median altcoin this far apart, in opposite directions, is a divergence


def lead_plan(desk: MarketDesk) -> str:
    """What the week's news is, which decides how the Overview and the dek open (chosen by the facts, never at
    random): "record" (the lead's most extreme week in a long while), "level" (its lowest or highest close in
    months), "driver" (a driver stood out against its own history), "divergence" (bitcoin and the rest of the
    market went opposite ways), "quiet" (little moved) or "broad" (the market's move is the story)."""
    lead = desk.move(desk.lead)
    if is_flat(lead.change_pct):
        return "quiet" if abs(desk.market_change) < QUIET_PCT else "broad"
    if context.rank(desk, desk.lead) is not None:
        return "record"
    if notable_level(desk, desk.lead, "low" if lead.change_pct < 0 else "high") is not None:
        return "level"
    if desk.facts.drivers is not None and desk.facts.drivers.largest is not None:
        return "driver"
    if diverging(desk):
        return "divergence"
    if abs(desk.market_change) < QUIET_PCT and abs(lead.change_pct) < QUIET_PCT:
        return "quiet"
    return "broad"


def diverging(desk: MarketDesk) -> bool:
    """Bitcoin and the rest went opposite ways: total market value (or the median altcoin) against the lead."""
    change = desk.move(desk.lead).change_pct
    cap, alts = desk.facts.market_cap, desk.facts.altcoins
    if cap is not None and not is_flat(cap.change_pct) and (cap.change_pct > 0) != (change > 0):
        return True
    return (alts is not None and not is_flat(alts.median_pct) and (alts.median_pct > 0) != (change > 0)
            and abs(alts.median_pct - change) >= DIVERGENCE_PP)


def level_clause(desk: MarketDesk) -> Fragment | None:
    """ "its lowest close since October 2024", when the week set a level worth a headline."""
    change = desk.move(desk.lead).change_pct
    side = "low" if change < 0 else "high"
    level = notable_level(desk, desk.lead, side)
    if level is None or is_flat(change):
        return None
    clause = Fragment("its " + ("lowest" if side == "low" else "highest") + " close ") + since_phrase(desk, level)
    if desk.f.value(f"{level}.day") != desk.facts.week.end:  # the extreme came before the week's last close: say when
        clause = clause + " on " + desk.f.day(f"{level}.day")
    return clause


def record_clause(desk: MarketDesk) -> Fragment:
    """ "its worst week in data going back to September 2024" (the lead's rank, when `lead_plan` is "record")."""
    found = context.rank(desk, desk.lead)
    assert found is not None
    return Fragment("its " + ("worst" if found.direction == "fall" else "best") + " week ") + since_phrase(
        desk, f"ranks.{desk.lead}", precise=True)


def breadth_clause(desk: MarketDesk) -> Fragment:
    """ "all 12 coins with daily closes fell", "11 of the 13 coins in the brief fell": the majority's way."""
    b = desk.facts.breadth
    falling = b.fell > b.rose or (b.fell == b.rose and desk.market_change < 0)
    count, key, way = (b.fell, "breadth.fell", "fell") if falling else (b.rose, "breadth.rose", "rose")
    if count == b.total:
        return Fragment("all ") + desk.f.count("breadth.total") + f" {desk.coins} {way}"
    return desk.f.count(key) + " of the " + desk.f.count("breadth.total") + f" {desk.coins} {way}"


def description(desk: MarketDesk) -> Sentence:
    """The dek and the archive teaser: what matters most this week first (`lead_plan`), so that the archive does
    not open every entry with the same words; a small coin is never featured over bitcoin."""
    breadth = desk.facts.breadth
    if breadth.rose == breadth.fell == 0:
        return sentence("The {total} largest cryptocurrencies were little changed in {week}",
                        total=desk.f.count("breadth.total"), week=desk.week_to())
    lead = desk.lead
    price = desk.f.price(f"assets.{lead}.close")
    moved = desk.moved(lead, varied=False)
    parts: dict[str, Fragment | str] = dict(name=desk.names.plain(lead), moved=moved, week=desk.week_to(),
                                            to=moved + (" at " if is_flat(desk.move(lead).change_pct) else " to ") + price)
    if breadth.total == 1:
        return sentence("{name} {to} in {week}", **parts)
    plan = lead_plan(desk)
    parts["breadth"] = breadth_clause(desk)
    if plan == "record":
        return sentence("{name} {to} in {week}, {record}; {breadth}", **parts, record=record_clause(desk))
    if plan == "level":
        level = level_clause(desk)
        assert level is not None
        return sentence("{name} {to} in {week}, {level}; {breadth}", **parts, level=level)
    if plan == "driver":
        from reports.story.sections.drivers import standout_clause  # here: the sections import the front

        return sentence("{name} {to} in {week}, alongside {driver}", **parts, driver=standout_clause(desk))
    cap, alts = desk.facts.market_cap, desk.facts.altcoins
    if plan == "divergence" and cap is not None and (cap.change_pct > 0) != (desk.move(lead).change_pct > 0):
        return sentence("{name} {moved} in {week} even as total crypto market value {way}; {breadth}", **parts,
                        way=desk.direction("market_cap.change_pct", cap.change_pct, "rose", "fell"))
    if plan == "divergence" and alts is not None:
        return sentence("{name} {moved} in {week}, but the median altcoin went the other way ({median}); {breadth}",
                        **parts, median=desk.f.pct("altcoins.median_pct", sign=True))
    if desk.facts.fear_greed is None:
        return sentence("{name} {to} in {week}, and {breadth}", **parts)
    opening = "{week} was a quiet one: {name} {to}" if plan == "quiet" else "{name} {to} in {week}"
    return sentence(opening + ", {breadth} and the Crypto Fear & Greed Index ended at {fg} ({label})", **parts,
                    fg=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))


def dateline(desk: MarketDesk) -> Sentence:
    return phrase("Week ending {end}", end=desk.f.date("week.end"))


def tags(desk: MarketDesk) -> tuple[str, ...]:
    """Lower-case tags a site or CMS can file the brief under, each telling what the week was about:
    its shape ("rally", "sell-off"), the Fear & Greed label, and its biggest movers by name (never a
    bare ticker, never the same words every week)."""
    found = mood_tags(desk, desk.market_change)
    found += [name_tag(desk.move(asset)) for asset in (desk.facts.leaders[:2] + desk.facts.laggards[:2])]
    return tag_list(found)


def name_tag(asset: AssetMove) -> str:
    """An asset as a tag: its name when, lower-cased, it is a plain word or words ("Bitcoin",
    "Wrapped BTC"); else its id (validated where it entered), so markup in a name never makes a tag."""
    return asset.name if symbol_problem("-".join(asset.name.lower().split())) is None else asset.id


def mood_tags(desk: Desk[F], change_pct: float) -> list[str]:
    """The week's shape ("sell-off", "range-bound") and the Fear & Greed label, as texts to tag."""
    found = [week_shape(change_pct).replace(" week", "")]
    if desk.facts.fear_greed is not None:
        found.append(desk.facts.fear_greed.classification)
    return found


def tag_list(texts: Iterable[str]) -> tuple[str, ...]:
    """Tags from fixed labels and assets' plain names or ids (`name_tag`): each becomes a folder and
    an address of the site, so each goes through `catalog.tag`. Once each, in order."""
    return tuple(dict.fromkeys(found for found in map(tag, texts) if found))
