"""Round numbers (issue 16, "the level that matters"): the $10,000 bitcoin and $500 ether levels a week closed
through, and the one its intraday low or high reached without a close beyond it. Facts checked against the raw
Binance candles as the csv module reads them; the wording in `reports.story.levels` checked on real weeks."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from conftest import SELL_OFF, build_story, raw_rows
from reports.check.document import story_document
from reports.check.report import check
from reports.core.settings import load_settings
from reports.facts.levels import ROUND_STEPS, round_level
from reports.story.desk import Desk
from reports.story.levels import round_number_clause, round_number_sentence

CANDLES = "binance_spot_daily_ohlcv.csv"


def _candles(symbol: str) -> dict[date, dict[str, float]]:
    return {date.fromisoformat(row["date"]): {key: float(row[key]) for key in ("low", "high", "close")}
            for row in raw_rows(CANDLES) if row["symbol"] == symbol}


@pytest.fixture(scope="module")
def weeks(bundled_data):
    return {week: build_story(bundled_data, week) for week in
            (SELL_OFF, date(2026, 2, 5), date(2026, 2, 1), date(2026, 3, 15), date(2026, 3, 22))}


def _clause(story, asset: str) -> str | None:
    clause = round_number_clause(Desk.open(story.facts, load_settings(flags={"week_ending": story.facts.week.end})), asset)
    return None if clause is None else clause.text


def test_the_sell_off_closed_below_80000_and_its_low_touched_60000_on_binance(weeks):
    candles = _candles("BTC")
    days = [SELL_OFF - timedelta(days=n) for n in range(6, -1, -1)]
    base, last = candles[SELL_OFF - timedelta(days=7)]["close"], candles[SELL_OFF]["close"]
    low_day = min(days, key=lambda day: candles[day]["low"])
    assert base > 80_000 > last > 70_000  # one $10,000 level closed through
    assert candles[low_day]["low"] == 60_000 and min(candles[day]["close"] for day in days) > 60_000
    level = next(level for level in weeks[SELL_OFF].facts.round_levels if level.asset == "bitcoin")
    assert (level.base_close, level.close, level.step) == (base, last, ROUND_STEPS["bitcoin"])
    assert (level.crossed, level.levels_crossed, level.direction) == (80_000, 1, "down")
    assert (level.touched, level.touched_side, level.touched_day) == (60_000, "low", low_day)
    assert _clause(weeks[SELL_OFF], "bitcoin") == "bitcoin closed below $80,000 and touched $60,000 on Feb 6 without a close below it"


def test_two_levels_closed_through_are_counted(weeks):
    candles = _candles("BTC")
    week = date(2026, 2, 5)
    assert candles[week - timedelta(days=7)]["close"] > 80_000 and 60_000 < candles[week]["close"] < 70_000
    assert _clause(weeks[week], "bitcoin") == "bitcoin closed below $70,000, through two round $10,000 marks"


def test_a_high_above_a_level_the_week_never_closed_above(weeks):
    """Week to Feb 1, 2026: bitcoin traded above $90,000 on Jan 28 but no close of the week, nor the base, was."""
    candles, week = _candles("BTC"), date(2026, 2, 1)
    closes = [candles[week - timedelta(days=n)]["close"] for n in range(7, -1, -1)]
    assert candles[date(2026, 1, 28)]["high"] > 90_000 > max(closes)
    assert _clause(weeks[week], "bitcoin") == ("bitcoin closed below $80,000 and rose above $90,000 on Jan 28 without a "
                                               "close above it")


def test_ether_steps_by_500_and_a_rise_closes_above(weeks):
    candles, week = _candles("ETH"), date(2026, 3, 15)
    assert candles[week - timedelta(days=7)]["close"] < 2_000 < candles[week]["close"] < 2_500
    assert _clause(weeks[week], "ethereum") == "ether closed above $2,000"
    assert _clause(weeks[week], "bitcoin") == "bitcoin closed above $70,000"


def test_a_week_that_met_no_round_number_says_nothing(weeks):
    """Week to Mar 22, 2026: ether closed between $2,000 and $2,500 on both days, and its candles stayed inside."""
    candles, week = _candles("ETH"), date(2026, 3, 22)
    days = [week - timedelta(days=n) for n in range(7, -1, -1)]
    assert all(2_000 < candles[day]["low"] and candles[day]["high"] < 2_500 for day in days)
    assert _clause(weeks[week], "ethereum") is None
    desk = Desk.open(weeks[week].facts, load_settings(flags={"week_ending": week}))
    assert round_number_sentence(desk, "ethereum") is None


def test_the_clause_cites_its_facts_and_brief_json_carries_them(weeks):
    story = weeks[SELL_OFF]
    desk = Desk.open(story.facts, load_settings(flags={"week_ending": SELL_OFF}))
    told = round_number_sentence(desk, "bitcoin")
    assert told is not None and {"round_levels.bitcoin.crossed", "round_levels.bitcoin.touched",
                                 "round_levels.bitcoin.touched_day"} <= set(told.facts)
    doc = story_document(story, load_settings(flags={"week_ending": SELL_OFF}))
    assert [(level.asset, level.crossed, level.touched) for level in doc.round_levels] == [
        ("bitcoin", 80_000, 60_000), ("ethereum", 2_500, None)]
    assert doc.facts["round_levels.bitcoin.crossed"] == 80_000
    assert check(doc).ok, check(doc).failures


@pytest.mark.parametrize("close, crossed", [(80_000.0, None), (79_999.99, 80_000.0)])
def test_a_close_on_the_level_has_not_crossed_it(weeks, close, crossed):
    """The rule at its edge: falling, a level counts only when the last close is below it."""
    move = weeks[SELL_OFF].facts.asset("bitcoin")
    assert round_level(dataclasses.replace(move, close=close), 10_000.0).crossed == crossed


def test_the_lead_names_the_round_numbers_the_week_went_through_and_when_the_low_close_came(weeks):
    """The Overview tells the level readers watch (the sell-off's $60,000 touch and its close below $80,000, from the
    candles: Jan 30 close above $80,000, Feb 6 close below it, the Feb 6 low at $60,000), and a "lowest close since"
    that came before the week's last close says on which day."""
    candles = _candles("BTC")
    assert candles[date(2026, 1, 30)]["close"] > 80_000 > candles[date(2026, 2, 6)]["close"] > 60_000 == candles[date(2026, 2, 6)]["low"]
    overview = " ".join(s.text for block in weeks[SELL_OFF].sections[0].blocks for s in getattr(block, "sentences", ()))
    assert "On the way down, bitcoin closed below $80,000 and touched $60,000 on Feb 6 without a close below it." in overview
    low_day = min((day for day in candles if SELL_OFF - timedelta(days=6) <= day <= SELL_OFF), key=lambda d: candles[d]["close"])
    assert low_day == date(2026, 2, 5) and "its lowest close since October 2024 on Feb 5" in overview


def test_a_price_far_from_the_step_is_counted_not_listed():
    """A user's file may move a coin from a fraction of a cent to a trillion dollars: the levels in between are
    counted (the fuzz test ran out of memory when they were listed)."""
    from reports.facts.levels import _between

    assert _between(0.0001, 1e12, 10_000.0) == (100_000_000, 1e12)
    assert _between(1e12, 0.0001, 10_000.0) == (100_000_000, 10_000.0)
    assert _between(84_260.0, 70_580.0, 10_000.0) == (1, 80_000.0)  # the sell-off: one level, $80,000
    assert _between(65_000.0, 72_815.0, 10_000.0) == (1, 70_000.0) and _between(71_000.0, 79_000.0, 10_000.0) == (0, None)
