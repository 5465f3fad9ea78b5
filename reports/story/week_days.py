"""The week in days, in words, for the market brief's lead coin and the asset brief's coin alike:
the range of its closes, its intraday low (or high) with the hour, and its largest daily fall and
rise on closes, both told when both matter (a crash and a rebound are the story of the week).
"""

from __future__ import annotations

from reports.facts.model import DailyMove
from reports.story.desk import Desk, F
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.wording import is_flat

# When in a UTC day an hour falls, as news copy says it: "early on Feb 6".
HOUR_WORDS = ((5, "early on "), (11, "on the morning of "), (17, "in the afternoon of "), (23, "late on "))


def hour_words(hour: int) -> str:
    return next(words for last, words in HOUR_WORDS if hour <= last)


def week_in_days(desk: Desk[F], asset: str) -> list[Sentence | None]:
    """The range of the week's closes, its largest daily moves, then its intraday extreme."""
    told: list[Sentence] = day_sentences(desk, asset)
    rise = desk.facts.daily_rise
    close_told = _matters(rise) and rise is not None and rise.day == desk.facts.week.end
    return [span_sentence(desk, asset), *told, intraday_sentence(desk, asset, close_told)]


def span_sentence(desk: Desk[F], asset: str) -> Sentence:
    k = f"assets.{asset}"
    move = desk.move(asset)
    parts = dict(low=desk.f.price(f"{k}.low"), low_day=desk.f.weekday(f"{k}.low_day"),
                 high=desk.f.price(f"{k}.high"), high_day=desk.f.weekday(f"{k}.high_day"))
    # worded by the week's shape: the order of its highest and lowest close, and whether it ended on one of them
    if move.low_day == desk.facts.week.end:
        return sentence("It ended the week on its lowest close; the highest, {high}, came on {high_day}", **parts)
    if move.high_day == desk.facts.week.end:
        return sentence("It ended the week on its highest close; the lowest, {low}, came on {low_day}", **parts)
    if move.high_day < move.low_day:
        return sentence("Its closes peaked at {high} on {high_day}, and bottomed at {low} on {low_day}", **parts)
    return sentence("Its daily closes ranged from a low of {low} on {low_day}, to a high of {high} on {high_day}", **parts)


def intraday_sentence(desk: Desk[F], asset: str, close_told: bool = False) -> Sentence | None:
    """ "It briefly touched $60,000 early on Feb 6, the week's lowest trade, before closing the day at $70,580." """
    move = desk.move(asset)
    k = f"assets.{asset}"
    side = "low" if move.change_pct < 0 else "high"
    value, day = getattr(move, f"intraday_{side}"), getattr(move, f"intraday_{side}_day")
    if value is None or day is None or is_flat(move.change_pct):
        return None
    when = (desk.f.cite(f"{k}.intraday_{side}_hour", hour_words) if getattr(move, f"intraday_{side}_hour") is not None
            else Fragment("on "))
    closing = Fragment("")
    if day == desk.facts.week.end and not close_told:
        closing = Fragment(", before closing the day at ") + desk.f.price(f"{k}.close")
    return sentence("It briefly touched {value} {when}{day}, the week's {extreme} trade{closing}",
                    value=desk.f.price(f"{k}.intraday_{side}"), when=when, day=desk.f.weekday(f"{k}.intraday_{side}_day"),
                    extreme="lowest" if side == "low" else "highest", closing=closing)


def _matters(move: DailyMove | None) -> bool:
    """A day worth telling: a move beyond the coin's typical daily move (any move, when that is unknown)."""
    return move is not None and not is_flat(move.change_pct) and (move.typical_pct is None or abs(move.change_pct) > move.typical_pct)


def day_sentences(desk: Desk[F], asset: str) -> list[Sentence]:
    """The largest daily fall and rise on closes, in the order they came; the largest move alone when neither stands out."""
    fall, rise = desk.facts.daily_fall, desk.facts.daily_rise
    told = sorted(((key, move) for key, move in (("daily_fall", fall), ("daily_rise", rise)) if _matters(move) and move),
                  key=lambda pair: pair[1].day)
    if not told:
        return [s for s in (_biggest(desk),) if s is not None]
    found = []
    for position, (key, move) in enumerate(told):
        rebound = position > 0 and key == "daily_rise"
        if rebound:
            found.append(sentence("{name} rebounded {pct} on {day}, to a close of {to}", name=desk.names.plain(asset),
                                  pct=desk.f.pct(f"{key}.change_pct", absolute=True), day=desk.f.weekday(f"{key}.day"),
                                  to=desk.f.price(f"{key}.to_price")))
            continue
        falling = key == "daily_fall"
        found.append(sentence(
            "The largest one-day {kind} came on {day}, a {pct} {noun} in the close from {start} to {end}",
            kind="fall" if falling else "rise", day=desk.f.weekday(f"{key}.day"),
            pct=desk.f.pct(f"{key}.change_pct", absolute=True), noun="drop" if falling else "gain",
            start=desk.f.price(f"{key}.from_price"), end=desk.f.price(f"{key}.to_price")))
    return found


def _biggest(desk: Desk[F]) -> Sentence | None:
    day = desk.facts.biggest_day
    if day is None or is_flat(day.change_pct):
        return None
    return sentence("The largest one-day move came on {day}, a {pct} {kind} in the close from {start} to {end}",
                    day=desk.f.weekday("biggest_day.day"), pct=desk.f.pct("biggest_day.change_pct", absolute=True),
                    kind="rise" if day.change_pct > 0 else "drop", start=desk.f.price("biggest_day.from_price"),
                    end=desk.f.price("biggest_day.to_price"))
