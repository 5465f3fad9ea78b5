"""Formats and sources are registries: every name the settings accept has an entry, and every
entry names a module that provides what the registry promises."""

from __future__ import annotations

import importlib
from typing import get_args

from reports.core.settings import Format, Settings
from reports.data.sources import SOURCES
from reports.render import FILENAMES, FORMATS


def test_every_format_the_settings_accept_is_registered_with_a_renderer():
    assert set(FORMATS) == set(get_args(Format))
    for name, fmt in FORMATS.items():
        assert callable(importlib.import_module(fmt.module).render), name
    assert len(set(FILENAMES.values())) == len(FILENAMES)


def test_every_source_the_settings_accept_is_registered_with_a_loader():
    accepted = set(get_args(Settings.model_fields["source"].annotation))
    assert set(SOURCES) == accepted
    for name, module in SOURCES.items():
        assert callable(importlib.import_module(module).from_settings), name


def test_each_format_writes_its_own_kind_of_file():
    """A name pointing at another format's file or module (md -> brief.html) is caught here, not only by
    the golden bytes."""
    kinds = {"html": (".html", "html"), "pdf": (".pdf", "pdf"), "md": (".md", "markdown"), "json": (".json", "jsonfile")}
    assert {name: (fmt.filename[fmt.filename.rindex("."):], fmt.module.rsplit(".", 1)[1]) for name, fmt in FORMATS.items()} == kinds


def test_every_live_source_has_the_face_the_live_loader_walks():
    from reports.data.sources.live import GECKO, LIVE_PULLERS, added_sources

    assert next(iter(LIVE_PULLERS)) == GECKO  # the prices come first: every other source adds to them
    for name, module in added_sources().items():
        assert module.NAME == name, f"{name}: its module calls itself {module.NAME!r} (its pulls are recorded by that name)"
        assert module.BASE_URL_ENV.endswith("_BASE_URL") and module.DEFAULT_URL.startswith("https://"), name
        for function in ("pull", "newest_day", "add"):
            assert callable(getattr(module, function)), f"{name} has no {function}()"
