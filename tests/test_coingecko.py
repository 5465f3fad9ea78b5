"""The CoinGecko source against a real HTTP server on 127.0.0.1 serving the bundled market in CoinGecko's shapes."""

from __future__ import annotations

import json
import logging
import math
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from coingecko_server import World, epoch_ms, requested, serve
from conftest import build_story, run_cli
from werkzeug import Response

from reports.core.errors import BriefError
from reports.data.sources.coingecko.pull import daily_closes, pull
from reports.core.settings import load_settings
from reports.data.sources.coingecko.client import ApiConfig, ApiError, Client
from reports.data.sources import load_source
from reports.data.sources.coingecko.store import Store
from reports.data.validate import validate

FIXTURES = Path(__file__).parent / "fixtures"
NOON_FEB_10 = "1770724800"  # 2026-02-10 12:00 UTC
KEY = "CG-test-key-do-not-leak-7f3a"


class Waits:
    """Records the waits the client asks for instead of sleeping: the real retry code runs, instantly.
    (Test clients have no rate limit, so every wait recorded is a retry's.)"""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def settings(**flags):
    import os

    return load_settings(env=os.environ, flags=flags)


def client(waits=None, **config) -> Client:
    return Client(ApiConfig.from_env(calls_per_minute=math.inf, **config), sleep=waits or Waits())


def charts(paths: list[str]) -> list[str]:
    return [path for path in paths if "/market_chart" in path]


def test_clean_pull_stores_closes_not_the_now_point(api):
    world = World(top=4)
    serve(api, world)
    report = pull(settings())
    paths = requested(api)
    assert paths[:2] == ["/api/v3/coins/markets?order=market_cap_desc&page=1&per_page=50&vs_currency=usd", "/api/v3/global"]
    assert charts(paths) == [f"/api/v3/coins/{coin}/market_chart?days=40&interval=daily&vs_currency=usd"
                             for coin in ("bitcoin", "ethereum", "tether", "xrp")]
    assert report.backfilled == ("bitcoin", "ethereum", "tether", "xrp") and report.history_calls == 4
    with Store.at(settings().data_dir) as store:
        rows = dict(((coin, day), close) for coin, day, close, *_ in store.rows("SELECT * FROM closes"))
        assert store.history_through("bitcoin") == date(2026, 2, 8)
    # The close of Feb 8 is the point stamped Feb 9 00:00 UTC; the 12:00 "now" point of Feb 9 is not stored.
    assert rows[("bitcoin", "2026-02-08")] == world.prices["bitcoin"][date(2026, 2, 8)]
    assert ("bitcoin", "2026-02-09") not in rows
    # days=40 from Feb 9 12:00 reaches back to the close of Dec 31 (stamped Jan 1 00:00)
    assert min(day for coin, day in rows if coin == "bitcoin") == "2025-12-31"


def test_second_pull_the_same_day_makes_no_calls_and_next_day_fetches_only_new_days(api, monkeypatch):
    serve(api, World(top=3))
    pull(settings())
    first = len(api.log)
    report = pull(settings())
    assert len(api.log) == first and report.calls == () and report.history_calls == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_10)
    report = pull(settings())
    # one new close (Feb 9) since the last stored (Feb 8): days = 2 + an overlap of 2
    assert requested(api)[first:] == [
        "/api/v3/coins/markets?order=market_cap_desc&page=1&per_page=50&vs_currency=usd",
        "/api/v3/global",
        *(f"/api/v3/coins/{coin}/market_chart?days=4&interval=daily&vs_currency=usd" for coin in ("bitcoin", "ethereum", "tether")),
    ]
    assert report.updated == ("bitcoin", "ethereum", "tether") and report.backfilled == ()
    with Store.at(settings().data_dir) as store:
        assert store.history_through("bitcoin") == date(2026, 2, 9)


