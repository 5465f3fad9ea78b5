"""The brief's front: headline, one-sentence description, dateline, sentiment label and tags."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from reports.data.catalog import symbol_problem, tag
from reports.facts.model import AssetMove
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


def description(desk: MarketDesk) -> Sentence:
    breadth = desk.facts.breadth
    if breadth.rose == breadth.fell == 0:
        return sentence("The {total} largest cryptocurrencies were little changed in {week}",
                        total=desk.f.count("breadth.total"), week=desk.week_to())
    falling = breadth.fell > breadth.rose or (breadth.fell == breadth.rose and desk.market_change < 0)
    majority, majority_key, direction = (
        (breadth.fell, "breadth.fell", "fell") if falling else (breadth.rose, "breadth.rose", "rose")
    )
    extreme = desk.facts.laggards[0] if falling else desk.facts.leaders[0]
    parts: dict[str, Fragment | str] = dict(
        count=Fragment("all", (majority_key,)) if majority == breadth.total else desk.f.count(majority_key),
        total=desk.f.count("breadth.total"),
        direction=direction,
        week=desk.week_to(),
        lead="led lower by" if falling else "led by",
        extreme=desk.signed_list([extreme]),
    )
    if breadth.total == 1:
        return sentence("{extreme} {direction} in {week}", **parts)
    template = "Of the {total} largest cryptocurrencies, {count} {direction} in {week}, {lead} {extreme}"
    if breadth.left_out:
        template = ("Of the {total} coins with daily closes among the {shown} largest cryptocurrencies, {count} {direction} "
                    "in {week}, {lead} {extreme}")
        parts["shown"] = desk.f.count("universe.shown")
    if desk.facts.fear_greed is None:
        return sentence(template, **parts)
    return sentence(
        template + ", and the Crypto Fear & Greed Index ended at {fg} ({label})",
        **parts, fg=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str),
    )


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
