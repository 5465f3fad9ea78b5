"""PDF: the HTML page laid out by WeasyPrint for A4 print, with the PNG charts and embedded fonts.

A process that renders many PDFs (a backfill, a warm process) pays once for what does not
change between briefs: the fonts (`FontConfiguration`) and the parsed stylesheet. The charts
reach WeasyPrint from memory through a URL fetcher, not as base64 inside the HTML, which its
HTML parser would otherwise read character by character.
"""

from __future__ import annotations

import atexit
import struct
from functools import cache
from typing import TYPE_CHECKING

from ..settings import Settings
from .html import chart_images, page
from .templating import ASSETS, font_faces, stylesheet

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from ..charts import Brief

CHART_SCHEME = "chart:"


def render(brief: Brief, settings: Settings) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    fonts, styles = _print_setup()
    charts = chart_images(brief, lambda chart_id, _extension: f"{CHART_SCHEME}{chart_id}")
    html = page(brief, settings, charts, font_faces="", css="")
    document = HTML(string=html, base_url=str(ASSETS), url_fetcher=_fetcher({
        f"{CHART_SCHEME}{chart.id}": chart.png for chart in brief.charts}))
    # The identifier and the dates come from the story, so that SOURCE_DATE_EPOCH pins every byte.
    return document.write_pdf(
        stylesheets=[styles], font_config=fonts,
        pdf_identifier=f"{brief.story.facts.week.end}-{brief.story.published.isoformat()}".encode(),
    )


@cache
def _print_setup() -> tuple[FontConfiguration, CSS]:
    """The fonts and the brief's stylesheet, loaded and parsed once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    _embed_png_as_is()
    fonts = FontConfiguration()
    # Freed before the interpreter unloads the libraries its destructor calls.
    atexit.register(_print_setup.cache_clear)
    return fonts, CSS(string=font_faces(False) + stylesheet(), base_url=str(ASSETS), font_config=fonts)


def _fetcher(pictures: dict[str, bytes]):
    """WeasyPrint's URL fetcher, answering chart: URLs from memory and anything else as usual."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in pictures:
                return URLFetcherResponse(url, pictures[url], {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return ChartFetcher()


def _embed_png_as_is() -> None:
    """Let WeasyPrint copy an opaque, non-interlaced PNG's compressed data into the PDF unchanged.

    A PDF image with the Flate filter and PNG predictors holds exactly a PNG's IDAT stream, yet
    WeasyPrint decodes each PNG and compresses it again (a third of a PDF's time with five
    charts). Our charts are opaque 8-bit RGB, so the copy is exact; any other image takes
    WeasyPrint's own path.
    """
    from weasyprint.images import RasterImage

    own = RasterImage._get_png_data
    if getattr(own, "as_is", False):
        return

    def png_data(pillow_image) -> bytes:
        source = getattr(pillow_image, "fp", None)
        if (pillow_image.format == "PNG" and pillow_image.mode == "RGB" and not pillow_image.info.get("interlace")
                and hasattr(source, "getvalue")):
            return idat(source.getvalue())
        return own(pillow_image)

    png_data.as_is = True
    RasterImage._get_png_data = staticmethod(png_data)


def idat(png: bytes) -> bytes:
    """The concatenated IDAT chunks of a PNG file: its compressed pixel rows."""
    chunks, at = [], 8  # past the signature
    while at < len(png):
        length, kind = struct.unpack("!I4s", png[at : at + 8])
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length  # length, type, data, CRC
    return b"".join(chunks)
