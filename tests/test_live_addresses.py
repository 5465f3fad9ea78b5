"""Every live source's address can be moved by its environment variable (`BASE_URL_ENV` of each module in
`live.LIVE_PULLERS`, so a source added to the registry is covered here without a new test), and a value
that is not an http(s) address is a usage error naming the variable (exit 2), not a source "out of reach"."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import run_cli

from reports.core.errors import BriefError, UsageError
from reports.core.settings import load_settings
from reports.data.sources import live


@pytest.mark.parametrize("name", list(live.LIVE_PULLERS))
def test_a_sources_address_follows_its_environment_variable(name, api, monkeypatch):
    source = live.module(name)
    assert source.NAME == name and source.BASE_URL_ENV.endswith("_BASE_URL")
    monkeypatch.setenv(source.BASE_URL_ENV, api.url_for(f"/moved-{name}"))
    api.expect_request(re.compile(".*")).respond_with_data("not here", status=404)
    with pytest.raises(BriefError):  # the stand-in has nothing there: what matters is where it was asked
        source.pull(load_settings(env=os.environ))
    paths = [request.path for request, _ in api.log]
    assert paths and all(path.startswith(f"/moved-{name}/") for path in paths), paths


@pytest.mark.parametrize("name", list(live.LIVE_PULLERS))
@pytest.mark.parametrize("bad", ["ftp://mirror.example/api", "mirror.example/api", "file:///etc/passwd"])
def test_an_address_that_is_not_http_is_a_usage_error_naming_the_variable(name, bad, api, monkeypatch, tmp_path):
    source = live.module(name)
    monkeypatch.setenv(source.BASE_URL_ENV, bad)
    api.expect_request(re.compile(".*")).respond_with_data("not here", status=404)
    with pytest.raises(UsageError, match=source.BASE_URL_ENV):
        live.pull_all(load_settings(env=os.environ))
    result = run_cli("brief", "--source", "live", "--out", str(tmp_path / "out"), "--formats", "md")
    assert result.exit_code == 2, result.output
    assert source.BASE_URL_ENV in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written, and no source pulled before the check
    assert not any(Path(os.environ["BRIEF_DATA_DIR"]).glob("*.sqlite3"))
    assert [request for request, _ in api.log] == []
