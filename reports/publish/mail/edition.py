"""One generated brief as the mailer sees it: the text from brief.json, the PNG charts and the PDF.

The renderers already wrote every word and figure. brief.json is read through
`reports.document` (a damaged or foreign file is a clear error before anything is sent); the
edition is that brief laid out for the email templates: plain strings, and each figure with its
PNG's bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reports import document
from reports.core.errors import InputError
from reports.document import BulletsBlock, FAQBlock, FigureBlock, QuoteBlock, TableBlock


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    caption: str
    alt: str
    png: bytes
    path: str = ""  # the PNG inside the week's folder, as brief.json names it (the site publishes it there)


@dataclass(frozen=True)
class Block:
    """One block of a section, in plain strings for the email templates. `kind` is paragraph,
    subhead, bullets, faq, table, figure or quote (as in `reports.document`); the fields a kind does not
    use are empty."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()        # faq: (question, answer)
    columns: tuple[str, ...] = ()                  # table
    rows: tuple[tuple[str, ...], ...] = ()         # table
    numeric: tuple[bool, ...] = ()                 # table: each column's role, from brief.json
    tones: tuple[tuple[str, ...], ...] = ()        # table: each cell's "up", "down" or ""
    label: int | None = None                       # table: the column naming the row (not numeric)
    chart: Chart | None = None                     # figure
    note: QuoteBlock | None = None                 # quote (an editor's note), laid out by templates/blocks/;
    source: str = ""                               # for the text part: `items` its paragraphs, `text` its
    url: str = ""                                  # speaker, the source and its http(s) address when given


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Edition:
    key: str                  # names the campaign in the ledger: one brief, one send
    folder: Path
    publication: str
    headline: str
    description: str
    lang: str
    locale: str
    week_start: date
    week_end: date
    sections: tuple[Section, ...]
    charts: tuple[Chart, ...]
    pdf: bytes | None
    asset: str | None = None  # a per-asset brief (not published on the site), or None for the market brief


def read_edition(folder: Path) -> Edition:
    """Read OUT/<week>/ (brief.json, charts/*.png and, when present, brief.pdf)."""
    path = folder / "brief.json"
    if not path.is_file():
        raise InputError(folder, "no brief.json in this folder",
                         "Pass a week's folder, e.g. out/2026-02-06, built with --formats including json.")
    brief = document.load(path, "Rebuild the week with `build.py brief --formats html,pdf,json`.")
    charts = {chart.chart: _chart(folder, chart) for chart in brief.charts}
    sections = tuple(Section(section.id, section.title, tuple(_block(block, charts) for block in section.blocks))
                     for section in brief.sections)
    pdf_path = folder / "brief.pdf"
    return Edition(
        key=brief_key(brief),
        folder=folder,
        publication=brief.publication,
        headline=_one_line(brief.headline),
        description=brief.description,
        lang=brief.lang,
        locale=brief.locale,
        week_start=brief.week.start,
        week_end=brief.week.end,
        sections=sections,
        charts=tuple(charts.values()),
        pdf=pdf_path.read_bytes() if pdf_path.is_file() else None,
        asset=brief.asset,
    )


def brief_key(brief: document.Brief) -> str:
    """The campaign's name: the week (and the asset, for a per-asset brief). Rebuilding the same week
    keeps the key, so a rebuilt brief is never mailed a second time to the same people."""
    key = f"week-{brief.week.end.isoformat()}"
    return f"{key}/{brief.asset}" if brief.asset else key


def _chart(folder: Path, chart: document.Chart) -> Chart:
    path = folder / chart.png  # a path inside the folder: the model refuses any other
    if not path.is_file():
        raise InputError(path, "the chart's PNG is missing", "Rebuild the week; the email needs the PNG charts.")
    return Chart(chart.chart, chart.title.text, chart.caption.text, chart.alt.text, path.read_bytes(), chart.png)


def _block(block: document.Block, charts: dict[str, Chart]) -> Block:
    if isinstance(block, BulletsBlock):
        return Block(block.kind, items=tuple(item.text for item in block.items))
    if isinstance(block, FAQBlock):
        return Block(block.kind, pairs=tuple((item.question.text, item.answer.text) for item in block.items))
    if isinstance(block, TableBlock):
        return Block(block.kind, text=block.caption.text, columns=block.columns,
                     rows=tuple(tuple(cell.text for cell in row) for row in block.rows),
                     numeric=block.numeric,
                     label=block.label_column,
                     tones=tuple(tuple(cell.tone for cell in row) for row in block.rows))
    if isinstance(block, FigureBlock):
        return Block(block.kind, chart=charts[block.chart])
    if isinstance(block, QuoteBlock):
        return Block(block.kind, text=block.speaker, items=tuple(block.text.split("\n")), note=block,
                     source=block.source or "", url=block.url or "")  # every figure's chart is listed: the model checks
    return Block(block.kind, text=block.text)


def _one_line(text: str) -> str:
    """Header-safe: the subject is the headline on one line."""
    return " ".join(text.split())
