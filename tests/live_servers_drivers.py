"""Stand-ins for the driver sources (pytest-httpserver on 127.0.0.1), in the real answers' formats, every
value from the bundled files. "Today" is the build clock (SOURCE_DATE_EPOCH); no source shows a day after it.

- Farside (`/btc/`, `/eth/`, `/bitcoin-etf-flow-all-data/`, `/ethereum-etf-flow-all-data/`): the page's
  `<table class="etf">`, a header row of `Date`, the tickers and `Total` (the ether page with the issuers'
  row above it), one row per trading day dated `06 Feb 2026`, outflows in parentheses `(123.4)`, then the
  summary rows (Total, Average, Maximum, Minimum), as farside.co.uk lays it out (see the scraper in
  kittycapital/btc-etf-dashboard, `fetch_farside_flows.py`, whose archive the bundled files are). Values:
  `farside_{btc,eth}_etf_flows_daily.csv`; the bitcoin all-data page reaches back before 2025-10-01 with
  `btc_etf_net_flows_farside.csv`, whose days have only the total: their fund cells are `-` (no figure),
  since the bundle does not have them. Today's row is there with `-` cells (Farside fills it during the
  US day). The recent pages show the last 30 days.
- DefiLlama `GET /stablecoincharts/all?stablecoin=1|2`: a JSON list of daily records stamped 00:00 UTC,
  `date` as text seconds, `totalCirculating` and `totalCirculatingUSD` as `{"peggedUSD": n}`, from
  `stablecoin_marketcap_daily.csv`'s `usdt_mcap_usd` / `usdc_mcap_usd` (the file's market values: both
  fields carry them, the bundle has no separate supply count), up to today (today's point included, as
  DefiLlama shows the running day).
- Stooq `GET /q/d/l/?s=SYMBOL&i=d&d1=YYYYMMDD`: `Date,Open,High,Low,Close,Volume`, oldest first, from
  `d1` to the last trading day before today, `Close` from `cross_asset_daily.csv` (spy/qqq/gld/dxy); the
  bundle keeps closes only, so Open, High, Low and Volume are empty cells here (the parser reads Close).
- FRED `GET /graph/fredgraph.csv?id=DGS10|DGS2&cosd=YYYY-MM-DD`: `observation_date,DGS10`, one row per
  weekday of the file from `cosd`, an empty value where the file has none (FRED's current form).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from conftest import raw_rows
from werkzeug import Request, Response

from reports.core import clock

FARSIDE_BASE = "/farside"
FARSIDE_PAGES = {"/btc/": ("btc", False), "/eth/": ("eth", False),
                 "/bitcoin-etf-flow-all-data/": ("btc", True), "/ethereum-etf-flow-all-data/": ("eth", True)}
LLAMA_BASE = "/llama"
LLAMA = f"{LLAMA_BASE}/stablecoincharts/all"
STOOQ_BASE = "/stooq"
STOOQ = f"{STOOQ_BASE}/q/d/l/"
FRED_BASE = "/fred"
FRED = f"{FRED_BASE}/graph/fredgraph.csv"
STOOQ_COLUMNS = {"spy.us": "spy_close", "qqq.us": "qqq_close", "gld.us": "gld_close", "dx.f": "dxy_close"}
FRED_COLUMNS = {"DGS10": "ust10y_pct", "DGS2": "ust2y_pct"}
LLAMA_COLUMNS = {"1": "usdt_mcap_usd", "2": "usdc_mcap_usd"}
RECENT_DAYS = 30
ISSUERS = {"ETHA": "Blackrock", "ETHB": "Blackrock", "FETH": "Fidelity", "ETHW": "Bitwise", "TETH": "21Shares",
           "ETHV": "VanEck", "QETH": "Invesco", "EZET": "Franklin", "ETHE": "Grayscale", "ETH": "Grayscale"}


def today() -> date:
    return clock.now().date()


# --- Farside --------------------------------------------------------------------------------------


def farside_cell(text: str) -> str:
    """A bundled figure as Farside prints it: thousands separators, outflows in parentheses."""
    if text in ("", "-"):
        return "-"
    value = float(text)
    shown = f"{abs(value):,.1f}"
    return f"({shown})" if value < 0 else shown


def farside_day(day: str) -> str:
    return date.fromisoformat(day).strftime("%d %b %Y")


def farside_rows(asset: str, every_day: bool) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The tickers and the (ISO day, cells) rows a page shows, oldest first, up to today."""
    daily = raw_rows(f"farside_{asset}_etf_flows_daily.csv")
    tickers = [name.removesuffix("_usd_m") for name in daily[0] if name not in ("date", "total_usd_m")]
    rows = []
    if asset == "btc" and every_day:
        first = daily[0]["date"]
        for row in raw_rows("btc_etf_net_flows_farside.csv"):
            if row["Date"] in ("Total", "Average", "Maximum", "Minimum"):
                continue
            day = datetime.strptime(row["Date"], "%d %b %Y").date().isoformat()
            if day < first:
                rows.append((day, ["-"] * len(tickers) + [farside_cell(row["Total"].replace(",", ""))]))
    for row in daily:
        if row["date"] < today().isoformat():
            rows.append((row["date"], [farside_cell(row[f"{t}_usd_m"]) for t in tickers] + [farside_cell(row["total_usd_m"])]))
    if not every_day:
        rows = [row for row in rows if row[0] >= (today() - timedelta(days=RECENT_DAYS)).isoformat()]
    if today().weekday() < 5:
        rows.append((today().isoformat(), ["-"] * (len(tickers) + 1)))
    return tickers, rows


