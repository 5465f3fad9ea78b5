"""One asset's week, as numbers: its move, its rank, its move against bitcoin and the market, its history.

The asset brief tells the market brief's week from one coin's point of view, so these
facts start from the market facts (`compute_facts`: the same universe, breadth, market
value, dominance and sentiment, on the same series and times of day) and add what only
the asset view needs. Weekly figures use the price panel as the week reads it, like the
market brief (daily closes, or the noon snapshots for a coin without them); levels, drawdown
and volatility use the asset's longest history (for bitcoin, ether and BNB the closes extended
back with Coin Metrics'), and each figure records its series. `fact_table`
(from `facts`) flattens these facts into dotted keys the same way, so the story cites
them and the JSON carries them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from reports.facts import history as hist
from reports.core.errors import NoDataError
from reports.facts.days import daily_extreme, daily_move, week_data
from reports.facts.drivers import Drivers, for_asset, sources as driver_sources
from reports.facts.market import _gaps, _move, _points, _range, compute_facts
from reports.facts.model import BETA_DAYS, BTC, INDEX_BASE, AssetMove, Breadth, DailyMove, DataQuality, Dominance, Event, FearGreed, Gap, MarketCap, Method, Points, Range, Universe, WeekFacts
from reports.facts.history import Drawdown, LevelSince, Volatility
from reports.facts.levels import RoundLevel, round_levels
from reports.data.model import MarketData, SeriesInfo
from reports.core.settings import Settings
from reports.facts.week import Week
from reports.facts.events import prior_range, upcoming
from reports.data.events import scheduled_events

HISTORY_DAYS = 365  # the history chart's reach back from the week's end
MIN_PAIRS = 30  # fewer daily return pairs than this give no beta or correlation


@dataclass(frozen=True)
class Standing:
    """Where the asset stands: its market-cap rank now and a week earlier, and its place among
    the universe's weekly moves (1 = best; the asset counted even when outside the universe)."""

    asset: str
    kind: str
    rank: int | None
    base_rank: int | None
    rank_change: int | None  # places climbed (positive) or lost (negative)
    in_universe: bool
    place: int
    of: int
    others: int  # of - 1: the coins it is compared with
    beat: int  # how many of the other `of - 1` coins it beat on the week


@dataclass(frozen=True)
class Relative:
    """The asset's weekly change against bitcoin's and the market's, in percentage points.

    `vs_btc_ratio_pct` is the change of its price in bitcoin terms. `market_pct` is the total
    market value's change when the data has it, else the universe median (`market` says which).
    """

    asset: str
    btc_pct: float | None
    vs_btc_pp: float | None
    vs_btc_ratio_pct: float | None
    market: str  # "market_cap" or "median"
    market_pct: float
    vs_market_pp: float
    median_pct: float
    vs_median_pp: float


@dataclass(frozen=True)
class BtcLink:
    """How the asset's daily moves follow bitcoin's over `days` days to the week's end (same series)."""

    asset: str
    beta: float
    correlation: float
    pairs: int
    days: int


@dataclass(frozen=True)
class Recovery:
    """The gain the asset needs from the week's last close to get back to its highest close."""

    asset: str
    peak: float
    close: float
    gain_pct: float


@dataclass(frozen=True)
class HistoryWindow:
    """The stretch of the asset's longest history that the history charts draw."""

    series: str
    start: date
    end: date
    days: int


@dataclass(frozen=True)
class AssetChartData:
    """The series the asset charts draw (None marks a gap)."""

    week_prices: Points
    indexed: tuple[tuple[str, Points], ...]  # the asset, bitcoin and "market", each 100 on the base day
    history: Points
    drawdown: Points
    history_series: str | None


@dataclass(frozen=True)
class AssetWeekFacts:
    """The asset brief's facts. Fields shared with `WeekFacts` carry the same meaning and keys,
    so the renderers (which read week, universe, assets, market_cap, breadth, dominance,
    fear_greed, quality and sources) lay out an asset brief unchanged."""

    asset_id: str
    week: Week
    method: Method
    universe: Universe
    assets: tuple[AssetMove, ...]
    breadth: Breadth
    market_cap: MarketCap | None
    dominance: tuple[Dominance, ...]
    fear_greed: FearGreed | None
    standing: Standing
    relative: Relative
    biggest_day: DailyMove | None
    levels: tuple[LevelSince, ...]
    range: Range
    market_range: Range | None
    drawdown: Drawdown | None
    recovery: Recovery | None
    volatility: Volatility | None
    btc_link: BtcLink | None
    history_window: HistoryWindow | None
    gaps: tuple[Gap, ...]
    quality: DataQuality
    sources: tuple[SeriesInfo, ...]
    series: AssetChartData
    daily_fall: DailyMove | None = None  # the asset's largest one-day fall and rise of the week, on closes
    daily_rise: DailyMove | None = None
    extension: hist.Extension | None = None
    events: tuple[Event, ...] = ()  # scheduled events after the week for the market or this asset
    prior_range: Range | None = None  # the asset's range of closes before the week
    drivers: Drivers | None = None  # the drivers that concern the asset (`reports.facts.drivers.for_asset`)
    round_levels: tuple[RoundLevel, ...] = ()  # the round numbers the asset's week went through (bitcoin, ether)

    def asset(self, asset_id: str) -> AssetMove | None:
        return next((move for move in self.assets if move.id == asset_id), None)

    @property
    def lead(self) -> str:
        """The asset the brief is about (the market brief's `lead`, for shared phrases)."""
        return self.asset_id

    @property
    def subject(self) -> AssetMove:
        """The asset's own move (`compute_asset_facts` always adds it to `assets`)."""
        move = self.asset(self.asset_id)
        if move is None:
            raise LookupError(f"{self.asset_id} is missing from the asset brief's assets")
        return move


