"""Sources: where market data comes from. Each returns raw tables for validation.

What the sources share: the provenance every CoinGecko series carries, and naming assets by
the catalog (the bundled archive and the CoinGecko store both name coins by their source name).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from reports.core.settings import Settings
from reports.data.catalog import catalog
from reports.data.model import GIVEN_BASIS, SeriesInfo
from reports.data.validate import RawMarketData

COINGECKO_ATTRIBUTION = "Data provided by CoinGecko (https://www.coingecko.com)."
COINGECKO_LICENCE = "No licence stated; CoinGecko asks for attribution."


def load_source(settings: Settings) -> RawMarketData:
    if settings.source == "coingecko":
        from reports.data.sources.coingecko import stored

        return stored.load(settings)
    if settings.source == "csv":
        from reports.data.sources import csvfile

        assert settings.data is not None  # Settings refuses source csv without a data file
        return csvfile.load(settings.data)
    from reports.data.sources import bundled

    return bundled.load()


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
