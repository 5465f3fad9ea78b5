"""The body of the brief, section by section, in the order crypto market articles use.

Each writer takes the desk and returns a `Section`. A writer states only what the
facts hold: when a series is missing (no market cap, no Fear & Greed, no bitcoin in a
user's file) the sentences that need it are left out, never filled with a guess.
"""

from __future__ import annotations

from reports.story import context
from reports.story.desk import Desk
from reports.facts.market import BTC
from reports.story.figures import figure
from reports.story.front import NOTABLE_LEVEL_DAYS, notable_level, since_phrase
from reports.story.prose import Fragment, Sentence, join, phrase, sentence
from reports.story.model import FAQ, Bullets, Cell, Column, Paragraph, Question, Section, Table
from reports.story.wording import gain_loss, is_flat, possessive, up_down, week_shape

LARGE_CAPS = 3  # large caps named after bitcoin and ether in "What happened"
CLEAR_GAP_PP = 1.0  # the median altcoin must trail or lead bitcoin by this much for a "why" question
TIME_OF_DAY_NOTE = 0.02  # snapshot and close differ by this share or more: say so in the data notes


def paragraph(*sentences: Sentence | None) -> Paragraph:
    return Paragraph(tuple(s for s in sentences if s is not None))


def bullets(*items: Sentence | Paragraph | None) -> Bullets:
    return Bullets(tuple(item if isinstance(item, Paragraph) else Paragraph((item,)) for item in items if item is not None))


# --- Overview ------------------------------------------------------------------------------------


def overview(desk: Desk) -> Section:
    first = paragraph(_market_sentence(desk), _lead_sentence(desk), _breadth_sentence(desk), _fear_greed_sentence(desk))
    history = context.history_paragraph_sentences(desk)
    return Section("overview", "Overview", (first, paragraph(*history)) if history else (first,))


def _market_sentence(desk: Desk) -> Sentence:
    shape = week_shape(desk.market_change)
    if desk.facts.market_cap is None:
        return sentence(
            "The {total} largest cryptocurrencies in the brief had a {shape} in {week}: the median move was {median}",
            total=desk.f.count("breadth.total"), shape=shape, week=desk.week_to(),
            median=desk.f.pct("breadth.median_pct", sign=True),
        )
    cap = desk.facts.market_cap
    if is_flat(cap.change_pct):
        return sentence("Total crypto market value was little changed in {week}, at {end}",
                        week=desk.week_to(), end=desk.f.money("market_cap.end_usd"))
    falling = cap.change_usd < 0
    parts = dict(amount=desk.f.money("market_cap.change_usd", absolute=True), week=desk.week_to(), shape=shape,
                 pct=desk.f.pct("market_cap.change_pct", absolute=True), end=desk.f.money("market_cap.end_usd"))
    # Three ways to open, chosen by the week's seed: the same week always opens the same way.
    template = desk.vary.pick((
        "The crypto market {verb} {amount} of value in {week}, a {shape} that took total capitalisation {direction} {pct} "
        "to {end}",
        "Total crypto market capitalisation {moved} {pct} to {end} in {week}, {erasing} {amount} in a {shape}",
        "A {shape} {wiped} {amount} {off} the crypto market in {week}, {leaving} total capitalisation at {end}, "
        "{direction} {pct}",
    ))
    return sentence(
        template, **parts, verb="lost" if falling else "added", direction=up_down(cap.change_pct),
        moved="fell" if falling else "rose", erasing="erasing" if falling else "adding",
        wiped="wiped" if falling else "added", off="off" if falling else "to",
        leaving="leaving" if falling else "lifting",
    )


def _lead_sentence(desk: Desk) -> Sentence:
    lead, second = desk.lead, desk.second
    if second is None:
        return sentence("{lead} {moved}", lead=desk.names(lead), moved=desk.moved_to(lead))
    same_way = (desk.move(lead).change_pct < 0) == (desk.move(second).change_pct < 0)
    link = "while" if same_way else "whereas"
    return sentence("{lead} {moved}, {link} {second} {moved2}", lead=desk.names(lead), moved=desk.moved_to(lead),
                    link=link, second=desk.names(second), moved2=desk.moved_to(second))


