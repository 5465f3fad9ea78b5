"""`build.py brief --source live` on an empty store, every source served by stand-ins on 127.0.0.1, and
`build.py sources`; a source that fails after its retries leaves the brief built and the exit code 3."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import date

from coingecko_server import World, serve
from conftest import run_cli
from live_servers import CM, CM_BASE, FNG, serve_coinmetrics, serve_fear_greed
from live_servers_drivers import driver_env, serve_drivers
from live_servers_exchange import BINANCE_BASE, BYBIT_BASE, serve_binance, serve_bybit

from reports.core.settings import load_settings
from reports.data.sources import bundled, load_source
from reports.data.validate import validate
from reports.facts.table import fact_table

WEEK_END = date(2026, 2, 8)
BOTH = ("fear_greed.", "levels.", "ranges.", "prior_ranges.", "drawdowns.", "volatility.", "ranks.bitcoin.", "streaks.",
        "assets.bitcoin.", "assets.ethereum.")  # Sunday; the clock is Monday Feb 9, 12:00 UTC


def everything(api, monkeypatch, top: int = 8) -> None:
    serve(api, World(top=top))
    serve_fear_greed(api)
    serve_coinmetrics(api)
    monkeypatch.setenv("ALTERNATIVE_ME_BASE_URL", api.url_for("/alt"))
    monkeypatch.setenv("COINMETRICS_BASE_URL", api.url_for(CM_BASE))
    serve_drivers(api)
    driver_env(api, monkeypatch)
    serve_binance(api)
    serve_bybit(api)
    monkeypatch.setenv("BINANCE_BASE_URL", api.url_for(BINANCE_BASE))
    monkeypatch.setenv("BYBIT_BASE_URL", api.url_for(BYBIT_BASE))


def test_a_live_brief_on_an_empty_store_has_the_bundled_sentiment_and_long_history(api, monkeypatch, tmp_path):
    from conftest import build_story

    everything(api, monkeypatch)
    monkeypatch.setenv("BRIEF_COINGECKO_BACKFILL_DAYS", "365")  # the free tier's year, for the prices' own context
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 0, result.output
    assert (out / WEEK_END.isoformat() / "brief.json").is_file()
    calls = len(api.log)
    again = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md")
    assert again.exit_code == 0 and len(api.log) == calls  # a second run the same day makes no calls

    settings = load_settings(env=os.environ, flags={"source": "live", "offline": True})
    live = validate(load_source(settings))
    ours = fact_table(build_story(live, WEEK_END, source="live", offline=True).facts)
    theirs = fact_table(build_story(validate(dataclasses.replace(bundled.load(), hourly=None)), WEEK_END).facts)  # Binance candles in both
    # Every series both have: the sentiment, the long history's levels, ranges, drawdowns, volatility,
    # week ranks and streaks, and bitcoin's and ether's week (the stand-in's market caps are only theirs,
    # so the live universe is these two). Left out: the rank (the store lists ranks from its first pull,
    # Feb 9) and the price series' name (the store's closes, not the bundled snapshots: same values).
    compared = {key for key in theirs if key.startswith(BOTH)
                and not key.endswith((".rank", ".series")) or key.startswith(("sources.coinmetrics.", "sources.fear-greed."))}
    assert len(compared) >= 150 and {"fear_greed.value", "levels.bitcoin.low.since", "ranks.bitcoin.since"} <= compared
    assert {key: (ours.get(key), theirs[key]) for key in compared if ours.get(key) != theirs[key]} == {}
    # the daily highs and lows are Binance's candles in both (live: /api/v3/klines; bundled: the archived candles)
    extremes = {f"assets.{coin}.{side}" for coin in ("bitcoin", "ethereum") for side in ("high", "low", "high_day", "low_day", "intraday_low", "intraday_high")}
    assert extremes <= compared and any(key.startswith("ranges.") for key in compared)
    assert ours["assets.bitcoin.intraday_low"] == theirs["assets.bitcoin.intraday_low"] == 60000.0  # the sell-off's low of Feb 6, a candle's
    # "lowest since" reaches back before CoinGecko's served days: Binance's closes, spliced back with Coin Metrics'
    assert live.history is not None and live.history.info.key == "binance"
    assert live.history.splice is not None and live.history.splice.info.key == "coinmetrics"
    assert live.history.splice.day == date(2025, 8, 1)  # the candles' first day, as bundled
    assert live.history.close["bitcoin"].first_valid_index().date() == date(2024, 9, 13)


def test_sources_lists_each_source_with_its_newest_day_last_pull_and_staleness(api, monkeypatch):
    everything(api, monkeypatch, top=2)
    before = run_cli("sources")
    assert before.exit_code == 0 and before.output.count("nothing stored") == 9 and before.output.count("STALE") == 9
    data_dir = load_settings(env=os.environ).data_dir
    assert not (data_dir / "live.sqlite3").exists() and not (data_dir / "coingecko.sqlite3").exists()  # asking makes no store
    assert run_cli("brief", "--source", "live", "--formats", "md").exit_code == 0
    lines = run_cli("sources").output.splitlines()
    assert [line.split()[:4] for line in lines] == [["coingecko", "newest", "day", "2026-02-08"],
                                                    ["fear-greed", "newest", "day", "2026-02-09"],
                                                    ["coinmetrics", "newest", "day", "2026-02-08"],
                                                    ["farside", "newest", "day", "2026-02-06"],
                                                    ["defillama", "newest", "day", "2026-02-09"],
                                                    ["stooq", "newest", "day", "2026-02-06"],
                                                    ["fred", "newest", "day", "2026-02-06"],
                                                    ["binance", "newest", "day", "2026-02-08"],
                                                    ["bybit", "newest", "day", "2026-01-23"]]  # funding lags: the archive's gap
    assert all("last pull 2026-02-09 12:00 UTC" in line for line in lines)
    assert [line.endswith("fresh") for line in lines] == [True] * 8 + [False]  # bybit: STALE for the week to Feb 8


def test_a_source_that_fails_leaves_the_brief_built_and_exits_3_naming_it(api, monkeypatch, tmp_path):
    everything(api, monkeypatch)
    api.clear()
    serve(api, World(top=8))
    serve_coinmetrics(api)
    serve_drivers(api)
    serve_binance(api)
    serve_bybit(api)
    api.expect_request(FNG).respond_with_data("down", status=503)
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 3
    assert "warning: fear-greed failed: GET /fng/: HTTP 503" in result.stderr
    assert (out / WEEK_END.isoformat() / "brief.md").is_file()
    brief = json.loads((out / WEEK_END.isoformat() / "brief.json").read_text())
    assert "fear_greed" in brief["data_quality"]["missing"]  # the section is left out, the rest is built
    assert CM in {request.path for request, _ in api.log}


# --- the drivers: Farside, DefiLlama, Stooq and FRED --------------------------------------------------
# Differ by definition, so left out of the comparison: gold (no keyless daily LBMA price exists, so the live
# gold move is GLD's, as the facts fall back to) and the ten largest stablecoins (DefiLlama's total is every
# stablecoin it tracks, not CoinGecko's ten largest: the live table leaves that column empty, and the
# brief leaves the figure out, which is one more `left_out` entry).
BY_DEFINITION = ("drivers.markets.gold.", "drivers.stablecoins.top10.", "drivers.left_out")


def test_a_live_brief_on_an_empty_store_has_the_bundled_drivers(api, monkeypatch, tmp_path):
    from conftest import build_story

    everything(api, monkeypatch)
    monkeypatch.setenv("BRIEF_COINGECKO_BACKFILL_DAYS", "365")  # bitcoin's 90 days of closes, for its link with QQQ
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(tmp_path / "out"),
                     "--formats", "md")
    assert result.exit_code == 0, result.output
    settings = load_settings(env=os.environ, flags={"source": "live", "offline": True})
    live = validate(load_source(settings))
    ours = fact_table(build_story(live, WEEK_END, source="live", offline=True).facts)
    theirs = fact_table(build_story(validate(dataclasses.replace(bundled.load(), hourly=None)), WEEK_END).facts)  # Binance candles in both
    compared = {key for key in theirs if key.startswith("drivers.") and not key.startswith(BY_DEFINITION)}
    assert len(compared) >= 140 and {"drivers.etf.bitcoin.total_usd", "drivers.etf.ethereum.rank", "drivers.markets.qqq.change_pct",
                                     "drivers.markets.ust10y.change_bp", "drivers.stablecoins.usdc.change_usd",
                                     "drivers.stock_links.past_90.correlation"} <= compared
    assert {key: (ours.get(key), theirs[key]) for key in compared if ours.get(key) != theirs[key]} == {}
    assert ours["drivers.markets.gold.column"] == "gld_close" and theirs["drivers.markets.gold.column"] == "gold_lbma_pm_usd"
    assert ours["drivers.left_out.stablecoins.top10.reason"] == "not_in_source"  # DefiLlama's total is of every stablecoin
    notes = (tmp_path / "out" / WEEK_END.isoformat() / "brief.md").read_text()
    assert "leaves out the ten largest stablecoins' supply: their source does not publish that series" in notes
    assert ours["sources.cross-asset.provider"] == "Stooq and FRED" and ours["sources.stablecoins.provider"] == "DefiLlama"


def test_a_farside_page_without_its_table_leaves_the_etf_driver_out_and_exits_3(api, monkeypatch, tmp_path):
    from live_servers_drivers import FARSIDE_BASE, farside_answer

    everything(api, monkeypatch)
    # a one-shot answer comes before the stand-in's good page: the first pull's bitcoin page, without its table
    api.expect_oneshot_request(f"{FARSIDE_BASE}/bitcoin-etf-flow-all-data/").respond_with_handler(
        lambda request: farside_answer(request, table=False))
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 3, result.output
    assert 'warning: farside failed: GET /bitcoin-etf-flow-all-data/ answer, the bitcoin ETF flow table: no <table class="etf">' in result.stderr
    brief = json.loads((out / WEEK_END.isoformat() / "brief.json").read_text())
    facts = brief["facts"]
    assert not any(key.startswith("drivers.etf.") for key in facts) and facts["drivers.left_out.etf_btc.reason"] == "no_file"
    assert "drivers.markets.qqq.change_pct" in facts  # the other drivers are in
    notes = (out / WEEK_END.isoformat() / "brief.md").read_text()
    assert "The drivers section leaves out US spot bitcoin ETF flows and US spot ether ETF flows" in notes
    assert "farside.co.uk" not in notes  # not among the sources used (the warning above names Farside and the table)


def test_the_data_notes_name_a_source_that_could_not_be_reached_and_what_the_brief_leaves_out(api, monkeypatch, tmp_path):
    everything(api, monkeypatch)
    api.clear()
    serve(api, World(top=8))
    serve_coinmetrics(api)
    serve_drivers(api)
    serve_binance(api)
    serve_bybit(api)
    api.expect_request(FNG).respond_with_data("down", status=503)
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 3 and "warning: fear-greed failed: GET /fng/: HTTP 503" in result.stderr
    brief = json.loads((out / WEEK_END.isoformat() / "brief.json").read_text())
    assert [f["key"] for f in brief["data_quality"]["freshness"]["failed"]] == ["fear-greed"]  # carried as data
    markdown = (out / WEEK_END.isoformat() / "brief.md").read_text()
    note = next(line for line in markdown.splitlines() if "could not be reached" in line)
    assert note == ("- Alternative.me could not be reached: GET /fng/: HTTP 503 SERVICE UNAVAILABLE; gave up after 5 "
                    "attempts; the brief leaves out the Fear & Greed Index."), note
    assert markdown.count("could not be reached") == 1  # Coin Metrics and CoinGecko answered
    checked = run_cli("check", str(out / WEEK_END.isoformat() / "brief.json"))  # the note cites its facts (the
    assert "HTTP 503" in brief["facts"]["quality.freshness.failed.fear-greed.error"]  # check lists every problem)
    assert "could not be reached" not in checked.output and "Alternative.me" not in checked.output
    # a rebuild from the stores alone pulled nothing, so it names no failure
    offline = run_cli("brief", "--source", "live", "--offline", "--week-ending", WEEK_END.isoformat(), "--out",
                      str(out), "--formats", "md")
    assert offline.exit_code == 0 and "could not be reached" not in (out / WEEK_END.isoformat() / "brief.md").read_text()


def test_a_failed_source_whose_week_the_store_already_holds_is_named_and_its_stored_data_used(api, monkeypatch, tmp_path):
    everything(api, monkeypatch)
    assert run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--formats", "md").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(os.environ["SOURCE_DATE_EPOCH"]) + 86400))  # the next day
    api.clear()
    serve(api, World(top=8))
    serve_fear_greed(api)
    serve_drivers(api)
    serve_binance(api)
    serve_bybit(api)
    api.expect_request(re.compile(f"^{CM_BASE}.*")).respond_with_data("down", status=500)
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md")
    assert result.exit_code == 3 and "warning: coinmetrics failed:" in result.stderr
    markdown = (out / WEEK_END.isoformat() / "brief.md").read_text()
    note = next(line for line in markdown.splitlines() if "could not be reached" in line)
    assert note.startswith("- Coin Metrics could not be reached: GET /timeseries/asset-metrics: HTTP 500"), note
    assert note.endswith("the brief uses the long price history behind \"lowest since\" as the store already held them.")


def test_a_live_brief_with_the_perpetuals_in_the_store_tells_leverage_and_passes_the_checker(api, monkeypatch, tmp_path):
    """Live only: the drivers section tells the perpetuals beside the other drivers, every figure traced."""
    from datetime import datetime, timezone

    everything(api, monkeypatch, top=2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 3, 23, 12, tzinfo=timezone.utc).timestamp())))
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", "2026-03-22", "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 0, result.output
    brief = json.loads((out / "2026-03-22" / "brief.json").read_text())
    drivers = next(section for section in brief["sections"] if section["id"] == "drivers")
    told = [sentence["text"] for block in drivers["blocks"] for sentence in block.get("sentences", ())
            if any(".derivatives." in key for key in sentence["facts"])]
    assert told and told[0].startswith("On Bybit's bitcoin perpetual, funding, the fee that traders betting on a rise pay")
    assert "funding" in (out / "2026-03-22" / "brief.md").read_text()
    assert any(".etf." in key for block in drivers["blocks"] for sentence in block.get("sentences", ())
               for key in sentence["facts"])  # the other drivers are live too
    checked = run_cli("check", str(out / "2026-03-22" / "brief.json"))
    assert checked.exit_code == 0, checked.output


def test_a_bybit_refusal_leaves_the_brief_built_without_leverage_and_exits_3_naming_it(api, monkeypatch, tmp_path):
    from live_servers_exchange import FUNDING

    everything(api, monkeypatch, top=2)
    api.clear()
    serve(api, World(top=2))
    serve_fear_greed(api)
    serve_coinmetrics(api)
    serve_binance(api)
    api.expect_request(FUNDING).respond_with_json({"retCode": 10006, "retMsg": "Too many visits!", "result": {}})
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 3
    assert "warning: bybit failed: GET /v5/market/funding/history: Bybit refused the request: retCode 10006, retMsg 'Too many visits!'" in result.stderr
    brief = json.loads((out / WEEK_END.isoformat() / "brief.json").read_text())
    assert "derivatives" not in brief["drivers"] and brief["facts"]["assets.bitcoin.intraday_low"] == 60000.0  # Binance still in


def test_a_live_brief_without_binance_reads_one_close_series_per_coin_and_passes_the_checker(api, monkeypatch, tmp_path):
    """With Binance down, the prices are CoinGecko's stored 00:00 UTC closes: extended back with Coin Metrics'
    closes as the candles are, so bitcoin's end-of-week price and its "lowest since" come from one series."""
    everything(api, monkeypatch)
    monkeypatch.setenv("BRIEF_COINGECKO_BACKFILL_DAYS", "365")
    api.clear()
    serve(api, World(top=8))
    serve_fear_greed(api)
    serve_coinmetrics(api)
    serve_drivers(api)
    serve_bybit(api)
    api.expect_request(re.compile(f"^{BINANCE_BASE}/.*")).respond_with_data("down", status=503)
    out = tmp_path / "out"
    result = run_cli("brief", "--source", "live", "--week-ending", WEEK_END.isoformat(), "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 3 and "warning: binance failed:" in result.stderr
    facts = json.loads((out / WEEK_END.isoformat() / "brief.json").read_text())["facts"]
    assert facts["drawdowns.bitcoin.close"] == facts["assets.bitcoin.close"]
    checked = run_cli("check", str(out / WEEK_END.isoformat() / "brief.json"))
    assert checked.exit_code == 0, checked.output
