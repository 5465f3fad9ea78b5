"""Sources: where market data comes from. Each returns raw tables for validation."""

from __future__ import annotations

from reports.core.settings import Settings
from reports.data.validate import RawMarketData


def load_source(settings: Settings) -> RawMarketData:
    if settings.source == "coingecko":
        from reports.data.sources.coingecko import stored

        return stored.load(settings)
    if settings.source == "csv":
        from reports.data.sources import csvfile

        return csvfile.load(settings.data)
    from reports.data.sources import bundled

    return bundled.load()
