"""Real weeks for the site tests, built once per session from the bundled data through the pipeline.

Four consecutive Sunday weeks, each "published" the Monday after at 06:00 UTC (so the feeds
have distinct times); Markdown and JSON for all, the PDF only for the newest. Tests copy
the week folders they need into an OUT folder of their own.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

WEEKS = (date(2026, 2, 22), date(2026, 3, 1), date(2026, 3, 8), date(2026, 3, 15))  # oldest first
PDF_WEEK = WEEKS[-1]


def published_epoch(week_end: date) -> int:
    return int(datetime(week_end.year, week_end.month, week_end.day, 6, tzinfo=timezone.utc).timestamp()) + 86400


@pytest.fixture(scope="session")
def week_pool(tmp_path_factory) -> Path:
    from reports.build.pipeline import build_brief
    from reports.core.settings import load_settings

    pool = tmp_path_factory.mktemp("week-pool")
    data_dir = tmp_path_factory.mktemp("pool-data")
    with pytest.MonkeyPatch.context() as patch:
        for week_end in WEEKS:
            patch.setenv("SOURCE_DATE_EPOCH", str(published_epoch(week_end)))
            formats = ("md", "json", "pdf") if week_end == PDF_WEEK else ("md", "json")
            build_brief(load_settings(flags={"week_ending": week_end, "out_dir": pool, "formats": formats,
                                             "data_dir": data_dir}))
    return pool


ASSET_WEEK = PDF_WEEK
ASSETS = ("bitcoin", "ethereum")  # per-asset briefs built for ASSET_WEEK


@pytest.fixture(scope="session")
def asset_pool(tmp_path_factory) -> Path:
    """OUT/assets/<id>/<ASSET_WEEK>/ for each of ASSETS, built through the pipeline like the weeks."""
    from reports.build.assets import build_asset_briefs
    from reports.core.settings import load_settings

    pool = tmp_path_factory.mktemp("asset-pool")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(published_epoch(ASSET_WEEK)))
        settings = load_settings(flags={"week_ending": ASSET_WEEK, "out_dir": pool, "formats": ("md", "json"),
                                        "data_dir": tmp_path_factory.mktemp("asset-data")})
        list(build_asset_briefs(settings, ",".join(ASSETS)))
    return pool


def copy_assets(pool: Path, out: Path) -> Path:
    shutil.copytree(pool / "assets", out / "assets")
    return out


def copy_weeks(pool: Path, out: Path, weeks) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for week_end in weeks:
        shutil.copytree(pool / week_end.isoformat(), out / week_end.isoformat())
    return out


def brief_json(out: Path, week_end: date) -> dict:
    """A week's brief.json as the json module reads it: independent of the site's own reader."""
    return json.loads((out / week_end.isoformat() / "brief.json").read_text(encoding="utf-8"))


def snapshot(site: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file of a site: its bytes, inode and mtime."""
    return {path.relative_to(site).as_posix(): (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(site.rglob("*")) if path.is_file()}
