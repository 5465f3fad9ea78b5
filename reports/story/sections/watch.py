"""What to watch: levels, sentiment and ranges, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.facts.model import FearGreed, MarketCap, Range
from reports.story.desk import AssetDesk, MarketDesk
from reports.story.figures import figure
from reports.story.front import NOTABLE_LEVEL_DAYS
from reports.story.wording import reads_equal
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Section
from reports.story.sections.blocks import bullets
from reports.story.asset_view import CLOSE_LINK, section, subject
from reports.story.asset_figures import drawdown_figure, history_figure


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    items = [_levels_bullet(desk, r.asset) for r in desk.facts.ranges]
    if desk.facts.fear_greed is not None:
        items.append(_sentiment_watch(desk, desk.facts.fear_greed))
    if desk.facts.market_range is not None and desk.facts.market_cap is not None:  # the range exists only with market value
        items.append(_market_range_bullet(desk, desk.facts.market_range, desk.facts.market_cap))
    blocks = [bullets(*items), figure(desk, "fear-greed")]
    return Section("what-to-watch", "What to Watch", tuple(b for b in blocks if b is not None))


def _levels_bullet(desk: MarketDesk, asset: str) -> Sentence:
    k, r = f"assets.{asset}", f"ranges.{asset}"
    move, rng = desk.move(asset), next(x for x in desk.facts.ranges if x.asset == asset)
    parts = dict(
        name=desk.names.plain(asset), low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
        high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"), days=desk.f.count(f"{r}.days"),
        rlow=desk.f.price(f"{r}.low"), rlow_day=desk.f.date(f"{r}.low_day"),
        rhigh=desk.f.price(f"{r}.high"), rhigh_day=desk.f.date(f"{r}.high_day"),
        base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
    )
    if move.change_pct < 0 and move.low_day == rng.low_day:
        return sentence(
            "{name}: the week's lowest close of {low} ({low_day}) is also the bottom of its {days}-day range, which tops out at "
            "{rhigh} ({rhigh_day}); the slide began from {base} on {base_day}", **parts)
    if move.change_pct > 0 and move.high_day == rng.high_day:
        return sentence(
            "{name}: the week's highest close of {high} ({high_day}) is also the top of its {days}-day range, which bottoms out at "
            "{rlow} ({rlow_day}); the advance began from {base} on {base_day}", **parts)
    return sentence(
        "{name}: the week's closes from {low} ({low_day}) to {high} ({high_day}), inside a {days}-day range from {rlow} "
        "({rlow_day}) to {rhigh} ({rhigh_day})", **parts)


def _market_range_bullet(desk: MarketDesk, rng: Range, end: MarketCap) -> Sentence:
    parts = dict(
        end=desk.f.money("market_cap.end_usd"), days=desk.f.count("market_range.days"),
        low=desk.f.money("market_range.low"), low_day=desk.f.date("market_range.low_day"),
        high=desk.f.money("market_range.high"), high_day=desk.f.date("market_range.high_day"),
    )
    if rng.low_day == end.end_day:
        return sentence("Total market value: {end}, the lowest in {days} days; the range tops out at {high} ({high_day})", **parts)
    if rng.high_day == end.end_day:
        return sentence("Total market value: {end}, the highest in {days} days; the range bottoms out at {low} ({low_day})", **parts)
    return sentence("Total market value: {end}, within a {days}-day range from {low} ({low_day}) to {high} ({high_day})", **parts)


def _sentiment_watch(desk: MarketDesk, fg: FearGreed) -> Sentence:
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    at_low, at_high = reads_equal(fg.value, fg.week_low, places=0), reads_equal(fg.value, fg.week_high, places=0)
    key = "fear_greed.low_since" if at_low and fg.change is not None and fg.change < 0 else \
        "fear_greed.high_since" if at_high and fg.change is not None and fg.change > 0 else None
    since = desk.f.table.get(key) if key else None
    if key is not None and since is not None and (fg.day - since).days >= NOTABLE_LEVEL_DAYS:
        period = Fragment(", during ") + desk.f.cite(f"{key}_period", str) if f"{key}_period" in desk.f else Fragment("")
        return sentence(
            "Sentiment: the Fear & Greed Index ended the week at {value} ({label}), a reading last {seen} on {since}{period}",
            **parts, seen="this low" if key.endswith("low_since") else "this high", since=desk.f.date(key), period=period,
        )
    return sentence(
        "Sentiment: the Fear & Greed Index ended the week at {value} ({label}), within a weekly range of {low} to {high}",
        **parts, low=desk.f.index("fear_greed.week_low"), high=desk.f.index("fear_greed.week_high"),
    )


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    items = [_range_bullet(desk), _recovery_bullet(desk), _bitcoin_watch(desk), _asset_sentiment_watch(desk)]
    return section("what-to-watch", "What to Watch", bullets(*items), history_figure(desk), drawdown_figure(desk))


def _range_bullet(desk: AssetDesk) -> Sentence:
    a = subject(desk)
    move, rng = desk.facts.subject, desk.facts.range
    k = f"assets.{a}"
    parts = dict(name=desk.names.plain(a), low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
                 high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"), days=desk.f.count("range.days"),
                 rlow=desk.f.price("range.low"), rlow_day=desk.f.date("range.low_day"),
                 rhigh=desk.f.price("range.high"), rhigh_day=desk.f.date("range.high_day"))
    if move.change_pct < 0 and move.low_day == rng.low_day:
        return sentence("Levels: the week's lowest close of {low} ({low_day}) is also the bottom of {name}'s {days}-day range, which tops out "
                        "at {rhigh} ({rhigh_day})", **parts)
    if move.change_pct > 0 and move.high_day == rng.high_day:
        return sentence("Levels: the week's highest close of {high} ({high_day}) is also the top of {name}'s {days}-day range, which bottoms "
                        "out at {rlow} ({rlow_day})", **parts)
    return sentence("Levels: {name}'s closes ran from {low} ({low_day}) to {high} ({high_day}), inside a {days}-day range from "
                    "{rlow} ({rlow_day}) to {rhigh} ({rhigh_day})", **parts)


def _recovery_bullet(desk: AssetDesk) -> Sentence | None:
    if desk.facts.recovery is None:
        if desk.facts.drawdown is None:
            return None
        return sentence("The high: {name} closed the week at its highest close in the data, {peak}",
                        name=desk.names.plain(subject(desk)), peak=desk.f.price("drawdown.peak"))
    return sentence("The way back: from the week's last daily close of {close}, {name} needs a {gain} gain to regain its highest "
                    "close of {peak}, set on {day}", close=desk.f.price("recovery.close"), name=desk.names.plain(subject(desk)),
                    gain=desk.f.pct("recovery.gain_pct"), peak=desk.f.price("recovery.peak"), day=desk.f.date("drawdown.peak_day"))


def _bitcoin_watch(desk: AssetDesk) -> Sentence | None:
    link = desk.facts.btc_link
    if link is None:
        return None
    if link.correlation >= CLOSE_LINK:
        return sentence("Bitcoin: with a correlation of {corr} over {days} days, bitcoin's direction has set {name}'s; a beta of "
                        "{beta} means its swings have run {size} bitcoin's", corr=desk.f.decimal("btc_link.correlation"),
                        days=desk.f.count("btc_link.days"), name=desk.names.plain(subject(desk)), beta=desk.f.decimal("btc_link.beta"),
                        size="larger than" if link.beta > 1 else "smaller than")
    return sentence("Bitcoin: a correlation of only {corr} over {days} days means {name} has often moved on its own",
                    corr=desk.f.decimal("btc_link.correlation"), days=desk.f.count("btc_link.days"),
                    name=desk.names.plain(subject(desk)))


def _asset_sentiment_watch(desk: AssetDesk) -> Sentence | None:
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    return sentence("Sentiment: the market-wide Crypto Fear & Greed Index ended the week at {value} ({label}), within a weekly range "
                    "of {low} to {high}", value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str),
                    low=desk.f.index("fear_greed.week_low"), high=desk.f.index("fear_greed.week_high"))
