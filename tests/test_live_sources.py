"""The keyless live sources (Alternative.me's Fear & Greed, Coin Metrics' long history) against real HTTP
stand-ins on 127.0.0.1 that answer in the recorded answers' shapes with the bundled files' values."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings as examples, strategies as st
from conftest import NOON_FEB_9, ROOT, raw_rows, run_cli
from live_servers import CM, CM_BASE, FNG, coinmetrics_rows, fear_greed_rows, serve_coinmetrics, serve_fear_greed
from live_servers_drivers import FARSIDE_BASE, FRED, LLAMA, STOOQ, driver_env, serve_drivers
from live_servers_exchange import BINANCE_BASE, BYBIT_BASE, FUNDING, KLINES, serve_binance, serve_bybit
from werkzeug import Response

from reports.core.settings import load_settings
from reports.data.sources import coinmetrics, feargreed
from reports.data.sources import defillama, farside, fred, stooq
from reports.data.sources import binance, bybit
from reports.data.sources.coingecko.client import ApiConfig, ApiError, Client
from reports.data.sources.liveapi import ChangedAnswer
from reports.data.sources.livestore import LiveStore

FIXTURES = Path(__file__).parent / "fixtures"
NOON_FEB_10 = "1770724800"
NEXT_DAY = {"binance": (len(binance.CANDLE_ASSETS), len(binance.CANDLE_ASSETS)), "bybit": (4, 4)}  # calls, asset series
SOURCES = {"fear-greed": (feargreed, FNG), "coinmetrics": (coinmetrics, CM)}
# The driver sources (their failure matrix is tests/test_live_drivers.py: text answers, several calls a pull):
# each with the stand-in's path of its first call.
DRIVERS = {"farside": (farside, f"{FARSIDE_BASE}/bitcoin-etf-flow-all-data/"), "defillama": (defillama, LLAMA),
           "stooq": (stooq, STOOQ), "fred": (fred, FRED)}
SOURCES |= {"binance": (binance, KLINES), "bybit": (bybit, FUNDING)}  # the exchange sources (tests/test_live_exchange.py has the rest)


class Waits:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def live(httpserver, monkeypatch):
    monkeypatch.setenv("ALTERNATIVE_ME_BASE_URL", httpserver.url_for("/alt"))
    monkeypatch.setenv("COINMETRICS_BASE_URL", httpserver.url_for(CM_BASE))
    monkeypatch.setenv("BINANCE_BASE_URL", httpserver.url_for(BINANCE_BASE))
    monkeypatch.setenv("BYBIT_BASE_URL", httpserver.url_for(BYBIT_BASE))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_9)
    monkeypatch.setenv("BRIEF_COINGECKO_RATE_LIMIT", "100000")
    monkeypatch.setenv("BRIEF_COINGECKO_BACKOFF", "0")
    serve_fear_greed(httpserver)
    serve_coinmetrics(httpserver)
    driver_env(httpserver, monkeypatch)
    serve_drivers(httpserver)
    serve_binance(httpserver)
    serve_bybit(httpserver)
    return httpserver


def settings(**flags):
    return load_settings(env=os.environ, flags=flags)


def client(module, waits=None, **config) -> Client:
    base = os.environ[module.BASE_URL_ENV]
    return Client(ApiConfig(base_url=base, calls_per_minute=math.inf, **config), sleep=waits or Waits())


def stored(data_dir: Path) -> dict[str, list[tuple]]:
    with LiveStore.at(data_dir) as store:
        return {"fear_greed": store.rows("SELECT day, value, classification FROM fear_greed ORDER BY day"),
                "closes": store.rows("SELECT source, asset, day, close FROM closes ORDER BY source, asset, day"),
                **{table: store.rows(f"SELECT * FROM {table} ORDER BY asset, day") for table in ("candles", "funding", "open_interest")}}


def calls_to(httpserver, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


# --- the recorded answers ---------------------------------------------------------------------------


def test_the_recorded_answers_are_read_and_the_stand_ins_answer_in_their_shape(live):
    fng = json.loads((FIXTURES / "alternative_me_fng.json").read_text())
    assert feargreed.readings_of(fng, date(2026, 2, 18)) == [(date(2026, 2, 18), 8.0, "Extreme Fear")]
    cm = json.loads((FIXTURES / "coinmetrics_v4_asset-metrics_btc_PriceUSD.json").read_text())
    closes = coinmetrics.closes_of(cm, date(2026, 2, 9))
    csv_close = {row["date"]: float(row["close_usd"]) for row in raw_rows("coinmetrics_daily.csv") if row["asset"] == "BTC"}
    assert closes == [("bitcoin", date(2026, 1, 30), csv_close["2026-01-30"]), ("bitcoin", date(2026, 1, 31), csv_close["2026-01-31"])]
    # the stand-ins' records have exactly the recorded records' keys
    import httpx

    served = httpx.get(live.url_for(FNG), params={"limit": 2}).json()
    assert served.keys() == fng.keys() and served["data"][0].keys() == fng["data"][0].keys()
    page = httpx.get(live.url_for(CM), params={"assets": "btc", "metrics": "PriceUSD", "page_size": 2}).json()
    assert page.keys() == cm.keys() and page["data"][0].keys() == cm["data"][0].keys()


# --- clean pulls, incremental pulls ----------------------------------------------------------------


def test_a_first_pull_stores_the_whole_history_with_the_files_values(live):
    fng = feargreed.pull(settings())
    cm = coinmetrics.pull(settings())
    rows = stored(settings().data_dir)
    expected_fng = sorted((r["date"], float(r["value"]), r["classification"]) for r in fear_greed_rows() if r["date"] <= "2026-02-09")
    assert rows["fear_greed"] == expected_fng
    tickers = {"BTC": "bitcoin", "ETH": "ethereum", "BNB": "bnb"}
    expected_cm = sorted(("coinmetrics", tickers[r["asset"]], r["date"], float(r["close_usd"]))
                         for r in coinmetrics_rows() if r["asset"] in tickers and r["date"] <= "2026-02-08")
    assert rows["closes"] == expected_cm
    assert fng.newest == date(2026, 2, 9) and cm.newest == date(2026, 2, 8)
    assert len(cm.calls) == math.ceil(len(expected_cm) / coinmetrics.PAGE_SIZE) > 1  # next_page_url followed


@pytest.mark.parametrize("name", SOURCES)
def test_a_second_run_the_same_day_makes_no_calls_and_the_next_day_asks_only_for_new_days(live, monkeypatch, name):
    module, path = SOURCES[name]
    module.pull(settings())
    before = calls_to(live, path)
    again = module.pull(settings())
    assert calls_to(live, path) == before and again.calls == ()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_10)
    later = module.pull(settings())
    calls, assets = NEXT_DAY.get(name, (1, 3))  # one call (three assets) at most; the exchanges: one a symbol (and kind)
    assert len(later.calls) == calls and later.kept <= assets * (2 + module.OVERLAP_DAYS)  # the new day, the newest stored and the overlap
    expected = {"fear-greed": date(2026, 2, 10), "coinmetrics": date(2026, 2, 9), "binance": date(2026, 2, 9),
                "bybit": date(2026, 1, 23)}[name]  # bybit: its lagging series, funding (the archive has none Jan 24 - Mar 12)
    assert later.newest == expected


# --- failures: 429, 500, timeout, bad bodies, changed schema --------------------------------------


@pytest.mark.parametrize("name", SOURCES)
def test_429_with_retry_after_is_honoured_then_the_pull_completes(live, name):
    module, path = SOURCES[name]
    live.expect_oneshot_request(path).respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    waits = Waits()
    report = module.pull(settings(), client(module, waits))
    assert waits.seconds == [7.0] and report.newest is not None


@pytest.mark.parametrize("name", SOURCES)
def test_500_is_retried_and_a_persistent_one_gives_up_naming_the_endpoint_with_nothing_stored(live, name):
    module, path = SOURCES[name]
    live.expect_oneshot_request(path).respond_with_data("oops", status=500)
    assert module.pull(settings(), client(module)).newest is not None
    data_dir = settings().data_dir / "other"
    for _ in range(3):
        live.expect_oneshot_request(path).respond_with_data("oops", status=500)
    with pytest.raises(ApiError, match=rf"GET {module.PATH}: HTTP 500 .* gave up after 3 attempts"):
        module.pull(settings(data_dir=data_dir), client(module, attempts=3))
    assert not any(stored(data_dir).values())


@pytest.mark.parametrize("name", SOURCES)
def test_a_timeout_is_retried(live, name):
    module, path = SOURCES[name]

    def slow(request):
        time.sleep(1.0)
        return Response("{}", status=200)

    live.expect_oneshot_request(path).respond_with_handler(slow)
    waits = Waits()
    report = module.pull(settings(), client(module, waits, timeout=0.3))
    assert waits.seconds and report.newest is not None  # (the stand-in answers one request at a time: later tries may wait too)


@pytest.mark.parametrize("body", ['{"data": [{"value": "8", "value_clas', "<html>Bad gateway</html>"])
@pytest.mark.parametrize("name", SOURCES)
def test_a_truncated_or_non_json_body_is_retried_then_named(live, name, body):
    module, path = SOURCES[name]
    for _ in range(2):
        live.expect_oneshot_request(path).respond_with_data(body, content_type="application/json")
    with pytest.raises(ApiError, match=rf"GET {module.PATH}: the answer is not valid JSON .* gave up after 2 attempts"):
        module.pull(settings(), client(module, attempts=2))
    live.expect_oneshot_request(path).respond_with_data(body, content_type="application/json")
    assert module.pull(settings(), client(module, attempts=2)).newest is not None  # the next answer is good


CHANGED = {
    "fear-greed": [{"data": {"value": "8"}}, {"data": [{"value": "8", "timestamp": "1771372800"}]},
                   {"data": [{"value": "eight", "value_classification": "Fear", "timestamp": "1771372800"}]},
                   {"readings": []}],
    "coinmetrics": [{"data": [{"asset": "btc", "time": "2026-01-30T00:00:00Z"}], "next_page_url": "https://evil.example/v4/x"},
                    {"data": [{"asset": "doge", "time": "2026-01-30T00:00:00.000000000Z", "PriceUSD": "1"}]},
                    {"data": [{"asset": "btc", "time": "2026-01-30T12:00:00.000000000Z", "PriceUSD": "1"}]},
                    {"series": []}],
    "binance": [{"data": []}, [["1769904000000", "1", "2", "0.5", "1.5"]],  # an object; a short candle with a text time
                [[1769904000000, "1", "0.5", "2", "1.5", "0", 1769990399999]],  # high below low
                [[1769904000000 + 3600000, "1", "2", "0.5", "1.5", "0", 1769990399999]]],  # not at 00:00 UTC
    "bybit": [{"retCode": 0, "result": {"list": {}}}, {"retCode": 0, "result": {"list": [{"fundingRate": "0.0001"}]}},
              {"retCode": 0, "result": {"list": [{"fundingRate": "lots", "fundingRateTimestamp": "1769904000000"}]}}, {"list": []}],
}


@pytest.mark.parametrize("name", SOURCES)
def test_a_changed_schema_is_a_clear_error_exit_2_with_nothing_stored(live, name):
    module, path = SOURCES[name]
    for answer in CHANGED[name]:
        live.expect_oneshot_request(path).respond_with_json(answer)
        with pytest.raises(ChangedAnswer, match=rf"GET {module.PATH} answer.*{module.BASE_URL_ENV}") as caught:
            module.pull(settings(), client(module))
        assert caught.value.exit_code == 2
        assert not any(stored(settings().data_dir).values())


# --- kill -9 mid-pull ------------------------------------------------------------------------------


PULL = "import os; from reports.core.settings import load_settings; import reports.data.sources.{} as m; m.pull(load_settings(env=os.environ))"


@pytest.mark.parametrize("name, page", [("fear-greed", 0), ("coinmetrics", 0), ("coinmetrics", 1),
                                        ("binance", 0), ("bybit", 0)])
def test_kill_9_mid_pull_leaves_the_store_consistent_and_the_next_pull_completes(live, tmp_path, name, page):
    module, path = SOURCES[name]
    reached, release = threading.Event(), threading.Event()
    def stall(request):
        reached.set()
        release.wait(20)
        return Response("{}", status=503)

    if page:  # let the first page through, stall the second
        live.clear()
        serve_coinmetrics(live, later_pages=stall)
    else:
        live.expect_oneshot_request(path).respond_with_handler(stall)
    env = {**os.environ, "BRIEF_DATA_DIR": str(tmp_path / "killed"), "PYTHONPATH": str(ROOT)}
    module_name = module.__name__.rsplit(".", 1)[1]
    process = subprocess.Popen([sys.executable, "-c", PULL.format(module_name)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reached.wait(30), process.communicate(timeout=5)
        time.sleep(0.3)  # the first page's transaction is committed before the second is asked for; give the log a moment
        process.send_signal(signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL
    finally:
        release.set()
        process.kill()
    with LiveStore.at(tmp_path / "killed") as store:
        assert store.rows("PRAGMA integrity_check") == [("ok",)]
        assert store.last_pull(name) is None  # the killed pull recorded nothing as done
    partial = stored(tmp_path / "killed")
    assert (len(partial["closes"]) == coinmetrics.PAGE_SIZE) if page else not any(partial.values()), len(partial["closes"])
    live.clear()
    serve_fear_greed(live)
    serve_coinmetrics(live)
    serve_binance(live)
    serve_bybit(live)
    module.pull(settings(data_dir=tmp_path / "killed"))
    module.pull(settings(data_dir=tmp_path / "clean"))
    assert stored(tmp_path / "killed") == stored(tmp_path / "clean")


# --- hostile answers ---------------------------------------------------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4),
                    max_leaves=20)
RECORD = st.fixed_dictionaries({}, optional={"value": JSON | st.text(max_size=12), "value_classification": JSON,
                                             "timestamp": JSON | st.text(max_size=12), "asset": st.sampled_from(["btc", "eth", "x"]) | JSON,
                                             "time": JSON | st.text(max_size=40), "PriceUSD": JSON | st.text(max_size=20)})


@examples(max_examples=300, deadline=None)
@given(answer=JSON | st.fixed_dictionaries({"data": st.lists(RECORD | JSON, max_size=5)}))
def test_any_answer_is_read_or_refused_as_a_changed_answer_never_a_crash(answer):
    for read in (feargreed.readings_of, coinmetrics.closes_of):
        try:
            rows = read(answer, date(2026, 2, 9))
        except ChangedAnswer as error:
            assert error.exit_code == 2
            continue
        for row in rows:  # what is kept is a day up to today and a finite positive (or 0..100) number
            assert isinstance(row[-2 if read is feargreed.readings_of else 1], date)
            value = row[1] if read is feargreed.readings_of else row[2]
            assert math.isfinite(value) and value >= 0