def _breadth_sentence(desk: Desk) -> Sentence | None:
    b = desk.facts.breadth
    if b.total < 2:
        return None
    parts = dict(fell=desk.f.count("breadth.fell"), rose=desk.f.count("breadth.rose"), total=desk.f.count("breadth.total"))
    if b.fell == b.total:
        return sentence("All {total} coins in the brief fell", **parts)
    if b.rose == b.total:
        return sentence("All {total} coins in the brief rose", **parts)
    if b.rose == 1 and b.fell == b.total - 1:
        only = desk.facts.leaders[0]
        return sentence("Of the {total} coins in the brief, {fell} fell; {only} was the only one to gain, {moved}",
                        **parts, only=desk.names(only), moved=desk.up_down(only))
    if b.fell == 1 and b.rose == b.total - 1:
        only = desk.facts.laggards[0]
        return sentence("Of the {total} coins in the brief, {rose} rose; only {only} declined, {moved}",
                        **parts, only=desk.names(only), moved=desk.up_down(only))
    if b.fell > b.rose:
        return sentence("Decliners outnumbered gainers {fell} to {rose} among the {total} coins tracked", **parts)
    if b.rose > b.fell:
        return sentence("Gainers outnumbered decliners {rose} to {fell} among the {total} coins tracked", **parts)
    return sentence("Gainers and decliners were evenly split, {rose} each, among the {total} coins tracked", **parts)


def _fear_greed_sentence(desk: Desk) -> Sentence | None:
    fg = desk.facts.fear_greed
    if fg is None:
        return None
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    if fg.change is None or round(fg.change) == 0:
        return sentence("The Crypto Fear & Greed Index ended the week at {value} ({label})", **parts)
    return sentence(
        "The Crypto Fear & Greed Index ended the week at {value} ({label}), {direction} from {base} a week earlier",
        **parts, direction=Fragment("down" if fg.change < 0 else "up", ("fear_greed.change",)),
        base=desk.f.index("fear_greed.base_value"),
    )


# --- Key takeaways -------------------------------------------------------------------------------


def key_takeaways(desk: Desk) -> Section:
    lead, second = desk.lead, desk.second
    level = notable_level(desk, lead, "low" if desk.move(lead).change_pct < 0 else "high")
    first = sentence("{lead} {moved} over the week", lead=desk.names.plain(lead), moved=desk.moved_to(lead))
    if level is not None:
        first = sentence(
            "{lead} {moved}; on daily closes it touched its {extreme} level {since}",
            lead=desk.names.plain(lead), moved=desk.moved_to(lead),
            extreme="lowest" if desk.move(lead).change_pct < 0 else "highest", since=since_phrase(desk, level, precise=True),
        )
    items = [first, context.rank_takeaway(desk)]
    if second is not None:
        items.append(sentence("{name} {moved}, {relation}", name=desk.names.plain(second), moved=desk.moved_to(second),
                              relation=desk.relation(second)))
    if desk.facts.altcoins is not None:
        items.append(_altcoin_takeaway(desk))
    if desk.facts.market_cap is not None and is_flat(desk.facts.market_cap.change_pct):
        items.append(sentence("Total market value was little changed at {end} ({pct})",
                              end=desk.f.money("market_cap.end_usd"), pct=desk.f.pct("market_cap.change_pct", sign=True)))
    elif desk.facts.market_cap is not None:
        items.append(sentence(
            "Total market value {verb} {amount} ({pct}) to {end}",
            verb="fell" if desk.facts.market_cap.change_usd < 0 else "rose",
            amount=desk.f.money("market_cap.change_usd", absolute=True),
            pct=desk.f.pct("market_cap.change_pct", sign=True), end=desk.f.money("market_cap.end_usd"),
        ))
    if len(desk.facts.assets) > 1 and not _all_flat(desk):
        best, worst = desk.facts.leaders[0], desk.facts.laggards[0]
        items.append(sentence("Best performer: {best}; worst: {worst}",
                              best=desk.signed_list([best]), worst=desk.signed_list([worst])))
    if desk.facts.fear_greed is not None:
        items.append(_fear_greed_takeaway(desk))
    return Section("key-takeaways", "Key Takeaways", (bullets(*items),))


def _altcoin_takeaway(desk: Desk) -> Sentence:
    alts = desk.facts.altcoins
    compare = "trailing" if alts.median_pct < alts.btc_pct else "ahead of"
    if round(alts.median_pct, 1) == round(alts.btc_pct, 1):
        compare = "level with"
    return sentence(
        "The median altcoin returned {median}, {compare} bitcoin's {btc}; {count} of {total} altcoins beat bitcoin",
        median=desk.f.pct("altcoins.median_pct", sign=True),
        compare=compare, btc=desk.f.pct("altcoins.btc_pct", sign=True),
        count=desk.f.count("altcoins.outperformed"), total=desk.f.count("altcoins.count"),
    )


def _fear_greed_takeaway(desk: Desk) -> Sentence:
    fg = desk.facts.fear_greed
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    falling = fg.change is not None and fg.change < 0
    since_key = "fear_greed.low_since" if falling else "fear_greed.high_since"
    extreme_value = fg.week_low if falling else fg.week_high
    since = desk.f.table.get(since_key)
    if round(fg.value) == round(extreme_value) and since is not None and (fg.day - since).days >= NOTABLE_LEVEL_DAYS:
        period_key = f"{since_key}_period"
        period = Fragment(", during ") + desk.f.cite(period_key, str) if period_key in desk.f else Fragment("")
        return sentence("Crypto Fear & Greed Index: {value} ({label}), its {extreme} reading since {since}{period}",
                        **parts, extreme="lowest" if falling else "highest", since=desk.f.month(since_key), period=period)
    return sentence("Crypto Fear & Greed Index: {value} ({label})", **parts)


