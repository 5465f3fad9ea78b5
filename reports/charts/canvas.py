"""The charts stage: the story's figures drawn from the facts' series, as PNG.

One picture per figure, used by every output: the PDF, the HTML, the site and the email.
Every label comes from the story (titles, series names) or the shared formatter (tick
labels). Output is deterministic: no dates or software tags in the files.

Speed, which is most of a brief's cost: PNG only (an SVG copy was a second full drawing
pass); no layout engine (constrained layout solves the margins twice over): instead the
axes' decorations are measured once and the margins set to fit them (`fit_margins`); the PNG is
opaque RGB straight from the Agg buffer, which the PDF embeds without re-encoding.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from reports.core.formatting import Formatter  # noqa: E402
from reports.facts.asset import BriefFacts  # noqa: E402
from reports.facts.model import Points, WeekFacts  # noqa: E402
from reports.story.model import Story  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

ASSETS = Path(__file__).resolve().parents[2] / "assets"
WIDTH_IN = 6.8
# The phone version of each chart (the site shows it below 640 px): narrower, so its labels stay
# readable at a phone's width with no sideways scroll, and taller, so the lines keep their shape.
PHONE_WIDTH_IN = 3.9
PHONE_TALLER = 1.25
DPI = 200
# zlib level for the chart PNGs: level 6 (the default) costs about twice the time of 3 for files
# a few per cent smaller.
PNG_COMPRESSION = 3

INK = "#1d232b"
MUTED = "#5f6b7a"
GRID = "#e3e7ec"
WEEK_BAND = "#f3ecd9"
UP = "#1a7f5a"
DOWN = "#c2413b"
ACCENT = "#d9820b"  # bitcoin's line and the brief's accent
SERIES = ("#d9820b", "#3b5bdb", "#0b7285", "#7048e8", "#c2255c", "#5c940d")

STYLE: dict[RcKeyType, Any] = {
    "font.family": "Inter",
    "font.size": 8.5,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.7,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "xtick.major.pad": 5,
    "ytick.major.pad": 5,
    "legend.frameon": False,
    "lines.solid_capstyle": "round",
}


# Space kept around the measured decorations, in inches.
EDGE_IN = 0.06


@dataclass(frozen=True)
class Chart:
    """One drawn chart: PNG bytes and their size in pixels (for <img width height>), and its phone
    version's PNG (empty when not drawn)."""

    id: str
    png: bytes
    width: int
    height: int
    phone: bytes = b""


@dataclass(frozen=True)
class Brief:
    """The story with its charts: what the renderers lay out."""

    story: Story
    charts: tuple[Chart, ...]

    def chart(self, chart_id: str) -> Chart:
        return next(chart for chart in self.charts if chart.id == chart_id)


@cache
def register_fonts() -> None:
    for path in sorted((ASSETS / "fonts").glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))


def fit_margins(mpl: MplFigure, renderer) -> None:
    """Size the axes so that their tick labels, end labels and legends just fit inside the figure.

    The decorations are measured once where they stand (their size does not depend on the
    axes' size), then every axes (a twin shares the box) moves to the box that leaves room
    for them. Tick labels are measured from the strings their formatter gives, which costs a
    fraction of asking matplotlib for each axis' tight box (it builds and lays out every tick).
    """
    boxes = [ax.get_position().transformed(mpl.transFigure) for ax in mpl.axes]
    box = Bbox.union(boxes)  # one box, or panels stacked in it (`panel_below`)
    extents = [box]
    for ax in mpl.axes:
        extents += _tick_label_boxes(ax, ax.xaxis, renderer) + _tick_label_boxes(ax, ax.yaxis, renderer)
        extents += [text.get_window_extent(renderer) for text in ax.texts if text.get_visible()]
        if legend := ax.get_legend():
            extents.append(legend.get_window_extent(renderer))
    used = Bbox.union(extents)
    edge = EDGE_IN * mpl.dpi
    width, height = mpl.bbox.width, mpl.bbox.height
    left = (box.x0 - used.x0) + edge
    right = width - (used.x1 - box.x1) - edge
    bottom = (box.y0 - used.y0) + edge
    top = height - (used.y1 - box.y1) - edge
    for ax, own in zip(mpl.axes, boxes):  # each panel keeps its share of the box (a twin shares the whole box)
        x0 = left + (own.x0 - box.x0) / box.width * (right - left)
        y0 = bottom + (own.y0 - box.y0) / box.height * (top - bottom)
        x1 = left + (own.x1 - box.x0) / box.width * (right - left)
        y1 = bottom + (own.y1 - box.y0) / box.height * (top - bottom)
        ax.set_position((x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height))


