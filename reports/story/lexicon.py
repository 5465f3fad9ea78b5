"""The house's word lists: verb tiers by size of move, ordinals, parts of a month.

Plain data with no dependencies, so that the prose layer, the wording rules and the fact
checker (which must not load pandas) can all read the same lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    """Verbs for moves up to `below` percent: (past, present) pairs for rises and for falls."""

    below: float
    up: tuple[tuple[str, str], ...]
    down: tuple[tuple[str, str], ...]


TIERS = (
    Tier(1.0, (("edged up", "edges up"), ("edged higher", "edges higher")), (("edged down", "edges down"), ("slipped", "slips"))),
    Tier(5.0, (("rose", "rises"), ("gained", "gains"), ("climbed", "climbs")), (("fell", "falls"), ("declined", "declines"), ("lost", "loses"))),
    Tier(10.0, (("rallied", "rallies"), ("jumped", "jumps"), ("advanced", "advances")), (("slid", "slides"), ("dropped", "drops"), ("tumbled", "tumbles"))),
    Tier(20.0, (("surged", "surges"), ("soared", "soars")), (("sank", "sinks"), ("tumbled", "tumbles"), ("slumped", "slumps"))),
    Tier(float("inf"), (("soared", "soars"), ("rocketed", "rockets")), (("plunged", "plunges"), ("crashed", "crashes"))),
)


# Size tiers in units of the asset's own typical weekly move (the standard deviation of its
# seven-day changes over the trailing history): a 5% week is big news for bitcoin and a
# quiet one for a small cap. Moves under `SMALL_PCT` are always "edged", whatever the scale.
VOLATILITY_TIERS = (
    Tier(0.35, TIERS[0].up, TIERS[0].down),
    Tier(1.0, TIERS[1].up, TIERS[1].down),
    Tier(1.75, TIERS[2].up, TIERS[2].down),
    Tier(2.75, TIERS[3].up, TIERS[3].down),
    Tier(float("inf"), TIERS[4].up, TIERS[4].down),
)
SMALL_PCT = 1.0
MIN_SCALE_PCT = 1.0  # a stablecoin's near-zero volatility must not make a 0.3% wobble a "plunge"

ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
            "nineteenth", "twentieth")
CARDINALS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
PART_OF_MONTH = ((10, "early "), (20, "mid-"), (31, "late "))


def ordinal(count: int) -> str:
    """ "third" for 3: counts of weeks are spelled out, as news copy does."""
    if 0 < count < len(ORDINALS):
        return ORDINALS[count]
    suffix = "th" if 10 <= count % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(count % 10, "th")
    return f"{count}{suffix}"


def cardinal(count: int) -> str:
    """ "five" for 5: small counts (of trading days) are spelled out, larger ones in digits."""
    return CARDINALS[count] if 0 <= count < len(CARDINALS) else str(count)
