"""The bundled dataset: byte-for-byte copies with provenance, and a catalog that covers every asset."""

from __future__ import annotations

import csv
import hashlib

from conftest import DATA, raw_rows

KINDS = {"coin", "stablecoin", "derivative", "tokenized"}


def test_every_bundled_file_matches_its_recorded_checksum():
    lines = (DATA / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12  # the six market files, the FOMC calendar and the five of the drivers section
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


def test_data_file_names_each_source_its_time_of_day_and_licence():
    text = (DATA / "DATA.md").read_text(encoding="utf-8")
    for line in (DATA / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        assert f"`{line.split('  ')[1]}`" in text
    for needle in ("CC BY-NC 4.0", "Data provided by CoinGecko", "Alternative.me", "12:00 UTC", "00:00 UTC"):
        assert needle in text


def test_catalog_covers_every_name_in_the_coingecko_archive():
    with (DATA / "assets.csv").open(newline="", encoding="utf-8") as handle:
        catalog = list(csv.DictReader(handle))
    by_name = {row["source_name"]: row for row in catalog}
    names = {(row["name"], row["symbol"]) for row in raw_rows("coingecko_top100_daily.csv")}
    assert {name for name, _ in names} <= by_name.keys()
    assert {row["kind"] for row in catalog} <= KINDS
    # Spot checks a reader can verify by eye.
    assert by_name["Tether"]["kind"] == "stablecoin"
    assert by_name["Wrapped Bitcoin"]["kind"] == "derivative"
    assert by_name["Figure Heloc"]["kind"] == "tokenized"
    assert by_name["Bitcoin"]["asset"] == "bitcoin" and by_name["Bitcoin"]["kind"] == "coin"
    assert by_name["\u200b\u200bStable"]["name"] == "Stable"  # the archived name carries zero-width spaces


def test_each_catalog_id_names_one_asset_only():
    """Two archive names share an id only when they are the same coin renamed."""
    with (DATA / "assets.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ids: dict[str, set[str]] = {}
    for row in rows:
        ids.setdefault(row["asset"], set()).add(row["name"])
    assert all(len(names) == 1 for names in ids.values())
