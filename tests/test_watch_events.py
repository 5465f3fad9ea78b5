"""What to Watch looks forward: the FOMC meetings of the bundled calendar and the user's events
(events.csv, [[events]] in brief.toml), each with its days, and levels with a reason.

Expected dates are read from the raw calendar file with the csv module; expected levels are
computed here from the raw Binance candles, never taken from the program's output.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import raw_rows, run_cli

WINDOW = timedelta(days=42)  # six weeks after the week's end, as the brief says in its method


def build(tmp_path: Path, week: str, *extra: str) -> dict:
    out = tmp_path / "out"
    result = run_cli("brief", "--week-ending", week, "--out", str(out), "--formats", "md,json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads((out / week / "brief.json").read_text(encoding="utf-8"))


def watch(doc: dict) -> list[dict]:
    section = next(s for s in doc["sections"] if s["id"] == "what-to-watch")
    return [item for block in section["blocks"] if block["type"] == "bullets" for item in block["items"]]


def meetings() -> list[tuple[date, date]]:
    return [(date.fromisoformat(r["first_day"]), date.fromisoformat(r["statement_day"]))
            for r in raw_rows("fomc_calendar_2025_2026.csv")]


def test_week_ending_march_15_names_the_fomc_meeting_of_march_17_18(tmp_path):
    end = date(2026, 3, 15)
    first, statement = min(m for m in meetings() if m[0] > end)  # from the raw calendar
    assert (first, statement) == (date(2026, 3, 17), date(2026, 3, 18))
    doc = build(tmp_path, end.isoformat())
    fomc = [item for item in watch(doc) if "FOMC" in item["text"]]
    assert len(fomc) == 1
    text = fomc[0]["text"]
    assert "Mar 17" in text and "18" in text and text.startswith("Next week")
    key = f"events.fomc-{first.isoformat()}"
    assert {f"{key}.day", f"{key}.end"} <= set(fomc[0]["sentences"][0]["facts"])
    assert doc["facts"][f"{key}.day"] == first.isoformat() and doc["facts"][f"{key}.end"] == statement.isoformat()
    assert [(e["id"], e["day"], e["end"]) for e in doc["events"]] == [(f"fomc-{first}", str(first), str(statement))]
    md = (tmp_path / "out" / end.isoformat() / "brief.md").read_text(encoding="utf-8")
    assert "FOMC meeting, Mar 17 – 18" in md.replace("\u2009", " ")


def test_a_week_whose_next_fomc_is_beyond_the_window_says_nothing_about_it(tmp_path):
    end = date(2026, 2, 1)
    assert not [m for m in meetings() if m[1] > end and m[0] <= end + WINDOW]  # Jan 27-28, then Mar 17-18
    doc = build(tmp_path, end.isoformat())
    assert not any("FOMC" in item["text"] or "Federal Reserve" in item["text"] for item in watch(doc))
    assert doc["events"] == []


def test_an_events_file_event_appears_with_its_date(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("date,end,title,url,assets\n"
                      "2026-03-20,,Token unlock of Example,https://example.com/unlock,solana\n"
                      "2026-03-24,2026-03-26,Example conference,,\n"
                      "2026-06-01,,Too far ahead,,\n", encoding="utf-8")
    doc = build(tmp_path, "2026-03-15", "--events", str(events))
    texts = [item["text"].replace("\u2009", " ") for item in watch(doc)]
    assert "Next week: Token unlock of Example, Mar 20 (https://example.com/unlock)." in texts
    assert "Ahead: Example conference, Mar 24 – 26." in texts
    assert not any("Too far ahead" in text for text in texts)
    assert [e["title"] for e in doc["events"]] == ["FOMC meeting", "Token unlock of Example", "Example conference"]
    check = run_cli("check", str(tmp_path / "out" / "2026-03-15" / "brief.json"))
    assert check.exit_code == 0, check.output


def test_events_tables_in_the_settings_appear(tmp_path):
    config = tmp_path / "brief.toml"
    config.write_text('[[events]]\ndate = 2026-03-19\ntitle = "US jobless claims"\n', encoding="utf-8")
    doc = build(tmp_path, "2026-03-15", "--config", str(config))
    assert "Next week: US jobless claims, Mar 19." in [item["text"] for item in watch(doc)]


@pytest.mark.parametrize("rows, line, column, words", [
    ("date,title\n2026-03-20,Fine\n2026-13-01,Bad month\n", 3, 1, "is not a date"),
    ("date,title,url\n2026-03-20,Unlock,javascript:alert(1)\n", 2, 3, "not usable"),
    ("date,end,title\n2026-03-20,2026-03-19,Backwards\n", 2, 2, "ends"),
    ("date,title,assets\n2026-03-20,Unlock,Not An Id\n", 2, 3, "not an asset id"),
    ("date,title,when\n2026-03-20,Unlock,soon\n", 1, 3, "not a column"),
    ("date,title\n2026-03-20,two\tparts\n", 2, 2, "control character"),
    ("date,title\n2026-03-20,\n", 2, 2, "empty"),
])
def test_bad_events_rows_are_exit_2_naming_line_and_column_and_nothing_is_written(tmp_path, rows, line, column, words):
    events = tmp_path / "events.csv"
    events.write_text(rows, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched", encoding="utf-8")
    result = run_cli("brief", "--week-ending", "2026-03-15", "--out", str(out), "--formats", "json",
                     "--events", str(events))
    assert result.exit_code == 2
    assert f"{events}, line {line}, column {column}" in result.output and words in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_levels_have_their_reason_the_weeks_intraday_low_and_the_prior_ranges_floor(tmp_path):
    """The sell-off week to Feb 6, 2026: bitcoin's lowest trade and the floor of the 90 days before the week."""
    end = date(2026, 2, 6)
    start, base = end - timedelta(days=6), end - timedelta(days=7)
    rows = [r for r in raw_rows("binance_spot_daily_ohlcv.csv") if r["symbol"] == "BTC"]
    week = [r for r in rows if start.isoformat() <= r["date"] <= end.isoformat()]
    low = min(week, key=lambda r: float(r["low"]))
    before = [r for r in rows if (base - timedelta(days=89)).isoformat() <= r["date"] <= base.isoformat()]
    floor = min(before, key=lambda r: float(r["close"]))
    doc = build(tmp_path, end.isoformat())
    item = next(i for i in watch(doc) if i["text"].startswith("Bitcoin:"))
    facts = doc["facts"]
    assert facts["assets.bitcoin.intraday_low"] == float(low["low"]) and facts["assets.bitcoin.intraday_low_day"] == low["date"]
    assert facts["prior_ranges.bitcoin.low"] == float(floor["close"]) and facts["prior_ranges.bitcoin.low_day"] == floor["date"]
    cited = set(item["sentences"][0]["facts"])
    assert {"assets.bitcoin.intraday_low", "assets.bitcoin.intraday_low_day", "prior_ranges.bitcoin.days"} <= cited
    assert f"${float(low['low']):,.0f}" in item["text"] and "the week's lowest trade" in item["text"]
    assert float(low["low"]) < float(floor["close"])
    assert f"${float(floor['close']):,.0f}" in item["text"]
    if floor["date"] == base.isoformat():  # the week started at the floor of the 90 days before it
        assert "the fall started from" in item["text"] and "already the lowest of the 90 days before the week" in item["text"]
    else:
        assert "broke below" in item["text"] and "prior_ranges.bitcoin.low" in cited