def test_retry_after_on_429_is_honoured(api):
    serve(api, World(top=1))
    api.expect_oneshot_request("/api/v3/global").respond_with_response(Response("slow down", 429, headers={"Retry-After": "7"}))
    waits = Waits()
    pull(settings(), client(waits))
    assert waits.seconds == [7.0]
    assert requested(api).count("/api/v3/global") == 2


def test_500_then_success_backs_off_and_completes(api):
    serve(api, World(top=2))
    api.expect_oneshot_request("/api/v3/coins/ethereum/market_chart").respond_with_data("oops", status=500)
    waits = Waits()
    report = pull(settings(), client(waits, backoff=1.0))
    assert len(waits.seconds) == 1 and 0.5 <= waits.seconds[0] <= 1.0  # first backoff: 1 s with jitter
    assert report.backfilled == ("bitcoin", "ethereum")


def test_persistent_5xx_gives_up_with_a_clear_message_and_keeps_what_was_stored(api):
    serve(api, World(top=2))
    for _ in range(5):
        api.expect_oneshot_request("/api/v3/coins/ethereum/market_chart").respond_with_data("down", status=503)
    with pytest.raises(ApiError, match=r"GET /coins/ethereum/market_chart: HTTP 503 .* gave up after 5 attempts"):
        pull(settings(), client())
    with Store.at(settings().data_dir) as store:
        assert store.history_through("bitcoin") == date(2026, 2, 8) and store.history_through("ethereum") is None


def test_timeout_is_retried(api):
    import time

    serve(api, World(top=1))
    api.expect_oneshot_request("/api/v3/coins/bitcoin/market_chart").respond_with_handler(
        lambda request: time.sleep(0.5) or Response("{}", content_type="application/json"))
    waits = []

    def sleep(seconds):  # really wait here: the test server answers one request at a time
        waits.append(seconds)
        time.sleep(seconds)

    report = pull(settings(), Client(ApiConfig.from_env(calls_per_minute=math.inf, timeout=0.2, backoff=1.0), sleep=sleep))
    assert report.backfilled == ("bitcoin",) and len(waits) == 1 and 0.5 <= waits[0] <= 1.0


def test_malformed_json_is_retried_then_reported(api):
    serve(api, World(top=1))
    for _ in range(5):
        api.expect_oneshot_request("/api/v3/global").respond_with_data('{"data": {"total_', content_type="application/json")
    with pytest.raises(ApiError, match=r"GET /global: the answer is not valid JSON .* gave up"):
        pull(settings(), client())


def test_4xx_is_not_retried_and_names_endpoint_and_message(api):
    serve(api, World(top=1))
    api.expect_oneshot_request("/api/v3/coins/markets").respond_with_json(
        {"status": {"error_code": 10002, "error_message": "API Key Missing"}}, status=401)
    waits = Waits()
    with pytest.raises(ApiError, match=r"GET /coins/markets: HTTP 401 UNAUTHORIZED: API Key Missing\. Check COINGECKO_API_KEY"):
        pull(settings(), client(waits))
    assert waits.seconds == [] and len(api.log) == 1


def test_a_coin_that_leaves_the_top_list_keeps_its_history_and_is_no_longer_fetched(api, monkeypatch):
    world = World(top=3)
    serve(api, world)
    pull(settings())
    world.gone.add("ethereum")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_10)
    before = len(api.log)
    report = pull(settings())
    assert "/api/v3/coins/ethereum/market_chart" not in [r.path for r, _ in api.log[before:]]
    assert report.unlisted == (("ethereum", date(2026, 2, 9)),)
    with Store.at(settings().data_dir) as store:
        assert store.history_through("ethereum") == date(2026, 2, 8)
    # The brief still builds; ether has no close on Feb 9, so the week ending Feb 9 leaves it out.
    from reports.data.sources import load_source
    from reports.data.validate import validate

    data = validate(load_source(settings(source="coingecko", offline=True, week_ending=date(2026, 2, 9))))
    assert data.prices.close["ethereum"].last_valid_index().date() == date(2026, 2, 8)
    assert data.freshness.for_week(date(2026, 2, 9)).left_top_list == ("ETH",)
    story = build_story(data, date(2026, 2, 9), source="coingecko", offline=True)
    assert "ETH left CoinGecko's top list during the week" in " ".join(s.text for s in story.sentences())
    assert data.freshness.newest_day == date(2026, 2, 9) and data.freshness.stale_for is None


