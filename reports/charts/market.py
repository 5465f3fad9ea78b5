"""The market brief's figures: the price path, the weekly change of every coin, total market value,
bitcoin's drawdown and the Fear & Greed Index. Each drawer takes the axes, the story's figure, the
story and the formatter; `reports.charts.draw.DRAWERS` names them.
"""

from __future__ import annotations

from datetime import timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from reports.charts.canvas import (ACCENT, DOWN, GRID, INK, MUTED, SERIES, UP, EndLabel, asset_change, date_axis, end_label,
                                   market_facts, panel_below, panel_label, spread_labels, ticks, week_band, xy)
from reports.core.formatting import Formatter
from reports.facts.model import AssetMove
from reports.story.model import Figure, Story


def price_path(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    facts = market_facts(story)
    base = facts.method.index_base
    ax.axhline(base, color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)))
    ends = []
    for index, (asset, points) in enumerate(facts.series.price_paths):
        days, values = xy(points)
        color = SERIES[index % len(SERIES)]
        ax.plot(days, values, color=color, linewidth=2.4 if index == 0 else 1.5, zorder=3 - index * 0.1)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
        change = asset_change(facts, asset)
        ends.append(EndLabel(values[-1], f"{figure.label(asset)} {fmt.percent(change, sign=True)}", color, days[-1]))
    spread_labels(ends, gap=(ax.get_ylim()[1] - ax.get_ylim()[0]) * 0.055)
    for label in ends:
        end_label(ax, label.day, label.y, label.text, label.color)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.number(y)))
    week = story.facts.week
    ax.set_xlim(mdates.date2num(week.base) - 0.2, mdates.date2num(week.end) + 1.6)
    date_axis(ax, fmt, story.facts.method.week_days)
    ax.set_xticks([mdates.date2num(day) for day in week.days(with_base=True)])




