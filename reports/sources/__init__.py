"""Sources: where market data comes from. Each returns raw tables for validation."""

from __future__ import annotations

from ..settings import Settings
from ..validate import RawMarketData


def load_source(settings: Settings) -> RawMarketData:
    if settings.source == "coingecko":
        from . import stored

        return stored.load(settings)
    if settings.source == "csv":
        from . import csvfile

        return csvfile.load(settings.data)
    from . import bundled

    return bundled.load()
