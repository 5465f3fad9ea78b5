"""Week facts, the computation: every number the brief states, computed once, from validated market data.

A fact the data cannot support (no market-cap series, no Fear & Greed for the week, no
bitcoin in a user's file) is None or absent, never estimated. The records it fills in
live in `reports.facts.model`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from reports.facts import history as hist
from reports.facts.history import Streak, WeekRank
from reports.core.errors import NoDataError
from reports.data.model import Asset, MarketData, SeriesInfo
from reports.core.settings import Settings
from reports.facts.model import (
    BTC, CONTEXT_DAYS, ETH, FOCUS, INDEX_BASE, MOVERS_EACH_SIDE,
    PATH_ASSETS, TYPICAL_WEEK_DAYS, UNCHANGED_PCT, AssetMove, Breadth, ChartData, DailyMove, DataQuality,
    Dominance, Dropped, FearGreed, Gap, MarketCap, Method, Points, Range, Universe, WeekFacts, _lead,
)
from reports.facts.altcoins import altcoins, regime
from reports.facts.days import daily_extreme, daily_move, intraday, week_data
from reports.facts.levels import round_levels
from reports.facts.drivers import chart_points, compute_drivers, sources as driver_sources
from reports.facts.week import Week
from reports.facts.events import prior_range, upcoming
from reports.data.events import scheduled_events


def compute_facts(data: MarketData, week: Week, settings: Settings) -> WeekFacts:
    data = week_data(data, week)
    universe, ranked_ids, dropped = _universe(data, week, settings)
    moves = tuple(_move(data, data.assets[asset], week) for asset in ranked_ids)
    compared = _compared(moves)
    by_change = sorted(compared, key=lambda move: move.change_pct)
    side = min(MOVERS_EACH_SIDE, len(compared) // 2) or 1
    histories = {asset: h for asset in _focus(moves) if (h := hist.longest_history(data, asset, week)) is not None}
    market_cap = _market_cap(data, week)
    fear_greed = _fear_greed(data, week)
    drivers = compute_drivers(data, week)
    flows, flow_closes = chart_points(data, week, drivers)
    return WeekFacts(
        week=week,
        method=Method(),
        universe=universe,
        assets=moves,
        leaders=tuple(move.id for move in reversed(by_change[-side:])),
        laggards=tuple(move.id for move in by_change[:side]),
        breadth=_breadth(compared, len(moves) - len(compared)),
        market_cap=market_cap,
        dominance=_dominance(data, week),
        biggest_day=daily_move(data, week, _lead(moves)),
        daily_fall=daily_extreme(data, week, _lead(moves), "fall"),
        daily_rise=daily_extreme(data, week, _lead(moves), "rise"),
        levels=tuple(hist.level_since(h, week, side) for h in histories.values() for side in ("low", "high")),
        ranges=tuple(_range(data.prices.close[asset], asset, week) for asset in histories),
        market_range=_range(data.market.frame["total_market_cap_usd"], "market", week) if market_cap and data.market else None,
        drawdowns=tuple(hist.drawdown(h) for h in histories.values()),
        volatility=tuple(v for h in histories.values() if (v := hist.volatility(h, week)) is not None),
        altcoins=altcoins(data, week, compared),
        fear_greed=fear_greed,
        quality=_quality(data, week, dropped, histories, market_cap, fear_greed),
        sources=(*_sources_used(data, moves, histories, market_cap, fear_greed), *driver_sources(data, drivers)),
        series=replace(_chart_data(data, week, moves, histories), etf_flows=flows, etf_closes=flow_closes),
        ranks=_ranks(data, week, histories, market_cap),
        streaks=_streaks(data, week, moves),
        regime=regime(data, week, compared),
        extension=hist.extension(list(histories.values())),
        events=upcoming(scheduled_events(settings), week),
        prior_ranges=tuple(r for asset in histories if (r := prior_range(data.prices.close[asset], asset, week))),
        drivers=drivers,
        round_levels=round_levels(moves),
    )


# --- the universe and each asset's week -------------------------------------------------------


def _universe(data: MarketData, week: Week, settings: Settings) -> tuple[Universe, list[str], list[Dropped]]:
    """Top N by rank on the last day (else by market cap, else every asset), kinds and exclusions left out."""
    panel = data.prices
    end, base = pd.Timestamp(week.end), pd.Timestamp(week.base)
    excluded = {name.lower() for name in settings.exclude}
    candidates = [
        asset
        for asset in panel.close.columns
        if not pd.isna(panel.close.at[end, asset])
        and data.assets[asset].kind not in settings.exclude_kinds
        and asset.lower() not in excluded
        and data.assets[asset].symbol.lower() not in excluded
    ]
    ranked_by = "all"
    for name, frame, ascending in (("rank", panel.rank, True), ("market_cap", panel.market_cap, False)):
        if frame is not None and frame.loc[end, candidates].notna().any():
            order = frame.loc[end, candidates].dropna().sort_values(ascending=ascending, kind="stable")
            candidates = list(order.index[: settings.universe_size])
            ranked_by = name
            break
    else:
        candidates = sorted(candidates)
    chosen, dropped = [], []
    for asset in candidates:
        if pd.isna(panel.close.at[base, asset]):
            dropped.append(Dropped(asset, data.assets[asset].symbol, "no_base_price"))
        else:
            chosen.append(asset)
    if not chosen:
        raise NoDataError(
            f"No asset to report on for the week ending {week.end}: every asset with prices on {week.end} and "
            f"{week.base} is of an excluded kind ({', '.join(settings.exclude_kinds) or 'none'}) or in the exclude list. "
            "Add other assets to the data, or change exclude / exclude_kinds in the settings."
        )
    universe = Universe(settings.universe_size, ranked_by, tuple(settings.exclude_kinds), tuple(settings.exclude), len(chosen))
    return universe, chosen, dropped


def _move(data: MarketData, asset: Asset, week: Week) -> AssetMove:
    panel = data.prices
    closes = panel.close[asset.id]
    end, base = pd.Timestamp(week.end), pd.Timestamp(week.base)
    window = closes.loc[pd.Timestamp(week.start) : end].dropna()
    close, base_close = float(closes.at[end]), float(closes.at[base])
    rank = _value(panel.rank, end, asset.id)
    daily = (closes / closes.shift(1) - 1).loc[pd.Timestamp(week.start) : end].dropna() * 100
    typical = hist.weekly_sd(closes, week, TYPICAL_WEEK_DAYS)
    low, high = intraday(data, week, asset.id)
    return AssetMove(
        id=asset.id,
        symbol=asset.symbol,
        name=asset.name,
        rank=None if rank is None else int(rank),
        close=close,
        base_close=base_close,
        change_pct=(close / base_close - 1) * 100,
        market_cap_usd=_value(panel.market_cap, end, asset.id),
        high=float(window.max()),
        high_day=window.idxmax().date(),
        low=float(window.min()),
        low_day=window.idxmin().date(),
        up_days=int((daily >= UNCHANGED_PCT).sum()),
        down_days=int((daily <= -UNCHANGED_PCT).sum()),
        daily_changes=len(daily),
        typical_week_pct=typical,
        series=panel.info_of(asset.id).key,
        compared=panel.compares(asset.id),
        intraday_low=low[0] if low else None,
        intraday_low_day=low[1] if low else None,
        intraday_low_hour=low[2] if low else None,
        intraday_high=high[0] if high else None,
        intraday_high_day=high[1] if high else None,
        intraday_high_hour=high[2] if high else None,
    )


def _compared(moves: tuple[AssetMove, ...]) -> tuple[AssetMove, ...]:
    """The moves on the brief's price basis: only they are compared with each other."""
    return tuple(move for move in moves if move.compared)