def weekly_change(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    moves = sorted(compared(story), key=lambda move: move.change_pct)
    names = [figure.label(move.id) for move in moves]
    values = [move.change_pct for move in moves]
    colors = [UP if value > 0 else DOWN for value in values]
    positions = range(len(moves))  # by position, not by label: two coins may share a symbol
    bars = ax.barh(positions, values, color=colors, height=0.66, zorder=2)
    ax.set_yticks(positions, names)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    span = max(abs(value) for value in values) or 1
    ax.set_xlim(min(min(values), 0) - span * 0.16, max(max(values), 0) + span * 0.16)
    for bar, value in zip(bars, values):
        x = bar.get_width()
        ax.annotate(fmt.percent(value, sign=True), (x, bar.get_y() + bar.get_height() / 2),
                    xytext=(4 if value >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if value >= 0 else "right", va="center", fontsize=7.5, color=INK)
    ax.xaxis.set_major_formatter(ticks(lambda x: fmt.percent(x, digits=0)))
    ax.xaxis.set_major_locator(MaxNLocator(7, steps=[1, 2, 5, 10], integer=True))  # labels show whole percents
    ax.tick_params(axis="y", labelsize=7.5, labelcolor=INK)


def market_cap(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """Total market value, and bitcoin's share of it in its own panel below on an axis at least
    `SHARE_SPAN` points tall, so that a move of half a point looks like one. The week's start and end are marked
    on each line (the days its change is measured between), the end with its value."""
    facts = market_facts(story)
    series = facts.series
    start, end = (facts.market_cap.start_day, facts.market_cap.end_day) if facts.market_cap else (facts.week.base, facts.week.end)
    shares = [(day, value) for day, value in series.btc_dominance if value is not None]
    share_ax = panel_below(ax, 0.3) if shares else None
    week_band(ax, story)
    days, values = xy(series.market_cap)
    ax.plot(days, values, color=SERIES[1], linewidth=1.8)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
    _mark_week(ax, series.market_cap, start, end, SERIES[1], fmt.money_short)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.money_short(y)))
    ax.yaxis.set_major_locator(MaxNLocator(4))
    _mark_fall_and_low(ax, figure, facts, fmt)
    panel_label(ax, figure.label("market_cap"), SERIES[1])
    if share_ax is not None:
        week_band(share_ax, story)
        days, values = xy(series.btc_dominance)
        share_ax.plot(days, values, color=ACCENT, linewidth=1.4)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
        _mark_week(share_ax, series.btc_dominance, start, end, ACCENT, lambda y: fmt.percent(y, digits=1))
        low, high = min(value for _, value in shares), max(value for _, value in shares)
        middle, half = (low + high) / 2, max(SHARE_SPAN, (high - low) * 1.3) / 2
        share_ax.set_ylim(middle - half, middle + half)
        share_ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
        share_ax.yaxis.set_major_formatter(ticks(lambda y: fmt.percent(y, digits=0)))
        panel_label(share_ax, figure.label("btc_dominance"), ACCENT)
    date_axis(share_ax or ax, fmt, story.facts.method.context_days)


# Bitcoin's share of total market value is drawn on an axis at least this many percentage points tall.
SHARE_SPAN = 5.0


def _mark_week(ax: Axes, points, start, end, color: str, label) -> None:
    """Dots on the line at the week's base day and last day, the last one labelled with its value."""
    at = {day: value for day, value in points if value is not None}
    for day in (start, end):
        if day in at:
            ax.plot([day], [at[day]], marker="o", markersize=3.6, color=color, zorder=4)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
    if end in at:
        ax.annotate(label(at[end]), (end, at[end]), xytext=(5, 0), textcoords="offset points", va="center", ha="left",  # type: ignore[arg-type]  # stubs: x as dates (see xy)
                    fontsize=7.5, color=color, fontweight="semibold")


def _mark_fall_and_low(ax: Axes, figure: Figure, facts, fmt: Formatter) -> None:
    """What the text talks about, from the facts: in a week that fell, its largest one-day fall drawn in red with its
    size; the week's low as a ring with its value, unless it is the last day (whose dot and value are there already).
    Each label sits halfway between two gridlines, at the height where the line keeps farthest from it."""
    cap = facts.market_cap
    if cap is None:
        return
    at = {day: value for day, value in facts.series.market_cap if value is not None}
    marks = []
    if cap.fall_day is not None and cap.fall_pct is not None and cap.change_usd < 0:
        before = cap.fall_day - timedelta(days=1)
        if before in at and cap.fall_day in at:
            ax.plot([before, cap.fall_day], [at[before], at[cap.fall_day]], color=DOWN, linewidth=2.6, zorder=3.5,  # type: ignore[list-item]  # stubs: x as dates (see xy)
                    solid_capstyle="round", gid="mark-fall")
            marks.append((f"{figure.label('largest_fall')} {fmt.percent(cap.fall_pct, sign=True)}", before, "right", DOWN, "mark-fall-label"))
    if cap.low_day is not None and cap.low_usd is not None and cap.low_day != cap.end_day:
        ax.plot([cap.low_day], [cap.low_usd], marker="o", markersize=5.5, markerfacecolor="white",  # type: ignore[list-item]  # stubs: x as dates (see xy)
                markeredgecolor=SERIES[1], markeredgewidth=1.4, zorder=4.5, gid="mark-low")
        marks.append((f"{figure.label('week_low')} {fmt.money_short(cap.low_usd)}", cap.low_day, "center", SERIES[1], "mark-low-label"))
    if not marks:
        return
    locs, step = _gridlines(ax)
    midpoints = [loc + step / 2 for loc in (locs[0] - step, *locs[:-1])]  # one more interval under the lowest line
    for text, day, align, color, gid in marks:
        span = _label_days(ax, text)
        first = day - timedelta(days=span) if align == "right" else day - timedelta(days=span / 2)
        near = [value for when, value in at.items() if first - timedelta(days=1) <= when <= first + timedelta(days=span + 1)]
        clear = [m for m in midpoints if min(abs(m - value) for value in near) >= CLEARANCE * step]
        y = min(clear, key=lambda m: abs(m - at[day])) if clear else max(midpoints, key=lambda m: min(abs(m - v) for v in near))
        if y < locs[0]:  # the interval under the lowest gridline: the axis grows down to a gridline of its own
            locs = [locs[0] - step, *locs]
        far = abs(y - at[day]) > step * 0.75  # a label most of an interval or more from its mark gets a thin leader to it
        ax.annotate(text, (day, at[day]), xytext=(day - timedelta(hours=12) if align == "right" else day, y),  # type: ignore[arg-type]  # stubs: x as dates (see xy)
                    textcoords="data", ha=align, va="center", fontsize=7.5, color=color, fontweight="semibold", gid=gid,
                    arrowprops=dict(arrowstyle="-", color=color, linewidth=0.6, shrinkA=2, shrinkB=4) if far else None)
    ax.set_ylim(min(ax.get_ylim()[0], locs[0]), ax.get_ylim()[1])
    ax.set_yticks(locs)


# A mark's label keeps at least this share of a gridline interval between its middle and the line (about 6 pt).
CLEARANCE = 0.3


def _gridlines(ax: Axes) -> tuple[list[float], float]:
    """The gridlines where the axis put them, from here on fixed (a label placed between two must stay there)."""
    low, high = ax.get_ylim()
    locs = [loc for loc in ax.yaxis.get_major_locator().tick_values(low, high) if low <= loc <= high]
    return locs, locs[1] - locs[0]


def _label_days(ax: Axes, text: str) -> float:
    """How many days of the date axis a label of 7.5 pt type covers (about half an em a character)."""
    width_in = len(text) * 7.5 * 0.55 / 72
    left, right = ax.get_xlim()
    return width_in / (ax.bbox.width / ax.figure.dpi) * (right - left)


def drawdown(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    week_band(ax, story)
    days, values = xy(story.facts.series.drawdown)
    ax.fill_between(days, values, 0, color=DOWN, alpha=0.16, linewidth=0)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
    ax.plot(days, values, color=DOWN, linewidth=1.6)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
    ax.axhline(0, color=MUTED, linewidth=0.8)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.percent(y, digits=0)))
    ax.set_ylim(top=0)
    date_axis(ax, fmt, story.facts.method.context_days)