def test_a_backfill_from_the_store_says_a_coin_left_the_top_list_only_in_the_week_it_did(api, monkeypatch):
    """The store is read once for a backfill (no week asked for), so "left the top list" must be worked out
    for each week built, not for the week of today: ETH was last listed on Mon Feb 9 (the pull of Feb 10 no
    longer lists it), so of the weeks ending on Mondays only the one ending Feb 9 says it left."""
    world = World(top=3)
    serve(api, world)
    pull(settings())
    world.gone.add("ethereum")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_10)
    pull(settings())
    data = validate(load_source(settings(source="coingecko", offline=True, week_ends_on="monday")))
    said = {}
    for week_end in (date(2026, 1, 26), date(2026, 2, 2), date(2026, 2, 9)):
        story = build_story(data, week_end, source="coingecko", offline=True, week_ends_on="monday")
        said[week_end] = "ETH left CoinGecko's top list during the week" in " ".join(s.text for s in story.sentences())
    assert said == {date(2026, 1, 26): False, date(2026, 2, 2): False, date(2026, 2, 9): True}


def test_real_coins_markets_records_are_read(api):
    records = json.loads((FIXTURES / "coingecko_coins_markets_2026-02-05.sample.json").read_text())
    world = World(top=3, ids={"xrp": "ripple"})
    serve(api, world, markets=records)
    pull(settings())
    with Store.at(settings().data_dir) as store:
        assert store.rows("SELECT coin, symbol, name FROM coins ORDER BY coin") == [
            ("hyperliquid", "HYPE", "Hyperliquid"), ("ripple", "XRP", "XRP"), ("zcash", "ZEC", "Zcash")]
        assert store.rows("SELECT coin, rank FROM listings ORDER BY rank") == [("ripple", 5), ("hyperliquid", 15), ("zcash", 26)]
    # The source maps CoinGecko's "ripple" to the catalog's id by name, as the bundled source does.
    from reports.data.sources import load_source

    raw = load_source(settings(source="coingecko", offline=True, week_ending=date(2026, 2, 8)))
    assert set(raw.prices.table.frame["asset"]) == {"xrp", "hyperliquid", "zcash"}


def test_unknown_coin_404_is_skipped_with_a_reason(api):
    serve(api, World(top=2), markets=[{"id": "bitcoin", "symbol": "btc", "name": "Bitcoin", "market_cap_rank": 1},
                                      {"id": "no-such-coin", "symbol": "nsc", "name": "Nope", "market_cap_rank": 2}])
    report = pull(settings())
    assert [s.coin for s in report.skipped] == ["no-such-coin"] and "404" in report.skipped[0].reason


