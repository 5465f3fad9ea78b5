"""The story: traceable figures, direction words that match the numbers, weeks that read differently."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

import pytest

from conftest import RALLY, SELL_OFF, build_story
from reports.facts.table import fact_table
from reports.core.formatting import Formatter
from reports.story.lexicon import TIERS
from reports.check.report import check_story
from reports.check.rules import unsourced_numbers
from reports.core.settings import load_settings

SECTION_IDS = ["overview", "key-takeaways", "what-happened", "drivers", "impact", "comparison", "what-to-watch", "faq", "methodology"]
DOWN_VERBS = {past for tier in TIERS for past, _ in tier.down} | {now for tier in TIERS for _, now in tier.down}
UP_VERBS = {past for tier in TIERS for past, _ in tier.up} | {now for tier in TIERS for _, now in tier.up}
WEEKS = [SELL_OFF, RALLY, date(2026, 3, 22), date(2025, 11, 30), date(2026, 1, 4), date(2025, 12, 14)]


@pytest.fixture(scope="module", params=WEEKS, ids=str)
def story(request, bundled_data):
    return build_story(bundled_data, request.param)


def test_every_number_in_every_sentence_comes_from_a_cited_fact(story):
    table, fmt = fact_table(story.facts), Formatter()
    problems = {s.text: unsourced_numbers(s, table, fmt) for s in story.sentences()}
    assert {text: tokens for text, tokens in problems.items() if tokens} == {}


def test_sections_come_in_order_and_none_is_empty(story):
    assert [section.id for section in story.sections] == SECTION_IDS
    for section in story.sections:
        assert section.blocks, section.id
    text = " ".join(s.text for s in story.sentences())
    assert not re.search(r"\b(None|nan|NaN|inf)\b", text)
    assert "{" not in text and "}" not in text


def test_faq_has_three_to_five_questions(story):
    faq = next(section for section in story.sections if section.id == "faq").blocks[0]
    assert 3 <= len(faq.items) <= 5
    assert all(item.question.text.endswith("?") for item in faq.items)


def _sentences_about(story, asset: str):
    """Sentences that state this asset's weekly change and no other figure of another asset or the market."""
    key = f"assets.{asset}.change_pct"
    return [s for s in story.sentences()
            if key in s.facts and all(k.startswith((f"assets.{asset}.", "week.", "method.")) or k == f"assets.{story.facts.lead}.change_pct"
                                      for k in s.facts)]  # a comparison with the lead cites the lead's change


def _verbs(text: str, verbs: set[str]) -> set[str]:
    return {verb for verb in verbs if re.search(rf"\b{verb}\b", text.lower())}


def test_direction_words_agree_with_the_sign_of_the_move(story):
    """A sentence that states one asset's weekly change never uses a verb of the other direction."""
    checked = 0
    for move in story.facts.assets:
        for s in _sentences_about(story, move.id):
            checked += 1
            if move.change_pct < 0:
                assert not _verbs(s.text, UP_VERBS), s.text
            elif move.change_pct > 0:
                assert not _verbs(s.text, DOWN_VERBS), s.text
    assert checked >= 3


def test_a_falling_week_and_a_rising_week_read_the_opposite_way(bundled_data):
    down, up = build_story(bundled_data, SELL_OFF), build_story(bundled_data, RALLY)
    assert (down.sentiment, up.sentiment) == ("NEGATIVE", "POSITIVE")
    assert _verbs(down.headline.text, DOWN_VERBS) and not _verbs(down.headline.text, UP_VERBS)
    assert _verbs(up.headline.text, UP_VERBS) and not _verbs(up.headline.text, DOWN_VERBS)
    # the market-value sentence of the lead (both weeks open with bitcoin's record week, then the market)
    overview_down = next(s.text for s in down.sections[0].blocks[0].sentences if "market_cap.change_usd" in s.facts)
    overview_up = next(s.text for s in up.sections[0].blocks[0].sentences if "market_cap.change_usd" in s.facts)
    assert "$549.7 billion" in overview_down and not re.search(r"\b(added|adding|rose|up)\b", overview_down)
    assert "$125.0 billion" in overview_up and not re.search(r"\b(lost|erasing|wiped|fell|down)\b", overview_up)
    assert "sell-off" in down.tags and "rally" in up.tags


