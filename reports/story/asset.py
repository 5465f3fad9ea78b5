"""The asset brief's words: the market brief's sections, told from one coin's point of view.

It writes a regular `Story` (same blocks, same section ids and titles), so the renderers and
templates lay it out unchanged. Every figure comes in through a fragment citing a key of the
asset facts; the shared phrases (verbs sized to moves, house-style names, "since October
2024") come from the market brief's desk, wording and headline modules.
"""

from __future__ import annotations

from datetime import datetime

from reports.facts.asset import AssetWeekFacts
from reports.story.desk import Desk
from reports.facts.market import BTC, fact_table
from reports.core.formatting import Formatter
from reports.story.front import mood_tags, notable_level, since_phrase, tag_list
from reports.story.prose import Facts, Fragment, Sentence, Variation, join, phrase, sentence
from reports.core.settings import Settings
from reports.story.model import FAQ, Column, Figure, Paragraph, Question, Section, Story, Table
from reports.story.sections import TIME_OF_DAY_NOTE, bullets, paragraph, table_row
from reports.story.write import CATEGORY
from reports.story.wording import Names, gain_loss, is_flat, possessive, relation_to_lead

NEIGHBOURS = 2  # coins either side of the asset's rank in the data table
CLOSE_LINK = 0.7  # correlation to bitcoin at or above which the moves "track" bitcoin's


def write_asset_story(facts: AssetWeekFacts, settings: Settings, published: datetime) -> Story:
    desk = _open_desk(facts, settings)
    front = dict(headline=_headline(desk), description=_description(desk), dateline=_dateline(desk))
    desk.names.seen.clear()  # the body introduces each asset afresh
    body = (_overview, _key_takeaways, _what_happened, _impact, _comparison, _what_to_watch, _faq, _methodology)
    return Story(
        facts=facts,
        publication=settings.publication_name,
        tagline=settings.tagline,
        sentiment=_sentiment(desk),
        category=CATEGORY,
        tags=_tags(desk),
        sections=tuple(write(desk) for write in body),
        attributions=tuple(dict.fromkeys(info.attribution for info in facts.sources)),
        credit="Data: " + ", ".join(dict.fromkeys(info.provider for info in facts.sources)),
        published=published,
        published_text=desk.fmt.date(published.date()),
        locale=settings.locale,
        **front,
    )


def _open_desk(facts: AssetWeekFacts, settings: Settings) -> Desk:
    """The market brief's desk over the asset facts, varied per asset as well as per week."""
    fmt = Formatter(settings.locale)
    table = Facts(fact_table(facts), fmt)
    seed = f"{settings.publication_name}|{facts.asset_id}|{facts.week.end.isoformat()}"
    return Desk(facts, table, fmt, Names(table), Variation(seed), settings)


def _section(section_id: str, title: str, *blocks) -> Section:
    return Section(section_id, title, tuple(b for b in blocks if b is not None and getattr(b, "items", True)))


# --- shared phrases of the asset view -------------------------------------------------------------


def _subject(desk: Desk) -> str:
    return desk.facts.asset_id


def _is_btc(desk: Desk) -> bool:
    return _subject(desk) == BTC


def _has_btc(desk: Desk) -> bool:
    return not _is_btc(desk) and desk.facts.relative.vs_btc_pp is not None


def _abs(desk: Desk, key: str) -> Fragment:
    return desk.f.cite(key, lambda v: desk.fmt.number(abs(v)))


def _market_name(desk: Desk) -> Fragment:
    """What "the market" is in this brief: total market value, or the median of the universe."""
    if desk.facts.relative.market == "market_cap":
        return Fragment("total crypto market value")
    return Fragment("the median of the ") + desk.f.count("breadth.total") + " largest coins"


def _gap_words(gap_pp: float) -> str:
    return "better" if gap_pp > 0 else "worse"


def _rank_clause(desk: Desk, change: bool = True) -> Fragment:
    """ "No. 2 by market value, unchanged on the week" / "No. 7 ..., up two places from No. 9" """
    s = desk.facts.standing
    text = Fragment("No. ") + desk.f.count("standing.rank") + " by market value"
    if s.rank_change is None or not change:
        return text
    if s.rank_change == 0:
        return text + Fragment(", unchanged on the week", ("standing.rank_change",))
    places = "place" if abs(s.rank_change) == 1 else "places"
    return (text + (", up " if s.rank_change > 0 else ", down ") + _abs(desk, "standing.rank_change") + f" {places} from No. "
            + desk.f.count("standing.base_rank"))


def _since_bitcoin(desk: Desk) -> Fragment:
    """ "losing 11.7% in bitcoin terms" """
    ratio = desk.facts.relative.vs_btc_ratio_pct
    word = "gaining " if ratio > 0 else "losing "
    return Fragment(word) + desk.f.pct("relative.vs_btc_ratio_pct", absolute=True) + " in bitcoin terms"


# --- the front ------------------------------------------------------------------------------------