def _range(series: pd.Series, asset: str, week: Week) -> Range:
    """Lowest and highest daily value over the context window (on the series the week's figure uses)."""
    end = pd.Timestamp(week.end)
    closes = series.loc[end - pd.Timedelta(days=CONTEXT_DAYS - 1) : end].dropna()
    low_day, high_day = closes.idxmin(), closes.idxmax()
    return Range(asset, CONTEXT_DAYS, float(closes[low_day]), low_day.date(), float(closes[high_day]), high_day.date())


def _value(frame: pd.DataFrame | None, day: pd.Timestamp, column: str) -> float | None:
    if frame is None or column not in frame.columns:
        return None
    value = frame.at[day, column]
    return None if pd.isna(value) else float(value)


def _breadth(moves: tuple[AssetMove, ...], left_out: int) -> Breadth:
    rose = sum(move.change_pct >= UNCHANGED_PCT for move in moves)
    fell = sum(move.change_pct <= -UNCHANGED_PCT for move in moves)
    median = float(np.median([move.change_pct for move in moves]))
    return Breadth(rose=rose, fell=fell, unchanged=len(moves) - rose - fell, total=len(moves), median_pct=median,
                   left_out=left_out)



def _focus(moves: tuple[AssetMove, ...]) -> list[str]:
    """Assets whose long history the brief reports: bitcoin and ether, or the lead asset."""
    present = [asset for asset in FOCUS if any(move.id == asset for move in moves)]
    return present or [_lead(moves)]


