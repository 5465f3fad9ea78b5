"""What drove the week: ETF flows, US stocks, gold, the dollar, yields and stablecoin supply beside the week's move.

Words of association only ("coincided with", "alongside", "over the same days"): the data shows what moved
together, never what caused what, and the checker refuses causal wording. Drivers are told in order of
size against their own history (`reports.facts.drivers`: the share of earlier seven-day windows each week
exceeds); a driver the data lacks is left out here and named in the data notes (`left_out_notes`).
The asset brief tells the drivers that concern its asset (`for_asset`: its own ETFs, stocks and stablecoins).
"""

from __future__ import annotations

from reports.facts.drivers import Drivers, MarketMove
from reports.story import leverage
from reports.story.drivers_notes import share_words
from reports.story.flows import ETF_NAMES, etf_from as _etf_from, etf_sentences as _etf_sentences
from reports.story.asset_view import CLOSE_LINK, link_words
from reports.story.desk import AssetDesk, Desk, F, MarketDesk
from reports.story.figures import figure
from reports.story.model import Block, Cell, Column, Figure, Paragraph, Section, Table
from reports.story.prose import Fragment, Sentence, join, phrase, sentence
from reports.story.sections.blocks import paragraph
from reports.story.wording import indefinite, is_flat, possessive, simple_verb

TITLE = "What Drove the Week"
MARKET_NAMES = {"qqq": "US tech stocks (QQQ)", "spy": "the broad US stock market (SPY)", "gold": "gold",
                "dxy": "the dollar index (DXY)"}


def market(desk: MarketDesk) -> Section:
    return _section(desk, figure(desk, "etf-flows"))


def asset(desk: AssetDesk) -> Section:
    return _section(desk, None)


def _section(desk: Desk[F], chart: Figure | None) -> Section:
    drivers = desk.facts.drivers
    if drivers is None or not (drivers.etf or drivers.markets or drivers.stablecoins):
        return Section("drivers", TITLE, (paragraph(sentence(
            "The data has none of the week's drivers (US spot ETF flows, US stocks, stablecoin supply) for this week; the "
            "data notes say why")), *leverage.alone(desk)))  # a live brief may have the perpetuals alone
    parts = sorted(_parts(desk, drivers), key=lambda item: -item[0])
    blocks: list[Block | None] = [paragraph(_opening(desk, drivers))]
    blocks += [block for _, block in parts]
    blocks.append(leverage.paragraph(desk))  # the perpetuals' funding and open interest, when the data has them
    blocks.append(paragraph(*_link_sentences(desk, drivers)) if drivers.stock_links and _link_sentences(desk, drivers) else None)
    blocks.append(chart)
    blocks.append(_table(desk, drivers))
    return Section("drivers", TITLE, tuple(block for block in blocks if block is not None))


def _size(*shares: float | None) -> float:
    return max((share for share in shares if share is not None), default=0.0)


def _parts(desk: Desk[F], drivers: Drivers) -> list[tuple[float, Paragraph]]:
    parts = []
    if drivers.etf:
        sentences = [line for flow in drivers.etf for line in _etf_sentences(desk, flow)]
        parts.append((_size(*(flow.standing.share_pct for flow in drivers.etf)), paragraph(*sentences)))
    if drivers.markets:
        parts.append((_size(*(m.standing.share_pct for m in drivers.markets)), paragraph(*_market_sentences(desk, drivers))))
    if drivers.supply("top10") is not None:
        top = drivers.supply("top10")
        assert top is not None
        parts.append((_size(top.standing.share_pct), paragraph(*_supply_sentences(desk, drivers))))
    return parts


# --- the opening: the week's move beside the driver that stands out ---------------------------------------------