def _sentiment(desk: Desk) -> str:
    threshold = desk.facts.method.sentiment_threshold_pct
    change = desk.facts.subject.change_pct
    return "POSITIVE" if change >= threshold else "NEGATIVE" if change <= -threshold else "NEUTRAL"


def _headline(desk: Desk) -> Sentence:
    a = _subject(desk)
    change = desk.facts.subject.change_pct
    name, moved = desk.names.plain(a), desk.moved(a, present=True)
    level = notable_level(desk, a, "low" if change < 0 else "high")
    if level and not is_flat(change):
        return phrase("{name} {moved} in a week, closing at its {extreme} {since}", name=name, moved=moved,
                      extreme="lowest" if change < 0 else "highest", since=since_phrase(desk, level))
    if _has_btc(desk) and abs(desk.facts.relative.vs_btc_pp) >= 1:
        relation = relation_to_lead(change, desk.facts.relative.btc_pct, "bitcoin")
        return phrase("{name} {moved} to {price}, {relation}", name=name, moved=moved,
                      price=desk.f.price(f"assets.{a}.close"), relation=relation)
    return phrase("{name} {moved} to {price} in {week}", name=name, moved=moved,
                  price=desk.f.price(f"assets.{a}.close"), week=desk.week_to())


def _description(desk: Desk) -> Sentence:
    a = _subject(desk)
    parts = dict(name=desk.names(a), close=desk.f.price(f"assets.{a}.close"), moved=desk.up_down(a), week=desk.week_to(),
                 market=_market_name(desk), market_pct=desk.f.pct("relative.market_pct", sign=True))
    rank = Fragment(", ") + _rank_clause(desk, change=False) + "," if desk.facts.standing.rank is not None else Fragment("")
    if _has_btc(desk):
        return sentence("{name}{rank} ended {week} at {close}, {moved}, against {btc} for bitcoin and {market_pct} for {market}",
                        **parts, rank=rank, btc=desk.f.pct("relative.btc_pct", sign=True))
    return sentence("{name}{rank} ended {week} at {close}, {moved}, against {market_pct} for {market}", **parts, rank=rank)


def _dateline(desk: Desk) -> Sentence:
    return phrase("{name} · week ending {end}", name=desk.names.plain(_subject(desk)), end=desk.f.date("week.end"))


def _tags(desk: Desk) -> tuple[str, ...]:
    a = desk.facts.subject
    return tag_list(["asset-brief", "weekly-brief", a.id, a.symbol, *mood_tags(desk, a.change_pct)])


# --- Overview -------------------------------------------------------------------------------------


def _overview(desk: Desk) -> Section:
    a = _subject(desk)
    first = sentence("{name} {moved} in {week}", name=desk.names(a), moved=desk.moved_to(a), week=desk.week_to())
    return _section("overview", "Overview", paragraph(first, _against(desk), _rank_sentence(desk), _place_sentence(desk)))


def _against(desk: Desk) -> Sentence:
    """The move set against bitcoin's (or, for bitcoin, the market's)."""
    a, rel = _subject(desk), desk.facts.relative
    if _has_btc(desk):
        if abs(rel.vs_btc_pp) < desk.facts.method.unchanged_pct:
            return sentence("Bitcoin {moved} over the same days, so {name} kept pace with the largest cryptocurrency",
                            moved=desk.moved(BTC), name=desk.names.plain(a))
        return sentence(
            "Over the same days bitcoin {moved} and {market} {market_move}, so {name} did {word} than bitcoin by "
            "{gap} percentage points, {ratio}",
            moved=desk.moved(BTC, varied=False), market=_market_name(desk), market_move=desk.direction("relative.market_pct", rel.market_pct, "rose", "fell", "was flat"),
            name=desk.names.plain(a),
            word=_gap_words(rel.vs_btc_pp), gap=desk.f.points("relative.vs_btc_pp"), ratio=_since_bitcoin(desk),
        )
    return sentence(
        "Over the same days {market} {market_move}, so {name} did {word} than the market by {gap} percentage points",
        market=_market_name(desk), market_move=desk.direction("relative.market_pct", rel.market_pct, "rose", "fell", "was flat"),
        name=desk.names.plain(a), word=_gap_words(rel.vs_market_pp), gap=desk.f.points("relative.vs_market_pp"),
    )


def _rank_sentence(desk: Desk) -> Sentence | None:
    if desk.facts.standing.rank is None:
        return None
    return sentence("On {end} it ranked {rank}", rank=_rank_clause(desk), end=desk.f.day("week.end"))


def _place_sentence(desk: Desk) -> Sentence | None:
    s = desk.facts.standing
    if s.of < 3:
        return None
    among = "largest coins tracked" if s.in_universe else "largest coins tracked, itself included"
    if s.place == 1:
        return sentence("Its weekly change was the best of the {of} {among}", of=desk.f.count("standing.of"), among=among)
    if s.place == s.of:
        return sentence("Its weekly change was the worst of the {of} {among}", of=desk.f.count("standing.of"), among=among)
    return sentence("By weekly change it placed No. {place} of the {of} {among}", place=desk.f.count("standing.place"),
                    of=desk.f.count("standing.of"), among=among)


