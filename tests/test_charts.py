"""Charts: five figures drawn from the facts, deterministic bytes, words from the story."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image
from matplotlib.transforms import Bbox

from conftest import SELL_OFF, build_story
from reports.charts.canvas import DPI, WIDTH_IN
from reports.charts.draw import draw_charts, lay_out
from reports.core.formatting import Formatter

CHARTS = ["what-happened:price-path", "drivers:etf-flows", "impact:market-cap", "impact:drawdown", "comparison:weekly-change",
          "what-to-watch:fear-greed"]


@pytest.fixture(scope="module")
def brief(bundled_data):
    return draw_charts(build_story(bundled_data, SELL_OFF))


def test_the_story_places_five_charts_and_each_is_drawn(brief):
    placed = sorted(f"{section.id}:{figure.chart}" for section in brief.story.sections for figure in section.figures)
    assert placed == sorted(CHARTS)
    assert sorted(chart.id for chart in brief.charts) == sorted(c.split(":")[1] for c in CHARTS)
    for chart in brief.charts:
        assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
        picture = Image.open(io.BytesIO(chart.png))
        assert picture.mode == "RGB" and picture.size == (chart.width, chart.height)  # opaque: no alpha to split off
        assert chart.width == round(WIDTH_IN * DPI)


def test_drawing_twice_gives_the_same_bytes(brief):
    again = draw_charts(brief.story)
    for first, second in zip(brief.charts, again.charts):
        assert first.png == second.png, first.id


def test_files_carry_no_date_or_software_stamp(brief):
    for chart in brief.charts:
        assert b"Software" not in chart.png and b"tIME" not in chart.png


@pytest.mark.parametrize("chart_id", [c.split(":")[1] for c in CHARTS])
def test_every_label_fits_inside_the_picture(brief, chart_id):
    """Without a layout engine the margins are measured: no tick label, end label or legend is cut off,
    and the plot is not shrunk into a corner either."""
    figure, renderer = lay_out(next(f for f in brief.story.figures if f.chart == chart_id), brief.story)
    box = figure.bbox
    texts = [text for ax in figure.axes for text in _shown_tick_labels(ax) + ax.texts if text.get_text()]
    texts += [legend for ax in figure.axes if (legend := ax.get_legend())]
    assert texts
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1, (
            chart_id, getattr(text, "get_text", lambda: "legend")(), extent, box)
    plot = Bbox.union([ax.get_window_extent(renderer) for ax in figure.axes])  # the panels, stacked or twinned
    assert plot.width > 0.6 * box.width and plot.height > 0.6 * box.height


def _shown_tick_labels(ax) -> list:
    """The tick labels matplotlib draws: those whose tick lies within the axis' view limits."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    return ([label for label in ax.get_xticklabels() if x0 <= label.get_position()[0] <= x1]
            + [label for label in ax.get_yticklabels() if y0 <= label.get_position()[1] <= y1])


def test_labels_come_from_the_story_and_the_shared_formatter(brief):
    figure, _ = lay_out(next(f for f in brief.story.figures if f.chart == "weekly-change"), brief.story)
    ax = figure.axes[0]
    names = [label.get_text() for label in ax.get_yticklabels()]
    assert "ZEC" in names and "BTC" in names  # the story's symbols
    assert "-29.4%" in [text.get_text() for text in ax.texts]  # ZEC on Binance closes; the formatter's percent, as the prose writes it


def test_a_chart_without_data_is_not_placed(bundled_data):
    data = dataclasses.replace(bundled_data, sentiment=None)
    story = build_story(data, SELL_OFF)
    assert "fear-greed" not in {figure.chart for figure in story.figures}
    assert len(draw_charts(story).charts) == 5  # price path, ETF flows, market cap, drawdown, weekly change


