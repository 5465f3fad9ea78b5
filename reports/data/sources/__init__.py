"""Sources: where market data comes from. Each returns raw tables for validation.

What the sources share: the provenance every CoinGecko series carries, and naming assets by
the catalog (the bundled archive and the CoinGecko store both name coins by their source name).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

import pandas as pd

from reports.core.settings import Settings
from reports.data.catalog import catalog
from reports.data.model import GIVEN_BASIS, SeriesInfo
from reports.data.validate import RawMarketData

COINGECKO_ATTRIBUTION = "Data provided by CoinGecko (https://www.coingecko.com)."
COINGECKO_LICENCE = "No licence stated; CoinGecko asks for attribution."


# The registry of sources: each module's `from_settings(settings)` returns raw tables for validation.
# Imported on demand: the bundled brief never loads the CoinGecko client.
SOURCES: dict[str, str] = {
    "bundled": "reports.data.sources.bundled",
    "csv": "reports.data.sources.csvfile",
    "coingecko": "reports.data.sources.coingecko.stored",
    "live": "reports.data.sources.live",  # every live source pulled (sources.live.LIVE_PULLERS), then the stores
}


def load_source(settings: Settings) -> RawMarketData:
    raw: RawMarketData = importlib.import_module(SOURCES[settings.source]).from_settings(settings)
    return raw


def coingecko_series(key: str, title: str, time_of_day: str, basis: str = GIVEN_BASIS) -> SeriesInfo:
    """A CoinGecko series: whichever endpoint or archive it comes from, the same provider, attribution and licence."""
    return SeriesInfo(key=key, provider="CoinGecko", title=title, time_of_day=time_of_day,
                      attribution=COINGECKO_ATTRIBUTION, licence=COINGECKO_LICENCE, basis=basis)


def named_by_catalog(frame: pd.DataFrame, otherwise: Iterable[str]) -> pd.DataFrame:
    """A copy of `frame` with the catalog's id and display name for every coin the catalog knows by
    its `name` (the source's), and for any other the id from `otherwise` (one per row) and its name as is."""
    known = catalog().by_source_name
    names = frame["name"]
    named = frame.copy()
    named["asset"] = [known[name].id if name in known else other for name, other in zip(names, otherwise)]
    named["name"] = [known[name].name if name in known else name for name in names]
    return named
