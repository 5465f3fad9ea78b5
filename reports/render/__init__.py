"""Renderers: a `Brief` (story and charts) in, the bytes of each output file out.

Every renderer lays out the same story; none computes a number or writes a sentence.
`render_files` returns the whole set for one week, keyed by path inside the week's folder.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reports.core.settings import Settings

if TYPE_CHECKING:  # the charts stage (matplotlib) loads only when charts are drawn
    from reports.charts.canvas import Brief

Renderer = Callable[["Brief", Settings], bytes]


@dataclass(frozen=True)
class Format:
    """An output format: its file in the week's folder, and the module whose `render` makes it.
    The module is imported on demand: a build without a PDF never loads WeasyPrint."""

    filename: str
    module: str


# The registry of formats: a new one is a module with `render(brief, settings) -> bytes` and a line here.
FORMATS: dict[str, Format] = {
    "html": Format("brief.html", "reports.render.html"),
    "pdf": Format("brief.pdf", "reports.render.pdf"),
    "md": Format("brief.md", "reports.render.markdown"),
    "json": Format("brief.json", "reports.render.jsonfile"),
}
FILENAMES = {name: fmt.filename for name, fmt in FORMATS.items()}


def renderer(fmt: str) -> Renderer:
    render: Renderer = importlib.import_module(FORMATS[fmt].module).render
    return render


def chart_path(chart_id: str, extension: str) -> str:
    return f"charts/{chart_id}.{extension}"


PHONE_EXTENSION = "phone.png"  # each chart's phone version, beside it: the site shows it on narrow screens


def render_files(brief: Brief, settings: Settings, formats: Iterable[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for chart in brief.charts:
        files[chart_path(chart.id, "png")] = chart.png
        if chart.phone:
            files[chart_path(chart.id, PHONE_EXTENSION)] = chart.phone
    for fmt in formats:
        files[FILENAMES[fmt]] = renderer(fmt)(brief, settings)
    return files
