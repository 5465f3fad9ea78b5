"""The driver sources (Farside's ETF flow pages, DefiLlama's stablecoin charts, Stooq's and FRED's CSV
downloads) against real HTTP stand-ins on 127.0.0.1 that answer in the real formats with the bundled
files' values: what a pull stores, the failure matrix (429, 500, timeout, a cut or garbled answer, a
changed shape, kill -9 mid-pull), and that any page or CSV is read or refused, never a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime

import pytest
from hypothesis import example, given, settings as examples, strategies as st
from conftest import ROOT, raw_rows
from live_servers_drivers import ANSWERS, FARSIDE_BASE, farside_cell, farside_page, serve_drivers
from test_live_sources import DRIVERS, JSON, NOON_FEB_10, Waits, calls_to, client, live, settings  # noqa: F401 (live: the fixture)
from werkzeug import Response

from reports.data.sources import crossasset, defillama, farside
from reports.data.sources.coingecko.client import ApiError
from reports.data.sources.liveapi import ChangedAnswer
from reports.data.sources.livestore import LiveStore
from reports.data.raw import LINE
from reports.data.validate import RawMarketData

TODAY = date(2026, 2, 9)


def values(data_dir) -> list[tuple]:
    with LiveStore.at(data_dir) as store:
        return store.rows("SELECT source, series, day, value FROM driver_values ORDER BY source, series, day")


def added(data_dir) -> dict[str, dict[str, dict[str, str]]]:
    """What add() gives, as {driver key: {column: {day: cell}}} (empty cells left out)."""
    raw = RawMarketData(prices=None, catalog=None)  # type: ignore[arg-type]  # add() touches only the drivers
    with LiveStore.at(data_dir) as store:
        for name in DRIVERS:
            raw = DRIVERS[name][0].add(store, raw)
    return {key: {column: {day: cell for day, cell in zip(series.table.frame["date"], series.table.frame[column]) if cell}
                  for column in series.table.frame.columns if column not in ("date", LINE)}
            for key, series in raw.drivers.items()}


def bundled(name: str, column: str, date_column: str = "date") -> dict[str, float]:
    return {row[date_column]: float(row[column].replace(",", "")) for row in raw_rows(name) if row[column]}


# --- a first pull: the bundled files' values, in their columns -------------------------------------


def test_a_first_pull_gives_the_bundled_drivers_tables_with_their_values(live):
    for name in DRIVERS:
        report = DRIVERS[name][0].pull(settings())
        assert report.kept > 0 and report.newest is not None and report.newest <= TODAY  # DefiLlama: today's 00:00 UTC point
    tables = added(settings().data_dir)
    assert set(tables) == {"etf_btc", "etf_eth", "etf_btc_history", "stablecoins", "cross_asset"}

    def numbers(cells: dict[str, str]) -> dict[str, float]:
        return {day: float(cell) for day, cell in cells.items()}

    btc = bundled("farside_btc_etf_flows_daily.csv", "total_usd_m")
    history = {datetime.strptime(row["Date"], "%d %b %Y").date().isoformat(): float(row["Total"].replace(",", ""))
               for row in raw_rows("btc_etf_net_flows_farside.csv") if row["Date"][0].isdigit()}  # summary rows skipped
    older = {day: value for day, value in history.items() if day < min(btc)}  # the all-data page reaches back with these
    expected_btc = {**older, **{day: value for day, value in btc.items() if day < TODAY.isoformat()}}
    assert numbers(tables["etf_btc"]["total_usd_m"]) == expected_btc
    assert tables["etf_btc_history"] == tables["etf_btc"]  # one Farside series
    eth = bundled("farside_eth_etf_flows_daily.csv", "total_usd_m")
    assert numbers(tables["etf_eth"]["total_usd_m"]) == {day: value for day, value in eth.items() if day < TODAY.isoformat()}
    for column in ("usdt_mcap_usd", "usdc_mcap_usd"):
        file = bundled("stablecoin_marketcap_daily.csv", column)
        assert numbers(tables["stablecoins"][column]) == {day: value for day, value in file.items() if day <= TODAY.isoformat()}
    assert tables["stablecoins"]["top10_listed_sum_usd"] == {}  # DefiLlama's total is not the ten largest: left empty
    for column in crossasset.COLUMNS:
        file = bundled("cross_asset_daily.csv", column)
        assert numbers(tables["cross_asset"][column]) == {day: value for day, value in file.items() if day < TODAY.isoformat()}


def test_farside_reads_parentheses_as_outflows_and_dashes_as_no_figure():
    assert [farside.flow(cell) for cell in ("1,373.8", "(123.4)", "-", "", "0.0", "9,199*")] == [1373.8, -123.4, None, None, 0.0, 9199.0]
    page = farside_page("eth", every_day=False)
    flows = farside.flows_of(page, "the ether ETF flow table", TODAY)
    assert ("total_usd_m", date(2026, 2, 6), bundled("farside_eth_etf_flows_daily.csv", "total_usd_m")["2026-02-06"]) in flows
    assert all(day < TODAY for _, day, _ in flows)  # today's row ("-" while the US day runs) is not kept


def test_farside_reads_its_real_layout_spans_several_header_rows_and_unclosed_rows():
    """The layout scrapers of farside.co.uk describe: issuers, tickers (ending in Total) and fee rows in the
    head, figures in `<span class="tabletext">`, outflows in `<span class="redFont">`, rows left unclosed.
    IBIT's, FBTC's and the total's figures of Feb 5 and 6 from the bundled file (the other funds' columns
    are left out of this small table; a cell of no figure is `-`)."""
    rows = {row["date"]: row for row in raw_rows("farside_btc_etf_flows_daily.csv")}
    feb5, feb6 = rows["2026-02-05"], rows["2026-02-06"]
    red = lambda text: f'<span class="tabletext"><span class="redFont">{farside_cell(text)}</span></span>'  # noqa: E731
    page = ('<html><body><table class="etf"><thead>'
            "<tr><th></th><th>Blackrock</th><th>Fidelity</th><th></th><th></th>"
            "<tr><th></th><th>IBIT</th><th>FBTC</th><th>GBTC</th><th>Total</th>"
            "<tr><th>Fee</th><th>0.25%</th><th>0.25%</th><th>1.50%</th><th></th></thead><tbody>"
            f'<tr><td><span class="tabletext">05 Feb 2026</span></td><td>{red(feb5["IBIT_usd_m"])}</td>'
            f'<td>{red(feb5["FBTC_usd_m"])}<td>-<td>{red(feb5["total_usd_m"])}'
            f'<tr><td>06 Feb 2026<td>{farside_cell(feb6["IBIT_usd_m"])}<td>{farside_cell(feb6["FBTC_usd_m"])}<td>-'
            f'<td>{farside_cell(feb6["total_usd_m"])}</tr>'
            "<tr><td>Total<td><td><td><td></tr></tbody></table></body></html>")
    assert farside.flows_of(page, "the bitcoin ETF flow table", TODAY) == [
        (column, date.fromisoformat(row["date"]), float(row[column])) for row in (feb5, feb6)
        for column in ("IBIT_usd_m", "FBTC_usd_m", "total_usd_m")]


@pytest.mark.parametrize("name", DRIVERS)
def test_a_second_run_the_same_day_makes_no_calls_and_the_next_day_asks_only_for_recent_days(live, monkeypatch, name):
    module, path = DRIVERS[name]
    first = module.pull(settings())
    before = len(live.log)
    again = module.pull(settings())
    assert len(live.log) == before and again.calls == ()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_10)
    later = module.pull(settings())
    assert len(later.calls) == len(first.calls)  # one answer per page, coin or series, once a day
    assert later.newest == (date(2026, 2, 10) if module is defillama else date(2026, 2, 9))
    if module is farside:  # the recent pages, not the whole history again
        assert later.calls == ("/btc/", "/eth/") and first.calls == ("/bitcoin-etf-flow-all-data/", "/ethereum-etf-flow-all-data/")
    if name in ("stooq", "fred"):  # from the newest stored day less the overlap
        assert later.kept <= len(later.calls) * (crossasset.OVERLAP_DAYS + 2) < first.kept


# --- failures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DRIVERS)
def test_429_with_retry_after_is_honoured_then_the_pull_completes(live, name):
    module, path = DRIVERS[name]
    live.expect_oneshot_request(path).respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    waits = Waits()
    report = module.pull(settings(), client(module, waits))
    assert waits.seconds == [7.0] and report.newest is not None


@pytest.mark.parametrize("name", DRIVERS)
def test_500_is_retried_and_a_persistent_one_gives_up_naming_the_endpoint_with_nothing_stored(live, name):
    module, path = DRIVERS[name]
    live.expect_oneshot_request(path).respond_with_data("oops", status=500)
    assert module.pull(settings(), client(module)).newest is not None
    data_dir = settings().data_dir / "other"
    for _ in range(3):
        live.expect_oneshot_request(path).respond_with_data("oops", status=500)
    first = path.split("/", 2)[2]
    with pytest.raises(ApiError, match=rf"GET /{first}: HTTP 500 .* gave up after 3 attempts"):
        module.pull(settings(data_dir=data_dir), client(module, attempts=3))
    assert values(data_dir) == []


@pytest.mark.parametrize("name", DRIVERS)
def test_a_timeout_is_retried(live, name):
    module, path = DRIVERS[name]

    def slow(request):
        time.sleep(1.0)
        return Response("{}", status=200)

    live.expect_oneshot_request(path).respond_with_handler(slow)
    waits = Waits()
    report = module.pull(settings(), client(module, waits, timeout=0.3))
    assert waits.seconds and report.newest is not None


CUT = {
    "farside": [farside_page("btc", every_day=True)[:5000], "<html><body>Bad gateway"],
    "defillama": ['[{"date": "1770163200", "totalCirc', "<html>Bad gateway</html>"],
    "stooq": ["Date,Open,High,Low,Close,Volume\r\n2026-02-06,,,,690.6", "Exceeded the daily hits limit"],
    "fred": ["observation_date,DGS10\n2026-02-06,4.2", "<html>Bad gateway</html>\n"],
}


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("name", DRIVERS)
def test_a_cut_or_garbled_answer_is_retried_then_named_with_nothing_stored(live, name, which):
    module, path = DRIVERS[name]
    body = CUT[name][which]
    for _ in range(2):
        live.expect_oneshot_request(path).respond_with_data(body, content_type="text/html")
    reason = "not valid JSON" if module is defillama else "cut short or not the document asked for"
    with pytest.raises(ApiError, match=rf"GET /{path.split('/', 2)[2]}: the answer is {reason} .* gave up after 2 attempts"):
        module.pull(settings(), client(module, attempts=2))
    assert values(settings().data_dir) == []
    live.expect_oneshot_request(path).respond_with_data(body, content_type="text/html")
    assert module.pull(settings(), client(module, attempts=2)).newest is not None  # the next answer is good


CHANGED = {
    "farside": [(farside_page("btc", True, table=False), "the bitcoin ETF flow table: no <table class=\"etf\">"),
                (farside_page("btc", True, total=False), "the bitcoin ETF flow table: no 'Total' column"),
                ('<html><table class="etf"><tr><th>Date</th><th>IBIT</th><th>Total</th></tr>'
                 "<tr><td>06 Feb 2026</td><td>1.0</td></tr></table></html>", "has 2 cells, the header 3"),
                ('<html><table class="etf"><tr><th>Date</th><th>Total</th></tr><tr><td>Feb 6</td><td>1</td></tr></table></html>',
                 "no dated row")],
    "defillama": [('{"peggedAssets": []}', "not a list of daily records"),
                  ('[{"date": "1770163200"}]', "record 1 of 1"),
                  ('[{"date": "1770163201", "totalCirculatingUSD": {"peggedUSD": 1}}]', "at 00:00 UTC")],
    "stooq": [("Date,Open,High,Low,Last,Volume\r\n2026-02-06,,,,1,\r\n", "no Date/Close columns"),
              ("Date,Close\r\nFeb 6 2026,1\r\n", "line 2.*not a day")],
    "fred": [("observation_date,VALUE\n2026-02-06,4.2\n", "no observation_date/DGS10 or DATE/DGS10 columns")],
}


@pytest.mark.parametrize("name", DRIVERS)
def test_a_changed_shape_is_a_clear_error_exit_2_naming_the_table_with_nothing_stored(live, name):
    module, path = DRIVERS[name]
    for body, message in CHANGED[name]:
        live.expect_oneshot_request(path).respond_with_data(body, content_type="text/html")
        with pytest.raises(ChangedAnswer, match=rf"GET .* answer.*{message}.*{module.BASE_URL_ENV}") as caught:
            module.pull(settings(), client(module))
        assert caught.value.exit_code == 2
        assert values(settings().data_dir) == []


# --- kill -9 mid-pull ------------------------------------------------------------------------------

PULL = "import os; from reports.core.settings import load_settings; import reports.data.sources.{} as m; m.pull(load_settings(env=os.environ))"
# where each source's pull is stalled: its second answer (the ether page; USDC; QQQ; the 2-year yield)
SECOND = {"farside": (f"{FARSIDE_BASE}/ethereum-etf-flow-all-data/", 1), "defillama": (None, 2), "stooq": (None, 2), "fred": (None, 2)}


@pytest.mark.parametrize("name", DRIVERS)
def test_kill_9_mid_pull_leaves_the_store_consistent_and_the_next_pull_completes(live, tmp_path, name):
    module, path = DRIVERS[name]
    stalled, nth = SECOND[name]
    reached, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def stall(request):
        seen.append(request.full_path)
        if len(seen) < nth:
            return ANSWERS[name](request)
        reached.set()
        release.wait(20)
        return Response("", status=503)

    live.clear()
    live.expect_request(stalled or path).respond_with_handler(stall)
    serve_drivers(live)
    env = {**os.environ, "BRIEF_DATA_DIR": str(tmp_path / "killed"), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", PULL.format(module.__name__.rsplit(".", 1)[1])], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reached.wait(30), process.communicate(timeout=5)
        time.sleep(0.3)  # the first answer's transaction is committed before the second is asked for
        process.send_signal(signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL
    finally:
        release.set()
        process.kill()
    with LiveStore.at(tmp_path / "killed") as store:
        assert store.rows("PRAGMA integrity_check") == [("ok",)]
        assert store.last_pull(name) is None  # the killed pull recorded nothing as done
    partial = values(tmp_path / "killed")
    live.clear()
    serve_drivers(live)
    module.pull(settings(data_dir=tmp_path / "clean"))
    clean = values(tmp_path / "clean")
    first = {series for _, series, _, _ in partial}
    assert (all(series.startswith("etf_btc:") for series in first) if name == "farside" else len(first) == 1)  # the first answer, whole
    assert set(partial) < set(clean)
    module.pull(settings(data_dir=tmp_path / "killed"))
    assert values(tmp_path / "killed") == clean


# --- hostile answers --------------------------------------------------------------------------------

CELL = st.text(alphabet="0123456789,.()-* abcFebTotal<>/", max_size=14)
ROW = st.lists(CELL, min_size=0, max_size=5)


@examples(max_examples=200, deadline=None)
@given(header=ROW, rows=st.lists(ROW, max_size=5), dated=st.lists(st.dates(date(2024, 1, 1), date(2026, 3, 1)), max_size=3))
def test_any_flow_table_is_read_or_refused_as_a_changed_answer_never_a_crash(header, rows, dated):
    cells = [["Date", *header], *rows, *([day.strftime("%d %b %Y"), *row] for day, row in zip(dated, rows))]
    page = '<html><table class="etf">' + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in cells) + "</table></html>"
    try:
        flows = farside.flows_of(page, "the bitcoin ETF flow table", TODAY)
    except ChangedAnswer as error:
        assert error.exit_code == 2
        return
    assert all(day < TODAY and abs(value) <= 1e6 for _, day, value in flows)


@examples(max_examples=200, deadline=None)
@given(text=st.text(alphabet="Date,Close\r\n0123456789-.:xobservation_", max_size=80))
def test_any_csv_is_read_or_refused_as_a_changed_answer_never_a_crash(text):
    for header in (("Date", "Close"),), (("observation_date", "{symbol}"), ("DATE", "{symbol}")):
        try:
            rows = crossasset.closes_of(text, "GET x answer", "X_BASE_URL", header, "DGS10", TODAY)
        except ChangedAnswer as error:
            assert error.exit_code == 2
            continue
        assert all(day < TODAY and value > 0 for day, value in rows)


RECORD = st.fixed_dictionaries({}, optional={"date": JSON | st.integers(-10**6, 10**7).map(lambda days: str(days * 86400)),
                                             "totalCirculatingUSD": JSON | st.fixed_dictionaries({"peggedUSD": JSON})})


@examples(max_examples=300, deadline=None)
@given(answer=JSON | st.lists(RECORD | JSON, max_size=5))
@example(answer=[{"date": str(-10**6 * 86400), "totalCirculatingUSD": {"peggedUSD": 1}}])  # the year -768: refused, not a crash
def test_any_stablecoin_answer_is_read_or_refused_as_a_changed_answer_never_a_crash(answer):
    try:
        rows = defillama.supply_of(answer, TODAY)
    except ChangedAnswer as error:
        assert error.exit_code == 2
        return
    assert all(day <= TODAY and value > 0 for day, value in rows)


@pytest.mark.parametrize("name", ["farside", "stooq", "fred"])
def test_a_refusal_names_the_address_to_change_not_a_key(live, name):
    module, path = DRIVERS[name]
    live.expect_oneshot_request(path).respond_with_data("Attention Required! | Cloudflare", status=403)
    with pytest.raises(ApiError, match=rf"HTTP 403 .* it takes no key\. Check {module.BASE_URL_ENV}") as caught:
        module.pull(settings())
    assert "COINGECKO" not in str(caught.value)