def _opening(desk: Desk[F], drivers: Drivers) -> Sentence:
    """The week's move beside the driver that stands out or, when none does, the one that came closest: the name
    changes with the week, so the sentence says something new each time."""
    lead = desk.lead
    change = desk.move(lead).change_pct
    moved = (Fragment(desk.names.plain(lead).text + "'s ") + desk.f.pct(f"assets.{lead}.change_pct", absolute=True)
             + (" rise" if change > 0 else " fall")) if not is_flat(change) else Fragment(desk.names.plain(lead).text + "'s flat week")
    if drivers.largest is None:
        closest = _closest(drivers)
        if closest is None:
            # what "stood out" means is told once, in Methodology & Sources (`method_sentence`)
            return sentence("{moved} came in a week when none of the drivers below stood out against their own history",
                            moved=moved)
        return sentence("{moved} came in a week when no driver stood out against its own history; the closest was {driver}, "
                        "larger than {share} of its earlier seven-day moves", moved=moved,
                        driver=_standout_name(desk, closest) if is_flat(change) else _moved_name(desk, drivers, closest), share=desk.f.pct(f"drivers.{closest}.standing.share_pct"))
    # The driver's figure is told in its own paragraph below (and in the Overview): here only its name and standing.
    beside = Fragment("") if is_flat(change) else Fragment(" beside ") + moved  # a flat week has no move to set beside it
    return sentence("Of the drivers below, {driver} stood out most against its own history{beside}, with a week "
                    "larger than {share} of its earlier seven-day windows{turn}", driver=_standout_name(desk, drivers.largest),
                    beside=beside, share=desk.f.pct(f"drivers.{drivers.largest}.standing.share_pct"),
                    turn=_turn(drivers, drivers.largest))


def _turn(drivers: Drivers, largest: str) -> Fragment:
    """ ", the same way as the week before" or ", reversing the week before": the standing-out driver's run."""
    kind, key = largest.split(".")
    k = f"drivers.{largest}"
    pair: tuple[float | None, float | None, str] = (None, None, "")
    if kind == "etf" and (flow := drivers.flows(key)) is not None:
        pair = (flow.total_usd, flow.previous_usd, f"{k}.previous_usd")
    elif kind == "stablecoins" and (supply := drivers.supply(key)) is not None:
        pair = (supply.change_usd, supply.previous_usd, f"{k}.previous_usd")
    elif (move := drivers.market(key)) is not None:
        pair = ((move.change_bp, move.previous_bp, f"{k}.previous_bp") if move.change_bp is not None
                else (move.change_pct, move.previous_pct, f"{k}.previous_pct"))
    now, before, cited = pair
    if now is None or before is None or now == 0 or before == 0:
        return Fragment("")
    if (now > 0) == (before > 0):
        return Fragment(", the same way as the week before", (cited,))
    return Fragment(", reversing its move of the week before", (cited,))


def _moved_name(desk: Desk[F], drivers: Drivers, key: str) -> Fragment:
    """ "gold's rise", "US spot bitcoin ETFs' net outflows": a driver by name with the way its week went."""
    kind, name = key.split(".")
    k = f"drivers.{key}"
    if kind == "etf" and (flow := drivers.flows(name)) is not None:
        return Fragment(ETF_NAMES[name] + f"' net {flow.direction}s", (f"{k}.total_usd",))
    if kind == "stablecoins" and (supply := drivers.supply(name)) is not None:
        way = "change" if is_flat(supply.change_pct) else "rise" if supply.change_usd > 0 else "fall"
        return Fragment(f"the {way} in the supply of the ten largest stablecoins", (f"{k}.change_usd",))
    move = drivers.market(name)
    assert move is not None
    change, cited = (move.change_bp, f"{k}.change_bp") if move.change_bp is not None else (move.change_pct, f"{k}.change_pct")
    way = "rise" if (change or 0) > 0 else "fall"
    return possessive(_standout_name(desk, key)) + Fragment(" " + way, (cited,))


def _closest(drivers: Drivers) -> str | None:
    """The fact-key prefix of the driver whose week ranked highest against its own history ("markets.gold")."""
    ranked = [(flow.standing.share_pct, f"etf.{flow.asset}") for flow in drivers.etf]
    ranked += [(move.standing.share_pct, f"markets.{move.key}") for move in drivers.markets]
    top = drivers.supply("top10")
    ranked += [(top.standing.share_pct, "stablecoins.top10")] if top is not None else []
    known = [(share, key) for share, key in ranked if share is not None]
    return max(known)[1] if known else None


