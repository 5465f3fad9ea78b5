"""Stand-ins for the keyless live sources (pytest-httpserver on 127.0.0.1), in the real answers' shapes.

The shapes are those of the recorded answers in tests/fixtures (alternative_me_fng.json,
coinmetrics_v4_asset-metrics_btc_PriceUSD.json); every value comes from the bundled files:
- Alternative.me `GET /fng/?limit=N`: the N newest rows of `fear_greed_daily.csv` up to today, newest
  first (limit=0: all), values and timestamps as text, `time_until_update` on the first only;
- Coin Metrics `GET /v4/timeseries/asset-metrics`: `coinmetrics_daily.csv`'s `close_usd` as `PriceUSD`
  for the requested assets from `start_time` to yesterday (a close is known once its day is over),
  by asset then time, `page_size` records a page, with `next_page_token` and `next_page_url`.
"Today" is the build clock (SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import urlencode

from conftest import raw_rows
from werkzeug import Request, Response

from reports.core import clock

FNG = "/alt/fng/"
CM_BASE = "/cm/v4"
CM = f"{CM_BASE}/timeseries/asset-metrics"


def fear_greed_rows() -> list[dict[str, str]]:
    return [row for row in raw_rows("fear_greed_daily.csv")]


def coinmetrics_rows() -> list[dict[str, str]]:
    return [row for row in raw_rows("coinmetrics_daily.csv") if row["close_usd"]]


def serve_fear_greed(httpserver) -> None:
    rows = sorted(fear_greed_rows(), key=lambda row: row["date"], reverse=True)

    def handler(request: Request) -> Response:
        today = clock.now().date().isoformat()
        known = [row for row in rows if row["date"] <= today]
        limit = int(request.args.get("limit", 1))
        chosen = known if limit == 0 else known[:limit]
        data = [{"value": str(int(float(row["value"]))), "value_classification": row["classification"],
                 "timestamp": row["timestamp"]} for row in chosen]
        if data:
            data[0]["time_until_update"] = "24706"
        return _json({"name": "Fear and Greed Index", "data": data, "metadata": {"error": None}})

    httpserver.expect_request(FNG).respond_with_handler(handler)


def serve_coinmetrics(httpserver, later_pages=None) -> None:
    """`later_pages(request)`, when given, answers every page after the first (a test's fault)."""
    rows = sorted(coinmetrics_rows(), key=lambda row: (row["asset"].lower(), row["date"]))

    def handler(request: Request) -> Response:
        if later_pages is not None and "next_page_token" in request.args:
            return later_pages(request)
        yesterday = (clock.now().date() - timedelta(days=1)).isoformat()
        assets = request.args.get("assets", "").split(",")
        start = request.args.get("start_time", "0000")[:10]
        size = int(request.args.get("page_size", 100))
        offset = int(request.args.get("next_page_token", "0"))
        chosen = [row for row in rows if row["asset"].lower() in assets and start <= row["date"] <= yesterday]
        page = chosen[offset:offset + size]
        body: dict = {"data": [{"asset": row["asset"].lower(), "time": f"{row['date']}T00:00:00.000000000Z",
                                "PriceUSD": row["close_usd"]} for row in page]}
        if offset + size < len(chosen):
            query = {key: value for key, value in request.args.items() if key != "next_page_token"}
            body["next_page_token"] = str(offset + size)
            body["next_page_url"] = f"{request.host_url.rstrip('/')}{CM}?{urlencode({**query, 'next_page_token': offset + size})}"
        return _json(body)

    httpserver.expect_request(CM).respond_with_handler(handler)


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def day_of(stamp: str) -> date:
    return date.fromisoformat(stamp[:10])
