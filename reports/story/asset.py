"""The asset brief's words: the market brief's sections, told from one coin's point of view.

It writes a regular `Story` (same blocks, same section ids and titles), so the renderers and
templates lay it out unchanged. Every figure comes in through a fragment citing a key of the
asset facts; the shared phrases (verbs sized to moves, house-style names, "since October
2024") come from the market brief's desk, wording and headline modules. This module holds the
desk and the front; the body is `reports.story.sections.asset_body()`, the figures `asset_figures`.
"""

from __future__ import annotations

from datetime import datetime

from reports.facts.asset import AssetWeekFacts
from reports.story.desk import AssetDesk, Desk
from reports.facts.table import fact_table
from reports.core.formatting import Formatter
from reports.story.front import mood_tags, name_tag, notable_level, since_phrase, tag_list
from reports.story.prose import Facts, Fragment, Sentence, Variation, phrase, sentence
from reports.core.settings import Settings
from reports.story.model import Story
from reports.story.asset_view import btc_comparison, has_btc, market_name, rank_clause, subject
from reports.story.sections import asset_body
from reports.story.write import Front, compose
from reports.story.wording import Names, is_flat, relation_to_lead


def write_asset_story(facts: AssetWeekFacts, settings: Settings, published: datetime) -> Story:
    desk = _open_desk(facts, settings)
    front = Front(headline=_headline(desk), description=_description(desk), dateline=_dateline(desk))
    desk.names.seen.clear()  # the body introduces each asset afresh
    return compose(desk, settings, published, front, _sentiment(desk), _tags, asset_body())


def _open_desk(facts: AssetWeekFacts, settings: Settings) -> AssetDesk:
    """The market brief's desk over the asset facts, varied per asset as well as per week."""
    fmt = Formatter(settings.locale)
    table = Facts(fact_table(facts), fmt)
    seed = f"{settings.publication_name}|{facts.asset_id}|{facts.week.end.isoformat()}"
    return Desk(facts, table, fmt, Names(table), Variation(seed), settings)


# --- the front ------------------------------------------------------------------------------------


def _sentiment(desk: AssetDesk) -> str:
    threshold = desk.facts.method.sentiment_threshold_pct
    change = desk.facts.subject.change_pct
    return "POSITIVE" if change >= threshold else "NEGATIVE" if change <= -threshold else "NEUTRAL"


def _headline(desk: AssetDesk) -> Sentence:
    a = subject(desk)
    change = desk.facts.subject.change_pct
    name, moved = desk.names.plain(a), desk.moved(a, present=True)
    level = notable_level(desk, a, "low" if change < 0 else "high")
    if level and not is_flat(change):
        return phrase("{name} {moved} in a week, with its {extreme} close {since}", name=name, moved=moved,
                      extreme="lowest" if change < 0 else "highest", since=since_phrase(desk, level))
    btc = btc_comparison(desk)
    if btc is not None and abs(btc.vs_btc_pp) >= 1:
        relation = relation_to_lead(change, btc.btc_pct, "bitcoin")
        return phrase("{name} {moved} to {price}, {relation}", name=name, moved=moved,
                      price=desk.f.price(f"assets.{a}.close"), relation=relation)
    return phrase("{name} {moved} to {price} in {week}", name=name, moved=moved,
                  price=desk.f.price(f"assets.{a}.close"), week=desk.week_to())


def _description(desk: AssetDesk) -> Sentence:
    a = subject(desk)
    parts = dict(name=desk.names(a), close=desk.f.price(f"assets.{a}.close"), moved=desk.up_down(a), week=desk.week_to(),
                 market=market_name(desk), market_pct=desk.f.pct("relative.market_pct", sign=True))
    rank = Fragment(", ") + rank_clause(desk, change=False) + "," if desk.facts.standing.rank is not None else Fragment("")
    if has_btc(desk):
        return sentence("{name}{rank} ended {week} at {close}, {moved}, against {btc} for bitcoin and {market_pct} for {market}",
                        **parts, rank=rank, btc=desk.f.pct("relative.btc_pct", sign=True))
    return sentence("{name}{rank} ended {week} at {close}, {moved}, against {market_pct} for {market}", **parts, rank=rank)


def _dateline(desk: AssetDesk) -> Sentence:
    return phrase("{name} · week ending {end}", name=desk.names.plain(subject(desk)), end=desk.f.date("week.end"))


def _tags(desk: AssetDesk) -> tuple[str, ...]:
    a = desk.facts.subject
    return tag_list([name_tag(a), *mood_tags(desk, a.change_pct)])