def test_an_asset_brief_lists_the_events_of_its_asset_and_of_the_whole_market(tmp_path, bundled_data):
    from reports.core.settings import load_settings
    from reports.facts.asset import compute_asset_facts
    from reports.facts.week import Week

    events = tmp_path / "events.csv"
    events.write_text("date,title,assets\n2026-02-10,Ether upgrade,ethereum\n2026-02-11,Solana unlock,solana\n"
                      "2026-02-12,US CPI release,\n", encoding="utf-8")
    settings = load_settings(flags={"week_ending": date(2026, 2, 6), "events_file": events})
    titles = [e.title for e in compute_asset_facts(bundled_data, Week(date(2026, 2, 6)), "ethereum", settings).events]
    assert titles == ["Ether upgrade", "US CPI release", "FOMC meeting"]


def test_a_bad_events_table_in_the_settings_is_exit_2_naming_its_line(tmp_path):
    config = tmp_path / "brief.toml"
    config.write_text('week_ends_on = "sunday"\n[[events]]\ndate = 2026-03-19\ntitle = "Unlock"\nurl = "javascript:alert(1)"\n',
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("brief", "--week-ending", "2026-03-15", "--out", str(out), "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}, line 2: setting 'events' item 1, url is invalid" in result.output and not out.exists()
