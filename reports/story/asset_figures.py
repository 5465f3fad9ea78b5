"""The asset brief's figures: the words of each chart (title, caption, alt text, labels).
"""

from __future__ import annotations

from reports.story.desk import AssetDesk
from reports.facts.model import BTC
from reports.story.prose import Fragment, join, phrase, sentence
from reports.story.model import Figure
from reports.story.asset_view import subject
from reports.story.figures import breadth_words, history_caption


def week_figure(desk: AssetDesk) -> Figure:
    a = subject(desk)
    k = f"assets.{a}"
    prices = desk.facts.sources[0].key
    name = desk.names.plain(a)
    return Figure(
        chart="asset-week",
        title=phrase("{name}'s price through {week}", name=name, week=desk.week_to()),
        caption=sentence("Daily prices ({time}); the dashed line is the price on {base}, where the weekly change is measured from",
                         time=desk.f.cite(f"sources.{prices}.time_of_day", str), base=desk.f.day("week.base")),
        alt=sentence("Line chart of {name}'s daily price from {base} on {base_day} to {close} on {end}, with a low of {low} and a "
                     "high of {high}", name=name, base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
                     close=desk.f.price(f"{k}.close"), end=desk.f.day("week.end"), low=desk.f.price(f"{k}.low"),
                     high=desk.f.price(f"{k}.high")),
        labels=((a, desk.facts.subject.symbol),),
    )


def relative_figure(desk: AssetDesk) -> Figure | None:
    lines = [key for key, _ in desk.facts.series.indexed]
    if len(lines) < 2:
        return None
    a = subject(desk)
    others = [Fragment("bitcoin") if key == BTC else Fragment("total market value") for key in lines[1:]]
    ends = [desk.names.plain(a) + " " + desk.up_down(a)]
    if BTC in lines[1:]:
        ends.append(Fragment("bitcoin ") + desk.up_down(BTC))
    if "market" in lines and desk.facts.market_cap is not None:  # the market line is drawn only when the week has it
        ends.append(Fragment("total market value ") + desk.direction("market_cap.change_pct", desk.facts.market_cap.change_pct))
    labels = [(a, desk.facts.subject.symbol)] + [(BTC, "BTC") if key == BTC else ("market", "Market") for key in lines[1:]]
    return Figure(
        chart="asset-relative",
        title=phrase("{name} against {others}, indexed to {base} on {day}", name=desk.names.plain(a), others=join(others),
                     base=desk.f.count("method.index_base"), day=desk.f.day("week.base")),
        caption=sentence("Each line is divided by its value on {day}; above {base} means a gain over the week",
                         day=desk.f.day("week.base"), base=desk.f.count("method.index_base")),
        alt=sentence("Line chart of {name} and {others} over {week}, each starting at {base}; by the end: {ends}",
                     name=desk.names.plain(a), others=join(others), week=desk.week_to(), base=desk.f.count("method.index_base"),
                     ends=join(ends)),
        labels=tuple(labels),
    )


def peers_figure(desk: AssetDesk) -> Figure | None:
    if len(desk.facts.assets) < 3 or not desk.facts.subject.compared:
        return None  # the bars compare moves: only coins on the brief's price basis stand among them
    return Figure(
        chart="asset-peers",
        title=phrase("{name} among the {total} {coins}", name=desk.names.plain(subject(desk)),
                     total=desk.f.count("standing.of"), coins=desk.coins),
        caption=sentence("Seven-day change from {base} to {end}; {breadth}",
                         base=desk.f.day("week.base"), end=desk.f.day("week.end"), breadth=breadth_words(desk)),
        alt=sentence("Bar chart of the weekly change of the largest coins; {name} is at {change}",
                     name=desk.names.plain(subject(desk)), change=desk.change(subject(desk), sign=True)),
        labels=tuple((move.id, move.symbol) for move in desk.facts.assets if move.compared),
    )


def history_figure(desk: AssetDesk) -> Figure | None:
    window = desk.facts.history_window
    if window is None:
        return None
    name = desk.names.plain(subject(desk))
    return Figure(
        chart="asset-history",
        title=phrase("{name}'s daily prices since {start}", name=name, start=desk.f.date("history_window.start")),
        caption=sentence("Daily prices from the {title} ({time}); the shaded band is the week to {end}",
                         title=desk.f.cite(f"sources.{window.series}.title", str),
                         time=desk.f.cite(f"sources.{window.series}.time_of_day", str), end=desk.f.day("week.end")),
        alt=sentence("Line chart of {name}'s daily prices over the {days} days to {end}, inside a {rdays}-day range from {low} to {high}",
                     name=name, days=desk.f.count("history_window.days"), end=desk.f.date("week.end"),
                     rdays=desk.f.count("range.days"), low=desk.f.price("range.low"), high=desk.f.price("range.high")),
        labels=((subject(desk), desk.facts.subject.symbol),),
    )


def drawdown_figure(desk: AssetDesk) -> Figure | None:
    window, dd = desk.facts.history_window, desk.facts.drawdown
    if window is None or dd is None:
        return None
    name = desk.names.plain(subject(desk))
    return Figure(
        chart="asset-drawdown",
        title=phrase("{name}'s distance below its highest close, since {start}", name=name, start=desk.f.date("history_window.start")),
        caption=history_caption(desk, dd.series, "drawdown.history_start"),
        alt=sentence("Area chart of {name}'s drawdown from its highest close of {peak} on {day}; it ended the week {dd} below it",
                     name=name, peak=desk.f.price("drawdown.peak"), day=desk.f.date("drawdown.peak_day"),
                     dd=desk.f.pct("drawdown.drawdown_pct", absolute=True)),
        labels=((subject(desk), desk.facts.subject.symbol),),
    )
