"""PDF: the HTML page laid out by WeasyPrint for A4 print, with the PNG charts and embedded fonts.

A process that renders many PDFs (a backfill, a warm process) pays once for what does not
change between briefs: the fonts (`FontConfiguration`) and the parsed stylesheet. A single
cold build loads WeasyPrint in a second process meanwhile (`start_print_worker`). The charts
reach WeasyPrint from memory through a URL fetcher, not as base64 inside the HTML, which its
HTML parser would otherwise read character by character.
"""

from __future__ import annotations

import atexit
import struct
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from reports.core import forked
from reports.core.settings import Settings
from reports.render.html import chart_images, page
from reports.render.templating import ASSETS, FONTS, font_faces, stylesheet

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from reports.charts.canvas import Brief

CHART_SCHEME = "chart:"


def render(brief: Brief, settings: Settings) -> bytes:
    charts = chart_images(brief, lambda chart_id, _extension: f"{CHART_SCHEME}{chart_id}")
    html = page(brief, settings, charts, font_faces="", css="", print=True)
    pictures = {f"{CHART_SCHEME}{chart.id}": chart.png for chart in brief.charts}
    # The identifier and the dates come from the story, so that SOURCE_DATE_EPOCH pins every byte.
    identifier = f"{brief.story.facts.week.end}-{brief.story.published.isoformat()}".encode()
    if _worker is not None and _worker.alive:
        return _worker.print(html, pictures, identifier)
    return _print(html, pictures, identifier)


def _print(html: str, pictures: dict[str, bytes], identifier: bytes) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    fonts, styles = _print_setup()
    document = HTML(string=html, base_url=str(ASSETS), url_fetcher=_fetcher(pictures))
    return document.write_pdf(stylesheets=[styles], font_config=fonts, pdf_identifier=identifier)


# --- a cold build: WeasyPrint loads in a second process while the first computes -----------------


class PrintWorker(forked.Child):
    """A forked child that imports and sets up WeasyPrint at once, then prints the PDFs it is sent.

    A cold `brief` spends about a second importing WeasyPrint and loading its fonts; on a second
    core that happens while the facts, the story and the charts are being made, so the PDF
    starts as soon as the charts exist. The child is forked before matplotlib or pandas load
    (no threads yet), and is a daemon: it ends with the build.
    """

    def __init__(self) -> None:
        super().__init__(_serve, name="brief-pdf")

    def print(self, html: str, pictures: dict[str, bytes], identifier: bytes) -> bytes:
        return self.ask("the PDF could not be laid out", html, pictures, identifier)


_worker: PrintWorker | None = None


def start_print_worker() -> None:
    """Begin loading WeasyPrint in a second process (where fork exists); `render` then prints there."""
    global _worker
    if _worker is None and forked.available():
        _worker = PrintWorker()


def warm_up() -> None:
    """Load WeasyPrint, the fonts and the stylesheet, and lay out a line in each face (the first
    layout loads the font files and the shaper), so that the next PDF costs only itself."""
    faces = "".join(f'<p style="font-family: {family!r}; font-weight: {weight}">x</p>' for family, weight, _ in FONTS)
    _print(faces, {}, b"warm")


def _serve(conn) -> None:
    warm_up()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        forked.reply(conn, _print, *job)


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
    if isinstance(own, _PngAsIs):
        return
    RasterImage._get_png_data = staticmethod(_PngAsIs(own))


class _PngAsIs:
    """`RasterImage._get_png_data` that copies an opaque PNG's IDAT stream, else asks WeasyPrint's own."""

    def __init__(self, own: Callable[[Any], bytes]) -> None:
        self.own = own

    def __call__(self, pillow_image: Any) -> bytes:
        source = getattr(pillow_image, "fp", None)
        if (pillow_image.format == "PNG" and pillow_image.mode == "RGB" and not pillow_image.info.get("interlace")
                and source is not None and hasattr(source, "getvalue")):
            return idat(source.getvalue())
        return self.own(pillow_image)


def idat(png: bytes) -> bytes:
    """The concatenated IDAT chunks of a PNG file: its compressed pixel rows."""
    chunks, at = [], 8  # past the signature
    while at < len(png):
        length, kind = struct.unpack("!I4s", png[at : at + 8])
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length  # length, type, data, CRC
    return b"".join(chunks)
