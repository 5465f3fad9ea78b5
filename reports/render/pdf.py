"""PDF: the HTML page laid out by WeasyPrint for A4 print, with PNG charts and embedded fonts."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..settings import Settings
from .html import page
from .templating import ASSETS

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from ..charts import Brief


def render(brief: Brief, settings: Settings) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    charts = {
        figure.chart: Markup('<img src="data:image/png;base64,{}" alt="{}">').format(
            base64.b64encode(brief.chart(figure.chart).png).decode("ascii"), figure.alt.text
        )
        for figure in brief.story.figures
    }
    html = page(brief, settings, charts, embed_fonts=False)
    # The identifier and the dates come from the story, so that SOURCE_DATE_EPOCH pins every byte.
    return HTML(string=html, base_url=str(ASSETS)).write_pdf(
        pdf_identifier=f"{brief.story.facts.week.end}-{brief.story.published.isoformat()}".encode(),
    )
