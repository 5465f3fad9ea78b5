"""Total market value on a first run: the sum of the largest coins' market caps, when the store has no
whole-market snapshot for a week's two ends.

CoinGecko's `/global` has no history, so a store holds one snapshot per day it pulled on, and a first
pull has none for the weeks before it. Its coins' `market_chart` answers do carry each day's market
cap, so the week can still be measured: the combined value of the `top` largest coins of each day
(a day with fewer coins' caps has no value, rather than a smaller sum), and bitcoin's and ether's
shares of it as dominance. It is not CoinGecko's total of every coin, and the series says so
(`CapsSum.info`); once the store has `/global` snapshots for both ends, those are used instead.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from reports.data.model import MarketData, MarketSeries
from reports.facts.model import BTC, ETH
from reports.facts.week import Week

TOTAL = "total_market_cap_usd"
SHARES = {BTC: "btc_dominance_pct", ETH: "eth_dominance_pct"}


def market_for_week(data: MarketData, week: Week) -> MarketData:
    """The data with the market series this week is measured on: the store's own snapshots when they
    cover both ends, else the reconstruction when it does, else the data as it is (no market value)."""
    if data.caps_sum is None or data.prices.market_cap is None or _covers(data.market, week):
        return data
    summed = MarketSeries(summed_caps(data.prices.market_cap, data.caps_sum.top), data.caps_sum.info)
    return replace(data, market=summed) if _covers(summed, week) else data


def summed_caps(caps: pd.DataFrame, top: int) -> pd.DataFrame:
    """Per day: the sum of the `top` largest caps (NaN when fewer coins have one that day), and each
    of bitcoin's and ether's cap as a percentage of that sum."""
    values = caps.to_numpy(dtype=float)
    counts = np.isfinite(values).sum(axis=1)
    largest = -np.sort(-np.nan_to_num(values, nan=0.0), axis=1)[:, :top]
    total = pd.Series(np.where(counts >= top, largest.sum(axis=1), np.nan), index=caps.index)
    frame = pd.DataFrame({TOTAL: total})
    for asset, column in SHARES.items():
        frame[column] = caps[asset] / total * 100 if asset in caps.columns else np.nan
    return frame


def _covers(market: MarketSeries | None, week: Week) -> bool:
    if market is None or TOTAL not in market.frame.columns:
        return False
    found = market.frame[TOTAL].reindex(pd.DatetimeIndex([pd.Timestamp(week.base), pd.Timestamp(week.end)]))
    return bool(found.notna().all())
