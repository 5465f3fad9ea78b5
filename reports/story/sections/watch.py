"""What to watch, looking forward: the scheduled events after the week, the levels the week made
(its intraday low or high, where its fall or rise started, the floor or ceiling of the range it
started from) and sentiment, for the market brief (`market`) and for one coin (`asset`).

Every level has its reason in the sentence: a price the week traded at, or the edge of the range
before it. No target is invented. Events come from the bundled FOMC calendar and the user's list
(`reports.data.events`), each with its days.
"""

from __future__ import annotations

from reports.facts.drivers import Drivers, EtfFlows
from reports.facts.model import Event, FearGreed, Range
from reports.story.desk import AssetDesk, Desk, F, MarketDesk
from reports.story.figures import figure
from reports.story.front import NOTABLE_LEVEL_DAYS
from reports.story.week_days import hour_words
from reports.story.wording import is_flat, reads_equal
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Section
from reports.story.sections.blocks import bullets
from reports.story.sections.drivers import ETF_NAMES
from reports.story.asset_view import CLOSE_LINK, link_words, section, subject
from reports.story.asset_figures import drawdown_figure, history_figure

FOMC = "fomc"
NEXT_WEEK_DAYS = 7


STOCK_SIGNAL = 0.5  # a 30-day correlation with QQQ from which US stocks are a signal worth following


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    prior = {r.asset: r for r in desk.facts.prior_ranges}
    items: list[Sentence | None] = [*_event_bullets(desk, desk.facts.events)]
    items += _levels_bullets(desk, [r.asset for r in desk.facts.ranges], prior)
    items += _signal_bullets(desk)
    if desk.facts.fear_greed is not None:
        items.append(_sentiment_watch(desk, desk.facts.fear_greed))
    blocks = [bullets(*items), figure(desk, "fear-greed")]
    return Section("what-to-watch", "What to Watch", tuple(b for b in blocks if b is not None))


def _signal_bullets(desk: Desk[F]) -> list[Sentence | None]:
    """The signals to watch that the drivers section measured, for both briefs (an asset brief gets the
    drivers of its asset): ETF flows, US stocks when bitcoin has moved with them, stablecoin supply.
    Each names what to follow next and the week's reading of it, from the drivers' facts."""
    drivers: Drivers | None = desk.facts.drivers
    if drivers is None:
        return []
    pair = _flow_pair(desk, drivers.etf)
    flows: list[Sentence | None] = [pair] if pair is not None else [_flow_signal(desk, flow) for flow in drivers.etf]
    return [*flows, _stocks_signal(desk, drivers), _supply_signal(desk, drivers)]


# a fund family's week against the week before, when the direction held: after "were" and after "and"
SIZE_WORDS = {"same": ("about as large as", "about as large"), "larger": ("larger than", "larger"),
              "smaller": ("smaller than", "smaller")}


def _flow_trend(flow: EtfFlows) -> tuple[str, str, str] | None:
    """(direction, "continued"/"turned" against the week before, and when it continued "same"/"larger"/"smaller"),
    for one fund family's bullet and to tell two families' weeks alike."""
    if flow.previous_usd is None:
        return None
    if (flow.previous_usd > 0) != (flow.direction == "inflow"):
        return flow.direction, "turned", ""
    previous = abs(flow.previous_usd)
    size = "same" if reads_equal(abs(flow.total_usd), previous, 0) else "larger" if abs(flow.total_usd) > previous else "smaller"
    return flow.direction, "continued", size


