"""HTML: one self-contained file (fonts, styles and SVG charts inside) that opens from disk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..settings import Settings
from .templating import font_faces, html_environment, logo, stylesheet

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from ..charts import Brief


def render(brief: Brief, settings: Settings) -> bytes:
    charts = {chart.id: Markup(_accessible(chart.svg_inline, brief, chart.id)) for chart in brief.charts}
    return page(brief, settings, charts, embed_fonts=True).encode("utf-8")


def page(brief: Brief, settings: Settings, charts: Mapping[str, Markup], embed_fonts: bool) -> str:
    """The brief as an HTML page; the PDF renderer calls this with PNG charts and linked fonts."""
    story = brief.story
    return html_environment().get_template("brief.html.j2").render(
        story=story,
        charts=charts,
        css=Markup(stylesheet()),
        font_faces=Markup(font_faces(embed_fonts)),
        logo=logo(),
        published=story.published.isoformat().replace("+00:00", "Z"),
    )


def _accessible(svg: str, brief: Brief, chart_id: str) -> str:
    """Give the inline SVG an image role and the figure's alt text, escaped."""
    figure = next(figure for figure in brief.story.figures if figure.chart == chart_id)
    label = Markup.escape(figure.alt.text)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
