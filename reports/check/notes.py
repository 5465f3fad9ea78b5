"""The editor's notes as the checker reads them: quoted text, not the brief's own.

A note's numbers are the editor's (`block_sentences` gives no sentence of a quote block, so none
is traced to facts), and a generated sentence may not pass a note's sentence off as its own: one
that contains a sentence of a note is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reports.check.document import Failure, blocks_of, sentences
from reports.document import Brief, QuoteBlock

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
LEAST_WORDS = 4  # "Yes." or "We disagree." is no quotation


def note_sentences(doc: Brief) -> list[tuple[str, str]]:
    """Every sentence of the brief's notes long enough to be quoted (normalised), with its section's title."""
    found = []
    for section, block in blocks_of(doc, QuoteBlock):
        for line in block.text.split("\n"):
            found += [(norm, section.title) for part in SENTENCE_END.split(line)
                      if len((norm := normalised(part)).split()) >= LEAST_WORDS]
    return found


def normalised(text: str) -> str:
    """Lower case, one space between words, no quotation marks and no closing punctuation."""
    text = re.sub(r"[\"“”‘’'«»]", "", text.casefold())
    return " ".join(text.split()).strip(" .!?…;:,")


def quoted_as_own(doc: Brief) -> Iterator[Failure]:
    """A generated sentence that contains one of the notes' sentences."""
    notes = note_sentences(doc)
    if not notes:
        return
    for cited in sentences(doc):
        own = normalised(cited.text)
        for note, title in notes:
            if note in own:
                yield Failure(cited.where, cited.text, f"repeats a sentence of the editor's notes ({title}) as the "
                                                       "brief's own words; a note is quoted in its own section only")
                break