# --- What happened -------------------------------------------------------------------------------


def what_happened(desk: Desk) -> Section:
    blocks = [_lead_paragraph(desk), figure(desk, "price-path"), _large_caps_paragraph(desk), _movers_paragraph(desk)]
    return Section("what-happened", "What Happened", tuple(block for block in blocks if block is not None))


def _lead_paragraph(desk: Desk) -> Paragraph:
    lead = desk.lead
    k = f"assets.{lead}"
    move = desk.move(lead)
    name = desk.names(lead)
    days = None
    if move.daily_changes > 1:
        majority = max(move.down_days, move.up_days)
        days = sentence(
            "It {direction} on {count} of the {total} days",
            direction="fell" if move.down_days >= move.up_days else "rose",
            count=desk.f.count(f"{k}.down_days" if move.down_days >= move.up_days else f"{k}.up_days"),
            total=desk.f.count(f"{k}.daily_changes"),
        ) if majority > 0 else None
    opened = sentence(
        "{name} started the week at {base} on {base_day} and ended it at {close} on {end_day}, {moved}",
        name=name, base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
        close=desk.f.price(f"{k}.close"), end_day=desk.f.day("week.end"),
        moved=Fragment("a ") + desk.f.pct(f"{k}.change_pct", absolute=True) + " " + gain_loss(move.change_pct)
        if not is_flat(move.change_pct) else Fragment("little changed"),
    )
    span = sentence(
        "Its daily prices ranged from {low} on {low_day} to {high} on {high_day}",
        low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
        high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"),
    )
    return paragraph(opened, days, span, _biggest_day_sentence(desk), _level_sentence(desk, lead))


def _biggest_day_sentence(desk: Desk) -> Sentence | None:
    day = desk.facts.biggest_day
    if day is None or is_flat(day.change_pct):
        return None
    return sentence(
        "The largest one-day move came on {day}, a {pct} {kind} from {start} to {end}",
        day=desk.f.day("biggest_day.day"), pct=desk.f.pct("biggest_day.change_pct", absolute=True),
        kind="rise" if day.change_pct > 0 else "drop",
        start=desk.f.price("biggest_day.from_price"), end=desk.f.price("biggest_day.to_price"),
    )


def _level_sentence(desk: Desk, asset: str, name_source: bool = True) -> Sentence | None:
    """The week's extreme close on the longest history, when it reaches back far enough to matter."""
    falling = desk.move(asset).change_pct < 0
    side = "low" if falling else "high"
    key = notable_level(desk, asset, side)
    if key is None:
        return None
    series = desk.f.value(f"{key}.series")
    parts = dict(
        name=desk.names.plain(asset), value=desk.f.price(f"{key}.value"), day=desk.f.day(f"{key}.day"),
        extreme="lowest" if falling else "highest", since=since_phrase(desk, key, precise=True),
    )
    if not name_source:
        return sentence("{name}'s {day} close of {value} was its {extreme} {since}", **parts)
    return sentence(
        "On {provider} {time}, {name}'s {day} close of {value} was its {extreme} {since}",
        **parts, provider=possessive(desk.f.cite(f"sources.{series}.provider", str)),
        time=desk.f.cite(f"sources.{series}.time_of_day", str),
    )


def _large_caps_paragraph(desk: Desk) -> Paragraph | None:
    second = desk.second
    others = desk.others(LARGE_CAPS, skip=(desk.lead, second) if second else (desk.lead,))
    if not others and second is None:
        return None
    lead_sentence = None
    if second is not None:
        k = f"assets.{second}"
        lead_sentence = sentence(
            "{name} {moved}, from {base} to {close}, over the same seven days, {relation}",
            name=desk.names(second), moved=desk.moved(second), base=desk.f.price(f"{k}.base_close"),
            close=desk.f.price(f"{k}.close"),
            relation=desk.relation(second),
        )
    rest = sentence("Among the other large caps, {moves}", moves=desk.named_moves(others)) if others else None
    level = _level_sentence(desk, second, name_source=_level_sentence(desk, desk.lead) is None) if second else None
    return paragraph(lead_sentence, level, rest)


def _all_flat(desk: Desk) -> bool:
    """Nothing moved: no best or worst performer to name."""
    return desk.facts.breadth.rose == desk.facts.breadth.fell == 0


