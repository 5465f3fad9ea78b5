"""Data: sources, raw tables, validation into `MarketData`, the asset catalog and the parsed-data cache."""
