"""The asset catalog: stable ids, display names and kinds for the assets the project knows.

Kinds decide who can be a weekly mover: stablecoins, derivative tokens (wrapped, bridged,
staked) and tokenised funds would otherwise crowd the leaders and laggards with moves
that say nothing about the market. The table is `data/assets.csv` (see `data/DATA.md`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .market import Asset

DATA_DIR = Path(__file__).resolve().parent / "data"


def slug(text: str) -> str:
    """An id from a name: lower case, runs of other characters as single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class AssetCatalog:
    by_source_name: dict[str, Asset]
    by_id: dict[str, Asset]
    kind_by_symbol: dict[str, str]

    def kind_of(self, asset_id: str, symbol: str | None) -> str:
        """The kind of an asset named by a user's file: by id first, then by symbol, else a coin."""
        known = self.by_id.get(asset_id)
        if known is not None:
            return known.kind
        return self.kind_by_symbol.get((symbol or "").upper(), "coin")


@cache
def catalog(path: Path = DATA_DIR / "assets.csv") -> AssetCatalog:
    by_source_name: dict[str, Asset] = {}
    by_id: dict[str, Asset] = {}
    kinds: dict[str, set[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            asset = Asset(id=row["asset"], symbol=row["symbol"], name=row["name"], kind=row["kind"])
            by_source_name[row["source_name"]] = asset
            by_id.setdefault(asset.id, asset)
            kinds.setdefault(asset.symbol.upper(), set()).add(asset.kind)
    # A symbol shared by a coin and its wrapped twin (SOL) says nothing about kind.
    kind_by_symbol = {symbol: next(iter(found)) for symbol, found in kinds.items() if len(found) == 1}
    return AssetCatalog(by_source_name, by_id, kind_by_symbol)
