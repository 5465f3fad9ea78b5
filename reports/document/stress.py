"""Named episodes of market stress: the brief names one only where a cited date falls inside it.

Shared by the writer (the facts stage looks a day up here) and the fact checker (which must
not load pandas to read them), so they live in the document stage, beside the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StressPeriod:
    """A named episode of market stress, for comparison when the history reaches it."""

    name: str
    start: date
    end: date


STRESS_PERIODS = (
    StressPeriod("the COVID-19 crash", date(2020, 3, 8), date(2020, 3, 23)),
    StressPeriod("the May 2021 China mining crackdown", date(2021, 5, 12), date(2021, 5, 24)),
    StressPeriod("the Terra/LUNA collapse", date(2022, 5, 7), date(2022, 5, 20)),
    StressPeriod("the Celsius and Three Arrows Capital failures", date(2022, 6, 12), date(2022, 7, 2)),
    StressPeriod("the FTX collapse", date(2022, 11, 6), date(2022, 11, 22)),
)