# --- Key takeaways --------------------------------------------------------------------------------


def _key_takeaways(desk: Desk) -> Section:
    a = _subject(desk)
    change = desk.facts.subject.change_pct
    level = notable_level(desk, a, "low" if change < 0 else "high")
    first = sentence("{name} {moved} over the week", name=desk.names.plain(a), moved=desk.moved_to(a))
    if level is not None and not is_flat(change):
        first = sentence("{name} {moved}; on daily closes it touched its {extreme} level {since}", name=desk.names.plain(a),
                         moved=desk.moved_to(a), extreme="lowest" if change < 0 else "highest",
                         since=since_phrase(desk, level, precise=True))
    rel = desk.facts.relative
    items = [first]
    if _has_btc(desk):
        items.append(sentence("Against bitcoin ({btc}): {gap} percentage points {word}, {ratio}",
                              btc=desk.f.pct("relative.btc_pct", sign=True), gap=desk.f.points("relative.vs_btc_pp"),
                              word="ahead" if rel.vs_btc_pp > 0 else "behind", ratio=_since_bitcoin(desk)))
    items.append(sentence("Against the market: {market} {market_pct}, the median of the {total} largest coins {median}",
                          market=_market_name(desk) if rel.market == "market_cap" else Fragment("the market"),
                          market_pct=desk.f.pct("relative.market_pct", sign=True),
                          total=desk.f.count("breadth.total"), median=desk.f.pct("breadth.median_pct", sign=True)))
    if desk.facts.standing.rank is not None:
        items.append(sentence("Market-cap rank: {rank}", rank=_rank_clause(desk)))
    if desk.facts.dominance:
        items.append(_share_takeaway(desk))
    if desk.facts.drawdown is not None and desk.facts.recovery is not None:
        items.append(sentence("From the top: {dd} below its highest close of {peak} ({day})",
                              dd=desk.f.pct("drawdown.drawdown_pct", absolute=True), peak=desk.f.price("drawdown.peak"),
                              day=desk.f.date("drawdown.peak_day")))
    return _section("key-takeaways", "Key Takeaways", bullets(*items))


def _share_takeaway(desk: Desk) -> Sentence:
    """ "Share of total crypto market value: 57.0%, up 0.3 points on the week" """
    k = f"dominance.{_subject(desk)}"
    change = desk.facts.dominance[0].change_pp
    if round(change, 1) == 0:
        return sentence("Share of total crypto market value: {end}, unchanged on the week", end=desk.f.pct(f"{k}.end_pct"))
    return sentence("Share of total crypto market value: {end}, {direction} {pp} points on the week", end=desk.f.pct(f"{k}.end_pct"),
                    direction="up" if change > 0 else "down", pp=desk.f.points(f"{k}.change_pp"))


def _share_sentence(desk: Desk, label: str) -> Sentence:
    a = _subject(desk)
    dom = desk.facts.dominance[0]
    k = f"dominance.{a}"
    parts = dict(label=label, name=desk.names.plain(a), end=desk.f.pct(f"{k}.end_pct"))
    cap = Fragment("")
    if desk.facts.subject.market_cap_usd is not None:
        cap = Fragment(", a market value of ") + desk.f.money(f"assets.{a}.market_cap_usd")
    if round(dom.change_pp, 1) == 0:
        return sentence("{label}: {name} held {end} of total crypto market value{cap}", **parts, cap=cap)
    return sentence("{label}: {name} ended the week with {end} of total crypto market value{cap}, {direction} {pp} points",
                    **parts, cap=cap, direction="up" if dom.change_pp > 0 else "down", pp=desk.f.points(f"{k}.change_pp"))


# --- What happened --------------------------------------------------------------------------------


def _what_happened(desk: Desk) -> Section:
    return _section("what-happened", "What Happened", _week_paragraph(desk), _week_figure(desk), _bitcoin_paragraph(desk),
                    _relative_figure(desk))