# --- the whole market -------------------------------------------------------------------------


def _on(frame: pd.DataFrame, day: date, column: str) -> float | None:
    value = frame[column].get(pd.Timestamp(day), np.nan) if column in frame.columns else np.nan
    return None if pd.isna(value) else float(value)


def _market_cap(data: MarketData, week: Week) -> MarketCap | None:
    if data.market is None:
        return None
    start = _on(data.market.frame, week.base, "total_market_cap_usd")
    end = _on(data.market.frame, week.end, "total_market_cap_usd")
    if start is None or end is None:
        return None
    values = data.market.frame["total_market_cap_usd"].loc[pd.Timestamp(week.base):pd.Timestamp(week.end)].dropna()
    days = values.iloc[1:] if values.index[0] == pd.Timestamp(week.base) else values  # the week's own days
    falls = (values / values.shift(1) - 1).loc[days.index].dropna() * 100
    fall_day = falls.idxmin() if len(falls) and falls.min() < 0 else None
    return MarketCap(start, end, end - start, (end / start - 1) * 100, week.base, week.end, data.market.info.key,
                     low_usd=float(days.min()), low_day=days.idxmin().date(),
                     fall_pct=None if fall_day is None else float(falls[fall_day]),
                     fall_day=None if fall_day is None else fall_day.date())


def _dominance(data: MarketData, week: Week) -> tuple[Dominance, ...]:
    if data.market is None:
        return ()
    found = []
    for asset, column in ((BTC, "btc_dominance_pct"), (ETH, "eth_dominance_pct")):
        start = _on(data.market.frame, week.base, column)
        end = _on(data.market.frame, week.end, column)
        if start is not None and end is not None:
            found.append(Dominance(asset, start, end, end - start))
    return tuple(found)


def _fear_greed(data: MarketData, week: Week) -> FearGreed | None:
    if data.sentiment is None:
        return None
    frame = data.sentiment.frame.loc[: pd.Timestamp(week.end)].dropna()
    end = pd.Timestamp(week.end)
    if end not in frame.index:
        return None
    window = frame.loc[pd.Timestamp(week.start) :, "value"]
    before = frame.loc[: pd.Timestamp(week.start) - pd.Timedelta(days=1), "value"]
    low, high = float(window.min()), float(window.max())
    base = frame["value"].get(pd.Timestamp(week.base))
    base_class = frame["classification"].get(pd.Timestamp(week.base))
    value = float(frame.at[end, "value"])
    return FearGreed(
        value=value,
        classification=str(frame.at[end, "classification"]),
        day=week.end,
        base_value=None if base is None else float(base),
        base_classification=None if base_class is None else str(base_class),
        change=None if base is None else value - float(base),
        week_low=low,
        week_high=high,
        low_since=_last(before[before <= low]),
        high_since=_last(before[before >= high]),
        history_start=frame.index[0].date(),
        low_since_period=hist.stress_period(_last(before[before <= low])),
        high_since_period=hist.stress_period(_last(before[before >= high])),
    )


def _last(series: pd.Series) -> date | None:
    return series.index[-1].date() if len(series) else None


# --- the week against the history -------------------------------------


def _ranks(data: MarketData, week: Week, histories, market_cap: MarketCap | None) -> tuple[WeekRank, ...]:
    """Bitcoin's (else the lead asset's) week on its longest history, and total market value's week."""
    found = []
    lead = histories.get(BTC) or next(iter(histories.values()), None)
    if lead is not None:
        found.append(hist.week_rank(lead.closes, lead.asset, week, lead.info.key))
    if market_cap is not None and data.market is not None:
        # the brief prints the market's week in dollars, so it is ranked in dollars
        found.append(hist.week_rank(data.market.frame["total_market_cap_usd"], "market", week, data.market.info.key, unit="usd"))
    return tuple(rank for rank in found if rank is not None)