def _tick_label_boxes(ax: Axes, axis, renderer) -> list[Bbox]:
    """Where the axis' shown tick labels will be drawn: one box from the first to the last label,
    as wide (or tall) as the largest, on the side of the axes where the labels are on."""
    low, high = sorted(axis.get_view_interval())
    locs = [loc for loc in axis.get_majorticklocs() if low <= loc <= high]
    tick = axis.get_major_ticks(1)[0] if locs else None
    if tick is None or not (tick.label1.get_visible() or tick.label2.get_visible()):
        return []
    labels = axis.get_major_formatter().format_ticks(locs)
    font = tick.label1.get_fontproperties()
    sizes = [renderer.get_text_width_height_descent(label, font, ismath=False)[:2] for label in labels if label]
    if not sizes:
        return []
    wide, tall = max(w for w, _ in sizes), max(h for _, h in sizes)
    pad = (tick.get_pad() + tick.get_tick_padding()) * renderer.points_to_pixels(1)
    frame = ax.get_window_extent(renderer)
    if axis is ax.xaxis:
        xs = ax.transData.transform([(loc, 0) for loc in (locs[0], locs[-1])])[:, 0]
        return [Bbox([[xs[0] - wide / 2, frame.y0 - pad - tall], [xs[1] + wide / 2, frame.y0]])]
    ys = ax.transData.transform([(0, loc) for loc in (locs[0], locs[-1])])[:, 1]
    y0, y1 = min(ys) - tall / 2, max(ys) + tall / 2
    boxes = []
    if tick.label1.get_visible():
        boxes.append(Bbox([[frame.x0 - pad - wide, y0], [frame.x0, y1]]))
    if tick.label2.get_visible():
        boxes.append(Bbox([[frame.x1, y0], [frame.x1 + pad + wide, y1]]))
    return boxes


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The drawn canvas as an opaque RGB PNG (the figure background is white), without metadata."""
    from PIL import Image

    width, height = canvas.get_width_height()
    rgb = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    out = io.BytesIO()
    rgb.save(out, format="png", compress_level=PNG_COMPRESSION, dpi=(DPI, DPI))
    return out.getvalue()


# --- pieces the figure drawers share (charts/market.py, charts/asset.py) -----------------------------------------------------------------------------------


def xy(points: Points) -> tuple[list[date], list[float]]:
    """A series as x (days) and y (NaN marks a gap). Matplotlib takes the days through its units registry
    (date converters), but its stubs type x data as numbers only: the calls that pass them carry a
    `type: ignore[arg-type]` for that stubs gap."""
    return [day for day, _ in points], [float("nan") if value is None else value for _, value in points]


def ticks(label: Callable[[float], str]) -> FuncFormatter:
    """A tick formatter that formats each value once: layout and drawing ask for the same ticks many times."""
    once = cache(label)
    return FuncFormatter(lambda value, _position: once(value))


def date_axis(ax: Axes, fmt: Formatter, days: int) -> None:
    locator = mdates.DayLocator() if days <= 10 else mdates.AutoDateLocator(minticks=4, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ticks(lambda x: fmt.day(mdates.num2date(x).date())))


def week_band(ax: Axes, story: Story) -> None:
    week = story.facts.week
    ax.axvspan(week.start, week.end, color=WEEK_BAND, zorder=0, linewidth=0)  # type: ignore[arg-type]  # stubs: x as dates (see xy)


def panel_below(ax: Axes, share: float, gap: float = 0.12) -> Axes:
    """Split the axes' box: `ax` keeps the top, and a new panel `share` of the box tall, sharing its dates, sits
    below it after a `gap` (fractions of the box). The top panel's date labels are hidden: the panel below shows them."""
    box = ax.get_position()
    low = box.height * share
    ax.set_position((box.x0, box.y0 + low + box.height * gap, box.width, box.height * (1 - share - gap)))
    panel = ax.figure.add_axes((box.x0, box.y0, box.width, low), sharex=ax)
    ax.tick_params(axis="x", labelbottom=False)
    return panel


def panel_label(ax: Axes, text: str, color: str) -> None:
    """A panel's name, above its top left corner (off the gridlines)."""
    ax.text(0, 1.03, text, transform=ax.transAxes, ha="left", va="bottom", fontsize=8, color=color, fontweight="semibold")


def end_label(ax: Axes, x, y, text: str, color: str) -> None:
    ax.annotate(text, (x, y), xytext=(6, 0), textcoords="offset points", va="center", color=color,
                fontsize=8, fontweight="semibold")


@dataclass
class EndLabel:
    """A line's label at its last point: `y` is nudged by `spread_labels`."""

    y: float
    text: str
    color: str
    day: date


def market_facts(story: Story) -> WeekFacts:
    """The market brief's facts, for the charts only the market brief places."""
    if not isinstance(story.facts, WeekFacts):
        raise TypeError(f"a market brief's chart was placed in a brief of {type(story.facts).__name__}")
    return story.facts


def asset_change(facts: BriefFacts, asset: str) -> float:
    """The weekly change of an asset the brief holds (every line drawn is one of them)."""
    move = facts.asset(asset)
    if move is None:
        raise LookupError(f"{asset} is not among the brief's assets")
    return move.change_pct

def spread_labels(labels: list[EndLabel], gap: float) -> None:
    """Nudge end labels apart vertically so that lines ending close together stay readable."""
    labels.sort(key=lambda item: item.y)
    for lower, upper in zip(labels, labels[1:]):
        if upper.y - lower.y < gap:
            upper.y = lower.y + gap