# The facts a brief is written from: the market's week, or one asset's. A `Story` holds either;
# the writing desk is generic over them (`reports.story.desk.Desk`).
BriefFacts = WeekFacts | AssetWeekFacts


def compute_asset_facts(
    data: MarketData, week: Week, asset_id: str, settings: Settings, market: WeekFacts | None = None
) -> AssetWeekFacts:
    """`market`: the week's market facts when the caller has them already (many assets, one week)."""
    market = market or compute_facts(data, week, settings)
    data = week_data(data, week)
    subject = market.asset(asset_id) or _subject_move(data, week, asset_id)
    assets = market.assets if market.asset(asset_id) else (*market.assets, subject)
    history = hist.longest_history(data, asset_id, week)
    drawdown = hist.drawdown(history) if history else None
    market_range = market.market_range
    drivers = for_asset(market.drivers, asset_id) if market.drivers is not None else None
    return AssetWeekFacts(
        asset_id=asset_id,
        week=week,
        method=market.method,
        universe=market.universe,
        assets=assets,
        breadth=market.breadth,
        market_cap=market.market_cap,
        dominance=tuple(d for d in market.dominance if d.asset == asset_id),
        fear_greed=market.fear_greed,
        standing=_standing(data, week, subject, market.assets),
        relative=_relative(subject, market),
        biggest_day=daily_move(data, week, asset_id),
        daily_fall=daily_extreme(data, week, asset_id, "fall"),
        daily_rise=daily_extreme(data, week, asset_id, "rise"),
        extension=hist.extension([history] if history else []),
        levels=tuple(hist.level_since(history, week, side) for side in ("low", "high")) if history else (),
        range=_range(data.prices.close[asset_id], asset_id, week),
        market_range=market_range,
        drawdown=drawdown,
        recovery=_recovery(drawdown),
        volatility=hist.volatility(history, week) if history else None,
        btc_link=_btc_link(data, week, asset_id),
        history_window=_history_window(history, week),
        gaps=_subject_gaps(data, week, asset_id, history),
        quality=market.quality,
        sources=_sources(data, asset_id, market.sources, history, drivers),
        series=_chart_data(data, week, subject, history, market.market_cap, market.asset(BTC) is not None),
        events=upcoming(scheduled_events(settings), week, asset_id),
        prior_range=prior_range(data.prices.close[asset_id], asset_id, week),
        drivers=drivers,
        round_levels=round_levels((subject,)),
    )


def _subject_move(data: MarketData, week: Week, asset_id: str) -> AssetMove:
    """The asset's week when it is outside the universe (a stablecoin, or ranked below the top N)."""
    closes = data.prices.close[asset_id]
    for day, role in ((week.end, "last day of the week"), (week.base, "day the weekly change is measured from")):
        if pd.isna(closes.get(pd.Timestamp(day), np.nan)):
            raise NoDataError(
                f"No price for {asset_id} on {day} (the {role} ending {week.end}) in the "
                f"{data.prices.info.title}. Pick another week or another asset."
            )
    return _move(data, data.assets[asset_id], week)


def _rank_on(data: MarketData, day: date, asset_id: str) -> int | None:
    ranks = data.prices.rank
    if ranks is None or asset_id not in ranks.columns:
        return None
    value = ranks[asset_id].get(pd.Timestamp(day), np.nan)
    return None if pd.isna(value) else int(value)


def _standing(data: MarketData, week: Week, subject: AssetMove, universe: tuple[AssetMove, ...]) -> Standing:
    # only coins on the subject's price basis are ranked against it
    others = [move for move in universe if move.id != subject.id and move.compared == subject.compared]
    beat = sum(move.change_pct < subject.change_pct for move in others)
    base_rank = _rank_on(data, week.base, subject.id)
    change = None if subject.rank is None or base_rank is None else base_rank - subject.rank
    return Standing(
        asset=subject.id,
        kind=data.assets[subject.id].kind,
        rank=subject.rank,
        base_rank=base_rank,
        rank_change=change,
        in_universe=any(move.id == subject.id for move in universe),
        place=len(others) - beat + 1,
        of=len(others) + 1,
        others=len(others),
        beat=beat,
    )


