"""A user's own CSV: built here from real bundled rows, with and without optional columns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import raw_rows, run_cli

ASSETS = {"Bitcoin": "bitcoin", "Ethereum": "ethereum", "Solana": "solana", "Tether": "tether"}


def write_csv(path: Path, first: str, last: str, columns=("date", "asset", "close", "symbol", "name"), rename=None,
              drop_days=()) -> Path:
    """Real CoinGecko snapshot rows for a few assets, in the user-CSV shape."""
    rename = rename or {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in raw_rows("coingecko_top100_daily.csv"):
            if row["name"] in ASSETS and first <= row["date"] <= last and row["date"] not in drop_days:
                values = {"date": row["date"], "asset": ASSETS[row["name"]],  # rename: display names only
                          "close": row["price_usd"], "symbol": row["symbol"], "name": rename.get(row["name"], row["name"]),
                          "rank": row["rank"]}
                writer.writerow([values[column] for column in columns])
    return path


def build(tmp_path: Path, data: Path, *args: str) -> dict:
    result = run_cli("brief", "--source", "csv", "--data", str(data), "--out", str(tmp_path / "out"),
                     "--formats", "json,html", *args)
    assert result.exit_code == 0, result.output
    return json.loads(next((tmp_path / "out").glob("*/brief.json")).read_text())


def test_a_csv_without_ranks_or_market_caps_puts_every_coin_in_the_universe(tmp_path):
    data = build(tmp_path, write_csv(tmp_path / "prices.csv", "2026-01-20", "2026-02-06"), "--week-ending", "2026-02-06")
    assert [a["symbol"] for a in data["assets"]] == ["BTC", "ETH", "SOL"]  # tether is a stablecoin: left out
    btc = next(a for a in data["assets"] if a["symbol"] == "BTC")
    assert round(btc["change_pct"], 1) == -19.9
    assert data["market"]["total_market_cap_usd"] is None and data["fear_greed"] is None
    assert "market_cap" in data["data_quality"]["missing"] and "fear_greed" in data["data_quality"]["missing"]
    text = " ".join(s["text"] for s in data["sections"])
    assert "capitalisation" not in text
    assert "prices.csv" in " ".join(data["attributions"])


def test_the_default_week_of_a_csv_is_its_latest_complete_sunday(tmp_path):
    data = build(tmp_path, write_csv(tmp_path / "prices.csv", "2026-01-20", "2026-02-06"))
    assert data["week"]["end"] == "2026-02-01"


def test_gaps_inside_the_week_are_reported_not_fatal(tmp_path):
    path = write_csv(tmp_path / "gappy.csv", "2026-01-20", "2026-02-06", drop_days=("2026-02-03",))
    data = build(tmp_path, path, "--week-ending", "2026-02-06")
    assert data["data_quality"]["gaps"] == [{"series": "csv", "days": ["2026-02-03"]}]
    notes = next(s for s in data["sections"] if s["id"] == "methodology")["text"]
    assert "no value on Feb 3" in notes


def test_ranks_in_the_file_pick_the_top_of_the_universe(tmp_path):
    path = write_csv(tmp_path / "ranked.csv", "2026-01-20", "2026-02-06", columns=("date", "asset", "close", "symbol", "rank"))
    data = build(tmp_path, path, "--week-ending", "2026-02-06", "--config", str(_toml(tmp_path, "universe_size = 2")))
    assert [a["symbol"] for a in data["assets"]] == ["BTC", "ETH"]


def test_unknown_columns_are_noted_in_the_brief(tmp_path):
    path = tmp_path / "extra.csv"
    write_csv(path, "2026-01-20", "2026-02-06")
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",exchange"] + [line + ",binance" for line in lines[1:]]) + "\n")
    data = build(tmp_path, path, "--week-ending", "2026-02-06")
    assert data["data_quality"]["ignored_columns"] == ["exchange"]


def test_a_coin_name_with_markup_is_shown_as_text(tmp_path):
    evil = '<script>alert("x")</script>'
    path = write_csv(tmp_path / "evil.csv", "2026-01-20", "2026-02-06", rename={"Solana": evil})
    build(tmp_path, path, "--week-ending", "2026-02-06")
    html = next((tmp_path / "out").glob("*/brief.html")).read_text()
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.toml"
    path.write_text(text + "\n")
    return path


def _one_asset(path: Path, name: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "asset", "close"])
        for row in raw_rows("coingecko_top100_daily.csv"):
            if row["name"] == name and "2026-01-20" <= row["date"] <= "2026-02-06":
                writer.writerow([row["date"], name.lower(), row["price_usd"]])
    return path


def test_a_single_coin_builds_a_brief_without_market_wide_claims(tmp_path):
    data = build(tmp_path, _one_asset(tmp_path / "btc.csv", "Bitcoin"), "--week-ending", "2026-02-06")
    assert [(a["symbol"], a["name"]) for a in data["assets"]] == [("BTC", "Bitcoin")]  # from the catalog, by id
    assert data["headline"].startswith("Bitcoin ")
    assert "lowest" not in data["headline"]  # two weeks of history cannot make a "lowest since" headline
    assert data["market"]["breadth"]["total"] == 1


def test_a_file_of_stablecoins_only_is_a_clear_error(tmp_path):
    result = run_cli("brief", "--data", str(_one_asset(tmp_path / "usdt.csv", "Tether")), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "No asset to report on" in result.output and "stablecoin" in result.output
    assert not (tmp_path / "out").exists()