def _streaks(data: MarketData, week: Week, moves: tuple[AssetMove, ...]) -> tuple[Streak, ...]:
    """Weeks in a row of falls (or gains) for bitcoin and ether, and of ether trailing (or beating) bitcoin,
    on the same prices the week's changes use."""
    closes = data.prices.close
    weekly = {asset: hist.weekly_changes(closes[asset]) for asset in _focus(moves)}
    found = [hist.streak(changes, asset, week, UNCHANGED_PCT) for asset, changes in weekly.items()]
    if BTC in weekly and ETH in weekly:
        gap = (weekly[ETH] - weekly[BTC]).dropna()
        found.append(hist.streak(gap, f"{ETH}-vs-{BTC}", week, UNCHANGED_PCT, relative=True))
    return tuple(s for s in found if s is not None)


# --- data quality and provenance --------------------------------------------------------------


def _gaps(name: str, frame: pd.DataFrame | pd.Series, week: Week) -> Gap | None:
    window = frame.reindex(week.days(with_base=True))
    empty = window.isna() if isinstance(window, pd.Series) else window.isna().all(axis=1)
    days = tuple(day.date() for day in window.index[empty.to_numpy()])
    return Gap(name, days) if days else None


def _quality(data, week, dropped, histories, market_cap, fear_greed) -> DataQuality:
    candidates = [(data.prices.info.key, data.prices.close)]
    candidates += [(f"{h.info.key}:{asset}", h.closes) for asset, h in histories.items() if h.info is not data.prices.info]
    if market_cap is not None:
        candidates.append((data.market.info.key, data.market.frame["total_market_cap_usd"]))
    if fear_greed is not None:
        candidates.append((data.sentiment.info.key, data.sentiment.frame["value"]))
    gaps = tuple(gap for name, frame in candidates if (gap := _gaps(name, frame, week)) is not None)
    missing = tuple(name for name, found in (("market_cap", market_cap), ("fear_greed", fear_greed)) if found is None)
    fresh = data.freshness.for_week(week.end) if data.freshness is not None else None
    return DataQuality(gaps, tuple(dropped), missing, data.ignored_columns, data.prices.close.index[-1].date(), fresh)


def _sources_used(data: MarketData, moves, histories, market_cap, fear_greed) -> tuple[SeriesInfo, ...]:
    used = [data.prices.info, *(data.prices.info_of(move.id) for move in moves)]
    for h in histories.values():
        used += [h.info] + ([h.splice.info] if h.splice is not None else [])
    if market_cap is not None and data.market is not None:
        used.append(data.market.info)
    if fear_greed is not None and data.sentiment is not None:
        used.append(data.sentiment.info)
    return tuple({info.key: info for info in used}.values())


# --- chart series -------------------------------------------------------------------------------


def _points(series: pd.Series) -> Points:
    return tuple((day.date(), None if pd.isna(value) else float(value)) for day, value in series.items())


def _chart_data(data: MarketData, week: Week, moves, histories) -> ChartData:
    days = week.days(with_base=True)
    ranked = sorted(moves, key=lambda move: (move.id != BTC, move.rank if move.rank is not None else 10**6))
    paths = []
    for move in ranked[:PATH_ASSETS]:
        closes = data.prices.close[move.id].reindex(days)
        paths.append((move.id, _points(closes / move.base_close * INDEX_BASE)))
    context = pd.date_range(pd.Timestamp(week.end) - pd.Timedelta(days=CONTEXT_DAYS - 1), week.end, freq="D")
    market_cap: Points = ()
    btc_dominance: Points = ()
    fear_greed: Points = ()
    if data.market is not None and data.market.frame["total_market_cap_usd"].reindex(context).notna().any():
        market_cap = _points(data.market.frame["total_market_cap_usd"].reindex(context))
        btc_dominance = _points(data.market.frame["btc_dominance_pct"].reindex(context))
    if data.sentiment is not None and data.sentiment.frame["value"].reindex(context).notna().any():
        fear_greed = _points(data.sentiment.frame["value"].reindex(context))
    drawdown_asset = _lead(moves) if _lead(moves) in histories else None
    drawdown = _points(hist.drawdown_path(histories[drawdown_asset]).reindex(context)) if drawdown_asset else ()
    return ChartData(tuple(paths), market_cap, btc_dominance, drawdown, drawdown_asset, fear_greed)