FEAR_GREED_ZONE_KEYS = ("extreme_fear", "fear", "neutral", "greed", "extreme_greed")
FEAR_GREED_ZONES = ((0, 25, "#f6d5d2"), (25, 45, "#fbe9dc"), (45, 55, "#f1f3f5"), (55, 75, "#dcefe3"), (75, 100, "#c7e6d3"))


def fear_greed(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    for low, high, color in FEAR_GREED_ZONES:
        ax.axhspan(low, high, color=color, zorder=0, linewidth=0)
    facts = market_facts(story)
    week = facts.week
    ax.axvspan(week.start, week.end, facecolor="none", edgecolor=MUTED, hatch="", linewidth=0.8, linestyle=(0, (2, 2)))  # type: ignore[arg-type]  # stubs: x as dates (see xy)
    days, values = xy(facts.series.fear_greed)
    ax.plot(days, values, color=INK, linewidth=1.6)  # type: ignore[arg-type]  # stubs: x as dates (see xy)
    for (low, high, _), key in zip(FEAR_GREED_ZONES, FEAR_GREED_ZONE_KEYS):
        ax.text(1.005, (low + high) / 200, figure.label(key), transform=ax.transAxes, va="center", ha="left",
                fontsize=7, color=MUTED)
    ax.set_ylim(0, 100)
    ax.grid(False)
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.index(y)))
    date_axis(ax, fmt, story.facts.method.context_days)


def etf_flows(ax: Axes, figure: Figure, story: Story, fmt: Formatter) -> None:
    """US spot bitcoin ETFs' daily net flows (bars, left axis) and bitcoin's daily close (line, right axis)."""
    series = market_facts(story).series
    trading = [(day, value) for day, value in series.etf_flows if value is not None]
    days = [mdates.date2num(day) for day, _ in trading]
    values = [value for _, value in trading]
    ax.bar(days, values, width=0.62, color=[UP if value > 0 else DOWN for value in values], zorder=2)
    ax.axhline(0, color=MUTED, linewidth=0.8)
    ax.yaxis.set_major_formatter(ticks(lambda y: fmt.money_short(y, digits=0)))
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.grid(axis="x", visible=False)
    right = ax.twinx()
    right.spines["right"].set_visible(True)
    right.spines["right"].set_color(GRID)
    right.grid(False)
    line_days, closes = xy(series.etf_closes)
    line, = right.plot(line_days, closes, color=ACCENT, linewidth=2.0, marker="o", markersize=3, zorder=3,  # type: ignore[arg-type]  # stubs: x as dates (see xy)
                       label=figure.label("bitcoin"))
    right.yaxis.set_major_formatter(ticks(lambda y: fmt.price(y)))
    right.yaxis.set_major_locator(MaxNLocator(5))
    handles = [Patch(color=UP, label=figure.label("inflow")), Patch(color=DOWN, label=figure.label("outflow")), line]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, fontsize=8, borderaxespad=0.2)
    week = story.facts.week
    ax.set_xlim(mdates.date2num(week.base) - 0.6, mdates.date2num(week.end) + 0.6)
    date_axis(ax, fmt, story.facts.method.week_days)
    ax.set_xticks([mdates.date2num(day) for day in week.days(with_base=True)])


def compared(story: Story) -> list[AssetMove]:
    """The coins on the brief's price basis: only their moves are set side by side."""
    return [move for move in story.facts.assets if move.compared]


def rows_height(story: Story) -> float:
    return 0.9 + 0.19 * len(compared(story))
