"""Drawing a story's figures: the registry of figure kinds, and the drawing itself (on one core,
or half of the figures in a forked child).

`DRAWERS` is the one registry of charts, for every subject: a chart id, its drawer and its height
in inches. A new chart is a drawer in the module of its family and one line here.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from reports.charts import asset, market
from reports.charts.canvas import (DPI, PHONE_TALLER, PHONE_WIDTH_IN, STYLE, WIDTH_IN, Brief, Chart, fit_margins,
                                   encode_png, register_fonts)
from reports.core import forked
from reports.core.formatting import Formatter
from reports.story.model import Figure, Story

Drawer = Callable[[Axes, Figure, Story, Formatter], None]
Height = Callable[[Story], float]
DRAWERS: dict[str, tuple[Drawer, Height]] = {
    "price-path": (market.price_path, lambda story: 3.2),
    "weekly-change": (market.weekly_change, market.rows_height),
    "market-cap": (market.market_cap, lambda story: 3.3),  # with bitcoin's share in a panel below
    "drawdown": (market.drawdown, lambda story: 2.5),
    "fear-greed": (market.fear_greed, lambda story: 2.5),
    "etf-flows": (market.etf_flows, lambda story: 2.8),
    "asset-peers": (asset.asset_peers, market.rows_height),
    "asset-week": (asset.asset_week, lambda story: 2.6),
    "asset-relative": (asset.asset_relative, lambda story: 3.0),
    "asset-history": (asset.asset_history, lambda story: 2.6),
    "asset-drawdown": (market.drawdown, lambda story: 2.3),
}


_SECOND_CORE = False


def use_second_core() -> None:
    """Draw half of each brief's figures in a forked child (for a single cold build, whose
    second core is otherwise idle; a batch already keeps every core busy)."""
    global _SECOND_CORE
    _SECOND_CORE = forked.available() and (os.cpu_count() or 1) > 1


def draw_charts(story: Story, phone: bool = False) -> Brief:
    """Draw every figure the story places, with tick labels in the story's locale; with `phone`, each
    one's phone version too (for the site)."""
    register_fonts()
    fmt = Formatter(story.locale)
    figures = story.figures
    if _SECOND_CORE and len(figures) > 1:
        theirs = _draw_forked(figures[1::2], story, fmt, phone)
        ours = [_draw(figure, story, fmt, phone) for figure in figures[::2]]
        drawn = {chart.id: chart for chart in ours + theirs()}
        return Brief(story, tuple(drawn[figure.chart] for figure in figures))
    return Brief(story, tuple(_draw(figure, story, fmt, phone) for figure in figures))


def _draw_forked(figures, story: Story, fmt: Formatter, phone: bool) -> Callable[[], list[Chart]]:
    """Start drawing `figures` in a forked child; the returned call waits for its charts.

    The child is a copy of this process (data, story, fonts and matplotlib already loaded),
    so it only draws. Charts are deterministic, so which process draws one changes no byte.
    """
    child = forked.Child(_draw_and_send, figures, story, fmt, phone, name="brief-charts")

    def wait() -> list[Chart]:
        try:
            return child.answer("charts could not be drawn")
        finally:
            child.close()

    return wait


def _draw_and_send(conn, figures, story: Story, fmt: Formatter, phone: bool) -> None:
    forked.reply(conn, lambda: [_draw(figure, story, fmt, phone) for figure in figures])


def _draw(figure: Figure, story: Story, fmt: Formatter, phone: bool = False) -> Chart:
    png, width, height = _raster(figure, story, fmt, phone=False)
    return Chart(figure.chart, png, width, height, _raster(figure, story, fmt, phone=True)[0] if phone else b"")


def _raster(figure: Figure, story: Story, fmt: Formatter, phone: bool) -> tuple[bytes, int, int]:
    mpl, _ = lay_out(figure, story, fmt, phone)
    canvas = mpl.canvas
    assert isinstance(canvas, FigureCanvasAgg)  # `lay_out` draws every figure on an Agg canvas
    with matplotlib.rc_context(STYLE):  # some style is read only when drawing
        canvas.draw()
    return (encode_png(canvas), *canvas.get_width_height())


def lay_out(figure: Figure, story: Story, fmt: Formatter | None = None, phone: bool = False) -> tuple[MplFigure, object]:
    """The figure's matplotlib drawing with its margins fitted, not yet rasterised, and its renderer;
    with `phone`, the same figure narrower and taller (the site's phone version)."""
    register_fonts()
    draw, height = DRAWERS[figure.chart]
    size = (PHONE_WIDTH_IN, height(story) * PHONE_TALLER) if phone else (WIDTH_IN, height(story))
    with matplotlib.rc_context(STYLE):
        mpl = MplFigure(figsize=size, dpi=DPI)
        canvas = FigureCanvasAgg(mpl)
        draw(mpl.add_subplot(), figure, story, fmt or Formatter(story.locale))
        if phone:
            _fewer_dates(mpl)
        renderer = canvas.get_renderer()
        fit_margins(mpl, renderer)
    return mpl, renderer


def _fewer_dates(mpl: MplFigure) -> None:
    """On the phone version's narrow axes a label per day would touch: every other day (counted back
    from the week's end, which keeps its label), or at most four dates over a longer span."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator

    for ax in mpl.axes:
        locator = ax.xaxis.get_major_locator()
        if isinstance(locator, FixedLocator) and len(ax.get_xticks()) > 5:
            ax.set_xticks(list(ax.get_xticks()[::-1][::2][::-1]))
        elif isinstance(locator, mdates.DayLocator):
            ax.xaxis.set_major_locator(mdates.DayLocator(interval=2))
        elif isinstance(locator, mdates.AutoDateLocator):
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=4))