def test_the_key_never_leaks(api, monkeypatch, caplog, tmp_path, capsys):
    monkeypatch.setenv("COINGECKO_API_KEY", KEY)
    serve(api, World(top=2))
    api.expect_oneshot_request("/api/v3/global").respond_with_data("busy", status=500)
    caplog.set_level(logging.DEBUG)
    result = run_cli("brief", "--source", "coingecko", "--week-ending", "2026-02-08", "--formats", "md,json",
                     "--out", str(tmp_path / "out"), "--allow-stale")
    assert result.exit_code == 0, result.output
    assert all(r.headers.get("x-cg-demo-api-key") == KEY for r, _ in api.log)  # it was sent ...
    # ... and then a server that echoes it back in an error must not get it into our message.
    api.expect_oneshot_request("/api/v3/coins/markets").respond_with_json({"error": f"invalid key {KEY}"}, status=403)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_10)
    failed = run_cli("fetch")
    assert failed.exit_code == 1 and "HTTP 403" in failed.output and "[redacted]" in failed.output
    texts = [result.output, failed.output, caplog.text, *capsys.readouterr()]
    texts += [path.read_text(errors="replace") for path in (tmp_path / "out").rglob("*") if path.is_file()]
    texts += [path.read_bytes().decode("latin-1") for path in settings().data_dir.rglob("*") if path.is_file()]
    assert caplog.records and all(KEY not in text for text in texts)
    api.expect_oneshot_request("/api/v3/coins/markets").respond_with_json({"error": f"invalid key {KEY}"}, status=403)
    with pytest.raises(ApiError) as raised:
        pull(settings(), client())
    assert KEY not in str(raised.value) and KEY not in repr(ApiConfig.from_env())
    # an answer that is not JSON, echoing the key, is retried (logged) and then given up on
    caplog.clear()
    for _ in range(8):
        api.expect_oneshot_request("/api/v3/coins/markets").respond_with_data(f"{KEY} is not a valid key", status=200)
    with pytest.raises(ApiError) as raised:
        pull(settings(), client())
    assert "not valid JSON" in str(raised.value) and "[redacted]" in str(raised.value)
    assert "retry" in caplog.text and KEY not in caplog.text and KEY not in str(raised.value)


def test_pro_plan_uses_the_pro_header_and_host(monkeypatch):
    monkeypatch.delenv("COINGECKO_BASE_URL", raising=False)
    config = ApiConfig.from_env({"COINGECKO_PLAN": "pro", "COINGECKO_API_KEY": KEY})
    assert (config.base_url, config.header) == ("https://pro-api.coingecko.com/api/v3", "x-cg-pro-api-key")
    demo = ApiConfig.from_env({})
    assert (demo.base_url, demo.header, demo.key) == ("https://api.coingecko.com/api/v3", "x-cg-demo-api-key", None)
    with pytest.raises(BriefError, match="COINGECKO_PLAN is 'gold'"):
        ApiConfig.from_env({"COINGECKO_PLAN": "gold"})


def test_rate_limit_spaces_calls():
    from reports.data.sources.coingecko.client import RateLimiter

    now = [0.0]
    waits = []
    limiter = RateLimiter(30, clock=lambda: now[0], sleep=lambda s: (waits.append(s), now.__setitem__(0, now[0] + s)))
    for _ in range(4):
        limiter.wait()
    assert waits == [2.0, 2.0, 2.0]  # 30 a minute: one every 2 s


