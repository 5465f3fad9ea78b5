"""The fact checker: a clean brief passes, and each kind of error planted in one sentence is named."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import RALLY, SELL_OFF, build_story, run_cli
from reports import document
from reports.check.document import sentences, story_document
from reports.check.report import check
from reports.core.settings import load_settings


def _document(data, week) -> dict:
    """The brief.json of a week as `json.loads` reads it: plain dicts, for planting errors."""
    return document.plain_json(story_document(build_story(data, week), load_settings(flags={"week_ending": week})))


def check_doc(doc: dict):
    """Check an edited brief.json document, read through the model as `build.py check` reads it."""
    return check(document.parse(doc))


@pytest.fixture(scope="module")
def sell_off(bundled_data):
    return _document(bundled_data, SELL_OFF)


@pytest.fixture
def doc(sell_off):
    return copy.deepcopy(sell_off)


def _edit(doc, needle: str, old: str, new: str) -> str:
    """Replace `old` by `new` in the one sentence containing `needle`; returns the new text."""
    for section in doc["sections"]:
        for block in section["blocks"]:
            for item in _items(block):
                if needle in item["text"]:
                    assert old in item["text"], item["text"]
                    item["text"] = item["text"].replace(old, new, 1)
                    return item["text"]
    raise AssertionError(f"no sentence contains {needle!r}")


def _items(block):
    if block["type"] == "bullets":
        return [s for item in block["items"] for s in item["sentences"]]
    if block["type"] == "faq":
        return [s for item in block["items"] for s in (item["question"], *item["answer"]["sentences"])]
    if block["type"] == "table":
        return [block["caption"]]
    if block["type"] == "figure":
        return [block["title"], block["caption"], block["alt"]]
    return block["sentences"]


def _failures(doc) -> list[tuple[str, str]]:
    return [(failure.text, failure.reason) for failure in check_doc(doc).failures]


def _only_failure_is_in(doc, text: str, reason: str) -> None:
    failures = _failures(doc)
    assert failures, "the checker missed the planted error"
    assert all(found == text for found, _ in failures), failures
    assert any(reason in why for _, why in failures), failures


def test_the_sell_off_and_the_rally_pass_as_built(sell_off, bundled_data):
    for doc in (sell_off, _document(bundled_data, RALLY)):
        report = check_doc(doc)
        assert report.failures == ()
        assert report.sentences > 60 and report.numbers > 150


def test_the_checker_reads_every_sentence_the_brief_prints(sell_off):
    texts = [cited.text for cited in sentences(document.parse(sell_off))]
    assert texts[0] == sell_off["headline"]
    assert any("worst week in data going back to September 2024" in text for text in texts)
    assert any(text.startswith("The 20 largest coins by market-cap rank on Feb 6") for text in texts)  # the table caption


def test_a_number_no_fact_backs_is_named(doc):
    text = _edit(doc, "Bitcoin (BTC)", "16.2%", "15.2%")
    _only_failure_is_in(doc, text, "number 15.2 has no source")


def test_a_direction_word_against_the_sign_is_named(doc):
    text = _edit(doc, "Bitcoin (BTC)", "crashed 16.2%", "rallied 16.2%")
    _only_failure_is_in(doc, text, "assets.bitcoin.change_pct is a fall")


def test_a_sign_against_the_change_is_named(doc):
    text = _edit(doc, "Total market value fell", "(-19.0%)", "(+19.0%)")
    _only_failure_is_in(doc, text, "market_cap.change_pct is a fall")


def test_a_change_that_rounds_to_zero_called_a_fall_is_named(doc):
    doc["facts"]["assets.ethereum.change_pct"] = -0.04
    text = _edit(doc, "Line chart of bitcoin, ether", "ether 23.8% lower", "ether 0.0% lower")
    failures = [(t, why) for t, why in _failures(doc) if t == text]
    assert any("assets.ethereum.change_pct rounds to zero" in why for _, why in failures), failures


def test_a_flat_week_called_flat_passes_and_a_real_move_called_flat_fails(doc):
    doc["facts"]["assets.bitcoin.change_pct"] = -0.04
    cited = {"text": "Bitcoin held steady.", "facts": ["assets.bitcoin.name", "assets.bitcoin.change_pct"]}
    doc["sections"][0]["blocks"][0]["sentences"].append(cited)
    assert not [why for text, why in _failures(doc) if text == cited["text"]]
    doc["facts"]["assets.bitcoin.change_pct"] = -3.0
    assert any("calls it flat" in why for text, why in _failures(doc) if text == cited["text"])


def test_a_comparison_the_two_changes_do_not_support_is_named(doc):
    text = _edit(doc, "Ether plunged 23.8% to $2,063", "falling further than bitcoin", "holding up better than bitcoin")
    _only_failure_is_in(doc, text, "'holding up better than' does not follow")


def test_a_superlative_of_the_wrong_side_is_named(doc):
    text = _edit(doc, "close was its lowest close since", "lowest close since", "highest close since")
    _only_failure_is_in(doc, text, "not backed by a cited high-side 'since' fact")


def test_a_since_month_the_facts_do_not_hold_is_named(doc):
    text = _edit(doc, "close was its lowest close since", "mid-October 2024", "early October 2024")
    # The raw Coin Metrics file (before the splice): the last close at or below Binance's $62,910 is in mid-October.
    _only_failure_is_in(doc, text, "misplaces 2024-10-1")


def test_worst_in_the_data_needs_the_history_to_back_it(doc):
    doc["facts"]["ranks.bitcoin.rank"] = 2
    doc["facts"]["ranks.bitcoin.since"] = "2024-11-10"
    failures = _failures(doc)
    assert failures and all("worst week in data going back to" in text for text, _ in failures), failures
    assert all("claims an extreme for the whole history" in why for _, why in failures)


def test_a_streak_longer_than_the_facts_is_named(doc):
    doc["facts"]["streaks.bitcoin.weeks"] = 4
    doc["facts"]["streaks.ethereum.weeks"] = 4
    failures = _failures(doc)
    assert failures and all("third straight weekly decline" in text for text, _ in failures), failures
    assert any("not backed by a cited streak of 3 weeks" in why for _, why in failures)


def test_a_streak_in_the_wrong_direction_is_named(doc):
    text = _edit(doc, "straight weekly decline", "weekly decline", "weekly gain")
    _only_failure_is_in(doc, text, "the streak's direction is down")


def test_a_named_stress_period_needs_a_date_inside_it(doc):
    text = _edit(doc, "Three Arrows", "the Celsius and Three Arrows Capital failures", "the FTX collapse")
    _only_failure_is_in(doc, text, "names the FTX collapse")


@pytest.mark.parametrize("artifact", ["None", "nan", "[", "]", "{x}"])
def test_templating_artifacts_are_named(doc, artifact):
    text = _edit(doc, "Bitcoin (BTC)", " to $70,580", f" to {artifact} $70,580")
    _only_failure_is_in(doc, text, "templating artifact")


def test_an_empty_section_is_named(doc):
    next(section for section in doc["sections"] if section["id"] == "impact")["blocks"] = []
    assert ("Impact on the Crypto Market", "empty section") in _failures(doc)


def test_a_cited_fact_missing_from_the_table_is_named(doc):
    del doc["facts"]["assets.bitcoin.close"]
    assert any("cites facts the brief does not hold: assets.bitcoin.close" in why for _, why in _failures(doc))


# --- the command ---------------------------------------------------------------------------------------


def test_check_command_passes_a_clean_brief_and_fails_a_corrupted_one(tmp_path, doc):
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("check", str(clean))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK {clean}:") and result.output.count("\n") == 1

    text = _edit(doc, "Bitcoin (BTC)", "crashed 16.2%", "rose 16.2%")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("check", str(bad))
    assert result.exit_code == 2
    assert "FAILED" in result.output and text in result.output and "is a fall" in result.output


def test_check_command_on_a_built_brief(tmp_path):
    out = tmp_path / "out"
    assert run_cli("brief", "--week-ending", SELL_OFF.isoformat(), "--out", str(out), "--formats", "json").exit_code == 0
    result = run_cli("check", str(out / SELL_OFF.isoformat() / "brief.json"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("content, says", [
    (None, "no such file"),
    ('{"facts": {}, "sections": [', "not valid JSON"),
    ('["not", "a", "brief"]', "not a brief"),
    ('{"schema": "crypto-weekly-brief/2", "facts": {}, "sections": [], "headline": ""}',
     "not a brief of schema crypto-weekly-brief/1 (found 'crypto-weekly-brief/2')"),
])
def test_check_command_bad_input_exits_2_with_a_clear_message(tmp_path, content, says):
    path = tmp_path / "brief.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert says in result.output and str(path) in result.output


@pytest.mark.parametrize("edit, says", [
    (lambda doc: doc.update(headline=["not", "text"]), "field 'headline': Input should be a valid string"),
    (lambda doc: doc.update(checked_by="hand"), "field 'checked_by': Extra inputs are not permitted"),
    (lambda doc: doc["sections"][0]["blocks"][0].update(type="poem"), "field 'sections.0.blocks.0': a block's type"),
    (lambda doc: doc["sections"][0]["blocks"][0].pop("sentences"), "field 'sections.0.blocks.0.sentences': Field required"),
])
def test_check_command_on_a_brief_with_a_wrong_field_exits_2_naming_it(tmp_path, doc, edit, says):
    edit(doc)
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert f"error: {path}: {says}" in result.output and "Pass the brief.json that a build wrote" in result.output
