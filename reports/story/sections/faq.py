"""FAQ: the questions a reader asks of the week, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.facts.history import Drawdown
from reports.story.desk import AssetDesk, MarketDesk
from reports.story.prose import Fragment, Sentence, join, sentence
from reports.story.model import FAQ, Paragraph, Question, Section
from reports.story.wording import is_flat, possessive, reads_equal
from reports.story.sections.blocks import paragraph
from reports.story.sections.impact import CLEAR_GAP_PP, FAR_BETA, asks_why_altcoins, tells_distance_from_top
from reports.story.sections.overview import FEAR_GREED_SMALL
from reports.story.asset_view import rank_clause, section, subject


def ask(desk: MarketDesk | AssetDesk, template: str, *about: str, **parts: Fragment | str) -> Sentence:
    """A question and the fact keys it is about, which its answer must cite (`build.py check` holds it to them)."""
    missing = [key for key in about if key not in desk.f]
    if missing:
        raise KeyError(f"a question about facts the story does not hold: {missing}")
    asked = sentence(template, **parts)
    return Sentence(asked.text, tuple(dict.fromkeys((*asked.facts, *about))))


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    # Not asked: the week's place in the history and the market's value, which the Overview and Impact already tell
    # (an answer would copy their sentences or tell the fact a third time).
    # Nor the movers: the takeaways and What Happened tell them, so an answer would be their third telling.
    # Each question is worded by the week's facts, and asked only when the week has them.
    # Questions the body leaves open come first: the few coins against the market, a streak, why the altcoins moved
    # more or less than bitcoin (the beta, which Impact leaves to the FAQ), how far from its high the lead is (or,
    # when Impact tells that, the rise that would undo it). How the altcoins fared and a sentiment that barely moved
    # only keep the FAQ at three questions.
    questions = [_faq_against(desk), _faq_streak(desk), _faq_why_altcoins(desk)]
    told = tells_distance_from_top(desk)
    if not told or _count(questions) < 3:
        questions.append(_faq_recovery(desk) if told else _faq_lead_extreme(desk))
    if _count(questions) < 3:
        questions.append(_faq_altcoins(desk))
    questions.append(_faq_fear_greed(desk, needed=_count(questions) < 3))
    return Section("faq", "FAQ", (FAQ(tuple(q for q in questions if q is not None)[:5]),))


def _count(questions: list[Question | None]) -> int:
    return sum(q is not None for q in questions)


NEAR_HIGH = 10.0  # within this many percent of its highest close, a coin is "close to its high"
DEEP_FALL = 25.0  # this far below it, more than a quarter of its value is gone
# the depth of a fall, in words, the first band it reaches ("a third" is left out: the checker reads it as an ordinal)
DEPTHS = ((50.0, "More than half of its value is gone"), (42.0, "Close to half of its value is gone"),
          (DEEP_FALL, "More than a quarter of its value is gone"))
WIDE_GAP_PP = 5.0  # an average altcoin this far from bitcoin is "a wide gap"


def _faq_altcoins(desk: MarketDesk) -> Question | None:
    """Altcoins against bitcoin when the week begs no "why" (the takeaways give the median and the count), answered
    by the average altcoin's gap."""
    alts = desk.facts.altcoins
    if alts is None or asks_why_altcoins(desk):
        return None
    # no direction word: the checker holds one to the cited gap, which may point the other way
    question = ask(desk, "How did altcoins fare against bitcoin?", "altcoins.gap_pp")
    gap = abs(alts.gap_pp)
    size = "a wide gap" if gap >= WIDE_GAP_PP else "a narrow gap" if gap < CLEAR_GAP_PP else "a clear gap"
    if reads_equal(alts.gap_pp):
        return Question(question, paragraph(sentence(
            "Taken as an equal-weighted basket, the {total} altcoins {coins} moved with bitcoin: their average ended level "
            "with it, at {average}", total=desk.f.count("altcoins.count"), coins=desk.counted("in the brief"),
            average=desk.f.pct("altcoins.average_pct", sign=True) + Fragment("", ("altcoins.gap_pp",)))))
    # the median on the other side of bitcoin: a few large moves carry the average, said so (the takeaways give the median)
    split = not reads_equal(alts.median_pct, alts.btc_pct) and (alts.median_pct > alts.btc_pct) != (alts.gap_pp > 0)
    tail = Fragment("")
    if split:
        tail = Fragment("; the median altcoin did " + ("better" if alts.median_pct > alts.btc_pct else "worse")
                        + " than bitcoin, so the average rests on a few large " + ("falls" if alts.gap_pp < 0 else "gains"),
                        ("altcoins.median_pct", "altcoins.btc_pct"))
    return Question(question, paragraph(sentence(
        "Taken as an equal-weighted basket, the {total} altcoins {coins} averaged {average}, {gap} percentage points "
        "{side} bitcoin, {size}{tail}",
        total=desk.f.count("altcoins.count"), coins=desk.counted("in the brief"),
        average=desk.f.pct("altcoins.average_pct", sign=True), gap=desk.f.points("altcoins.gap_pp"),
        side="behind" if alts.gap_pp < 0 else "ahead of", size=size, tail=tail)))


