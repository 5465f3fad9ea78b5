"""The writing desk: what every part of the story needs at hand while it writes.

One `Desk` per brief holds the facts (and their dotted-key table), the formatter, the
house-style name tracker and the week's seeded variation, plus the phrases that more
than one section uses ("fell 19.9% to $65,881").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from reports.facts.asset import AssetWeekFacts
from reports.facts.model import BTC, ETH, AssetMove, WeekFacts
from reports.facts.table import fact_table
from reports.core.formatting import Formatter
from reports.story.prose import Facts, Fragment, Sentence, Variation, join, sentence
from reports.core.settings import Settings
from reports.story.wording import Names, Verbs, is_flat, relation_to_lead, verb


# The facts a desk writes from: the market brief's or one asset's. Section writers take a
# `MarketDesk` or an `AssetDesk`; the phrases both briefs share take a `Desk[F]`.
F = TypeVar("F", WeekFacts, AssetWeekFacts)


@dataclass
class Desk(Generic[F]):
    facts: F
    f: Facts
    fmt: Formatter
    names: Names
    vary: Variation
    settings: Settings
    recent: list[str] = field(default_factory=list)  # verbs used lately, so that neighbours differ
    verbs: Verbs = field(default_factory=Verbs)  # one verb per asset's week in the brief

    @classmethod
    def open(cls, facts: F, settings: Settings) -> Desk[F]:
        fmt = Formatter(settings.locale)
        table = Facts(fact_table(facts), fmt)
        seed = f"{settings.publication_name}|{facts.week.end.isoformat()}"
        return cls(facts, table, fmt, Names(table), Variation(seed), settings)

    # --- who is in the story ---------------------------------------------------------------------

    @property
    def lead(self) -> str:
        return self.facts.lead

    @property
    def second(self) -> str | None:
        """Ether when the lead is bitcoin and ether is in the data."""
        return ETH if self.lead == BTC and self.facts.asset(ETH) else None

    def move(self, asset: str) -> AssetMove:
        """The week of an asset in the brief (writers name only assets the facts hold)."""
        found = self.facts.asset(asset)
        if found is None:
            raise LookupError(f"{asset} is not among the brief's assets")
        return found

    def others(self, count: int, skip: tuple[str, ...]) -> list[str]:
        """The largest assets after the ones already named, by rank order of the universe."""
        return [move.id for move in self.facts.assets if move.id not in skip][:count]

    @property
    def coins(self) -> str:
        """What the breadth counts: "coins in the brief", or "coins with daily closes" when some coins of the
        brief are on another price basis and so are left out of every comparison."""
        return "coins " + self.counted("in the brief")

    def counted(self, otherwise: str) -> str:
        """ "with daily closes" when the comparisons leave some coins of the brief out, else `otherwise`."""
        return "with daily closes" if self.facts.breadth.left_out else otherwise

    # --- the market's direction -------------------------------------------------------------------

    @property
    def market_key(self) -> str:
        """The fact that sums up the week: total market value if known, else the median move."""
        return "market_cap.change_pct" if self.facts.market_cap else "breadth.median_pct"

    @property
    def market_change(self) -> float:
        return self.f.value(self.market_key)

    # --- shared phrases ----------------------------------------------------------------------------

    def change(self, asset: str, sign: bool = False) -> Fragment:
        """The weekly change: "19.9%" (no sign: a verb says the direction) or "-19.9%"."""
        key = f"assets.{asset}.change_pct"
        return self.f.pct(key, sign=True) if sign else self.f.pct(key, absolute=True)

    def moved(self, asset: str, varied: bool = True, present: bool = False) -> Fragment:
        """ "fell 19.9%", "slid 7.2%", "held steady": the verb sized to the move, then the size."""
        change = self.move(asset).change_pct
        if is_flat(change):
            return Fragment(verb(change, self.vary, present), (f"assets.{asset}.change_pct",))
        scale = self.move(asset).typical_week_pct
        word = self.verbs(asset, change, self.vary, present, scale, avoid=tuple(self.recent[-1:]), varied=varied)
        self.recent.append(word)
        return Fragment(word + " ") + self.change(asset)

    def up_down(self, asset: str) -> Fragment:
        """ "up 12.7%", "down 0.1%", "unchanged": for clauses after a comma."""
        return self.direction(f"assets.{asset}.change_pct", self.move(asset).change_pct)

    def direction(self, key: str, change: float, up: str = "up", down: str = "down", flat: str = "unchanged") -> Fragment:
        """Any cited percent change as "up 12.7%" / "down 0.1%", or `flat` when it rounds to 0.0%
        (a direction word on a change that prints as zero would contradict the figure)."""
        if is_flat(change):
            return Fragment(flat, (key,))
        return Fragment((up if change > 0 else down) + " ") + self.f.pct(key, absolute=True)

    def attributions(self) -> list[Sentence]:
        """One line per provider's attribution (two CoinGecko series share one line)."""
        seen: dict[str, str] = {}
        for info in self.facts.sources:
            seen.setdefault(info.attribution, info.key)
        return [sentence("{line}", line=self.f.cite(f"sources.{key}.attribution", str)) for key in seen.values()]

    def moved_to(self, asset: str, present: bool = False) -> Fragment:
        """ "fell 19.9% to $65,881" """
        return self.moved(asset, present=present) + " to " + self.f.price(f"assets.{asset}.close")

    def named_moves(self, assets: list[str]) -> Fragment:
        """ "Zcash (ZEC) lost 34.5%, solana fell 29.9% and Monero (XMR) fell 29.6%" """
        return join([self.names(asset) + " " + self.moved(asset, varied=False) for asset in assets])

    def signed_list(self, assets: list[str]) -> Fragment:
        """ "WhiteBIT Coin (WBT, -1.7%) and Canton (CC, -3.4%)" with the symbol inside the brackets."""
        items = []
        for asset in assets:
            self.names.seen.add(asset)
            name = self.names.plain(asset)
            symbol = self.f.cite(f"assets.{asset}.symbol", str)
            if self.names.plain(asset).text.upper() == symbol.text.upper():
                items.append(name + " (" + self.change(asset, sign=True) + ")")
            else:
                items.append(name + " (" + symbol + ", " + self.change(asset, sign=True) + ")")
        return join(items)

    def relation(self, asset: str) -> Fragment:
        """ "falling further than bitcoin": how `asset`'s week compares with the lead's; cites the lead's
        change so that the comparison can be checked."""
        lead = self.lead
        text = relation_to_lead(self.move(asset).change_pct, self.move(lead).change_pct, self.names.plain(lead).text)
        return Fragment(text, (f"assets.{lead}.change_pct",))

    def week_to(self) -> Fragment:
        """ "the week to Feb 6" """
        return Fragment("the week to ") + self.f.day("week.end")


MarketDesk = Desk[WeekFacts]
AssetDesk = Desk[AssetWeekFacts]
