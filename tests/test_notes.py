"""The editor's notes (`--notes`): their own sections in every format, always attributed, markup
never passed through, checked as quoted text, and a bad notes file an exit-2 error naming its line.

Line numbers in the bad-file cases are counted by hand from the text written in each test.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET
from html.parser import HTMLParser
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import run_cli

ATOM = "{http://www.w3.org/2005/Atom}"

WEEK = "2026-02-06"
NOTES = """\
---
author: Jane Doe, markets editor
week: 2026-02-06
---
## From the desk
The sell-off tested *every* thesis this desk holds; watch the `ETF` tape and [the Fed](https://www.federalreserve.gov/).

## Reactions & Quotes
> Bitcoin is going through its roughest patch in 15 months.
— Alex Analyst, Example Research (https://research.example.com/note-1)

## Unconfirmed
> Exchange X is said to weigh a sale of its derivatives unit.
— Reported by Example News, citing people familiar with the matter
"""
HOSTILE = """\
---
author: <b>Mallory</b>
---
## Reactions & Quotes
> <script>alert(1)</script> and <img src=x onerror=alert(1)> and [click](javascript:alert(1)) and <a href="javascript:x">y</a>
— <i>Eve</i>, "><svg onload=alert(1)> (https://example.com/?q=%3Cscript%3E)
"""
ALLOWED_TAGS = {"figure", "div", "blockquote", "p", "a", "strong", "em", "code", "figcaption", "cite"}


def build(tmp_path: Path, notes: str, formats: str = "html,pdf,md,json") -> Path:
    path = tmp_path / "notes.md"
    path.write_text(notes, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("brief", "--week-ending", WEEK, "--out", str(out), "--formats", formats, "--notes", str(path))
    assert result.exit_code == 0, result.output
    return out / WEEK


def test_a_quote_and_an_unconfirmed_report_appear_in_every_format_attributed(tmp_path):
    folder = build(tmp_path, NOTES)
    doc = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    notes = {s["id"]: s for s in doc["sections"] if s["id"] in ("from-the-desk", "reactions-quotes", "unconfirmed")}
    assert [s["title"] for s in notes.values()] == ["From the desk", "Reactions & Quotes", "Unconfirmed"]
    quote = notes["reactions-quotes"]["blocks"][0]
    assert (quote["type"], quote["role"], quote["speaker"], quote["source"], quote["url"]) == (
        "quote", "quote", "Alex Analyst", "Example Research", "https://research.example.com/note-1")
    report = notes["unconfirmed"]["blocks"][0]
    assert (report["speaker"], report["source"], report["url"]) == (
        "Reported by Example News", "citing people familiar with the matter", None)
    assert notes["from-the-desk"]["blocks"][0]["speaker"] == "Jane Doe, markets editor"

    md = (folder / "brief.md").read_text(encoding="utf-8")
    assert "> Bitcoin is going through its roughest patch in 15 months." in md
    assert "> — Alex Analyst, [Example Research](https://research.example.com/note-1)" in md
    assert "> — Reported by Example News, citing people familiar with the matter" in md
    assert "— Jane Doe, markets editor" in md and "*every*" in md

    html = (folder / "brief.html").read_text(encoding="utf-8")
    assert '<section id="reactions-quotes">' in html and "<blockquote class=\"note-text\">" in html
    assert '— Alex Analyst, <cite><a href="https://research.example.com/note-1"' in html
    assert "— Reported by Example News, <cite>citing people familiar with the matter</cite>" in html

    from pypdf import PdfReader

    pdf = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(folder / "brief.pdf").pages)
    for text in ("Reactions & Quotes", "roughest patch in 15 months", "— Alex Analyst, Example Research", "Unconfirmed",
                 "— Reported by Example News", "— Jane Doe, markets editor"):
        assert text in pdf

    from reports.core.settings import Settings
    from reports.publish.mail.edition import read_edition
    from reports.publish.mail.message import Composer

    composer = Composer(read_edition(folder), Settings(images="embedded"))
    text = composer.text
    assert "REACTIONS & QUOTES" in text and "— Alex Analyst, Example Research (https://research.example.com/note-1)" in text
    assert "— Reported by Example News, citing people familiar with the matter" in text
    assert '— Alex Analyst, <cite' in composer.html and 'href="https://research.example.com/note-1"' in composer.html
    assert "<em" in composer.html and 'href="https://www.federalreserve.gov/"' in composer.html  # the desk's link and emphasis

    site = tmp_path / "site"
    result = run_cli("site", "--out", str(site), "--briefs", str(tmp_path / "out"), "--base-url", "https://brief.example.com/")
    assert result.exit_code == 0, result.output
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    shown = [page for page in pages if "roughest patch in 15 months" in page]
    assert shown and all("— Alex Analyst, <cite>" in page and "Reported by Example News" in page for page in shown)
    feed = ET.parse(site / "feed.xml").getroot()
    (content,) = [entry.find(f"{ATOM}content").text for entry in feed.iter(f"{ATOM}entry")]
    assert "roughest patch in 15 months" in content and "— Alex Analyst, <cite>" in content  # feed readers get them too

    check = run_cli("check", str(folder / "brief.json"))
    assert check.exit_code == 0, check.output  # the quote's "15" is the speaker's, not traced to a fact


def test_hostile_markup_in_notes_never_reaches_html_raw(tmp_path):
    folder = build(tmp_path, HOSTILE, "html,pdf,md,json")
    html = (folder / "brief.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="reactions-quotes">'):]
    section = section[: section.index("</section>")]
    assert_safe(section)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "onerror" in section  # shown as text
    from reports.core.settings import Settings
    from reports.publish.mail.edition import read_edition
    from reports.publish.mail.message import Composer

    mail = Composer(read_edition(folder), Settings(images="embedded")).html
    mail = mail[mail.index("Reactions &amp; Quotes</h2>") + len("Reactions &amp; Quotes</h2>"):]
    assert_safe(mail[: mail.index("<h2")], extra=("style",))
    md = (folder / "brief.md").read_text(encoding="utf-8")
    part = md[md.index("## Reactions & Quotes"):]
    part = part[: part.index("\n## ", 5)]
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": True}).render(part)  # a reader that lets raw HTML through
    parser = Tags()
    parser.feed(rendered)
    assert {tag for tag, _ in parser.found} <= {"h2", "blockquote", "p", "a"}
    assert [value for tag, attrs in parser.found for name, value in attrs] == ["https://example.com/?q=%3Cscript%3E"]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_safe(html: str, extra: tuple[str, ...] = ()) -> None:
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS | {"section", "h2"}, tag
        for name, value in attrs:
            assert name in ("class", "href", "rel", "id", *extra), name
            if name == "href":
                assert value is not None and re.match(r"https?://", value), value


PIECES = [*"<>\"'&=/:;()[]*_`!# \\abcjsvx-", "javascript:", "<script>", "onerror=", "](", "<img src=x ", "](https://e.com/",
          "<a href=", "data:", "\n", "\n> ", "\n\n"]
HOSTILE_TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join) | st.text(max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quote=HOSTILE_TEXT, speaker=HOSTILE_TEXT, desk=HOSTILE_TEXT)
def test_property_no_raw_markup_from_hostile_notes_reaches_html(quote, speaker, desk):
    from reports.core.errors import InputError
    from reports.document.notes import parse_notes
    from reports.render.templating import html_environment

    text = f"---\nauthor: desk\n---\n## From the desk\n{desk}\n\n## Reactions & Quotes\n> {quote}\n— {speaker}\n"
    try:
        notes = parse_notes(text, Path("notes.md"))
    except InputError:
        return  # refused with a clear error: nothing rendered
    template = html_environment().get_template("blocks/quote.html.j2")
    for block in notes.items:
        assert_safe(template.render(block=block))


def bad(tmp_path: Path, notes: str) -> tuple[str, Path]:
    path = tmp_path / "notes.md"
    path.write_text(notes, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched", encoding="utf-8")
    result = run_cli("brief", "--week-ending", WEEK, "--out", str(out), "--formats", "md,json", "--notes", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    return result.output, path


@pytest.mark.parametrize("notes, line, words", [
    ("---\nauthor: [unclosed\n---\n## Unconfirmed\n> x\n— y\n", 2, "not valid YAML"),
    ("---\nauthor: Jane\neditor: Bob\n---\n## Unconfirmed\n> x\n— y\n", 3, "'editor' is not a key"),
    ("---\nauthor: Jane\n\n## Unconfirmed\n> x\n— y\n", 1, "never closed"),
    ("## Reactions & Quotes\n> quoted\n— A, B\n\n```\ncode here\n", 5, "fence opened here is never closed"),
    ("## Reactions & Quotes\n\n— Nobody, Nowhere\n", 3, "an attribution without a quote"),
    ("## Reactions & Quotes\n> quoted words\n\n## Unconfirmed\n> more\n— A\n", 2, "a quote without an attribution"),
    ("## Market gossip\n> words\n— A\n", 1, "unknown heading"),
    ("## From the desk\nCommentary.\n", 1, "no author"),
    ("## Unconfirmed\n> said to\n— A, B (javascript:alert(1))\n", 2, "not an http(s) address"),
    ("Loose text first.\n\n## Unconfirmed\n> x\n— y\n", 1, "text before the first heading"),
])
def test_bad_notes_are_exit_2_naming_file_and_line_and_nothing_is_written(tmp_path, notes, line, words):
    output, path = bad(tmp_path, notes)
    assert f"{path}, line {line}:" in output and words in output


def test_the_checker_fails_generated_prose_that_quotes_a_note_as_its_own(tmp_path):
    folder = build(tmp_path, NOTES, "json")
    doc = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    overview = next(s for s in doc["sections"] if s["id"] == "overview")
    own = overview["blocks"][0]["sentences"][0]["text"]
    quotes = next(s for s in doc["sections"] if s["id"] == "reactions-quotes")
    quotes["blocks"][0]["text"] = quotes["blocks"][0]["paragraphs"][0][0]["text"] = own  # the note says what the brief says
    path = tmp_path / "quoted.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert "repeats a sentence of the editor's notes (Reactions & Quotes)" in result.output and own in result.output


def test_notes_for_another_week_are_an_error_for_a_single_brief_and_stay_out_of_other_weeks(tmp_path, bundled_data):
    output, path = bad(tmp_path, NOTES.replace("week: 2026-02-06", "week: 2026-02-13"))
    assert f"{path}: these notes are for the week ending 2026-02-13, not 2026-02-06" in output
    from conftest import build_story

    story = build_story(bundled_data, date(2026, 2, 6), notes=path)  # as a backfill writes each week
    assert not any(s.id in ("from-the-desk", "reactions-quotes", "unconfirmed") for s in story.sections)
    dated = tmp_path / "dated.md"
    dated.write_text(NOTES, encoding="utf-8")
    story = build_story(bundled_data, date(2026, 2, 6), notes=dated)
    assert [s.id for s in story.sections if s.id in ("from-the-desk", "reactions-quotes", "unconfirmed")] == [
        "from-the-desk", "reactions-quotes", "unconfirmed"]