def _faq_why_altcoins(desk: MarketDesk) -> Question | None:
    """Why the altcoins fell (or rose) more than bitcoin, answered from the data's one measure of it: their beta, the
    slope of their daily returns on bitcoin's, and whether this week's gap is what that slope alone would give."""
    alts = desk.facts.altcoins
    if alts is None or alts.beta is None or not asks_why_altcoins(desk):
        return None
    down = alts.btc_pct < 0
    question = ask(desk, "Why did altcoins fall more than bitcoin?" if down else "Why did altcoins outperform bitcoin?",
                   "altcoins.gap_pp")
    parts: dict[str, Fragment | str] = dict(days=desk.f.count("altcoins.beta_days"),
                                            beta=desk.f.cite("altcoins.beta", lambda v: desk.fmt.number(v, 2)))
    slope = ("over the past {days} days, on a day bitcoin moved one percent the altcoins moved {beta} percent on "
             "average (their beta, the slope of their daily returns against bitcoin's)")
    if alts.beta >= 1 + FAR_BETA:
        habit = sentence("They usually do: " + slope, **parts)
    elif alts.beta <= 1 - FAR_BETA:
        habit = sentence("Not by habit: " + slope + ", so they usually " + ("fall" if down else "rise") + " less than bitcoin",
                         **parts)
    else:
        habit = sentence("Not by habit: over the past {days} days the altcoins' daily returns have moved close to one for "
                         "one with bitcoin's (a beta, the slope of one against the other, of {beta})", **parts)
    implied = alts.implied_gap_pp
    assert implied is not None  # there is a beta
    if abs(alts.gap_pp - implied) < CLEAR_GAP_PP:
        verdict = "about what that slope alone would give"
    elif implied * alts.gap_pp <= 0:
        verdict = "against that slope"
    else:
        verdict = "wider than that slope alone would give" if abs(alts.gap_pp) > abs(implied) else \
            "narrower than that slope alone would give"
    gap = sentence("This week their equal-weighted average {way} {average}, against bitcoin's {btc}: a gap of {gap} "
                   "percentage points, {verdict}", way="fell" if down else "rose",
                   average=desk.f.pct("altcoins.average_pct", absolute=True), btc=desk.f.pct("altcoins.btc_pct", absolute=True),
                   gap=desk.f.points("altcoins.gap_pp"), verdict=Fragment(verdict, ("altcoins.implied_gap_pp",)))
    return Question(question, Paragraph((habit, gap)))


def _below_top(desk: MarketDesk) -> Drawdown | None:
    """The lead's distance from its highest close, when it is below it (at the top there is no fall to ask about)."""
    dd = next((d for d in desk.facts.drawdowns if d.asset == desk.lead), None)
    return None if dd is None or dd.drawdown_pct > -0.05 else dd


def _faq_recovery(desk: MarketDesk) -> Question | None:
    """When Impact tells how far the lead sits below its top, the FAQ asks what the body does not say: the rise that
    would take it back, which is larger than the fall."""
    lead, dd = desk.lead, _below_top(desk)
    if dd is None:
        return None
    k = f"drawdowns.{lead}"
    name = desk.names.plain(lead)
    return Question(ask(desk, "How much would {name} have to gain to get back to its high?", f"{k}.recovery_pct", name=name),
                    paragraph(sentence(
                        "A rise of {gain} from the week's close: a fall of {dd} takes a larger gain to undo, as the "
                        "gain starts from the lower price", gain=desk.f.pct(f"{k}.recovery_pct"),
                        dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True))))


AGAINST_MOST = 3  # up to this many coins against the rest are named (one alone is named in the Overview)


def _faq_against(desk: MarketDesk) -> Question | None:
    """The few coins that went against a market that mostly went one way, by name (asked only in such a week)."""
    b = desk.facts.breadth
    few_rose = b.rose < b.fell
    few = b.rose if few_rose else b.fell
    if b.total < 2 * AGAINST_MOST or not 2 <= few <= AGAINST_MOST:
        return None
    names = [desk.names.plain(move.id) for move in desk.facts.assets
             if move.compared and not is_flat(move.change_pct) and (move.change_pct > 0) == few_rose]
    if len(names) != few:
        return None
    key = "breadth.rose" if few_rose else "breadth.fell"
    question = ask(desk, "Which coins rose when most fell?" if few_rose else "Which coins fell when most rose?", key)
    return Question(question, paragraph(sentence(
        "{names}: they were the only {count} of the {total} {coins} to {way} over the week", names=join(names),
        count=desk.f.count(key), total=desk.f.count("breadth.total"), coins=desk.coins, way="gain" if few_rose else "lose ground")))


