"""Round numbers: the level a coin's week closed through ("fell below $70,000"), and the one its low or high
went through without a close beyond it ("briefly traded below $60,000").

Readers and newsrooms watch round numbers; the data does not say they matter, so the fact is only where the
week's prices are: the base close, the last close, the week's closes and its intraday extremes, all on the
brief's own price basis (`AssetMove`). The spacing is fixed per coin (`ROUND_STEPS`) rather than derived from
the price's magnitude: a magnitude rule puts bitcoin's step at $50,000 above $100,000 and ether's at $1,000 above
$1,000, coarser than the levels the news names. Numbers only; the words are in `reports.story.levels`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from reports.facts.model import BTC, ETH, AssetMove

ROUND_STEPS = {BTC: 10_000.0, ETH: 500.0}  # every $10,000 for bitcoin, every $500 for ether


@dataclass(frozen=True)
class RoundLevel:
    """One coin's round numbers for the week.

    `crossed`: the round level the last close ended beyond, of those between the base close and the last close
    (the one nearest the last close: "fell below $70,000"); `levels_crossed` how many of them the week closed
    through; `direction` "down" or "up" (None with no level crossed). `touched`: the farthest round level the week's
    intraday low (or high) reached while every close of the week, the base close too, stayed on the near side of
    it, with its day;
    None where no level was touched that way or the source has no candles.
    """

    asset: str
    step: float
    base_close: float
    close: float
    crossed: float | None
    levels_crossed: int
    direction: str | None
    touched: float | None
    touched_side: str | None  # "low" (traded below it) or "high" (traded above it)
    touched_day: date | None
    series: str


def round_levels(moves: tuple[AssetMove, ...]) -> tuple[RoundLevel, ...]:
    """The round-number fact of each coin with a step (bitcoin, ether) in the brief."""
    return tuple(round_level(move, ROUND_STEPS[move.id]) for move in moves if move.id in ROUND_STEPS)


def round_level(move: AssetMove, step: float) -> RoundLevel:
    count, farthest = _between(move.base_close, move.close, step)
    direction = None if not count else "down" if move.close < move.base_close else "up"
    touched, side, day = _touched(move, step)
    return RoundLevel(asset=move.id, step=step, base_close=move.base_close, close=move.close,
                      crossed=farthest, levels_crossed=count, direction=direction,
                      touched=touched, touched_side=side, touched_day=day, series=move.series)


def _between(base: float, last: float, step: float) -> tuple[int, float | None]:
    """How many round levels the week closed through, and the last one it met (counted, never listed: a price
    far from the step, from a user's file, must not make millions of levels). Falling, a level counts when the
    base close was at or above it and the last close below it; rising, when the base was below it and the last
    at or above."""
    if last < base:
        top, bottom = math.floor(base / step), max(math.floor(last / step) + 1, 1)
        return (top - bottom + 1, bottom * step) if top >= bottom else (0, None)
    if last > base:
        bottom, top = math.floor(base / step) + 1, math.floor(last / step)
        return (top - bottom + 1, top * step) if top >= bottom else (0, None)
    return 0, None


def _touched(move: AssetMove, step: float) -> tuple[float | None, str | None, date | None]:
    """The farthest round level the week's intraday low (high) reached, at or through it, while every close of the
    week, the base close included, stayed beyond it: "traded down to $60,000 but closed above it". A level the week
    started beyond (a falling week's first hours above the round number it then closed through) is not one.
    The low side wins when both happened: a sell-off's wick is the one the news names."""
    if move.intraday_low is not None and move.intraday_low_day is not None:
        level = math.ceil(move.intraday_low / step) * step  # the lowest level at or above the low
        if 0 < level < min(move.low, move.base_close):
            return level, "low", move.intraday_low_day
    if move.intraday_high is not None and move.intraday_high_day is not None:
        level = math.floor(move.intraday_high / step) * step  # the highest level at or below the high
        if level > max(move.high, move.base_close):
            return level, "high", move.intraday_high_day
    return None, None, None
