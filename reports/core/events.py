"""A scheduled event given in the settings (`[[events]]` in brief.toml), as its model."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reports.core.values import http_url

Day = date  # a field named `date` hides the type inside its model


class EventEntry(BaseModel):
    """A scheduled event given in the settings ([[events]] in brief.toml); the title is checked where
    events are gathered (`reports.data.events`), like a row of an events file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: Day
    end: Day | None = None
    title: str = Field(min_length=1)
    url: str | None = None
    assets: tuple[str, ...] = ()

    @field_validator("url")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return None if value is None else http_url(value)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> EventEntry:
        if self.end is not None and self.end < self.date:
            raise ValueError(f"the event {self.title!r} ends ({self.end}) before it starts ({self.date})")
        return self
