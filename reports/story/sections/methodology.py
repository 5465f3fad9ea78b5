"""Methodology & sources, with the data notes, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.data.model import CAPS_SUM_KEY, CLOSE_BASIS
from reports.story.desk import AssetDesk, Desk, F, MarketDesk
from reports.story.prose import Fragment, Sentence, join, phrase, sentence
from reports.story.model import Paragraph, Section
from reports.story.sections.blocks import bullets, paragraph
from reports.story.sections.notes import notes_of
from reports.story.asset_view import section, subject
from reports.story.drivers_notes import left_out_notes, method_sentence
from reports.story.sections.impact import bases_note


# Each live source (sources/live.py's LIVE_PULLERS names) as a reader knows it, and what it gives the brief, for
# the data note on a source that could not be pulled; one added to the registry without a line here is named by
# its registry name, and what it gives as "its figures".
SOURCE_PARTS = {
    "coingecko": ("CoinGecko", "the latest prices and market caps"),
    "fear-greed": ("Alternative.me", "the Fear & Greed Index"),
    "coinmetrics": ("Coin Metrics", "the long price history behind \"lowest since\""),
    "binance": ("Binance", "the daily highs and lows"),
    "bybit": ("Bybit", "funding rates and open interest"),
    "farside": ("Farside Investors", "the ETF flows"),
    "defillama": ("DefiLlama", "the stablecoin supply"),
    "crossasset": ("The cross-asset source", "stocks, gold, the dollar and yields"),
}


# --- the price basis, stated once, for both briefs ---------------------------------------------


def basis_sentences(desk: Desk[F]) -> list[Sentence]:
    """What the prices are: their source and time of day, the coins on another basis, the splice of the histories."""
    facts = desk.facts
    # the brief's basis is that of the coins it compares (an asset brief's own coin may be on another)
    prices = next((move.series for move in facts.assets if move.compared), facts.sources[0].key)
    closes = next(source for source in facts.sources if source.key == prices).basis == CLOSE_BASIS
    found = [sentence(
        "Weekly changes compare each asset's {what} on {end} with its {what} seven days earlier, on {base}, both from the "
        "{title} ({time}){extremes}",
        what="close" if closes else "price", end=desk.f.date("week.end"), base=desk.f.date("week.base"),
        title=desk.f.cite(f"sources.{prices}.title", str), time=desk.f.cite(f"sources.{prices}.time_of_day", str),
        extremes="; the week's lows and highs are the candles' intraday extremes, and daily moves are close to close"
        if closes and any(move.intraday_low is not None for move in facts.assets) else "",
    )]
    other = next((move for move in facts.assets if not move.compared), None)
    if other is not None:
        found.append(sentence(
            "Coins the {title} lack are priced from the {other} ({time}), marked in the table and left out of every "
            "comparison of moves (leaders and laggards, breadth, the median altcoin, dispersion, correlation and beta)",
            title=desk.f.cite(f"sources.{prices}.title", str), other=desk.f.cite(f"sources.{other.series}.title", str),
            time=desk.f.cite(f"sources.{other.series}.time_of_day", str)))
    extension = facts.extension
    if extension is not None:
        found.append(sentence(
            "Before {day}, the histories of {names} continue on the {title} ({time}), closes at the same hour from "
            "another reference rate",
            day=desk.f.date("extension.day"), names=join([desk.names.plain(asset) for asset in extension.assets]),
            title=desk.f.cite(f"sources.{extension.series}.title", str),
            time=desk.f.cite(f"sources.{extension.series}.time_of_day", str)))
    return found


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    facts = desk.facts
    method = basis_sentences(desk)
    if facts.levels:
        method.append(sentence(
            "Levels not seen since, drawdowns and volatility use each coin's longest history on those prices; realised "
            "volatility is the standard deviation of seven daily log returns, annualised over {days} days",
            days=desk.f.count("method.days_per_year"),
        ))
    if facts.ranks:
        method.append(sentence(
            "A week's rank compares its seven-day change with every other seven-day change in the same series, those "
            "ending earlier in the week included (each day against the day a week before), total market value's in "
            "dollars; streaks step back a week at a time on the prices above; verbs such as "
            "\"slid\" or \"plunged\" are sized by the move in units of each coin's typical week, the standard deviation "
            "of its seven-day changes over the previous {days} days",
            days=desk.f.count("method.typical_week_days"),
        ))
    if facts.market_cap is not None:
        key = facts.market_cap.series
        method.append(sentence(
            "Total market value and dominance come from the {title} ({time})",
            title=desk.f.cite(f"sources.{key}.title", str), time=desk.f.cite(f"sources.{key}.time_of_day", str),
        ))
    method += forward_looking(desk)
    method.append(sentence(
        "The sentiment label is positive when {measure} rose by at least {threshold}, negative when it fell by at least "
        "as much, and neutral otherwise",
        measure="total market value" if facts.market_cap else "the median asset",
        threshold=desk.f.pct("method.sentiment_threshold_pct"),
    ))
    method += [line for line in (method_sentence(desk),) if line is not None]
    return Section("methodology", "Methodology & Sources", (
        paragraph(*method),
        Paragraph((phrase("Data notes"),), kind="subhead"),
        bullets(*_data_notes(desk)),
        Paragraph((phrase("Sources"),), kind="subhead"),
        bullets(*desk.attributions()),
    ))


def _data_notes(desk: MarketDesk) -> list[Sentence]:
    q = desk.facts.quality
    notes = []
    for gap in q.gaps:
        series = gap.series.split(":")[0]
        notes.append(sentence(
            "The {title} have no value on {days}, so figures for those days are left out",
            title=desk.f.cite(f"sources.{series}.title", str),
            days=desk.f.cite(f"quality.gaps.{gap.series}.days", lambda days: join([Fragment(desk.fmt.day(d)) for d in days]).text),
        ))
    for dropped in q.dropped:
        notes.append(sentence(
            "{symbol} ranked in the universe but had no price on {base}, so it has no weekly change and is left out",
            symbol=desk.f.cite(f"quality.dropped.{dropped.asset}.symbol", str), base=desk.f.day("week.base"),
        ))
    missing = {"market_cap": "total market value and dominance", "fear_greed": "Fear & Greed Index reading"}
    for name in q.missing:
        notes.append(sentence("The data has no {what} for this week, so the brief leaves it out", what=missing[name]))
    notes.extend(_summed_market_notes(desk))
    notes.extend(note for note in (bases_note(desk),) if note is not None)
    if q.ignored_columns:
        notes.append(sentence("Columns not used: {columns}",
                              columns=desk.f.cite("quality.ignored_columns", lambda cols: ", ".join(cols))))
    notes.extend(_freshness_notes(desk))
    notes.extend(left_out_notes(desk))
    if not q.gaps and not q.dropped:
        notes.append(sentence("No gaps: every series used has a value on each day from {base} to {end}",
                              base=desk.f.day("week.base"), end=desk.f.day("week.end")))
    return notes


def _summed_market_notes(desk: MarketDesk) -> list[Sentence]:
    """Which total market value the brief used: said only when it is the store's reconstruction."""
    cap = desk.facts.market_cap
    if cap is None or cap.series != CAPS_SUM_KEY:
        return []
    return [sentence(
        "Total market value and dominance are the {title}: the store has no CoinGecko whole-market snapshot for both "
        "{base} and {end}, as its daily pulls keep one only from their first day on",
        title=desk.f.cite(f"sources.{CAPS_SUM_KEY}.title", str), base=desk.f.day("week.base"),
        end=desk.f.day("week.end"))]


