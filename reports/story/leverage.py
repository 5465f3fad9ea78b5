"""Leverage in the drivers section: the BTC and ETH perpetuals' funding and open interest, told only when the
data has them (the live `derivatives` driver, from Bybit; `reports.facts.derivatives`). The bundled data
has none, and its briefs say nothing about leverage.

Words of association only: funding and open interest are told beside the week, never as its cause. Funding
is glossed plainly on first mention (the fee that traders betting on a rise pay those betting on a fall,
every eight hours; negative, the other way round), open interest as the bets still open. Every figure cites
its fact; a rank is told only once the store has enough earlier weeks (`open_interest_weeks` is set).
"""

from __future__ import annotations

from reports.facts.derivatives import Perpetual
from reports.story.desk import Desk, F
from reports.story.model import Paragraph
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.sections.blocks import paragraph as block
from reports.story.wording import is_flat

NAMES = {"bitcoin": "bitcoin", "ethereum": "ether"}
GLOSS = ("funding, the fee that traders betting on a rise pay those betting on a fall every eight hours, "
         "stood at an annualised {rate} at the end of {day}")


def paragraph(desk: Desk[F]) -> Paragraph | None:
    """The leverage paragraph, or None when the data has no perpetuals for the week."""
    drivers = desk.facts.drivers
    perpetuals = drivers.derivatives if drivers is not None else ()
    if not perpetuals:
        return None
    sentences: list[Sentence | None] = []
    for number, perpetual in enumerate(perpetuals):
        sentences += [_funding(desk, perpetual, first=number == 0), _interest(desk, perpetual), _rank(desk, perpetual)]
    return block(*sentences)


def alone(desk: Desk[F]) -> tuple[Paragraph, ...]:
    """The paragraph for a drivers section that has no other driver to tell (a live store with the perpetuals only)."""
    found = paragraph(desk)
    return () if found is None else (found,)


def _key(perpetual: Perpetual) -> str:
    return f"drivers.derivatives.{perpetual.asset}"


def _rate(desk: Desk[F], key: str) -> Fragment:
    """Funding as a yearly rate: a few thousandths of a percent every eight hours reads as nothing."""
    return desk.f.pct(key)


def _funding(desk: Desk[F], perpetual: Perpetual, first: bool) -> Sentence | None:
    if perpetual.funding_pct is None:
        return None
    k = _key(perpetual)
    name = NAMES.get(perpetual.asset, perpetual.asset)
    rate, day = _rate(desk, f"{k}.funding_annual_pct"), desk.f.day(f"{k}.funding_day")
    if first:
        opening = sentence("On Bybit's " + name + " perpetual, " + GLOSS + "{tail}", rate=rate, day=day,
                           tail=_tail(desk, perpetual))
    else:
        opening = sentence("On the " + name + " perpetual, funding stood at an annualised {rate} at the end of {day}{tail}", rate=rate, day=day,
                           tail=_tail(desk, perpetual))
    return opening


def _tail(desk: Desk[F], perpetual: Perpetual) -> Fragment:
    """ "; it turned negative over the week, from 2.1% a week earlier", or the sign's meaning."""
    k = _key(perpetual)
    if perpetual.funding_turned is not None and perpetual.funding_start_annual_pct is not None:
        return (Fragment(f"; it turned {perpetual.funding_turned} over the week, from ") + _rate(desk, f"{k}.funding_start_annual_pct")
                + " a week earlier" + (", so those betting on a fall were now paying" if perpetual.funding_turned == "negative" else ""))
    if (perpetual.funding_pct or 0.0) < 0:
        return Fragment(", below zero: those betting on a fall were paying those betting on a rise")
    return Fragment("")


def _interest(desk: Desk[F], perpetual: Perpetual) -> Sentence | None:
    change = perpetual.open_interest_change_pct
    if change is None:
        return None
    k = _key(perpetual)
    name = NAMES.get(perpetual.asset, perpetual.asset)
    between = dict(start=desk.f.day(f"{k}.open_interest_start_day"), end=desk.f.day(f"{k}.open_interest_end_day"))
    if is_flat(change):
        return sentence("Open interest in the " + name + " perpetual, the bets still open, {flat} over the same days, between "
                        "the midnight UTC readings of {start} and {end}",
                        flat=Fragment("was little changed", (f"{k}.open_interest_change_pct",)), **between)
    return sentence("Open interest in the " + name + " perpetual, the bets still open, {verb} {pct} over the same days, between "
                    "the midnight UTC readings of {start} and {end}", verb="rose" if change > 0 else "fell",
                    pct=desk.f.pct(f"{k}.open_interest_change_pct", absolute=True), **between)


def _rank(desk: Desk[F], perpetual: Perpetual) -> Sentence | None:
    """Only a rank the store's own history supports, and only the top three are news."""
    rank, change = perpetual.open_interest_rank, perpetual.open_interest_change_pct
    if rank is None or perpetual.open_interest_weeks is None or change is None or rank > 3 or is_flat(change):
        return None
    k = _key(perpetual)
    place = Fragment("the largest") if rank == 1 else Fragment("the ") + desk.f.ordinal(f"{k}.open_interest_rank") + "-largest"
    return sentence("That was {place} weekly {side} in the {weeks} earlier weeks of open interest the store holds", place=place,
                    side="rise" if change > 0 else "fall", weeks=desk.f.count(f"{k}.open_interest_weeks"))
