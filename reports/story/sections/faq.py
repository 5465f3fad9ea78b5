"""FAQ: the questions a reader asks of the week, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story.desk import AssetDesk, MarketDesk
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import FAQ, Paragraph, Question, Section
from reports.story.wording import possessive
from reports.story.sections.blocks import paragraph
from reports.story.asset_view import rank_clause, section, subject


CLEAR_GAP_PP = 1.0  # the median altcoin must trail or lead bitcoin by this much for a "why" question


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
    questions = [q for q in (_faq_altcoins(desk), _faq_lead_extreme(desk), _faq_fear_greed(desk)) if q is not None]
    return Section("faq", "FAQ", (FAQ(tuple(questions[:5])),))


def _faq_altcoins(desk: MarketDesk) -> Question | None:
    alts = desk.facts.altcoins
    if alts is None:
        return None
    majority = alts.outperformed * 2 > alts.count
    minority = alts.outperformed * 2 < alts.count
    about = ("altcoins.median_pct", "altcoins.btc_pct")
    if alts.btc_pct < 0 and alts.median_pct <= alts.btc_pct - CLEAR_GAP_PP and minority:
        question = ask(desk, "Why did altcoins fall more than bitcoin?", *about)
    elif alts.btc_pct > 0 and alts.median_pct >= alts.btc_pct + CLEAR_GAP_PP and majority:
        question = ask(desk, "Why did altcoins outperform bitcoin?", *about)
    else:
        question = ask(desk, "How did altcoins fare against bitcoin?", *about)
    answer = [sentence(
        "The median altcoin {coins} returned {median} against bitcoin's {btc}, and {count} of {total} did better than bitcoin",
        median=desk.f.pct("altcoins.median_pct", sign=True), btc=desk.f.pct("altcoins.btc_pct", sign=True),
        count=desk.f.count("altcoins.outperformed"), total=desk.f.count("altcoins.count"), coins=desk.counted("in the brief"),
    )]
    if alts.beta is not None and alts.beta >= 1.1:  # Impact gives the beta and its gloss; the FAQ only its meaning
        answer.append(sentence("Altcoins tend to amplify bitcoin's moves: their beta to bitcoin over the past {days} days was "
                               "{beta}", days=desk.f.count("altcoins.beta_days"),
                               beta=desk.f.cite("altcoins.beta", lambda v: desk.fmt.number(v, 2))))
    return Question(question, Paragraph(tuple(answer)))


def _faq_lead_extreme(desk: MarketDesk) -> Question | None:
    """How far the lead coin is from its highest close, in a falling or a rising week ("What led the gains?" would
    tell the movers a third time)."""
    lead = desk.lead
    dd = next((d for d in desk.facts.drawdowns if d.asset == lead), None)
    if dd is None or dd.drawdown_pct > -0.05:
        return None
    k = f"drawdowns.{lead}"
    return Question(
        ask(desk, "How far is {name} from its high?", f"{k}.drawdown_pct", name=desk.names.plain(lead)),
        paragraph(sentence(
            "{name} ended the week at {close}, {dd} below its highest close of {peak} on {day}",
            name=desk.names.plain(lead),
            close=desk.f.price(f"{k}.close"), dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True),
            peak=desk.f.price(f"{k}.peak"), day=desk.f.date(f"{k}.peak_day"),
        )),
    )


def _faq_fear_greed(desk: MarketDesk) -> Question | None:
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    answer = [sentence(
        "The index, which runs from zero (extreme fear) to one hundred (extreme greed), read {value} ({label}) on {day}",
        value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str),
        day=desk.f.day("fear_greed.day"),
    )]
    if fg.base_value is not None:
        answer.append(sentence("A week earlier it stood at {base} ({label}); during the week it ranged from {low} to {high}",
                               base=desk.f.index("fear_greed.base_value"),
                               label=desk.f.cite("fear_greed.base_classification", str),
                               low=desk.f.index("fear_greed.week_low"), high=desk.f.index("fear_greed.week_high")))
    return Question(ask(desk, "What does the Crypto Fear & Greed Index say?", "fear_greed.value"), Paragraph(tuple(answer)))


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
