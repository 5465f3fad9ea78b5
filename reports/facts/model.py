"""Week facts, the model: the frozen records of every number the brief states, and the method's constants.

Numbers only: no words, no formatting. A fact the data cannot support (no market-cap
series, no Fear & Greed for the week, no bitcoin in a user's file) is None or absent,
never estimated. `reports.facts.market.compute_facts` fills them in; `reports.facts.table`
flattens them into dotted keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from reports.facts import history as hist
from reports.facts.history import Drawdown, LevelSince, Streak, Volatility, WeekRank
from reports.data.model import Freshness, SeriesInfo
from reports.facts.week import Week

if TYPE_CHECKING:  # the drivers' and round levels' records name this module's constants
    from reports.facts.drivers import Drivers
    from reports.facts.levels import RoundLevel


BTC = "bitcoin"
ETH = "ethereum"
OMIT_EMPTY = "omit_empty"  # dataclass field metadata: an empty value gets no key in the fact table (reports.facts.table)
FOCUS = (BTC, ETH)
UNCHANGED_PCT = 0.05  # a move that rounds to 0.0% is neither up nor down
MOVERS_EACH_SIDE = 3
PATH_ASSETS = 5  # bitcoin and the largest alts in the indexed price-path chart
CONTEXT_DAYS = 90
BETA_DAYS = 90
INDEX_BASE = 100
SENTIMENT_THRESHOLD_PCT = 2.0  # market-wide weekly move beyond which the week is POSITIVE/NEGATIVE
CORRELATION_DAYS = 90
TYPICAL_WEEK_DAYS = 180  # trailing days over which an asset's typical weekly move is measured
MIN_WEEK_RETURNS = 5
EVENT_WINDOW_DAYS = 42  # What to Watch looks six weeks past the week's end

Points = tuple[tuple[date, float | None], ...]


@dataclass(frozen=True)
class AssetMove:
    """One asset's week: closes on the base and last day, and the range of the week's closes."""

    id: str
    symbol: str
    name: str
    rank: int | None
    close: float
    base_close: float
    change_pct: float
    market_cap_usd: float | None
    high: float
    high_day: date
    low: float
    low_day: date
    up_days: int
    down_days: int
    daily_changes: int
    typical_week_pct: float | None = None  # std of its seven-day changes over TYPICAL_WEEK_DAYS before the week
    series: str = ""  # the key of the series its prices come from (its basis)
    compared: bool = True  # on the brief's price basis, so in the claims that compare moves
    intraday_low: float | None = None  # the week's lowest trade (candles' lows), where the source has candles
    intraday_low_day: date | None = None
    intraday_low_hour: int | None = None  # the UTC hour it came in, where hourly candles cover the day
    intraday_high: float | None = None
    intraday_high_day: date | None = None
    intraday_high_hour: int | None = None


@dataclass(frozen=True)
class Universe:
    """Which assets the brief covers and how they were picked."""

    size: int
    ranked_by: str  # "rank", "market_cap" or "all"
    excluded_kinds: tuple[str, ...]
    excluded: tuple[str, ...]
    shown: int = 0  # how many assets the brief covers (its table's rows)


@dataclass(frozen=True)
class Breadth:
    """How many of the coins on the brief's price basis rose and fell (`total` of them; `left_out`
    coins of the universe are on another basis and not counted)."""

    rose: int
    fell: int
    unchanged: int
    total: int
    median_pct: float
    left_out: int = 0


@dataclass(frozen=True)
class Range:
    """An asset's lowest and highest daily price over the `days` days to the week's end."""

    asset: str
    days: int
    low: float
    low_day: date
    high: float
    high_day: date


@dataclass(frozen=True)
class Method:
    """The constants of the method, so that the brief can state them as facts."""

    unchanged_pct: float = UNCHANGED_PCT
    sentiment_threshold_pct: float = SENTIMENT_THRESHOLD_PCT
    context_days: int = CONTEXT_DAYS
    beta_days: int = BETA_DAYS
    index_base: int = INDEX_BASE
    days_per_year: int = hist.DAYS_PER_YEAR
    week_days: int = 7
    typical_week_days: int = TYPICAL_WEEK_DAYS
    event_window_days: int = EVENT_WINDOW_DAYS


@dataclass(frozen=True)
class MarketCap:
    """Total crypto market capitalisation on the base day and the last day of the week; the week's lowest value
    and its largest one-day fall (snapshot to snapshot, dated by the later day), which the chart marks."""

    start_usd: float
    end_usd: float
    change_usd: float
    change_pct: float
    start_day: date
    end_day: date
    series: str
    low_usd: float | None = None
    low_day: date | None = None
    fall_pct: float | None = None  # None when no day of the week fell
    fall_day: date | None = None


@dataclass(frozen=True)
class Dominance:
    """An asset's share of total market cap (percent) on the base and last day; change in points."""

    asset: str
    start_pct: float
    end_pct: float
    change_pp: float


@dataclass(frozen=True)
class DailyMove:
    """One of the asset's one-day moves within the week, between consecutive daily closes: the largest
    by size (`biggest_day`), or the largest fall or rise. `typical_pct`: the standard deviation of its
    daily changes over the TYPICAL_WEEK_DAYS before the week, which says whether a move matters."""

    asset: str
    day: date
    change_pct: float
    from_price: float
    to_price: float
    typical_pct: float | None = None


