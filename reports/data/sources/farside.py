"""US spot bitcoin and ether ETF net flows, live from Farside Investors' public flow tables (HTML, keyless):
`https://farside.co.uk/btc/` and `/eth/` (the recent days), `/bitcoin-etf-flow-all-data/` and
`/ethereum-etf-flow-all-data/` (every day since launch, asked once, when nothing is stored yet).
`FARSIDE_BASE_URL` overrides the address. No licence is stated; the brief attributes Farside Investors.

The page holds one `<table class="etf">`: header rows (issuers, tickers, fees; the ether page also
staking fees) of which the tickers' row ends in `Total`, then one row per US trading day
(`06 Feb 2026`), then summary rows (Total, Average, Maximum, Minimum; a `Seed` row on the ether page).
Figures sit in `<span>`s inside the cells, and some rows are left unclosed. Numbers are US$ millions with
thousands separators; an outflow is in parentheses, `(123.4)`; `-` is no figure yet. The page is read
with the standard library's HTML parser. A page without that table, its `Total` column or any dated
row is a changed shape: a `ChangedAnswer` naming the table, nothing stored, and the brief goes out
without that ETF driver (the live loader leaves a failed source's data out). A page without its end
(`</html>`) is cut short and retried.

Stored per day and column (each fund and the total), once a UTC day, each page in one transaction; only
days before today (UTC) are kept: Farside fills a day's row fund by fund while the US day runs.
`add()` gives `etf_btc`, `etf_eth` and `etf_btc_history` (the same stored bitcoin days: the bundle's
older-history file and its daily file are one Farside series).
"""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser

from reports.core import clock
from reports.core.settings import Settings
from reports.data.sources.coingecko.client import Client
from reports.data.sources.drivers import BTC_ETF, BTC_ETF_HISTORY, ETH_ETF
from reports.data.sources.liveapi import ChangedAnswer, LivePull, pulled_today
from reports.data.sources.livestore import LiveStore
from reports.data.sources.livetext import TextClient, last_weekday, newest, pull_text, values_table, with_driver
from reports.data.validate import RawMarketData

NAME = "farside"
BASE_URL_ENV = "FARSIDE_BASE_URL"
DEFAULT_URL = "https://farside.co.uk"
PATH = "/btc/"
# driver key: (the table's name in an error, recent page, every-day page)
PAGES = {
    "etf_btc": ("the bitcoin ETF flow table", "/btc/", "/bitcoin-etf-flow-all-data/"),
    "etf_eth": ("the ether ETF flow table", "/eth/", "/ethereum-etf-flow-all-data/"),
}
TOTAL = "total_usd_m"


def pull(settings: Settings, client: Client | None = None) -> LivePull:
    """Bring this source's part of the live store up to date (the live registry's entry)."""
    return pull_text(settings, client, BASE_URL_ENV, DEFAULT_URL, _pull)


def _pull(store: LiveStore, client: TextClient) -> LivePull:
    now = clock.now()
    if pulled_today(store.last_pull(NAME), now):
        return LivePull(NAME, (), newest(store, NAME), 0)
    kept = 0
    for key, (table_name, recent, every_day) in PAGES.items():
        stored = store.rows("SELECT 1 FROM driver_values WHERE source = ? AND series = ? LIMIT 1", NAME, f"{key}:{TOTAL}")
        path = recent if stored else every_day
        page = client.get_text(path, {}, lambda text: "</html>" in text.lower())
        values = flows_of(page, table_name, now.date(), path)
        store.save_values(NAME, [(f"{key}:{column}", day, value) for column, day, value in values])
        kept += len(values)
    store.record_pull(NAME, now, clock.now(), len(client.calls))
    return LivePull(NAME, tuple(client.calls), newest(store, NAME), kept)


class _Tables(HTMLParser):
    """Every top-level table of a page as rows of cell texts, with the class of each table. A cell's text is
    everything inside it (Farside wraps figures in `<span>`s); a cell or row left unclosed ends where the
    next one starts, as browsers read it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._depth = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append((dict(attrs).get("class") or "", []))
        elif self._depth == 1 and tag == "tr":
            self._end_cell()
            self.tables[-1][1].append([])
        elif self._depth == 1 and tag in ("td", "th") and self.tables[-1][1]:
            self._end_cell()
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self._depth == 1:
                self._end_cell()
            self._depth = max(0, self._depth - 1)
        elif tag in ("td", "th", "tr"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self.tables and self.tables[-1][1]:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
        self._cell = None


def flows_of(page: str, table_name: str, today: date, path: str = PATH) -> list[tuple[str, date, float]]:
    """(column, day, US$ millions) of every fund and the total on each day before `today`."""
    parser = _Tables()
    parser.feed(page)
    parser.close()
    where = f"GET {path} answer, {table_name}"
    tables = [rows for css, rows in parser.tables if "etf" in css.split()]
    if not tables:
        raise ChangedAnswer(where, "no <table class=\"etf\"> on the page.", BASE_URL_ENV)
    rows = [row for row in tables[0] if row]
    first_day = next((number for number, row in enumerate(rows) if _day(row[0])), len(rows))
    headers = [row for row in rows[:first_day] if row[-1] == "Total"]
    if not headers:
        raise ChangedAnswer(where, "no 'Total' column (a header row whose last cell is Total).", BASE_URL_ENV)
    header = headers[-1]  # the tickers' row (the ether page has the issuers' row above it)
    columns = [f"{ticker}_usd_m" for ticker in header[1:-1]] + [TOTAL]
    values, days = [], 0
    for row in rows[first_day:]:
        day = _day(row[0])
        if day is None:  # the summary rows (Total, Average, ...) or a spacer
            continue
        if len(row) != len(header):
            raise ChangedAnswer(where, f"the row of {row[0]} has {len(row)} cells, the header {len(header)}.", BASE_URL_ENV)
        days += 1
        if day < today:
            values += [(column, day, value) for column, cell in zip(columns, row[1:]) if (value := flow(cell)) is not None]
    if not days:
        raise ChangedAnswer(where, "no dated row (\"06 Feb 2026\") under the header.", BASE_URL_ENV)
    return values


def _day(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d %b %Y").date()
    except ValueError:
        return None


def flow(cell: str) -> float | None:
    """Farside's figure: `1,373.8`, `(123.4)` for an outflow, `-` (or nothing) for no figure."""
    text = cell.replace(",", "").replace("*", "").strip()
    negative = text.startswith("(") and text.endswith(")")
    try:
        value = float(text.strip("()"))
    except ValueError:
        return None
    if value != value or abs(value) > 1e6:
        return None
    return -value if negative else value


def needed_day(day: date) -> date:
    """Dated by US trading days: a week ending on a weekend is complete with its Friday."""
    return last_weekday(day)


def newest_day(store: LiveStore) -> date | None:
    return newest(store, NAME)


def add(store: LiveStore, raw: RawMarketData) -> RawMarketData:
    """The raw data with the stored flows as its ETF drivers (the live registry's entry)."""
    for key, info in (("etf_btc", BTC_ETF), ("etf_eth", ETH_ETF)):
        raw = with_driver(raw, key, values_table(store, (NAME,), key, (TOTAL,)), info)
    return with_driver(raw, "etf_btc_history", values_table(store, (NAME,), "etf_btc", (TOTAL,)), BTC_ETF_HISTORY)
