"""Copy the real market data the product ships from ``../shared/data`` into the package.

The bundled dataset is the offline default, so it must not depend on ``../shared`` at
run time. Files are copied byte for byte (no reshaping) so that their provenance stays
checkable: ``SHA256SUMS`` records what was copied, and ``DATA.md`` says where each file
comes from, its time of day and its licence. ``assets.csv`` is the project's own table
(asset ids, display names and kinds) and is maintained by hand, not by this script.

Usage: python tools/build_dataset.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

FILES = (
    "coingecko_top100_daily.csv",
    "coingecko_global_daily.csv",
    "coinmetrics_daily.csv",
    "fear_greed_daily.csv",
    "binance_spot_daily_ohlcv.csv",
    "binance_spot_hourly_btc_eth_2026-01-25_2026-02-10.csv",
    "fomc_calendar_2025_2026.csv",
    "farside_btc_etf_flows_daily.csv",
    "farside_eth_etf_flows_daily.csv",
    "btc_etf_net_flows_farside.csv",
    "stablecoin_marketcap_daily.csv",
    "cross_asset_daily.csv",
)
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "reports" / "data" / "bundle"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    lines = []
    for name in FILES:
        shutil.copyfile(source / name, TARGET / name)
        digest = hashlib.sha256((TARGET / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}\n")
    (TARGET / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    print("".join(lines), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
