"""The drivers' files: US spot ETF flows, stablecoin supply and cross-asset closes, in Farside's,
the stablecoin tracker's and the cross-asset archive's shapes.

The bundled source reads them from the bundle; the CSV source reads files of the same names from
the folder of the user's price file (`--data prices.csv` looks for `cross_asset_daily.csv` beside it).
A file that is not there leaves its driver out (the data notes say so); a file that is there and
bad stops the build with its line and column, like every other input.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reports.data.model import SeriesInfo
from reports.data.raw import RawSeries, RawTable, read_csv

FARSIDE = "Farside Investors (https://farside.co.uk), US spot ETF net flows."
FARSIDE_LICENCE = "No licence stated; attribute Farside Investors."
BTC_ETF = SeriesInfo("etf-btc", "Farside Investors", "US spot bitcoin ETF net flows",
                     "one total per US trading day, as Farside dates it", FARSIDE, FARSIDE_LICENCE)
ETH_ETF = SeriesInfo("etf-eth", "Farside Investors", "US spot ether ETF net flows",
                     "one total per US trading day, as Farside dates it", FARSIDE, FARSIDE_LICENCE)
BTC_ETF_HISTORY = SeriesInfo("etf-btc-history", "Farside Investors", "US spot bitcoin ETF net flows since January 2024",
                             "one total per US trading day, as Farside dates it", FARSIDE, FARSIDE_LICENCE)
STABLECOINS = SeriesInfo("stablecoins", "CoinGecko", "Market value of the ten largest US dollar stablecoins",
                         "daily snapshots at 00:00 UTC (about 01:10-02:10 UTC after 2025-12-28)",
                         "Stablecoin market values: data provided by CoinGecko, archived by partrita/stablecoin-tracker (MIT).",
                         "MIT (the archive); CoinGecko asks for attribution.")
CROSS_ASSET = SeriesInfo("cross-asset", "Yahoo Finance, LBMA and FRED",
                         "US stocks (SPY, QQQ), gold, the dollar index and Treasury yields",
                         "US closes at 16:00 New York, the LBMA gold price at about 15:00 London, yields at the end of the day",
                         "Cross-asset closes: Yahoo Finance (SPY, QQQ, GLD, DXY), LBMA (gold), FRED (Treasury yields).",
                         "No licence stated; attribute Yahoo Finance, LBMA and FRED.")
# The drivers' files by the key validation knows them by: file name and provenance.
FILES: dict[str, tuple[str, SeriesInfo]] = {
    "etf_btc": ("farside_btc_etf_flows_daily.csv", BTC_ETF),
    "etf_eth": ("farside_eth_etf_flows_daily.csv", ETH_ETF),
    "etf_btc_history": ("btc_etf_net_flows_farside.csv", BTC_ETF_HISTORY),
    "stablecoins": ("stablecoin_marketcap_daily.csv", STABLECOINS),
    "cross_asset": ("cross_asset_daily.csv", CROSS_ASSET),
}
SUMMARY_ROWS = ("Total", "Average", "Maximum", "Minimum")  # the history file's last rows are not days


def load(folder: Path) -> dict[str, RawSeries]:
    """Every driver file found in `folder`, read as text (missing files are simply absent)."""
    found = {}
    for key, (name, info) in FILES.items():
        path = folder / name
        if path.exists():
            table = read_csv(path)
            found[key] = RawSeries(_farside_history(table) if key == "etf_btc_history" else table, info)
    return found


def _farside_history(table: RawTable) -> RawTable:
    """Farside's own layout (`Date,Total`, dates like `11 Jan 2024`, `1,373.80`, summary rows at the end)
    in the canonical columns; a date that does not read as Farside's is left as is, for validation to refuse."""
    frame = table.frame.copy()
    if "Date" in frame.columns:
        frame = frame.loc[~frame["Date"].isin(SUMMARY_ROWS)].copy()
        frame["Date"] = frame["Date"].map(_iso_day)
    if "Total" in frame.columns:
        frame["Total"] = frame["Total"].str.replace(",", "", regex=False)
    return RawTable(table.path, table.header, frame).renamed({"Date": "date", "Total": "total_usd_m"})


def _iso_day(text: str) -> str:
    try:
        return datetime.strptime(text, "%d %b %Y").date().isoformat()
    except ValueError:
        return text