def _flow_pair(desk: Desk[F], flows: tuple[EtfFlows, ...]) -> Sentence | None:
    """Bitcoin's and ether's ETFs in one bullet when their weeks went alike (both turned to outflows, both kept
    their direction and grew or shrank): two bullets would say the same with another fund's name."""
    paired = [flow.asset for flow in flows] == ["bitcoin", "ethereum"]  # the names below are theirs
    trend = _flow_trend(flows[0]) if paired else None
    other = _flow_trend(flows[1]) if paired else None
    if trend is None or other is None or trend[:2] != other[:2]:
        return None
    direction, way, size = trend
    towards = "net outflows from" if direction == "outflow" else "net inflows into"
    keys = [f"drivers.etf.{flow.asset}" for flow in flows]
    before = "net inflows" if (flows[0].previous_usd or 0) > 0 else "net outflows"
    said = Fragment(before, tuple(f"{k}.previous_usd" for k in keys))
    names = "US spot bitcoin and ether ETFs"
    if way == "turned":
        both = "into both" if before == "net inflows" else "from both"
        return sentence(f"ETF flows: whether the turn to {towards} {names} holds, after {{before}} {both} the week "
                        "before", before=said)
    if size != other[2]:  # the same way, one fund's week larger and the other's smaller: one bullet names each
        return sentence(f"ETF flows: whether {towards} {names} continue; this week's were {{bitcoin}} the {{before}} of the "
                        "week before for the bitcoin funds and {ether} for the ether funds", before=said,
                        bitcoin=Fragment(SIZE_WORDS[size][0], (f"{keys[0]}.total_usd",)),
                        ether=Fragment(SIZE_WORDS[other[2]][1], (f"{keys[1]}.total_usd",)))
    grew = Fragment(SIZE_WORDS[size][0], tuple(f"{k}.total_usd" for k in keys))
    return sentence(f"ETF flows: whether {towards} {names} continue; for both, this week's were {{grew}} the {{before}} "
                    "of the week before", grew=grew, before=said)


def _flow_signal(desk: Desk[F], flow: EtfFlows) -> Sentence:
    """ "whether net outflows from US spot bitcoin ETFs continue": the same direction as the week before
    continues (said larger or smaller than it), a new one holds."""
    k = f"drivers.etf.{flow.asset}"
    direction = "net outflows from" if flow.direction == "outflow" else "net inflows into"
    # Forward-looking: the week's and the week before's figures are told in What Drove the Week; here only their
    # directions and sizes against each other (the flows' facts cited, no figure restated).
    name = ETF_NAMES[flow.asset]
    trend = _flow_trend(flow)
    if trend is None or flow.previous_usd is None:
        return sentence(f"ETF flows: whether {direction} {{name}} go on", name=name)
    before = "net inflows" if flow.previous_usd > 0 else "net outflows"
    said = desk.f.cite(f"{k}.previous_usd", lambda _: before)
    _, way, size = trend
    if way == "continued":
        grew = Fragment(SIZE_WORDS[size][0], (f"{k}.total_usd",))
        return sentence(f"ETF flows: whether {direction} {{name}} continue; this week's were {{grew}} the {{before}} of "
                        "the week before", name=name, before=said, grew=grew)
    return sentence(f"ETF flows: whether the turn to {direction} {{name}} holds, after {{before}} the week before", name=name,
                    before=said)


def _stocks_signal(desk: Desk[F], drivers: Drivers) -> Sentence | None:
    """US stocks are a signal only while bitcoin has moved with them (a 30-day correlation of at least STOCK_SIGNAL)."""
    link, qqq = next(iter(drivers.stock_links), None), drivers.market("qqq")
    if link is None or qqq is None or link.correlation < STOCK_SIGNAL:
        return None
    k = f"drivers.stock_links.{link.key}"
    how = link_words(link.correlation)  # the drivers section's words for the same figure
    longer = next((other for other in drivers.stock_links if other.days > link.days), None)
    trend = Fragment("")
    if longer is not None and not reads_equal(longer.correlation, link.correlation, places=2):
        trend = desk.f.cite(f"drivers.stock_links.{longer.key}.correlation",
                            lambda value: ", a link tighter than over " if link.correlation > value
                            else ", a link looser than over ") + desk.f.count(f"drivers.stock_links.{longer.key}.days") + " days"
    lead_change = desk.move(desk.lead).change_pct
    if qqq.change_pct is None or is_flat(qqq.change_pct) or is_flat(lead_change):
        return sentence("US stocks: whether bitcoin keeps following US tech stocks (QQQ), which its daily moves have tracked "
                        "{how} over the past {days} days (a correlation of {value}){trend}", how=how,
                        days=desk.f.count(f"{k}.days"), value=desk.f.decimal(f"{k}.correlation"), trend=trend)
    together = (qqq.change_pct > 0) == (lead_change > 0)
    # The week's stock move is told in What Drove the Week: here whether the link holds, and which way they went.
    template = ("US stocks: whether bitcoin keeps moving with US tech stocks (QQQ), as it did this week{week}; its daily moves "
                "have tracked them {how} over the past {days} days (a correlation of {value}){trend}" if together else
                "US stocks: whether bitcoin moves back in step with US tech stocks (QQQ), which went the other way this "
                "week{week}; its daily moves have tracked them {how} over the past {days} days (a correlation of {value}){trend}")
    return sentence(template, how=how, days=desk.f.count(f"{k}.days"), value=desk.f.decimal(f"{k}.correlation"), trend=trend,
                    week=Fragment("", ("drivers.markets.qqq.change_pct",)))


