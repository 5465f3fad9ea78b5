"""Settings: defaults, then brief.toml, then BRIEF_* environment variables, then flags.

Unit tests of `load_settings(config, env, flags)`; line numbers in messages are counted by
hand from the TOML text written in each test (the first line is line 1).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from reports.errors import UsageError
from reports.settings import load_settings


def toml(tmp_path: Path, text: str, name: str = "brief.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rejected(config=None, env=None, flags=None) -> str:
    with pytest.raises(UsageError) as caught:
        load_settings(config, env or {}, flags or {})
    assert caught.value.exit_code == 2
    return str(caught.value)


def lines_named(message: str) -> list[int]:
    return [int(n) for n in re.findall(r"\bline (\d+)\b", message)]


# ---------------------------------------------------------------------------------------------
# the layers


def test_defaults():
    settings = load_settings(None, {}, {})
    assert settings.universe_size == 20
    assert settings.locale == "en_US"
    assert settings.formats == ("html", "pdf", "md", "json")
    assert settings.source == "bundled" and settings.data is None
    assert settings.out_dir == Path("out")
    assert settings.week_ending is None and settings.week_ends_on == "sunday"
    assert settings.exclude == () and settings.exclude_kinds == ("stablecoin", "derivative", "tokenized")


@pytest.mark.parametrize(
    "use_file, env, flags, expected",
    [
        pytest.param(False, {}, {}, 20, id="default"),
        pytest.param(True, {}, {}, 10, id="toml-over-default"),
        pytest.param(True, {"BRIEF_UNIVERSE_SIZE": "12"}, {}, 12, id="env-over-toml"),
        pytest.param(True, {"BRIEF_UNIVERSE_SIZE": "12"}, {"universe_size": 15}, 15, id="flag-over-env"),
        pytest.param(False, {"BRIEF_UNIVERSE_SIZE": "12"}, {}, 12, id="env-over-default"),
        pytest.param(True, {}, {"universe_size": 15}, 15, id="flag-over-toml"),
        # the CLI passes None for a flag that was not given: it must not hide the layers below
        pytest.param(True, {"BRIEF_UNIVERSE_SIZE": "12"}, {"universe_size": None}, 12, id="unset-flag-keeps-env"),
    ],
)
def test_each_layer_overrides_the_one_before(tmp_path, use_file, env, flags, expected):
    config = toml(tmp_path, "universe_size = 10\n") if use_file else None
    assert load_settings(config, env, flags).universe_size == expected


def test_locale_through_all_four_layers(tmp_path):
    config = toml(tmp_path, 'locale = "en_GB"\n')
    assert load_settings(None, {}, {}).locale == "en_US"
    assert load_settings(config, {}, {}).locale == "en_GB"
    assert load_settings(config, {"BRIEF_LOCALE": "de_DE"}, {}).locale == "de_DE"
    assert load_settings(config, {"BRIEF_LOCALE": "de_DE"}, {"locale": "fr_FR"}).locale == "fr_FR"


def test_layers_merge_key_by_key(tmp_path):
    """A later layer replaces only the keys it sets."""
    config = toml(tmp_path, 'universe_size = 10\nlocale = "en_GB"\nweek_ends_on = "friday"\n')
    settings = load_settings(config, {"BRIEF_LOCALE": "de_DE"}, {"week_ending": date(2026, 2, 6)})
    assert (settings.universe_size, settings.locale, settings.week_ends_on, settings.week_ending) == (
        10, "de_DE", "friday", date(2026, 2, 6))


@pytest.mark.parametrize(
    "value, expected",
    [("md,json", ("md", "json")), ("html, pdf", ("html", "pdf")), ("json,md,json", ("json", "md"))],
)
def test_formats_from_the_environment_as_a_comma_list(value, expected):
    assert load_settings(None, {"BRIEF_FORMATS": value}, {}).formats == expected


def test_formats_as_a_toml_list_and_env_overrides_it(tmp_path):
    config = toml(tmp_path, 'formats = ["html", "md"]\n')
    assert load_settings(config, {}, {}).formats == ("html", "md")
    assert load_settings(config, {"BRIEF_FORMATS": "json"}, {}).formats == ("json",)


def test_other_env_variables_are_read(tmp_path):
    settings = load_settings(None, {"BRIEF_OUT_DIR": "briefs", "BRIEF_EXCLUDE": "XMR, doge", "PATH": "/usr/bin"}, {})
    assert settings.out_dir == Path("briefs")
    assert settings.exclude == ("XMR", "doge")


# ---------------------------------------------------------------------------------------------
# errors name the key and where it was set


def test_an_unknown_key_in_toml_names_the_key_and_its_line(tmp_path):
    config = toml(tmp_path, (
        "# weekly brief settings\n"        # line 1
        'publication_name = "Chain Notes"\n'  # line 2
        "universe_size = 10\n"              # line 3
        "\n"                                # line 4
        'colour = "blue"\n'                 # line 5
        'locale = "en_GB"\n'                # line 6
    ))
    message = rejected(config)
    assert "'colour'" in message
    assert config.name in message
    assert lines_named(message) == [5], message


def test_an_unknown_table_in_toml_names_its_line(tmp_path):
    config = toml(tmp_path, 'universe_size = 10\n\n[output]\ndir = "briefs"\n')  # [output] is line 3
    message = rejected(config)
    assert "'output'" in message and config.name in message
    assert lines_named(message) == [3], message


def test_a_wrong_type_in_toml_names_the_key_the_file_and_the_line(tmp_path):
    config = toml(tmp_path, 'locale = "en_GB"\nuniverse_size = "twenty"\nformats = ["md"]\n')
    message = rejected(config)
    assert "'universe_size'" in message and "twenty" in message
    assert config.name in message
    assert lines_named(message) == [2], message


def test_the_line_named_is_the_keys_own_line_not_a_longer_key_with_the_same_prefix(tmp_path):
    """`exclude` must be found on its own line, not on the `exclude_kinds` line above it."""
    config = toml(tmp_path, (
        'exclude_kinds = ["stablecoin"]\n'  # line 1
        "universe_size = 10\n"              # line 2
        "exclude = 5\n"                     # line 3: the wrong type
    ))
    message = rejected(config)
    assert "'exclude'" in message
    assert lines_named(message) == [3], message


def test_a_wrong_type_in_the_environment_names_the_variable():
    message = rejected(env={"BRIEF_UNIVERSE_SIZE": "twenty"})
    assert "BRIEF_UNIVERSE_SIZE" in message and "'universe_size'" in message and "twenty" in message


def test_a_value_out_of_range_is_rejected(tmp_path):
    message = rejected(toml(tmp_path, "universe_size = 0\n"))
    assert "'universe_size'" in message and lines_named(message) == [1]


@pytest.mark.parametrize("layer", ["toml", "env", "flag"])
def test_an_unknown_locale_is_rejected(tmp_path, layer):
    config = toml(tmp_path, 'locale = "xx_YY"\n') if layer == "toml" else None
    env = {"BRIEF_LOCALE": "xx_YY"} if layer == "env" else {}
    flags = {"locale": "xx_YY"} if layer == "flag" else {}
    message = rejected(config, env, flags)
    assert "xx_YY" in message and "'locale'" in message
    if layer == "env":
        assert "BRIEF_LOCALE" in message
    if layer == "toml":
        assert config.name in message and lines_named(message) == [1]


def test_an_unknown_format_in_toml_is_rejected(tmp_path):
    message = rejected(toml(tmp_path, 'formats = ["html", "docx"]\n'))
    assert "docx" in message and "'formats'" in message


@pytest.mark.parametrize(
    "config_text, flags",
    [("", {"source": "csv"}), ('source = "csv"\n', {}), ("", {"source": "csv", "data": None})],
    ids=["flag", "toml", "flag-with-data-unset"],
)
def test_csv_source_without_a_data_file_is_rejected(tmp_path, config_text, flags):
    config = toml(tmp_path, config_text) if config_text else None
    message = rejected(config, {}, flags)
    assert "csv" in message and "--data" in message


def test_csv_source_with_a_data_file_is_accepted(tmp_path):
    settings = load_settings(None, {}, {"source": "csv", "data": tmp_path / "prices.csv"})
    assert settings.source == "csv" and settings.data == tmp_path / "prices.csv"


# ---------------------------------------------------------------------------------------------
# the file itself


def test_paths_in_toml_are_relative_to_the_toml_folder(tmp_path):
    config = toml(tmp_path, 'source = "csv"\ndata = "prices.csv"\nout_dir = "../briefs"\n', name="conf/brief.toml")
    settings = load_settings(config, {}, {})
    assert settings.data.resolve() == (tmp_path / "conf" / "prices.csv").resolve()
    assert settings.out_dir.resolve() == (tmp_path / "briefs").resolve()


def test_absolute_paths_in_toml_stay_absolute(tmp_path):
    data = tmp_path / "elsewhere" / "prices.csv"
    config = toml(tmp_path, f'source = "csv"\ndata = "{data.as_posix()}"\n', name="conf/brief.toml")
    assert load_settings(config, {}, {}).data == data


def test_paths_from_env_and_flags_are_not_moved_to_the_toml_folder(tmp_path):
    config = toml(tmp_path, 'out_dir = "briefs"\n', name="conf/brief.toml")
    assert load_settings(config, {"BRIEF_OUT_DIR": "reports_out"}, {}).out_dir == Path("reports_out")
    assert load_settings(config, {}, {"out_dir": Path("flag_out")}).out_dir == Path("flag_out")


def test_invalid_toml_is_reported_with_the_file_name_and_line(tmp_path):
    config = toml(tmp_path, 'locale = "en_GB"\nuniverse_size = \nformats = ["md"]\n')  # line 2 has no value
    message = rejected(config)
    assert str(config) in message and "TOML" in message
    assert 2 in lines_named(message), message


def test_a_missing_config_file_is_reported(tmp_path):
    message = rejected(tmp_path / "nope.toml")
    assert "nope.toml" in message and "--config" in message


# ---------------------------------------------------------------------------------------------
# through the CLI


def test_the_cli_exits_2_on_a_bad_config(tmp_path):
    config = toml(tmp_path, "universe_size = 10\nuniverse = 5\n")  # unknown key on line 2
    out = tmp_path / "out"
    result = run_cli("brief", "--config", str(config), "--out", str(out), "--formats", "json")
    assert result.exit_code == 2, result.output
    assert "'universe'" in result.stderr and config.name in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_the_cli_exits_2_on_a_bad_env_setting(tmp_path):
    out = tmp_path / "out"
    result = run_cli("brief", "--out", str(out), "--formats", "json", env={"BRIEF_UNIVERSE_SIZE": "twenty"})
    assert result.exit_code == 2, result.output
    assert "BRIEF_UNIVERSE_SIZE" in result.stderr
    assert not out.exists()


def test_a_misspelt_environment_setting_is_an_error_with_a_suggestion():
    with pytest.raises(UsageError) as caught:
        load_settings(None, {"BRIEF_UNIVERSE": "10"}, {})
    assert "BRIEF_UNIVERSE is not a setting" in str(caught.value)
    assert "Did you mean BRIEF_UNIVERSE_SIZE?" in str(caught.value)
    assert load_settings(None, {"BRIEF_DEBUG": "1", "PATH": "/bin"}, {}).universe_size == 20
