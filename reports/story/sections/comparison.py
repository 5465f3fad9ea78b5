"""Comparison & data: the table of coins, for the market brief (`market`) and for one coin (`asset`).
"""

from __future__ import annotations

from reports.story.desk import AssetDesk, MarketDesk
from reports.facts.model import BTC
from reports.story.figures import figure
from reports.story.prose import Fragment, join, sentence
from reports.story.model import Section, Table
from reports.story.sections.blocks import paragraph, table_caption, table_columns, table_row
from reports.story.asset_view import section, subject


NEIGHBOURS = 2  # coins either side of the asset's rank in the data table


# --- the market brief -------------------------------------------------------------------------


def market(desk: MarketDesk) -> Section:
    u = desk.facts.universe
    prices = desk.facts.sources[0].key
    picked = {
        "rank": Fragment("The ") + desk.f.count("universe.shown") + " largest coins by market-cap rank",
        "market_cap": Fragment("The ") + desk.f.count("universe.shown") + " largest coins by market value",
        "all": Fragment("Every asset in the data"),
    }[u.ranked_by]
    left_out = _kinds_left_out(u.excluded_kinds)
    # what the table holds and its price basis: the basis line under it (methodology stays out of the body text)
    listed = (picked + " on " + desk.f.day("week.end") + (Fragment(", leaving out " + left_out) if left_out else Fragment(""))
              + "; prices are " + desk.f.cite(f"sources.{prices}.time_of_day", str) + " from "
              + desk.f.cite(f"sources.{prices}.provider", str) + ", the change from " + desk.f.day("week.base") + " to "
              + desk.f.day("week.end"))
    return Section("comparison", "Comparison & Data", tuple(
        block for block in (_table(desk, listed), figure(desk, "weekly-change")) if block is not None
    ))


def _kinds_left_out(kinds: tuple[str, ...]) -> str:
    names = {"stablecoin": "stablecoins", "derivative": "wrapped or staked tokens", "tokenized": "tokenized funds"}
    return join([Fragment(names[kind]) for kind in kinds]).text if kinds else ""


def _table(desk: MarketDesk, listed: Fragment) -> Table:
    columns, has_rank, has_cap = table_columns(desk.facts.assets)
    rows = [table_row(move, desk.fmt, has_rank, has_cap) for move in desk.facts.assets]
    return Table(table_caption(desk, desk.facts.assets, listed), tuple(columns), tuple(rows))


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
    moves = _table_assets(desk)
    columns, has_rank, has_cap = table_columns(moves)
    rows = [table_row(move, desk.fmt, has_rank, has_cap) for move in moves]
    return Table(table_caption(desk, moves), tuple(columns), tuple(rows))
