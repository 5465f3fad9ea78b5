"""Per-asset briefs: which assets a spec names, and one asset's brief from facts to files.

The stages are the market brief's (facts -> story -> charts -> renderers -> atomic write),
with the asset view's facts, story and charts; each brief goes to
OUT/assets/<asset-id>/<week-ending>/. `build_asset_brief` is a pure function of its inputs
to its files, so a batch (backfill, a cluster) can call it per asset and week.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import datetime

import pandas as pd

from reports.core import clock
from reports.core.errors import UsageError
from reports.data.model import MarketData
from reports.core.atomic import write_week
from reports.build.pipeline import BuildResult
from reports.build.dates import Dates, publication, recorded, render_dated
from reports.core.safepath import within
from reports.core.settings import Settings
from reports.story.model import Story
from reports.facts.week import Week

TOP = re.compile(r"top\s*(\d+)", re.IGNORECASE)
DEFAULT_EXCLUDED: tuple[str, ...] = tuple(Settings.model_fields["exclude_kinds"].default)


def resolve_assets(data: MarketData, spec: str, exclude_kinds: tuple[str, ...] = DEFAULT_EXCLUDED) -> tuple[str, ...]:
    """Asset ids for a spec: ids, symbols or names, comma-separated ("bitcoin", "btc", "bitcoin,eth"),
    or "topN": the N highest-ranked assets on the data's last day, leaving out `exclude_kinds`."""
    chosen: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        top = TOP.fullmatch(part)
        chosen += _top(data, int(top.group(1)), exclude_kinds) if top else [_one(data, part)]
    if not chosen:
        raise UsageError(f"--assets {spec!r} names no asset. Give ids or symbols (bitcoin,eth) or topN (top10).")
    return tuple(dict.fromkeys(chosen))


def _priced(data: MarketData) -> list[str]:
    return [asset for asset in data.prices.close.columns if data.prices.close[asset].notna().any()]


def _one(data: MarketData, name: str) -> str:
    """An id, symbol or name, case-insensitively; a symbol shared by several assets picks the best ranked."""
    wanted = name.lower()
    priced = _priced(data)
    for field in ("id", "symbol", "name"):
        found = [a for a in priced if getattr(data.assets[a], field).lower() == wanted]
        if found:
            return min(found, key=lambda asset: _last_rank(data, asset))
    words: dict[str, str] = {}
    for asset in priced:
        for word in (asset, data.assets[asset].symbol, data.assets[asset].name):
            words.setdefault(word.lower(), asset)
    close = difflib.get_close_matches(wanted, list(words), n=5, cutoff=0.6)
    hint = f" Did you mean {', '.join(dict.fromkeys(words[c] for c in close))}?" if close else ""
    raise UsageError(f"unknown asset {name!r}: the data has no asset with that id, symbol or name.{hint} "
                     "Use an id such as bitcoin, a symbol such as ETH, or topN.")


def _last_rank(data: MarketData, asset: str) -> float:
    ranks = data.prices.rank
    if ranks is None or asset not in ranks.columns or ranks[asset].dropna().empty:
        return float("inf")
    return float(ranks[asset].dropna().iloc[-1])


def _top(data: MarketData, count: int, exclude_kinds: tuple[str, ...]) -> list[str]:
    if count < 1:
        raise UsageError(f"top{count}: ask for at least one asset, for example top10.")
    close = data.prices.close
    observed = data.prices.observed()
    last = observed.index[observed][-1]
    ranks = data.prices.rank
    # ranked on the last listed day (a coin ranked there may have no close on it: its closes ended before)
    listed = ranks.loc[last].notna() if ranks is not None else close.loc[last].notna()
    candidates = [a for a in close.columns if (listed.get(a, False) or not pd.isna(close.at[last, a]))
                  and data.assets[a].kind not in exclude_kinds]
    if ranks is not None and ranks.loc[last, candidates].notna().any():
        order = ranks.loc[last, candidates].dropna().sort_values(kind="stable")
        return list(order.index[:count])
    return sorted(candidates)[:count]


def build_asset_brief(data: MarketData, week: Week, asset_id: str, settings: Settings) -> BuildResult:
    """One asset's brief for one week, written atomically to OUT/assets/<asset-id>/<week-end>/."""
    parent = within(settings.out_dir, "assets", asset_id)
    previous = recorded(parent / week.end.isoformat())
    story, files = render_asset_week(data, week, asset_id, settings, clock.now(), previous)
    folder = write_week(parent, week.end.isoformat(), files)
    return BuildResult(story, folder, tuple(sorted(files)))


def render_asset_week(data: MarketData, week: Week, asset_id: str, settings: Settings,
                      now: datetime, previous: Dates | None = None) -> tuple[Story, dict[str, bytes]]:
    """One asset's story and output files as bytes: a pure function of its inputs (a batch task)."""
    from reports.facts.asset import compute_asset_facts
    from reports.story.asset import write_asset_story

    if asset_id not in data.prices.close.columns:
        raise UsageError(f"unknown asset {asset_id!r}: resolve it with resolve_assets first.")
    published = publication(previous, week.end, settings)
    story = write_asset_story(compute_asset_facts(data, week, asset_id, settings), settings, published)
    return render_dated(story, settings, previous, now)


def build_asset_briefs(settings: Settings, spec: str) -> Iterator[BuildResult]:
    """Load and validate the data (through the parsed-data cache) and resolve the week as the
    market brief does, then build each asset's brief in turn (yielded as it is written)."""
    from reports.build.pipeline import check_notes, load_data
    from reports.facts.week import resolve_week

    check_notes(settings)
    data = load_data(settings)
    week = resolve_week(data, settings.week_ending, settings.week_ends_on)
    check_notes(settings, week)
    for asset_id in resolve_assets(data, spec, tuple(settings.exclude_kinds)):
        yield build_asset_brief(data, week, asset_id, settings)
