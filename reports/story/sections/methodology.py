"""Methodology & sources, with the data notes, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story.desk import AssetDesk, MarketDesk
from reports.story.prose import Fragment, Sentence, join, phrase, sentence
from reports.story.model import Paragraph, Section
from reports.story.sections.blocks import TIME_OF_DAY_NOTE, bullets, paragraph
from reports.story.asset_view import section, subject


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    facts = desk.facts
    prices = facts.sources[0].key
    method = [sentence(
        "Weekly changes compare each asset's price on {end} with its price seven days earlier, on {base}, both from the "
        "{title} ({time})",
        end=desk.f.date("week.end"), base=desk.f.date("week.base"),
        title=desk.f.cite(f"sources.{prices}.title", str), time=desk.f.cite(f"sources.{prices}.time_of_day", str),
    )]
    history = {lv.series for lv in facts.levels}
    for series in sorted(history):
        method.append(sentence(
            "Levels not seen since, drawdowns and volatility use the longest history available, the {title} ({time}); "
            "realised volatility is the standard deviation of seven daily log returns, annualised over {days} days",
            title=desk.f.cite(f"sources.{series}.title", str), time=desk.f.cite(f"sources.{series}.time_of_day", str),
            days=desk.f.count("method.days_per_year"),
        ))
    if facts.ranks:
        method.append(sentence(
            "A week's rank compares its seven-day change with every earlier seven-day change in the same series (each "
            "day against the day a week before); streaks step back a week at a time on the prices above; verbs such as "
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
    method.append(sentence(
        "The sentiment label is positive when {measure} rose by at least {threshold}, negative when it fell by at least "
        "as much, and neutral otherwise",
        measure="total market value" if facts.market_cap else "the median asset",
        threshold=desk.f.pct("method.sentiment_threshold_pct"),
    ))
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
    if q.ignored_columns:
        notes.append(sentence("Columns not used: {columns}",
                              columns=desk.f.cite("quality.ignored_columns", lambda cols: ", ".join(cols))))
    lead = desk.lead
    dd = next((d for d in desk.facts.drawdowns if d.asset == lead and d.series != desk.facts.sources[0].key), None)
    if dd is not None and abs(dd.close / desk.move(lead).close - 1) >= TIME_OF_DAY_NOTE:
        notes.append(sentence(
            "Time of day matters this week: {name} was at {snapshot} in the {time} on {end}, but closed the day at {close} "
            "({close_time})",
            name=desk.names.plain(lead), snapshot=desk.f.price(f"assets.{lead}.close"),
            time=desk.f.cite(f"sources.{desk.facts.sources[0].key}.time_of_day", str), end=desk.f.day("week.end"),
            close=desk.f.price(f"drawdowns.{lead}.close"), close_time=desk.f.cite(f"sources.{dd.series}.time_of_day", str),
        ))
    notes.extend(_freshness_notes(desk))
    if not q.gaps and not q.dropped:
        notes.append(sentence("No gaps: every series used has a value on each day from {base} to {end}",
                              base=desk.f.day("week.base"), end=desk.f.day("week.end")))
    return notes


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
    return notes


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    facts = desk.facts
    prices = facts.sources[0].key
    name = desk.names.plain(subject(desk))
    method = [sentence(
        "Weekly changes compare each asset's price on {end} with its price seven days earlier, on {base}, both from the {title} "
        "({time}); ranks are that file's market-cap ranks", end=desk.f.date("week.end"), base=desk.f.date("week.base"),
        title=desk.f.cite(f"sources.{prices}.title", str), time=desk.f.cite(f"sources.{prices}.time_of_day", str))]
    if facts.levels:
        series = facts.levels[0].series
        method.append(sentence(
            "{name}'s levels not seen since, drawdown and volatility use its longest history available, the {title} ({time}); "
            "realised volatility is the standard deviation of seven daily log returns, annualised over {days} days",
            name=name, title=desk.f.cite(f"sources.{series}.title", str), time=desk.f.cite(f"sources.{series}.time_of_day", str),
            days=desk.f.count("method.days_per_year")))
    if facts.btc_link is not None:
        method.append(sentence("Correlation and beta to bitcoin use both coins' daily returns over the {days} days to {end}, "
                               "from the same snapshots", days=desk.f.count("btc_link.days"), end=desk.f.day("week.end")))
    if facts.market_cap is not None:
        key = facts.market_cap.series
        method.append(sentence("Total market value and market shares come from the {title} ({time})",
                               title=desk.f.cite(f"sources.{key}.title", str), time=desk.f.cite(f"sources.{key}.time_of_day", str)))
    method.append(sentence("The sentiment label is positive when {name}'s price rose by at least {threshold} over the week, negative "
                           "when it fell by at least as much, and neutral otherwise", name=name,
                           threshold=desk.f.pct("method.sentiment_threshold_pct")))
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
                              total=desk.f.count("breadth.total")))
    dd = desk.facts.drawdown
    close = desk.facts.subject.close
    if dd is not None and dd.series != desk.facts.sources[0].key and abs(dd.close / close - 1) >= TIME_OF_DAY_NOTE:
        a = subject(desk)
        notes.append(sentence(
            "Time of day matters this week: {name} was at {snapshot} in the {time} on {end}, but closed the day at {close} ({close_time})",
            name=desk.names.plain(a), snapshot=desk.f.price(f"assets.{a}.close"),
            time=desk.f.cite(f"sources.{desk.facts.sources[0].key}.time_of_day", str), end=desk.f.day("week.end"),
            close=desk.f.price("drawdown.close"), close_time=desk.f.cite(f"sources.{dd.series}.time_of_day", str)))
    if not desk.facts.gaps:
        notes.append(sentence("No gaps: {name} has a price on each day from {base} to {end}",
                              name=desk.names.plain(subject(desk)), base=desk.f.day("week.base"), end=desk.f.day("week.end")))
    return notes
