"""The drivers in the reference box: how they are measured (Methodology & Sources) and the data notes on the ones
the section leaves out, and why. Kept apart from the section's narrative (sections/drivers.py), which never
carries methodology."""

from __future__ import annotations

from reports.story.desk import Desk, F
from reports.story.flows import ETF_NAMES
from reports.story.prose import Fragment, Sentence, join, sentence

LEFT_OUT_NAMES = {"etf_btc": "US spot bitcoin ETF flows", "etf_eth": "US spot ether ETF flows", "qqq": "US tech stocks (QQQ)",
                  "spy": "the broad US stock market (SPY)", "gold": "gold", "dxy": "the dollar index",
                  "ust10y": "the ten-year US Treasury yield", "stablecoins": "stablecoin supply",
                  "stablecoins.usdt": "USDT supply", "stablecoins.usdc": "USDC supply",
                  "stablecoins.top10": "the ten largest stablecoins' supply"}
REASONS = {"no_file": "the data has no file for them", "outside_dates": "the files' dates do not cover the week",
           "no_trading_day": "the files have no trading day in the week",
           "not_in_source": "their source does not publish that series"}


def share_words(desk: Desk[F]) -> Fragment:
    """The share of earlier windows a standout week beats ("90%"), for the section and its method sentence."""
    return desk.f.cite("drivers.standout_pct", lambda share: desk.fmt.percent(share, digits=0))


def method_sentence(desk: Desk[F]) -> Sentence | None:
    drivers = desk.facts.drivers
    if drivers is None or not (drivers.etf or drivers.markets or drivers.stablecoins):
        return None
    return sentence(
        "The drivers are measured on their own calendars: ETF flows summed over the US trading days in the week, US markets "
        "from the last close before the week to the last close in it, stablecoin supply between the midnight UTC snapshots at "
        "the week's two closes; a driver stands out when its week is larger, in absolute size, than {share} of the earlier "
        "seven-day windows of its series (at least {windows} of them), and bitcoin's correlation with QQQ pairs its close "
        "of each day (midnight UTC at its end) with that day's US close", share=share_words(desk),
        windows=desk.f.count("drivers.min_history"))


def left_out_notes(desk: Desk[F]) -> list[Sentence]:
    """One data note per reason (and file dates): which drivers the section leaves out, and why."""
    drivers = desk.facts.drivers
    if drivers is None:
        return []
    groups: dict[tuple, list] = {}
    for item in drivers.left_out:
        groups.setdefault((item.reason, item.first_day, item.last_day), []).append(item)
    notes = []
    for (reason, first, _), items in groups.items():
        k = f"drivers.left_out.{items[0].key}"
        dates = (Fragment(" (") + desk.f.date(f"{k}.first_day") + " to " + desk.f.date(f"{k}.last_day") + ")"
                 if first is not None and reason != "no_file" else Fragment(""))
        names = join([Fragment(LEFT_OUT_NAMES.get(item.key, item.key)) for item in items])
        notes.append(sentence("The drivers section leaves out {what}: {why}{dates}", what=names,
                              why=REASONS[reason], dates=dates))
    for flow in drivers.etf:
        if flow.closed_days:
            k = f"drivers.etf.{flow.asset}"
            notes.append(sentence(
                "{name} flows and the US market moves cover the week's {days} trading days: there was no US trading on {closed}",
                name=ETF_NAMES[flow.asset].removesuffix("s"), days=desk.f.cardinal(f"{k}.trading_days"),
                closed=desk.f.cite(f"{k}.closed_days", lambda days: join([Fragment(desk.fmt.day(day)) for day in days]).text)))
            break
    return notes
