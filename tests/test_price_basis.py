"""One price basis: the bundled briefs run on Binance's daily closes at 00:00 UTC, and every figure the
issue names is checked against the raw candle file as the csv module reads it (not the product's reader)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import SELL_OFF, build_story, raw_rows
from reports.story.model import Paragraph, Table

CANDLES = "binance_spot_daily_ohlcv.csv"
HOURLY = "binance_spot_hourly_btc_eth_2026-01-25_2026-02-10.csv"
PUBLISHED = {"BTC": -16.5, "ETH": -22.4, "BNB": -23.4, "SOL": -25.2}  # reporting of the week to about Feb 6
IDS = {"BTC": "bitcoin", "ETH": "ethereum", "BNB": "bnb", "SOL": "solana"}


def _closes(symbol: str) -> dict[date, float]:
    return {date.fromisoformat(row["date"]): float(row["close"]) for row in raw_rows(CANDLES) if row["symbol"] == symbol}


def _change(symbol: str, end: date, days: int = 7) -> float:
    closes = _closes(symbol)
    return (closes[end] / closes[end - timedelta(days=days)] - 1) * 100


def _text(story) -> str:
    """Every sentence of the brief: headline, description, paragraphs, bullets, questions and answers."""
    found = [story.headline.text, story.description.text]
    for section in story.sections:
        for block in section.blocks:
            for item in getattr(block, "items", ()) or ():
                found += [s.text for s in getattr(item, "sentences", ())]
                if hasattr(item, "question"):
                    found += [item.question.text, *(s.text for s in item.answer.sentences)]
            if isinstance(block, Paragraph):
                found += [s.text for s in block.sentences]
    return "\n".join(found)


@pytest.fixture(scope="module")
def sell_off(bundled_data):
    return build_story(bundled_data, SELL_OFF)


@pytest.mark.parametrize("symbol", list(PUBLISHED))
def test_the_sell_off_weekly_changes_are_binance_closes_near_the_published_figures(sell_off, symbol):
    expected = _change(symbol, SELL_OFF)
    move = sell_off.facts.asset(IDS[symbol])
    assert move.change_pct == pytest.approx(expected, abs=1e-9)
    assert abs(move.change_pct - PUBLISHED[symbol]) <= 1.5
    assert move.compared and move.series == "binance"


def test_the_sell_off_crash_day_is_feb_5_and_the_feb_6_rebound_is_told(sell_off):
    closes = _closes("BTC")
    days = [SELL_OFF - timedelta(days=n) for n in range(6, -1, -1)]
    daily = {day: (closes[day] / closes[day - timedelta(days=1)] - 1) * 100 for day in days}
    crash, rebound = min(daily, key=daily.__getitem__), max(daily, key=daily.__getitem__)
    assert (crash, rebound) == (date(2026, 2, 5), date(2026, 2, 6))
    fall, rise = sell_off.facts.daily_fall, sell_off.facts.daily_rise
    assert (fall.day, fall.to_price) == (crash, closes[crash]) and fall.change_pct == pytest.approx(daily[crash])
    assert (rise.day, rise.to_price) == (rebound, closes[rebound]) and rise.change_pct == pytest.approx(daily[rebound])
    text = _text(sell_off)
    assert f"The largest one-day fall came on Thursday, Feb 5, a {abs(daily[crash]):.1f}% drop in the close from $73,166 to $62,910" in text
    assert f"Bitcoin rebounded {daily[rebound]:.1f}% on Friday, Feb 6, to a close of $70,580" in text


def test_the_sell_off_intraday_low_near_60000_early_on_feb_6(sell_off):
    week = [SELL_OFF - timedelta(days=n) for n in range(7)]
    lows = {date.fromisoformat(row["date"]): float(row["low"]) for row in raw_rows(CANDLES) if row["symbol"] == "BTC"}
    low_day = min(week, key=lows.__getitem__)
    hours = [row for row in raw_rows(HOURLY) if row["symbol"] == "BTC" and row["datetime_utc"].startswith(low_day.isoformat())]
    first = next(row for row in hours if float(row["low"]) <= lows[low_day])
    assert (lows[low_day], low_day, first["datetime_utc"]) == (60000.0, date(2026, 2, 6), "2026-02-06 00:00:00")
    move = sell_off.facts.asset("bitcoin")
    assert (move.intraday_low, move.intraday_low_day, move.intraday_low_hour) == (60000.0, low_day, 0)
    assert "It briefly touched $60,000 early on Friday, Feb 6, the week's lowest trade" in _text(sell_off)


def test_one_end_of_week_price_for_bitcoin_throughout_the_brief(sell_off):
    close = _closes("BTC")[SELL_OFF]
    assert sell_off.facts.asset("bitcoin").close == close
    assert next(d for d in sell_off.facts.drawdowns if d.asset == "bitcoin").close == close
    text = _text(sell_off)
    assert "$70,580" in text and "$65,881" not in text and "$70,648" not in text
    assert "Time of day matters" not in text and "rather than" not in text


def test_the_dec_14_headline_goes_the_way_of_the_daily_closes(bundled_data):
    end = date(2025, 12, 14)
    change = _change("BTC", end)
    assert round(change, 2) == -2.46
    story = build_story(bundled_data, end)
    assert story.facts.asset("bitcoin").change_pct == pytest.approx(change)
    headline = story.headline.text
    assert headline.startswith("Bitcoin ") and "2.5%" in headline
    assert any(word in headline for word in ("loses", "slips", "falls", "drops", "dips", "declines", "eases", "slides"))


def test_claims_that_compare_moves_leave_the_snapshot_coins_out_and_say_how_many(sell_off):
    facts = sell_off.facts
    closes = {row["symbol"] for row in raw_rows(CANDLES) if row["date"] == SELL_OFF.isoformat()}
    compared = [move for move in facts.assets if move.compared]
    assert {move.symbol for move in compared} <= closes
    assert {move.symbol for move in facts.assets if not move.compared}.isdisjoint(closes)
    assert facts.breadth.total == len(compared) and facts.breadth.left_out == len(facts.assets) - len(compared)
    assert set(facts.leaders + facts.laggards) <= {move.id for move in compared}
    assert facts.altcoins.count == len(compared) - 1
    assert "hyperliquid" not in facts.leaders  # the noon snapshot's +12.7% is not on the same basis
    text = _text(sell_off)
    assert f"all {len(compared)} coins with daily closes fell" in text  # the dek and the lead: "No coin bucked the move: all 12 ..."


def test_the_table_marks_the_snapshot_coins_and_drops_the_empty_market_cap_column(sell_off):
    table = next(block for section in sell_off.sections for block in section.blocks
                 if isinstance(block, Table) and "Asset" in [column.title for column in block.columns])
    assert "Market cap" not in [column.title for column in table.columns]
    marked = {row[1].text for row in table.rows if row[1].text.endswith("†")}
    assert "Hyperliquid (HYPE) †" in marked and not any(name.startswith("Bitcoin (BTC)") for name in marked)
    assert "†" in table.caption.text


def test_the_week_rank_counts_windows_ending_inside_the_week(sell_off):
    closes = _closes("BTC")
    inside = {day: _change("BTC", day) for day in (SELL_OFF - timedelta(days=n) for n in range(1, 7))}
    worse = [day for day, change in inside.items() if change < _change("BTC", SELL_OFF)]
    rank = next(r for r in sell_off.facts.ranks if r.asset == "bitcoin")
    assert worse and rank.rank >= 1 + len(worse)
    assert rank.within == min(worse, key=inside.__getitem__) == date(2026, 2, 5)
    assert rank.within_change_pct == pytest.approx((closes[date(2026, 2, 5)] / closes[date(2026, 1, 29)] - 1) * 100)
    # the deeper window inside the week is told in the lead, in plain words (the takeaway gives the rank alone)
    assert "At its worst, in the seven days to Feb 5, it was down 25.7%." in _text(sell_off)


def test_total_market_value_is_ranked_in_dollars_the_unit_it_is_printed_in(sell_off):
    rows = {row["date"]: float(row["total_market_cap_usd"]) for row in raw_rows("coingecko_global_daily.csv")
            if row["total_market_cap_usd"]}
    oct_loss = rows["2025-10-17"] - rows["2025-10-10"]
    week_loss = rows["2026-02-06"] - rows["2026-01-30"]
    assert oct_loss < week_loss < 0  # Oct 10 -> 17, 2025 lost more dollars than this week
    rank = next(r for r in sell_off.facts.ranks if r.asset == "market")
    assert rank.unit == "usd" and rank.change_usd == pytest.approx(week_loss)
    assert rank.since == date(2025, 10, 17) and rank.since_change_usd == pytest.approx(oct_loss)
    assert "in data going back to September 2025" not in _text(sell_off)


def _global(day: date) -> dict[str, str]:
    return next(row for row in raw_rows("coingecko_global_daily.csv") if row["date"] == day.isoformat())


def test_a_share_that_disagrees_with_the_closes_says_which_basis_each_is_on(sell_off):
    """Week to Feb 6, 2026: on Binance's closes bitcoin fell less than CoinGecko's total market value, yet its
    share of the snapshots fell. "A falling share means bitcoin lost value faster" would contradict the figures;
    the body gives the share alone and a data note names the two bases (methodology stays out of the body)."""
    base, end = _global(SELL_OFF - timedelta(days=7)), _global(SELL_OFF)
    cap = (float(end["total_market_cap_usd"]) / float(base["total_market_cap_usd"]) - 1) * 100
    share = float(end["btc_dominance_pct"]) - float(base["btc_dominance_pct"])
    assert _change("BTC", SELL_OFF) > cap and share < 0  # the disagreement, from the raw files
    text = _text(sell_off)
    assert "means bitcoin lost value faster" not in text
    assert "Dominance: bitcoin's share of total market value slipped 0.6 points to 56.4% and ether's" in text
    assert ("Bitcoin's share of total market value fell on CoinGecko's snapshots between about 10:15 and 11:30 UTC, while "
            "on Binance's daily closes at 00:00 UTC bitcoin fell less than total market value: the two are hours apart, so "
            "Impact gives the share without reading it." in text)
    impact = next(section for section in sell_off.sections if section.id == "impact")
    assert "hours apart" not in str(impact)


def test_a_share_that_agrees_with_the_closes_keeps_its_reading(bundled_data):
    """Week to Mar 22, 2026: bitcoin fell more than total market value and its share fell: no basis note needed."""
    week = date(2026, 3, 22)
    base, end = _global(week - timedelta(days=7)), _global(week)
    cap = (float(end["total_market_cap_usd"]) / float(base["total_market_cap_usd"]) - 1) * 100
    assert _change("BTC", week) < cap and float(end["btc_dominance_pct"]) < float(base["btc_dominance_pct"])
    text = _text(build_story(bundled_data, week))
    assert ("bitcoin's share of total market value slipped 0.7 points to 56.3% and ether's edged up 0.2 points to 10.3%, "
            "as bitcoin lost value faster than the rest of the market." in text)
    assert "hours apart" not in text
