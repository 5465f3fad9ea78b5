"""The PDF's pages as a reader turns them, for every bundled golden week: no page but the last more than half
empty, a table starts where at least six of its rows fit and never leaves its last row alone overleaf, a FAQ
question stays with its answer.

The pages are rasterised by poppler's `pdftoppm` (installed by .ci/run) at 20 dpi in grey, and each page's
blank share measured from its pixels: the rows of pixels with no ink between the running header and the
footer (the page's 20 mm margins), over all the rows between them, counting only blank stretches at least
`GAP_MM` tall: the gaps between lines and between paragraphs of text are not empty paper (counted too, a full
page of text would measure 30-40% blank, the front page with its masthead over half).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import EPOCH, run_cli

pytestmark = pytest.mark.slow

WEEKS = ("2025-10-27", "2025-12-14", "2026-02-06", "2026-03-15", "2026-03-22")  # the golden weeks (tools/golden.py)
ASSET_WEEKS = ("2025-12-14", "2026-02-06")  # the asset briefs of two of them (a build of three costs a few seconds)
ASSETS = ("bitcoin", "ethereum", "tether")
DPI = 20
MARGIN_MM, PAGE_MM = 20, 297  # brief.css' @page: A4, 20 mm above and below
INK = 235  # a grey pixel darker than this is ink (paper is 255)
GAP_MM = 4  # a stretch of blank rows this tall or taller is empty paper
LEAD_ROWS = 6


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> dict[str, Path]:
    """Every golden week's market brief and two weeks' asset briefs, as PDF and brief.json, by name."""
    out = tmp_path_factory.mktemp("pages")
    found = {}
    builds = [(week, ()) for week in WEEKS] + [(week, ("--assets", ",".join(ASSETS))) for week in ASSET_WEEKS]
    for week, assets in builds:
        result = run_cli("brief", "--week-ending", week, "--out", str(out), "--formats", "pdf,json", *assets,
                         env={"SOURCE_DATE_EPOCH": EPOCH})
        assert result.exit_code == 0, result.output
    for week, assets in builds:
        for name, folder in [(f"{asset} {week}", out / "assets" / asset / week) for asset in ASSETS] if assets else [(week, out / week)]:
            found[name] = folder
    return found


def blank_shares(pdf: Path, scratch: Path) -> list[float]:
    """Each page's share of pixel rows with no ink between the header and the footer."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(scratch / "page")], check=True)
    shares = []
    for path in sorted(scratch.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        picture = Image.open(path).convert("L")
        width, height = picture.size
        top, bottom = round(height * MARGIN_MM / PAGE_MM), round(height * (PAGE_MM - MARGIN_MM) / PAGE_MM)
        pixels = picture.load()
        empty = [all(pixels[x, y] >= INK for x in range(width)) for y in range(top, bottom)] + [False]
        blank, run = 0, 0
        for row in empty:
            if row:
                run += 1
                continue
            blank += run if run >= GAP_MM / 25.4 * DPI else 0
            run = 0
        shares.append(blank / (bottom - top))
        path.unlink()
    return shares


def test_no_page_but_the_last_is_more_than_half_blank(briefs, tmp_path):
    worst = []
    for name, folder in briefs.items():
        shares = blank_shares(folder / "brief.pdf", tmp_path)
        print(f"{name}: {len(shares)} pages, blank " + " ".join(f"{share:.0%}" for share in shares))
        page, share = max(enumerate(shares[:-1], 1), key=lambda item: item[1])
        worst.append((share, name, page))
    print("worst pages (not the last): " + ", ".join(f"{name} p{page} {share:.0%}" for share, name, page in sorted(worst)[-3:]))
    assert all(share <= 0.5 for share, _, _ in worst), sorted(worst)[-3:]


def _pages(folder: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(folder / "brief.pdf").pages]


def _blocks(folder: Path, kind: str) -> list[dict]:
    document = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    return [block for section in document["sections"] for block in section["blocks"] if block["type"] == kind]


def test_a_table_starts_on_the_page_where_its_header_and_first_six_rows_fit(briefs):
    checked = 0
    for name, folder in briefs.items():
        pages = _pages(folder)
        for table in _blocks(folder, "table"):
            header = " ".join(column.upper() for column in table["columns"][-2:])  # printed in capitals (brief.css)
            start = next(index for index, text in enumerate(pages) if header in text)
            for row in table["rows"][:LEAD_ROWS]:
                for cell in row:
                    assert re.sub(r"\s+", " ", cell["text"]) in pages[start], (name, header, cell["text"], start + 1)
            checked += 1
    assert checked >= len(briefs)


def test_a_table_that_runs_over_a_page_never_leaves_its_last_row_alone(briefs):
    checked = 0
    for name, folder in briefs.items():
        pages = _pages(folder)
        for table in _blocks(folder, "table"):
            last, before = (" ".join(cell["text"].split()) for cell in (table["rows"][-1][-1], table["rows"][-2][-1]))
            page = next(index for index, text in enumerate(pages) if last in text)
            assert before in pages[page], (name, table["columns"], f"the last row alone on page {page + 1}")
            checked += 1
    assert checked >= len(briefs)


def test_a_tables_basis_line_is_never_split_over_a_page(briefs):
    checked = 0
    for name, folder in briefs.items():
        pages = _pages(folder)
        for table in _blocks(folder, "table"):
            words = table["caption"]["text"].split()
            first, last = " ".join(words[:6]), " ".join(words[-6:])
            assert any(first in page and last in page for page in pages), (name, first, last)
            checked += 1
    assert checked >= len(briefs)


def test_a_tables_basis_line_is_on_the_page_of_its_last_row(briefs):
    checked = 0
    for name, folder in briefs.items():
        pages = _pages(folder)
        for table in _blocks(folder, "table"):
            last = " ".join(table["rows"][-1][-1]["text"].split())
            first = " ".join(table["caption"]["text"].split()[:6])
            page = next(index for index, text in enumerate(pages) if last in text)
            assert first in pages[page], (name, first, f"the basis line is not on page {page + 1}, with the last row")
            checked += 1
    assert checked >= len(briefs)


def test_a_faq_question_is_on_the_page_where_its_answer_begins(briefs):
    checked = 0
    for name, folder in briefs.items():
        pages = _pages(folder)
        for faq in _blocks(folder, "faq"):
            for item in faq["items"]:
                question = item["question"]["text"]
                opening = " ".join(item["answer"]["text"].split()[:6])
                on = [index for index, text in enumerate(pages) if question in text]
                assert on, (name, question)
                assert opening in pages[on[-1]], (name, question, on[-1] + 1)
                checked += 1
    assert checked >= len(briefs)


def _layout_pages(folder: Path) -> list[list[str]]:
    """Each page's lines as `pdftotext -layout` prints them, blank lines dropped, spaces squeezed."""
    text = subprocess.run(["pdftotext", "-layout", str(folder / "brief.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [[re.sub(r"\s+", " ", line).strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def test_a_section_heading_stays_on_the_page_of_its_first_words(briefs):
    """No heading stranded at a page's foot: a section heading in the bottom 15% of a page's lines must have the
    first words of its section's first paragraph on that page too (the Feb 6 PDF once ended page 4 on "Comparison
    & Data" alone)."""
    checked = 0
    for name, folder in briefs.items():
        pages = _layout_pages(folder)
        document = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
        for section in document["sections"]:
            words = next((block["sentences"][0]["text"] for block in section["blocks"]
                          if block["type"] == "paragraph" and block.get("sentences")), None)
            found = [(index, row) for index, lines in enumerate(pages) for row, line in enumerate(lines)
                     if line == section["title"]]
            if not found or words is None:
                continue
            index, row = found[0]
            lines = pages[index]
            opening = " ".join(words.split()[:4])
            if row >= len(lines) * 0.85:
                assert opening in " ".join(lines[row + 1:]), (name, section["title"], index + 1)
            checked += 1
    assert checked >= len(briefs)


def test_a_heading_goes_over_the_page_with_what_it_introduces(briefs):
    """A heading shares its page with what opens its section: Comparison & Data's table (its column headers), or
    one paragraph and then a chart (the chart's title): the Feb 6 PDF once ended page 4 on the heading and its
    introduction alone, the chart overleaf."""
    checked = 0
    for name, folder in briefs.items():
        pages = [" ".join(lines) for lines in _layout_pages(folder)]
        document = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
        for section in document["sections"]:
            blocks = section["blocks"]
            words = [block for block in blocks if block["type"] not in ("figure", "table")]
            figures = [block for block in blocks if block["type"] == "figure"]
            if blocks and blocks[0]["type"] == "table":
                opening = " ".join(column.upper() for column in blocks[0]["columns"][-2:])  # printed in capitals
            elif len(words) == 1 and words[0]["type"] == "paragraph" and figures:
                opening = re.sub(r"\s+", " ", figures[0]["title"]["text"])
            else:
                continue
            on = next(index for index, text in enumerate(pages) if f" {section['title']} " in f" {text} ")
            assert opening in pages[on], (name, section["title"], on + 1, opening)
            checked += 1
    assert checked >= len(WEEKS)