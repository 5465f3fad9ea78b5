"""Renderers: a `Brief` (story and charts) in, the bytes of each output file out.

Every renderer lays out the same story; none computes a number or writes a sentence.
`render_files` returns the whole set for one week, keyed by path inside the week's folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from reports.core.settings import Settings

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief

Renderer = Callable[["Brief", Settings], bytes]
FILENAMES = {"html": "brief.html", "pdf": "brief.pdf", "md": "brief.md", "json": "brief.json"}


def _renderer(fmt: str) -> Renderer:
    # Imported on demand: a build without a PDF never loads WeasyPrint.
    if fmt == "html":
        from reports.render.html import render
    elif fmt == "pdf":
        from reports.render.pdf import render
    elif fmt == "md":
        from reports.render.markdown import render
    else:
        from reports.render.jsonfile import render
    return render


def chart_path(chart_id: str, extension: str) -> str:
    return f"charts/{chart_id}.{extension}"


def render_files(brief: Brief, settings: Settings, formats: Iterable[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for chart in brief.charts:
        files[chart_path(chart.id, "png")] = chart.png
    for fmt in formats:
        files[FILENAMES[fmt]] = _renderer(fmt)(brief, settings)
    return files