def _faq_streak(desk: MarketDesk) -> Question | None:
    """How long the lead coin has gone one way, when it is a run of three weeks or more."""
    lead = desk.lead
    run = next((s for s in desk.facts.streaks if s.key == lead), None)
    if run is None or run.weeks < 3:
        return None
    k = f"streaks.{lead}"
    name = desk.names.plain(lead)
    down = run.direction == "down"
    question = ask(desk, "How long has {name} been falling?" if down else "How long has {name} been rising?", f"{k}.weeks",
                   name=name)
    # the Overview tells the run's length: the answer adds what the run came to, from the day it began
    total = Fragment("") if run.run_pct is None else (
        Fragment(", " + ("losing " if down else "gaining ")) + desk.f.pct(f"{k}.run_pct", absolute=True)
        + " in all since " + desk.f.day(f"{k}.run_start"))
    return Question(question, paragraph(sentence(
        "{name} has closed {way} week on week {count} times running{least}{total}", name=name, way="lower" if down else "higher",
        count=desk.f.cardinal(f"{k}.weeks"), total=total,
        least=Fragment("") if run.complete else Fragment(", as far back as the data goes"))))


def _faq_lead_extreme(desk: MarketDesk) -> Question | None:
    """How far the lead coin is from its highest close, asked by the way the week went ("What led the gains?" would
    tell the movers a third time)."""
    lead, dd = desk.lead, _below_top(desk)
    if dd is None:
        return None
    k = f"drawdowns.{lead}"
    name = desk.names.plain(lead)
    change = desk.move(lead).change_pct
    parts: dict[str, Fragment | str] = dict(
        name=name, close=desk.f.price(f"{k}.close"), dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True),
        peak=desk.f.price(f"{k}.peak"), day=desk.f.date(f"{k}.peak_day"))
    if is_flat(change) or dd.drawdown_pct > -NEAR_HIGH:
        template, asked = "{name} ended the week at {close}, {dd} below its highest close of {peak} on {day}", \
            "How close is {name} to its high?" if dd.drawdown_pct > -NEAR_HIGH else "How far is {name} from its high?"
    elif change < 0 and dd.drawdown_pct <= -DEEP_FALL:
        share = next(words for limit, words in DEPTHS if dd.drawdown_pct <= -limit)
        template, asked = share + ": the week's fall left {name} at {close}, {dd} under the {peak} it closed at on {day}", \
            "How deep is {name}'s fall from its high?"
    elif change < 0:
        template, asked = "The week's fall left {name} at {close}, {dd} under the {peak} it closed at on {day}", \
            "How far below its high has {name} fallen?"
    else:
        template, asked = "Even after the week's gain, {name}'s {close} close sits {dd} short of its {peak} high of {day}", \
            "How much ground does {name} still have to make up?"
    return Question(ask(desk, asked, f"{k}.drawdown_pct", name=name), paragraph(sentence(template, **parts)))


