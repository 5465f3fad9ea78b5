"""The desk editor's rules: what a fact checker passes but a reader trips over.

- a repeated sentence: the same sentence (compared lower-cased, on its words alone) twice anywhere in the body,
  the FAQ included;
- a fact told more than twice: a claim is a sentence's set of figure-bearing fact keys (names, symbols, days and
  sources left out); a claim is told again by every sentence whose figure keys include all of it (a claim of one
  figure: by every sentence of that figure alone). The lead
  and the takeaways together count once, every other body sentence once; more than two is a failure. Tables,
  charts and their captions, Methodology and the data notes do not count;
- an FAQ answer that cites none of its question's facts (a question lists the fact keys it is about);
- a duplicate-name label: "BNB (BNB)", a name printed with a symbol that spells the same;
- a direction word against its number: "best performer, down", "fared worst" for a coin that rose, "fell least"
  for a rise (the signed-figure checks of `rules._direction` cover "fell 3.2%" with +3.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reports.check.document import Failure, blocks_of, table_cells
from reports.document import Brief, FAQBlock, block_sentences
from reports.document.model import BulletsBlock, ParagraphBlock, Sentence

LEAD = ("overview", "key-takeaways")  # the lead and the takeaways: one telling between them
NOT_BODY = ("comparison", "methodology", "notes")
MAX_TELLINGS = 2
CONTEXT_SUFFIXES = ("name", "symbol", "day", "days", "start", "end", "base", "history_start", "provider", "time_of_day",
                    "title", "classification", "base_classification", "period", "low_since_period", "high_since_period",
                    "hour", "trading_days", "previous_days", "observations", "url", "within")
COUNTS = ("breadth.total", "altcoins.count", "universe.shown", "universe.size")  # how many coins: context
MIN_WORDS = 4  # shorter lines ("Best: TRON") are labels, not sentences
LABEL = re.compile(r"\b([A-Za-z0-9]+) \(([A-Za-z0-9]+)[,)]")
# Ranking words and the direction their figure may not have. Signed words said outright always fail ("best
# performer, down": it fell least); "fell least" / "rose least" are checked against the named asset's change.
SIGNED_RANKS = (
    (re.compile(r"\bbest performer,? (?:was )?down\b"), "", "the best performer fell: say it \"fell least\""),
    (re.compile(r"\bfared worst,? (?:was )?up\b"), "", "a coin that rose did not fare worst: say it \"rose least\""),
    (re.compile(r"\bfared worst\b(?:[^.;]|\.\d)*?\([^()]*\+"), "", "a coin that rose is listed among those that fared worst"),
)
LEAST = (
    (re.compile(r"\bfell (?:the )?least\b"), "up", "\"fell least\" for a coin that rose"),
    (re.compile(r"\brose (?:the )?least\b"), "down", "\"rose least\" for a coin that fell"),
)


def check(doc: Brief, table: dict[str, Any]) -> list[Failure]:
    """Every editing failure of a brief (empty when it reads clean)."""
    return [*repeated_sentences(doc), *told_too_often(doc), *unanswered_questions(doc), *duplicate_labels(doc),
            *ranking_directions(doc, table)]


def body(doc: Brief, questions: bool = False) -> Iterator[tuple[str, Sentence]]:
    """The body's sentences with their section: paragraphs, bullets and FAQ answers (questions on request)."""
    for section in doc.sections:
        if section.id in NOT_BODY:
            continue
        for block in section.blocks:
            if isinstance(block, (ParagraphBlock, BulletsBlock)):
                yield from ((section.id, s) for s in block_sentences(block))
            elif isinstance(block, FAQBlock):
                for item in block.items:
                    if questions:
                        yield section.id, item.question
                    yield from ((section.id, s) for s in item.answer.sentences)


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+(?:[.,][0-9]+)*", text.lower()))


