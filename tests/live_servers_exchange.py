"""Stand-ins for the exchange sources (pytest-httpserver on 127.0.0.1), in the real APIs' documented shapes.

- Binance `GET /api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=..&endTime=..&limit=..`: a list of arrays
  `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, "0"]`, oldest
  first, at most `limit` (default 500, largest 1000), from `binance_spot_daily_ohlcv.csv`: its open, high, low,
  close (as the file's text) and `volume_quote`. The archive has no base-coin volume, trade count or taker
  volumes: those cells are "0" (0 trades) and the source does not read them. Like Binance, the day in
  progress is answered too (its closeTime still to come). An unknown symbol is HTTP 400 {"code": -1121}.
- Bybit `GET /v5/market/funding/history`: `retCode/retMsg/result.list` (api_examples/bybit_v5_market_funding_history.json),
  newest first, rates from `funding_rate_snapshots_btc_eth.csv`'s `okx` column (the bybit and binance columns
  are empty; okx has a value in every row): each snapshot stamped at the next eight-hourly settlement after
  its commit time (the last snapshot before a settlement wins). startTime without endTime is refused, as Bybit does.
- Bybit `GET /v5/market/open-interest?intervalTime=1d`: the shape of bybit_v5_market_open_interest.json,
  newest first, one record per 00:00 UTC day asked for up to today; its values are that body's two open
  interests (the only real ones there are), the first on even days (by ordinal), the second on odd.
"Today" is the build clock (SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from conftest import raw_rows
from werkzeug import Request, Response

from reports.core import clock

BINANCE_BASE = "/bn"
KLINES = f"{BINANCE_BASE}/api/v3/klines"
BYBIT_BASE = "/bybit"
FUNDING = f"{BYBIT_BASE}/v5/market/funding/history"
OPEN_INTEREST = f"{BYBIT_BASE}/v5/market/open-interest"
FIXTURES = Path(__file__).parent / "fixtures"  # copies of ../shared/data files (funding csv, api_examples)
DAY_MS = 86_400_000
SETTLEMENT_MS = 8 * 3_600_000


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _now_ms() -> int:
    return _ms(clock.now())


def candle_rows() -> list[dict[str, str]]:
    return raw_rows("binance_spot_daily_ohlcv.csv")


def kline(row: dict[str, str]) -> list:
    opened = _ms(datetime.fromisoformat(row["date"]).replace(tzinfo=timezone.utc))
    return [opened, row["open"], row["high"], row["low"], row["close"], "0", opened + DAY_MS - 1,
            row["volume_quote"] or "0", 0, "0", "0", "0"]


def serve_binance(httpserver, fault=None) -> None:
    """`fault(request)`, when given, may answer a request instead (a test's fault): a Response, or None to answer it."""
    by_symbol: dict[str, list[dict[str, str]]] = {}
    for row in sorted(candle_rows(), key=lambda row: row["date"]):
        by_symbol.setdefault(row["symbol"] + "USDT", []).append(row)

    def handler(request: Request) -> Response:
        if fault is not None and (instead := fault(request)) is not None:
            return instead
        rows = by_symbol.get(request.args.get("symbol", ""))
        if rows is None or request.args.get("interval") != "1d":
            return _json({"code": -1121, "msg": "Invalid symbol."}, 400)
        start = int(request.args.get("startTime", 0))
        end = min(int(request.args.get("endTime", 2**62)), _now_ms())
        limit = min(int(request.args.get("limit", 500)), 1000)
        chosen = [kline(row) for row in rows]
        return _json([candle for candle in chosen if start <= candle[0] <= end][:limit])

    httpserver.expect_request(KLINES).respond_with_handler(handler)


def funding_rows() -> list[tuple[str, int, str]]:
    """(symbol, settlement ms, rate text) from the snapshots' okx column, one per settlement."""
    settled: dict[tuple[str, int], str] = {}
    for row in sorted(fixture_rows("funding_rate_snapshots_btc_eth.csv"), key=lambda row: row["commit_time_utc"]):
        taken = _ms(datetime.fromisoformat(row["commit_time_utc"].replace("Z", "+00:00")))
        settlement = (taken // SETTLEMENT_MS + 1) * SETTLEMENT_MS
        settled[(row["coin"] + "USDT", settlement)] = format(Decimal(row["okx"]), "f")
    return [(symbol, stamp, rate) for (symbol, stamp), rate in settled.items()]


def fixture_rows(name: str) -> list[dict[str, str]]:
    import csv

    with (FIXTURES / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


def serve_bybit(httpserver, fault=None) -> None:
    """`fault(request)`, when given, may answer a funding request instead (a test's fault): a Response, or None."""
    rates = funding_rows()
    interests = [record["openInterest"] for record in json.loads((FIXTURES / "bybit_v5_market_open_interest.json").read_text())["result"]["list"]]

    def window(request: Request) -> tuple[int, int, int] | None:
        if "startTime" in request.args and "endTime" not in request.args:
            return None
        start, end = int(request.args.get("startTime", 0)), min(int(request.args.get("endTime", 2**62)), _now_ms())
        return start, end, min(int(request.args.get("limit", 200)), 200)

    def funding(request: Request) -> Response:
        if fault is not None and (instead := fault(request)) is not None:
            return instead
        span = window(request)
        if span is None:
            return _bybit_error()
        start, end, limit = span
        symbol = request.args.get("symbol", "")
        chosen = sorted(((stamp, rate) for name, stamp, rate in rates if name == symbol and start <= stamp <= end), reverse=True)
        return _bybit({"category": "linear", "list": [{"symbol": symbol, "fundingRate": rate, "fundingRateTimestamp": str(stamp)}
                                                      for stamp, rate in chosen[:limit]]})

    def open_interest(request: Request) -> Response:
        span = window(request)
        if span is None or request.args.get("intervalTime") != "1d":
            return _bybit_error()
        start, end, limit = span
        first = -(-start // DAY_MS) * DAY_MS
        days = list(range(first, end + 1, DAY_MS))[::-1][:limit]
        records = [{"openInterest": interests[datetime.fromtimestamp(day / 1000, timezone.utc).date().toordinal() % 2], "timestamp": str(day)} for day in days]
        return _bybit({"symbol": request.args.get("symbol", ""), "category": "linear", "list": records, "nextPageCursor": ""})

    httpserver.expect_request(FUNDING).respond_with_handler(funding)
    httpserver.expect_request(OPEN_INTEREST).respond_with_handler(open_interest)


def _bybit(result: dict) -> Response:
    return _json({"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": _now_ms()})


def _bybit_error() -> Response:
    return _json({"retCode": 10001, "retMsg": "params error", "result": {}, "retExtInfo": {}, "time": _now_ms()})


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")

