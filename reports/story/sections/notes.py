"""The editor's notes, in sections of their own: From the desk, Reactions & Quotes, Unconfirmed.

The notes file (`--notes`, the `notes` setting) is parsed and checked by `reports.document.notes`;
each note is a quote block, attributed, and never one of the brief's own sentences: the checker
does not trace its numbers, and refuses a generated sentence that repeats one of its sentences.
A brief without notes, or without notes of a role, has no such section. Notes whose front matter
names a week go into that week's brief only.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.document.quote import NoteRole
from reports.document.notes import IDS, TITLES, Notes, load_notes
from reports.story.desk import AssetDesk, Desk, F, MarketDesk
from reports.story.model import Section


def notes_of(desk: Desk[F]) -> Notes | None:
    """The week's notes, or None (no notes file, or notes for another week)."""
    if desk.settings.notes is None:
        return None
    notes = load_notes(desk.settings.notes)
    return notes if notes.week is None or notes.week == desk.facts.week.end else None


@dataclass(frozen=True)
class NotesSection:
    """One role's section, for every subject (a section module of the registry)."""

    role: NoteRole

    def _write(self, desk: Desk[F]) -> Section | None:
        notes = notes_of(desk)
        items = notes.of(self.role) if notes is not None else ()
        return Section(IDS[self.role], TITLES[self.role], items) if items else None

    def market(self, desk: MarketDesk) -> Section | None:
        return self._write(desk)

    def asset(self, desk: AssetDesk) -> Section | None:
        return self._write(desk)


DESK = NotesSection("desk")
QUOTES = NotesSection("quote")
UNCONFIRMED = NotesSection("unconfirmed")
