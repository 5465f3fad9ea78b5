"""The FAQ and What Happened worded by the week (issue 16): questions asked only when the week has the fact, answers
that name what the facts hold, and days inside the week named with their own weekday."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import build_story

AGAINST_WEEK = date(2025, 12, 14)  # 2 of the 13 coins with daily closes rose (ether and Zcash, by the bundle's closes)
SELL_OFF = date(2026, 2, 6)


@pytest.fixture(scope="module")
def stories(bundled_data):
    return {week: build_story(bundled_data, week) for week in (AGAINST_WEEK, SELL_OFF)}


def _faq(story) -> dict[str, str]:
    section = next(s for s in story.sections if s.id == "faq")
    return {item.question.text: " ".join(s.text for s in item.answer.sentences)
            for block in section.blocks for item in block.items}


def test_the_coins_against_the_rest_are_named_from_the_facts(stories):
    story = stories[AGAINST_WEEK]
    rose = [move for move in story.facts.assets if move.compared and move.change_pct >= 0.05]
    assert len(rose) == story.facts.breadth.rose == 2
    answer = _faq(story)["Which coins rose when most fell?"]
    assert {move.id for move in rose} == {"ethereum", "zcash"}
    assert answer.startswith("Ether and Zcash: "), answer  # the brief's plain names for them, and no other coin
    assert f"the only 2 of the {story.facts.breadth.total} coins" in answer


def test_a_week_without_a_few_coins_against_the_rest_is_not_asked(stories):
    questions = _faq(stories[SELL_OFF])
    assert not any(q.startswith("Which coins") for q in questions), questions


def test_the_streak_question_is_asked_on_a_run_of_three_weeks(stories):
    for story in stories.values():
        run = next((s for s in story.facts.streaks if s.key == "bitcoin"), None)
        asked = any(q.startswith("How long has bitcoin been") for q in _faq(story))
        assert asked == (run is not None and run.weeks >= 3), (story.facts.week.end, run)


def test_days_inside_the_week_carry_their_own_weekday(stories):
    story = stories[SELL_OFF]
    fall = story.facts.daily_fall
    text = " ".join(s.text for s in story.sentences())
    assert fall is not None
    assert f"The largest one-day fall came on {fall.day.strftime('%A')}, Feb {fall.day.day}," in text
    assert fall.day.strftime("%A") == "Thursday"  # Feb 5, 2026
