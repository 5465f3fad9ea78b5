"""Word choice from numbers: verbs by direction and size, and the house style for asset names.

Size words come from thresholds on the move (percent units); direction words never
disagree with the sign of the number they describe, and a move that rounds to 0.0%
is "little changed", not a rise or a fall.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reports.facts.model import UNCHANGED_PCT
from reports.story.lexicon import MIN_SCALE_PCT, PART_OF_MONTH, SMALL_PCT, TIERS, VOLATILITY_TIERS, Tier
from reports.story.prose import Facts, Fragment, Variation

# Bloomberg/CoinDesk style: the big coins are common nouns in running text.
COMMON_NAMES = {"bitcoin": "bitcoin", "ethereum": "ether", "solana": "solana", "dogecoin": "dogecoin"}




def is_flat(change_pct: float) -> bool:
    return abs(change_pct) < UNCHANGED_PCT


def reads_equal(value: float, other: float = 0.0, places: int = 1) -> bool:
    """Whether two values read the same once printed (percents and points to one decimal, the
    Fear & Greed Index whole): a sentence must not call a change what the reader sees as none."""
    return round(value, places) == round(other, places)


def tier_for(change_pct: float, scale_pct: float | None = None) -> Tier:
    """The size tier: by the move in units of the asset's typical weekly move when that is known,
    else by fixed percent thresholds."""
    size = abs(change_pct)
    if scale_pct is None or size < SMALL_PCT:
        return next(tier for tier in TIERS if size < tier.below)
    return next(tier for tier in VOLATILITY_TIERS if size / max(scale_pct, MIN_SCALE_PCT) < tier.below)


def verb(change_pct: float, vary: Variation, present: bool = False, scale_pct: float | None = None,
         avoid: tuple[str, ...] = ()) -> str:
    """A verb sized to the move: "edged up" for 0.4%, "plunged" for a move several times the asset's
    typical week. Flat moves have none. `avoid`: verbs just used, so a sentence does not repeat one."""
    past, now = verb_pair(change_pct, vary, scale_pct, avoid)
    return now if present else past


def verb_pair(change_pct: float, vary: Variation, scale_pct: float | None = None, avoid: tuple[str, ...] = ()) -> tuple[str, str]:
    """The sized verb in the past and the present tense: ("plunged", "plunges")."""
    if is_flat(change_pct):
        return "held steady", "holds steady"
    tier = tier_for(change_pct, scale_pct)
    options = tier.up if change_pct > 0 else tier.down
    past, now = vary.pick([pair for pair in options if not set(pair) & set(avoid)] or options)
    return past, now


def simple_verb(change_pct: float, present: bool = False) -> str:
    """The plain verb for lists of movers, where a varied verb per item would distract."""
    past, now = simple_pair(change_pct)
    return now if present else past


def simple_pair(change_pct: float) -> tuple[str, str]:
    return ("rose", "rises") if change_pct > 0 else ("fell", "falls")


@dataclass
class Verbs:
    """One verb per move and asset in a brief: the first verb chosen for an asset's week is the one every later
    sentence uses ("plunged" in the Overview is not "crashed" in the takeaways)."""

    chosen: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __call__(self, asset: str, change_pct: float, vary: Variation, present: bool = False, scale_pct: float | None = None,
                 avoid: tuple[str, ...] = (), varied: bool = True) -> str:
        if asset not in self.chosen:
            self.chosen[asset] = verb_pair(change_pct, vary, scale_pct, avoid) if varied or is_flat(change_pct) \
                else simple_pair(change_pct)
        past, now = self.chosen[asset]
        return now if present else past


def week_shape(change_pct: float) -> str:
    """The week in one word, from the market-wide move: a tag and a noun for the prose."""
    if change_pct <= -5:
        return "sell-off"
    if change_pct >= 5:
        return "rally"
    if change_pct <= -2:
        return "pullback"
    if change_pct >= 2:
        return "advance"
    return "range-bound week"


def part_of_month(day: date) -> str:
    """ "early", "mid-" or "late": how news copy places a date within its month."""
    return next(word for last, word in PART_OF_MONTH if day.day <= last)


# Numbers read aloud with a vowel sound: "an 8", "an 80", "an 11", "an 18,000" ("eleven/eighteen thousand"), but "a 1.5", "a 110".
VOWEL_NUMBERS = ("11", "18")
CONSONANT_WORDS = ("one", "once", "uni", "us", "eu", "ur")  # a vowel letter, a consonant sound
VOWEL_WORDS = ("hour", "honest", "heir")  # a consonant letter, a vowel sound


def indefinite(fragment: Fragment) -> Fragment:
    """ "a" or "an" before a fragment, by how it is read aloud: "an 18-basis-point rise", "a $1.5 billion fall",
    "an $8.2 billion fall", "an 11.9% rise". Numbers are read by their first comma group, signs and $ skipped."""
    return Fragment("an " if _vowel_sound(fragment.text) else "a ") + fragment


def _vowel_sound(text: str) -> bool:
    word = text.lstrip("$+-\u2212 ").lower()
    if word[:1].isdigit():
        group = word.split(",")[0]
        whole = group[:next((i for i, c in enumerate(group) if not c.isdigit()), len(group))]
        return whole.startswith("8") or whole in VOWEL_NUMBERS
    if word.startswith(VOWEL_WORDS):
        return True
    return word[:1] in "aeiou" and not word.startswith(CONSONANT_WORDS)


def possessive(fragment: Fragment) -> Fragment:
    """ "Coin Metrics'" / "CoinGecko's" """
    return fragment + ("'" if fragment.text.endswith("s") else "'s")


def relation_to_lead(change_pct: float, lead_pct: float, lead: str) -> str:
    """How a second asset's week compares with the lead's, in words that respect both directions."""
    gap = change_pct - lead_pct
    if abs(gap) < 1:
        return f"in line with {lead}"
    if change_pct < 0 and lead_pct < 0:
        return f"holding up better than {lead}" if gap > 0 else f"falling further than {lead}"
    if change_pct > 0 and lead_pct > 0:
        return f"outpacing {lead}" if gap > 0 else f"lagging {lead}"
    return f"bucking {lead}'s decline" if change_pct > 0 else f"despite {lead}'s gain"


def asset_label(name: str, symbol: str) -> str:
    """ "Bitcoin (BTC)", but "BNB" and "XRP" once: a symbol that spells the name is not printed again."""
    return name if name.upper() == symbol.upper() else f"{name} ({symbol})"


def up_down(change_pct: float) -> str:
    return "up" if change_pct > 0 else "down"


def gain_loss(change_pct: float) -> str:
    return "gain" if change_pct > 0 else "loss"


@dataclass
class Names:
    """House style for names: "bitcoin (BTC)" on first mention in the body, "bitcoin" after."""

    facts: Facts
    seen: set[str] = field(default_factory=set)

    def __call__(self, asset: str, short: bool = False) -> Fragment:
        name_key, symbol_key = f"assets.{asset}.name", f"assets.{asset}.symbol"
        name = COMMON_NAMES.get(asset, self.facts.value(name_key))
        symbol = self.facts.value(symbol_key)
        first = asset not in self.seen
        self.seen.add(asset)
        if first and not short and name.upper() != symbol.upper():
            return Fragment(f"{name} ({symbol})", (name_key, symbol_key))
        return Fragment(name, (name_key,))

    def plain(self, asset: str) -> Fragment:
        """The name alone, as in a headline or a table, without touching first-mention state."""
        return Fragment(COMMON_NAMES.get(asset, self.facts.value(f"assets.{asset}.name")), (f"assets.{asset}.name",))
