"""Per-asset briefs: which assets a spec names, every number traceable for every bundled week,
figures checked against the raw files, the files written by the CLI, and byte-identical rebuilds."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import DATA, EPOCH, RALLY, SELL_OFF, raw_rows, run_cli
from reports.facts.asset import compute_asset_facts
from reports.build.assets import build_asset_brief, resolve_assets
from reports.story.asset import write_asset_story
from reports.check.report import check_story
from reports.core.errors import NoDataError, UsageError
from reports.facts.market import compute_facts
from reports.facts.table import fact_table
from reports.core.formatting import Formatter
from reports.core.settings import load_settings
from reports.facts.week import Week

SECTIONS = ("overview", "key-takeaways", "what-happened", "drivers", "impact", "comparison", "what-to-watch", "faq", "methodology")
PUBLISHED = datetime.fromtimestamp(int(EPOCH), timezone.utc)


def _story(data, week_end: date, asset: str, **overrides):
    settings = load_settings(flags={"week_ending": week_end, **overrides})
    return write_asset_story(compute_asset_facts(data, Week(week_end), asset, settings), settings, PUBLISHED)


def _kinds() -> dict[str, str]:
    with (DATA / "assets.csv").open(newline="", encoding="utf-8") as handle:
        return {(row["source_name"]): row["kind"] for row in csv.DictReader(handle)}


def _price(rows, day: str, symbol: str) -> dict[str, str]:
    return next(row for row in rows if row["date"] == day and row["symbol"] == symbol)


# --- resolve_assets ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec, expected", [
    ("bitcoin", ("bitcoin",)),
    ("btc", ("bitcoin",)),
    ("BTC", ("bitcoin",)),
    ("Ethereum", ("ethereum",)),
    ("bitcoin,ethereum", ("bitcoin", "ethereum")),
    (" eth , sol ,eth", ("ethereum", "solana")),
    ("trx", ("tron",)),
])
def test_resolve_assets_by_id_symbol_or_name(bundled_data, spec, expected):
    assert resolve_assets(bundled_data, spec) == expected


def test_top10_is_the_ten_best_ranked_coins_on_the_last_day_without_stablecoins(bundled_data):
    rows = raw_rows("coingecko_top100_daily.csv")
    last = max(row["date"] for row in rows)
    kinds = _kinds()
    ranked = sorted((int(row["rank"]), row["name"]) for row in rows if row["date"] == last)
    expected = [name for _, name in ranked if kinds.get(name, "coin") == "coin"][:10]
    top = resolve_assets(bundled_data, "top10")
    assert len(top) == 10
    assert [bundled_data.assets[asset].name for asset in top] == expected
    assert "tether" not in top and top[0] == "bitcoin"
    assert resolve_assets(bundled_data, "top3,tether")[-1] == "tether"  # named explicitly, a stablecoin is allowed


@pytest.mark.parametrize("spec, words", [
    ("bitcon", ["unknown asset 'bitcon'", "bitcoin"]),
    ("etherium", ["unknown asset 'etherium'", "ethereum"]),
    ("zzzqqq", ["unknown asset 'zzzqqq'", "topN"]),
    ("top0", ["at least one asset"]),
    (" , ", ["names no asset"]),
])
def test_resolve_assets_rejects_what_it_cannot_name(bundled_data, spec, words):
    with pytest.raises(UsageError) as error:
        resolve_assets(bundled_data, spec)
    for word in words:
        assert word in str(error.value)


def test_cli_unknown_asset_is_a_usage_error_and_writes_nothing(tmp_path):
    result = run_cli("brief", "--asset", "bitcon", "--week-ending", "2026-02-06", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "unknown asset 'bitcon'" in result.output and "bitcoin" in result.output
    assert not any(tmp_path.iterdir())


def test_an_asset_without_prices_for_the_week_is_a_clear_error(bundled_data):
    # Midnight (NIGHT) enters the top 100 on Dec 14, 2025: it has no price for the week ending Dec 7.
    first = min(row["date"] for row in raw_rows("coingecko_top100_daily.csv") if row["symbol"] == "NIGHT")
    assert first == "2025-12-14"
    with pytest.raises(NoDataError, match="No price for midnight on 2025-12-07"):
        compute_asset_facts(bundled_data, Week(date(2025, 12, 7)), "midnight", load_settings())


# --- every number traceable, every week ----------------------------------------------------------


def _weeks(data) -> list[date]:
    observed = data.prices.close.notna().any(axis=1)
    days = {day.date() for day in observed.index[observed]}
    return sorted(day for day in days if day - timedelta(days=7) in days)


def test_every_asset_brief_passes_the_checker(bundled_data):
    """Bitcoin, ether and a smaller top-10 coin (TRON), every week the bundled data allows: every
    number cited, direction words and superlatives supported (the same checker as `build.py check`)."""
    weeks = _weeks(bundled_data)
    assert len(weeks) > 150
    fmt = Formatter()
    settings = load_settings()
    for week in weeks:
        market = compute_facts(bundled_data, Week(week), settings)
        for asset in ("bitcoin", "ethereum", "tron"):
            facts = compute_asset_facts(bundled_data, Week(week), asset, settings, market=market)
            story = write_asset_story(facts, settings, PUBLISHED)
            assert tuple(section.id for section in story.sections) == SECTIONS
            for section in story.sections:
                assert section.blocks, (asset, week, section.id)
            report = check_story(story, settings)
            assert report.ok, (asset, week, [str(failure) for failure in report.failures])
            for s in story.sentences():
                assert not re.search(r"\b(None|nan)\b", s.text), (asset, week, s.text)
            faq = next(section for section in story.sections if section.id == "faq").blocks[0]
            # two at least: the FAQ never pads with a question whose answer would copy the body (issue 16); a coin at
            # its record high has no "how far from its high" (bitcoin on Oct 5, 2025)
            assert 2 <= len(faq.items) <= 5, (asset, week)


def test_the_brief_is_told_from_the_assets_point_of_view(bundled_data):
    story = _story(bundled_data, SELL_OFF, "ethereum")
    assert story.headline.text.startswith("Ether ")
    text = " ".join(s.text for s in story.sentences())
    assert "than bitcoin by 7.6 percentage points" in text  # -23.79% against -16.24% on Binance closes
    assert "No. 2 by market value" in text
    figures = [figure.chart for figure in story.figures]
    assert figures == ["asset-week", "asset-relative", "asset-peers", "asset-history", "asset-drawdown"]
    assert story.sentiment == "NEGATIVE"
    rally = _story(bundled_data, RALLY, "solana")
    assert rally.sentiment == "POSITIVE" and "solana" in rally.tags


# --- figures checked against the raw files -------------------------------------------------------


def test_ethers_week_against_bitcoin_matches_the_raw_closes(bundled_data):
    rows = raw_rows("coingecko_top100_daily.csv")
    candles = {(row["date"], row["symbol"]): float(row["close"]) for row in raw_rows("binance_spot_daily_ohlcv.csv")}
    eth_end, eth_base = candles[("2026-02-06", "ETH")], candles[("2026-01-30", "ETH")]
    btc_end, btc_base = candles[("2026-02-06", "BTC")], candles[("2026-01-30", "BTC")]
    eth_pct, btc_pct = (eth_end / eth_base - 1) * 100, (btc_end / btc_base - 1) * 100
    facts = compute_asset_facts(bundled_data, Week(SELL_OFF), "ethereum", load_settings())
    assert facts.subject.change_pct == pytest.approx(eth_pct)
    assert facts.relative.btc_pct == pytest.approx(btc_pct)
    assert facts.relative.vs_btc_pp == pytest.approx(eth_pct - btc_pct)
    assert facts.relative.vs_btc_ratio_pct == pytest.approx(((eth_end / btc_end) / (eth_base / btc_base) - 1) * 100)
    assert facts.standing.rank == int(_price(rows, "2026-02-06", "ETH")["rank"])
    assert facts.standing.base_rank == int(_price(rows, "2026-01-30", "ETH")["rank"])
    # the long history: Coin Metrics' closes before Binance's first day (2025-08-01), Binance's from it
    closes = [(row["date"], float(row["close_usd"])) for row in raw_rows("coinmetrics_daily.csv")
              if row["asset"] == "ETH" and row["date"] < "2025-08-01" and row["close_usd"]]
    closes += sorted((day, close) for (day, symbol), close in candles.items() if symbol == "ETH" and day <= "2026-02-06")
    peak_day, peak = max(closes, key=lambda item: item[1])
    assert facts.drawdown.peak == pytest.approx(peak) and facts.drawdown.peak_day.isoformat() == peak_day
    assert facts.drawdown.close == pytest.approx(closes[-1][1])
    assert facts.recovery.gain_pct == pytest.approx((peak / closes[-1][1] - 1) * 100)


def test_correlation_to_bitcoin_matches_a_direct_computation(bundled_data):
    rows = raw_rows("binance_spot_daily_ohlcv.csv")
    end = date(2026, 2, 6)
    days = [(end - timedelta(days=n)).isoformat() for n in range(90, -1, -1)]
    prices = {(row["date"], row["symbol"]): float(row["close"]) for row in rows if row["date"] in days}
    pairs = [(prices[(b, "BTC")] / prices[(a, "BTC")] - 1, prices[(b, "ETH")] / prices[(a, "ETH")] - 1)
             for a, b in zip(days, days[1:]) if all(key in prices for key in ((a, "BTC"), (b, "BTC"), (a, "ETH"), (b, "ETH")))]
    n = len(pairs)
    mx, my = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    cov = sum((x - mx) * (y - my) for x, y in pairs)
    vx, vy = sum((x - mx) ** 2 for x, _ in pairs), sum((y - my) ** 2 for _, y in pairs)
    link = compute_asset_facts(bundled_data, Week(end), "ethereum", load_settings()).btc_link
    assert link.pairs == n
    assert link.correlation == pytest.approx(cov / (vx * vy) ** 0.5)
    assert link.beta == pytest.approx(cov / vx)


# --- files ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_builds_ethers_brief_in_all_four_formats(tmp_path):
    result = run_cli("brief", "--asset", "ethereum", "--week-ending", "2026-02-06", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "assets" / "ethereum" / "2026-02-06"
    assert result.stdout.strip() == f"{folder}: Ether plunges 23.8% in a week, with its lowest close since May 2025"
    for name in ("brief.html", "brief.pdf", "brief.md", "brief.json"):
        assert (folder / name).stat().st_size > 1000, name
    assert (folder / "brief.pdf").read_bytes().startswith(b"%PDF")
    for chart in ("asset-week", "asset-relative", "asset-peers", "asset-history", "asset-drawdown"):
        assert (folder / "charts" / f"{chart}.png").read_bytes().startswith(b"\x89PNG")
    doc = json.loads((folder / "brief.json").read_text())
    cited = {key for section in doc["sections"] for block in section["blocks"]
             for s in _json_sentences(block) for key in s["facts"]}
    assert cited and cited <= set(doc["facts"])
    assert doc["facts"]["relative.asset"] == "ethereum"
    markdown = (folder / "brief.md").read_text()
    assert "## What Happened" in markdown and "(charts/asset-relative.png)" in markdown
    assert not list(tmp_path.glob("2026-02-06"))  # the market brief's folder is not touched


def _json_sentences(block: dict) -> list[dict]:
    found = block.get("sentences", []) + [block[key] for key in ("caption", "title", "alt") if key in block]
    for item in block.get("items", []):
        found += item.get("sentences", []) + ([item["question"]] + item["answer"]["sentences"] if "question" in item else [])
    return found


@pytest.mark.slow
def test_two_builds_are_byte_identical(bundled_data, tmp_path):
    results = []
    for run in ("a", "b"):
        settings = load_settings(flags={"week_ending": RALLY, "out_dir": tmp_path / run})
        results.append(build_asset_brief(bundled_data, Week(RALLY), "solana", settings))
    first, second = (result.folder for result in results)
    assert first == tmp_path / "a" / "assets" / "solana" / RALLY.isoformat()
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert "brief.pdf" in names and ".dates.json" in names and len(names) == 4 + 5 + 5 + 1  # formats, charts, phone charts, dates
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.slow
def test_assets_top3_builds_one_brief_per_asset(tmp_path):
    result = run_cli("brief", "--assets", "top3", "--week-ending", "2026-03-15", "--formats", "md,json",
                     "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    for line, asset in zip(lines, ("bitcoin", "ethereum")):
        assert line.startswith(str(tmp_path / "assets" / asset / "2026-03-15"))
    assert sorted(p.name for p in (tmp_path / "assets").iterdir()) == sorted(Path(line.split(":")[0]).parent.name for line in lines)


@pytest.mark.parametrize("asset", ["bitcoin", "ethereum", "tron", "tether"])
def test_no_sentence_is_told_twice_outside_the_faq(bundled_data, asset):
    """The FAQ restates the brief by design; the body says each thing once (total market value used
    to appear both in What Happened and in Impact)."""
    from collections import Counter

    from reports.story.model import _block_sentences

    for week_end in (SELL_OFF, RALLY):
        story = _story(bundled_data, week_end, asset)
        body = Counter(s.text for section in story.sections if section.id != "faq"
                       for block in section.blocks for s in _block_sentences(block))
        assert [text for text, count in body.items() if count > 1] == [], (asset, week_end)
