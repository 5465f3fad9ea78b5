"""What a week is: days D-6..D, measured from the close of D-7, and which D to build by default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from reports.core.errors import NoDataError
from reports.data.model import MarketData
from reports.core.settings import WEEKDAYS


@dataclass(frozen=True)
class Week:
    """The seven days `start`..`end`; weekly changes run from the close of `base` (end - 7)."""

    end: date

    @property
    def start(self) -> date:
        return self.end - timedelta(days=6)

    @property
    def base(self) -> date:
        return self.end - timedelta(days=7)

    def days(self, with_base: bool = False) -> pd.DatetimeIndex:
        return pd.date_range(self.base if with_base else self.start, self.end, freq="D")


CLOSES = 8  # a week's seven days and the day before, which the weekly change is measured from


def resolve_week(data: MarketData, requested: date | None, ends_on: str) -> Week:
    """The requested week, checked against the data, or the latest complete week ending on `ends_on`."""
    observed = data.prices.observed()
    days = observed.index[observed]
    first, last = days[0].date(), days[-1].date()
    if (last - first).days + 1 < CLOSES:
        raise NoDataError(
            f"The data holds only {_days(len(days))} of prices ({first} to {last}), and a week needs {CLOSES} daily "
            "closes: its seven days and the day before, which the weekly change is measured from. "
            f"Use data covering at least {CLOSES} consecutive days."
        )
    if requested is None:
        return _latest_complete(observed, WEEKDAYS.index(ends_on), first, last)
    earliest = first + timedelta(days=CLOSES - 1)
    if not earliest <= requested <= last:
        raise NoDataError(
            f"No data for the week ending {requested}: it needs prices from {_base_of(requested)} to {requested}, "
            f"and the data covers {first} to {last}. Pick a week ending between {earliest} and {last}."
        )
    week = Week(requested)
    for day, role in ((week.end, "last day"), (week.base, "day before the week, which the weekly change is measured from")):
        if not observed.get(pd.Timestamp(day), False):
            raise NoDataError(
                f"No prices on {day} ({role} of the week ending {week.end}): the data has a gap there. "
                f"Pick another week; the nearest complete week ends on {_nearest_complete(observed, week.end)}."
            )
    return week


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _base_of(end: date) -> date | str:
    """The week's base day, or words for it when it would fall before 0001-01-01 (no `date` holds it)."""
    if end - date.min < timedelta(days=CLOSES - 1):
        return "the day seven days before it"
    return Week(end).base


def _complete(observed: pd.Series, end: pd.Timestamp) -> bool:
    window = observed.reindex(pd.date_range(end - pd.Timedelta(days=7), end, freq="D"), fill_value=False)
    return bool(window.all())


def _latest_complete(observed: pd.Series, weekday: int, first: date, last: date) -> Week:
    for end in reversed(observed.index):
        if end.weekday() == weekday and _complete(observed, end):
            return Week(end.date())
    raise NoDataError(
        f"The data ({first} to {last}) holds no complete week ending on a {WEEKDAYS[weekday].title()}. "
        "Pass --week-ending with a date, or set week_ends_on to another day."
    )


def _nearest_complete(observed: pd.Series, around: date) -> date | str:
    """The end of the complete week nearest `around` (the earlier of two as near)."""
    daily = observed.astype(bool).asfreq("D", fill_value=False)
    ends = daily.index[(daily.rolling(8).sum() == 8).to_numpy()]  # the day and the seven before it
    if not len(ends):
        return "nowhere in the data"
    return ends[abs(ends - pd.Timestamp(around)).argmin()].date()