def _faq_fear_greed(desk: MarketDesk, needed: bool = True) -> Question | None:
    """Sentiment, asked by what it did: changed zone, or stayed in fear or greed; answered with the week's range
    (the Overview gives the closing reading)."""
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    parts: dict[str, Fragment | str] = dict(
        label=desk.f.cite("fear_greed.classification", str), low=desk.f.index("fear_greed.week_low"),
        high=desk.f.index("fear_greed.week_high"))
    scale = "an index that runs from zero (extreme fear) to one hundred (extreme greed)"
    if fg.base_classification is not None and fg.base_classification != fg.classification:
        question = ask(desk, "How did sentiment shift over the week?", "fear_greed.week_low")
        answer = sentence("It crossed from {was} into {label} on the Crypto Fear & Greed Index, " + scale + ", with daily "
                          "readings from {low} to {high}", **parts, was=desk.f.cite("fear_greed.base_classification", str))
    elif not needed and fg.change is not None and abs(fg.change) < FEAR_GREED_SMALL:
        return None  # the Overview says sentiment barely moved: asked only to keep the FAQ at three questions
    elif "Fear" in fg.classification or "Greed" in fg.classification:
        mood = "fear" if "Fear" in fg.classification else "greed"
        # asked by which way the index went: falling deepens fear and cools greed
        moved = None if fg.change is None or reads_equal(fg.change, places=0) else fg.change > 0
        asked = {(None, "fear"): "How fearful is the market?", (None, "greed"): "How greedy is the market?",
                 (False, "fear"): "Did fear deepen over the week?", (True, "fear"): "Did fear ease over the week?",
                 (True, "greed"): "Did greed build over the week?", (False, "greed"): "Did greed cool over the week?"}
        question = ask(desk, asked[(moved, mood)], "fear_greed.week_low")
        at = ("at the week's lowest reading" if reads_equal(fg.value, fg.week_low, places=0) else
              "at the week's highest reading" if reads_equal(fg.value, fg.week_high, places=0) else
              "above the week's lowest reading" if fg.change is not None and fg.change < 0 else "below the week's highest reading")
        parts["at"] = desk.f.cite("fear_greed.value", lambda _: at)
        opening = "" if moved is None else ("It did, though it stayed in the same zone: " if (moved is False) == (mood == "fear")
                                            else "Not enough to leave the zone: ")
        opening_cite = Fragment("", ("fear_greed.change",) if moved is not None else ())
        text = "the Crypto Fear & Greed Index, which runs from zero (extreme fear) to one hundred (extreme greed), ended " \
            "the week in {label}, {at}, with daily readings from {low} to {high}{cite}"
        answer = sentence(opening + (text if opening else text[0].upper() + text[1:]), **parts, cite=opening_cite)
    else:
        question = ask(desk, "What does the Crypto Fear & Greed Index say?", "fear_greed.week_low")
        answer = sentence("The index, " + scale + ", ended the week in {label}, having ranged from {low} to {high}", **parts)
    return Question(question, paragraph(answer))


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    # Not asked: how it did against bitcoin and how volatile it was, which the Overview, What Happened and Impact
    # tell in the same sentences (an answer would copy them).
    questions = [_faq_high(desk), _faq_rank(desk), _faq_volatility(desk), _asset_faq_fear_greed(desk)]
    return section("faq", "FAQ", FAQ(tuple(q for q in questions if q is not None)[:5]))


def _faq_high(desk: AssetDesk) -> Question | None:
    dd = desk.facts.drawdown
    if dd is None or desk.facts.recovery is None:
        return None
    name = desk.names.plain(subject(desk))
    return Question(ask(desk, "How far is {name} from its high?", "drawdown.drawdown_pct", name=name), paragraph(sentence(
        "{name} ended the week at {close}, {dd} below its highest close of {peak} on {day}, in data that "
        "starts on {start}", name=name, close=desk.f.price("drawdown.close"),
        dd=desk.f.pct("drawdown.drawdown_pct", absolute=True), peak=desk.f.price("drawdown.peak"), day=desk.f.date("drawdown.peak_day"),
        start=desk.f.date("drawdown.history_start"))))


def _faq_rank(desk: AssetDesk) -> Question | None:
    if desk.facts.standing.rank is None:
        return None
    name = desk.names.plain(subject(desk))
    # its share of market value is told in the takeaways and Impact: the answer is the rank alone
    answer = [sentence("On {end}, by {provider} ranking, {name} was {rank}", name=name, rank=rank_clause(desk),
                       end=desk.f.day("week.end"), provider=possessive(desk.f.cite(f"sources.{desk.facts.sources[0].key}.provider", str)))]
    return Question(ask(desk, "Where does {name} rank?", "standing.rank", name=name), Paragraph(tuple(answer)))


def _faq_volatility(desk: AssetDesk) -> Question | None:
    """In other words than Impact's volatility bullet: how the week's swings compare with a typical week's."""
    vol = desk.facts.volatility
    if vol is None:
        return None
    name = desk.names.plain(subject(desk))
    size = "wider" if vol.annualised_pct > vol.median_pct else "narrower"
    return Question(ask(desk, "How volatile was {name} this week?", "volatility.annualised_pct", name=name), paragraph(sentence(
        "Its daily swings were {size} than in a typical week: {vol} on a yearly scale, against {median} for the median "
        "seven-day window", size=size, vol=desk.f.pct("volatility.annualised_pct"), median=desk.f.pct("volatility.median_pct"))))


def _asset_faq_fear_greed(desk: AssetDesk) -> Question | None:
    if desk.facts.fear_greed is None:
        return None
    return Question(ask(desk, "What does the Crypto Fear & Greed Index say?", "fear_greed.value"), paragraph(sentence(
        "The index, which runs from zero (extreme fear) to one hundred (extreme greed) and measures the whole market rather than "
        "one coin, read {value} ({label}) on {day}", value=desk.f.index("fear_greed.value"),
        label=desk.f.cite("fear_greed.classification", str), day=desk.f.day("fear_greed.day"))))