def _freshness_notes(desk: MarketDesk) -> list[Sentence]:
    """For a stored source: the newest close and the last pull, and a warning when the store is stale."""
    fresh = desk.facts.quality.freshness
    if fresh is None:
        return []
    notes = [sentence("The newest close in the data store is for {newest}",
                      newest=desk.f.date("quality.freshness.newest_day"))]
    if fresh.pulled_at is not None:
        notes.append(sentence("The store was last updated from CoinGecko on {pulled}",
                              pulled=desk.f.cite("quality.freshness.pulled_at", lambda at: desk.fmt.date(at.date()))))
    if fresh.left_top_list:
        notes.append(sentence(
            "{symbols} left CoinGecko's top list during the week, so the store stopped updating them and the brief "
            "leaves them out", symbols=desk.f.cite("quality.freshness.left_top_list", lambda symbols: ", ".join(symbols))))
    if fresh.stale_for is not None:
        notes.append(sentence(
            "Stale data: the week asked for ends on {wanted}, after the newest close in the store, so this brief covers an "
            "earlier week", wanted=desk.f.date("quality.freshness.stale_for")))
    notes.extend(_failed_notes(desk))
    return notes


def _first_sentence(error: str) -> str:
    """What went wrong, without the advice to the operator that follows it (the command's warning keeps that)."""
    return error.split(". ")[0].rstrip(".")