SUPPLY_SIGNAL_PCT = 75.0  # supply moving with bitcoin is worth watching when larger than this share of its earlier weeks


def _supply_signal(desk: Desk[F], drivers: Drivers) -> Sentence | None:
    top = drivers.supply("top10")
    if top is None:
        return None
    k = "drivers.stablecoins.top10"
    if is_flat(top.change_pct):
        return sentence("Stablecoin supply: {end} in the ten largest US dollar stablecoins, little changed over the week",
                        end=desk.f.money(f"{k}.end_usd"))
    # The week's change is told in What Drove the Week: here its direction, and whether it goes on.
    way = desk.f.cite(f"{k}.change_pct", lambda change: "keeps growing" if change > 0 else "keeps shrinking")
    against = (top.change_pct > 0) != (desk.move(desk.lead).change_pct > 0)
    share = top.standing.share_pct
    if not against and (share is None or share < SUPPLY_SIGNAL_PCT):
        return None  # an ordinary week of supply moving with bitcoin is no signal to watch
    lead = desk.names.plain(desk.lead)
    context = Fragment(", as it did while " + lead.text + (" fell" if desk.move(desk.lead).change_pct < 0 else " rose")
                       if against else ", in step with " + lead.text + "'s week", (f"assets.{desk.lead}.change_pct",))
    return sentence("Stablecoin supply: whether the {end} in the ten largest US dollar stablecoins {way}{context}",
                    end=desk.f.money(f"{k}.end_usd"), way=way, context=context)


# --- shared by both briefs --------------------------------------------------------------------


def _event_bullets(desk: Desk[F], events: tuple[Event, ...]) -> list[Sentence]:
    """One bullet per scheduled event after the week, with its days: next week's first."""
    return [_event_bullet(desk, event) for event in events]


def _event_bullet(desk: Desk[F], event: Event) -> Sentence:
    k = f"events.{event.id}"
    when = "Next week" if event.days_after <= NEXT_WEEK_DAYS else "Ahead"
    days = desk.f.span(f"{k}.day", f"{k}.end") if event.end != event.day else desk.f.day(f"{k}.day")
    if event.source == FOMC:
        return sentence("{when}: the Federal Reserve's {title}, {days}, with its policy statement on {statement}",
                        when=when, title=desk.f.cite(f"{k}.title", str), days=days, statement=desk.f.day(f"{k}.end"))
    link = Fragment(" (") + desk.f.cite(f"{k}.url", str) + ")" if event.url else Fragment("")
    return sentence("{when}: {title}, {days}{link}", when=when, title=desk.f.cite(f"{k}.title", str), days=days, link=link)