@dataclass(frozen=True)
class Altcoins:
    """The universe's altcoins (all but bitcoin) against bitcoin, equal-weighted.

    `beta` is the slope of the altcoins' average daily return on bitcoin's over `beta_days`
    days to the week's end; None when fewer than 30 days of both exist. `implied_gap_pp` is the gap
    to bitcoin that slope alone gives for bitcoin's week (points; None without a beta).
    """

    count: int
    average_pct: float
    median_pct: float
    btc_pct: float
    gap_pp: float
    outperformed: int
    beta: float | None
    beta_days: int
    implied_gap_pp: float | None


@dataclass(frozen=True)
class Regime:
    """How the market moved together: breadth is in `Breadth`; this holds dispersion and correlation.

    `dispersion_pp`: standard deviation of the universe's weekly changes; `spread_pp`: best
    minus worst. `correlation_week`: altcoins' average correlation of daily returns with
    bitcoin's over the week's daily returns; `correlation_past` the same over the
    `past_days` days before the week. None when the data cannot support it.
    """

    dispersion_pp: float
    spread_pp: float
    correlation_week: float | None
    correlation_past: float | None
    correlation_shift: float | None
    correlated: int
    past_days: int


@dataclass(frozen=True)
class FearGreed:
    value: float
    classification: str
    day: date
    base_value: float | None
    base_classification: str | None
    change: float | None
    week_low: float
    week_high: float
    low_since: date | None
    high_since: date | None
    history_start: date
    low_since_period: str | None = None  # a named stress period the low_since day falls in
    high_since_period: str | None = None


@dataclass(frozen=True)
class Gap:
    """Days in the week's window (base day included) on which a series has no value."""

    series: str
    days: tuple[date, ...]


@dataclass(frozen=True)
class Dropped:
    asset: str
    symbol: str
    reason: str  # "no_base_price"


@dataclass(frozen=True)
class DataQuality:
    gaps: tuple[Gap, ...]
    dropped: tuple[Dropped, ...]
    missing: tuple[str, ...]  # facts left out because the data lacks them: "market_cap", "fear_greed"
    ignored_columns: tuple[str, ...]
    newest_day: date
    freshness: Freshness | None = None  # a stored source's newest close, last pull, and staleness


@dataclass(frozen=True)
class ChartData:
    """The series the charts draw, as numbers (None marks a gap)."""

    price_paths: tuple[tuple[str, Points], ...]
    market_cap: Points
    btc_dominance: Points
    drawdown: Points
    drawdown_asset: str | None
    fear_greed: Points
    etf_flows: Points = ()  # US spot bitcoin ETFs' net flow (US dollars) on each day from the base day; None: no trading
    # in the week (the base day is the week before's)
    etf_closes: Points = ()  # bitcoin's close on the same days


@dataclass(frozen=True)
class Event:
    """A scheduled event after the week: its first day (`day`) and last (`end`, the same day for a
    one-day event), how many days after the week's end it starts, and where it comes from
    ("fomc": the bundled Fed calendar; "events_file" or "settings": the user's list)."""

    id: str
    title: str
    day: date
    end: date
    days_after: int
    url: str | None
    assets: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class WeekFacts:
    week: Week
    method: Method
    universe: Universe
    assets: tuple[AssetMove, ...]
    leaders: tuple[str, ...]
    laggards: tuple[str, ...]
    breadth: Breadth
    market_cap: MarketCap | None
    dominance: tuple[Dominance, ...]
    biggest_day: DailyMove | None
    levels: tuple[LevelSince, ...]
    ranges: tuple[Range, ...]
    market_range: Range | None
    drawdowns: tuple[Drawdown, ...]
    volatility: tuple[Volatility, ...]
    altcoins: Altcoins | None
    fear_greed: FearGreed | None
    quality: DataQuality
    sources: tuple[SeriesInfo, ...]
    series: ChartData
    ranks: tuple[WeekRank, ...] = ()
    streaks: tuple[Streak, ...] = ()
    regime: Regime | None = None
    daily_fall: DailyMove | None = None  # the lead asset's largest one-day fall of the week, if it fell on a day
    daily_rise: DailyMove | None = None  # and its largest one-day rise
    extension: hist.Extension | None = None  # where the long histories continue on another source's closes
    events: tuple[Event, ...] = ()  # scheduled events after the week (What to Watch)
    prior_ranges: tuple[Range, ...] = ()  # the focus assets' ranges of closes before the week
    drivers: Drivers | None = None  # what drove the week (ETF flows, stocks, stablecoins), on their own calendars
    round_levels: tuple[RoundLevel, ...] = ()  # the round numbers bitcoin's and ether's week went through

    def asset(self, asset_id: str) -> AssetMove | None:
        return next((move for move in self.assets if move.id == asset_id), None)

    @property
    def lead(self) -> str:
        return _lead(self.assets)


def _lead(moves: tuple[AssetMove, ...]) -> str:
    """The asset a brief leads with: bitcoin, or the largest asset when the data has none."""
    return BTC if any(move.id == BTC for move in moves) else moves[0].id
