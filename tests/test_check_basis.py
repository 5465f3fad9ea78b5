"""The checker's price-basis rules, each on a hand-made brief.json: the built sell-off brief with one
error planted, written to a file and checked as `build.py check` checks it."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import SELL_OFF, build_story, run_cli
from reports import document
from reports.check.document import story_document
from reports.check.report import check
from reports.core.settings import load_settings


@pytest.fixture(scope="module")
def built(bundled_data):
    story = build_story(bundled_data, SELL_OFF)
    return document.plain_json(story_document(story, load_settings(flags={"week_ending": SELL_OFF})))


@pytest.fixture
def doc(built):
    return copy.deepcopy(built)


def _reasons(doc) -> list[str]:
    return [failure.reason for failure in check(document.parse(doc)).failures]


def _sentence(doc, needle: str) -> dict:
    """The one sentence (a dict with text and facts) of the sections containing `needle`."""
    stack = [doc["sections"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict) and "facts" in node and needle in str(node.get("text", "")):
            return node
        stack += node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    raise AssertionError(f"no sentence contains {needle!r}")


def test_the_built_brief_passes(built):
    assert _reasons(built) == []


def _dollars_only(doc) -> None:
    """The lead's market sentence prints the drop in percent and in dollars; keep its dollar clause only,
    so the superlative is printed in one unit."""
    item = _sentence(doc, "drop was the largest one-week loss")
    item["text"] = item["text"][item["text"].index("the $"):].replace("the $", "The $", 1)
    item["facts"] = [key for key in item["facts"] if key not in ("market_cap.change_pct", "market_cap.end_usd")]


def test_a_superlative_printed_in_dollars_but_ranked_in_percent_fails(doc):
    _dollars_only(doc)
    doc["facts"]["ranks.market.unit"] = "pct"
    reasons = _reasons(doc)
    assert any("printed in usd but ranks.market is ranked in pct" in reason for reason in reasons), reasons


def test_a_superlative_printed_in_percent_but_ranked_in_dollars_fails(doc):
    doc["facts"]["ranks.bitcoin.unit"] = "usd"
    reasons = _reasons(doc)
    assert any("printed in pct but ranks.bitcoin is ranked in usd" in reason for reason in reasons), reasons


def test_two_end_of_week_prices_for_one_asset_fail(doc):
    # The old brief: a noon snapshot in the lead and a 00:00 UTC close in the FAQ.
    item = _sentence(doc, "A rise of 76.6% from the week's close")  # the FAQ, given the close it rises from
    doc["facts"]["drawdowns.bitcoin.close"] = 70648.0
    item["text"] = item["text"].replace("the week's close", "the week's close of $70,648")
    item["facts"] = [*item["facts"], "drawdowns.bitcoin.close"]
    reasons = _reasons(doc)
    assert reasons == ["bitcoin has 2 different end-of-week prices"], reasons


def test_lowest_since_without_a_close_fails(doc):
    doc["headline"] = doc["headline"].replace("with its lowest close since", "closing at its lowest since")
    reasons = _reasons(doc)
    assert reasons == ["'lowest since October 2024' is a price level but the sentence does not say it is a close"], reasons


def test_build_py_check_fails_a_hand_made_brief_on_each_rule(tmp_path, doc):
    _dollars_only(doc)
    doc["facts"]["ranks.market.unit"] = "pct"
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.exit_code != 0 and "ranked in pct" in result.output


def test_the_dollar_only_superlative_passes_while_its_rank_is_in_dollars(doc):
    _dollars_only(doc)
    assert _reasons(doc) == []
