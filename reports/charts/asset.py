"""The asset brief's charts: its price through the week, against bitcoin and the market, its history.

They are drawn like every figure (`reports.charts.draw`): the same fonts, style, sizes,
deterministic PNG output and `Brief`/`Chart` types. This module holds the drawers of the
asset figures; the drawdown and weekly-change bars are the market brief's own drawers
(`charts.market`), fed from the asset facts' fields of the same names.
"""

from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from reports.charts.canvas import ACCENT, MUTED, SERIES, EndLabel, asset_change, date_axis, end_label, spread_labels, ticks, week_band, xy
from reports.charts.market import compared, weekly_change
from reports.core.formatting import Formatter
from reports.facts.asset import AssetWeekFacts
from reports.story.model import Figure, Story


def asset_facts(story: Story) -> AssetWeekFacts:
    """The asset brief's facts, for the charts only an asset brief places."""
    if not isinstance(story.facts, AssetWeekFacts):
        raise TypeError(f"an asset brief's chart was placed in a brief of {type(story.facts).__name__}")
    return story.facts


def _week_ticks(ax: Axes, story: Story, fmt: Formatter, right_pad: float) -> None:
    week = story.facts.week
    ax.set_xlim(mdates.date2num(week.base) - 0.2, mdates.date2num(week.end) + right_pad)
    date_axis(ax, fmt, story.facts.method.week_days)
    ax.set_xticks([mdates.date2num(day) for day in week.days(with_base=True)])


def asset_week(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The asset's daily price from the base day to the week's end, against the base day's price."""
    facts = asset_facts(story)
    move = facts.subject
    days, values = xy(facts.series.week_prices)
    ax.axhline(move.base_close, color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)))
    ax.plot(days, values, color=ACCENT, linewidth=2.2, marker="o", markersize=3.2, zorder=3)  # type: ignore[arg-type]  # stubs: x as dates (see canvas.xy)
    end_label(ax, days[-1], values[-1], fmt.price(move.close), ACCENT)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.price(y)))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    _week_ticks(ax, story, fmt, right_pad=1.4)


def asset_relative(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The asset, bitcoin and total market value, each indexed to 100 on the base day."""
    facts = asset_facts(story)
    ax.axhline(facts.method.index_base, color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)))
    ends = []
    for index, (key, points) in enumerate(facts.series.indexed):
        days, values = xy(points)
        color = SERIES[index % len(SERIES)]
        ax.plot(days, values, color=color, linewidth=2.4 if index == 0 else 1.5, zorder=3 - index * 0.1)  # type: ignore[arg-type]  # stubs: x as dates (see canvas.xy)
        # the "market" line is drawn only when the week has total market value
        change = facts.market_cap.change_pct if key == "market" and facts.market_cap else asset_change(facts, key)
        ends.append(EndLabel(values[-1], f"{figure.label(key)} {fmt.percent(change, sign=True)}", color, days[-1]))
    spread_labels(ends, gap=(ax.get_ylim()[1] - ax.get_ylim()[0]) * 0.07)
    for label in ends:
        end_label(ax, label.day, label.y, label.text, label.color)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.number(y)))
    _week_ticks(ax, story, fmt, right_pad=1.9)


def asset_history(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The asset's daily closes on its longest history, with the week shaded."""
    facts = asset_facts(story)
    if facts.history_window is None:
        raise ValueError(f"no history to chart for {facts.asset_id}")  # the story places this chart only with one
    week_band(ax, story)
    days, values = xy(facts.series.history)
    ax.plot(days, values, color=ACCENT, linewidth=1.6)  # type: ignore[arg-type]  # stubs: x as dates (see canvas.xy)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.price(y)))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    date_axis(ax, fmt, facts.history_window.days)


def asset_peers(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The market brief's weekly-change bars, with the asset's own bar and name picked out."""
    weekly_change(ax, figure, story, fmt)
    facts = asset_facts(story)
    order = [move.id for move in sorted(compared(story), key=lambda move: move.change_pct)]
    at = order.index(facts.asset_id)
    for index, bar in enumerate(ax.containers[0]):
        if index != at:
            bar.set_alpha(0.45)
    label = ax.get_yticklabels()[at]
    label.set_fontweight("bold")
