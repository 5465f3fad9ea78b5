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
