"""A test-side check that every figure in a sentence comes from a fact the sentence cites.

It re-renders each cited fact in every house format and requires each number token of
the sentence to appear among those renderings. It knows nothing of how the story built
the sentence, so a number typed into a template, or a fact cited for the wrong figure,
shows up as a token with no source.
"""

from __future__ import annotations

import re
from datetime import date

from reports.formatting import Formatter

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def renderings(value, fmt: Formatter) -> set[str]:
    out: set[str] = set()
    if isinstance(value, bool):
        return out
    if isinstance(value, date):
        return {fmt.day(value), fmt.date(value), fmt.month(value)}
    if isinstance(value, (int, float)):
        for v in (value, abs(value)):
            out |= {fmt.price(v) if v else "", fmt.money(v), fmt.percent(v), fmt.percent(v, sign=True), fmt.points(v),
                    fmt.number(v), fmt.number(v, 2), fmt.index(v)}
        return out
    if isinstance(value, (tuple, list)):
        for item in value:
            out |= renderings(item, fmt)
        return out | {", ".join(map(str, value))}
    return {str(value)}


def unsourced_numbers(sentence, table: dict, fmt: Formatter) -> list[str]:
    """Number tokens in the sentence that no cited fact renders to."""
    sources: set[str] = set()
    for key in sentence.facts:
        assert key in table, f"sentence cites unknown fact {key!r}: {sentence.text}"
        for text in renderings(table[key], fmt):
            sources |= set(NUMBER.findall(text))
    return [token for token in NUMBER.findall(sentence.text) if token not in sources]