def _week_paragraph(desk: Desk) -> Paragraph:
    a = _subject(desk)
    k, move = f"assets.{a}", desk.facts.subject
    opened = sentence(
        "{name} started the week at {base} on {base_day} and ended it at {close} on {end_day}, {moved}",
        name=desk.names(a), base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
        close=desk.f.price(f"{k}.close"), end_day=desk.f.day("week.end"),
        moved=Fragment("a ") + desk.f.pct(f"{k}.change_pct", absolute=True) + " " + gain_loss(move.change_pct)
        if not is_flat(move.change_pct) else Fragment("little changed"),
    )
    days = None
    if move.daily_changes > 1 and max(move.up_days, move.down_days) > 0:
        falling = move.down_days >= move.up_days
        days = sentence("It {direction} on {count} of the {total} days", direction="fell" if falling else "rose",
                        count=desk.f.count(f"{k}.down_days" if falling else f"{k}.up_days"),
                        total=desk.f.count(f"{k}.daily_changes"))
    span = sentence("Its daily prices ranged from {low} on {low_day} to {high} on {high_day}",
                    low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
                    high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"))
    return paragraph(opened, days, span, _biggest_day(desk), _level_sentence(desk))


def _biggest_day(desk: Desk) -> Sentence | None:
    day = desk.facts.biggest_day
    if day is None or is_flat(day.change_pct):
        return None
    return sentence("The largest one-day move came on {day}, a {pct} {kind} from {start} to {end}",
                    day=desk.f.day("biggest_day.day"), pct=desk.f.pct("biggest_day.change_pct", absolute=True),
                    kind="rise" if day.change_pct > 0 else "drop", start=desk.f.price("biggest_day.from_price"),
                    end=desk.f.price("biggest_day.to_price"))


def _level_sentence(desk: Desk) -> Sentence | None:
    a = _subject(desk)
    falling = desk.facts.subject.change_pct < 0
    key = notable_level(desk, a, "low" if falling else "high")
    if key is None or is_flat(desk.facts.subject.change_pct):
        return None
    series = desk.f.value(f"{key}.series")
    return sentence(
        "On {provider} {time}, {name}'s {day} close of {value} was its {extreme} {since}",
        provider=possessive(desk.f.cite(f"sources.{series}.provider", str)), time=desk.f.cite(f"sources.{series}.time_of_day", str),
        name=desk.names.plain(a), day=desk.f.day(f"{key}.day"), value=desk.f.price(f"{key}.value"),
        extreme="lowest" if falling else "highest", since=since_phrase(desk, key, precise=True),
    )


def _bitcoin_paragraph(desk: Desk) -> Paragraph:
    a, rel = _subject(desk), desk.facts.relative
    if not _has_btc(desk):
        return paragraph(_market_sentence(desk), _median_sentence(desk))
    relation = relation_to_lead(desk.facts.subject.change_pct, rel.btc_pct, "bitcoin")
    first = sentence("Bitcoin {moved} over the same seven days, from {base} to {close}, leaving {name} {relation}",
                     moved=desk.moved(BTC), base=desk.f.price(f"assets.{BTC}.base_close"), close=desk.f.price(f"assets.{BTC}.close"),
                     name=desk.names.plain(a), relation=relation)
    ratio = sentence("Priced in bitcoin, {name} {moved}", name=desk.names.plain(a),
                     moved=Fragment("rose " if rel.vs_btc_ratio_pct > 0 else "fell ") + desk.f.pct("relative.vs_btc_ratio_pct", absolute=True))
    return paragraph(first, ratio, _market_sentence(desk), _link_sentence(desk))


def _market_sentence(desk: Desk) -> Sentence | None:
    cap = desk.facts.market_cap
    if cap is None:
        return None
    if is_flat(cap.change_pct):
        return sentence("Total crypto market value was little changed, at {end}", end=desk.f.money("market_cap.end_usd"))
    return sentence("Total crypto market value {verb} {amount}, or {pct}, to {end}",
                    verb="lost" if cap.change_usd < 0 else "added", amount=desk.f.money("market_cap.change_usd", absolute=True),
                    pct=desk.f.pct("market_cap.change_pct", absolute=True), end=desk.f.money("market_cap.end_usd"))


def _median_sentence(desk: Desk) -> Sentence | None:
    if desk.facts.breadth.total < 3:
        return None
    return sentence("The median move among the {total} largest coins was {median}, so {name} did {word} than the typical coin by "
                    "{gap} percentage points", total=desk.f.count("breadth.total"), median=desk.f.pct("breadth.median_pct", sign=True),
                    name=desk.names.plain(_subject(desk)), word=_gap_words(desk.facts.relative.vs_median_pp),
                    gap=desk.f.points("relative.vs_median_pp"))


def _link_sentence(desk: Desk) -> Sentence | None:
    link = desk.facts.btc_link
    if link is None:
        return None
    how = "closely" if link.correlation >= CLOSE_LINK else "loosely"
    return sentence(
        "Over the past {days} days {name}'s daily moves have tracked bitcoin's {how} (correlation {corr}), at {beta} times their "
        "size on average (its beta)", days=desk.f.count("btc_link.days"), how=how, name=desk.names.plain(_subject(desk)), corr=desk.f.decimal("btc_link.correlation"),
        beta=desk.f.decimal("btc_link.beta"))


# --- Impact on the crypto market ------------------------------------------------------------------


def _impact(desk: Desk) -> Section:
    items = [_share_sentence(desk, "Market value") if desk.facts.dominance else None, _standing_bullet(desk),
             _breadth_bullet(desk), _volatility_bullet(desk)]
    return _section("impact", "Impact on the Crypto Market", bullets(*items), _peers_figure(desk))


def _standing_bullet(desk: Desk) -> Sentence | None:
    s = desk.facts.standing
    if s.of < 3:
        return None
    a = _subject(desk)
    return sentence("Among its peers: {name}'s {change} beat {beat} of the other {others} largest coins tracked",
                    name=desk.names.plain(a), change=desk.change(a, sign=True), beat=desk.f.count("standing.beat"),
                    others=desk.f.count("standing.others"))


def _breadth_bullet(desk: Desk) -> Sentence | None:
    b = desk.facts.breadth
    if b.total < 2:
        return None
    parts = dict(total=desk.f.count("breadth.total"), rose=desk.f.count("breadth.rose"), fell=desk.f.count("breadth.fell"),
                 median=desk.f.pct("breadth.median_pct", sign=True))
    # Total market value is stated once, in What Happened (`_bitcoin_paragraph`).
    return sentence("The wider market: of the {total} largest coins, {rose} rose and {fell} fell, with a median move of {median}",
                    **parts)


def _volatility_bullet(desk: Desk) -> Sentence | None:
    vol = desk.facts.volatility
    if vol is None:
        return None
    parts = dict(name=desk.names.plain(_subject(desk)), vol=desk.f.pct("volatility.annualised_pct"),
                 median=desk.f.pct("volatility.median_pct"), start=desk.f.month("volatility.history_start"))
    if vol.highest_since is None:
        return sentence("Volatility: {name}'s realised volatility over the week was {vol} annualised, the highest for any seven-day "
                        "window since its history in the data begins in {start}; the median window is {median}", **parts)
    if vol.annualised_pct > vol.median_pct:
        return sentence("Volatility: {name}'s realised volatility over the week was {vol} annualised, above the median of {median} "
                        "for seven-day windows since {start}, and higher than {share} of them", **parts,
                        share=desk.f.pct("volatility.percentile", absolute=True))
    return sentence("Volatility: {name}'s realised volatility over the week was a subdued {vol} annualised, below the median of "
                    "{median} for seven-day windows since {start}", **parts)


# --- Comparison & data ----------------------------------------------------------------------------


def _comparison(desk: Desk) -> Section:
    prices = desk.facts.sources[0].key
    lead = sentence(
        "The table sets {name} beside bitcoin and its neighbours by market-cap rank on {end}. Prices are {time} from {provider}; "
        "the change runs from {base} to {end}",
        name=desk.names.plain(_subject(desk)), end=desk.f.day("week.end"), time=desk.f.cite(f"sources.{prices}.time_of_day", str),
        provider=desk.f.cite(f"sources.{prices}.provider", str), base=desk.f.day("week.base"),
    )
    return _section("comparison", "Comparison & Data", paragraph(lead), _table(desk))


def _table_assets(desk: Desk) -> list:
    """Bitcoin, then the asset and its rank neighbours in the universe, in rank order."""
    moves = list(desk.facts.assets)
    at = next(i for i, move in enumerate(moves) if move.id == _subject(desk))
    chosen = moves[max(0, at - NEIGHBOURS) : at + NEIGHBOURS + 1]
    btc = desk.facts.asset(BTC)
    if btc is not None and btc not in chosen:
        chosen.insert(0, btc)
    return chosen


def _table(desk: Desk) -> Table:
    fmt = desk.fmt
    moves = _table_assets(desk)
    has_rank = any(move.rank is not None for move in moves)
    has_cap = any(move.market_cap_usd is not None for move in moves)
    columns = [Column("Rank", True)] if has_rank else []
    columns += [Column("Asset"), Column("Price", True), Column("7-day change", True), Column("Week range", True)]
    columns += [Column("Market cap", True)] if has_cap else []
    rows = []
    for move in moves:
        rows.append(table_row(move, fmt, has_rank, has_cap))
    caption = sentence("Prices at {end}; week range is the lowest and highest daily price from {start} to {end}",
                       end=desk.f.day("week.end"), start=desk.f.day("week.start"))
    return Table(caption, tuple(columns), tuple(rows))


# --- What to watch --------------------------------------------------------------------------------


def _what_to_watch(desk: Desk) -> Section:
    items = [_range_bullet(desk), _recovery_bullet(desk), _bitcoin_watch(desk), _sentiment_watch(desk)]
    return _section("what-to-watch", "What to Watch", bullets(*items), _history_figure(desk), _drawdown_figure(desk))


def _range_bullet(desk: Desk) -> Sentence:
    a = _subject(desk)
    move, rng = desk.facts.subject, desk.facts.range
    k = f"assets.{a}"
    parts = dict(name=desk.names.plain(a), low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
                 high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"), days=desk.f.count("range.days"),
                 rlow=desk.f.price("range.low"), rlow_day=desk.f.date("range.low_day"),
                 rhigh=desk.f.price("range.high"), rhigh_day=desk.f.date("range.high_day"))
    if move.change_pct < 0 and move.low_day == rng.low_day:
        return sentence("Levels: the week's low of {low} ({low_day}) is also the bottom of {name}'s {days}-day range, which tops out "
                        "at {rhigh} ({rhigh_day})", **parts)
    if move.change_pct > 0 and move.high_day == rng.high_day:
        return sentence("Levels: the week's high of {high} ({high_day}) is also the top of {name}'s {days}-day range, which bottoms "
                        "out at {rlow} ({rlow_day})", **parts)
    return sentence("Levels: {name}'s week ran from {low} ({low_day}) to {high} ({high_day}), inside a {days}-day range from "
                    "{rlow} ({rlow_day}) to {rhigh} ({rhigh_day})", **parts)


def _recovery_bullet(desk: Desk) -> Sentence | None:
    if desk.facts.recovery is None:
        if desk.facts.drawdown is None:
            return None
        return sentence("The high: {name} closed the week at its highest close in the data, {peak}",
                        name=desk.names.plain(_subject(desk)), peak=desk.f.price("drawdown.peak"))
    return sentence("The way back: from the week's last daily close of {close}, {name} needs a {gain} gain to regain its highest "
                    "close of {peak}, set on {day}", close=desk.f.price("recovery.close"), name=desk.names.plain(_subject(desk)),
                    gain=desk.f.pct("recovery.gain_pct"), peak=desk.f.price("recovery.peak"), day=desk.f.date("drawdown.peak_day"))


def _bitcoin_watch(desk: Desk) -> Sentence | None:
    link = desk.facts.btc_link
    if link is None:
        return None
    if link.correlation >= CLOSE_LINK:
        return sentence("Bitcoin: with a correlation of {corr} over {days} days, bitcoin's direction has set {name}'s; a beta of "
                        "{beta} means its swings have run {size} bitcoin's", corr=desk.f.decimal("btc_link.correlation"),
                        days=desk.f.count("btc_link.days"), name=desk.names.plain(_subject(desk)), beta=desk.f.decimal("btc_link.beta"),
                        size="larger than" if link.beta > 1 else "smaller than")
    return sentence("Bitcoin: a correlation of only {corr} over {days} days means {name} has often moved on its own",
                    corr=desk.f.decimal("btc_link.correlation"), days=desk.f.count("btc_link.days"),
                    name=desk.names.plain(_subject(desk)))


def _sentiment_watch(desk: Desk) -> Sentence | None:
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    return sentence("Sentiment: the market-wide Crypto Fear & Greed Index ended the week at {value} ({label}), within a weekly range "
                    "of {low} to {high}", value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str),
                    low=desk.f.index("fear_greed.week_low"), high=desk.f.index("fear_greed.week_high"))


