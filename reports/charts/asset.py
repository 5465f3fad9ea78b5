"""The asset brief's charts: its price through the week, against bitcoin and the market, its history.

They are drawn by the market brief's chart stage (`charts.draw_charts`): the same fonts,
style, sizes, deterministic PNG output and `Brief`/`Chart` types. This module only registers
the drawers for the asset figures; the drawdown and weekly-change bars are the market
brief's own drawers, fed from the asset facts' fields of the same names.
"""

from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from reports.charts.canvas import ACCENT, MUTED, SERIES, Brief, date_axis, draw_charts, drawdown, end_label, register, rows_height, spread_labels, ticks, week_band, weekly_change, xy
from reports.core.formatting import Formatter
from reports.story.model import Figure, Story


def draw_asset_charts(story: Story) -> Brief:
    """Draw every figure an asset story places (asset figures and the shared ones)."""
    return draw_charts(story)


def _week_ticks(ax: Axes, story: Story, fmt: Formatter, right_pad: float) -> None:
    week = story.facts.week
    ax.set_xlim(mdates.date2num(week.base) - 0.2, mdates.date2num(week.end) + right_pad)
    date_axis(ax, fmt, story.facts.method.week_days)
    ax.set_xticks([mdates.date2num(day) for day in week.days(with_base=True)])


def _asset_week(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The asset's daily price from the base day to the week's end, against the base day's price."""
    move = story.facts.subject
    days, values = xy(story.facts.series.week_prices)
    ax.axhline(move.base_close, color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)))
    ax.plot(days, values, color=ACCENT, linewidth=2.2, marker="o", markersize=3.2, zorder=3)
    end_label(ax, days[-1], values[-1], fmt.price(move.close), ACCENT)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.price(y)))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    _week_ticks(ax, story, fmt, right_pad=1.4)


def _asset_relative(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The asset, bitcoin and total market value, each indexed to 100 on the base day."""
    facts = story.facts
    ax.axhline(facts.method.index_base, color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)))
    ends = []
    for index, (key, points) in enumerate(facts.series.indexed):
        days, values = xy(points)
        color = SERIES[index % len(SERIES)]
        ax.plot(days, values, color=color, linewidth=2.4 if index == 0 else 1.5, zorder=3 - index * 0.1)
        change = facts.market_cap.change_pct if key == "market" else facts.asset(key).change_pct
        ends.append([values[-1], f"{figure.label(key)} {fmt.percent(change, sign=True)}", color, days[-1]])
    spread_labels(ends, gap=(ax.get_ylim()[1] - ax.get_ylim()[0]) * 0.07)
    for y, text, color, day in ends:
        end_label(ax, day, y, text, color)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.number(y)))
    _week_ticks(ax, story, fmt, right_pad=1.9)


def _asset_history(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The asset's daily closes on its longest history, with the week shaded."""
    week_band(ax, story)
    days, values = xy(story.facts.series.history)
    ax.plot(days, values, color=ACCENT, linewidth=1.6)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.price(y)))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    date_axis(ax, fmt, story.facts.history_window.days)


def _asset_peers(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """The market brief's weekly-change bars, with the asset's own bar and name picked out."""
    weekly_change(ax, figure, story, fmt)
    order = [move.id for move in sorted(story.facts.assets, key=lambda move: move.change_pct)]
    at = order.index(story.facts.asset_id)
    for index, bar in enumerate(ax.containers[0]):
        if index != at:
            bar.set_alpha(0.45)
    label = ax.get_yticklabels()[at]
    label.set_fontweight("bold")


register("asset-peers", _asset_peers, rows_height)
register("asset-week", _asset_week, lambda story: 2.6)
register("asset-relative", _asset_relative, lambda story: 3.0)
register("asset-history", _asset_history, lambda story: 2.6)
register("asset-drawdown", drawdown, lambda story: 2.3)
