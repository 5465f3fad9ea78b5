"""Round numbers in words: "bitcoin closed below $80,000 and dipped to $60,000 on Feb 6 without a close below it".

The lead names the level that matters (issue 16): a round number the week closed through, or one its low or high
reached without a close beyond it. The facts are `reports.facts.levels.RoundLevel` (`round_levels.<asset>.*`);
this module only words them, citing each figure. A clause, not a sentence, so the Overview or What Happened can
set it in their own sentence; `round_number_sentence` is the stand-alone form.
"""

from __future__ import annotations

from reports.facts.levels import RoundLevel
from reports.story.desk import Desk, F
from reports.story.prose import Fragment, Sentence, sentence

CROSSED = {"down": "closed below", "up": "closed above"}
TOUCHED = {"low": ("touched", "dipped below", "without a close below it"),
           "high": ("touched", "rose above", "without a close above it")}


def round_number_clause(desk: Desk[F], asset: str) -> Fragment | None:
    """The asset's round numbers of the week as a clause starting with its name, or None when it met none."""
    level = _level(desk, asset)
    if level is None or (level.crossed is None and level.touched is None):
        return None
    k = f"round_levels.{asset}"
    parts: list[Fragment] = []
    if level.crossed is not None and level.direction is not None:
        crossed = Fragment(CROSSED[level.direction] + " ") + desk.f.money(f"{k}.crossed")
        if level.levels_crossed > 1:  # "closed below $70,000, through two round $10,000 marks"
            crossed = (crossed + ", through " + desk.f.cardinal(f"{k}.levels_crossed") + " round "
                       + desk.f.money(f"{k}.step") + " marks")
        parts.append(crossed)
    if level.touched is not None and level.touched_side is not None:
        exact, through, unclosed = TOUCHED[level.touched_side]
        move = desk.facts.asset(asset)
        extreme = None if move is None else move.intraday_low if level.touched_side == "low" else move.intraday_high
        verb = exact if extreme == level.touched else through  # "touched $60,000": the low was the round number
        parts.append(Fragment(verb + " ") + desk.f.money(f"{k}.touched") + " on " + desk.f.day(f"{k}.touched_day")
                     + " " + unclosed)
    told = parts[0] if len(parts) == 1 else parts[0] + " and " + parts[1]
    return desk.names.plain(asset) + " " + told


def round_number_sentence(desk: Desk[F], asset: str) -> Sentence | None:
    clause = round_number_clause(desk, asset)
    return None if clause is None else sentence("{clause}", clause=clause)


def _level(desk: Desk[F], asset: str) -> RoundLevel | None:
    return next((level for level in desk.facts.round_levels if level.asset == asset), None)