def test_the_configured_rate_limit_spaces_real_calls(api):
    """The setting reaches the client (fetch.api_config) and every call waits its turn."""
    from reports.data.sources.coingecko.pull import api_config

    serve(api, World(top=2))
    now, waits = [0.0], []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    config = api_config(settings(coingecko_rate_limit=30))
    assert config.calls_per_minute == 30
    client = Client(config, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        client.global_market()
    assert waits == [2.0, 2.0]  # 30 a minute: one every 2 s
    assert sum(1 for request, _ in api.log if request.path.endswith("/global")) == 3


def test_only_midnight_points_are_closes():
    chart = {"prices": [[epoch_ms(date(2026, 2, 8)), 10.0], [epoch_ms(date(2026, 2, 9)), 0],
                        [epoch_ms(date(2026, 2, 9)) + 3_600_000, 12.0], [epoch_ms(date(2026, 2, 10)), 11.0]],
             "market_caps": [[epoch_ms(date(2026, 2, 8)), 0]], "total_volumes": []}
    closes, problems = daily_closes(chart, today=date(2026, 2, 10))
    assert [(c.day, c.close, c.market_cap) for c in closes] == [(date(2026, 2, 7), 10.0, None), (date(2026, 2, 9), 11.0, None)]
    assert problems == ["no usable close for 2026-02-08 (price 0); left as a gap"]


def test_a_second_pull_while_one_runs_is_refused(api):
    from filelock import FileLock

    serve(api, World(top=1))
    data_dir = settings().data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(data_dir / "coingecko.lock"):
        result = run_cli("fetch")
    assert result.exit_code == 2 and "another pull is already updating the market-data store" in result.output
    assert len(api.log) == 0


def test_stale_store_is_an_error_unless_allowed(api, monkeypatch, tmp_path):
    serve(api, World(top=3))
    pull(settings())  # closes through Feb 8
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1771329600")  # 2026-02-17 12:00: the week ending Feb 15 is due
    result = run_cli("brief", "--source", "coingecko", "--offline", "--formats", "md", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "stale: its newest close is for 2026-02-08, but the week asked for ends on 2026-02-15" in result.output
    assert len(api.log) == 5  # the pull's calls only: --offline made none
    result = run_cli("brief", "--offline", "--allow-stale", "--formats", "md", "--out", str(tmp_path))  # implies coingecko
    assert result.exit_code == 0, result.output
    text = (tmp_path / "2026-02-08" / "brief.md").read_text()
    assert "Stale data: the week asked for ends on Feb 15, 2026" in text
    assert "The newest close in the data store is for Feb 8, 2026" in text


def test_fetch_command_reports_what_it_did(api):
    serve(api, World(top=2))
    first, second = run_cli("fetch"), run_cli("fetch")
    assert first.exit_code == second.exit_code == 0
    assert "4 calls (2 history), 2 coins listed, 2 backfilled, 0 updated, 0 already current" in first.output
    assert "0 calls (0 history), 2 coins listed, 0 backfilled, 0 updated, 2 already current" in second.output


def test_offline_without_a_store_says_how_to_make_one(tmp_path):
    result = run_cli("brief", "--source", "coingecko", "--offline", "--data-dir", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "does not exist yet. Run `python build.py fetch`" in result.output


def test_a_missing_close_becomes_a_reported_gap(api):
    """CoinGecko sends null for a day it has no price for: not stored, so a NaN gap, which the brief reports
    (the data notes list a day when no asset has a value, as for every source)."""
    world = World(top=2)
    serve(api, world)
    for coin in ("bitcoin", "ethereum"):
        chart = world.chart(coin, 40, datetime(2026, 2, 9, 12, tzinfo=timezone.utc))
        hole = next(point for point in chart["prices"] if point[0] == epoch_ms(date(2026, 2, 5)))  # the close of Feb 4
        hole[1] = None
        api.expect_oneshot_request(f"/api/v3/coins/{coin}/market_chart").respond_with_json(chart)
    report = pull(settings())
    assert [(s.coin, s.reason) for s in report.skipped] == [
        (coin, "no usable close for 2026-02-04 (price None); left as a gap") for coin in ("bitcoin", "ethereum")]
    data = validate(load_source(settings(source="coingecko", offline=True, week_ending=date(2026, 2, 8))))
    assert data.prices.close.loc[pd.Timestamp("2026-02-04")].isna().all()
    assert not data.prices.close.loc[pd.Timestamp("2026-02-03")].isna().any()
    story = build_story(data, date(2026, 2, 8), source="coingecko", offline=True)
    assert "The CoinGecko daily closes have no value on Feb 4" in " ".join(s.text for s in story.sentences())


def test_a_bad_value_in_the_store_is_reported_like_a_bad_cell(api, tmp_path):
    serve(api, World(top=2))
    pull(settings())
    with Store.at(settings().data_dir) as store:
        store.db.execute("UPDATE closes SET close = -5 WHERE coin = 'ethereum' AND day = '2026-02-03'")
        rowid = store.rows("SELECT rowid FROM closes WHERE coin = 'ethereum' AND day = '2026-02-03'")[0][0]
    result = run_cli("brief", "--offline", "--week-ending", "2026-02-08", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert f"coingecko.sqlite3 [table closes; line = rowid], line {rowid}, column 3 (close): a price must be greater than zero" in result.output
    assert not any(tmp_path.iterdir())
