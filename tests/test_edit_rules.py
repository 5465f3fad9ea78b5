"""The desk editor's rules of `build.py check` (reports/check/edit.py): each one fails a hand-made brief.json (the
golden Feb 6 brief with one thing broken) and passes every golden brief; and the sentences issue 16 fixed, read
against the brief's own data.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reports.check.report import check_file
from reports.story.lexicon import TIERS, VOLATILITY_TIERS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FEB6 = GOLDEN / "2026-02-06" / "brief.json"
BRIEFS = sorted(GOLDEN.glob("**/brief.json"))


def original() -> dict[str, Any]:
    return json.loads(FEB6.read_text())


def section(doc: dict[str, Any], section_id: str) -> dict[str, Any]:
    return next(s for s in doc["sections"] if s["id"] == section_id)


def sentences(doc: dict[str, Any], section_id: str) -> list[dict[str, Any]]:
    found = []
    for block in section(doc, section_id)["blocks"]:
        if block["type"] in ("paragraph", "subhead"):
            found += block["sentences"]
        elif block["type"] == "bullets":
            found += [s for item in block["items"] for s in item["sentences"]]
        elif block["type"] == "faq":
            found += [s for item in block["items"] for s in item["answer"]["sentences"]]
    return found


def find(doc: dict[str, Any], section_id: str, starts: str) -> dict[str, Any]:
    return next(s for s in sentences(doc, section_id) if s["text"].startswith(starts))


def faq_items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return next(b for b in section(doc, "faq")["blocks"] if b["type"] == "faq")["items"]


def add_bullet(doc: dict[str, Any], section_id: str, text: str, facts: list[str]) -> None:
    block = next(b for b in section(doc, section_id)["blocks"] if b["type"] == "bullets")
    block["items"].append({"text": text, "sentences": [{"text": text, "facts": facts}]})


def reasons(doc: dict[str, Any], tmp_path: Path) -> list[str]:
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(doc, indent=2))
    return [failure.reason for failure in check_file(path).failures]


# --- every golden brief passes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BRIEFS, ids=[str(p.relative_to(GOLDEN)) for p in BRIEFS])
def test_golden_briefs_pass_the_edit_rules(path: Path) -> None:
    report = check_file(path)
    assert report.ok, "\n".join(map(str, report.failures))


def test_the_unbroken_brief_passes(tmp_path: Path) -> None:
    assert reasons(original(), tmp_path) == []


# --- each rule, on a brief broken by hand -----------------------------------------------------------------------------


def test_a_sentence_told_twice_fails(tmp_path: Path) -> None:
    doc = original()
    copied = copy.deepcopy(sentences(doc, "overview")[0])
    faq_items(doc)[0]["answer"]["sentences"].append(copied)
    found = reasons(doc, tmp_path)
    assert any(r.startswith("repeats a sentence of overview") for r in found), found


def test_the_same_sentence_in_other_case_and_spacing_fails(tmp_path: Path) -> None:
    doc = original()
    copied = copy.deepcopy(sentences(doc, "overview")[0])
    copied["text"] = "  " + copied["text"].upper().replace(" ", "  ")
    add_bullet(doc, "what-to-watch", copied["text"], copied["facts"])
    assert any(r.startswith("repeats a sentence") for r in reasons(doc, tmp_path))


def test_a_fact_told_a_third_time_fails(tmp_path: Path) -> None:
    doc = original()
    # total market value: told in the Overview (and takeaways) and in Impact; What to Watch would be its third telling
    facts = ["market_cap.change_usd", "market_cap.change_pct", "market_cap.end_usd"]
    add_bullet(doc, "what-to-watch", "Market value: whether the market recovers the $549.7 billion (19.0%) it lost, "
               "from $2.34 trillion.", facts)
    found = reasons(doc, tmp_path)
    assert any(r.startswith("tells the same fact 3 times") and "market_cap.change_usd" in r for r in found), found


def test_the_lead_and_the_takeaways_count_once() -> None:
    doc = json.loads(FEB6.read_text())
    lead = [s for s in sentences(doc, "overview") + sentences(doc, "key-takeaways")
            if "market_cap.change_usd" in s["facts"]]
    assert len(lead) >= 2  # the Overview and the takeaways both tell it, and the brief still passes
    assert check_file(FEB6).ok


def test_an_faq_answer_about_something_else_fails(tmp_path: Path) -> None:
    doc = original()
    # the question about bitcoin's high (how far below it, or the rise back to it), whatever the week's wording of it
    item = next(i for i in faq_items(doc) if {"drawdowns.bitcoin.drawdown_pct", "drawdowns.bitcoin.recovery_pct"}
                & set(i["question"]["facts"]))
    item["question"]["facts"] = ["assets.bitcoin.name", "fear_greed.value"]  # asked about sentiment, answered about the high
    found = reasons(doc, tmp_path)
    assert any(r.startswith("the answer cites none of the question's facts (fear_greed.value)") for r in found), found


def test_an_faq_question_without_facts_fails(tmp_path: Path) -> None:
    doc = original()
    faq_items(doc)[0]["question"]["facts"] = []
    assert any(r.startswith("the question names no facts") for r in reasons(doc, tmp_path))


def test_every_golden_question_is_answered_with_its_facts() -> None:
    for path in BRIEFS:
        doc = json.loads(path.read_text())
        for item in faq_items(doc):
            about = {k for k in item["question"]["facts"] if not k.endswith((".name", ".symbol"))}
            cited = {k for s in item["answer"]["sentences"] for k in s["facts"]}
            assert about and about & cited, (path, item["question"]["text"])


@pytest.mark.parametrize("label", ["BNB (BNB)", "bnb (BNB)"])
def test_a_name_printed_with_its_own_symbol_fails(tmp_path: Path, label: str) -> None:
    doc = original()
    table = next(b for b in section(doc, "comparison")["blocks"] if b["type"] == "table")
    row = next(r for r in table["rows"] if any(c["text"] == "BNB" for c in r))
    cell = next(c for c in row if c["text"] == "BNB")
    cell["text"] = label
    found = reasons(doc, tmp_path)
    assert any("prints one name twice" in r for r in found), found


def test_a_name_in_a_sentence_with_its_own_symbol_fails(tmp_path: Path) -> None:
    doc = original()
    s = find(doc, "what-happened", "Among the other large caps")
    assert "BNB fell" in s["text"]
    s["text"] = s["text"].replace("BNB fell", "BNB (BNB) fell")
    assert any("prints one name twice" in r for r in reasons(doc, tmp_path))


def test_a_best_performer_that_is_down_fails(tmp_path: Path) -> None:
    doc = original()
    s = find(doc, "what-happened", "Among the 12 coins")
    s["text"] = s["text"].replace("TRON fell the least, 6.8%", "TRON was the week's best performer, down 6.8%")
    found = reasons(doc, tmp_path)
    assert "the best performer fell: say it \"fell least\"" in found, found


def test_fared_worst_for_a_coin_that_rose_fails(tmp_path: Path) -> None:
    doc = original()
    s = find(doc, "what-happened", "Zcash fared worst")
    s["text"] = "Zcash fared worst, down 29.4%, followed by Hyperliquid (HYPE, +12.7%)."
    assert "a coin that rose is listed among those that fared worst" in reasons(doc, tmp_path)


def test_fell_least_for_a_coin_that_rose_fails(tmp_path: Path) -> None:
    doc = original()
    doc["facts"]["assets.tron.change_pct"] = 6.8  # the same sentence, on a week in which TRON rose
    assert "\"fell least\" for a coin that rose" in reasons(doc, tmp_path)


def test_a_rise_called_a_fall_fails(tmp_path: Path) -> None:
    doc = original()
    s = find(doc, "what-happened", "Ether plunged")
    s["text"] = s["text"].replace("Ether plunged 23.8%", "Ether gained 23.8%")
    found = reasons(doc, tmp_path)
    assert any("assets.ethereum.change_pct is a fall" in r for r in found), found


def test_build_py_check_exits_2_on_a_broken_brief(tmp_path: Path) -> None:
    doc = original()
    faq_items(doc)[0]["question"]["facts"] = []
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(doc))
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "the question names no facts" in run.stdout + run.stderr


# --- the fixed sentences, against the data -------------------------------------------------------------------------------


def _week_change(asset: dict[str, Any]) -> float:
    return (asset["close"] / asset["base_close"] - 1) * 100


def test_the_best_and_worst_sentences_follow_their_signs() -> None:
    """Recomputed from each coin's closes: the best of the compared coins "fell the least" when it fell, the worst
    "rose the least" when it rose, and no coin that rose follows one that fell in the "fared worst" list."""
    for path in sorted(GOLDEN.glob("20*/brief.json")):
        doc = json.loads(path.read_text())
        compared = [a for a in doc["assets"] if a["compared"]]
        best = max(compared, key=_week_change)
        worst = min(compared, key=_week_change)
        text = " ".join(s["text"] for s in sentences(doc, "what-happened"))
        best_name = re.escape(best["name"] if best["id"] not in ("bitcoin", "ethereum", "solana") else best["id"][:3])
        if _week_change(best) < -0.05:
            assert re.search(rf"(?i){best_name}\w* fell the least", text), (path, best["name"])
        if _week_change(worst) > 0.05:
            assert re.search(rf"(?i){re.escape(worst['name'])}\w* rose the least", text), (path, worst["name"])
        for found in re.finditer(r"fared worst[^.]*", text):
            assert "(+" not in found.group(), (path, found.group())


def test_table_labels_print_a_name_once() -> None:
    for path in sorted(GOLDEN.glob("20*/brief.json")):
        doc = json.loads(path.read_text())
        table = next(b for b in section(doc, "comparison")["blocks"] if b["type"] == "table")
        labels = {row[1]["text"].removesuffix(" †") for row in table["rows"]}
        for asset in doc["assets"]:
            expected = asset["name"] if asset["name"].upper() == asset["symbol"].upper() else f"{asset['name']} ({asset['symbol']})"
            assert expected in labels, (path, expected)


def test_one_distance_from_the_top_sentence_with_both_drawdowns() -> None:
    """Bitcoin's and ether's distance below their highest close, recomputed from the facts' peak and close."""
    doc = original()
    told = [s for s in sentences(doc, "impact") if s["text"].startswith("Distance from the top")]
    assert len(told) == 1
    facts = doc["facts"]
    for asset in ("bitcoin", "ethereum"):
        close = next(a["close"] for a in doc["assets"] if a["id"] == asset)
        below = (1 - close / facts[f"drawdowns.{asset}.peak"]) * 100
        assert f"{below:.1f}%" in told[0]["text"], (asset, below)