def _standout_name(desk: Desk[F], largest: str) -> Fragment:
    """The standing-out driver by name alone: "US spot bitcoin ETFs", "the 10-year US Treasury yield" without its figure."""
    kind, key = largest.split(".")
    if kind == "etf":
        return Fragment(ETF_NAMES[key])
    if kind == "stablecoins":
        return Fragment("the supply of the ten largest stablecoins")
    if key in MARKET_NAMES:
        return Fragment(MARKET_NAMES[key])
    return _yield_name(desk, f"drivers.{largest}")


def _yield_name(desk: Desk[F], k: str) -> Fragment:
    """ "the 10-year US Treasury yield": its maturity from the fact, so that no yield is left unnamed."""
    return Fragment("the ") + desk.f.count(f"{k}.years") + "-year US Treasury yield"


def standout_clause(desk: Desk[F]) -> Fragment:
    """The driver that stands out, as a noun phrase: "net outflows of $1.49 billion from US spot bitcoin ETFs".
    The Overview's lead paragraph uses it too."""
    drivers = desk.facts.drivers
    assert drivers is not None and drivers.largest is not None
    kind, key = drivers.largest.split(".")
    k = f"drivers.{drivers.largest}"
    if kind == "etf":
        flow = drivers.flows(key)
        assert flow is not None
        return Fragment(f"net {flow.direction}s of ") + desk.f.money(f"{k}.total_usd", absolute=True) + f" {_etf_from(flow)} {ETF_NAMES[key]}"
    if kind == "stablecoins":
        supply = drivers.supply(key)
        assert supply is not None
        return (indefinite(desk.f.money(f"{k}.change_usd", absolute=True))
                + (" rise" if supply.change_usd > 0 else " fall") + " in the supply of the ten largest stablecoins")
    move = drivers.market(key)
    assert move is not None
    if move.change_bp is not None:
        return (indefinite(_bp(desk, f"{k}.change_bp")) + "-basis-point " + ("rise" if move.change_bp > 0 else "fall")
                + " in " + _yield_name(desk, k))
    return (indefinite(desk.f.pct(f"{k}.change_pct", absolute=True)) + (" rise in " if (move.change_pct or 0) > 0 else " fall in ")
            + MARKET_NAMES[key])


def standout_sentence(desk: Desk[F]) -> Sentence | None:
    """For the Overview's lead paragraph: the driver that stands out, when one does."""
    drivers = desk.facts.drivers
    if drivers is None or drivers.largest is None or is_flat(desk.move(desk.lead).change_pct):
        return None  # a flat week (a stablecoin's) has no move to set beside a driver
    return sentence("The move coincided with {driver}, large against that driver's own history", driver=standout_clause(desk))


# --- the drivers, one paragraph each (the ETF flows' in `reports.story.flows`) ----------------------------------


def move_words(desk: Desk[F], move: MarketMove) -> Fragment:
    """ "gold fell 9.6%", "the 10-year US Treasury yield rose 12 basis points to 4.3%": one market's week."""
    k = f"drivers.markets.{move.key}"
    if move.change_bp is not None:
        if round(move.change_bp) == 0:
            return Fragment("the ") + desk.f.count(f"{k}.years") + "-year US Treasury yield was unchanged at " + desk.f.decimal(f"{k}.end_value") + "%"
        return (Fragment("the ") + desk.f.count(f"{k}.years") + "-year US Treasury yield " + simple_verb(move.change_bp) + " "
                + _bp(desk, f"{k}.change_bp") + " basis points to " + desk.f.decimal(f"{k}.end_value") + "%")
    change = move.change_pct or 0.0
    if is_flat(change):
        return Fragment(MARKET_NAMES[move.key] + " was little changed", (f"{k}.change_pct",))
    return Fragment(MARKET_NAMES[move.key] + " " + simple_verb(change) + " ") + desk.f.pct(f"{k}.change_pct", absolute=True)


def _bp(desk: Desk[F], key: str) -> Fragment:
    return desk.f.cite(key, lambda value: desk.fmt.number(abs(value)))


