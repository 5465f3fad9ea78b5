"""No CoinGecko key anywhere: a stand-in CoinGecko that echoes the `x-cg-demo-api-key` header back in its
answers (records, /global, chart answers) and in its error bodies (a 429 with Retry-After, 500s), and a
`build.py -v brief --source live` with COINGECKO_API_KEY set to a unique string: the key must appear in no
log line, stdout or stderr, no output file and no byte of the stores (SQLite files and their WAL included).
Every value served is the bundled data's (coingecko_server.World); only the echo is added."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from werkzeug import Request, Response

from coingecko_server import API, CHART, World
from conftest import run_cli
from live_servers import CM_BASE, serve_coinmetrics, serve_fear_greed

from reports.core import clock

KEY = "CG-h3echoKEY-9d41b7c2e05f"  # unique: found nowhere else, so any occurrence is a leak
HEADER = "x-cg-demo-api-key"


def _answer(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json", headers=headers or {})


def serve_echoing(httpserver, world: World) -> list[str]:
    """CoinGecko's three endpoints, each echoing the key it was sent; bitcoin's chart answers after a 429 and a 500,
    ether's is refused (401, the key in the API's message, which the error quotes and the data notes carry)."""
    seen: list[str] = []
    charts: dict[str, int] = {}

    def echo(request: Request) -> str:
        key = request.headers.get(HEADER, "")
        seen.append(key)
        return key

    def markets(request: Request) -> Response:
        key = echo(request)
        records = world.listing(clock.now().date(), int(request.args.get("per_page", 100)))
        return _answer([{**record, "image": f"https://img.example/{key}.png", "echo": key} for record in records])

    def global_data(request: Request) -> Response:
        key = echo(request)
        body = world.global_data(clock.now().date())
        body["data"]["echo"] = key
        return _answer(body)

    def chart(request: Request) -> Response:
        key = echo(request)
        coin = CHART.match(request.path).group(1)
        charts[coin] = charts.get(coin, 0) + 1
        if coin == "ethereum":  # CoinGecko's documented 401 shape (error code 10011: a key of the wrong plan)
            return _answer({"status": {"error_code": 10011, "error_message": f"Invalid API Key {key}"}}, 401)
        if charts[coin] == 1:
            return _answer({"status": {"error_code": 429, "error_message": f"rate limited: key {key}"}}, 429,
                           {"Retry-After": "0"})
        if charts[coin] == 2:
            return Response(f"<html>500 for {key}</html>", status=500, content_type="text/html")
        return _answer({**world.chart(coin, int(request.args["days"]), clock.now()), "echo": key})

    httpserver.expect_request(f"{API}/coins/markets").respond_with_handler(markets)
    httpserver.expect_request(CHART).respond_with_handler(chart)
    httpserver.expect_request(f"{API}/global").respond_with_handler(global_data)
    return seen


def _files(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()]


def test_the_key_echoed_by_the_api_is_in_no_log_output_or_store(api, monkeypatch, tmp_path, caplog):
    seen = serve_echoing(api, World(top=2))
    serve_fear_greed(api)
    serve_coinmetrics(api)
    monkeypatch.setenv("ALTERNATIVE_ME_BASE_URL", api.url_for("/alt"))
    monkeypatch.setenv("COINMETRICS_BASE_URL", api.url_for(CM_BASE))
    monkeypatch.setenv("COINGECKO_API_KEY", KEY)
    monkeypatch.setenv("BRIEF_COINGECKO_TOP", "2")
    out = tmp_path / "out"
    caplog.set_level(logging.DEBUG)
    result = run_cli("-v", "brief", "--source", "live", "--week-ending", "2026-02-08", "--out", str(out),
                     "--formats", "md,json,html")
    assert result.exit_code == 3, result.output  # built; ether's chart was refused
    assert seen and set(seen) == {KEY}  # the stand-in got the key and echoed it back every time
    assert all(HEADER not in request.headers for request, _ in api.log if not request.path.startswith(API))
    brief = (out / "2026-02-08" / "brief.md").read_text()
    note = next(line for line in brief.splitlines() if "CoinGecko could not be reached" in line)
    assert "Invalid API Key \\[redacted\\]" in note and "[redacted]" in result.stderr, note  # echoed, redacted
    assert KEY not in result.stdout and KEY not in result.stderr and KEY not in caplog.text
    data_dir = Path(os.environ["BRIEF_DATA_DIR"])
    files = _files(out, data_dir)
    assert any(path.suffix == ".sqlite3" for path in files) and any(path.name == "brief.json" for path in files)
    leaked = [str(path) for path in files if KEY.encode() in path.read_bytes()]
    assert leaked == []