def _relative(subject: AssetMove, market) -> Relative:
    btc = market.asset(BTC)
    # a fall that rounds to -100% in floating point (closes 30 orders of magnitude apart) gives no comparison
    has_btc = btc is not None and subject.id != BTC and btc.change_pct > -100 and subject.compared
    median = market.breadth.median_pct
    market_pct = market.market_cap.change_pct if market.market_cap else median
    return Relative(
        asset=subject.id,
        btc_pct=btc.change_pct if btc is not None else None,
        vs_btc_pp=subject.change_pct - btc.change_pct if has_btc else None,
        vs_btc_ratio_pct=((1 + subject.change_pct / 100) / (1 + btc.change_pct / 100) - 1) * 100 if has_btc else None,
        market="market_cap" if market.market_cap else "median",
        market_pct=market_pct,
        vs_market_pp=subject.change_pct - market_pct,
        median_pct=median,
        vs_median_pp=subject.change_pct - median,
    )


def _recovery(drawdown: Drawdown | None) -> Recovery | None:
    if drawdown is None or drawdown.close >= drawdown.peak:
        return None
    return Recovery(drawdown.asset, drawdown.peak, drawdown.close, drawdown.recovery_pct)


def _btc_link(data: MarketData, week: Week, asset_id: str) -> BtcLink | None:
    """Beta and correlation of daily returns to bitcoin's, both on the brief's closes."""
    close = data.prices.close
    if asset_id == BTC or BTC not in close.columns or not data.prices.compares(asset_id):
        return None  # a coin on another price basis than bitcoin's closes has no daily returns to set beside them
    end = pd.Timestamp(week.end)
    window = close.loc[end - pd.Timedelta(days=BETA_DAYS) : end, [asset_id, BTC]]
    returns = (window / window.shift(1) - 1).dropna()
    if len(returns) < MIN_PAIRS or returns[BTC].var() == 0:
        return None
    beta = returns[BTC].cov(returns[asset_id]) / returns[BTC].var()
    return BtcLink(asset_id, float(beta), float(returns[BTC].corr(returns[asset_id])), len(returns), BETA_DAYS)


def _subject_gaps(data: MarketData, week: Week, asset_id: str, history: hist.History | None) -> tuple[Gap, ...]:
    candidates = [(data.prices.info.key, data.prices.close[asset_id])]
    if history is not None and history.info is not data.prices.info:
        candidates.append((history.info.key, history.closes))
    return tuple(gap for key, series in candidates if (gap := _gaps(key, series, week)) is not None)


def _sources(data: MarketData, asset_id: str, market_sources: tuple[SeriesInfo, ...],
             history: hist.History | None, drivers: Drivers | None) -> tuple[SeriesInfo, ...]:
    """The market brief's series, minus histories of other assets and drivers of other assets, plus this asset's history."""
    # the market brief's other histories reach back on the splice's source; this asset's own history says if it does
    spliced = data.history.splice.info if data.history is not None and data.history.splice is not None else None
    used = [data.prices.info_of(asset_id)]
    theirs = {series.info.key for series in data.drivers.values()} - {info.key for info in driver_sources(data, drivers)} if drivers else set()
    used += [info for info in market_sources if info is not spliced and info.key not in theirs]
    if history is not None:
        used += [history.info] + ([history.splice.info] if history.splice is not None else [])
    return tuple({info.key: info for info in used}.values())


def _history_window(history: hist.History | None, week: Week) -> HistoryWindow | None:
    if history is None:
        return None
    end = pd.Timestamp(week.end)
    start = max(end - pd.Timedelta(days=HISTORY_DAYS - 1), history.closes.index[0])
    return HistoryWindow(history.info.key, start.date(), week.end, (end - start).days + 1)


def _chart_data(data: MarketData, week: Week, subject: AssetMove, history, market_cap: MarketCap | None,
                btc_in_universe: bool) -> AssetChartData:
    """Bitcoin's line is drawn only when bitcoin is in the universe: the text that describes the line
    cites bitcoin's weekly move, which exists only there."""
    days = week.days(with_base=True)
    closes = data.prices.close[subject.id].reindex(days)
    indexed = [(subject.id, _points(closes / subject.base_close * INDEX_BASE))]
    if subject.id != BTC and btc_in_universe:
        btc = data.prices.close[BTC].reindex(days)
        if not pd.isna(btc.iloc[0]):
            indexed.append((BTC, _points(btc / btc.iloc[0] * INDEX_BASE)))
    if market_cap is not None and data.market is not None:
        cap = data.market.frame["total_market_cap_usd"].reindex(days)
        indexed.append(("market", _points(cap / market_cap.start_usd * INDEX_BASE)))
    window = _history_window(history, week)
    if history is None or window is None:
        return AssetChartData(_points(closes), tuple(indexed), (), (), None)
    reach = pd.date_range(window.start, window.end, freq="D")
    return AssetChartData(
        week_prices=_points(closes),
        indexed=tuple(indexed),
        history=_points(history.closes.reindex(reach)),
        drawdown=_points(hist.drawdown_path(history).reindex(reach)),
        history_series=history.info.key,
    )

