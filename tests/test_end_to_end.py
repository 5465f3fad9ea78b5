"""Whole weeks built from the bundled data through the CLI, checked as a reader's tools see them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

from conftest import EPOCH, ROOT, SELL_OFF, run_cli

HEADINGS = ["Overview", "Key Takeaways", "What Happened", "What Drove the Week", "Impact on the Crypto Market", "Comparison & Data",
            "What to Watch", "FAQ", "Methodology & Sources"]
CHARTS = {"price-path", "etf-flows", "weekly-change", "market-cap", "drawdown", "fear-greed"}
A4 = (595.28, 841.89)

pytestmark = pytest.mark.slow


def build(out: Path, *args: str) -> Path:
    result = run_cli("brief", "--week-ending", SELL_OFF.isoformat(), "--out", str(out), *args,
                     env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    return out / SELL_OFF.isoformat()


@pytest.fixture(scope="module")
def week(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def pdf(week):
    return PdfReader(week / "brief.pdf")


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in pdf.pages]


def test_every_output_and_chart_file_is_written(week):
    assert {p.name for p in week.iterdir()} == {"brief.html", "brief.pdf", "brief.md", "brief.json", "charts", ".dates.json"}
    # each chart, and its phone version for the site (built with the json format)
    assert {p.name for p in (week / "charts").iterdir()} == {f"{c}{kind}" for c in CHARTS for kind in (".png", ".phone.png")}
    assert not [p for p in week.parent.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_pdf_is_a4_with_every_section_heading_and_page_numbers(pdf, pages):
    for page in pdf.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5)
    text = " ".join(pages)
    for heading in HEADINGS:
        assert heading in text, heading
    assert text.index("Overview") < text.index("What Happened") < text.index("Methodology & Sources")
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in page
    assert "Coin Metrics community network data (https://coinmetrics.io), licensed CC BY-NC 4.0." in text


def test_pdf_embeds_the_brief_fonts(pdf):
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]).get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert any("Inter" in name for name in fonts) and any("Source-Serif-4" in name for name in fonts)
    assert all(fonts.values()), fonts


def test_pdf_carries_each_chart_png_without_recompressing_it(week, pdf):
    """The PDF's image streams are the chart files' own compressed rows (the PNG's IDAT data), at full size."""
    from reports.render.pdf import idat

    expected = {idat((week / "charts" / f"{chart}.png").read_bytes()): chart for chart in CHARTS}
    found = {}
    for page in pdf.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            image = xobject.get_object()
            if image["/Subtype"] == "/Image":
                found[expected.get(image._data, "a re-encoded image")] = (image["/Width"], image["/Height"])
    assert sorted(found) == sorted(CHARTS)
    for chart, size in found.items():
        assert size == Image.open(week / "charts" / f"{chart}.png").size, chart


def test_no_table_row_or_chart_is_split_across_pages(week, pages):
    data = json.loads((week / "brief.json").read_text())
    table = next(b for s in data["sections"] for b in s["blocks"] if b["type"] == "table" and "Asset" in b["columns"])
    for row in table["rows"]:
        name, change = row[1]["text"], row[3]["text"]
        assert any(name in page and change in page.split(name, 1)[1][:80] for page in pages), name
    for chart in data["charts"]:
        title, caption = chart["title"]["text"], chart["caption"]["text"][:60]
        assert any(title in page and caption in page for page in pages), title


def test_html_carries_its_fonts_and_styles_and_shows_the_chart_files_beside_it(week):
    html = (week / "brief.html").read_text()
    assert "<link" not in html and "<script" not in html and "@import" not in html
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)">', html)
    assert sorted(src for src, *_ in images) == sorted(f"charts/{c}.png" for c in CHARTS)
    for src, alt, width, height in images:
        assert (int(width), int(height)) == Image.open(week / src).size, src
        assert len(alt) > 40
    assert not re.search(r'(src|href)="(?!data:|#|charts/)', html)
    assert html.count("@font-face") == 7 and "data:font/woff2;base64," in html
    for heading in HEADINGS:
        assert f">{heading.replace('&', '&amp;')}</h2>" in html


