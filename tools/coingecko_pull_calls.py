"""Count the API calls of a first, a same-day second and a next-day pull, against the test stand-in server.

    .venv/bin/python tools/coingecko_pull_calls.py [TOP]

Serves the bundled top coins in CoinGecko's shapes (tests/coingecko_server.py) on 127.0.0.1,
pulls into a temporary data directory with the clock pinned, and prints each pull's summary.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pytest_httpserver import HTTPServer  # noqa: E402

from coingecko_server import World, serve  # noqa: E402
from reports.data.sources.coingecko.pull import pull, summary  # noqa: E402
from reports.core.settings import load_settings  # noqa: E402

NOON_FEB_9 = 1770638400


def main(top: int) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = HTTPServer(host="127.0.0.1")
    server.start()
    try:
        serve(server, World(top=top))
        with tempfile.TemporaryDirectory() as data_dir:
            os.environ["COINGECKO_BASE_URL"] = server.url_for("/api/v3")
            settings = load_settings(flags={"data_dir": data_dir, "coingecko_top": top, "coingecko_rate_limit": 1e6})
            for label, epoch in (("first", NOON_FEB_9), ("second, same day", NOON_FEB_9), ("next day", NOON_FEB_9 + 86400)):
                os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
                started = time.perf_counter()
                report = pull(settings)
                print(f"{label} pull ({time.perf_counter() - started:.2f} s): {summary(report)}")
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
