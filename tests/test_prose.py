"""The sentence machinery: no number enters a sentence except through a cited fact."""

from __future__ import annotations

import pytest

from reports.core.formatting import Formatter
from reports.story.prose import Facts, Fragment, ProseError, Variation, join, phrase, sentence, words


@pytest.fixture
def facts():
    return Facts({"assets.bitcoin.change_pct": -19.9, "assets.bitcoin.close": 65881.0, "assets.bitcoin.name": "Bitcoin"},
                 Formatter())


def test_a_sentence_keeps_the_keys_of_the_facts_it_states(facts):
    s = sentence("{name} fell {pct} to {price}", name=facts.cite("assets.bitcoin.name", str),
                 pct=facts.pct("assets.bitcoin.change_pct", absolute=True), price=facts.price("assets.bitcoin.close"))
    assert s.text == "Bitcoin fell 19.9% to $65,881."
    assert s.facts == ("assets.bitcoin.name", "assets.bitcoin.change_pct", "assets.bitcoin.close")


def test_a_template_with_a_number_is_refused():
    with pytest.raises(ProseError):
        sentence("Bitcoin fell 19.9%")


def test_bare_words_with_a_number_are_refused():
    with pytest.raises(ProseError):
        words("the top 20")
    with pytest.raises(ProseError):
        sentence("{x} coins", x="20")


def test_a_missing_fact_is_refused_not_guessed(facts):
    with pytest.raises(ProseError):
        facts.price("assets.ethereum.close")


def test_headlines_have_no_full_stop_and_start_with_a_capital():
    assert phrase("{name} slides", name=Fragment("bitcoin")).text == "Bitcoin slides"


def test_lists_read_as_english():
    items = [Fragment("ether"), Fragment("BNB"), Fragment("solana")]
    assert join(items[:1]).text == "ether"
    assert join(items[:2]).text == "ether and BNB"
    assert join(items).text == "ether, BNB and solana"


def test_variation_is_the_same_for_a_week_and_differs_between_weeks():
    options = list(range(1000))
    assert Variation("week-a").pick(options) == Variation("week-a").pick(options)
    picks = {Variation(f"week-{n}").pick(options) for n in range(20)}
    assert len(picks) > 10


@pytest.mark.parametrize("text, article", [
    ("18-basis-point", "an"), ("8.2%", "an"), ("11.9%", "an"), ("$8.2 billion", "an"), ("80%", "an"), ("18,400", "an"),
    ("1.5%", "a"), ("110%", "a"), ("$1.5 billion", "a"), ("1,800", "a"), ("2.4%", "a"), ("111%", "a"),
    ("equal", "an"), ("one-day", "a"), ("unusual", "an"), ("hour", "an"), ("US", "a"), ("rise", "a"),
])
def test_the_article_follows_how_the_figure_is_read_aloud(text, article):
    from reports.story.wording import indefinite

    assert indefinite(Fragment(text, ("k",))) == Fragment(f"{article} {text}", ("k",))
