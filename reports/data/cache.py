"""The parsed-data cache: validated `MarketData` kept as a pickle under `settings.data_dir`.

Reading and validating the CSV files costs a few hundred milliseconds on every build; the
cache turns that into one file read. The key is the SHA-256 of every input file (the
bundled CSVs and catalog, or the user's CSV; the CoinGecko store is read afresh every
time) and of the code that parses and validates them, so any change to either misses the cache and validates afresh. Only data that
passed validation is stored, so a bad file still fails with its own error. The file is
written atomically (core/atomic.py's `write_file`); a cache that cannot be read or written
is ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from reports.core.atomic import write_file
from reports.data.catalog import DATA_DIR
from reports.data.model import MarketData
from reports.data.sources.drivers import FILES
from reports.core.settings import Settings

FORMAT = b"market-data-cache/1"
PACKAGE = Path(__file__).resolve().parents[1]
# The code whose behaviour decides what validated data looks like.
PARSING_CODE = ("data/catalog.py", "data/model.py", "data/validate.py", "data/raw.py", "data/sources/__init__.py",
                "data/sources/bundled.py", "data/sources/csvfile.py", "data/sources/drivers.py")


def load_market_data(settings: Settings) -> MarketData:
    """Validated market data for these settings, from the cache when its inputs are unchanged.

    The CoinGecko store is never cached: it is a live source (each build may pull into it, and
    its freshness is judged against today), and reading it is a single SQLite query anyway.
    """
    from reports.data.sources import load_source
    from reports.data.validate import validate

    if settings.source in ("coingecko", "live"):
        return validate(load_source(settings))
    path = settings.data_dir / "parsed" / f"market-{cache_key(settings)}.pickle"
    data = _read(path)
    if data is None:
        data = validate(load_source(settings))
        _write(path, data)
    return data


def cache_key(settings: Settings) -> str:
    digest = hashlib.sha256(FORMAT)
    for name in PARSING_CODE:
        _feed(digest, PACKAGE / name)
    inputs = sorted(DATA_DIR.glob("*.csv"))
    if settings.source == "csv" and settings.data is not None:  # Settings refuses csv without a data file
        inputs = [settings.data, *sorted(path for name, _ in FILES.values() if (path := settings.data.parent / name).is_file())]
    digest.update(settings.source.encode())
    for path in inputs:
        _feed(digest, path)
    return digest.hexdigest()


def _feed(digest, path: Path) -> None:
    try:
        content = path.read_bytes()
    except OSError:
        content = b"<unreadable>"  # the source reports the real error when it reads the file
    digest.update(str(path).encode() + b"\0" + hashlib.sha256(content).digest())


def _read(path: Path) -> MarketData | None:
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign file: rebuild it
        return None
    return data if isinstance(data, MarketData) else None


def _write(path: Path, data: MarketData) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only cache directory only costs speed