def farside_page(asset: str, every_day: bool, table: bool = True, total: bool = True) -> str:
    tickers, rows = farside_rows(asset, every_day)
    head = ["Date", *tickers, "Total" if total else "Sum"]
    names = "".join(f"<th>{ISSUERS.get(ticker, '')}</th>" for ticker in tickers)
    issuers = f"<tr><th></th>{names}<th></th></tr>" if asset == "eth" else ""
    body = "".join(f"<tr><td>{farside_day(day)}</td>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>" for day, cells in rows)
    totals = [float(cells[-1].strip("()").replace(",", "")) * (-1 if cells[-1].startswith("(") else 1)
              for _, cells in rows if cells[-1] != "-"]
    summary = "".join(f"<tr><td>{name}</td>{'<td></td>' * len(tickers)}<td>{farside_cell(repr(value))}</td></tr>"
                      for name, value in (("Total", sum(totals)), ("Average", sum(totals) / len(totals)),
                                          ("Maximum", max(totals)), ("Minimum", min(totals))))
    heads = "".join(f"<th>{name}</th>" for name in head)
    grid = (f'<table class="etf"><thead>{issuers}<tr>{heads}</tr></thead>'
            f"<tbody>{body}</tbody><tbody>{summary}</tbody></table>") if table else "<p>Table moved.</p>"
    return (f"<!DOCTYPE html><html><head><title>{asset.upper()} ETF Flow - Farside Investors</title></head>"
            f"<body><h1>{asset.upper()} ETF Flow (US$m)</h1>{grid}</body></html>")


def farside_answer(request: Request, table: bool = True) -> Response:
    asset, every_day = FARSIDE_PAGES[request.path.removeprefix(FARSIDE_BASE)]
    return Response(farside_page(asset, every_day, table=table), content_type="text/html; charset=UTF-8")


def serve_farside(httpserver, table: bool = True) -> None:
    for path in FARSIDE_PAGES:
        httpserver.expect_request(FARSIDE_BASE + path).respond_with_handler(lambda request: farside_answer(request, table))


# --- DefiLlama ------------------------------------------------------------------------------------


def stablecoin_rows() -> list[dict[str, str]]:
    return raw_rows("stablecoin_marketcap_daily.csv")


def defillama_answer(request: Request) -> Response:
    column = LLAMA_COLUMNS[request.args["stablecoin"]]
    records = []
    for row in stablecoin_rows():
        if row["date"] <= today().isoformat() and row[column]:
            day = date.fromisoformat(row["date"])
            stamp = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
            value = float(row[column])
            records.append({"date": str(stamp), "totalCirculating": {"peggedUSD": value},
                            "totalCirculatingUSD": {"peggedUSD": value}})
    return Response(json.dumps(records), content_type="application/json")


def serve_defillama(httpserver) -> None:
    httpserver.expect_request(LLAMA).respond_with_handler(defillama_answer)


# --- Stooq and FRED -------------------------------------------------------------------------------


def cross_rows() -> list[dict[str, str]]:
    return raw_rows("cross_asset_daily.csv")


def stooq_answer(request: Request) -> Response:
    column = STOOQ_COLUMNS[request.args["s"]]
    start = datetime.strptime(request.args.get("d1", "19000101"), "%Y%m%d").date().isoformat()
    lines = ["Date,Open,High,Low,Close,Volume"]
    lines += [f"{row['date']},,,,{row[column]}," for row in cross_rows()
              if row[column] and start <= row["date"] < today().isoformat()]
    return Response("\r\n".join(lines) + "\r\n", content_type="text/csv")


def serve_stooq(httpserver) -> None:
    httpserver.expect_request(STOOQ).respond_with_handler(stooq_answer)


def fred_answer(request: Request) -> Response:
    symbol = request.args["id"]
    start = request.args.get("cosd", "1900-01-01")
    lines = [f"observation_date,{symbol}"]
    lines += [f"{row['date']},{row[FRED_COLUMNS[symbol]]}" for row in cross_rows()
              if start <= row["date"] < today().isoformat() and date.fromisoformat(row["date"]).weekday() < 5]
    return Response("\n".join(lines) + "\n", content_type="text/csv")


def serve_fred(httpserver) -> None:
    httpserver.expect_request(FRED).respond_with_handler(fred_answer)


ANSWERS = {"farside": farside_answer, "defillama": defillama_answer, "stooq": stooq_answer, "fred": fred_answer}


def serve_drivers(httpserver) -> None:
    serve_farside(httpserver)
    serve_defillama(httpserver)
    serve_stooq(httpserver)
    serve_fred(httpserver)


def driver_env(httpserver, monkeypatch) -> None:
    for name, base in (("FARSIDE_BASE_URL", FARSIDE_BASE), ("DEFILLAMA_BASE_URL", LLAMA_BASE),
                       ("STOOQ_BASE_URL", STOOQ_BASE), ("FRED_BASE_URL", FRED_BASE)):
        monkeypatch.setenv(name, httpserver.url_for(base))
