"""Shared fixtures. Tests read the bundled raw files directly (csv module) for independent checks,
pin the clock with SOURCE_DATE_EPOCH, and build real weeks through the CLI or the pipeline."""

from __future__ import annotations

import csv
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "reports" / "data" / "bundle"
EPOCH = "1770595200"  # 2026-02-09 00:00 UTC, a fixed "now" for reproducible builds
SELL_OFF = date(2026, 2, 6)  # the week of the February 2026 sell-off (a Friday)
RALLY = date(2026, 3, 15)  # a rising week: bitcoin +6.0%, total market value +5.2%

NOON_FEB_9 = "1770638400"  # 2026-02-09 12:00 UTC: a Monday, after the week to Feb 8 closed


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch, tmp_path_factory):
    """Every test runs with the clock pinned, no BRIEF_* settings leaking in from the shell, a data
    directory of its own (never the user's cache), and no brief.toml but its own: the CLI looks for one
    in the working directory, then in $XDG_CONFIG_HOME/crypto-weekly-brief/, so each test starts in an
    empty folder of its own with an empty config home (inherited by the subprocesses it starts)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for name in list(os.environ):
        if name.startswith("BRIEF_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEF_DATA_DIR", str(tmp_path_factory.mktemp("data-dir")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config-home")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def raw_rows(name: str) -> list[dict[str, str]]:
    """A bundled raw file as the csv module reads it: independent of the product's own reader."""
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_cli(*args: str, env: dict[str, str] | None = None):
    """Run `python build.py ARGS` in-process; returns click's Result (exit_code, output, stderr)."""
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(scope="session")
def bundled_data():
    from reports.data.sources import bundled
    from reports.data.validate import validate

    return validate(bundled.load())


def build_story(data, week_end: date, **overrides):
    """Facts and story for a week of `data`, in-process (no files written)."""
    from reports.facts.market import compute_facts
    from reports.core.settings import load_settings
    from reports.facts.week import resolve_week
    from reports.story.write import write_story

    settings = load_settings(flags={"week_ending": week_end, **overrides})
    week = resolve_week(data, settings.week_ending, settings.week_ends_on)
    facts = compute_facts(data, week, settings)
    return write_story(facts, settings, datetime.fromtimestamp(int(EPOCH), timezone.utc))


@pytest.fixture
def api(httpserver, monkeypatch):
    """A stand-in CoinGecko on 127.0.0.1 (pytest-httpserver), with the client pointed at it, keyless,
    unthrottled and without backoff waits, and the clock at noon on Feb 9, 2026."""
    monkeypatch.setenv("COINGECKO_BASE_URL", httpserver.url_for("/api/v3"))
    monkeypatch.delenv("COINGECKO_API_KEY", raising=False)
    monkeypatch.delenv("COINGECKO_PLAN", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOON_FEB_9)
    monkeypatch.setenv("BRIEF_COINGECKO_RATE_LIMIT", "100000")
    monkeypatch.setenv("BRIEF_COINGECKO_BACKFILL_DAYS", "40")
    monkeypatch.setenv("BRIEF_COINGECKO_BACKOFF", "0")
    return httpserver
