"""One price basis: daily closes replace noon snapshots for every coin a candle source covers.

The bundled snapshots (CoinGecko, about 12:00 UTC) give the universe, ranks and the prices of
coins without candles; Binance's daily candles give the close (00:00 UTC), high and low of the
coins they cover. A close-based coin's long history is the same close series extended back,
before the candles' first day, with another source's closes on the same basis (Coin Metrics'),
so that "lowest close since" reads one series per asset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import pandas as pd

from reports.data.model import PricePanel, SeriesInfo, Splice


def on_closes(snapshots: PricePanel, candles: Mapping[str, pd.DataFrame], info: SeriesInfo,
              history: PricePanel | None) -> tuple[PricePanel, PricePanel | None]:
    """The panel with the candle closes, highs and lows of the coins both cover, and the spliced history."""
    covered = [asset for asset in candles["close"].columns if asset in snapshots.close.columns]
    first = min(snapshots.close.index[0], candles["close"].index[0])
    last = max(snapshots.close.index[-1], candles["close"].index[-1])
    days = pd.date_range(first, last, freq="D", name="date")
    columns = snapshots.close.columns

    def on_days(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        return None if frame is None else frame.reindex(index=days, columns=columns)

    close = snapshots.close.reindex(index=days)
    extremes = {}
    for name in ("high", "low"):
        extremes[name] = pd.DataFrame(float("nan"), index=days, columns=columns)
    for asset in covered:
        close[asset] = candles["close"][asset].reindex(days)
        for name in ("high", "low"):
            extremes[name][asset] = candles[name][asset].reindex(days)
    panel = PricePanel(
        snapshot=snapshots.close.reindex(index=days, columns=covered),
        close=close, info=info, rank=on_days(snapshots.rank), market_cap=on_days(snapshots.market_cap),
        volume=on_days(snapshots.volume), high=extremes["high"], low=extremes["low"], other=snapshots.info,
        other_assets=frozenset(asset for asset in columns if asset not in covered),
        listed=snapshots.close.notna().any(axis=1).reindex(days, fill_value=False),
    )
    return panel, _spliced(panel, covered, history)


def extended_back(panel: PricePanel, history: PricePanel) -> PricePanel:
    """For prices that are already daily closes (CoinGecko's stored 00:00 UTC points, with no candles): their
    coins' closes extended back with the history's, as with candles, so that a coin's end-of-week price and
    its "lowest close since" come from one series; the history as it is when it shares no coin with them."""
    covered = [asset for asset in panel.close.columns if panel.close[asset].notna().any()]
    return _spliced(panel, covered, history) or history


def _spliced(panel: PricePanel, covered: list[str], history: PricePanel | None) -> PricePanel | None:
    """The covered coins' closes extended back with the history's closes before the candles' first day."""
    if history is None:
        return None
    extended = [asset for asset in covered if asset in history.close.columns]
    if not extended:
        return None
    day = min(panel.close[asset].first_valid_index() for asset in extended)
    earlier = history.close.loc[: day - pd.Timedelta(days=1), extended]
    close = pd.concat([earlier, panel.close.loc[day:, extended]])
    close = close.reindex(pd.date_range(close.index[0], close.index[-1], freq="D", name="date"))
    splice = Splice(info=history.info, day=day.date(), assets=tuple(extended))
    return replace(PricePanel(close=close, info=panel.info), splice=splice)


def for_week(panel: PricePanel, base: date, end: date) -> PricePanel:
    """The panel as one week reads it: a close-based coin whose closes miss the week's base or last day
    (its candles end before) is on the snapshot basis for that week, if the snapshots have both days."""
    if panel.snapshot is None or panel.other is None:
        return panel
    days = [pd.Timestamp(base), pd.Timestamp(end)]
    moved = [asset for asset in panel.snapshot.columns
             if panel.close.loc[days, asset].isna().any() and panel.snapshot.loc[days, asset].notna().all()]
    if not moved:
        return panel
    if panel.other_assets | frozenset(moved) >= frozenset(panel.close.columns):
        # no coin has closes for the week: the whole week is on the snapshots' basis, as one
        close = panel.close.copy()
        close[moved] = panel.snapshot[moved]
        return replace(panel, close=close, info=panel.other, other=None, other_assets=frozenset(), high=None, low=None,
                       snapshot=None)
    close = panel.close.copy()
    close[moved] = panel.snapshot[moved]
    high = low = None
    if panel.high is not None and panel.low is not None:
        high, low = panel.high.copy(), panel.low.copy()
        high[moved] = low[moved] = float("nan")
    return replace(panel, close=close, high=high, low=low, other_assets=panel.other_assets | frozenset(moved))
