"""Charts: five figures drawn from the facts, deterministic bytes, words from the story."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import SELL_OFF, build_story
from reports.charts import draw_charts

CHARTS = ["what-happened:price-path", "impact:market-cap", "impact:drawdown", "comparison:weekly-change",
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
        assert chart.svg.lstrip().startswith("<?xml") and "<svg" in chart.svg


def test_drawing_twice_gives_the_same_bytes(brief):
    again = draw_charts(brief.story)
    for first, second in zip(brief.charts, again.charts):
        assert first.png == second.png, first.id
        assert first.svg == second.svg, first.id


def test_files_carry_no_date_or_software_stamp(brief):
    for chart in brief.charts:
        assert b"Software" not in chart.png and b"tIME" not in chart.png
        assert "<dc:date>" not in chart.svg and "Matplotlib v" not in chart.svg


def test_svg_keeps_text_as_text_in_the_brief_font(brief):
    svg = brief.chart("weekly-change").svg
    assert "font-family" in svg.lower() or "font:" in svg
    assert "Inter" in svg
    assert ">ZEC<" in svg and ">-34.5%<" in svg  # labels from the story's symbols and the shared formatter


def test_inline_svg_scales_with_its_container(brief):
    inline = brief.chart("price-path").svg_inline
    assert inline.startswith("<svg") and 'width="100%"' in inline and "viewBox" in inline


def test_a_chart_without_data_is_not_placed(bundled_data):
    data = dataclasses.replace(bundled_data, sentiment=None)
    story = build_story(data, SELL_OFF)
    assert "fear-greed" not in {figure.chart for figure in story.figures}
    assert len(draw_charts(story).charts) == 4
