"""FAQ: the questions a reader asks of the week, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story import context
from reports.story.desk import AssetDesk, MarketDesk
from reports.story.prose import Sentence, sentence
from reports.story.model import FAQ, Paragraph, Question, Section
from reports.story.wording import possessive
from reports.story.sections.blocks import all_flat, paragraph
from reports.story.asset_view import has_btc, rank_clause, section, subject
from reports.story.sections.overview import against, breadth_sentence
from reports.story.sections.takeaways import share_sentence
from reports.story.sections.happened import link_sentence, median_sentence
from reports.story.sections.impact import asset_volatility_bullet


CLEAR_GAP_PP = 1.0  # the median altcoin must trail or lead bitcoin by this much for a "why" question


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    questions = [q for q in (_faq_altcoins(desk), _faq_lead_extreme(desk), _faq_history(desk), _faq_market_value(desk),
                             _faq_fear_greed(desk), _faq_movers(desk)) if q is not None]
    return Section("faq", "FAQ", (FAQ(tuple(questions[:5])),))


def _faq_altcoins(desk: MarketDesk) -> Question | None:
    alts = desk.facts.altcoins
    if alts is None:
        return None
    majority = alts.outperformed * 2 > alts.count
    minority = alts.outperformed * 2 < alts.count
    if alts.btc_pct < 0 and alts.median_pct <= alts.btc_pct - CLEAR_GAP_PP and minority:
        question = sentence("Why did altcoins fall more than bitcoin?")
    elif alts.btc_pct > 0 and alts.median_pct >= alts.btc_pct + CLEAR_GAP_PP and majority:
        question = sentence("Why did altcoins outperform bitcoin?")
    else:
        question = sentence("How did altcoins fare against bitcoin?")
    answer = [sentence(
        "The median altcoin {coins} returned {median} against bitcoin's {btc}, and {count} of {total} did better than bitcoin",
        median=desk.f.pct("altcoins.median_pct", sign=True), btc=desk.f.pct("altcoins.btc_pct", sign=True),
        count=desk.f.count("altcoins.outperformed"), total=desk.f.count("altcoins.count"), coins=desk.counted("in the brief"),
    )]
    if alts.beta is not None:
        beta = dict(days=desk.f.count("altcoins.beta_days"), beta=desk.f.cite("altcoins.beta", lambda v: desk.fmt.number(v, 2)))
        if alts.beta >= 1.1:
            answer.append(sentence(
                "Altcoins tend to amplify bitcoin's moves: over the past {days} days their average daily move was {beta} "
                "times bitcoin's", **beta))
        else:
            answer.append(sentence("Over the past {days} days their average daily move was {beta} times bitcoin's", **beta))
    return Question(question, Paragraph(tuple(answer)))


def _faq_lead_extreme(desk: MarketDesk) -> Question | None:
    lead = desk.lead
    dd = next((d for d in desk.facts.drawdowns if d.asset == lead), None)
    falling = desk.move(lead).change_pct < 0
    if falling and dd is not None:
        k = f"drawdowns.{lead}"
        return Question(
            sentence("How far is {name} from its high?", name=desk.names.plain(lead)),
            paragraph(sentence(
                "{name} ended the week at {close}, {dd} below its highest close of {peak} on {day}",
                name=desk.names.plain(lead),
                close=desk.f.price(f"{k}.close"), dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True),
                peak=desk.f.price(f"{k}.peak"), day=desk.f.date(f"{k}.peak_day"),
            )),
        )
    if not falling and len(desk.facts.assets) > 1:
        leaders = list(desk.facts.leaders)
        return Question(
            sentence("What led the gains?"),
            paragraph(breadth_sentence(desk), sentence("The biggest gainers were {leaders}", leaders=desk.signed_list(leaders))),
        )
    return None


def _faq_history(desk: MarketDesk) -> Question | None:
    """Asked only when the week ranks in the history or extends a run: answered with that ranking."""
    found = [context.lead_rank_sentence(desk), *context.streak_sentences(desk)]
    answer = [s for s in found if s is not None]
    if not answer:
        return None
    return Question(sentence("How does this week compare with {name}'s history?", name=desk.names.plain(desk.lead)),
                    Paragraph(tuple(answer)))


def _faq_market_value(desk: MarketDesk) -> Question | None:
    cap = desk.facts.market_cap
    if cap is None:
        return None
    lost = cap.change_usd < 0
    return Question(
        sentence("How much value did the crypto market {verb}?", verb="lose" if lost else "add"),
        paragraph(sentence(
            "Total market capitalisation went from {start} on {start_day} to {end} on {end_day}, a change of {amount} ({pct})",
            start=desk.f.money("market_cap.start_usd"), start_day=desk.f.day("market_cap.start_day"),
            end=desk.f.money("market_cap.end_usd"), end_day=desk.f.day("market_cap.end_day"),
            amount=desk.f.money("market_cap.change_usd"), pct=desk.f.pct("market_cap.change_pct", sign=True),
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
    return Question(sentence("What does the Crypto Fear & Greed Index say?"), Paragraph(tuple(answer)))


def _faq_movers(desk: MarketDesk) -> Question | None:
    if len(desk.facts.assets) < 4 or all_flat(desk):
        return None
    return Question(
        sentence("Which cryptocurrencies moved the most?"),
        paragraph(
            sentence("Best: {leaders}", leaders=desk.signed_list(list(desk.facts.leaders))),
            sentence("Worst: {laggards}", laggards=desk.signed_list(list(desk.facts.laggards))),
        ),
    )


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    questions = [_faq_bitcoin(desk), _faq_high(desk), _faq_rank(desk), _faq_volatility(desk), _asset_faq_fear_greed(desk)]
    return section("faq", "FAQ", FAQ(tuple(q for q in questions if q is not None)[:5]))


def _faq_bitcoin(desk: AssetDesk) -> Question:
    name = desk.names.plain(subject(desk))
    if not has_btc(desk):
        return Question(sentence("How did {name} do against the rest of the market?", name=name), paragraph(against(desk),
                        median_sentence(desk)))
    return Question(sentence("How did {name} do against bitcoin?", name=name),
                    paragraph(against(desk), link_sentence(desk)))


def _faq_high(desk: AssetDesk) -> Question | None:
    dd = desk.facts.drawdown
    if dd is None or desk.facts.recovery is None:
        return None
    name = desk.names.plain(subject(desk))
    return Question(sentence("How far is {name} from its high?", name=name), paragraph(sentence(
        "{name} ended the week at {close}, {dd} below its highest close of {peak} on {day}, in data that "
        "starts on {start}", name=name, close=desk.f.price("drawdown.close"),
        dd=desk.f.pct("drawdown.drawdown_pct", absolute=True), peak=desk.f.price("drawdown.peak"), day=desk.f.date("drawdown.peak_day"),
        start=desk.f.date("drawdown.history_start"))))


def _faq_rank(desk: AssetDesk) -> Question | None:
    if desk.facts.standing.rank is None:
        return None
    name = desk.names.plain(subject(desk))
    answer = [sentence("On {end}, by {provider} ranking, {name} was {rank}", name=name, rank=rank_clause(desk),
                       end=desk.f.day("week.end"), provider=possessive(desk.f.cite(f"sources.{desk.facts.sources[0].key}.provider", str)))]
    if desk.facts.dominance:
        answer.append(share_sentence(desk, "Its share"))
    return Question(sentence("Where does {name} rank?", name=name), Paragraph(tuple(answer)))


def _faq_volatility(desk: AssetDesk) -> Question | None:
    bullet = asset_volatility_bullet(desk)
    if bullet is None:
        return None
    name = desk.names.plain(subject(desk))
    answer = Sentence(bullet.text.removeprefix("Volatility: ")[0].upper() + bullet.text.removeprefix("Volatility: ")[1:],
                      bullet.facts)
    return Question(sentence("How volatile was {name} this week?", name=name), Paragraph((answer,)))


def _asset_faq_fear_greed(desk: AssetDesk) -> Question | None:
    if desk.facts.fear_greed is None:
        return None
    return Question(sentence("What does the Crypto Fear & Greed Index say?"), paragraph(sentence(
        "The index, which runs from zero (extreme fear) to one hundred (extreme greed) and measures the whole market rather than "
        "one coin, read {value} ({label}) on {day}", value=desk.f.index("fear_greed.value"),
        label=desk.f.cite("fear_greed.classification", str), day=desk.f.day("fear_greed.day"))))
