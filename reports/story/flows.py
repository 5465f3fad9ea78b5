"""The US spot ETFs' week in words, for "What Drove the Week": one sentence per fund with the week before (a run or a
reversal), how many days went the week's way and the largest day by weekday, then its rank in the funds' history.

Words of association only (", as bitcoin fell", ", even as bitcoin rose"): the flows moved beside the price, the data
does not say which drove which.
"""

from __future__ import annotations

from babel.dates import format_date

from reports.facts.drivers import EtfFlows
from reports.story.desk import Desk, F
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.wording import is_flat, simple_verb

ETF_NAMES = {"bitcoin": "US spot bitcoin ETFs", "ethereum": "US spot ether ETFs"}


def etf_from(flow: EtfFlows) -> str:
    return "from" if flow.direction == "outflow" else "into"


def etf_sentences(desk: Desk[F], flow: EtfFlows) -> list[Sentence | None]:
    """One sentence: the week's net flow with its rank in the funds' history, the week before (a run or a
    reversal), how many days went its way and its largest day by weekday."""
    k = f"drivers.etf.{flow.asset}"
    name = ETF_NAMES[flow.asset]
    verb = "took in net inflows of" if flow.direction == "inflow" else "saw net outflows of"
    first = sentence("{name} {verb} {total}{rank} over the week's {days} trading days, {first} to {last}{before}{steady}{moved}",
                     name=name, verb=verb, total=desk.f.money(f"{k}.total_usd", absolute=True), rank=_rank_clause(desk, flow),
                     days=desk.f.cardinal(f"{k}.trading_days"), first=desk.f.day(f"{k}.first_day"),
                     last=desk.f.day(f"{k}.last_day"), before=_before_clause(desk, flow), steady=_steady(desk, flow),
                     moved=_as_moved(desk, flow.asset, flow.direction))
    return [first]


def _before_clause(desk: Desk[F], flow: EtfFlows) -> Fragment:
    """The week before against this one: a reversal (", reversing net outflows of $1.2 billion the week before")
    or a run (", a second week of them, larger than the week before's $799 million")."""
    if flow.previous_usd is None:
        return Fragment("")
    k = f"drivers.etf.{flow.asset}"
    amount = desk.f.money(f"{k}.previous_usd", absolute=True)
    previous = "inflow" if flow.previous_usd > 0 else "outflow"
    if previous != flow.direction:
        return Fragment(f", reversing net {previous}s of ") + amount + " the week before"
    size = "larger" if abs(flow.total_usd) > abs(flow.previous_usd) else "smaller"
    return Fragment(f", a second week of them, {size} than the week before's ") + amount


def _as_moved(desk: Desk[F], asset: str, direction: str) -> Fragment:
    """ ", as ether fell 23.8%", ", even as bitcoin rose 4.1%" (flows against the move): the asset's own week beside its
    funds' flows (plain verbs: no seeded choice here)."""
    move = desk.facts.asset(asset)
    if move is None or not move.compared and asset != desk.lead:
        return Fragment("")
    if is_flat(move.change_pct):
        return Fragment(", as " + desk.names.plain(asset).text + " was little changed", (f"assets.{asset}.change_pct",))
    against = (move.change_pct > 0) != (direction == "inflow")
    return (Fragment((", even as " if against else ", as ") + desk.names.plain(asset).text + " " + simple_verb(move.change_pct) + " ")
            + desk.change(asset))


def _steady(desk: Desk[F], flow: EtfFlows) -> Fragment:
    """ "; money went out on four of the days, most on Thursday, Feb 5 ($80.8 million)", or, when the largest day went
    against the week's net, "though the largest day was a net inflow of $561.8 million on Monday, Feb 2"."""
    if flow.trading_days < 2:
        return Fragment("")
    k = f"drivers.etf.{flow.asset}"
    key, days = (f"{k}.inflow_days", flow.inflow_days) if flow.direction == "inflow" else (f"{k}.outflow_days", flow.outflow_days)
    way = "in" if flow.direction == "inflow" else "out"
    told = (Fragment(f"; money went {way} on every one of the days", (key,)) if days == flow.trading_days
            else Fragment(f"; money went {way} on ") + desk.f.cardinal(key) + " of the days")
    amount, day = desk.f.money(f"{k}.largest_usd", absolute=True), weekday(desk, f"{k}.largest_day")
    if (flow.largest_usd > 0) == (flow.direction == "inflow"):
        return told + ", most on " + day + " (" + amount + ")"
    side = "inflow" if flow.largest_usd > 0 else "outflow"
    return told + f", though the largest day was a net {side} of " + amount + " on " + day


def weekday(desk: Desk[F], key: str) -> Fragment:
    """ "Friday, Nov 7": a day with its weekday, through Babel in the brief's locale."""
    return desk.f.cite(key, lambda day: format_date(day, "EEEE", locale=desk.fmt.locale) + ", " + desk.fmt.day(day))


def _rank_clause(desk: Desk[F], flow: EtfFlows) -> Fragment:
    """ ", the largest weekly net outflow since March 2025,": only when the earlier one is more than a month back."""
    k = f"drivers.etf.{flow.asset}"
    if flow.rank is None or flow.windows is None or flow.windows < drivers_min(desk):
        return Fragment("")
    if flow.since is None:
        return Fragment(f", the largest weekly net {flow.direction} in the data, which begins on ") + desk.f.date(f"{k}.history_start") + ","
    if (desk.facts.week.start - flow.since).days <= 28:
        return Fragment("")
    return Fragment(f", the largest weekly net {flow.direction} since ") + desk.f.month(f"{k}.since") + ","


def drivers_min(desk: Desk[F]) -> int:
    drivers = desk.facts.drivers
    return drivers.min_history if drivers is not None else 0
