"""A user's own CSV: long format, one row per UTC day and asset.

Required columns `date,asset,close`; optional `symbol,name,rank,market_cap,volume`.
The drivers' files (ETF flows, stablecoins, cross-asset closes), in the bundle's shapes and under the
bundle's file names, are read from the same folder when they are there (`reports.data.sources.drivers`).
"""

from __future__ import annotations

from pathlib import Path

from reports.core.settings import Settings
from reports.data.catalog import catalog
from reports.data.model import SeriesInfo
from reports.data.validate import RawMarketData
from reports.data.raw import RawSeries, read_csv
from reports.data.sources import drivers


def load(path: Path) -> RawMarketData:
    info = SeriesInfo(
        key="csv",
        provider=path.name,
        title=f"daily prices from {path.name}",
        time_of_day="daily values as given in the file (one per UTC day)",
        attribution=f"Prices from {path.name}, supplied by the publisher.",
        licence="As supplied by the publisher.",
    )
    return RawMarketData(prices=RawSeries(read_csv(path), info), catalog=catalog(), drivers=drivers.load(path.parent))


def from_settings(settings: Settings) -> RawMarketData:
    """The source registry's entry: the file named by `--data`."""
    assert settings.data is not None  # Settings refuses source csv without a data file
    return load(settings.data)
