"""Charts: five figures drawn from the facts, deterministic bytes, words from the story."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from conftest import SELL_OFF, build_story
from reports.charts.canvas import DPI, WIDTH_IN
from reports.charts.draw import draw_charts, lay_out

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
    plot = figure.axes[0].get_window_extent(renderer)
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