def _movers_paragraph(desk: Desk) -> Paragraph | None:
    facts = desk.facts
    if len(facts.assets) < 4 or _all_flat(desk):
        return None
    best, *next_best = facts.leaders
    worst, *next_worst = facts.laggards
    # "ahead of" / "followed by" only for coins whose printed change is clearly behind the extreme one
    shown = {move.id: round(move.change_pct, 1) for move in facts.assets}
    next_best = [asset for asset in next_best if shown[asset] < shown[best]]
    next_worst = [asset for asset in next_worst if shown[asset] > shown[worst]]
    top = sentence(
        "{best} was the week's best performer, {moved}{rest}",
        best=desk.names(best), moved=desk.up_down(best),
        rest=Fragment(", ahead of ") + desk.signed_list(next_best) if next_best else Fragment(""),
    )
    bottom = sentence(
        "{worst} fared worst, {moved}{rest}",
        worst=desk.names(worst), moved=desk.up_down(worst),
        rest=Fragment(", followed by ") + desk.signed_list(next_worst) if next_worst else Fragment(""),
    )
    return paragraph(top, bottom)


# --- Impact on the crypto market ---------------------------------------------------------------


def impact(desk: Desk) -> Section:
    items = [_market_cap_bullet(desk), _dominance_bullet(desk), _altcoin_bullet(desk), _regime_bullet(desk)]
    items += [_volatility_bullet(desk, v.asset) for v in desk.facts.volatility if v.asset == desk.lead]
    items += [_drawdown_bullet(desk, d.asset) for d in desk.facts.drawdowns]
    blocks = [bullets(*items), figure(desk, "market-cap"), figure(desk, "drawdown")]
    return Section("impact", "Impact on the Crypto Market", tuple(b for b in blocks if b is not None))


def _market_cap_bullet(desk: Desk) -> Sentence | None:
    cap = desk.facts.market_cap
    if cap is None:
        return None
    if is_flat(cap.change_pct):
        return sentence(
            "Market value: total crypto market capitalisation was little changed ({pct}), at {end} on {end_day} against "
            "{start} on {start_day}", pct=desk.f.pct("market_cap.change_pct", sign=True),
            end=desk.f.money("market_cap.end_usd"), end_day=desk.f.day("market_cap.end_day"),
            start=desk.f.money("market_cap.start_usd"), start_day=desk.f.day("market_cap.start_day"))
    return sentence(
        "Market value: total crypto market capitalisation {verb} {amount}, or {pct}, from {start} on {start_day} to {end} on {end_day}",
        verb="fell" if cap.change_usd < 0 else "rose", amount=desk.f.money("market_cap.change_usd", absolute=True),
        pct=desk.f.pct("market_cap.change_pct", absolute=True), start=desk.f.money("market_cap.start_usd"),
        start_day=desk.f.day("market_cap.start_day"), end=desk.f.money("market_cap.end_usd"),
        end_day=desk.f.day("market_cap.end_day"),
    )


def _dominance_bullet(desk: Desk) -> Paragraph | None:
    clauses = []
    for dom in desk.facts.dominance:
        k = f"dominance.{dom.asset}"
        who = Fragment("bitcoin's" if dom.asset == BTC else "ether's")
        who = who + " share of total market value" if not clauses else who
        if round(dom.change_pp, 1) == 0:
            clauses.append(who + " held at " + desk.f.pct(f"{k}.end_pct"))
        else:
            word = ("edged up" if dom.change_pp > 0 else "slipped") if abs(dom.change_pp) < 1 else ("rose" if dom.change_pp > 0 else "fell")
            clauses.append(who + f" {word} " + desk.f.points(f"{k}.change_pp") + " points to " + desk.f.pct(f"{k}.end_pct"))
    if not clauses:
        return None
    parts = [sentence("Dominance: {clauses}", clauses=join(clauses, "and"))]
    btc = next((dom for dom in desk.facts.dominance if dom.asset == BTC), None)
    if btc is not None and round(btc.change_pp, 1) != 0 and desk.facts.market_cap is not None:
        falling = desk.facts.market_cap.change_usd < 0
        rising_share = btc.change_pp > 0
        if falling:
            rest = "the rest of the market lost value faster than bitcoin" if rising_share else "bitcoin lost value faster than the rest of the market"
        else:
            rest = "bitcoin gained value faster than the rest of the market" if rising_share else "the rest of the market gained value faster than bitcoin"
        parts.append(sentence("A {change} share in a {direction} market means {rest}",
                              change="rising" if rising_share else "falling",
                              direction="falling" if falling else "rising", rest=rest))
    return Paragraph(tuple(parts))


