"""The words of each chart: title, caption, alt text and series labels.

Charts draw; the story names. A figure is only placed when the facts hold its data
(no market-cap series, no market-cap chart).
"""

from __future__ import annotations

from collections.abc import Callable

from reports.story.desk import Desk, F, MarketDesk
from reports.story.prose import Fragment, Sentence, join, phrase, sentence
from reports.story.model import Figure
from reports.story.wording import is_flat, up_down


def figure(desk: MarketDesk, chart: str) -> Figure | None:
    return FIGURES[chart](desk)


def _price_path(desk: MarketDesk) -> Figure | None:
    paths = desk.facts.series.price_paths
    if not paths:
        return None
    assets = [asset for asset, _ in paths]
    lead = desk.names.plain(assets[0])
    ends = join([desk.names.plain(asset) + " " + _end_of_path(desk, asset) for asset in assets])
    many = len(assets) > 1
    return Figure(
        chart="price-path",
        title=phrase(
            "{lead}{rest}, indexed to {base} on {day}",
            lead=lead, rest=Fragment(" and the largest altcoins") if many else Fragment(""),
            base=desk.f.count("method.index_base"), day=desk.f.day("week.base"),
        ),
        caption=sentence(
            "Daily prices ({time}) divided by each asset's price on {day}; a line below {base} means a loss over the week",
            time=desk.f.cite(f"sources.{desk.facts.sources[0].key}.time_of_day", str), day=desk.f.day("week.base"),
            base=desk.f.count("method.index_base"),
        ),
        alt=sentence(
            "Line chart of {names} over {week}, each starting at {base}; by the end of the week: {ends}",
            names=join([desk.names.plain(asset) for asset in assets]), week=desk.week_to(),
            base=desk.f.count("method.index_base"), ends=ends,
        ),
        labels=tuple((asset, desk.move(asset).symbol) for asset in assets),
    )


def _end_of_path(desk: MarketDesk, asset: str) -> Fragment:
    """ "19.9% lower", or "unchanged" for a move that rounds to 0.0%."""
    key = f"assets.{asset}.change_pct"
    if is_flat(desk.move(asset).change_pct):
        return Fragment("unchanged", (key,))
    return desk.f.pct(key, absolute=True) + (" higher" if desk.move(asset).change_pct > 0 else " lower")


def _weekly_change(desk: MarketDesk) -> Figure | None:
    if len(desk.facts.assets) < 2:
        return None
    best, worst = desk.facts.leaders[0], desk.facts.laggards[0]
    return Figure(
        chart="weekly-change",
        title=phrase("Seven-day change of the {total} {coins}", total=desk.f.count("breadth.total"), coins=desk.coins),
        caption=sentence("Change from {base} to {end}; {breadth}",
                         base=desk.f.day("week.base"), end=desk.f.day("week.end"), breadth=breadth_words(desk)),
        alt=sentence(
            "Bar chart of the weekly change of {total} coins, from {worst} at {worst_pct} to {best} at {best_pct}",
            total=desk.f.count("breadth.total"), worst=desk.names.plain(worst),
            worst_pct=desk.change(worst, sign=True), best=desk.names.plain(best), best_pct=desk.change(best, sign=True),
        ),
        labels=tuple((move.id, move.symbol) for move in desk.facts.assets),
    )


def _market_cap(desk: MarketDesk) -> Figure | None:
    if not desk.facts.series.market_cap or desk.facts.market_cap is None:
        return None
    has_dominance = any(d.asset == "bitcoin" for d in desk.facts.dominance)
    return Figure(
        chart="market-cap",
        title=phrase("Total crypto market value{dom}, last {days} days",
                     dom=Fragment(" and bitcoin's share") if has_dominance else Fragment(""),
                     days=desk.f.count("method.context_days")),
        caption=sentence("Daily {title} ({time}); the shaded band is the week to {end}; the dots mark {start} and {end}, the days its change is measured between{marks}{panel}",
                         title=desk.f.cite(f"sources.{desk.facts.market_cap.series}.title", str),
                         time=desk.f.cite(f"sources.{desk.facts.market_cap.series}.time_of_day", str),
                         end=desk.f.day("week.end"), start=desk.f.day("market_cap.start_day"), marks=_marks_words(desk),
                         panel=Fragment("; bitcoin's share is drawn below on its own scale") if has_dominance else Fragment("")),
        alt=sentence(
            "Line chart of total crypto market value over the last {days} days; it ended the week at {end}, {change} "
            "on the week{dom}",
            days=desk.f.count("method.context_days"), end=desk.f.money("market_cap.end_usd"),
            change=Fragment("little changed", ("market_cap.change_pct",)) if is_flat(desk.facts.market_cap.change_pct)
            else Fragment(up_down(desk.facts.market_cap.change_pct) + " ") + desk.f.pct("market_cap.change_pct", absolute=True),
            dom=Fragment(", with bitcoin's share at ") + desk.f.pct("dominance.bitcoin.end_pct") if has_dominance else Fragment(""),
        ),
        labels=(("market_cap", "Total market value"), ("btc_dominance", "Bitcoin's share of the total"),
                ("week_low", "Week's low"), ("largest_fall", "Largest one-day fall")),
    )


def _marks_words(desk: MarketDesk) -> Fragment:
    """What the chart's marks show, as `reports.charts.market.market_cap` draws them: the week's largest one-day fall
    in red (in a week that fell) and a ring at the week's low (when that is not its last day, which has its dot)."""
    cap = desk.facts.market_cap
    assert cap is not None
    marks = []
    if cap.fall_day is not None and cap.change_usd < 0:
        marks.append(Fragment("the red stretch is the largest one-day fall, to ") + desk.f.day("market_cap.fall_day"))
    if cap.low_day is not None and cap.low_day != cap.end_day:
        marks.append(Fragment("the ring is the week's low, on ") + desk.f.day("market_cap.low_day"))
    return Fragment("; ") + join(marks) if marks else Fragment("")