# --- FAQ ------------------------------------------------------------------------------------------


def _faq(desk: Desk) -> Section:
    questions = [_faq_bitcoin(desk), _faq_high(desk), _faq_rank(desk), _faq_volatility(desk), _faq_fear_greed(desk)]
    return _section("faq", "FAQ", FAQ(tuple(q for q in questions if q is not None)[:5]))


def _faq_bitcoin(desk: Desk) -> Question:
    name = desk.names.plain(_subject(desk))
    if not _has_btc(desk):
        return Question(sentence("How did {name} do against the rest of the market?", name=name), paragraph(_against(desk),
                        _median_sentence(desk)))
    return Question(sentence("How did {name} do against bitcoin?", name=name),
                    paragraph(_against(desk), _link_sentence(desk)))


def _faq_high(desk: Desk) -> Question | None:
    dd = desk.facts.drawdown
    if dd is None or desk.facts.recovery is None:
        return None
    name = desk.names.plain(_subject(desk))
    return Question(sentence("How far is {name} from its high?", name=name), paragraph(sentence(
        "On {provider} {time}, {name} ended the week at {close}, {dd} below its highest close of {peak} on {day}, in data that "
        "starts on {start}", provider=possessive(desk.f.cite(f"sources.{dd.series}.provider", str)),
        time=desk.f.cite(f"sources.{dd.series}.time_of_day", str), name=name, close=desk.f.price("drawdown.close"),
        dd=desk.f.pct("drawdown.drawdown_pct", absolute=True), peak=desk.f.price("drawdown.peak"), day=desk.f.date("drawdown.peak_day"),
        start=desk.f.date("drawdown.history_start"))))


