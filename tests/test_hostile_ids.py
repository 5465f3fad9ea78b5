"""Identifiers from data (asset ids, symbols, tags) never lead a write outside its folder or a call
outside /api/v3; the CoinGecko key never shows, not even in part; --data must be a regular file of
sane size. Issue 12, items 2, 3, 5 and the /dev/zero part of 10: each test here failed before the fix.

Hostile paths are relative climbs that stay inside the test's own tmp_path (so a regression writes
there, where the tree snapshot sees it), never into /tmp itself.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from coingecko_server import World, raw_paths, requested, serve
from conftest import ROOT, raw_rows, run_cli
from werkzeug import Response

from reports.core.errors import InputError
from reports.core.settings import load_settings
from reports.data.sources.coingecko.client import ApiConfig, ApiError, Client
from reports.data.sources.coingecko.store import Close, Listed, Store

KEY = "CG-test-key-do-not-leak-7f3a"  # 28 characters, as the issue's
WEEK = "2026-02-06"
PWN_IMG = "<img src=x onerror=alert(2)>"


# --- helpers ---------------------------------------------------------------------------------------


def tree(root: Path) -> set[str]:
    """Every file and folder under `root`, relative."""
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


def new_outside(before: set[str], after: set[str], *allowed: str) -> list[str]:
    """What appeared in the tree that is not under one of the `allowed` folders."""
    return sorted(p for p in after - before if not any(p == a or p.startswith(a + "/") for a in allowed))


def two_coin_csv(path: Path, asset: str = "pwn", symbol: str = "PWN", name: str = "Pwn") -> Path:
    """Real bundled closes of bitcoin and ether, 2026-01-28 .. 2026-02-06; ether's rows carry the
    given id, symbol and name (so that coin is the week's top or bottom mover). Header: line 1,
    then bitcoin and the other coin alternate, the other's first row on line 3."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "asset", "close", "symbol", "name"])
        for row in raw_rows("coingecko_top100_daily.csv"):
            if "2026-01-28" <= row["date"] <= WEEK and row["name"] == "Bitcoin":
                writer.writerow([row["date"], "bitcoin", row["price_usd"], "BTC", "Bitcoin"])
            elif "2026-01-28" <= row["date"] <= WEEK and row["name"] == "Ethereum":
                writer.writerow([row["date"], asset, row["price_usd"], symbol, name])
    return path


def brief(data: Path, out: Path, *args: str):
    return run_cli("brief", "--source", "csv", "--data", str(data), "--out", str(out), "--week-ending", WEEK, *args)


def one_line(result) -> str:
    assert "Traceback" not in result.output and "unexpected" not in result.output.lower(), result.output
    message = result.stderr.strip()
    assert message and "\n" not in message, result.output
    return message


# --- 2. asset ids: CSV -----------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", ["../../../escape_target", "ABSOLUTE", "..", "sub/dir", "x\\..\\y"])
def test_a_csv_asset_id_that_is_a_path_is_refused_with_file_line_and_column(tmp_path, hostile):
    hostile = str(tmp_path / "abs_target") if hostile == "ABSOLUTE" else hostile
    data = two_coin_csv(tmp_path / "prices.csv", asset=hostile)
    out = tmp_path / "a" / "b" / "out"  # out/assets/../../../escape_target is tmp_path/a/escape_target
    before = tree(tmp_path)
    result = brief(data, out, "--asset", hostile, "--formats", "json")
    assert new_outside(before, tree(tmp_path)) == []
    assert result.exit_code == 2, result.output
    message = one_line(result)
    assert "prices.csv, line 3, column 2 (asset)" in message and "asset id" in message


def test_catalog_and_bundled_ids_and_symbols_pass_the_rule(bundled_data):
    from reports.data.catalog import catalog, id_problem, symbol_problem

    for asset in [*catalog().by_id.values(), *bundled_data.assets.values()]:
        assert id_problem(asset.id) is None and symbol_problem(asset.symbol) is None, asset


@pytest.mark.parametrize("part", ["..", ".", "", "/abs", "a/../b", "a\\b", "a\0b", "assets/../../x"])
def test_the_one_path_helper_refuses_every_way_out(tmp_path, part):
    from reports.core.safepath import UnsafePath, within

    with pytest.raises(UnsafePath, match="outside its folder"):
        within(tmp_path, "assets", part)
    assert within(tmp_path, "assets", "usd-coin", "charts/x.png") == tmp_path / "assets" / "usd-coin" / "charts" / "x.png"


@pytest.mark.parametrize("text, expected", [("BTC", "btc"), ("Extreme Fear", "extreme-fear"), ("USDC.E", "usdc.e"),
                                            ("币安人生", "币安人生"), ("İ", "i"), ("../../x", "x"), ("<b>", "b"), ("..", None)])
def test_a_tag_is_always_one_safe_folder_name(text, expected):
    from reports.data.catalog import symbol_problem, tag

    assert tag(text) == expected
    assert expected is None or symbol_problem(expected) is None


# --- 2. asset ids: CoinGecko answers and the store ------------------------------------------------


def settings(**flags):
    return load_settings(env=os.environ, flags=flags)


def serve_anything_as_bitcoin(httpserver, world: World) -> None:
    """Answer any other path (where a climbing id would lead) with bitcoin's chart, as a careless
    server would: so a client that went there would store what it got."""
    httpserver.expect_request(re.compile(r".*")).respond_with_handler(
        lambda request: Response(json.dumps(world.chart("bitcoin", 40, datetime(2026, 2, 9, 12, tzinfo=timezone.utc))),
                                 content_type="application/json"))


def stored_coins() -> list[str]:
    path = settings().data_dir / "coingecko.sqlite3"
    if not path.exists():
        return []
    with Store(path) as store:
        return [coin for (coin,) in store.rows("SELECT coin FROM coins UNION SELECT coin FROM closes")]


def test_a_coins_markets_id_that_climbs_out_is_refused_before_any_call_or_store(api, monkeypatch, tmp_path):
    monkeypatch.setenv("COINGECKO_API_KEY", KEY)
    world = World(top=2)
    markets = [{"id": "bitcoin", "symbol": "btc", "name": "Bitcoin", "market_cap_rank": 1},
               {"id": "../../../../tmp/x", "symbol": "x", "name": "X", "market_cap_rank": 2}]
    serve(api, world, markets=markets)
    serve_anything_as_bitcoin(api, world)
    result = run_cli("fetch")
    paths = requested(api)
    assert all(path.startswith("/api/v3/") for path in paths), paths
    assert all("/tmp/" not in path for path in paths)
    assert all(coin in ("bitcoin", "ethereum") for coin in stored_coins()), stored_coins()
    assert result.exit_code == 2, result.output
    message = one_line(result)
    assert "GET /coins/markets" in message and "record 2" in message and "'../../../../tmp/x'" in message
    assert KEY not in result.output


@pytest.mark.parametrize("field, value", [("symbol", "../../../sitepwn"), ("symbol", PWN_IMG), ("name", "a\nb"),
                                          ("id", "Bitcoin"), ("id", "")])
def test_every_field_of_a_coins_markets_record_is_checked(api, field, value):
    record = {"id": "pwn", "symbol": "pwn", "name": "Pwn", "market_cap_rank": 1, field: value}
    serve(api, World(top=1), markets=[record])
    result = run_cli("fetch")
    assert result.exit_code == 2, result.output
    assert "GET /coins/markets" in one_line(result) and "record 1" in result.stderr
    assert stored_coins() == []


def hostile_store(coin: str, day: date) -> None:
    """A store as an earlier version wrote it from a hostile answer: the coin listed first, with closes."""
    with Store.at(settings().data_dir) as store:
        store.save_listing(day, datetime(2026, 2, 9, 12, tzinfo=timezone.utc),
                           [Listed(coin, "X", "X", 1), Listed("bitcoin", "BTC", "Bitcoin", 2)])
        for listed, base in ((coin, 10.0), ("bitcoin", 70000.0)):
            closes = [Close(day - timedelta(days=n), base * (1 + n / 100), None, None) for n in range(15)]
            store.save_closes(listed, closes, day)


def test_a_stored_id_that_climbs_out_is_refused_by_an_offline_build(api, tmp_path):
    hostile_store("../../../escape_target", date(2026, 2, 8))
    out = tmp_path / "a" / "b" / "out"
    before = tree(tmp_path)
    result = run_cli("brief", "--offline", "--assets", "top1", "--week-ending", "2026-02-08", "--out", str(out),
                     "--formats", "json")
    assert new_outside(before, tree(tmp_path)) == []
    assert result.exit_code == 2, result.output
    message = one_line(result)
    assert "[table closes; line = rowid]" in message and "(asset)" in message and "asset id" in message


def test_a_stored_id_is_checked_before_it_goes_into_a_url(api):
    serve(api, World(top=2))
    serve_anything_as_bitcoin(api, World(top=2))
    hostile_store("../../../../tmp/x", date(2026, 2, 9))  # today's listing: the pull goes straight to the charts
    result = run_cli("fetch")
    paths = requested(api)
    assert all(path.startswith("/api/v3/") for path in paths), paths
    assert result.exit_code == 2, result.output
    assert "coingecko.sqlite3" in one_line(result) and "listings" in result.stderr


@pytest.mark.parametrize("coin", ["../../../../tmp/x", "..", "a b?c#d"])
def test_the_client_quotes_the_coin_segment_of_the_url(api, coin):
    serve_anything_as_bitcoin(api, World(top=1))
    client = Client(ApiConfig.from_env(calls_per_minute=math.inf), sleep=lambda s: None)
    try:
        client.market_chart(coin, 3)
    except ApiError:
        pass  # ".." cannot be a segment at all: refused before the call
    raw = raw_paths(api)
    assert all(re.fullmatch(r"/api/v3/coins/[^/]+/market_chart", path) for path in raw), raw
    assert coin == ".." or raw == [f"/api/v3/coins/{quote(coin, safe='')}/market_chart"]


# --- 3. symbols and tags ---------------------------------------------------------------------------


@pytest.mark.parametrize("symbol", ["../../../sitepwn", PWN_IMG, "a/b", "..", "X\x07Y", "$\\frac{1}{0}$"])
def test_a_symbol_that_is_a_path_or_markup_is_refused_with_file_line_and_column(tmp_path, symbol):
    data = two_coin_csv(tmp_path / "prices.csv", symbol=symbol, name=PWN_IMG)
    out = tmp_path / "out"
    result = brief(data, out, "--formats", "json")
    assert result.exit_code == 2, result.output
    assert "prices.csv, line 3, column 4 (symbol)" in one_line(result)
    assert not out.exists()


def test_a_real_symbol_with_unusual_characters_is_accepted():
    from reports.data.catalog import symbol_problem

    for symbol in ("BSC-USD", "FIGR_HELOC", "USDC.E", "币安人生", "1INCH", "USD+"):
        assert symbol_problem(symbol) is None, symbol


def test_the_site_refuses_a_brief_whose_tags_climb_out(tmp_path):
    """A brief.json written before this fix (or by hand) with a hostile tag: the site says which
    file, and writes nothing, inside or outside its folder."""
    data = two_coin_csv(tmp_path / "prices.csv")
    out = tmp_path / "a" / "out"
    assert brief(data, out, "--formats", "json").exit_code == 0
    path = out / WEEK / "brief.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tags"] += ["../../../sitepwn", PWN_IMG]
    path.write_text(json.dumps(document), encoding="utf-8")
    site = tmp_path / "a" / "site"
    before = tree(tmp_path)
    result = run_cli("site", "--briefs", str(out), "--out", str(site))
    assert new_outside(before, tree(tmp_path)) == []
    assert result.exit_code == 2, result.output
    assert "brief.json" in one_line(result) and "tags" in result.stderr


