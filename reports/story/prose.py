"""Sentences that remember the facts behind them.

A `Fragment` is a piece of text plus the fact keys it was made from; a `Sentence` joins
fragments into a template and keeps the union of their keys. A template's own words may
not contain a digit, and neither may a bare string part: every number, date or figure in
a sentence must come in through a fragment built from a fact. That is what makes each
figure in a brief traceable (and checkable) back to the data.
"""

from __future__ import annotations

import hashlib
import random
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reports.core.formatting import Formatter
from reports.story.lexicon import cardinal, ordinal

DIGIT = re.compile(r"\d")


class ProseError(AssertionError):
    """A sentence tried to state a number that no fact backs: a bug in the story code."""


@dataclass(frozen=True)
class Fragment:
    text: str
    facts: tuple[str, ...] = ()

    def __add__(self, other: Fragment | str) -> Fragment:
        other = other if isinstance(other, Fragment) else words(other)
        return Fragment(self.text + other.text, _union(self.facts, other.facts))


@dataclass(frozen=True)
class Sentence:
    """One sentence of the brief and the fact keys it states."""

    text: str
    facts: tuple[str, ...] = ()


def words(text: str) -> Fragment:
    """Plain words: no digits allowed, since a number must come from a fact."""
    if DIGIT.search(text):
        raise ProseError(f"bare text with a number in it: {text!r}; build it from a fact")
    return Fragment(text)


def _union(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for group in groups for key in group))


def sentence(template: str, **parts: Fragment | str) -> Sentence:
    """Fill `template` ({name} fields) with fragments; capitalise it and end it with a full stop."""
    filled = phrase(template, **parts)
    text = filled.text if filled.text[-1] in ".?!" else filled.text + "."
    return Sentence(text, filled.facts)


def phrase(template: str, **parts: Fragment | str) -> Sentence:
    """Like `sentence`, without the full stop: for headlines, titles and labels."""
    fields = list(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))
    literal = "".join(text for text, *_ in string.Formatter().parse(template))
    if DIGIT.search(literal):
        raise ProseError(f"template has a number in it: {template!r}")
    missing = set(fields) - parts.keys()
    if missing:
        raise ProseError(f"template {template!r} lacks parts {sorted(missing)}")
    fragments = {name: part if isinstance(part, Fragment) else words(part) for name, part in parts.items()}
    text = template.format(**{name: fragment.text for name, fragment in fragments.items()})
    text = re.sub(r"\s+", " ", text).strip()
    return Sentence(text[0].upper() + text[1:], _union(*(fragments[name].facts for name in fields)))


def join(items: Sequence[Fragment], conjunction: str = "and") -> Fragment:
    """English lists: "ether", "ether and BNB", "ether, BNB and solana"."""
    if not items:
        raise ProseError("an empty list has no words")
    if len(items) == 1:
        return items[0]
    head = items[0]
    for item in items[1:-1]:
        head = head + ", " + item
    return head + f" {conjunction} " + items[-1]


class Facts:
    """Looks up facts by dotted key and formats them into fragments that cite the key."""

    def __init__(self, table: dict[str, Any], fmt: Formatter) -> None:
        self.table = table
        self.fmt = fmt

    def __contains__(self, key: str) -> bool:
        return self.table.get(key) is not None

    def value(self, key: str) -> Any:
        if self.table.get(key) is None:
            raise ProseError(f"no fact {key!r}")
        return self.table[key]

    def cite(self, key: str, render: Callable[[Any], str]) -> Fragment:
        return Fragment(render(self.value(key)), (key,))

    # The house formats, each citing its fact.
    def price(self, key: str) -> Fragment:
        return self.cite(key, self.fmt.price)

    def money(self, key: str, absolute: bool = False) -> Fragment:
        return self.cite(key, lambda v: self.fmt.money(abs(v) if absolute else v))

    def pct(self, key: str, absolute: bool = False, sign: bool = False) -> Fragment:
        return self.cite(key, lambda v: self.fmt.percent(abs(v) if absolute else v, sign=sign))

    def points(self, key: str, absolute: bool = True) -> Fragment:
        return self.cite(key, lambda v: self.fmt.points(abs(v) if absolute else v))

    def count(self, key: str) -> Fragment:
        return self.cite(key, lambda v: self.fmt.number(v))

    def index(self, key: str) -> Fragment:
        return self.cite(key, self.fmt.index)

    def day(self, key: str) -> Fragment:
        return self.cite(key, self.fmt.day)

    def date(self, key: str) -> Fragment:
        return self.cite(key, self.fmt.date)

    def weekday(self, key: str) -> Fragment:
        """ "Tuesday, Feb 3": a day inside the week, with its weekday."""
        return self.cite(key, self.fmt.weekday_day)

    def span(self, start: str, end: str) -> Fragment:
        """The days from one date fact to another ("Mar 17 – 18"), citing both."""
        return Fragment(self.fmt.span(self.value(start), self.value(end)), (start, end))

    def month(self, key: str) -> Fragment:
        return self.cite(key, self.fmt.month)

    def ordinal(self, key: str) -> Fragment:
        """A count as news copy spells it: "third" (the checker matches it to the cited count)."""
        return self.cite(key, ordinal)

    def cardinal(self, key: str) -> Fragment:
        """A small count spelled out: "five" (trading days)."""
        return self.cite(key, cardinal)

    def decimal(self, key: str, digits: int = 2) -> Fragment:
        """A plain number to fixed decimals, such as a correlation or a beta: "0.76"."""
        return self.cite(key, lambda v: self.fmt.number(v, digits))


class Variation:
    """Seeded choice among phrasings: the same week always reads the same, other weeks differ."""

    def __init__(self, seed: str) -> None:
        self.random = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.random.randrange(len(options))]