def _altcoin_bullet(desk: Desk) -> Paragraph | None:
    alts = desk.facts.altcoins
    if alts is None:
        return None
    first = sentence(
        "Altcoins: the {count} altcoins in the universe averaged {avg} (median {median}), against {btc} for bitcoin",
        count=desk.f.count("altcoins.count"), avg=desk.f.pct("altcoins.average_pct", sign=True),
        median=desk.f.pct("altcoins.median_pct", sign=True), btc=desk.f.pct("altcoins.btc_pct", sign=True),
    )
    beta = None
    if alts.beta is not None:
        beta = sentence(
            "Over the past {days} days, their average daily move has been {beta} times bitcoin's (their beta)",
            days=desk.f.count("altcoins.beta_days"), beta=desk.f.cite("altcoins.beta", lambda v: desk.fmt.number(v, 2)),
        )
    return paragraph(first, beta)


def _regime_bullet(desk: Desk) -> Paragraph | None:
    """Correlation with bitcoin this week against the past, and how far apart the coins' weeks were."""
    found = [context.correlation_sentence(desk), context.dispersion_sentence(desk)]
    if not any(found):
        return None
    return paragraph(*found)


def _volatility_bullet(desk: Desk, asset: str) -> Sentence:
    k = f"volatility.{asset}"
    vol = next(v for v in desk.facts.volatility if v.asset == asset)
    parts = dict(
        name=desk.names.plain(asset), vol=desk.f.pct(f"{k}.annualised_pct"), median=desk.f.pct(f"{k}.median_pct"),
        start=desk.f.month(f"{k}.history_start"),
    )
    if vol.highest_since is None:
        return sentence(
            "Volatility: {name}'s realised volatility over the week was {vol} annualised, the highest for any seven-day "
            "window since its history in the data begins in {start}; the median window is {median}", **parts)
    if vol.annualised_pct > vol.median_pct:
        return sentence(
            "Volatility: {name}'s realised volatility over the week was {vol} annualised, above the median of {median} "
            "for seven-day windows since {start}, and higher than {share} of them", **parts,
            share=desk.f.pct(f"{k}.percentile", absolute=True))
    return sentence(
        "Volatility: {name}'s realised volatility over the week was a subdued {vol} annualised, below the median of "
        "{median} for seven-day windows since {start}", **parts)


def _drawdown_bullet(desk: Desk, asset: str) -> Sentence:
    k = f"drawdowns.{asset}"
    dd = next(d for d in desk.facts.drawdowns if d.asset == asset)
    if dd.drawdown_pct > -0.05:
        return sentence("{name} closed the week at its all-time high in the data, {peak}",
                        name=desk.names.plain(asset), peak=desk.f.price(f"{k}.peak"))
    return sentence(
        "Distance from the top: on daily closes, {name} ended the week {dd} below its highest close in the data, {peak} on {day}",
        name=desk.names.plain(asset), dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True),
        peak=desk.f.price(f"{k}.peak"), day=desk.f.date(f"{k}.peak_day"),
    )


# --- Comparison & data -----------------------------------------------------------------------------


def comparison(desk: Desk) -> Section:
    u = desk.facts.universe
    prices = desk.facts.sources[0].key
    picked = {
        "rank": Fragment("the ") + desk.f.count("breadth.total") + " largest coins by market-cap rank",
        "market_cap": Fragment("the ") + desk.f.count("breadth.total") + " largest coins by market value",
        "all": Fragment("every asset in the data"),
    }[u.ranked_by]
    left_out = _kinds_left_out(u.excluded_kinds)
    lead = sentence(
        "The table lists {picked} on {end}{left_out}. Prices are {time} from {provider}; the change runs from {base} to {end}",
        picked=picked, end=desk.f.day("week.end"), left_out=Fragment(", leaving out " + left_out) if left_out else Fragment(""),
        time=desk.f.cite(f"sources.{prices}.time_of_day", str), provider=desk.f.cite(f"sources.{prices}.provider", str),
        base=desk.f.day("week.base"),
    )
    return Section("comparison", "Comparison & Data", tuple(
        block for block in (paragraph(lead), _table(desk), figure(desk, "weekly-change")) if block is not None
    ))


def _kinds_left_out(kinds: tuple[str, ...]) -> str:
    names = {"stablecoin": "stablecoins", "derivative": "wrapped or staked tokens", "tokenized": "tokenized funds"}
    return join([Fragment(names[kind]) for kind in kinds]).text if kinds else ""


def _table(desk: Desk) -> Table:
    fmt = desk.fmt
    has_cap = any(move.market_cap_usd is not None for move in desk.facts.assets)
    has_rank = any(move.rank is not None for move in desk.facts.assets)
    columns = [Column("Rank", numeric=True)] if has_rank else []
    columns += [Column("Asset"), Column("Price", True), Column("7-day change", True), Column("Week range", True)]
    columns += [Column("Market cap", True)] if has_cap else []
    rows = []
    for move in desk.facts.assets:
        rows.append(table_row(move, fmt, has_rank, has_cap))
    caption = sentence(
        "Prices at {end}; week range is the lowest and highest daily price from {start} to {end}",
        end=desk.f.day("week.end"), start=desk.f.day("week.start"),
    )
    return Table(caption, tuple(columns), tuple(rows))


