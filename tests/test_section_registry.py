"""A new section is one module and one registry line, and it appears in the market brief and
in every asset brief: the two briefs share one registry of section modules."""

from __future__ import annotations

import types
from datetime import date

from conftest import build_story
from reports.story import sections
from reports.story.model import Section
from reports.story.sections.blocks import bullets
from reports.story.prose import sentence

WEEK = date(2026, 2, 6)


def _extra_section() -> types.ModuleType:
    """A section module as a contributor would write it: a `market` and an `asset` writer."""
    module = types.ModuleType("reports.story.sections.extra")

    def market(desk):
        return Section("extra", "Extra", (bullets(sentence("Market extra.")),))

    def asset(desk):
        return Section("extra", "Extra", (bullets(sentence(f"Extra for {desk.facts.asset_id}.")),))

    module.market, module.asset = market, asset
    return module


NOTES = ("---\nauthor: Jane Doe\n---\n## From the desk\nA word from the desk.\n\n## Reactions & Quotes\n> Said.\n— A, B\n\n"
         "## Unconfirmed\n> Reported.\n— C\n")


def test_every_registered_section_is_in_both_briefs_in_registry_order(monkeypatch, bundled_data, tmp_path):
    """With the editor's notes, every section of the registry has something to say (without them the
    three notes sections are left out)."""
    from reports.core.settings import load_settings
    from reports.facts.asset import compute_asset_facts
    from reports.facts.week import Week
    from reports.story.asset import write_asset_story

    monkeypatch.setattr(sections, "SECTIONS", sections.SECTIONS[:2] + (_extra_section(),) + sections.SECTIONS[2:])
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    market = build_story(bundled_data, WEEK, notes=notes)
    settings = load_settings(flags={"week_ending": WEEK, "notes": notes})
    asset = write_asset_story(compute_asset_facts(bundled_data, Week(WEEK), "ethereum", settings), settings, market.published)
    for story in (market, asset):
        ids = [section.id for section in story.sections]
        assert ids[2] == "extra" and len(ids) == len(sections.SECTIONS)
    assert "ethereum" in asset.sections[2].blocks[0].items[0].sentences[0].text


def test_the_registry_lists_each_section_module_once_with_both_writers():
    assert len(set(sections.SECTIONS)) == len(sections.SECTIONS)
    for module in sections.SECTIONS:
        assert callable(module.market) and callable(module.asset), module.__name__
