"""The bundled dataset: real CoinGecko, Coin Metrics and Alternative.me files shipped in the package.

The files are kept exactly as archived (see `reports/data/bundle/DATA.md`); this module maps
their columns to the canonical ones and their asset names to the catalog's ids.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reports.core.settings import Settings
from reports.data.catalog import DATA_DIR, catalog, slug
from reports.data.model import CLOSE_BASIS, SNAPSHOT_BASIS, SeriesInfo
from reports.data.validate import RawMarketData
from reports.data.raw import RawSeries, RawTable, read_csv
from reports.data.sources import coingecko_series, drivers, named_by_catalog

TOP100 = coingecko_series("coingecko-top100", "CoinGecko daily snapshots of the top 100 coins",
                          "snapshots at about 12:00 UTC", SNAPSHOT_BASIS)
BINANCE = SeriesInfo("binance", "Binance", "Binance spot daily candles of USDT pairs", "daily closes at 00:00 UTC",
                     "Binance market data (https://www.binance.com), spot USDT pairs.",
                     "No licence stated; attribute Binance market data.", CLOSE_BASIS)
BINANCE_HOURLY = replace(BINANCE, key="binance-hourly", title="Binance spot hourly candles of USDT pairs",
                         time_of_day="hourly candles, by the hour's start in UTC")
GLOBAL = coingecko_series("coingecko-global", "CoinGecko global market snapshots",
                          "snapshots between about 10:15 and 11:30 UTC")
COINMETRICS = SeriesInfo(
    key="coinmetrics",
    provider="Coin Metrics",
    title="Coin Metrics community daily reference rates",
    time_of_day="daily closes at 00:00 UTC",
    basis=CLOSE_BASIS,
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
# Binance symbols (USDT pairs) and the catalog's ids.
CANDLE_ASSETS = {
    "BTC": "bitcoin", "ETH": "ethereum", "BNB": "bnb", "SOL": "solana", "XRP": "xrp", "ADA": "cardano",
    "DOGE": "dogecoin", "TRX": "tron", "LINK": "chainlink", "LTC": "litecoin", "DOT": "polkadot",
    "AVAX": "avalanche", "AAVE": "aave", "NEAR": "near-protocol", "PEPE": "pepe", "SUI": "sui",
    "UNI": "uniswap", "ZEC": "zcash",
}
DAILY_CANDLES = "binance_spot_daily_ohlcv.csv"
HOURLY_CANDLES = "binance_spot_hourly_btc_eth_2026-01-25_2026-02-10.csv"
ASSET_CAPS = {"btc_market_cap_usd": "bitcoin", "eth_market_cap_usd": "ethereum"}


def load(data_dir: Path = DATA_DIR) -> RawMarketData:
    return RawMarketData(
        prices=RawSeries(_top100(read_csv(data_dir / "coingecko_top100_daily.csv")), TOP100),
        history=RawSeries(_coinmetrics(read_csv(data_dir / "coinmetrics_daily.csv")), COINMETRICS),
        market=RawSeries(read_csv(data_dir / "coingecko_global_daily.csv"), GLOBAL),
        sentiment=RawSeries(read_csv(data_dir / "fear_greed_daily.csv"), FEAR_GREED),
        catalog=catalog(),
        asset_caps=ASSET_CAPS,
        candles=RawSeries(_binance(read_csv(data_dir / DAILY_CANDLES)), BINANCE),
        hourly=RawSeries(_binance(read_csv(data_dir / HOURLY_CANDLES)).renamed({"datetime_utc": "hour"}), BINANCE_HOURLY),
        drivers=drivers.load(data_dir),
    )


def _top100(table: RawTable) -> RawTable:
    """Name the assets by catalog id: the archive has no ids, and symbols are shared (SOL, USDC)."""
    frame = named_by_catalog(table.frame, (slug(name) for name in table.frame["name"]))
    return RawTable(table.path, table.header, frame, {"asset": "name"}).renamed({"price_usd": "close"})


def _binance(table: RawTable) -> RawTable:
    """Name Binance's symbols by catalog id (the file's `symbol` is the pair's base coin)."""
    frame = table.frame.copy()
    frame["symbol"] = frame["symbol"].map(lambda symbol: CANDLE_ASSETS.get(symbol, symbol.lower()))
    return RawTable(table.path, table.header, frame).renamed({"symbol": "asset"})


def _coinmetrics(table: RawTable) -> RawTable:
    table = table.where(table.frame["asset"].isin(list(HISTORY_ASSETS)))
    frame = table.frame.copy()
    frame["asset"] = frame["asset"].map(HISTORY_ASSETS)
    return RawTable(table.path, table.header, frame).renamed({"close_usd": "close"})


def from_settings(settings: Settings) -> RawMarketData:
    """The source registry's entry: the bundled archive takes no settings."""
    return load()