# --- What to watch -----------------------------------------------------------------------------------


def what_to_watch(desk: Desk) -> Section:
    items = [_levels_bullet(desk, r.asset) for r in desk.facts.ranges]
    if desk.facts.fear_greed is not None:
        items.append(_sentiment_watch(desk))
    if desk.facts.market_range is not None:
        items.append(_market_range_bullet(desk))
    blocks = [bullets(*items), figure(desk, "fear-greed")]
    return Section("what-to-watch", "What to Watch", tuple(b for b in blocks if b is not None))


def _levels_bullet(desk: Desk, asset: str) -> Sentence:
    k, r = f"assets.{asset}", f"ranges.{asset}"
    move, rng = desk.move(asset), next(x for x in desk.facts.ranges if x.asset == asset)
    parts = dict(
        name=desk.names.plain(asset), low=desk.f.price(f"{k}.low"), low_day=desk.f.day(f"{k}.low_day"),
        high=desk.f.price(f"{k}.high"), high_day=desk.f.day(f"{k}.high_day"), days=desk.f.count(f"{r}.days"),
        rlow=desk.f.price(f"{r}.low"), rlow_day=desk.f.date(f"{r}.low_day"),
        rhigh=desk.f.price(f"{r}.high"), rhigh_day=desk.f.date(f"{r}.high_day"),
        base=desk.f.price(f"{k}.base_close"), base_day=desk.f.day("week.base"),
    )
    if move.change_pct < 0 and move.low_day == rng.low_day:
        return sentence(
            "{name}: the week's low of {low} ({low_day}) is also the bottom of its {days}-day range, which tops out at "
            "{rhigh} ({rhigh_day}); the slide began from {base} on {base_day}", **parts)
    if move.change_pct > 0 and move.high_day == rng.high_day:
        return sentence(
            "{name}: the week's high of {high} ({high_day}) is also the top of its {days}-day range, which bottoms out at "
            "{rlow} ({rlow_day}); the advance began from {base} on {base_day}", **parts)
    return sentence(
        "{name}: the week's range of {low} ({low_day}) to {high} ({high_day}), inside a {days}-day range from {rlow} "
        "({rlow_day}) to {rhigh} ({rhigh_day})", **parts)


def _market_range_bullet(desk: Desk) -> Sentence:
    rng, end = desk.facts.market_range, desk.facts.market_cap
    parts = dict(
        end=desk.f.money("market_cap.end_usd"), days=desk.f.count("market_range.days"),
        low=desk.f.money("market_range.low"), low_day=desk.f.date("market_range.low_day"),
        high=desk.f.money("market_range.high"), high_day=desk.f.date("market_range.high_day"),
    )
    if rng.low_day == end.end_day:
        return sentence("Total market value: {end}, the lowest in {days} days; the range tops out at {high} ({high_day})", **parts)
    if rng.high_day == end.end_day:
        return sentence("Total market value: {end}, the highest in {days} days; the range bottoms out at {low} ({low_day})", **parts)
    return sentence("Total market value: {end}, within a {days}-day range from {low} ({low_day}) to {high} ({high_day})", **parts)


def _sentiment_watch(desk: Desk) -> Sentence:
    fg = desk.facts.fear_greed
    parts = dict(value=desk.f.index("fear_greed.value"), label=desk.f.cite("fear_greed.classification", str))
    at_low, at_high = round(fg.value) == round(fg.week_low), round(fg.value) == round(fg.week_high)
    key = "fear_greed.low_since" if at_low and fg.change is not None and fg.change < 0 else \
        "fear_greed.high_since" if at_high and fg.change is not None and fg.change > 0 else None
    since = desk.f.table.get(key) if key else None
    if since is not None and (fg.day - since).days >= NOTABLE_LEVEL_DAYS:
        period = Fragment(", during ") + desk.f.cite(f"{key}_period", str) if f"{key}_period" in desk.f else Fragment("")
        return sentence(
            "Sentiment: the Fear & Greed Index ended the week at {value} ({label}), a reading last {seen} on {since}{period}",
            **parts, seen="this low" if key.endswith("low_since") else "this high", since=desk.f.date(key), period=period,
        )
    return sentence(
        "Sentiment: the Fear & Greed Index ended the week at {value} ({label}), within a weekly range of {low} to {high}",
        **parts, low=desk.f.index("fear_greed.week_low"), high=desk.f.index("fear_greed.week_high"),
    )


# --- FAQ -----------------------------------------------------------------------------------------------


def faq(desk: Desk) -> Section:
    questions = [q for q in (_faq_altcoins(desk), _faq_lead_extreme(desk), _faq_history(desk), _faq_market_value(desk),
                             _faq_fear_greed(desk), _faq_movers(desk)) if q is not None]
    return Section("faq", "FAQ", (FAQ(tuple(questions[:5])),))


