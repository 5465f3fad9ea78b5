"""The drivers' files as a user gives them (beside a price CSV), bad driver files, and the checker's causal rule."""

from __future__ import annotations

import copy
import csv
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import DATA, SELL_OFF, build_story, raw_rows, run_cli
from reports import document
from reports.check.document import story_document
from reports.check.report import check
from reports.check.rules import causal_claims
from reports.core.errors import InputError
from reports.core.settings import load_settings
from reports.data.sources import drivers as driver_files
from reports.data.validate import validate

DRIVER_FILES = ("farside_btc_etf_flows_daily.csv", "farside_eth_etf_flows_daily.csv", "btc_etf_net_flows_farside.csv",
                "stablecoin_marketcap_daily.csv", "cross_asset_daily.csv")
NAMES = {"Bitcoin": "bitcoin", "Ethereum": "ethereum", "Solana": "solana"}


def _prices(folder: Path) -> Path:
    """A user's price file: real CoinGecko snapshot rows of three coins, Jan 20 to Feb 6, 2026."""
    path = folder / "prices.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("date", "asset", "close", "symbol"))
        for row in raw_rows("coingecko_top100_daily.csv"):
            if row["name"] in NAMES and "2026-01-20" <= row["date"] <= "2026-02-06":
                writer.writerow((row["date"], NAMES[row["name"]], row["price_usd"], row["symbol"]))
    return path


def _build(folder: Path) -> tuple[object, dict]:
    result = run_cli("brief", "--source", "csv", "--data", str(folder / "prices.csv"), "--out", str(folder / "out"),
                     "--formats", "json,md", "--week-ending", SELL_OFF.isoformat())
    return result, (json.loads((folder / "out" / SELL_OFF.isoformat() / "brief.json").read_text())
                    if result.exit_code == 0 else {})


def test_driver_files_beside_a_users_prices_are_read(tmp_path):
    _prices(tmp_path)
    for name in DRIVER_FILES:
        shutil.copyfile(DATA / name, tmp_path / name)
    result, doc = _build(tmp_path)
    assert result.exit_code == 0, result.output
    btc = next(flow for flow in doc["drivers"]["etf"] if flow["asset"] == "bitcoin")
    week = [row for row in raw_rows("farside_btc_etf_flows_daily.csv") if "2026-01-31" <= row["date"] <= "2026-02-06"]
    assert btc["trading_days"] == len(week) == 5
    assert btc["total_usd"] == pytest.approx(sum(float(row["total_usd_m"]) for row in week) * 1e6, abs=1)
    assert any(section["id"] == "drivers" and "US spot bitcoin ETFs saw net outflows" in section["text"]
               for section in doc["sections"])


def test_without_driver_files_the_drivers_are_left_out_and_the_notes_say_so(tmp_path):
    _prices(tmp_path)
    result, doc = _build(tmp_path)
    assert result.exit_code == 0, result.output
    assert doc["drivers"]["etf"] == [] and doc["drivers"]["markets"] == []
    notes = next(section["text"] for section in doc["sections"] if section["id"] == "methodology")
    assert "The drivers section leaves out US spot bitcoin ETF flows" in notes and "the data has no file for them" in notes