def _faq_rank(desk: Desk) -> Question | None:
    if desk.facts.standing.rank is None:
        return None
    name = desk.names.plain(_subject(desk))
    answer = [sentence("On {end}, by {provider} ranking, {name} was {rank}", name=name, rank=_rank_clause(desk),
                       end=desk.f.day("week.end"), provider=possessive(desk.f.cite(f"sources.{desk.facts.sources[0].key}.provider", str)))]
    if desk.facts.dominance:
        answer.append(_share_sentence(desk, "Its share"))
    return Question(sentence("Where does {name} rank?", name=name), Paragraph(tuple(answer)))


def _faq_volatility(desk: Desk) -> Question | None:
    bullet = _volatility_bullet(desk)
    if bullet is None:
        return None
    name = desk.names.plain(_subject(desk))
    answer = Sentence(bullet.text.removeprefix("Volatility: ")[0].upper() + bullet.text.removeprefix("Volatility: ")[1:],
                      bullet.facts)
    return Question(sentence("How volatile was {name} this week?", name=name), Paragraph((answer,)))


def _faq_fear_greed(desk: Desk) -> Question | None:
    if desk.facts.fear_greed is None:
        return None
    return Question(sentence("What does the Crypto Fear & Greed Index say?"), paragraph(sentence(
        "The index, which runs from zero (extreme fear) to one hundred (extreme greed) and measures the whole market rather than "
        "one coin, read {value} ({label}) on {day}", value=desk.f.index("fear_greed.value"),
        label=desk.f.cite("fear_greed.classification", str), day=desk.f.day("fear_greed.day"))))