def _faq_altcoins(desk: Desk) -> Question | None:
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
        "The median altcoin in the brief returned {median} against bitcoin's {btc}, and {count} of {total} did better than bitcoin",
        median=desk.f.pct("altcoins.median_pct", sign=True), btc=desk.f.pct("altcoins.btc_pct", sign=True),
        count=desk.f.count("altcoins.outperformed"), total=desk.f.count("altcoins.count"),
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


def _faq_lead_extreme(desk: Desk) -> Question | None:
    lead = desk.lead
    dd = next((d for d in desk.facts.drawdowns if d.asset == lead), None)
    falling = desk.move(lead).change_pct < 0
    if falling and dd is not None:
        k = f"drawdowns.{lead}"
        return Question(
            sentence("How far is {name} from its high?", name=desk.names.plain(lead)),
            paragraph(sentence(
                "On {provider} {time}, {name} ended the week at {close}, {dd} below its highest close of {peak} on {day}",
                provider=possessive(desk.f.cite(f"sources.{dd.series}.provider", str)),
                time=desk.f.cite(f"sources.{dd.series}.time_of_day", str), name=desk.names.plain(lead),
                close=desk.f.price(f"{k}.close"), dd=desk.f.pct(f"{k}.drawdown_pct", absolute=True),
                peak=desk.f.price(f"{k}.peak"), day=desk.f.date(f"{k}.peak_day"),
            )),
        )
    if not falling and len(desk.facts.assets) > 1:
        leaders = list(desk.facts.leaders)
        return Question(
            sentence("What led the gains?"),
            paragraph(_breadth_sentence(desk), sentence("The biggest gainers were {leaders}", leaders=desk.signed_list(leaders))),
        )
    return None


def _faq_history(desk: Desk) -> Question | None:
    """Asked only when the week ranks in the history or extends a run: answered with that ranking."""
    answer = [context.lead_rank_sentence(desk), *context.streak_sentences(desk)]
    answer = [s for s in answer if s is not None]
    if not answer:
        return None
    return Question(sentence("How does this week compare with {name}'s history?", name=desk.names.plain(desk.lead)),
                    Paragraph(tuple(answer)))


def _faq_market_value(desk: Desk) -> Question | None:
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


def _faq_fear_greed(desk: Desk) -> Question | None:
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


def _faq_movers(desk: Desk) -> Question | None:
    if len(desk.facts.assets) < 4 or _all_flat(desk):
        return None
    return Question(
        sentence("Which cryptocurrencies moved the most?"),
        paragraph(
            sentence("Best: {leaders}", leaders=desk.signed_list(list(desk.facts.leaders))),
            sentence("Worst: {laggards}", laggards=desk.signed_list(list(desk.facts.laggards))),
        ),
    )


# --- Methodology & sources -------------------------------------------------------------------------------


def methodology(desk: Desk) -> Section:
    facts = desk.facts
    prices = facts.sources[0].key
    method = [sentence(
        "Weekly changes compare each asset's price on {end} with its price seven days earlier, on {base}, both from the "
        "{title} ({time})",
        end=desk.f.date("week.end"), base=desk.f.date("week.base"),
        title=desk.f.cite(f"sources.{prices}.title", str), time=desk.f.cite(f"sources.{prices}.time_of_day", str),
    )]
    history = {lv.series for lv in facts.levels}
    for series in sorted(history):
        method.append(sentence(
            "Levels not seen since, drawdowns and volatility use the longest history available, the {title} ({time}); "
            "realised volatility is the standard deviation of seven daily log returns, annualised over {days} days",
            title=desk.f.cite(f"sources.{series}.title", str), time=desk.f.cite(f"sources.{series}.time_of_day", str),
            days=desk.f.count("method.days_per_year"),
        ))
    if facts.ranks:
        method.append(sentence(
            "A week's rank compares its seven-day change with every earlier seven-day change in the same series (each "
            "day against the day a week before); streaks step back a week at a time on the prices above; verbs such as "
            "\"slid\" or \"plunged\" are sized by the move in units of each coin's typical week, the standard deviation "
            "of its seven-day changes over the previous {days} days",
            days=desk.f.count("method.typical_week_days"),
        ))
    if facts.market_cap is not None:
        key = facts.market_cap.series
        method.append(sentence(
            "Total market value and dominance come from the {title} ({time})",
            title=desk.f.cite(f"sources.{key}.title", str), time=desk.f.cite(f"sources.{key}.time_of_day", str),
        ))
    method.append(sentence(
        "The sentiment label is positive when {measure} rose by at least {threshold}, negative when it fell by at least "
        "as much, and neutral otherwise",
        measure="total market value" if facts.market_cap else "the median asset",
        threshold=desk.f.pct("method.sentiment_threshold_pct"),
    ))
    return Section("methodology", "Methodology & Sources", (
        paragraph(*method),
        Paragraph((phrase("Data notes"),), kind="subhead"),
        bullets(*_data_notes(desk)),
        Paragraph((phrase("Sources"),), kind="subhead"),
        bullets(*desk.attributions()),
    ))


