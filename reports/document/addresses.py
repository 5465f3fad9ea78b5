"""Where a brief is published on the site: the one address scheme the renderers (front-matter image
URLs) and the site share. A market brief is `briefs/<week-end>/`, an asset's brief
`assets/<asset-id>/<week-end>/`; its files (charts/, brief.md...) sit in that folder."""

from __future__ import annotations

from datetime import date


def brief_page(week_end: date, asset: str | None = None) -> str:
    return f"assets/{asset}/{week_end.isoformat()}/" if asset else f"briefs/{week_end.isoformat()}/"


def asset_index(asset: str) -> str:
    return f"assets/{asset}/"
