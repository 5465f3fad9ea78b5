"""What lies ahead of the week, as facts: the scheduled events within EVENT_WINDOW_DAYS after its
end, and the range an asset traded in before the week (the floor and ceiling a reader watches).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from reports.data.events import ScheduledEvent
from reports.facts.model import CONTEXT_DAYS, EVENT_WINDOW_DAYS, Event, Range
from reports.facts.week import Week

def upcoming(events: tuple[ScheduledEvent, ...], week: Week, asset: str | None = None) -> tuple[Event, ...]:
    """The events that start or go on after the week's end, up to EVENT_WINDOW_DAYS after it. The
    market brief lists them all; an asset brief those for the whole market and those naming the asset."""
    last = week.end + timedelta(days=EVENT_WINDOW_DAYS)
    return tuple(
        Event(e.id, e.title, e.day, e.end or e.day, (e.day - week.end).days, e.url, e.assets, e.source)
        for e in events
        if (e.end or e.day) > week.end and e.day <= last and (asset is None or not e.assets or asset in e.assets)
    )


def prior_range(series: pd.Series, asset: str, week: Week) -> Range | None:
    """The lowest and highest close over the CONTEXT_DAYS days to the week's base day: the range the
    week started from. None when the series has no close in that window."""
    base = pd.Timestamp(week.base)
    closes = series.loc[base - pd.Timedelta(days=CONTEXT_DAYS - 1) : base].dropna()
    if closes.empty:
        return None
    low_day, high_day = closes.idxmin(), closes.idxmax()
    return Range(asset, CONTEXT_DAYS, float(closes[low_day]), low_day.date(), float(closes[high_day]), high_day.date())
