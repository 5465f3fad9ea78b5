"""Cross-asset closes, live, from two keyless daily CSV downloads (the bundled `cross_asset_daily.csv`
came from Yahoo Finance, LBMA and FRED; Yahoo's download now needs a session, LBMA's prices a licence):

- Stooq (`stooq.py`, `STOOQ_BASE_URL`, default https://stooq.com): `GET /q/d/l/?s=spy.us&i=d&d1=YYYYMMDD`,
  `Date,Open,High,Low,Close,Volume`, one row per trading day, oldest first; the `Close` of SPY, QQQ and
  GLD (unadjusted, 16:00 New York) and of `dx.f`, the ICE US Dollar Index future (continuous contract):
  the index the bundle's DXY column follows, settled by the future rather than the spot index, so a
  week's move can differ from the bundled one by a few hundredths of a point. Stooq states no licence for
  its downloads; the brief attributes Stooq.
- FRED (`fred.py`, `FRED_BASE_URL`, default https://fred.stlouisfed.org): `GET /graph/fredgraph.csv?id=DGS10&cosd=YYYY-MM-DD`,
  `observation_date,DGS10` (older answers: `DATE,DGS10`), one row per US business day, `.` or nothing
  where there is no observation: the 10- and 2-year Treasury yields, the bundle's own series. FRED's
  Treasury yields are public domain (U.S. Treasury data); FRED asks for attribution.

There is no keyless daily LBMA gold price (FRED's copy ended in 2022), so the live table has no
`gold_lbma_pm_usd`: the brief's gold move is then GLD's, as the drivers' facts already fall back to.

A first pull asks for ten years back, later ones from the newest stored day less OVERLAP_DAYS (a late
revision), at most once a UTC day; each series' answer is stored in one transaction. A CSV without its
header line or its final line end (an error page such as Stooq's "Exceeded the daily hits limit", a cut
connection) is retried; a header without the documented columns, or a date that is not a day, is a
`ChangedAnswer` naming the series.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

from reports.core import clock
from reports.data.model import SeriesInfo
from reports.data.sources.liveapi import ChangedAnswer, LivePull, pulled_today
from reports.data.sources.livestore import LiveStore
from reports.data.sources.livetext import TextClient, newest, number, values_table, with_driver
from reports.data.validate import RawMarketData

SOURCES = ("stooq", "fred")
COLUMNS = ("spy_close", "qqq_close", "gld_close", "dxy_close", "ust10y_pct", "ust2y_pct")
FIRST_DAYS = 3653
OVERLAP_DAYS = 5
CROSS_ASSET = SeriesInfo("cross-asset", "Stooq and FRED", "US stocks (SPY, QQQ), gold (GLD), the dollar index and Treasury yields",
                         "US closes at 16:00 New York (the dollar index: the ICE future's settlement), yields at the end of the day",
                         "Cross-asset closes: Stooq (SPY, QQQ, GLD, the ICE US Dollar Index future), FRED (Treasury yields DGS10, DGS2).",
                         "No licence stated by Stooq; Treasury yields are public domain. Attribute Stooq and FRED.")
Query = Callable[[str, date], tuple[str, dict[str, str]]]  # (symbol, start) -> path and parameters


def pull_series(store: LiveStore, client: TextClient, name: str, env_name: str, series: dict[str, str],
                query: Query, header: tuple[tuple[str, str], ...]) -> LivePull:
    """Ask for each `series` (column: the source's symbol) from its start, read `header`'s date and value columns."""
    now = clock.now()
    if pulled_today(store.last_pull(name), now):
        return LivePull(name, (), newest(store, name), 0)
    kept = 0
    for column, symbol in series.items():
        last = store.rows("SELECT max(day) FROM driver_values WHERE source = ? AND series = ?", name, f"cross_asset:{column}")[0][0]
        start = now.date() - timedelta(days=FIRST_DAYS) if last is None else date.fromisoformat(last) - timedelta(days=OVERLAP_DAYS)
        path, params = query(symbol, start)
        text = client.get_text(path, params, _is_csv)
        values = closes_of(text, f"GET {path} answer for {symbol}", env_name, header, symbol, now.date())
        store.save_values(name, [(f"cross_asset:{column}", day, value) for day, value in values])
        kept += len(values)
    store.record_pull(name, now, clock.now(), len(client.calls))
    return LivePull(name, tuple(client.calls), newest(store, name), kept)


def _columns(header: tuple[tuple[str, str], ...], symbol: str) -> list[tuple[str, str]]:
    return [(day, value.format(symbol=symbol.upper())) for day, value in header]


def _is_csv(text: str) -> bool:
    """A whole CSV: a first line of comma-separated names (not an error page's text or markup), and a
    line end at the end (an answer cut inside a row has none)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return "," in first and "<" not in first and text.endswith("\n")


def closes_of(text: str, where: str, env_name: str, header: tuple[tuple[str, str], ...], symbol: str,
              today: date) -> list[tuple[date, float]]:
    """(day, value) of each row before today with a number; a row whose date is not a day is a changed shape."""
    try:
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as error:
        raise ChangedAnswer(where, f"not a CSV the csv module can read ({error}).", env_name) from None
    names = lines[0] if lines else []
    found = next(((day, value) for day, value in _columns(header, symbol) if day in names and value in names), None)
    if found is None:
        raise ChangedAnswer(where, f"no {' or '.join('/'.join(pair) for pair in _columns(header, symbol))} columns: {names[:8]}",
                            env_name)
    at, of = names.index(found[0]), names.index(found[1])
    values = []
    for line, row in enumerate(lines[1:], start=2):
        cells = row + [""] * (len(names) - len(row))
        try:
            day = date.fromisoformat(cells[at])
        except ValueError:
            raise ChangedAnswer(f"{where}, line {line}", f"{cells[at][:40]!r} is not a day (YYYY-MM-DD).", env_name) from None
        value = number(cells[of])
        if value is not None and value > 0 and day < today:
            values.append((day, value))
    return values


def newest_of(store: LiveStore, name: str) -> date | None:
    return newest(store, name)


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with every stored cross-asset series (from Stooq and FRED) as its cross_asset driver."""
    return with_driver(raw, "cross_asset", values_table(store, SOURCES, "cross_asset", COLUMNS), CROSS_ASSET)
