"""Validation: raw tables from a source in, `MarketData` out, or one clear error.

Nothing is computed from data that has not passed here. The first bad cell stops the
build with its file, line and column, what is wrong and what to do (exit 2); no output
is written. Gaps in the days are not errors: they become NaN rows that the facts stage
reports in the brief's data notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from reports.data.catalog import AssetCatalog, id_problem, name_problem, symbol_problem
from reports.core.errors import InputError
from reports.data.basis import extended_back, on_closes
from reports.data.model import CLOSE_BASIS, Asset, CapsSum, DriverSeries, Freshness, HourlyCandles, MarketData, MarketSeries, PricePanel, SentimentSeries
from reports.data.raw import LINE, RawSeries, RawTable

Check = Literal["day", "hour", "id", "symbol", "name", "price", "amount", "rank", "percent", "flow"]
# Text checks: what the cell is called in a message (else its column), the rule, and what to do. Ids and symbols
# become folders, URLs and tags, so they are checked here, where data enters, for every source.
TEXT_CHECKS = {
    "id": ("asset id", id_problem,
           "Asset ids are lower-case letters, digits and . _ - (for example bitcoin or usd-coin); "
           "they name folders and URLs, so they cannot be paths."),
    "symbol": ("symbol", symbol_problem,
               "Symbols are letters and digits (any script) and . _ - +, for example BTC or USDC.E."),
    "name": ("", name_problem, "Keep it to one line of printable text."),
}
SHOWN = 80  # characters of a bad cell quoted in a message
# What a real value can be (bitcoin's price is 1e5, the whole market's value 4e12, the smallest
# listed prices 1e-10): beyond, a number is a typo or a unit mix-up, and the arithmetic on it (a
# weekly change, a chart's axis) overflows.
LIMITS = {"price": (1e-18, 1e15), "amount": (0.0, 1e18), "rank": (1.0, 1e6), "percent": (0.0, 100.0),
          "flow": (-1e7, 1e7)}  # a day's net flow in US$ millions, in or out: all US spot ETFs hold far less
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HOUR = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:00:00$")


@dataclass(frozen=True)
class Rule:
    """What one column must hold. `required`: the column must exist; `optional`: cells may be empty."""

    column: str
    check: Check
    required: bool = True
    optional: bool = False


PRICE_RULES = (
    Rule("date", "day"),
    Rule("asset", "id"),
    Rule("close", "price"),
    Rule("open", "price", required=False, optional=True),
    Rule("high", "price", required=False, optional=True),
    Rule("low", "price", required=False, optional=True),
    Rule("symbol", "symbol", required=False, optional=True),
    Rule("name", "name", required=False, optional=True),
    Rule("rank", "rank", required=False, optional=True),
    Rule("market_cap", "amount", required=False, optional=True),
    Rule("volume", "amount", required=False, optional=True),
)
HISTORY_RULES = (Rule("date", "day"), Rule("asset", "id"), Rule("close", "price"))
CANDLE_RULES = (Rule("date", "day"), Rule("asset", "id"), Rule("open", "price"), Rule("high", "price"),
                Rule("low", "price"), Rule("close", "price"))
HOURLY_RULES = (Rule("hour", "hour"), Rule("asset", "id"), Rule("open", "price"), Rule("high", "price"),
                Rule("low", "price"), Rule("close", "price"))
MARKET_RULES = (
    Rule("date", "day"),
    Rule("total_market_cap_usd", "amount", optional=True),
    Rule("btc_dominance_pct", "percent", optional=True),
    Rule("eth_dominance_pct", "percent", optional=True),
)
SENTIMENT_RULES = (Rule("date", "day"), Rule("value", "percent"), Rule("classification", "name"))
PRICE_COLUMNS = tuple(rule.column for rule in PRICE_RULES)
FLOW_RULES = (Rule("date", "day"), Rule("total_usd_m", "flow"))
# The drivers' files (`reports.data.sources.drivers`): every column but the day may have empty cells.
DRIVER_RULES = {
    "etf_btc": FLOW_RULES,
    "etf_eth": FLOW_RULES,
    "etf_btc_history": FLOW_RULES,
    "stablecoins": (Rule("date", "day"), *(Rule(column, "amount", optional=True)
                                          for column in ("usdt_mcap_usd", "usdc_mcap_usd", "top10_listed_sum_usd"))),
    "cross_asset": (Rule("date", "day"),
                    *(Rule(column, "price", required=False, optional=True)
                      for column in ("spy_close", "qqq_close", "gld_close", "dxy_close", "gold_lbma_pm_usd")),
                    *(Rule(column, "percent", required=False, optional=True) for column in ("ust10y_pct", "ust2y_pct"))),
    # Bybit's perpetuals (reports.data.sources.bybit): funding, a signed decimal per eight hours ("flow": signed and
    # bounded), and open interest in the coin.
    "derivatives": (Rule("date", "day"),
                    *(Rule(column, "flow", required=False, optional=True) for column in ("btc_funding", "eth_funding")),
                    *(Rule(column, "amount", required=False, optional=True) for column in ("btc_open_interest", "eth_open_interest"))),
}


@dataclass(frozen=True)
class RawMarketData:
    """What a source hands to validation: its tables as text, with provenance.

    `asset_caps` maps columns of the market table that hold one asset's market cap
    (CoinGecko's /global file carries BTC's and ETH's) to that asset's id.
    """

    prices: RawSeries
    catalog: AssetCatalog
    history: RawSeries | None = None
    market: RawSeries | None = None
    sentiment: RawSeries | None = None
    asset_caps: Mapping[str, str] = field(default_factory=dict)
    freshness: Freshness | None = None  # for a stored source: how recent it is
    candles: RawSeries | None = None  # daily candles whose closes replace `prices` for the coins they cover
    hourly: RawSeries | None = None  # hourly candles, for the hour of a week's extreme
    drivers: Mapping[str, RawSeries] = field(default_factory=dict)  # by the keys of DRIVER_RULES
    caps_sum: CapsSum | None = None  # total market value reconstructed from the prices' market caps (model.CapsSum)


def validate(raw: RawMarketData) -> MarketData:
    prices = check_table(raw.prices.table, PRICE_RULES, key=("date", "asset"))
    check_candles(raw.prices.table, prices)
    market = sentiment = history = None
    caps: pd.DataFrame | None = None
    if raw.market is not None:
        rules = MARKET_RULES + tuple(Rule(column, "amount", optional=True) for column in raw.asset_caps)
        frame = _daily(check_table(raw.market.table, rules, key=("date",)).set_index("date"))
        market = MarketSeries(frame[[rule.column for rule in MARKET_RULES[1:]]], raw.market.info)
        caps = frame[list(raw.asset_caps)].rename(columns=dict(raw.asset_caps)) if raw.asset_caps else None
    if raw.sentiment is not None:
        frame = check_table(raw.sentiment.table, SENTIMENT_RULES, key=("date",)).set_index("date")
        sentiment = SentimentSeries(_daily(frame), raw.sentiment.info)
    if raw.history is not None:
        frame = check_table(raw.history.table, HISTORY_RULES, key=("date", "asset"))
        history = PricePanel(close=_wide(frame, "close"), info=raw.history.info)
    panel = _panel(prices, raw.prices.info, caps)
    hourly = None
    if raw.candles is not None:
        candles = check_table(raw.candles.table, CANDLE_RULES, key=("date", "asset"))
        check_candles(raw.candles.table, candles)
        wide = {column: _wide(candles, column) for column in ("close", "high", "low")}
        panel, history = on_closes(panel, wide, raw.candles.info, history)
    elif history is not None and raw.prices.info.basis == CLOSE_BASIS:
        history = extended_back(panel, history)
    if raw.hourly is not None:
        hours = check_table(raw.hourly.table, HOURLY_RULES, key=("hour", "asset"))
        check_candles(raw.hourly.table, hours)
        low, high = (hours.pivot(index="hour", columns="asset", values=column).sort_index() for column in ("low", "high"))
        hourly = HourlyCandles(low=low, high=high, info=raw.hourly.info)
    ignored = tuple(name for name in raw.prices.table.header if name not in PRICE_COLUMNS and name not in raw.prices.table.origin.values())
    return MarketData(
        assets=_assets(prices, raw.catalog),
        prices=panel,
        history=history,
        hourly=hourly,
        market=market,
        sentiment=sentiment,
        ignored_columns=ignored,
        freshness=raw.freshness,
        drivers={key: _driver(key, series) for key, series in raw.drivers.items()},
        caps_sum=raw.caps_sum,
    )


def _driver(key: str, raw: RawSeries) -> DriverSeries:
    """A driver's file, checked cell by cell: one row per day, days sorted, empty cells NaN."""
    frame = check_table(raw.table, DRIVER_RULES[key], key=("date",)).set_index("date").sort_index()
    return DriverSeries(frame.drop(columns=[LINE]).astype(float), raw.info)


def check_table(raw: RawTable, rules: tuple[Rule, ...], key: tuple[str, ...]) -> pd.DataFrame:
    """Check every cell against its rule and return typed columns (plus the file line)."""
    present = [rule for rule in rules if rule.column in raw.frame.columns]
    missing = [rule.column for rule in rules if rule.required and rule.column not in raw.frame.columns]
    if missing:
        wanted = ", ".join(raw.origin.get(rule.column, rule.column) for rule in rules if rule.required)
        raise InputError(
            raw.location(1),
            f"the header has no {raw.origin.get(missing[0], missing[0])!r} column (it has: {', '.join(raw.header)})",
            f"Add the column; the required columns are {wanted}.",
        )
    if raw.frame.empty:
        raise InputError(raw.location(1), "the file has a header but no data rows", "Add one row per day and asset.")
    typed = pd.DataFrame({rule.column: _check_column(raw, rule) for rule in present})
    typed[LINE] = raw.frame[LINE].to_numpy()
    _check_unique(raw, typed, key)
    return typed


def _check_column(raw: RawTable, rule: Rule) -> pd.Series:
    cells = raw.frame[rule.column].astype(str)
    empty = cells.eq("")
    if rule.check in TEXT_CHECKS:
        return _check_text(raw, rule, cells, empty)
    if rule.check == "hour":
        parsed = pd.to_datetime(cells.where(cells.str.match(HOUR)), format="%Y-%m-%d %H:%M:%S", errors="coerce")
        _fail_first(raw, rule, parsed.isna(), lambda cell: f"{cell!r} is not an hour in YYYY-MM-DD HH:00:00 form",
                    "Write the hour's start in UTC, for example 2026-02-06 00:00:00.")
        return parsed
    if rule.check == "day":
        parsed = pd.to_datetime(cells.where(cells.str.match(DAY)), format="%Y-%m-%d", errors="coerce")
        _fail_first(
            raw,
            rule,
            parsed.isna(),
            lambda cell: "the date is empty" if cell == "" else f"{cell!r} is not a date in YYYY-MM-DD form",
            "Write dates as YYYY-MM-DD (a UTC day), for example 2026-02-06.",
        )
        return parsed
    return _check_number(raw, rule, cells, empty)


def _check_number(raw: RawTable, rule: Rule, cells: pd.Series, empty: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(cells.where(~empty), errors="coerce").astype(float)
    not_number = numbers.isna() & ~empty | ~np.isfinite(numbers.fillna(0.0))
    if not rule.optional:
        not_number |= empty
    _fail_first(
        raw,
        rule,
        not_number,
        lambda cell: f"the {rule.column} is empty" if cell == "" else f"{cell!r} is not a number",
        "Write plain numbers with a dot for decimals and no thousands separators, for example 1234.5.",
    )
    bounds = {
        "price": (numbers <= 0, "a price must be greater than zero", "Prices are in US dollars; fix the value or remove the row."),
        "amount": (numbers < 0, "an amount cannot be negative", "Fix the value, or leave the cell empty if it is unknown."),
        "rank": (
            numbers.notna() & ((numbers < 1) | (numbers % 1 != 0)),  # empty is allowed: NaN % 1 is NaN
            "a rank must be a whole number from 1 up",
            "Fix the rank, or leave the cell empty if it is unknown.",
        ),
        "percent": ((numbers < 0) | (numbers > 100), "this must lie between 0 and 100", "Fix the value."),
        "flow": (numbers.isna() & False, "", ""),  # a net flow may be negative (an outflow)
    }
    bad, problem, fix = bounds[rule.check]
    _fail_first(raw, rule, bad.fillna(False), lambda cell: f"{problem}, got {cell}", fix)
    low, high = LIMITS[rule.check]
    _fail_first(raw, rule, ((numbers < low) | (numbers > high)).fillna(False),
                lambda cell: f"{cell} is beyond what a {rule.column} can be (from {low:g} to {high:g})",
                "Check the value and its unit (US dollars), or remove the row.")
    return numbers


CANDLE_ORDER = (("high", "open"), ("high", "close"), ("high", "low"), ("low", "open"), ("low", "close"))


def check_candles(raw: RawTable, typed: pd.DataFrame) -> None:
    """A day's (or hour's) high is at least its open, low and close, and its low at most its open and close;
    cells left empty are not compared."""
    for side, other in CANDLE_ORDER:
        if side not in typed.columns or other not in typed.columns:
            continue
        bad = ((typed[side] < typed[other]) if side == "high" else (typed[side] > typed[other])).fillna(False)
        if not bad.any():
            continue
        position = int(np.argmax(bad.to_numpy()))
        row = raw.frame.iloc[position]
        raise InputError(
            raw.location(int(row[LINE]), side),
            f"the {side} {row[side]} is {'below' if side == 'high' else 'above'} the {other} {row[other]} on this row",
            "A day's high is at least its open, low and close, and its low at most its open and close; "
            "fix the values, or leave open, high and low empty.",
        )


def _check_text(raw: RawTable, rule: Rule, cells: pd.Series, empty: pd.Series) -> pd.Series:
    if not rule.optional:
        _fail_first(raw, rule, empty, lambda cell: f"the {rule.column} is empty", f"Give every row a {rule.column}.")
    what, problem_of, fix = TEXT_CHECKS[rule.check]
    refused = [cell for cell in cells.unique() if cell and problem_of(cell) is not None]  # each value once
    bad = cells.isin(refused)
    _fail_first(raw, rule, bad, lambda cell: f"{cell[:SHOWN]!r} is not a usable {what or rule.column}: {problem_of(cell)}", fix)
    return cells.where(~empty)


def _fail_first(raw: RawTable, rule: Rule, bad: pd.Series, problem, fix: str) -> None:
    if not bad.any():
        return
    position = int(np.argmax(bad.to_numpy()))
    row = raw.frame.iloc[position]
    raise InputError(raw.location(int(row[LINE]), rule.column), problem(str(row[rule.column])), fix)


def _check_unique(raw: RawTable, typed: pd.DataFrame, key: tuple[str, ...]) -> None:
    repeated = typed.duplicated(list(key), keep="first")
    if not repeated.any():
        return
    position = int(np.argmax(repeated.to_numpy()))
    row = typed.iloc[position]
    same = (typed[list(key)] == row[list(key)]).all(axis=1)
    first_line = int(typed.loc[same, LINE].iloc[0])
    what = " on ".join(str(row[column].date()) if column == "date" else str(row[column]) for column in reversed(key))
    raise InputError(
        raw.location(int(row[LINE]), key[-1]),
        f"duplicate row: {what} already appears on line {first_line}",
        "Keep one row per day" + (" and asset." if "asset" in key else "."),
    )


def _daily(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by day and give every calendar day a row, so that a gap is a NaN row, not a missing one."""
    frame = frame.drop(columns=[LINE], errors="ignore").sort_index()
    return frame.reindex(pd.date_range(frame.index[0], frame.index[-1], freq="D", name="date"))


def _wide(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One column per asset, one row per calendar day."""
    wide = _daily(frame.pivot(index="date", columns="asset", values=column))
    wide.columns.name = None
    return wide.astype(float)


def _panel(prices: pd.DataFrame, info, caps: pd.DataFrame | None) -> PricePanel:
    close = _wide(prices, "close")
    optional = {}
    for column in ("rank", "market_cap", "volume", "high", "low"):
        if column in prices.columns and prices[column].notna().any():
            optional[column] = _wide(prices, column).reindex(index=close.index, columns=close.columns)
    if caps is not None:
        known = caps.reindex(index=close.index)
        merged = optional.get("market_cap", pd.DataFrame(np.nan, index=close.index, columns=close.columns))
        for asset in known.columns.intersection(close.columns):
            merged[asset] = merged[asset].fillna(known[asset])
        optional["market_cap"] = merged
    return PricePanel(close=close, info=info, **optional)


def _assets(prices: pd.DataFrame, catalog: AssetCatalog) -> dict[str, Asset]:
    """Each asset's latest symbol and name as the data gives them (else the catalog's, for a known
    id), and its kind from the catalog."""
    latest = prices.sort_values("date").groupby("asset").tail(1).set_index("asset")
    assets = {}
    for asset_id, row in latest.sort_index().iterrows():
        known = catalog.by_id.get(asset_id)
        symbol = _text(row.get("symbol")) or (known.symbol if known else asset_id.upper())
        name = _text(row.get("name")) or (known.name if known else symbol)
        assets[asset_id] = Asset(id=asset_id, symbol=symbol, name=name, kind=catalog.kind_of(asset_id, symbol))
    return assets


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
