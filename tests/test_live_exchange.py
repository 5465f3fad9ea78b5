"""The exchange sources (Binance daily candles, Bybit funding and open interest) against their stand-ins on
127.0.0.1 (tests/live_servers_exchange.py); the failure matrix they share with the other live sources is in
tests/test_live_sources.py (SOURCES)."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone

import httpx
import pytest
from hypothesis import given, settings as examples, strategies as st
from live_servers_exchange import FUNDING, KLINES, OPEN_INTEREST, candle_rows, funding_rows
from test_live_sources import JSON, calls_to, client, live, settings, stored  # noqa: F401 (live: the fixture)

from reports.core.settings import load_settings
from reports.data.sources import binance, bybit
from reports.data.sources.bundled import CANDLE_ASSETS
from reports.data.sources.coingecko.client import ApiError
from reports.data.sources.liveapi import ChangedAnswer
from reports.data.sources.livestore import LiveStore

NOON_FEB_9 = datetime(2026, 2, 9, 12, tzinfo=timezone.utc)


def test_binance_stores_each_symbols_completed_days_with_the_bundled_files_values(live):
    report = binance.pull(settings())
    rows = stored(settings().data_dir)["candles"]
    expected = sorted((CANDLE_ASSETS[r["symbol"]], r["date"], float(r["open"]), float(r["high"]), float(r["low"]), float(r["close"]))
                      for r in candle_rows() if r["date"] <= "2026-02-08")
    assert rows == expected  # the day in progress (Feb 9, served like Binance does) is not stored
    assert report.newest == date(2026, 2, 8) and len(report.calls) == len(CANDLE_ASSETS)


def test_binance_follows_full_pages(live, monkeypatch):
    monkeypatch.setattr(binance, "LIMIT", 50)
    report = binance.pull(settings())
    days = len({r["date"] for r in candle_rows() if r["date"] <= "2026-02-08" and r["symbol"] == "BTC"})
    assert len(report.calls) == len(CANDLE_ASSETS) * math.ceil((days + 1) / 50)  # the last page is short (it has Feb 9)
    assert len(stored(settings().data_dir)["candles"]) == len([r for r in candle_rows() if r["date"] <= "2026-02-08"])


def test_a_stored_candle_reads_back_as_the_bundled_candles_table(live):
    binance.pull(settings())
    with LiveStore.at(settings().data_dir) as store:
        table = binance.table(store)
    assert table is not None and table.header == binance.COLUMNS
    btc = table.frame[(table.frame["asset"] == "bitcoin") & (table.frame["date"] == "2026-02-05")].iloc[0]
    bundled = next(r for r in candle_rows() if r["symbol"] == "BTC" and r["date"] == "2026-02-05")
    assert [float(btc[c]) for c in ("open", "high", "low", "close")] == [float(bundled[c]) for c in ("open", "high", "low", "close")]


def test_bybit_stores_the_last_funding_of_each_completed_day_and_the_daily_open_interest(live, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 3, 23, 12, tzinfo=timezone.utc).timestamp())))
    report = bybit.pull(settings())
    rows = stored(settings().data_dir)
    last: dict[tuple[str, date], tuple[int, float]] = {}
    for symbol, stamp, rate in funding_rows():
        day = datetime.fromtimestamp(stamp / 1000, timezone.utc).date()
        key = (bybit.PERPETUALS[symbol], day)
        if day < date(2026, 3, 23) and stamp >= last.get(key, (0, 0.0))[0]:
            last[key] = (stamp, float(rate))
    assert [(asset, day, rate) for asset, day, rate, _ in rows["funding"]] == sorted(
        (asset, day.isoformat(), rate) for (asset, day), (_, rate) in last.items())
    assert ("bitcoin", "2026-03-14") in {(asset, day) for asset, day, *_ in rows["funding"]}
    interests = {value for _, _, value in rows["open_interest"]}
    assert interests == {461134384.0, 461134292.0} and rows["open_interest"][-1][1] == "2026-03-23"
    assert len(report.calls) == 2 * 2 * len(bybit._windows(None, datetime(2026, 3, 23, 12, tzinfo=timezone.utc)))
    assert calls_to(live, OPEN_INTEREST) == calls_to(live, FUNDING)


def test_a_bybit_refusal_names_its_retmsg_and_stores_nothing(live):
    live.expect_oneshot_request(FUNDING).respond_with_json({"retCode": 10001, "retMsg": "Illegal category", "result": {}})
    with pytest.raises(ApiError, match=r"GET /v5/market/funding/history: Bybit refused the request: retCode 10001, "
                                       r"retMsg 'Illegal category'") as caught:
        bybit.pull(settings(), client(bybit))
    assert not isinstance(caught.value, ChangedAnswer)
    assert not any(stored(settings().data_dir).values())


def test_the_stand_ins_answer_in_the_documented_shapes(live):
    import json
    from live_servers_exchange import FIXTURES

    klines = httpx.get(live.url_for(KLINES), params={"symbol": "BTCUSDT", "interval": "1d", "limit": 2}).json()
    assert len(klines) == 2 and all(len(row) == 12 and isinstance(row[0], int) and isinstance(row[1], str) for row in klines)
    for path, name in ((FUNDING, "funding_history"), (OPEN_INTEREST, "open_interest")):
        recorded = json.loads((FIXTURES / f"bybit_v5_market_{name}.json").read_text())
        served = httpx.get(live.url_for(path), params={"category": "linear", "symbol": "BTCUSDT", "intervalTime": "1d",
                                                       "startTime": 1768953600000, "endTime": 1769990400000}).json()
        assert served.keys() == recorded.keys() and served["result"].keys() == recorded["result"].keys()
        assert served["result"]["list"] and served["result"]["list"][0].keys() == recorded["result"]["list"][0].keys()


def test_a_second_pull_the_same_day_makes_no_calls(live):
    for module in (binance, bybit):
        module.pull(settings())
    before = len(live.log)
    assert binance.pull(settings()).calls == () and bybit.pull(settings()).calls == () and len(live.log) == before


CANDLE = st.lists(st.integers(min_value=-1, max_value=2**54) | st.text(max_size=12) | JSON, max_size=13)
BYBIT = st.fixed_dictionaries({"retCode": st.sampled_from([0, 1]) | JSON, "retMsg": JSON,
                               "result": st.fixed_dictionaries({}, optional={"list": st.lists(st.fixed_dictionaries({}, optional={
                                   "fundingRate": st.text(max_size=12) | JSON, "fundingRateTimestamp": st.text(max_size=15) | JSON,
                                   "openInterest": st.text(max_size=12) | JSON, "timestamp": st.text(max_size=15) | JSON}) | JSON,
                                   max_size=4) | JSON})})


@examples(max_examples=300, deadline=None)
@given(answer=JSON | st.lists(CANDLE | JSON, max_size=4))
def test_any_klines_answer_is_read_or_refused_as_a_changed_answer(answer):
    try:
        candles = binance.candles_of(answer, "bitcoin", NOON_FEB_9)
    except ChangedAnswer as error:
        assert error.exit_code == 2
        return
    for _, day, open_, high, low, close in candles:
        assert day < NOON_FEB_9.date() and 0 < low <= min(open_, close) and high >= max(open_, close)


@examples(max_examples=300, deadline=None)
@given(answer=JSON | BYBIT)
def test_any_bybit_answer_is_read_refused_or_named_never_a_crash(answer):
    for read in (bybit.funding_of, bybit.open_interest_of):
        try:
            rows = read(answer, "bitcoin", NOON_FEB_9)
        except ApiError as error:  # a changed shape (exit 2) or Bybit's refusal, named
            assert str(error)
            continue
        assert all(math.isfinite(row[2]) and row[1] <= NOON_FEB_9.date() for row in rows)


def test_the_live_registry_and_sources_command_list_the_exchanges(live):
    from reports.data.sources.live import LIVE_PULLERS, statuses

    assert {"binance", "bybit"} <= set(LIVE_PULLERS)
    binance.pull(settings())
    found = {status.source: status for status in statuses(load_settings(env={**__import__("os").environ}), date(2026, 2, 9))}
    assert found["binance"].newest == date(2026, 2, 8) and found["bybit"].newest is None


# --- the leverage paragraph: only when the data has the perpetuals --------------------------------------------

WEEK = "2026-03-22"  # the funding snapshots run from Mar 13: the week's both ends have a funding
NOON_MAR_23 = str(int(datetime(2026, 3, 23, 12, tzinfo=timezone.utc).timestamp()))


def _bundled_with_derivatives(monkeypatch, data_dir):
    """The bundled source with the stored Bybit driver added, as the live loader adds it (in-process CLI)."""
    from reports.data.sources import bundled

    original = bundled.load

    def load(*args, **kwargs):
        with LiveStore.at(data_dir) as store:
            return bybit.add(store, original(*args, **kwargs))

    monkeypatch.setattr(bundled, "load", load)


def _brief(out, week=WEEK):
    import json

    from conftest import run_cli

    result = run_cli("brief", "--week-ending", week, "--out", str(out), "--formats", "md,json")
    assert result.exit_code == 0, result.output
    return (out / week / "brief.md").read_text(), json.loads((out / week / "brief.json").read_text())


def _leverage(brief: dict) -> list[dict]:
    section = next(section for section in brief["sections"] if section["id"] == "drivers")
    return [sentence for block in section["blocks"] for sentence in block.get("sentences", ())
            if any(".derivatives." in key for key in sentence["facts"])]


def test_a_brief_with_derivatives_in_the_store_tells_leverage_and_passes_the_checker(live, monkeypatch, tmp_path):
    from conftest import run_cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_MAR_23)
    bybit.pull(settings())
    _bundled_with_derivatives(monkeypatch, settings().data_dir)
    markdown, brief = _brief(tmp_path / "out")
    told = _leverage(brief)
    assert told and "the fee that traders betting on a rise pay those betting on a fall" in told[0]["text"]
    facts = brief["facts"]
    rate = facts["drivers.derivatives.bitcoin.funding_pct"]
    snapshot = next(float(rate) * 100 for symbol, stamp, rate in sorted(funding_rows()) if symbol == "BTCUSDT"
                    and datetime.fromtimestamp(stamp / 1000, timezone.utc).date() == date(2026, 3, 22))
    assert rate == pytest.approx(snapshot)  # the stand-in's Mar 22 settlement, from the snapshots' okx column
    assert all(key in facts for sentence in told for key in sentence["facts"])  # every figure cites a fact
    assert any("Open interest in the bitcoin perpetual" in sentence["text"] for sentence in told)
    assert "Bybit" in " ".join(source["provider"] for source in brief["sources"])
    assert brief["drivers"]["derivatives"][0]["symbol"] == "BTCUSDT"
    # 240 days stored: over 20 earlier weeks, so the open interest change is ranked against the store's own history
    btc = brief["drivers"]["derivatives"][0]
    # every stored week alternates between the body's two values, so each change is the same rise or fall: none
    # earlier is larger in the week's direction (rank 1), over every whole week from the first stored day (Jul 26, 2025)
    assert btc["open_interest_rank"] == 1 and btc["open_interest_weeks"] == (date(2026, 3, 16) - date(2025, 7, 26)).days // 7
    assert btc["funding_annual_pct"] == pytest.approx(btc["funding_pct"] * 3 * 365)
    # ether's funding (the snapshots' okx column) was positive on Mar 15 and negative on Mar 22: "turned negative"
    eth_rates = {datetime.fromtimestamp(stamp / 1000, timezone.utc).date(): float(rate)
                 for symbol, stamp, rate in sorted(funding_rows()) if symbol == "ETHUSDT"}
    assert eth_rates[date(2026, 3, 15)] > 0 > eth_rates[date(2026, 3, 22)]
    assert brief["drivers"]["derivatives"][1]["funding_turned"] == "negative"
    assert any("ether perpetual" in s["text"] and "it turned negative over the week" in s["text"] for s in told)
    checked = run_cli("check", str(tmp_path / "out" / WEEK / "brief.json"))
    assert checked.exit_code == 0, checked.output


def test_a_store_without_derivatives_writes_no_leverage(live, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_MAR_23)
    _bundled_with_derivatives(monkeypatch, settings().data_dir / "empty")
    markdown, brief = _brief(tmp_path / "out")
    assert _leverage(brief) == [] and "funding" not in markdown.lower() and "open interest" not in markdown.lower()
    assert "derivatives" not in brief["drivers"] and not any(".derivatives" in key for key in brief["facts"])


# --- kill -9 part-way: after some symbols' (or windows') answers were stored ------------------------------------


@pytest.mark.parametrize("name, stalled", [("binance", 3), ("bybit", 6)])  # bybit: the first of ether's funding windows
def test_kill_9_after_some_answers_leaves_a_consistent_store_and_the_next_pull_completes(live, tmp_path, name, stalled):
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time

    from conftest import ROOT
    from test_live_sources import PULL
    from werkzeug import Response

    module = {"binance": binance, "bybit": bybit}[name]
    reached, release, seen = threading.Event(), threading.Event(), []

    def stall_later(request):
        seen.append(request.path)
        if len(seen) >= stalled:
            reached.set()
            release.wait(20)
            return Response("{}", status=503)
        return None  # answered by the stand-in below

    from live_servers_exchange import serve_binance, serve_bybit

    serve = serve_binance if name == "binance" else serve_bybit
    live.clear()
    serve(live, fault=stall_later)
    env = {**os.environ, "BRIEF_DATA_DIR": str(tmp_path / "killed"), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", PULL.format(name)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reached.wait(30), process.communicate(timeout=5)
        time.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL
    finally:
        release.set()
        process.kill()
    with LiveStore.at(tmp_path / "killed") as store:
        assert store.rows("PRAGMA integrity_check") == [("ok",)] and store.last_pull(name) is None
    partial = stored(tmp_path / "killed")
    assert any(partial.values())  # the answers before the kill were committed
    live.clear()
    serve(live)
    module.pull(settings(data_dir=tmp_path / "killed"))
    module.pull(settings(data_dir=tmp_path / "clean"))
    assert stored(tmp_path / "killed") == stored(tmp_path / "clean")


def test_an_asset_brief_tells_its_own_perpetual_only(live, monkeypatch, tmp_path):
    import json

    from conftest import run_cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_MAR_23)
    bybit.pull(settings())
    _bundled_with_derivatives(monkeypatch, settings().data_dir)
    out = tmp_path / "out"
    result = run_cli("brief", "--week-ending", WEEK, "--assets", "ethereum", "--out", str(out), "--formats", "json")
    assert result.exit_code == 0, result.output
    path = next(out.rglob("brief.json"))
    brief = json.loads(path.read_text())
    assert [item["asset"] for item in brief["drivers"]["derivatives"]] == ["ethereum"]
    assert _leverage(brief) and all("bitcoin perpetual" not in s["text"] for s in _leverage(brief))
    assert "the fee that traders betting on a rise pay" in _leverage(brief)[0]["text"]  # glossed on its first mention
    checked = run_cli("check", str(path))
    assert checked.exit_code == 0, checked.output
