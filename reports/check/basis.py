"""The checker's price-basis rules: one end-of-week price per asset, superlatives in the unit of their
rank, and "lowest since" said of a close.

- A superlative ("the largest one-week loss ... since", "worst week in data going back to") that cites
  a week's ranking must print the week in the unit the ranking was computed in (`ranks.*.unit`:
  "pct", or "usd" for dollars; a ranking without a unit is in percent).
- Every end-of-week price of one asset the brief shows (`assets.X.close`, `drawdowns.X.close`, the
  asset brief's `drawdown.close`, and a daily move's `to_price` on the week's last day) must print the
  same: a reader cannot tell what bitcoin was worth from two.
- "Lowest (highest) ... since" backed by a price level (`levels.*`) must say "close": a level not seen
  since is one series' daily close, not a snapshot or an intraday trade.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reports.check.document import Cited, Failure, sentences, table_cells
from reports.check.rules import IN_THE_DATA, NUMBER, SINCE
from reports.core.formatting import Formatter
from reports.document import Brief

CLOSE_WORD = re.compile(r"\bclose\b", re.IGNORECASE)
LEVEL_WORDS = {"lowest", "highest"}
END_PRICE = re.compile(r"^(?:assets|drawdowns)\.([^.]+)\.close$")


def check_sentence(cited: Cited, table: dict[str, Any], fmt: Formatter) -> list[str]:
    return _units(cited, table, fmt) + _level_closes(cited)


def _printed(key: str, value: Any, text: str, fmt: Formatter) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    shown = fmt.money(abs(value)) if key.endswith("_usd") else fmt.percent(abs(value))
    return any(token in NUMBER.findall(text) for token in NUMBER.findall(shown))


def _units(cited: Cited, table: dict[str, Any], fmt: Formatter) -> list[str]:
    if not (SINCE.search(cited.text) or IN_THE_DATA.search(cited.text)):
        return []
    ranks = sorted({key.rsplit(".", 1)[0] for key in cited.facts if key.startswith("ranks.")})
    printed = {("usd" if key.endswith("change_usd") else "pct") for key in cited.facts
               if key.endswith(("change_usd", "change_pct")) and _printed(key, table.get(key), cited.text, fmt)}
    reasons = []
    for rank in ranks:
        unit = table.get(f"{rank}.unit") or "pct"
        if printed and unit not in printed:
            reasons.append(f"the superlative is printed in {' and '.join(sorted(printed))} but {rank} is ranked in {unit}")
    return reasons


def _level_closes(cited: Cited) -> list[str]:
    reasons = []
    levels = [key for key in cited.facts if key.startswith("levels.")]
    if not levels:
        return []
    for match in (*SINCE.finditer(cited.text), *IN_THE_DATA.finditer(cited.text)):
        if match.group(1) in LEVEL_WORDS and not CLOSE_WORD.search(cited.text):
            reasons.append(f"'{match.group(0)}' is a price level but the sentence does not say it is a close")
    return reasons


def end_prices(doc: Brief, table: dict[str, Any], fmt: Formatter) -> Iterator[Failure]:
    """Two different end-of-week prices for one asset anywhere in the brief (its sentences and table)."""
    shown: dict[str, dict[str, str]] = {}
    cited = [key for item in sentences(doc) for key in item.facts]
    cells = [cell.fact for _, cell in table_cells(doc) if cell.fact]
    for key in dict.fromkeys(cited + cells):
        asset = _end_price_asset(key, doc, table)
        value = table.get(key)
        if asset is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        shown.setdefault(asset, {}).setdefault(fmt.price(value), key)
    for asset, prices in shown.items():
        if len(prices) > 1:
            listed = ", ".join(f"{price} ({key})" for price, key in prices.items())
            yield Failure("brief", listed, f"{asset} has {len(prices)} different end-of-week prices")


def _end_price_asset(key: str, doc: Brief, table: dict[str, Any]) -> str | None:
    found = END_PRICE.match(key)
    if found:
        return found.group(1)
    if key == "drawdown.close":
        return doc.asset
    parent = key.rsplit(".", 1)[0]
    if key.endswith(".to_price") and str(table.get(f"{parent}.day")) == str(table.get("week.end")):
        asset = table.get(f"{parent}.asset")
        return asset if isinstance(asset, str) else None
    return None
