"""HTML: one page with its fonts and styles inside; the charts are the PNGs in its charts/ folder."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from markupsafe import Markup

from reports.core.settings import Settings
from reports.render import chart_path
from reports.render.templating import font_faces, html_environment, logo, stylesheet

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief


def render(brief: Brief, settings: Settings) -> bytes:
    return page(brief, settings, chart_images(brief, chart_path), font_faces(True), stylesheet()).encode("utf-8")


def page(brief: Brief, settings: Settings, charts: Mapping[str, Markup], font_faces: str, css: str,
         print: bool = False) -> str:
    """The brief as an HTML page. The PDF renderer passes no fonts or styles (it supplies them
    parsed) and `print`: each section's charts after its text."""
    story = brief.story
    return html_environment().get_template("brief.html.j2").render(
        print=print,
        story=story,
        charts=charts,
        css=Markup(css),
        font_faces=Markup(font_faces),
        logo=logo(),
        published=story.published.isoformat().replace("+00:00", "Z"),
        # The PDF is dated by its publication (a print edition); the page says when it last changed.
        modified=(story.published if print else story.modified).isoformat().replace("+00:00", "Z"),
    )


def chart_images(brief: Brief, source: Callable[[str, str], str]) -> dict[str, Markup]:
    """An <img> per figure, with the figure's alt text and the picture's size (no layout shift).

    `source(chart_id, "png")` says where the picture is: a file beside the page, or a URL the
    PDF renderer serves from memory.
    """
    images = {}
    for figure in brief.story.figures:
        chart = brief.chart(figure.chart)
        images[figure.chart] = Markup('<img src="{}" alt="{}" width="{}" height="{}">').format(
            source(chart.id, "png"), figure.alt.text, chart.width, chart.height)
    return images