# --- Methodology & sources ------------------------------------------------------------------------


def _methodology(desk: Desk) -> Section:
    facts = desk.facts
    prices = facts.sources[0].key
    name = desk.names.plain(_subject(desk))
    method = [sentence(
        "Weekly changes compare each asset's price on {end} with its price seven days earlier, on {base}, both from the {title} "
        "({time}); ranks are that file's market-cap ranks", end=desk.f.date("week.end"), base=desk.f.date("week.base"),
        title=desk.f.cite(f"sources.{prices}.title", str), time=desk.f.cite(f"sources.{prices}.time_of_day", str))]
    if facts.levels:
        series = facts.levels[0].series
        method.append(sentence(
            "{name}'s levels not seen since, drawdown and volatility use its longest history available, the {title} ({time}); "
            "realised volatility is the standard deviation of seven daily log returns, annualised over {days} days",
            name=name, title=desk.f.cite(f"sources.{series}.title", str), time=desk.f.cite(f"sources.{series}.time_of_day", str),
            days=desk.f.count("method.days_per_year")))
    if facts.btc_link is not None:
        method.append(sentence("Correlation and beta to bitcoin use both coins' daily returns over the {days} days to {end}, "
                               "from the same snapshots", days=desk.f.count("btc_link.days"), end=desk.f.day("week.end")))
    if facts.market_cap is not None:
        key = facts.market_cap.series
        method.append(sentence("Total market value and market shares come from the {title} ({time})",
                               title=desk.f.cite(f"sources.{key}.title", str), time=desk.f.cite(f"sources.{key}.time_of_day", str)))
    method.append(sentence("The sentiment label is positive when {name}'s price rose by at least {threshold} over the week, negative "
                           "when it fell by at least as much, and neutral otherwise", name=name,
                           threshold=desk.f.pct("method.sentiment_threshold_pct")))
    return _section("methodology", "Methodology & Sources", paragraph(*method), Paragraph((phrase("Data notes"),), kind="subhead"),
                    bullets(*_data_notes(desk)), Paragraph((phrase("Sources"),), kind="subhead"), bullets(*desk.attributions()))


def _data_notes(desk: Desk) -> list[Sentence]:
    notes = []
    for gap in desk.facts.gaps:
        notes.append(sentence(
            "The {title} have no value for {name} on {days}, so figures for those days are left out",
            title=desk.f.cite(f"sources.{gap.series}.title", str), name=desk.names.plain(_subject(desk)),
            days=desk.f.cite(f"gaps.{gap.series}.days", lambda days: join([Fragment(desk.fmt.day(d)) for d in days]).text)))
    missing = {"market_cap": "total market value or market share", "fear_greed": "Fear & Greed Index reading"}
    for name in desk.facts.quality.missing:
        notes.append(sentence("The data has no {what} for this week, so the brief leaves it out", what=missing[name]))
    if not desk.facts.standing.in_universe:
        notes.append(sentence("{name} is outside the {total} coins of the market brief (an excluded kind or a lower rank); it is "
                              "compared with them all the same", name=desk.names.plain(_subject(desk)),
                              total=desk.f.count("breadth.total")))
    dd = desk.facts.drawdown
    close = desk.facts.subject.close
    if dd is not None and dd.series != desk.facts.sources[0].key and abs(dd.close / close - 1) >= TIME_OF_DAY_NOTE:
        a = _subject(desk)
        notes.append(sentence(
            "Time of day matters this week: {name} was at {snapshot} in the {time} on {end}, but closed the day at {close} ({close_time})",
            name=desk.names.plain(a), snapshot=desk.f.price(f"assets.{a}.close"),
            time=desk.f.cite(f"sources.{desk.facts.sources[0].key}.time_of_day", str), end=desk.f.day("week.end"),
            close=desk.f.price("drawdown.close"), close_time=desk.f.cite(f"sources.{dd.series}.time_of_day", str)))
    if not desk.facts.gaps:
        notes.append(sentence("No gaps: {name} has a price on each day from {base} to {end}",
                              name=desk.names.plain(_subject(desk)), base=desk.f.day("week.base"), end=desk.f.day("week.end")))
    return notes


# --- figures: the words of each chart -------------------------------------------------------------


