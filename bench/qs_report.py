"""QuantStats' HTML tearsheet for bitcoin against ether, from the bundled Coin Metrics daily closes.

Run by bench/brief_bench.py in the benchmark's own venv (.bench-venv), never the product's:
QuantStats is the reference for speed, not a dependency.
"""

import sys

import pandas as pd
import quantstats as qs

data, out = sys.argv[1], sys.argv[2]
closes = pd.read_csv(data, parse_dates=["date"]).pivot(index="date", columns="asset", values="close_usd")
returns = closes[["BTC", "ETH"]].pct_change().dropna()
qs.reports.html(returns["BTC"].rename("Bitcoin"), benchmark=returns["ETH"].rename("Ether"), output=out,
                title="Bitcoin vs Ether")
