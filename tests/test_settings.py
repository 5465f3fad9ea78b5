"""Settings: defaults, then brief.toml, then BRIEF_* environment variables, then flags.

Unit tests of `load_settings(config, env, flags)`; line numbers in messages are counted by
hand from the TOML text written in each test (the first line is line 1).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from reports.core.errors import UsageError
from reports.core.settings import load_settings


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


# ---------------------------------------------------------------------------------------------
# values that reach mail headers, links, waits and sockets (issue 12): checked where they enter

FLOAT_BOUNDS = {"coingecko_rate_limit": 1_000_000, "coingecko_backoff": 60, "smtp_timeout": 600,
                "rate_per_second": 10_000, "rate_per_hour": 36_000_000, "retry_backoff": 300}


def test_every_float_setting_has_a_bound():
    from reports.core.settings import Settings

    floats = {name for name, field in Settings.model_fields.items() if field.annotation is float}
    assert floats == set(FLOAT_BOUNDS)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
@pytest.mark.parametrize("key", sorted(FLOAT_BOUNDS))
def test_a_float_setting_must_be_finite(tmp_path, key, value):
    """`coingecko_backoff = inf` made every retry wait the client's 120 s cap."""
    config = toml(tmp_path, f'publication_name = "Brief"\n{key} = {value}\n')
    message = rejected(config)
    assert f"{config}, line 2" in message and repr(key) in message and "finite" in message


@pytest.mark.parametrize("key", sorted(FLOAT_BOUNDS))
def test_a_float_setting_is_bounded_and_its_help_says_so(key):
    from reports.core.settings import Settings

    bound = FLOAT_BOUNDS[key]
    assert load_settings(None, {}, {key: bound}).model_dump()[key] == bound
    message = rejected(env={f"BRIEF_{key.upper()}": str(bound * 1.5)})
    assert f"BRIEF_{key.upper()}" in message and repr(key) in message and "less than or equal" in message
    assert f"{bound:,}" in Settings.model_fields[key].description


@pytest.mark.parametrize("key, value",
                         [("coingecko_rate_limit", 0.5), ("rate_per_second", 1e-9), ("rate_per_hour", 0.5)])
def test_a_rate_is_not_so_small_that_one_call_waits_for_days(key, value):
    message = rejected(flags={key: value})
    assert repr(key) in message and ("at least" in message or "greater than or equal to 1" in message)
    assert load_settings(None, {}, {key: 0 if key != "coingecko_rate_limit" else 1}).model_dump()[key] in (0, 1)


HOSTILE_SETTINGS = [
    ("unsubscribe_mailto", "u@example.com>, <mailto:evil@evil.example"),  # a second mailto in List-Unsubscribe
    ("unsubscribe_mailto", "Unsubscribe <u@example.com>"),  # a name: not a bare address
    ("unsubscribe_mailto", "<u@example.com>"),
    ("unsubscribe_mailto", "not-an-address"),
    ("mail_from", "a@example.com, b@example.com"),
    ("mail_from", "Brief <brief@example.com>\nBcc: x@example.com"),
    ("mail_from", "Brief brief@example.com"),
    ("mail_from", "Jörg <jörg@example.com>"),  # a non-ASCII local part, which the mail library cannot send
    ("reply_to", "replies@example.com\r\nBcc: x@example.com"),
    ("reply_to", "replies@"),
    ("reply_to", "x <y@example.com> extra"),
    ("unsubscribe_url", "javascript:alert(1)"),
    ("unsubscribe_url", "ftp://example.com/u"),
    ("unsubscribe_url", "https://example.com/u?t=\r\nBcc: x@example.com"),
    ("unsubscribe_url", "https://example.com/u\t"),
    ("unsubscribe_url", "https://example.com/un subscribe"),
    ("unsubscribe_url", "https://example.com:99999/u"),
    ("unsubscribe_url", "https:///u"),
    ("base_url", "https://brief.example.com/\n"),
    ("base_url", "file:///etc/"),
    ("base_url", "https://brief.example.com/?a=1"),
    ("smtp_host", "mail.example.com\r\nRCPT TO:<x@example.com>"),
    ("smtp_host", "mail example.com"),
    ("publication_name", "Brief\r\nBcc: x@example.com"),
    ("tagline", "one\nline"),
    ("smtp_user", "user\n"),
]


@pytest.mark.parametrize("key, value", HOSTILE_SETTINGS,
                         ids=[f"{key}-{n}" for n, (key, _) in enumerate(HOSTILE_SETTINGS)])
def test_a_hostile_text_setting_is_refused_naming_it_and_where_it_was_set(tmp_path, key, value):
    config = toml(tmp_path, f'locale = "en_US"\n{key} = {json.dumps(value)}\n')
    message = rejected(config)
    assert f"{config}, line 2" in message and f"setting {key!r} is invalid" in message
    message = rejected(env={f"BRIEF_{key.upper()}": value})
    assert f"environment variable BRIEF_{key.upper()}" in message


@pytest.mark.parametrize(
    "key, value",
    [("mail_from", "The Weekly Crypto Brief <brief@localhost.localdomain>"), ("mail_from", "brief@example.com"),
     ("mail_from", '"Doe, Jane" <jane@example.com>'), ("mail_from", "Zoë Brief <brief@example.com>"),
     ("reply_to", "<replies@example.com>"), ("unsubscribe_mailto", "unsubscribe+brief@example.com"),
     ("unsubscribe_mailto", "a&b=c@example.com"),  # valid; the mail code percent-encodes it in the mailto: link
     ("mail_from", '"=?utf-8?b?QmNjOiB4QHkuY29t?=" <brief@example.com>'),  # a name, sent as the text it is
     ("unsubscribe_url", "https://example.com/unsubscribe?token="), ("unsubscribe_url", "http://127.0.0.1:8080/u/"),
     ("base_url", "https://brief.example.com/news"), ("smtp_host", "::1"), ("smtp_host", "smtp.example.com")],
)
def test_ordinary_addresses_and_urls_are_accepted(key, value):
    assert getattr(load_settings(None, {}, {key: value}), key) in (value, value + "/")


def test_a_settings_file_with_a_byte_order_mark_is_read(tmp_path):
    config = tmp_path / "brief.toml"
    config.write_bytes('\ufeffpublication_name = "Café"\n'.encode())
    assert load_settings(config, {}, {}).publication_name == "Café"


def test_a_settings_file_that_is_not_utf8_names_its_line(tmp_path):
    config = tmp_path / "brief.toml"
    config.write_bytes(b'locale = "en_US"\n\npublication_name = "Caf\xe9"\n')
    message = rejected(config)
    assert f"{config}, line 3" in message and "not UTF-8" in message and "0xe9" in message