def test_markdown_front_matter_is_what_a_cms_ingests(week):
    text = (week / "brief.md").read_text()
    _, matter, body = text.split("---\n", 2)
    meta = yaml.safe_load(matter)
    assert {"title", "date", "lastmod", "description", "summary", "tags", "categories", "images", "draft",
            "lang", "sentiment", "source"} <= meta.keys()
    assert meta["title"] == "Bitcoin crashes 16.2% in a week, with its lowest close since October 2024"  # top verb tier
    assert meta["sentiment"] == "NEGATIVE" and meta["date"] == meta["lastmod"] == datetime(2026, 2, 9, 6, tzinfo=timezone.utc)
    assert meta["images"] == ["http://localhost:8000/briefs/2026-02-06/charts/price-path.png"] and meta["draft"] is False
    assert [line[3:] for line in body.splitlines() if line.startswith("## ")] == HEADINGS
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body):
        assert (week / image).is_file()
    assert "| Bitcoin (BTC) | $70,580 | -16.2% | $60,000 – $84,270 |" in body  # Binance closes; intraday range


def test_json_has_the_documented_keys_in_percent_units(week):
    data = json.loads((week / "brief.json").read_text())
    assert data["week"] == {"start": "2026-01-31", "end": "2026-02-06", "base": "2026-01-30"}
    assert data["sentiment"] == "NEGATIVE"
    btc = next(a for a in data["assets"] if a["symbol"] == "BTC")
    assert btc["name"] == "Bitcoin" and btc["close"] == 70580.26  # Binance's Feb 6 close
    assert btc["change_pct"] == pytest.approx((70580.26 / 84260.49 - 1) * 100)
    assert data["market"]["total_market_cap_usd"] == pytest.approx(2337193449735.346)
    assert data["market"]["total_market_cap_change_usd"] == pytest.approx(2337193449735.346 - 2886895278384.883)
    assert [s["id"] for s in data["sections"]] == ["overview", "key-takeaways", "what-happened", "drivers", "impact", "comparison",
                                                    "what-to-watch", "faq", "methodology"]
    assert all(s["title"] and s["text"] for s in data["sections"])
    cited = {k for s in data["sections"] for b in s["blocks"] for p in [b, *b.get("items", [])]
             for sentence in p.get("sentences", []) for k in sentence["facts"]}
    assert cited and cited <= data["facts"].keys()


def test_same_input_and_clock_give_byte_identical_files(week, tmp_path):
    again = build(tmp_path)
    files = sorted(p.relative_to(week) for p in week.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for path in files:
        assert (week / path).read_bytes() == (again / path).read_bytes(), path


def test_a_failed_build_leaves_the_previous_brief_untouched(tmp_path, monkeypatch):
    folder = build(tmp_path, "--formats", "md,json")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def broken(brief, settings):
        raise RuntimeError("renderer crashed midway")

    monkeypatch.setattr("reports.render.jsonfile.render", broken)
    result = run_cli("brief", "--week-ending", SELL_OFF.isoformat(), "--out", str(tmp_path), "--formats", "md,json")
    assert result.exit_code == 1
    assert "renderer crashed midway" in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [SELL_OFF.isoformat()]


def test_a_subset_of_formats_refreshes_those_and_keeps_the_rest(tmp_path):
    folder = build(tmp_path, "--formats", "json")
    assert not (folder / "brief.md").exists()
    build(tmp_path, "--formats", "md")
    assert (folder / "brief.md").is_file() and (folder / "brief.json").is_file()


def test_build_py_with_no_arguments_builds_the_latest_complete_week(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": EPOCH, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "2026-03-22" / "brief.pdf").is_file()
    assert result.stdout.startswith("out/2026-03-22: ")