def _drawdown(desk: MarketDesk) -> Figure | None:
    asset = desk.facts.series.drawdown_asset
    if not desk.facts.series.drawdown or asset is None:
        return None
    k = f"drawdowns.{asset}"
    series = desk.f.value(f"{k}.series")
    name = desk.names.plain(asset)
    return Figure(
        chart="drawdown",
        title=phrase("{name}'s distance below its highest close, last {days} days", name=name,
                     days=desk.f.count("method.context_days")),
        caption=history_caption(desk, series, f"{k}.history_start"),
        alt=sentence("Area chart of {name}'s drawdown from its highest close of {peak} on {day}; it ended the week {dd} below it",
                     name=name, peak=desk.f.price(f"{k}.peak"), day=desk.f.date(f"{k}.peak_day"),
                     dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True)),
        labels=((asset, desk.move(asset).symbol),),
    )


def _fear_greed(desk: MarketDesk) -> Figure | None:
    if not desk.facts.series.fear_greed or desk.facts.fear_greed is None:
        return None
    return Figure(
        chart="fear-greed",
        title=phrase("Crypto Fear & Greed Index, last {days} days", days=desk.f.count("method.context_days")),
        caption=sentence("Daily readings from zero (extreme fear) to one hundred (extreme greed); the dashed box marks the week to {end}",
                         end=desk.f.day("week.end")),
        alt=sentence("Line chart of the Crypto Fear & Greed Index over the last {days} days; it ended the week at {value} ({label})",
                     days=desk.f.count("method.context_days"), value=desk.f.index("fear_greed.value"),
                     label=desk.f.cite("fear_greed.classification", str)),
        labels=(("fear_greed", "Fear & Greed"), ("extreme_fear", "Extreme fear"), ("fear", "Fear"), ("neutral", "Neutral"),
                ("greed", "Greed"), ("extreme_greed", "Extreme greed")),
    )


def _etf_flows(desk: MarketDesk) -> Figure | None:
    drivers = desk.facts.drivers
    flow = drivers.flows("bitcoin") if drivers is not None else None
    if flow is None or not desk.facts.series.etf_flows or desk.facts.asset("bitcoin") is None:
        return None
    k = "drivers.etf.bitcoin"
    return Figure(
        chart="etf-flows",
        title=phrase("US spot bitcoin ETF net flows and bitcoin's price, week to {end}", end=desk.f.day("week.end")),
        caption=sentence("Bars: the funds' total net flow on each US trading day, from {provider}; line: bitcoin's daily close ({time})",
                         provider=desk.f.cite(f"sources.{flow.source}.provider", str),
                         time=desk.f.cite(f"sources.{desk.facts.sources[0].key}.time_of_day", str)),
        alt=sentence("Bar chart of daily net flows of US spot bitcoin ETFs over {days} trading days, {total} in all, with the largest "
                     "on {day} ({amount}), beside a line of bitcoin's close, which ended the week at {close}",
                     days=desk.f.cardinal(f"{k}.trading_days"), total=desk.f.money(f"{k}.total_usd"),
                     day=desk.f.day(f"{k}.largest_day"), amount=desk.f.money(f"{k}.largest_usd"),
                     close=desk.f.price("assets.bitcoin.close")),
        labels=(("inflow", "Net inflow"), ("outflow", "Net outflow"), ("bitcoin", "Bitcoin close (right axis)")),
    )


FIGURES: dict[str, Callable[[MarketDesk], Figure | None]] = {
    "price-path": _price_path,
    "weekly-change": _weekly_change,
    "market-cap": _market_cap,
    "drawdown": _drawdown,
    "fear-greed": _fear_greed,
    "etf-flows": _etf_flows,
}


def breadth_words(desk: Desk[F]) -> Fragment:
    """ "all 12 fell", "all 5 rose", "9 fell and 3 rose", "9 fell, 2 rose and 1 was unchanged": how the coins moved,
    without a count of none ("12 fell and 0 rose")."""
    b = desk.facts.breadth
    for count, key, verb in ((b.fell, "breadth.fell", "fell"), (b.rose, "breadth.rose", "rose")):
        if count == b.total:
            return Fragment("all ") + desk.f.count(key) + " " + verb
    parts = [desk.f.count(key) + f" {verb}" for count, key, verb in ((b.fell, "breadth.fell", "fell"), (b.rose, "breadth.rose", "rose"),
             (b.unchanged, "breadth.unchanged", "was unchanged" if b.unchanged == 1 else "were unchanged")) if count]
    return join(parts)


def history_caption(desk: Desk[F], series: str, start: str) -> Sentence:
    """ "Percent below the highest close to date in the Binance ... (daily closes at 00:00 UTC), continued before Aug 1,
    2025 by the Coin Metrics ..., which start on Sep 13, 2024" """
    extension = desk.facts.extension
    spliced = Fragment("")
    if extension is not None:
        spliced = (Fragment(", continued before ") + desk.f.date("extension.day") + " by the "
                   + desk.f.cite(f"sources.{extension.series}.title", str))
    return sentence("Percent below the highest close to date in the {title} ({time}){spliced}, which start on {start}",
                    title=desk.f.cite(f"sources.{series}.title", str), time=desk.f.cite(f"sources.{series}.time_of_day", str),
                    spliced=spliced, start=desk.f.date(start))
