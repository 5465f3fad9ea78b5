"""The bundled dataset: real CoinGecko, Coin Metrics and Alternative.me files shipped in the package.

The files are kept exactly as archived (see `reports/data/bundle/DATA.md`); this module maps
their columns to the canonical ones and their asset names to the catalog's ids.
"""

from __future__ import annotations

from pathlib import Path

from reports.data.catalog import DATA_DIR, catalog, slug
from reports.data.model import SeriesInfo
from reports.data.validate import RawMarketData
from reports.data.raw import RawSeries, RawTable, read_csv

COINGECKO_ATTRIBUTION = "Data provided by CoinGecko (https://www.coingecko.com)."
COINGECKO_LICENCE = "No licence stated; CoinGecko asks for attribution."

TOP100 = SeriesInfo(
    key="coingecko-top100",
    provider="CoinGecko",
    title="CoinGecko daily snapshots of the top 100 coins",
    time_of_day="snapshots at about 12:00 UTC",
    attribution=COINGECKO_ATTRIBUTION,
    licence=COINGECKO_LICENCE,
)
GLOBAL = SeriesInfo(
    key="coingecko-global",
    provider="CoinGecko",
    title="CoinGecko global market snapshots",
    time_of_day="snapshots between about 10:15 and 11:30 UTC",
    attribution=COINGECKO_ATTRIBUTION,
    licence=COINGECKO_LICENCE,
)
COINMETRICS = SeriesInfo(
    key="coinmetrics",
    provider="Coin Metrics",
    title="Coin Metrics community daily reference rates",
    time_of_day="daily closes at 00:00 UTC",
    attribution="Coin Metrics community network data (https://coinmetrics.io), licensed CC BY-NC 4.0.",
    licence="CC BY-NC 4.0 (attribution, non-commercial)",
)
FEAR_GREED = SeriesInfo(
    key="fear-greed",
    provider="Alternative.me",
    title="Crypto Fear & Greed Index",
    time_of_day="one reading per day, stamped 00:00 UTC",
    attribution="Crypto Fear & Greed Index by Alternative.me (https://alternative.me/crypto/fear-and-greed-index/).",
    licence="No licence stated; Alternative.me asks for attribution.",
)
# Coin Metrics tickers with a daily close in the file (its SOL rows carry none).
HISTORY_ASSETS = {"BTC": "bitcoin", "ETH": "ethereum", "BNB": "bnb"}
ASSET_CAPS = {"btc_market_cap_usd": "bitcoin", "eth_market_cap_usd": "ethereum"}


def load(data_dir: Path = DATA_DIR) -> RawMarketData:
    return RawMarketData(
        prices=RawSeries(_top100(read_csv(data_dir / "coingecko_top100_daily.csv")), TOP100),
        history=RawSeries(_coinmetrics(read_csv(data_dir / "coinmetrics_daily.csv")), COINMETRICS),
        market=RawSeries(read_csv(data_dir / "coingecko_global_daily.csv"), GLOBAL),
        sentiment=RawSeries(read_csv(data_dir / "fear_greed_daily.csv"), FEAR_GREED),
        catalog=catalog(),
        asset_caps=ASSET_CAPS,
    )


def _top100(table: RawTable) -> RawTable:
    """Name the assets by catalog id: the archive has no ids, and symbols are shared (SOL, USDC)."""
    known = catalog().by_source_name
    frame = table.frame.copy()
    names = frame["name"]
    frame["asset"] = [known[name].id if name in known else slug(name) for name in names]
    frame["name"] = [known[name].name if name in known else name for name in names]
    table = RawTable(table.path, table.header, frame, {"asset": "name"})
    return table.renamed({"price_usd": "close"})


def _coinmetrics(table: RawTable) -> RawTable:
    table = table.where(table.frame["asset"].isin(list(HISTORY_ASSETS)))
    frame = table.frame.copy()
    frame["asset"] = frame["asset"].map(HISTORY_ASSETS)
    return RawTable(table.path, table.header, frame).renamed({"close_usd": "close"})