def _week_figure(desk: Desk) -> Figure:
    a = _subject(desk)
    k = f"assets.{a}"
    prices = desk.facts.sources[0].key
    name = desk.names.plain(a)
    return Figure(
        chart="asset-week",
        title=phrase("{name}'s price through {week}", name=name, week=desk.week_to()),
        caption=sentence("Daily prices ({time}); the dashed line is the price on {base}, where the weekly change is measured from",
                         time=desk.f.cite(f"sources.{prices}.time_of_day", str), base=desk.f.day("week.base")),
        alt=sentence("Line chart of {name}'s daily price from {base} on {base_day} to {close} on {end}, with a low of {low} and a "
                     "high of {high}", name=name, base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
                     close=desk.f.price(f"{k}.close"), end=desk.f.day("week.end"), low=desk.f.price(f"{k}.low"),
                     high=desk.f.price(f"{k}.high")),
        labels=((a, desk.facts.subject.symbol),),
    )


def _relative_figure(desk: Desk) -> Figure | None:
    lines = [key for key, _ in desk.facts.series.indexed]
    if len(lines) < 2:
        return None
    a = _subject(desk)
    others = [Fragment("bitcoin") if key == BTC else Fragment("total market value") for key in lines[1:]]
    ends = [desk.names.plain(a) + " " + desk.up_down(a)]
    if BTC in lines[1:]:
        ends.append(Fragment("bitcoin ") + desk.up_down(BTC))
    if "market" in lines:
        ends.append(Fragment("total market value ") + desk.direction("market_cap.change_pct", desk.facts.market_cap.change_pct))
    labels = [(a, desk.facts.subject.symbol)] + [(BTC, "BTC") if key == BTC else ("market", "Market") for key in lines[1:]]
    return Figure(
        chart="asset-relative",
        title=phrase("{name} against {others}, indexed to {base} on {day}", name=desk.names.plain(a), others=join(others),
                     base=desk.f.count("method.index_base"), day=desk.f.day("week.base")),
        caption=sentence("Each line is divided by its value on {day}; above {base} means a gain over the week",
                         day=desk.f.day("week.base"), base=desk.f.count("method.index_base")),
        alt=sentence("Line chart of {name} and {others} over {week}, each starting at {base}; by the end: {ends}",
                     name=desk.names.plain(a), others=join(others), week=desk.week_to(), base=desk.f.count("method.index_base"),
                     ends=join(ends)),
        labels=tuple(labels),
    )


def _peers_figure(desk: Desk) -> Figure | None:
    if len(desk.facts.assets) < 3:
        return None
    return Figure(
        chart="asset-peers",
        title=phrase("{name} among the {total} coins of the week's brief", name=desk.names.plain(_subject(desk)),
                     total=desk.f.count("standing.of")),
        caption=sentence("Seven-day change from {base} to {end}; {fell} fell and {rose} rose",
                         base=desk.f.day("week.base"), end=desk.f.day("week.end"), fell=desk.f.count("breadth.fell"),
                         rose=desk.f.count("breadth.rose")),
        alt=sentence("Bar chart of the weekly change of the largest coins; {name} is at {change}",
                     name=desk.names.plain(_subject(desk)), change=desk.change(_subject(desk), sign=True)),
        labels=tuple((move.id, move.symbol) for move in desk.facts.assets),
    )


def _history_figure(desk: Desk) -> Figure | None:
    window = desk.facts.history_window
    if window is None:
        return None
    name = desk.names.plain(_subject(desk))
    return Figure(
        chart="asset-history",
        title=phrase("{name}'s daily prices since {start}", name=name, start=desk.f.date("history_window.start")),
        caption=sentence("Daily prices from the {title} ({time}); the shaded band is the week to {end}",
                         title=desk.f.cite(f"sources.{window.series}.title", str),
                         time=desk.f.cite(f"sources.{window.series}.time_of_day", str), end=desk.f.day("week.end")),
        alt=sentence("Line chart of {name}'s daily prices over the {days} days to {end}, inside a {rdays}-day range from {low} to {high}",
                     name=name, days=desk.f.count("history_window.days"), end=desk.f.date("week.end"),
                     rdays=desk.f.count("range.days"), low=desk.f.price("range.low"), high=desk.f.price("range.high")),
        labels=((_subject(desk), desk.facts.subject.symbol),),
    )


def _drawdown_figure(desk: Desk) -> Figure | None:
    window, dd = desk.facts.history_window, desk.facts.drawdown
    if window is None or dd is None:
        return None
    name = desk.names.plain(_subject(desk))
    return Figure(
        chart="asset-drawdown",
        title=phrase("{name}'s distance below its highest close, since {start}", name=name, start=desk.f.date("history_window.start")),
        caption=sentence("Percent below the highest close to date in the {title} ({time}), which start on {start}",
                         title=desk.f.cite(f"sources.{dd.series}.title", str), time=desk.f.cite(f"sources.{dd.series}.time_of_day", str),
                         start=desk.f.date("drawdown.history_start")),
        alt=sentence("Area chart of {name}'s drawdown from its highest close of {peak} on {day}; it ended the week {dd} below it",
                     name=name, peak=desk.f.price("drawdown.peak"), day=desk.f.date("drawdown.peak_day"),
                     dd=desk.f.pct("drawdown.drawdown_pct", absolute=True)),
        labels=((_subject(desk), desk.facts.subject.symbol),),
    )