def _levels_bullets(desk: Desk[F], assets: list[str], prior: dict[str, Range]) -> list[Sentence]:
    """One bullet per coin's levels, or one for two coins whose weeks met their ranges the same way (both held
    above the floor, both broke through it): the second would repeat the first's sentence with other figures."""
    outcomes = [_edge_outcome(desk, asset, prior.get(asset)) for asset in assets]
    if len(assets) == 2 and outcomes[0] is not None and outcomes[0] == outcomes[1]:
        return [_pair_levels(desk, assets, outcomes[0])]
    return [_levels_bullet(desk, asset, f"prior_ranges.{asset}", prior.get(asset)) for asset in assets]


def _edge_outcome(desk: Desk[F], asset: str, prior: Range | None) -> tuple[bool, bool] | None:
    """(falling, crossed) when the coin moved and its extreme trade met the edge of the range before the week
    (crossed it or held it) without starting there; None otherwise."""
    move = desk.move(asset)
    if prior is None or is_flat(move.change_pct):
        return None
    falling = move.change_pct < 0
    side = "low" if falling else "high"
    if getattr(prior, f"{side}_day") == desk.facts.week.base:
        return None
    value = getattr(move, f"intraday_{side}") or getattr(move, side)
    edge = prior.low if falling else prior.high
    return falling, (value < edge if falling else value > edge)


def _pair_levels(desk: Desk[F], assets: list[str], outcome: tuple[bool, bool]) -> Sentence:
    """ "Bitcoin and ether both held above the floors of the 90-day ranges before the week ($X and $Y); their lowest
    trades: $A early on Thursday, Feb 12, and $B on Thursday, Feb 12"."""
    falling, crossed = outcome
    side = "low" if falling else "high"
    verb = ("broke below" if crossed else "held above") if falling else ("broke above" if crossed else "stayed below")
    first, second = assets
    edges = [desk.f.price(f"prior_ranges.{asset}.{side}") for asset in assets]
    extremes = [_extreme(desk, asset, side, plain=True) for asset in assets]
    return sentence("{a} and {b} both {verb} the {edge} of the {days}-day ranges before the week ({e1} and {e2}); "
                    "their {word} trades: {x1}, and {x2}", a=desk.names.plain(first), b=desk.names.plain(second),
                    verb=verb, edge="floors" if falling else "ceilings", days=desk.f.count(f"prior_ranges.{first}.days"),
                    e1=edges[0], e2=edges[1], word="lowest" if falling else "highest", x1=extremes[0], x2=extremes[1])


def _levels_bullet(desk: Desk[F], asset: str, prior_key: str, prior: Range | None) -> Sentence:
    """The week's extreme trade (its low in a falling week, its high in a rising one), where the move
    started, and the edge of the range the week started from."""
    move, k = desk.move(asset), f"assets.{asset}"
    name = desk.names.plain(asset)
    if is_flat(move.change_pct):
        return _flat_levels(desk, asset, prior_key, prior)
    falling = move.change_pct < 0
    side, other = ("low", "high") if falling else ("high", "low")
    extreme = _extreme(desk, asset, side)
    # The move started from the week's highest close before its low (lowest before its high), when
    # that is beyond the close the week is measured from; else from that close, the day before the week.
    turn_day, turn = (move.high_day, move.high) if falling else (move.low_day, move.low)
    beyond = turn > move.base_close if falling else turn < move.base_close
    started_in_week = beyond and turn_day < (move.low_day if falling else move.high_day)
    start = (desk.f.price(f"{k}.{other}") + " (" + desk.f.day(f"{k}.{other}_day") + ")" if started_in_week
             else desk.f.price(f"{k}.base_close") + " (" + desk.f.day("week.base") + ")")
    edge = Fragment("")
    if prior is not None and not started_in_week and getattr(prior, f"{side}_day") == desk.facts.week.base:
        edge = (Fragment("; that close was already the " + ("lowest" if falling else "highest") + " of the ")
                + desk.f.count(f"{prior_key}.days") + " days before the week")
    elif prior is not None:
        value = getattr(move, f"intraday_{side}") or getattr(move, side)
        edge_value = prior.low if falling else prior.high
        crossed = value < edge_value if falling else value > edge_value
        edge = (Fragment("; the ") + desk.f.count(f"{prior_key}.days") + "-day range before the week had its "
                + ("floor" if falling else "ceiling") + " at " + desk.f.price(f"{prior_key}.{side}") + " ("
                + desk.f.date(f"{prior_key}.{side}_day") + ")"
                + (", which the week " + ("broke below" if falling else "broke above") if crossed
                   else ", which the week " + ("held above" if falling else "stayed below")))
    return sentence("{name}: {extreme}; the {move} started from {start}{edge}", name=name, extreme=extreme,
                    move="fall" if falling else "rise", start=start, edge=edge)