def test_two_weeks_read_differently_beyond_their_numbers(bundled_data):
    texts = []
    for week in WEEKS:
        story = build_story(bundled_data, week)
        texts.append(re.sub(r"[\d.,$%+-]+", "#", " ".join(s.text for s in story.sentences())))
    assert len(set(texts)) == len(texts)


def test_the_same_week_always_reads_the_same(bundled_data):
    first = [s.text for s in build_story(bundled_data, SELL_OFF).sentences()]
    again = [s.text for s in build_story(bundled_data, SELL_OFF).sentences()]
    assert first == again


def test_the_sell_off_brief_names_its_figures_and_history(bundled_data):
    story = build_story(bundled_data, SELL_OFF)
    text = " ".join(s.text for s in story.sentences())
    # Bitcoin's typical week (the spread of its seven-day changes over the prior 180 days) is about 5%,
    # so a 16.2% fall is over three typical weeks: the top tier of verbs.
    assert re.fullmatch(r"Bitcoin (plunges|crashes) 16\.2% in a week, with its lowest close since October 2024",
                        story.headline.text), story.headline.text
    for needle in ("$549.7 billion", "$2.34 trillion", "16.2%", "23.8%", "(Extreme Fear)", "since June 2022",
                   "lowest close since mid-October 2024", "Zcash (ZEC, -29.4%)", "Hyperliquid (HYPE) †"):
        assert needle in text or any(needle in cell.text for section in story.sections for block in section.blocks
                                     for row in getattr(block, "rows", ()) for cell in row), needle
    # The brief says which time of day each figure uses: closes, and the snapshots of the coins without them.
    assert "snapshots at about 12:00 UTC" in text and "daily closes at 00:00 UTC" in text


def test_a_source_without_market_cap_or_sentiment_leaves_those_facts_out(bundled_data):
    data = dataclasses.replace(bundled_data, market=None, sentiment=None)
    story = build_story(data, SELL_OFF)
    text = " ".join(s.text for s in story.sentences())
    assert story.facts.market_cap is None and story.facts.fear_greed is None
    assert "Fear & Greed Index" not in text.replace("no Fear & Greed Index reading for this week", "")
    assert "total market value and dominance for this week" in text  # said in the data notes
    assert "capitalisation" not in text
    assert {figure.chart for figure in story.figures} == {"price-path", "etf-flows", "weekly-change", "drawdown"}
    assert story.sentiment == "NEGATIVE"  # from the median move when total market value is unknown


def test_a_universe_without_bitcoin_leads_with_its_largest_asset(bundled_data):
    story = build_story(bundled_data, SELL_OFF, exclude=("BTC",))
    assert story.facts.asset("bitcoin") is None
    assert story.headline.text.startswith("Ether")
    assert story.facts.altcoins is None


def _buildable_weeks(data):
    observed = data.prices.observed()
    days = {day.date() for day in observed.index[observed]}
    return sorted(day for day in days if day - timedelta(days=7) in days)


@pytest.mark.slow
def test_every_week_the_bundled_data_allows_passes_the_checker(bundled_data):
    """Every possible week end in the bundled data: the checker (figures, direction words, rounding,
    superlatives, artifacts, empty sections) finds nothing."""
    weeks = _buildable_weeks(bundled_data)
    assert len(weeks) > 150
    failures = []
    for week in weeks:
        report = check_story(build_story(bundled_data, week), load_settings(flags={"week_ending": week}))
        failures += [f"{week} {failure}" for failure in report.failures]
    assert failures == []