def test_drawing_half_the_charts_in_a_forked_child_changes_no_byte(brief, monkeypatch):
    """A cold build draws every other figure in a second process; the brief must not notice."""
    from reports.charts import draw as charts

    forked, drawn_here = [], []
    real, draw = charts._draw_forked, charts._draw
    monkeypatch.setattr(charts, "_draw_forked", lambda figures, *rest: forked.append(len(figures)) or real(figures, *rest))
    # The child's appends land in its own copy of the list: only this process' drawings show here.
    monkeypatch.setattr(charts, "_draw", lambda figure, *rest: drawn_here.append(figure.chart) or draw(figure, *rest))
    monkeypatch.setattr(charts, "_SECOND_CORE", True)
    split = draw_charts(brief.story)
    assert forked == [3]  # of the six figures, the second, fourth and sixth were drawn by the child
    assert drawn_here == [figure.chart for figure in brief.story.figures[::2]]
    assert [chart.id for chart in split.charts] == [chart.id for chart in brief.charts]
    for ours, theirs in zip(brief.charts, split.charts):
        assert ours == theirs, ours.id


def test_phone_versions_are_narrower_and_taller_and_the_same_from_either_core(brief, monkeypatch):
    """The site's phone charts: 780 px wide (3.9 in at 200 dpi, for a 390 px screen at 2x), a taller
    shape than the page's chart, the page's chart unchanged, and the same bytes whichever core draws them."""
    from reports.charts import draw as charts

    phone = draw_charts(brief.story, phone=True)
    assert all(chart.phone == b"" for chart in brief.charts)  # only when asked
    for page, drawn in zip(brief.charts, phone.charts):
        assert drawn.png == page.png, page.id
        picture = Image.open(io.BytesIO(drawn.phone))
        assert picture.mode == "RGB" and picture.width == 780, (page.id, picture.size)
        assert picture.height / picture.width > page.height / page.width, page.id
    monkeypatch.setattr(charts, "_SECOND_CORE", True)
    assert draw_charts(brief.story, phone=True).charts == phone.charts


def test_bitcoins_share_has_its_own_panel_below_on_an_axis_of_at_least_five_points(brief):
    """No second axis blowing a half-point wiggle up to the chart's height: the share is drawn in a panel of its
    own under the market value, sharing its dates, on a scale at least five points tall that holds every reading."""
    import matplotlib.dates as mdates

    figure, renderer = lay_out(next(f for f in brief.story.figures if f.chart == "market-cap"), brief.story)
    value, share = figure.axes
    assert share.get_window_extent(renderer).y1 < value.get_window_extent(renderer).y0  # below it, not on top of it
    assert share.get_shared_x_axes().joined(share, value)
    readings = [pct for _, pct in brief.story.facts.series.btc_dominance if pct is not None]
    low, high = share.get_ylim()
    assert high - low >= 5 and low <= min(readings) and max(readings) <= high
    assert max(readings) - min(readings) < 2  # the week of Feb 6: a small move, which the old twin axis blew up
    # the dots: the days the text's change runs between, on each line
    cap = brief.story.facts.market_cap
    for ax in (value, share):
        dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
        assert sorted(mdates.date2num(line.get_xdata()[0]) for line in dots) == [
            mdates.date2num(cap.start_day), mdates.date2num(cap.end_day)]


@pytest.mark.parametrize(("fell", "rose", "unchanged", "words"), [
    (12, 0, 0, "all 12 fell"), (0, 5, 0, "all 5 rose"), (9, 3, 0, "9 fell and 3 rose"),
    (9, 2, 1, "9 fell, 2 rose and 1 was unchanged"), (0, 3, 2, "3 rose and 2 were unchanged")])
