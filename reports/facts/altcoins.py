"""Altcoins against bitcoin: their average and median week, how many beat it, their beta, and how
tightly the coins moved together (dispersion, correlation with bitcoin this week and before).
Part of the market week's facts (`reports.facts.market.compute_facts`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.data.model import MarketData
from reports.facts.model import BETA_DAYS, BTC, CORRELATION_DAYS, MIN_WEEK_RETURNS, Altcoins, AssetMove, Regime
from reports.facts.week import Week


def altcoins(data: MarketData, week: Week, moves: tuple[AssetMove, ...]) -> Altcoins | None:
    btc = next((move for move in moves if move.id == BTC), None)
    alts = [move for move in moves if move.id != BTC]
    if btc is None or not alts:
        return None
    changes = np.array([move.change_pct for move in alts])
    beta = _beta(data, week, [move.id for move in alts])
    return Altcoins(
        count=len(alts),
        average_pct=float(changes.mean()),
        median_pct=float(np.median(changes)),
        btc_pct=btc.change_pct,
        gap_pp=float(changes.mean()) - btc.change_pct,
        outperformed=int((changes > btc.change_pct).sum()),
        beta=beta,
        beta_days=BETA_DAYS,
        implied_gap_pp=None if beta is None else (beta - 1) * btc.change_pct,
    )


def _beta(data: MarketData, week: Week, alts: list[str]) -> float | None:
    closes = data.prices.close.loc[pd.Timestamp(week.end) - pd.Timedelta(days=BETA_DAYS) : pd.Timestamp(week.end)]
    returns = closes / closes.shift(1) - 1
    pair = pd.DataFrame({"btc": returns[BTC], "alts": returns[alts].mean(axis=1, skipna=True)}).dropna()
    if len(pair) < 30 or pair["btc"].var() == 0:
        return None
    return float(pair["btc"].cov(pair["alts"]) / pair["btc"].var())


def regime(data: MarketData, week: Week, moves: tuple[AssetMove, ...]) -> Regime | None:
    if len(moves) < 2:
        return None
    changes = np.array([move.change_pct for move in moves])
    week_corr: float | None = None
    past_corr: float | None = None
    correlated = 0
    alts = [move.id for move in moves if move.id != BTC]
    if any(move.id == BTC for move in moves) and alts:
        returns = data.prices.close / data.prices.close.shift(1) - 1
        this_week = returns.loc[pd.Timestamp(week.start) : pd.Timestamp(week.end)]
        past = returns.loc[pd.Timestamp(week.start) - pd.Timedelta(days=CORRELATION_DAYS) : pd.Timestamp(week.base)]
        pairs = [(_corr(this_week, asset), _corr(past, asset, 30)) for asset in alts]
        pairs = [(w, p) for w, p in pairs if w is not None and p is not None]
        if pairs:
            correlated = len(pairs)
            week_corr = float(np.mean([w for w, _ in pairs]))
            past_corr = float(np.mean([p for _, p in pairs]))
    return Regime(
        dispersion_pp=float(np.std(changes, ddof=1)),
        spread_pp=float(changes.max() - changes.min()),
        correlation_week=week_corr,
        correlation_past=past_corr,
        correlation_shift=None if week_corr is None or past_corr is None else week_corr - past_corr,
        correlated=correlated,
        past_days=CORRELATION_DAYS,
    )


def _corr(returns: pd.DataFrame, asset: str, least: int = MIN_WEEK_RETURNS) -> float | None:
    pair = returns[[BTC, asset]].dropna()
    if len(pair) < least or pair[BTC].std() == 0 or pair[asset].std() == 0:
        return None
    value = float(pair[BTC].corr(pair[asset]))
    return value if np.isfinite(value) else None
