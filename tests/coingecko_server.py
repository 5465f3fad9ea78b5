"""A CoinGecko stand-in for tests: a real HTTP server (pytest-httpserver) answering in CoinGecko's shapes.

Every number it serves comes from the bundled dataset, re-shaped in plain sight:
- /coins/markets: that day's rows of `coingecko_top100_daily.csv` (rank, name, symbol, price), top first;
- /coins/{id}/market_chart?days=N&interval=daily: the same file's price of day D stamped 00:00 UTC of
  D+1 (CoinGecko's daily-close convention), market caps for bitcoin and ether from
  `coingecko_global_daily.csv` (the only per-asset caps in the bundle), and a final "now" point
  stamped at the request time, which is not a close;
- /global: that day's row of `coingecko_global_daily.csv`.
"Today" is the build clock (SOURCE_DATE_EPOCH), so a test moves the world by moving the clock.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from werkzeug import Request, Response

from reports.core import clock
from reports.data.catalog import catalog, slug
from conftest import raw_rows

API = "/api/v3"
CHART = re.compile(r"^/api/v3/coins/([^/]+)/market_chart$")
CAP_COLUMNS = {"bitcoin": "btc_market_cap_usd", "ethereum": "eth_market_cap_usd"}
MS = 1000


def epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()) * MS


class World:
    """The bundled market as CoinGecko would answer about it, for the coins in the top `top` by rank."""

    def __init__(self, top: int = 8, ids: dict[str, str] | None = None) -> None:
        known = catalog().by_source_name
        self.top = top
        self.rows: dict[date, list[dict]] = defaultdict(list)  # day -> that day's listing rows by rank
        self.prices: dict[str, dict[date, float]] = defaultdict(dict)  # coin id -> day -> price
        self.names: dict[str, tuple[str, str]] = {}
        ids = ids or {}
        for row in raw_rows("coingecko_top100_daily.csv"):
            asset = known[row["name"]].id if row["name"] in known else slug(row["name"])
            coin = ids.get(asset, asset)
            day = date.fromisoformat(row["date"])
            self.rows[day].append({"coin": coin, "rank": int(row["rank"]), "name": row["name"], "symbol": row["symbol"]})
            self.prices[coin][day] = float(row["price_usd"])
        self.global_rows = {date.fromisoformat(r["date"]): r for r in raw_rows("coingecko_global_daily.csv")}
        self.gone: set[str] = set()  # coins taken off the top list from now on

    def listing(self, today: date, per_page: int) -> list[dict]:
        rows = sorted(self.rows[today], key=lambda r: r["rank"])
        rows = [r for r in rows if r["coin"] not in self.gone][: min(per_page, self.top)]
        return [
            {"id": r["coin"], "symbol": r["symbol"].lower(), "name": r["name"], "image": "",
             "current_price": self.prices[r["coin"]][today], "market_cap": None, "market_cap_rank": r["rank"],
             "last_updated": f"{today}T12:00:00.000Z"}
            for r in rows
        ]

    def chart(self, coin: str, days: int, now: datetime) -> dict:
        start = now - timedelta(days=days)
        prices, caps = [], []
        for day, price in sorted(self.prices[coin].items()):
            stamp = epoch_ms(day + timedelta(days=1))
            if start.timestamp() * MS <= stamp <= now.timestamp() * MS:
                prices.append([stamp, price])
                cap = self.global_rows.get(day, {}).get(CAP_COLUMNS.get(coin, ""), "")
                if cap:
                    caps.append([stamp, float(cap)])
        current = self.prices[coin].get(now.date())
        if current is not None and now.timestamp() % 86400:
            prices.append([int(now.timestamp() * MS), current])  # the "now" point: not a close
        return {"prices": prices, "market_caps": caps, "total_volumes": []}

    def global_data(self, today: date) -> dict:
        row = self.global_rows[today]
        return {"data": {
            "active_cryptocurrencies": 17000,
            "total_market_cap": {"usd": float(row["total_market_cap_usd"]), "btc": 1.0},
            "total_volume": {"usd": float(row["total_volume_24h_usd"])},
            "market_cap_percentage": {"btc": float(row["btc_dominance_pct"]), "eth": float(row["eth_dominance_pct"])},
            "updated_at": int(clock.now().timestamp()),
        }}


def serve(httpserver, world: World, markets: list[dict] | None = None) -> None:
    """Register the three endpoints (permanent handlers; a test adds one-shot faults in front of them)."""

    def markets_handler(request: Request) -> Response:
        per_page = int(request.args.get("per_page", 100))
        body = markets if markets is not None else world.listing(clock.now().date(), per_page)
        return _json(body)

    def chart_handler(request: Request) -> Response:
        coin = CHART.match(request.path).group(1)
        if coin not in world.prices:
            return _json({"error": "coin not found"}, 404)
        return _json(world.chart(coin, int(request.args["days"]), clock.now()))

    httpserver.expect_request(f"{API}/coins/markets").respond_with_handler(markets_handler)
    httpserver.expect_request(CHART).respond_with_handler(chart_handler)
    httpserver.expect_request(f"{API}/global").respond_with_handler(lambda request: _json(world.global_data(clock.now().date())))


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def requested(httpserver) -> list[str]:
    """The paths (with sorted query) the server was asked for, in order."""
    paths = []
    for request, _ in httpserver.log:
        query = "&".join(f"{k}={v}" for k, v in sorted(request.args.items()))
        paths.append(f"{request.path}?{query}" if query else request.path)
    return paths


def serve_answers(httpserver, world: World, markets, charts: dict) -> None:
    """Serve a given /coins/markets answer (anything JSON can hold, for hostile-answer tests), the
    world's /global, and for a coin the client asks about `charts[coin]` (404 for any other).
    Every other path is answered 404 too, and logged, so a client that climbed out of /api/v3 shows."""

    def chart_handler(request: Request) -> Response:
        match = CHART.match(request.path)
        coin = match.group(1) if match else None
        return _json(charts[coin]) if coin in charts else _json({"error": "coin not found"}, 404)

    httpserver.expect_request(f"{API}/coins/markets").respond_with_handler(lambda request: _json(markets))
    httpserver.expect_request(f"{API}/global").respond_with_handler(lambda request: _json(world.global_data(clock.now().date())))
    httpserver.expect_request(re.compile(r".*")).respond_with_handler(chart_handler)


def raw_paths(httpserver) -> list[str]:
    """The request paths as the client sent them, before the server decodes %2F and the like."""
    return [request.environ["RAW_URI"].split("?")[0] for request, _ in httpserver.log]
