"""The asset catalog: stable ids, display names and kinds for the assets the project knows.

Kinds decide who can be a weekly mover: stablecoins, derivative tokens (wrapped, bridged,
staked) and tokenised funds would otherwise crowd the leaders and laggards with moves
that say nothing about the market. The table is `data/assets.csv` (see `data/DATA.md`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reports.data.model import Asset

DATA_DIR = Path(__file__).resolve().parent / "bundle"
# Identifiers become folder names and URL segments: 100 bytes of UTF-8 is well under a file name's 255.
IDENTIFIER_BYTES = 100
NAME_CHARACTERS = 200
ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
SYMBOL_PUNCTUATION = "._-+"
# Control characters, lone surrogates and line or paragraph separators: a name is one line of text.
UNPRINTABLE = ("Cc", "Cs", "Zl", "Zp")


def slug(text: str) -> str:
    """An id from a name: lower case, runs of other characters as single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def symbol_problem(text: str) -> str | None:
    """Why `text` cannot be a symbol (or a tag), or None. Symbols name the site's tag folders and
    label charts, so the rule admits letters and digits of any script (real ones include 币安人生,
    USDC.E, FIGR_HELOC, BSC-USD) and . _ - +, starting with a letter or digit, without "..":
    nothing a path reads as a separator or a climb, a browser as markup, or matplotlib as maths ($)."""
    if not text:
        return "it is empty"
    if len(text.encode("utf-8")) > IDENTIFIER_BYTES:
        return f"it is longer than {IDENTIFIER_BYTES} bytes"
    if not text[0].isalnum():
        return f"it starts with {text[0]!r}, not a letter or digit"
    odd = next((char for char in text if not (char.isalnum() or char in SYMBOL_PUNCTUATION)), None)
    if odd is not None:
        return f"it contains {odd!r}; only letters, digits and {' '.join(SYMBOL_PUNCTUATION)} are allowed"
    if ".." in text:
        return 'it contains ".."'
    return None


def id_problem(text: str) -> str | None:
    """Why `text` cannot be an asset id, or None: the symbol rule, in lower-case ASCII without +.
    Ids name OUT/assets/<id>/ and CoinGecko's /coins/<id>/ URLs, so they are kept to what every
    file system and URL takes as it is (CoinGecko's own ids all are)."""
    problem = symbol_problem(text)
    if problem is None and not ID.fullmatch(text):
        odd = next(char for char in text if not ID.fullmatch(char))
        return f"it contains {odd!r}; ids are lower-case letters a-z, digits and . _ -"
    return problem


def name_problem(text: str) -> str | None:
    """Why `text` cannot be a display name, or None. Any printable text is a name (markup included:
    every renderer escapes it), but not a control character or line break, which would start a new
    line of Markdown or YAML, and not a text longer than a headline can hold."""
    if len(text) > NAME_CHARACTERS:
        return f"it is longer than {NAME_CHARACTERS} characters"
    odd = next((char for char in text if unicodedata.category(char) in UNPRINTABLE), None)
    if odd is not None:
        return f"it contains the control character {odd!r}"
    return None


def tag(text: str) -> str | None:
    """A site tag from a validated symbol or id, or a label such as "Extreme Fear": lower case,
    spaces as hyphens ("extreme-fear"); when that breaks the symbol rule (lower-casing can), the
    slug; None when nothing is left. Tags become folders and URLs of the site."""
    lowered = "-".join(text.lower().split())
    return lowered if symbol_problem(lowered) is None else slug(text) or None


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
