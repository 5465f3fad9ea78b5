"""The checker over market paths the bundled data never saw, built here in plain sight with hypothesis.

Each example is a small MarketData: bitcoin, ether, a stablecoin and a few altcoins on a
daily grid, with a market-cap and a Fear & Greed series, shaped by a scenario (a flat
week, a week where everything rises, one asset missing, a stablecoin de-peg, a 50%
crash, or a random walk). Every brief written from it must pass the checker: no
unsourced figure, no direction word against its sign, no unsupported superlative, no
NaN or "None", no empty section.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reports.check.report import check_story
from reports.facts.market import compute_facts
from reports.data.model import Asset, MarketData, MarketSeries, PricePanel, SentimentSeries, SeriesInfo
from reports.core.settings import load_settings
from reports.facts.week import resolve_week
from reports.story.write import write_story

END = date(2026, 1, 31)
SCENARIOS = ("random", "flat", "all_up", "missing_asset", "depeg", "crash")
ALTS = ("solana", "cardano", "dogecoin", "chainlink", "avalanche", "litecoin")
SUPPLY = {"bitcoin": 19.9e6, "ethereum": 120e6, "usd-stable": 60e9, "solana": 5e8, "cardano": 3.5e10,
          "dogecoin": 1.4e11, "chainlink": 6e8, "avalanche": 4e8, "litecoin": 7.5e7}
START_PRICE = {"bitcoin": 90_000.0, "ethereum": 3_000.0, "usd-stable": 1.0, "solana": 150.0, "cardano": 0.6,
               "dogecoin": 0.15, "chainlink": 15.0, "avalanche": 25.0, "litecoin": 80.0}


def _info(key: str, title: str) -> SeriesInfo:
    return SeriesInfo(key, "Test Provider", title, "closes at 00:00 UTC", "Data built by the test", "none")


def _fear_greed_label(value: float) -> str:
    return "Extreme Fear" if value < 25 else "Fear" if value < 45 else "Neutral" if value < 55 else \
        "Greed" if value < 75 else "Extreme Greed"


@st.composite
def market_paths(draw) -> MarketData:
    scenario = draw(st.sampled_from(SCENARIOS))
    days = draw(st.integers(min_value=15, max_value=240))
    alts = ALTS[: draw(st.integers(min_value=1, max_value=len(ALTS)))]
    volatility = draw(st.sampled_from((0.0, 0.002, 0.02, 0.05)))
    seed = draw(st.integers(min_value=0, max_value=2**16))
    with_market = draw(st.booleans())
    with_sentiment = draw(st.booleans())
    event(f"scenario: {scenario}")

    rng = np.random.default_rng(seed)
    index = pd.date_range(end=pd.Timestamp(END), periods=days, freq="D")
    ids = ["bitcoin", "ethereum", "usd-stable", *alts]
    returns = pd.DataFrame(rng.normal(0, volatility, (days, len(ids))), index=index, columns=ids)
    returns["usd-stable"] = 0.0
    week = index[-7:]
    if scenario == "flat":
        returns.loc[week] = 0.0
    elif scenario == "all_up":
        returns.loc[week] = np.abs(returns.loc[week]) + 0.01
        returns.loc[week, "usd-stable"] = 0.0
    elif scenario == "crash":
        returns.loc[week] = np.log(0.5) / 7  # every coin halves over the week
        returns.loc[week, "usd-stable"] = 0.0
    elif scenario == "depeg":
        returns.loc[week[3:], "usd-stable"] = np.log(0.88) / 4  # the stablecoin slides to about $0.88
    close = pd.DataFrame({asset: START_PRICE[asset] * np.exp(returns[asset].cumsum()) for asset in ids})
    if scenario == "missing_asset":
        close = close.drop(columns="ethereum")
        close.loc[index[-8], alts[0]] = np.nan  # no base price: the asset is dropped and the brief says so
    ranks = pd.DataFrame({asset: float(rank) for rank, asset in enumerate(close.columns, 1)}, index=index)
    caps = close * pd.Series(SUPPLY)[close.columns]
    assets = {asset: Asset(asset, asset[:4].upper().replace("-", ""), asset.replace("-", " ").title()) for asset in close.columns}
    market = sentiment = None
    if with_market:
        total = caps.sum(axis=1) * 1.2
        frame = pd.DataFrame({"total_market_cap_usd": total, "btc_dominance_pct": caps["bitcoin"] / total * 100})
        if "ethereum" in caps:
            frame["eth_dominance_pct"] = caps["ethereum"] / total * 100
        market = MarketSeries(frame, _info("test-global", "test global market series"))
    if with_sentiment:
        values = np.clip(50 + 40 * np.sin(np.arange(days) / 9 + seed), 0, 100).round()
        sentiment = SentimentSeries(pd.DataFrame({"value": values, "classification": [_fear_greed_label(v) for v in values]},
                                                 index=index), _info("test-sentiment", "test sentiment index"))
    prices = PricePanel(close, _info("test-prices", "test daily closes"), rank=ranks, market_cap=caps)
    return MarketData(assets=assets, prices=prices, market=market, sentiment=sentiment)


@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market_paths())
def test_every_brief_from_a_generated_market_passes_the_checker(data):
    brief_settings = load_settings(flags={"week_ending": END})
    week = resolve_week(data, END, brief_settings.week_ends_on)
    story = write_story(compute_facts(data, week, brief_settings), brief_settings, datetime(2026, 2, 1, tzinfo=timezone.utc))
    report = check_story(story, brief_settings)
    assert report.failures == (), "\n".join(str(failure) for failure in report.failures)
    assert report.sentences > 20


def _story(data):
    brief_settings = load_settings(flags={"week_ending": END})
    week = resolve_week(data, END, brief_settings.week_ends_on)
    return write_story(compute_facts(data, week, brief_settings), brief_settings, datetime(2026, 2, 1, tzinfo=timezone.utc))


def test_a_crash_reads_as_a_crash_and_a_flat_week_as_flat():
    """The two ends of the scale, built by hand: every coin halves; nothing moves."""
    index = pd.date_range(end=pd.Timestamp(END), periods=60, freq="D")
    steady = np.linspace(1.0, 1.02, 60)
    halving = np.concatenate([steady[:53], steady[52] * 0.5 ** (np.arange(1, 8) / 7)])
    for path, words in ((halving, ("plunged 50.0%", "crashed 50.0%")), (np.ones(60), ("held steady",))):
        close = pd.DataFrame({"bitcoin": 90_000 * path, "ethereum": 3_000 * path, "solana": 150 * path}, index=index)
        assets = {a: Asset(a, a[:3].upper(), a.title()) for a in close.columns}
        data = MarketData(assets, PricePanel(close, _info("test-prices", "test daily closes")))
        story = _story(data)
        text = " ".join(s.text for s in story.sentences())
        assert any(word in text for word in words), text
        assert check_story(story, load_settings(flags={"week_ending": END})).failures == ()