PAIRS = {w: pair for tiers in (TIERS, VOLATILITY_TIERS) for tier in tiers for pairs in (tier.up, tier.down)
         for pair in pairs for w in pair} | {w: ("rose", "rises") for w in ("rose", "rises")} \
    | {w: ("fell", "falls") for w in ("fell", "falls")}


def test_one_verb_per_asset_in_a_brief() -> None:
    """Each asset's week gets one verb (in either tense) wherever a sentence says "<name> <verb> <its change>"."""
    for path in BRIEFS:
        doc = json.loads(path.read_text())
        body = [s["text"] for sid in ("overview", "key-takeaways", "what-happened") for s in sentences(doc, sid)]
        body.append(doc["headline"])
        for asset in doc["assets"]:
            names = {asset["name"].lower(), {"bitcoin": "bitcoin", "ethereum": "ether"}.get(asset["id"], asset["name"].lower())}
            pct = f"{abs(asset['change_pct']):.1f}%"
            used = set()
            for text in body:
                for name in names:
                    pattern = rf"(?i)\b{re.escape(name)}(?: \([A-Z0-9]+\))? ((?:\w+ )?\w+) {re.escape(pct)}"
                    for m in re.finditer(pattern, text):
                        words = m.group(1).lower()
                        pair = PAIRS.get(words) or PAIRS.get(words.split()[-1])
                        if pair:
                            used.add(pair)
            assert len(used) <= 1, (path, asset["id"], used)


def test_no_correlation_of_seven_days_and_beta_glossed_as_a_slope() -> None:
    doc = original()
    impact = " ".join(s["text"] for s in sentences(doc, "impact"))
    assert "correlation of altcoins' daily returns with bitcoin's was" not in impact
    assert "average daily move" not in impact + " ".join(s["text"] for s in sentences(doc, "faq"))
    # Feb 6: a beta of 1.09, near one, says nothing new and is not told; Dec 14: 1.51, told and glossed as a slope
    assert "beta" not in impact and abs(doc["facts"]["altcoins.beta"] - 1) < 0.25
    dec14 = json.loads((GOLDEN / "2025-12-14" / "brief.json").read_text())
    beta = dec14["facts"]["altcoins.beta"]
    assert (f"(a beta, the slope of their daily returns against bitcoin's, of {beta:.2f})"
            in " ".join(s["text"] for s in sentences(dec14, "impact")))