def _market_sentences(desk: Desk[F], drivers: Drivers) -> list[Sentence | None]:
    """US stocks, gold, the dollar and yields in one sentence, on the US trading days' dates."""
    stocks = [move for move in drivers.markets if move.key in ("qqq", "spy")]
    others = [move for move in drivers.markets if move.key not in ("qqq", "spy")]
    found: list[Sentence | None] = []
    if stocks:
        first = stocks[0]
        k = f"drivers.markets.{first.key}"
        rest = Fragment("") if not others else Fragment("; ") + join([move_words(desk, move) for move in others])
        found.append(sentence("Over the week's US trading days, from the close of {base} to that of {end}, {moves}{rest}",
                              base=desk.f.day(f"{k}.base_day"), end=desk.f.day(f"{k}.end_day"),
                              moves=join([move_words(desk, move) for move in stocks]), rest=rest))
    elif others:
        found.append(sentence("{moves}", moves=join([move_words(desk, move) for move in others])))
    gold = drivers.market("gold")
    if gold is not None and gold.column == "gld_close":
        found.append(sentence("Gold's move is that of the GLD fund: the data has no LBMA gold price for the week"))
    return found


def _supply_sentences(desk: Desk[F], drivers: Drivers) -> list[Sentence | None]:
    top = drivers.supply("top10")
    assert top is not None
    k = "drivers.stablecoins.top10"
    if is_flat(top.change_pct):
        first = phrase("The supply of the ten largest US dollar stablecoins was little changed at {end}, between the {start_day} "
                         "and {end_day} snapshots at midnight UTC", end=desk.f.money(f"{k}.end_usd"),
                         start_day=desk.f.day(f"{k}.start_day"), end_day=desk.f.day(f"{k}.end_day"))
    else:
        first = phrase("The supply of the ten largest US dollar stablecoins {verb} {amount}, or {pct}, to {end} between the {start_day} "
                         "and {end_day} snapshots at midnight UTC", verb="rose" if top.change_usd > 0 else "fell",
                         amount=desk.f.money(f"{k}.change_usd", absolute=True), pct=desk.f.pct(f"{k}.change_pct", absolute=True),
                         end=desk.f.money(f"{k}.end_usd"), start_day=desk.f.day(f"{k}.start_day"), end_day=desk.f.day(f"{k}.end_day"))
    coins = []
    for key, name in (("usdt", "USDT"), ("usdc", "USDC")):
        supply = drivers.supply(key)
        if supply is not None:
            coins.append(Fragment(f"{name} ") + ("added " if supply.change_usd > 0 else "lost ")
                         + desk.f.money(f"drivers.stablecoins.{key}.change_usd", absolute=True))
    told = Fragment(first.text, first.facts) + _supply_before(top.change_pct, top.change_usd, top.previous_usd)
    if not coins:
        return [sentence("{first}", first=told)]
    return [sentence("{first}; of the two largest, {coins}", first=told, coins=join(coins))]


def _supply_before(change_pct: float, change: float, previous: float | None) -> Fragment:
    """ ", a second week of growth" or ", after a fall the week before": the supply's week against the one before."""
    if previous is None or is_flat(change_pct) or previous == 0:
        return Fragment("")
    key = "drivers.stablecoins.top10.previous_usd"
    if (previous > 0) == (change > 0):
        return Fragment(", a second week of " + ("growth" if change > 0 else "decline"), (key,))
    return Fragment(", after " + ("a rise" if previous > 0 else "a fall") + " the week before", (key,))


LINK_SHIFT = 0.2  # the 30-day and 90-day correlations this far apart: the link has changed lately, which is news


def _link_sentences(desk: Desk[F], drivers: Drivers) -> list[Sentence]:
    """Bitcoin's link with US tech stocks, only when it says something this week: a close link, none at all, or a
    recent one that differs from the longer one. A steady loose link every week is left to the table."""
    first, *rest = drivers.stock_links
    k = f"drivers.stock_links.{first.key}"
    longer = rest[0] if rest else None
    shifted = longer is not None and abs(first.correlation - longer.correlation) >= LINK_SHIFT
    if not shifted and 0 < first.correlation < CLOSE_LINK:
        return []
    how = link_words(first.correlation)
    if longer is None or not shifted:
        return [sentence("Over the past {days} days bitcoin's daily moves tracked US tech stocks {how}: a correlation of {value} "
                         "with QQQ over {pairs} pairs of daily returns on common trading days", days=desk.f.count(f"{k}.days"),
                         how=how, value=desk.f.decimal(f"{k}.correlation"), pairs=desk.f.count(f"{k}.observations"))]
    r = f"drivers.stock_links.{longer.key}"
    lately = "more closely" if first.correlation > longer.correlation else "less closely"
    return [sentence("Lately bitcoin's daily moves have followed US tech stocks {lately} than before: a correlation with QQQ of "
                     "{value} over the past {days} days ({pairs} pairs of daily returns on common trading days), against {longer} "
                     "over {longer_days} days", lately=lately, value=desk.f.decimal(f"{k}.correlation"),
                     days=desk.f.count(f"{k}.days"), pairs=desk.f.count(f"{k}.observations"),
                     longer=desk.f.decimal(f"{r}.correlation"), longer_days=desk.f.count(f"{r}.days"))]


