"""A user's CSV with daily candles: optional open, high and low beside close, checked like every other
cell (file, line, column, what is wrong, what to do; exit 2), and used for the week's intraday range.

The rows are real Binance BTCUSDT daily candles (reports/data/bundle/binance_spot_daily_ohlcv.csv)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import raw_rows
from test_bad_input import assert_rejected, brief, write

HEADER = "date,asset,open,high,low,close"  # columns 1..6
DAYS = ("2026-01-28", "2026-01-29", "2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02", "2026-02-03",
        "2026-02-04", "2026-02-05", "2026-02-06")


def _rows() -> list[str]:
    found = []
    for row in raw_rows("binance_spot_daily_ohlcv.csv"):
        if row["symbol"] == "BTC" and row["date"] in DAYS:
            found.append(f"{row['date']},bitcoin,{row['open']},{row['high']},{row['low']},{row['close']}")
    assert len(found) == len(DAYS)
    return found


def _file(replace: dict[int, str] | None = None) -> str:
    rows = _rows()
    for index, text in (replace or {}).items():
        rows[index] = text
    return "\n".join((HEADER, *rows)) + "\n"


def test_a_candle_file_builds_with_the_intraday_low_and_high(tmp_path):
    data = write(tmp_path / "candles.csv", _file())
    out = tmp_path / "out"
    result = brief(data, out, "--week-ending", "2026-02-06", "--formats", "json")
    assert result.exit_code == 0, result.output
    facts = json.loads((out / "2026-02-06" / "brief.json").read_text(encoding="utf-8"))["facts"]
    week = [row for row in raw_rows("binance_spot_daily_ohlcv.csv") if row["symbol"] == "BTC" and "2026-01-31" <= row["date"] <= "2026-02-06"]
    assert facts["assets.bitcoin.intraday_low"] == min(float(row["low"]) for row in week) == 60000.0
    assert facts["assets.bitcoin.intraday_high"] == max(float(row["high"]) for row in week)


def test_the_candle_columns_may_be_left_empty(tmp_path):
    data = write(tmp_path / "candles.csv", _file({3: "2026-01-31,bitcoin,,,,78741.09"}))
    result = brief(data, tmp_path / "out", "--week-ending", "2026-02-06", "--formats", "json")
    assert result.exit_code == 0, result.output


# Line numbers: the header is line 1, so row index i is on line i + 2.
@pytest.mark.parametrize(
    "index, text, column, shows",
    [
        pytest.param(1, "2026-01-29,bitcoin,84000.0,89348.0,83383.33,89400.0", (4, "high"), "below the close", id="high-below-close"),
        pytest.param(2, "2026-01-30,bitcoin,84650.16,84300.0,81118.0,84260.49", (4, "high"), "below the open", id="high-below-open"),
        pytest.param(3, "2026-01-31,bitcoin,78000.0,84270.02,78500.0,78741.09", (5, "low"), "above the open", id="low-above-open"),
        pytest.param(4, "2026-02-01,bitcoin,78741.1,79424.0,77000.0,76968.21", (5, "low"), "above the close", id="low-above-close"),
        pytest.param(5, "2026-02-02,bitcoin,abc,79360.0,74604.0,78738.61", (3, "open"), "'abc' is not a number", id="open-not-a-number"),
        pytest.param(6, "2026-02-03,bitcoin,78738.6,-79186.81,72945.5,75770.21", (4, "high"), "greater than zero", id="high-negative"),
        pytest.param(7, "2026-02-04,bitcoin,75770.21,76971.52,0,73165.83", (5, "low"), "greater than zero", id="low-zero"),
        pytest.param(8, "2026-02-05,bitcoin,73165.84,inf,62345.0,62909.86", (4, "high"), "'inf' is not a number", id="high-inf"),
        pytest.param(9, "2026-02-06,bitcoin,62909.87,71751.33,nan,70580.26", (5, "low"), "'nan' is not a number", id="low-nan"),
    ],
)
def test_a_bad_candle_is_named_by_file_line_and_column(tmp_path, index, text, column, shows):
    data = write(tmp_path / "candles.csv", _file({index: text}))
    out = tmp_path / "out"
    message = assert_rejected(brief(data, out, "--week-ending", "2026-02-06", "--formats", "json"), data, out,
                              line=index + 2, column=column)
    assert shows in message, message
    assert re.search(r"fix the values|Write plain numbers|fix the value|Prices are in US dollars", message, re.IGNORECASE), message
