"""The fact checker's verdict: a brief's report (sentences, figures, failures), and the
lines `build.py check` prints for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reports.check import basis, edit
from reports.check.document import Failure, _values, load, sentences, story_document
from reports.check.notes import quoted_as_own
from reports.check.rules import NUMBER, _cell_artifacts, _empty_sections, check_sentence
from reports.core.formatting import Formatter
from reports.document import Brief

if TYPE_CHECKING:
    from reports.core.settings import Settings
    from reports.story.model import Story


@dataclass(frozen=True)
class Report:
    sentences: int
    numbers: int
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def check(doc: Brief) -> Report:
    """Every failure in a brief's prose (an empty tuple when it is clean)."""
    table, fmt = _values(doc), Formatter(doc.locale or "en_US")
    failures: list[Failure] = list(_empty_sections(doc)) + list(_cell_artifacts(doc)) + list(basis.end_prices(doc, table, fmt))
    failures += quoted_as_own(doc)
    failures += edit.check(doc, table)
    count = numbers = 0
    for cited in sentences(doc):
        count += 1
        numbers += len(NUMBER.findall(cited.text))
        reasons = check_sentence(cited, table, fmt) + basis.check_sentence(cited, table, fmt)
        failures += [Failure(cited.where, cited.text, reason) for reason in reasons]
    return Report(count, numbers, tuple(failures))


def check_file(path: Path) -> Report:
    return check(load(path))


def summary(path: Path | str, report: Report) -> str:
    return f"OK {path}: {report.sentences} sentences, {report.numbers} figures, every one traced to its facts"


def failures_text(path: Path | str, failures: Iterable[Failure]) -> str:
    failures = list(failures)
    lines = [f"FAILED {path}: {len(failures)} problem(s)"] + [str(failure) for failure in failures]
    return "\n".join(lines)


def check_story(story: Story, settings: Settings) -> Report:
    return check(story_document(story, settings))