def repeated_sentences(doc: Brief) -> Iterator[Failure]:
    seen: dict[str, str] = {}
    for where, item in body(doc):
        key = normalised(item.text)
        if len(key.split()) < MIN_WORDS:
            continue
        if key in seen:
            yield Failure(where, item.text, f"repeats a sentence of {seen[key]}: say it once, or in new words")
        else:
            seen[key] = where


def figure_keys(facts: tuple[str, ...]) -> frozenset[str]:
    """A sentence's claim: its fact keys that carry a figure (not a name, a symbol, a day or a source)."""
    return frozenset(key for key in facts if not key.startswith(("week.", "sources.", "events.")) and key not in COUNTS
                     and not key.rsplit(".", 1)[-1].endswith(CONTEXT_SUFFIXES))


def told_too_often(doc: Brief) -> Iterator[Failure]:
    told = [(where, item, figure_keys(item.facts)) for where, item in body(doc)]
    reported: set[frozenset[str]] = set()
    for where, item, claim in told:
        if not claim or claim in reported:
            continue
        # a claim of one figure is told again only by a sentence of that figure alone: a change cited beside others
        # (bitcoin's, as the comparator of "falling further than bitcoin") is another claim
        tellings = [w for w, _, other in told if (other >= claim if len(claim) > 1 else other == claim)]
        count = min(1, sum(w in LEAD for w in tellings)) + sum(w not in LEAD for w in tellings)
        if count > MAX_TELLINGS:
            reported.add(claim)
            yield Failure(where, item.text, f"tells the same fact {count} times ({', '.join(sorted(claim))}, in "
                          f"{', '.join(dict.fromkeys(tellings))}): once in the lead or takeaways and once with its "
                          "detail at most")


def unanswered_questions(doc: Brief) -> Iterator[Failure]:
    for section, block in blocks_of(doc, FAQBlock):
        for item in block.items:
            about = figure_keys(item.question.facts)
            cited = {key for s in item.answer.sentences for key in s.facts}
            if not about:
                yield Failure(section.id, item.question.text, "the question names no facts, so its answer cannot "
                              "be checked: give it the fact keys it asks about")
            elif not about & cited:
                yield Failure(section.id, item.question.text, f"the answer cites none of the question's facts "
                              f"({', '.join(sorted(about))}): answer the question asked")


def duplicate_labels(doc: Brief) -> Iterator[Failure]:
    texts = [(where, item.text) for where, item in body(doc, questions=True)]
    texts += [(f"{section.id} table", cell.text) for section, cell in table_cells(doc)]
    for where, text in texts:
        for match in LABEL.finditer(text):
            if match.group(1).lower() == match.group(2).lower():
                yield Failure(where, text, f"'{match.group(1)} ({match.group(2)})' prints one name twice: print it once")


def ranking_directions(doc: Brief, table: dict[str, Any]) -> Iterator[Failure]:
    """A ranking word against the sign of its change: a signed word in the text ("best performer, down") always
    fails; "fell least" / "rose least" are checked against the change of the asset named just before them."""
    for where, item in body(doc):
        lower = item.text.lower()
        for pattern, wrong, reason in SIGNED_RANKS:
            if pattern.search(lower):
                yield Failure(where, item.text, reason)
        for pattern, wrong, reason in LEAST:
            found = pattern.search(lower)
            change = _named_change(item, table, lower[:found.start()]) if found else None
            if change is not None and (change > 0 if wrong == "up" else change < 0):
                yield Failure(where, item.text, reason)


def _named_change(item: Sentence, table: dict[str, Any], before: str) -> float | None:
    """The weekly change of the asset named last before the ranking words."""
    best: tuple[int, float] | None = None
    for key in item.facts:
        if key.startswith("assets.") and key.endswith(".name"):
            name = str(table.get(key, "")).lower()
            place = before.rfind(name) if name else -1
            value = table.get(key.removesuffix(".name") + ".change_pct")
            if place >= 0 and isinstance(value, (int, float)) and (best is None or place > best[0]):
                best = (place, float(value))
    return best[1] if best else None