def test_a_name_with_markup_is_text_in_every_output_and_makes_no_tag(tmp_path):
    data = two_coin_csv(tmp_path / "prices.csv", name=PWN_IMG + "*_[x](y)`")
    out, site = tmp_path / "out", tmp_path / "site"
    assert brief(data, out, "--formats", "html,md,json").exit_code == 0
    result = run_cli("site", "--briefs", str(out), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert all("<" not in part and "onerror" not in part for part in tree(out) | tree(site))
    pages = [p for p in [*out.rglob("*.html"), *site.rglob("*.html")]]
    assert len(pages) > 3
    for page in pages:
        assert "<img src=x" not in page.read_text(encoding="utf-8"), page
    markdown = (out / WEEK / "brief.md").read_text(encoding="utf-8")
    _, matter, body = markdown.split("---\n", 2)
    assert isinstance(yaml.safe_load(matter), dict)
    assert "\\<img src=x onerror=alert(2)\\>" in body and not re.search(r"(?<!\\)<img", body)


# --- 5. the key: redact, then cut ------------------------------------------------------------------


def pieces(text: str, size: int = 8) -> list[str]:
    return [text[i:i + size] for i in range(len(text) - size + 1)]


def assert_no_piece_of_key(*texts: str) -> None:
    for text in texts:
        shown = [piece for piece in pieces(KEY) if piece in text]
        assert not shown, f"part of the key shows: {shown} in {text!r}"


def test_a_200_html_answer_echoing_the_key_shows_no_part_of_it(api, monkeypatch, caplog):
    from reports.data.sources.coingecko.pull import pull

    monkeypatch.setenv("COINGECKO_API_KEY", KEY)
    assert len(KEY) == 28
    serve(api, World(top=1))
    for _ in range(5):
        api.expect_oneshot_request("/api/v3/coins/markets").respond_with_data(
            f"<html><body>Invalid key: {KEY}</body></html>", status=200, content_type="text/html")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ApiError) as raised:
        pull(settings(), Client(ApiConfig.from_env(calls_per_minute=math.inf), sleep=lambda s: None))
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 4 and "not valid JSON" in str(raised.value)
    assert_no_piece_of_key(str(raised.value), caplog.text, *retries)