# --- the drivers table ------------------------------------------------------------------------------------------


def _table(desk: Desk[F], drivers: Drivers) -> Table:
    fmt = desk.fmt
    rows: list[tuple[Cell, ...]] = []
    for flow in drivers.etf:
        k = f"drivers.etf.{flow.asset}"
        meaning = (f"Net {'buying' if flow.direction == 'inflow' else 'selling'} of the funds over the week's "
                   f"{'trading day' if flow.trading_days == 1 else 'trading days'}")
        rows.append((Cell(ETF_NAMES[flow.asset]), Cell(fmt.money(flow.total_usd), f"{k}.total_usd", _tone(flow.total_usd)),
                     Cell(meaning + _out_of_line(flow.standing.stands_out))))
    for move in drivers.markets:
        k = f"drivers.markets.{move.key}"
        if move.change_bp is not None:
            rows.append((Cell(fmt.number(move.years or 0) + "-year US Treasury yield", f"{k}.years"), Cell(f"{fmt.number(move.change_bp)} bp" if move.change_bp <= 0 else f"+{fmt.number(move.change_bp)} bp",
                                                         f"{k}.change_bp", _tone(-move.change_bp)),
                         Cell(("Higher" if move.change_bp > 0 else "Lower" if move.change_bp < 0 else "Unchanged")
                              + " long-term US borrowing costs" + _out_of_line(move.standing.stands_out))))
            continue
        change = move.change_pct or 0.0
        rows.append((Cell(MARKET_NAMES[move.key][0].upper() + MARKET_NAMES[move.key][1:]),
                     Cell(fmt.percent(change, sign=True), f"{k}.change_pct", "" if is_flat(change) else _tone(change)),
                     Cell(MEANINGS[move.key][0 if change > 0 else 1] + _out_of_line(move.standing.stands_out))))
    top = drivers.supply("top10")
    if top is not None:
        rows.append((Cell("Stablecoin supply (ten largest)"),
                     Cell(("+" if top.change_usd > 0 else "") + fmt.money(top.change_usd), "drivers.stablecoins.top10.change_usd", _tone(top.change_usd)),
                     Cell(("More" if top.change_usd > 0 else "Fewer") + " dollars held in stablecoins, ready to trade"
                          + _out_of_line(top.standing.stands_out))))
    for link in drivers.stock_links:
        rows.append((Cell("Correlation with QQQ, past " + fmt.number(link.days) + " days", f"drivers.stock_links.{link.key}.days"),
                     Cell(fmt.number(link.correlation, 2), f"drivers.stock_links.{link.key}.correlation"),
                     Cell("Bitcoin's daily moves " + ("tracked" if link.correlation >= CLOSE_LINK else "loosely followed"
                          if link.correlation > 0 else "did not follow") + " US tech stocks")))
    return Table(
        sentence("Each driver over the week to {end}, on its own calendar; flows are net, in US dollars", end=desk.f.day("week.end")),
        (Column("Driver"), Column("This week", numeric=True), Column("What it means")), tuple(rows))


MEANINGS = {
    "qqq": ("US tech stocks rose over the same days", "US tech stocks fell over the same days"),
    "spy": ("The broad US market rose", "The broad US market fell"),
    "gold": ("Gold, often held as a haven, rose", "Gold, often held as a haven, fell"),
    "dxy": ("A stronger dollar against major currencies", "A weaker dollar against major currencies"),
}


def _tone(value: float) -> str:
    return "up" if value > 0 else "down" if value < 0 else ""


def _out_of_line(stands_out: bool) -> str:
    return "; larger than most weeks in its history" if stands_out else ""
