"""brief.json's quote block: an editor's note (`reports.document.notes` reads them from the notes file)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from reports.core.values import http_url
from reports.document.base import Model

NoteRole = Literal["desk", "quote", "unconfirmed"]
Style = Literal["em", "strong", "code"]


def _link(url: str | None) -> str | None:
    """A note links only to an absolute http(s) address: no javascript:, data: or relative link."""
    return None if url is None else http_url(url)


Link = Annotated[str | None, AfterValidator(_link)]


class Span(Model):
    """A run of an editor's text with its styles (emphasis, strong, code) and link, if any: plain text
    that every renderer escapes, never markup."""

    text: str
    style: tuple[Style, ...] = ()
    href: Link = None


class QuoteBlock(Model):
    """An editor's note (`reports.document.notes`), never generated and so never traced to facts:
    the desk's commentary (`role` "desk", `speaker` its author), a quote ("quote") or an unconfirmed
    report ("unconfirmed"), each attributed to `speaker`, with its `source` and `url` when given.
    `text` is its paragraphs as plain text, one a line."""

    kind: Literal["quote"] = Field(alias="type")
    role: NoteRole
    text: str
    paragraphs: tuple[tuple[Span, ...], ...] = Field(min_length=1)
    speaker: str = Field(min_length=1)
    source: str | None = None
    url: Link = None

    @property
    def attribution(self) -> str:
        """ "Speaker, Source": who said or reported it, as every format prints it after a dash."""
        return f"{self.speaker}, {self.source}" if self.source else self.speaker
