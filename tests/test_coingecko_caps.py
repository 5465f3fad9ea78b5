"""Total market value on a first run: without /global snapshots for a week's two ends, the brief measures
the week on the store's largest coins' combined market caps (from `market_chart`), labelled as such; with
snapshots for both ends it uses them. Expected values are worked out here from the bundled files the
stand-in CoinGecko serves (`coingecko_global_daily.csv`: bitcoin's and ether's caps, the /global rows)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime, timezone

import pandas as pd
import pytest

from coingecko_server import World, serve
from conftest import raw_rows, run_cli

from reports.data.sources.coingecko.store import STORE_FILE
from reports.facts.capsum import summed_caps

WEEK_END, BASE = date(2026, 2, 8), date(2026, 2, 1)


def _global(day: date) -> dict[str, str]:
    return next(row for row in raw_rows("coingecko_global_daily.csv") if row["date"] == day.isoformat())


def _caps(day: date) -> tuple[float, float]:
    row = _global(day)
    return float(row["btc_market_cap_usd"]), float(row["eth_market_cap_usd"])


def _brief(out) -> dict:
    return json.loads((out / WEEK_END.isoformat() / "brief.json").read_text())


def _notes(brief: dict) -> str:
    section = next(s for s in brief["sections"] if s["id"] == "methodology")
    return json.dumps(section)


def _epoch(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp()))


def test_a_first_run_measures_the_market_on_the_largest_coins_caps_and_says_so(api, monkeypatch, tmp_path):
    serve(api, World(top=2))  # the stand-in's caps are bitcoin's and ether's: the two largest coins
    monkeypatch.setenv("BRIEF_COINGECKO_TOP", "2")
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "coingecko", "--week-ending", WEEK_END.isoformat(), "--out", str(out),
                     "--formats", "json,md")
    assert result.exit_code == 0, result.output
    brief = _brief(out)
    markdown = (out / WEEK_END.isoformat() / "brief.md").read_text()
    assert ("- Total market value and dominance are the combined value of the 2 largest coins in the store, from "
            "CoinGecko's daily market caps, not CoinGecko's total of every coin: the store has no CoinGecko whole-market "
            "snapshot for both Feb 1 and Feb 8") in markdown
    start, end = sum(_caps(BASE)), sum(_caps(WEEK_END))
    market = brief["market"]
    assert market["total_market_cap_start_usd"] == pytest.approx(start, rel=1e-12)
    assert market["total_market_cap_usd"] == pytest.approx(end, rel=1e-12)
    assert market["btc_dominance_pct"] == pytest.approx(_caps(WEEK_END)[0] / end * 100, rel=1e-12)
    facts = brief["facts"]
    assert facts["market_cap.series"] == "coingecko-top-caps"
    title = facts["sources.coingecko-top-caps.title"]
    assert title.startswith("combined value of the 2 largest coins") and "not CoinGecko's total" in title
    notes = _notes(brief)
    assert f"Total market value and dominance are the {title}: the store has no CoinGecko whole-market snapshot" in notes
    # the store's only /global snapshot is the pull's day, Feb 9: not this week's
    db = sqlite3.connect(_store())
    try:
        assert [row[0] for row in db.execute("SELECT day FROM global_daily")] == ["2026-02-09"]
    finally:
        db.close()
    checked = run_cli("check", str(out / WEEK_END.isoformat() / "brief.json"))  # every figure cites its fact
    assert checked.exit_code == 0, checked.output


def test_with_snapshots_for_both_ends_the_brief_uses_coingeckos_total(api, monkeypatch, tmp_path):
    serve(api, World(top=2))
    monkeypatch.setenv("BRIEF_COINGECKO_TOP", "2")
    for day in (BASE, WEEK_END):  # daily pulls: one /global snapshot on each end of the week
        monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(day))
        assert run_cli("fetch").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(date(2026, 2, 9)))
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "coingecko", "--week-ending", WEEK_END.isoformat(), "--out", str(out),
                     "--formats", "json")
    assert result.exit_code == 0, result.output
    brief = _brief(out)
    assert brief["facts"]["market_cap.series"] == "coingecko-global-pulls"
    assert brief["market"]["total_market_cap_start_usd"] == float(_global(BASE)["total_market_cap_usd"])
    assert brief["market"]["total_market_cap_usd"] == float(_global(WEEK_END)["total_market_cap_usd"])
    assert "largest coins in the store" not in _notes(brief)


def test_a_day_with_fewer_caps_than_the_top_list_has_no_reconstructed_value():
    days = pd.date_range("2026-02-01", periods=2, freq="D")
    b1, e1 = _caps(date(2026, 2, 1))
    b2, _ = _caps(date(2026, 2, 2))
    caps = pd.DataFrame({"bitcoin": [b1, b2], "ethereum": [e1, float("nan")]}, index=days)
    summed = summed_caps(caps, 2)
    assert summed["total_market_cap_usd"].iloc[0] == b1 + e1 and pd.isna(summed["total_market_cap_usd"].iloc[1])
    assert summed["eth_dominance_pct"].iloc[0] == pytest.approx(e1 / (b1 + e1) * 100)
    # the largest `top` of more coins: the smallest is left out
    assert summed_caps(caps.iloc[:1], 1)["total_market_cap_usd"].iloc[0] == b1


def test_without_enough_caps_the_brief_has_no_market_value_rather_than_a_smaller_sum(api, monkeypatch, tmp_path):
    serve(api, World(top=3))  # the third coin (tether) has no cap in the stand-in's answers
    monkeypatch.setenv("BRIEF_COINGECKO_TOP", "3")
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "coingecko", "--week-ending", WEEK_END.isoformat(), "--out", str(out),
                     "--formats", "json")
    assert result.exit_code == 0, result.output
    brief = _brief(out)
    assert brief["market"]["total_market_cap_usd"] is None and "market_cap" in brief["data_quality"]["missing"]


def _store() -> str:
    return os.path.join(os.environ["BRIEF_DATA_DIR"], STORE_FILE)


def test_market_chart_caps_and_volumes_reach_the_raw_prices_table_in_the_csv_sources_columns():
    """Real CoinGecko values (the /coins/markets records of Feb 5 in tests/fixtures), re-shaped as one daily
    point of a market_chart answer: price, market cap and volume are all kept and read back."""
    from coingecko_server import epoch_ms

    from reports.core.settings import load_settings
    from reports.data.sources.coingecko import stored
    from reports.data.sources.coingecko.pull import daily_closes
    from reports.data.sources.coingecko.store import Listed, Store

    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "coingecko_coins_markets_2026-02-05.sample.json")
    with open(fixture, encoding="utf-8") as handle:
        records = json.load(handle)
    today = date(2026, 2, 9)
    settings = load_settings(env=os.environ, flags={"source": "coingecko", "offline": True, "allow_stale": True})
    with Store.at(settings.data_dir) as store:
        store.save_listing(today, datetime(2026, 2, 9, 12, tzinfo=timezone.utc),
                           [Listed(r["id"], r["symbol"].upper(), r["name"], r["market_cap_rank"]) for r in records])
        for record in records:
            stamp = epoch_ms(date(2026, 2, 6))  # the close of Feb 5
            chart = {"prices": [[stamp, record["current_price"]]], "market_caps": [[stamp, record["market_cap"]]],
                     "total_volumes": [[stamp, record["total_volume"]]]}
            closes, problems = daily_closes(chart, today)
            assert problems == [] and [(c.market_cap, c.volume) for c in closes] == [
                (float(record["market_cap"]), float(record["total_volume"]))]
            store.save_closes(record["id"], closes, closes[-1].day)
    raw = stored.load(settings)
    frame = raw.prices.table.frame.set_index("coin")
    for record in records:
        row = frame.loc[record["id"]]
        assert (row["date"], float(row["close"]), float(row["market_cap"]), float(row["volume"])) == (
            "2026-02-05", record["current_price"], record["market_cap"], record["total_volume"])
    assert {"market_cap", "volume"} <= set(raw.prices.table.header)