@pytest.mark.parametrize("body", [
    pytest.param("x" * 185 + KEY, id="text-body-cut-at-200"),
    pytest.param(json.dumps({"detail": "y" * 170 + KEY}), id="json-without-error-field"),
    pytest.param(json.dumps({"error": KEY + " " + "z" * 300}), id="long-error-field"),
])
def test_a_4xx_answer_echoing_the_key_shows_no_part_of_it(api, monkeypatch, body):
    monkeypatch.setenv("COINGECKO_API_KEY", KEY)
    api.expect_request("/api/v3/global").respond_with_data(body, status=403)
    client = Client(ApiConfig.from_env(calls_per_minute=math.inf), sleep=lambda s: None)
    with pytest.raises(ApiError) as raised:
        client.global_market()
    assert "HTTP 403" in str(raised.value) and len(str(raised.value)) < 600
    assert_no_piece_of_key(str(raised.value))


def test_a_key_echoed_with_json_escapes_is_redacted_from_what_is_stored(api, monkeypatch):
    """Redacting the raw text would miss "\\u0043G-test-...": the decoded answer is scrubbed too."""
    from reports.data.sources.coingecko.pull import pull

    monkeypatch.setenv("COINGECKO_API_KEY", KEY)
    serve(api, World(top=1))
    escaped = "\\u%04x" % ord(KEY[0]) + KEY[1:]
    body = '[{"id": "bitcoin", "symbol": "btc", "name": "Bitcoin ' + escaped + '", "market_cap_rank": 1}]'
    api.expect_oneshot_request("/api/v3/coins/markets").respond_with_data(body, content_type="application/json")
    pull(settings(), Client(ApiConfig.from_env(calls_per_minute=math.inf), sleep=lambda s: None))
    with Store.at(settings().data_dir) as store:
        assert store.rows("SELECT name FROM coins") == [("Bitcoin [redacted]",)]


def test_excerpt_redacts_before_it_cuts():
    config = ApiConfig(base_url="http://127.0.0.1/api/v3", key=KEY)
    assert config.excerpt("ab" + KEY + "cd", 10) == "ab[redacte"
    assert config.excerpt("ab" + KEY, 100) == "ab[redacted]"


# --- 10. --data must be a regular file of sane size ------------------------------------------------


def run_build(data: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """In a child process with a time and memory limit: the old code read /dev/zero until memory ran out."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run([sys.executable, str(ROOT / "build.py"), "brief", "--data", data, "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=60, preexec_fn=limit, env={**os.environ})


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_data_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    data = kind
    if kind == "fifo":
        data = str(tmp_path / "prices.csv")
        os.mkfifo(data)
    try:
        done = run_build(data, tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"--data {data} was still being read after 60 s")
    assert done.returncode == 2, done.stderr
    assert data in done.stderr and "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    from reports.data import raw as table

    data = tmp_path / "huge.csv"
    with data.open("wb") as handle:
        handle.truncate(table.MAX_BYTES + 1)  # sparse: no disk used, but stat says it is that large
    result = run_cli("brief", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    message = one_line(result)
    assert "huge.csv" in message and f"{table.MAX_BYTES >> 20} MiB" in message

