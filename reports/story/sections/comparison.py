"""Comparison & data: the table of coins, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.figures import figure
from reports.story.prose import Fragment, join, sentence
from reports.story.model import Column, Section, Table
from reports.story.sections.blocks import paragraph, table_row
from reports.story.asset_view import section, subject


NEIGHBOURS = 2  # coins either side of the asset's rank in the data table


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
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


def _table(desk: MarketDesk) -> Table:
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


# --- the asset brief --------------------------------------------------------------------------


def asset(desk: AssetDesk) -> Section:
    prices = desk.facts.sources[0].key
    lead = sentence(
        "The table sets {name} beside bitcoin and its neighbours by market-cap rank on {end}. Prices are {time} from {provider}; "
        "the change runs from {base} to {end}",
        name=desk.names.plain(subject(desk)), end=desk.f.day("week.end"), time=desk.f.cite(f"sources.{prices}.time_of_day", str),
        provider=desk.f.cite(f"sources.{prices}.provider", str), base=desk.f.day("week.base"),
    )
    return section("comparison", "Comparison & Data", paragraph(lead), _asset_table(desk))


def _table_assets(desk: AssetDesk) -> list:
    """Bitcoin, then the asset and its rank neighbours in the universe, in rank order."""
    moves = list(desk.facts.assets)
    at = next(i for i, move in enumerate(moves) if move.id == subject(desk))
    chosen = moves[max(0, at - NEIGHBOURS) : at + NEIGHBOURS + 1]
    btc = desk.facts.asset(BTC)
    if btc is not None and btc not in chosen:
        chosen.insert(0, btc)
    return chosen


def _asset_table(desk: AssetDesk) -> Table:
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
