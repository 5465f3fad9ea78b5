"""The round numbers of a week in brief.json, as `reports.facts.levels` measures them: the level bitcoin's or
ether's week closed through, and the one its intraday low or high went through without a close beyond it. A part
of the one brief.json model (`reports.document.model.Brief.round_levels`), kept in its own module for size."""

from __future__ import annotations

from datetime import date
from typing import Literal

from reports.document.base import Model


class RoundLevel(Model):
    """One coin's round numbers for the week, on the brief's price basis (`series`)."""

    asset: str
    step: float  # the spacing of the round numbers: 10,000 for bitcoin, 500 for ether
    base_close: float
    close: float
    crossed: float | None  # the level nearest the last close among those closed through
    levels_crossed: int
    direction: Literal["down", "up"] | None
    touched: float | None  # traded through without a close beyond it
    touched_side: Literal["low", "high"] | None
    touched_day: date | None
    series: str