def _extreme(desk: Desk[F], asset: str, side: str, plain: bool = False) -> Fragment:
    """ "the week's lowest trade, $60,001 early on Feb 6" (its lowest close where there are no candles); `plain`
    leaves out "the week's lowest trade, "."""
    move, k = desk.move(asset), f"assets.{asset}"
    word = "lowest" if side == "low" else "highest"
    if getattr(move, f"intraday_{side}") is None or getattr(move, f"intraday_{side}_day") is None:
        return (Fragment("" if plain else f"the week's {word} close, ") + desk.f.price(f"{k}.{side}")
                + (" (a close) on " if plain else " on ") + desk.f.day(f"{k}.{side}_day"))
    when = (desk.f.cite(f"{k}.intraday_{side}_hour", hour_words) if getattr(move, f"intraday_{side}_hour") is not None
            else Fragment("on "))
    return (Fragment("" if plain else f"the week's {word} trade, ") + desk.f.price(f"{k}.intraday_{side}") + " " + when
            + desk.f.weekday(f"{k}.intraday_{side}_day"))


def _flat_levels(desk: Desk[F], asset: str, prior_key: str, prior: Range | None) -> Sentence:
    k = f"assets.{asset}"
    edge = Fragment("")
    if prior is not None:
        edge = (Fragment("; the ") + desk.f.count(f"{prior_key}.days") + "-day range before the week ran from "
                + desk.f.price(f"{prior_key}.low") + " (" + desk.f.date(f"{prior_key}.low_day") + ") to "
                + desk.f.price(f"{prior_key}.high") + " (" + desk.f.date(f"{prior_key}.high_day") + ")")
    return sentence("{name}: the week's closes held between {low} ({low_day}) and {high} ({high_day}){edge}",
                    name=desk.names.plain(asset), low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
                    high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"), edge=edge)


def _sentiment_watch(desk: MarketDesk, fg: FearGreed) -> Sentence | None:
    # The reading itself is told in the Overview and the FAQ: here what to watch for, from its label and range.
    parts = dict(label=desk.f.cite("fear_greed.classification", str))
    at_low, at_high = reads_equal(fg.value, fg.week_low, places=0), reads_equal(fg.value, fg.week_high, places=0)
    key = "fear_greed.low_since" if at_low and fg.change is not None and fg.change < 0 else \
        "fear_greed.high_since" if at_high and fg.change is not None and fg.change > 0 else None
    since = desk.f.table.get(key) if key else None
    if key is not None and since is not None and (fg.day - since).days >= NOTABLE_LEVEL_DAYS:
        period = Fragment(", during ") + desk.f.cite(f"{key}_period", str) if f"{key}_period" in desk.f else Fragment("")
        return sentence(
            "Sentiment: whether the Fear & Greed Index stays in {label}, at a reading last {seen} on {since}{period}",
            **parts, seen="this low" if key.endswith("low_since") else "this high", since=desk.f.date(key), period=period,
        )
    return None  # an ordinary reading: the Overview and the FAQ tell it, a watch bullet would add nothing


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    a = subject(desk)
    items = [*_event_bullets(desk, desk.facts.events), _levels_bullet(desk, a, "prior_range", desk.facts.prior_range),
             _recovery_bullet(desk), _bitcoin_watch(desk), *_signal_bullets(desk), _asset_sentiment_watch(desk)]
    return section("what-to-watch", "What to Watch", bullets(*items), history_figure(desk), drawdown_figure(desk))


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