def _failed_notes(desk: MarketDesk) -> list[Sentence]:
    """A live source that failed after its retries: named with its error, and what that leaves out (or that
    the brief still uses what the store held from earlier pulls, when the week's data was already in)."""
    fresh = desk.facts.quality.freshness
    notes = []
    for failure in fresh.failed if fresh is not None else ():
        used = any(source.key == failure.key or source.key.startswith(f"{failure.key}-") for source in desk.facts.sources)
        part = SOURCE_PARTS.get(failure.key, (failure.key, "its figures"))[1]
        notes.append(sentence(
            "{source} could not be reached: {error}; {rest}",
            source=desk.f.cite(f"quality.freshness.failed.{failure.key}.key", lambda key: SOURCE_PARTS.get(key, (key,))[0]),
            error=desk.f.cite(f"quality.freshness.failed.{failure.key}.error", _first_sentence),
            rest=f"the brief uses {part} as the store already held them" if used else f"the brief leaves out {part}"))
    return notes


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    facts = desk.facts
    name = desk.names.plain(subject(desk))
    method = basis_sentences(desk)
    if facts.levels:
        method.append(sentence(
            "{name}'s levels not seen since, drawdown and volatility use its longest history on those prices; "
            "realised volatility is the standard deviation of seven daily log returns, annualised over {days} days",
            name=name, days=desk.f.count("method.days_per_year")))
    if facts.btc_link is not None:
        method.append(sentence("Correlation and beta to bitcoin use both coins' daily returns over the {days} days to {end}, "
                               "on the same prices", days=desk.f.count("btc_link.days"), end=desk.f.day("week.end")))
    if facts.market_cap is not None:
        key = facts.market_cap.series
        method.append(sentence("Total market value and market shares come from the {title} ({time})",
                               title=desk.f.cite(f"sources.{key}.title", str), time=desk.f.cite(f"sources.{key}.time_of_day", str)))
    method += forward_looking(desk)
    method.append(sentence("The sentiment label is positive when {name}'s price rose by at least {threshold} over the week, negative "
                           "when it fell by at least as much, and neutral otherwise", name=name,
                           threshold=desk.f.pct("method.sentiment_threshold_pct")))
    method += [line for line in (method_sentence(desk),) if line is not None]
    return section("methodology", "Methodology & Sources", paragraph(*method), Paragraph((phrase("Data notes"),), kind="subhead"),
                    bullets(*_asset_data_notes(desk)), Paragraph((phrase("Sources"),), kind="subhead"), bullets(*desk.attributions()))


def _asset_data_notes(desk: AssetDesk) -> list[Sentence]:
    notes = []
    for gap in desk.facts.gaps:
        notes.append(sentence(
            "The {title} have no value for {name} on {days}, so figures for those days are left out",
            title=desk.f.cite(f"sources.{gap.series}.title", str), name=desk.names.plain(subject(desk)),
            days=desk.f.cite(f"gaps.{gap.series}.days", lambda days: join([Fragment(desk.fmt.day(d)) for d in days]).text)))
    missing = {"market_cap": "total market value or market share", "fear_greed": "Fear & Greed Index reading"}
    for name in desk.facts.quality.missing:
        notes.append(sentence("The data has no {what} for this week, so the brief leaves it out", what=missing[name]))
    if not desk.facts.standing.in_universe:
        notes.append(sentence("{name} is outside the {total} coins of the market brief (an excluded kind or a lower rank); it is "
                              "compared with them all the same", name=desk.names.plain(subject(desk)),
                              total=desk.f.count("universe.shown")))
    notes.extend(left_out_notes(desk))
    if not desk.facts.gaps:
        notes.append(sentence("No gaps: {name} has a price on each day from {base} to {end}",
                              name=desk.names.plain(subject(desk)), base=desk.f.day("week.base"), end=desk.f.day("week.end")))
    return notes


def forward_looking(desk: Desk[F]) -> list[Sentence]:
    """Where What to Watch's events come from, and that the editor's notes are quoted, not derived."""
    found = [sentence("What to Watch lists the scheduled events of the {days} days after the week's end: the Federal "
                      "Reserve's FOMC meetings from its published calendar{user}", days=desk.f.count("method.event_window_days"),
                      user=", and the events listed for this brief" if any(e.source != "fomc" for e in desk.facts.events) else "")]
    if notes_of(desk) is not None:
        found.append(sentence("From the desk, Reactions & Quotes and Unconfirmed are the editor's notes, quoted as written "
                              "and attributed; they are not drawn from the data, and their figures are not checked against it"))
    return found