def test_the_weekly_change_caption_counts_no_none(bundled_data, fell, rose, unchanged, words):
    """ "12 fell and 0 rose" reads as a slip: a count that is everything says "all", a count of none is left out."""
    story = build_story(bundled_data, SELL_OFF)
    real = story.facts.breadth
    assert (real.fell, real.rose, real.unchanged) == (sum(m.change_pct < 0 for m in story.facts.assets if m.compared), 0, 0)
    from reports.core.settings import load_settings
    from reports.story.desk import Desk
    from reports.story.figures import breadth_words

    breadth = dataclasses.replace(real, fell=fell, rose=rose, unchanged=unchanged, total=fell + rose + unchanged)
    desk = Desk.open(dataclasses.replace(story.facts, breadth=breadth), load_settings())
    assert breadth_words(desk).text == words


def _global_caps() -> dict:
    from datetime import date

    from conftest import raw_rows

    return {date.fromisoformat(row["date"]): float(row["total_market_cap_usd"]) for row in raw_rows("coingecko_global_daily.csv")}


def _mark(story, gid: str):
    figure, renderer = lay_out(next(f for f in story.figures if f.chart == "market-cap"), story)
    value = figure.axes[0]
    found = [artist for artist in (*value.get_lines(), *value.texts) if artist.get_gid() == gid]
    return value, renderer, (found[0] if found else None)


def _clear_of_gridlines(ax, renderer, text) -> bool:
    from matplotlib.text import Text

    box = Text.get_window_extent(text, renderer)  # the words alone, not the annotated point
    low, high = ax.get_ylim()
    lines = [ax.transData.transform((0, tick))[1] for tick in ax.get_yticks() if low <= tick <= high]
    return bool(lines) and all(not box.y0 <= y <= box.y1 for y in lines)


def test_the_market_value_chart_marks_the_sell_offs_largest_one_day_fall(brief):
    """Week to Feb 6, 2026: the snapshots' largest one-day fall of total market value is Feb 5 -> Feb 6 (raw file),
    drawn in red and labelled with its size, the label between two gridlines."""
    import matplotlib.dates as mdates
    from datetime import timedelta

    caps = _global_caps()
    days = [SELL_OFF - timedelta(days=n) for n in range(6, -1, -1)]
    falls = {day: (caps[day] / caps[day - timedelta(days=1)] - 1) * 100 for day in days}
    crash = min(falls, key=falls.__getitem__)
    cap = brief.story.facts.market_cap
    assert (cap.fall_day, cap.low_day, cap.low_usd) == (crash, min(days, key=caps.__getitem__), min(caps[d] for d in days))
    assert cap.fall_pct == pytest.approx(falls[crash], abs=1e-9)
    value, renderer, segment = _mark(brief.story, "mark-fall")
    assert [mdates.date2num(x) for x in segment.get_xdata()] == [mdates.date2num(crash - timedelta(days=1)), mdates.date2num(crash)]
    assert list(segment.get_ydata()) == [caps[crash - timedelta(days=1)], caps[crash]]
    _, _, label = _mark(brief.story, "mark-fall-label")
    assert label.get_text() == f"Largest one-day fall {Formatter().percent(falls[crash], sign=True)}"
    assert _clear_of_gridlines(value, renderer, label)
    assert _mark(brief.story, "mark-low")[2] is None  # the week's low is its last day, which has its dot already


def test_a_rising_week_marks_its_low_with_a_ring_clear_of_the_gridlines(bundled_data):
    """Week to Mar 15, 2026 (a rise): no red fall; a ring at the week's lowest snapshot (raw file) and its value."""
    from datetime import date, timedelta

    week = date(2026, 3, 15)
    caps = _global_caps()
    days = [week - timedelta(days=n) for n in range(6, -1, -1)]
    low_day = min(days, key=caps.__getitem__)
    story = build_story(bundled_data, week)
    assert low_day != week and story.facts.market_cap.low_day == low_day
    value, renderer, ring = _mark(story, "mark-low")
    assert list(ring.get_ydata()) == [caps[low_day]]
    _, _, label = _mark(story, "mark-low-label")
    assert label.get_text() == f"Week's low {Formatter().money_short(caps[low_day])}"
    assert _clear_of_gridlines(value, renderer, label)
    assert _mark(story, "mark-fall")[2] is None