def _data_notes(desk: Desk) -> list[Sentence]:
    q = desk.facts.quality
    notes = []
    for gap in q.gaps:
        series = gap.series.split(":")[0]
        notes.append(sentence(
            "The {title} have no value on {days}, so figures for those days are left out",
            title=desk.f.cite(f"sources.{series}.title", str),
            days=desk.f.cite(f"quality.gaps.{gap.series}.days", lambda days: join([Fragment(desk.fmt.day(d)) for d in days]).text),
        ))
    for dropped in q.dropped:
        notes.append(sentence(
            "{symbol} ranked in the universe but had no price on {base}, so it has no weekly change and is left out",
            symbol=desk.f.cite(f"quality.dropped.{dropped.asset}.symbol", str), base=desk.f.day("week.base"),
        ))
    missing = {"market_cap": "total market value and dominance", "fear_greed": "Fear & Greed Index reading"}
    for name in q.missing:
        notes.append(sentence("The data has no {what} for this week, so the brief leaves it out", what=missing[name]))
    if q.ignored_columns:
        notes.append(sentence("Columns not used: {columns}",
                              columns=desk.f.cite("quality.ignored_columns", lambda cols: ", ".join(cols))))
    lead = desk.lead
    dd = next((d for d in desk.facts.drawdowns if d.asset == lead and d.series != desk.facts.sources[0].key), None)
    if dd is not None and abs(dd.close / desk.move(lead).close - 1) >= TIME_OF_DAY_NOTE:
        notes.append(sentence(
            "Time of day matters this week: {name} was at {snapshot} in the {time} on {end}, but closed the day at {close} "
            "({close_time})",
            name=desk.names.plain(lead), snapshot=desk.f.price(f"assets.{lead}.close"),
            time=desk.f.cite(f"sources.{desk.facts.sources[0].key}.time_of_day", str), end=desk.f.day("week.end"),
            close=desk.f.price(f"drawdowns.{lead}.close"), close_time=desk.f.cite(f"sources.{dd.series}.time_of_day", str),
        ))
    notes.extend(_freshness_notes(desk))
    if not q.gaps and not q.dropped:
        notes.append(sentence("No gaps: every series used has a value on each day from {base} to {end}",
                              base=desk.f.day("week.base"), end=desk.f.day("week.end")))
    return notes


def _freshness_notes(desk: Desk) -> list[Sentence]:
    """For a stored source: the newest close and the last pull, and a warning when the store is stale."""
    fresh = desk.facts.quality.freshness
    if fresh is None:
        return []
    notes = [sentence("The newest close in the data store is for {newest}",
                      newest=desk.f.date("quality.freshness.newest_day"))]
    if fresh.pulled_at is not None:
        notes.append(sentence("The store was last updated from CoinGecko on {pulled}",
                              pulled=desk.f.cite("quality.freshness.pulled_at", lambda at: desk.fmt.date(at.date()))))
    if fresh.left_top_list:
        notes.append(sentence(
            "{symbols} left CoinGecko's top list during the week, so the store stopped updating them and the brief "
            "leaves them out", symbols=desk.f.cite("quality.freshness.left_top_list", lambda symbols: ", ".join(symbols))))
    if fresh.stale_for is not None:
        notes.append(sentence(
            "Stale data: the week asked for ends on {wanted}, after the newest close in the store, so this brief covers an "
            "earlier week", wanted=desk.f.date("quality.freshness.stale_for")))
    return notes


def table_row(move, fmt, has_rank: bool, has_cap: bool) -> tuple[Cell, ...]:
    """One coin's row of the data table (rank, name, price, change, week range, market cap); the
    market and asset briefs share it so their tables read alike."""
    k = f"assets.{move.id}"
    tone = "" if is_flat(move.change_pct) else up_down(move.change_pct)
    row = [Cell(fmt.number(move.rank) if move.rank is not None else "", f"{k}.rank")] if has_rank else []
    row += [
        Cell(f"{move.name} ({move.symbol})", f"{k}.name"),
        Cell(fmt.price(move.close), f"{k}.close"),
        Cell(fmt.percent(move.change_pct, sign=True), f"{k}.change_pct", tone),
        Cell(f"{fmt.price(move.low)} – {fmt.price(move.high)}", f"{k}.low"),
    ]
    if has_cap:
        row.append(Cell(fmt.money(move.market_cap_usd) if move.market_cap_usd is not None else "—", f"{k}.market_cap_usd"))
    return tuple(row)