def test_a_week_with_no_etf_trading_day_leaves_the_flows_out(tmp_path):
    """The real file with the week's five trading days taken out: its dates still cover the week."""
    _prices(tmp_path)
    source = (DATA / "farside_btc_etf_flows_daily.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in source if not "2026-01-31" <= line[:10] <= "2026-02-06"]
    assert len(source) - len(kept) == 5
    (tmp_path / "farside_btc_etf_flows_daily.csv").write_text("".join(kept), encoding="utf-8")
    result, doc = _build(tmp_path)
    assert result.exit_code == 0, result.output
    assert doc["drivers"]["etf"] == []
    notes = next(section["text"] for section in doc["sections"] if section["id"] == "methodology")
    assert "leaves out US spot bitcoin ETF flows: the files have no trading day in the week" in notes


@pytest.mark.parametrize("name, line_number, cell, column, number", [
    ("farside_btc_etf_flows_daily.csv", 3, "12x.5", "total_usd_m", 14),
    ("cross_asset_daily.csv", 4, "-3", "qqq_close", 3),
    ("stablecoin_marketcap_daily.csv", 2, "lots", "usdc_mcap_usd", 4),
])
def test_a_bad_driver_cell_is_named_by_file_line_and_column(tmp_path, name, line_number, cell, column, number):
    _prices(tmp_path)
    lines = (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    assert header.index(column) + 1 == number  # counted by hand from the header
    cells = lines[line_number - 1].rstrip("\n").split(",")
    cells[number - 1] = cell
    lines[line_number - 1] = ",".join(cells) + "\n"
    (tmp_path / name).write_text("".join(lines), encoding="utf-8")
    result, _ = _build(tmp_path)
    assert result.exit_code == 2
    assert f"{name}, line {line_number}, column {number} ({column})" in result.output, result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("brief.*"))


def test_a_bad_date_in_farsides_history_file_is_named_by_line(tmp_path):
    lines = (DATA / "btc_etf_net_flows_farside.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("12 Jan 2024")
    lines[2] = lines[2].replace("12 Jan 2024", "12 Jnu 2024")
    (tmp_path / "btc_etf_net_flows_farside.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        validate(_raw_with(tmp_path))
    assert "btc_etf_net_flows_farside.csv, line 3, column 1 (Date)" in str(raised.value)
    assert "'12 Jnu 2024' is not a date" in str(raised.value)


def _raw_with(folder: Path):
    from reports.data.sources import bundled

    raw = bundled.load()
    return type(raw)(**{**raw.__dict__, "drivers": driver_files.load(folder)})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=",\"\r\n"), max_size=12))
def test_any_flow_cell_is_a_number_or_a_clear_error(tmp_path_factory, cell):
    folder = tmp_path_factory.mktemp("flows")
    (folder / "farside_eth_etf_flows_daily.csv").write_text(f"date,total_usd_m\n2026-02-02,{cell}\n", encoding="utf-8")
    try:
        value = float(cell.strip())
    except ValueError:
        value = None
    try:
        data = validate(_raw_with(folder))
    except InputError as error:
        assert "farside_eth_etf_flows_daily.csv, line 2" in str(error)
        return
    assert value is not None and abs(value) <= 1e7
    assert data.drivers["etf_eth"].frame["total_usd_m"].iloc[0] == pytest.approx(value)


# --- the checker refuses causal wording --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sell_off_doc(bundled_data):
    story = build_story(bundled_data, SELL_OFF)
    return document.plain_json(story_document(story, load_settings(flags={"week_ending": SELL_OFF})))


@pytest.mark.parametrize("words", ["because of", "due to", "driven by", "caused by"])
def test_causal_wording_in_generated_prose_is_refused(sell_off_doc, words):
    doc = copy.deepcopy(sell_off_doc)
    section = next(section for section in doc["sections"] if section["id"] == "drivers")
    sentence = next(s for block in section["blocks"] if block["type"] == "paragraph" for s in block["sentences"]
                    if ", as bitcoin fell" in s["text"])
    sentence["text"] = sentence["text"].replace(", as bitcoin fell", f", {words} bitcoin's fall; bitcoin fell")
    failures = check(document.parse(doc)).failures
    assert [failure.reason for failure in failures if "causal" in failure.reason] == \
        [f"causal wording {words.split()[0] if words == 'because of' else words!r}: the data shows association, not cause; "
         "say \"coincided with\", \"alongside\" or \"as\""]
    assert check(document.parse(sell_off_doc)).ok


def test_words_of_association_pass_and_cells_are_checked_too(sell_off_doc):
    assert causal_claims("Bitcoin fell as ETFs saw outflows, alongside stocks; it coincided with a weaker dollar") == []
    assert causal_claims("Prices fell, Because of outflows") != []
    doc = copy.deepcopy(sell_off_doc)
    table = next(block for section in doc["sections"] if section["id"] == "drivers" for block in section["blocks"]
                 if block["type"] == "table")
    table["rows"][0][2]["text"] = "Selling driven by fund investors"
    assert any("causal wording 'driven by'" in failure.reason for failure in check(document.parse(doc)).failures)
