"""Settings: defaults, then `brief.toml`, then `BRIEF_*` environment variables, then flags.

Each layer overrides the one before. The result is validated once, on load: an unknown
key or a value of the wrong type is an error that names the key and where it was set.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from reports.core.errors import UsageError
from reports.core.events import EventEntry
from reports.core.values import bare_address, http_url, mailbox, one_line


Format = Literal["html", "pdf", "md", "json"]
Kind = Literal["stablecoin", "derivative", "tokenized"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
FORMATS: tuple[Format, ...] = get_args(Format)
LEAST_RATES = {"rate_per_second": 0.01, "rate_per_hour": 1.0}
ENV_PREFIX = "BRIEF_"
OTHER_ENV = {"BRIEF_DEBUG"}  # read by the CLI, not a setting
CONFIG_FILE = "brief.toml"
DEFAULT_BASE_URL = "http://localhost:8000/"


def default_data_dir() -> Path:
    """The user's cache directory for this tool (platformdirs knows each OS's convention)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crypto-weekly-brief", appauthor=False))


def default_mail_dir() -> Path:
    """The user's data directory for this tool: the subscriber list and send ledger are kept, not cached."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("crypto-weekly-brief", appauthor=False))


def default_config_dir() -> Path:
    """The user's config directory for this tool ($XDG_CONFIG_HOME/crypto-weekly-brief on Linux): where a
    brief.toml is looked for after the working directory."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("crypto-weekly-brief", appauthor=False))


class Settings(BaseModel):
    """Everything a build can be told. Field descriptions double as the `--help` text."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)  # every number finite

    publication_name: str = Field("The Weekly Crypto Brief", min_length=1, description="Name printed on every brief.")
    tagline: str = Field("What moved the crypto market this week, from the data.", description="Line under the name.")
    source: Literal["bundled", "csv", "coingecko", "live"] = Field("bundled", description="Where market data comes from.")
    data: Path | None = Field(None, description="The CSV file to read when source is csv.")
    week_ending: date | None = Field(None, description="Last day of the week; default: latest complete week.")
    week_ends_on: Weekday = Field("sunday", description="Weekday a week ends on, for the default week.")
    publish_day: Weekday = Field(
        "monday", description="Weekday a brief is published: the first one after its week ends (its date).")
    publish_time: str = Field("06:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
                              description="Time of day, UTC (HH:MM), a brief is published on publish_day.")
    universe_size: int = Field(20, ge=1, le=100, description="How many assets, by rank, the brief covers.")
    exclude: tuple[str, ...] = Field((), description="Assets (id or symbol) left out of the universe.")
    exclude_kinds: tuple[Kind, ...] = Field(
        ("stablecoin", "derivative", "tokenized"), description="Kinds of token left out of the universe and movers."
    )
    out_dir: Path = Field(Path("out"), description="Directory the week's folder is written into.")
    formats: tuple[Format, ...] = Field(FORMATS, min_length=1, description="Which outputs to write.")
    locale: str = Field("en_US", description="Locale for numbers and dates (Babel), e.g. en_GB or de_DE.")
    data_dir: Path = Field(
        default_factory=lambda: default_data_dir(),
        description="Where the market-data store and the subscriber/send database live (BRIEF_DATA_DIR).",
    )
    offline: bool = Field(False, description="With source coingecko: build from the store without calling the API.")
    allow_stale: bool = Field(False, description="Build from a store older than the requested week, and say so.")
    coingecko_top: int = Field(50, ge=1, le=250, description="How many coins, by market cap, the store keeps current.")
    coingecko_rate_limit: float = Field(
        30.0, ge=1, le=1_000_000,
        description="Most CoinGecko calls a minute, 1 to 1,000,000 (the free tier allows about 30).")
    coingecko_backfill_days: int = Field(365, ge=8, le=5000, description="Days of history fetched for a coin seen the first time.")
    coingecko_backoff: float = Field(
        1.0, ge=0, le=60, description="Seconds before the first retry of a failed call, 0 to 60; doubles each retry.")
    site_dir: Path = Field(Path("site"), description="Directory the static web site is published to.")
    base_url: str = Field(
        DEFAULT_BASE_URL,
        description="Public address of the site, for canonical URLs, feeds, the sitemap and social cards.",
    )
    front_matter: Literal["hugo", "pelican", "jekyll", "plain"] = Field(
        "hugo", description="Front matter of brief.md: hugo (YAML: date, lastmod, tags, images; also read by "
                            "Jekyll, Eleventy, Astro, MkDocs Material), pelican, jekyll, or plain (this tool's keys).")
    events_file: Path | None = Field(
        None, description="A CSV of scheduled events for What to Watch: date,end,title,url,assets (date and title "
                          "required; see README).")
    events: tuple[EventEntry, ...] = Field(
        (), description="Scheduled events for What to Watch, as [[events]] tables (date, end, title, url, assets).")
    notes: Path | None = Field(
        None, description="The editor's notes for the brief: a Markdown file (From the desk, Reactions & Quotes, "
                          "Unconfirmed; see README).")
    templates_dir: Path | None = Field(
        None, description="A folder of site template and asset overrides (branding, footer, analytics snippet)."
    )

    # Email (issue 6). The SMTP password is not a setting: it is read from SMTP_PASSWORD at send time.
    mail_from: str = Field("The Weekly Crypto Brief <brief@localhost.localdomain>",
                           description="From header of the emailed brief (MAIL_FROM): one address, optionally "
                                       "with a name, 'Name <brief@example.com>'.")
    reply_to: str | None = Field(None, description="Reply-To header, one address like mail_from; "
                                                   "default: none (replies go to From).")
    smtp_host: str = Field("localhost", min_length=1,
                           description="SMTP server to send through (SMTP_HOST): a host name or IP address.")
    smtp_port: int | None = Field(None, ge=1, le=65535,
                                  description="SMTP port (SMTP_PORT); default 25, 587 with starttls, 465 with tls.")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        "starttls", description="Connection security (SMTP_SECURITY): none, starttls or tls.")
    smtp_user: str | None = Field(None, description="SMTP login (SMTP_USER); the password comes from SMTP_PASSWORD.")
    smtp_timeout: float = Field(30.0, gt=0, le=600,
                                description="Seconds to wait for the SMTP server before giving up (at most 600).")
    attach_pdf: bool = Field(True, description="Attach brief.pdf to the email.")
    unsubscribe_url: str = Field("https://localhost.localdomain/unsubscribe",
                                 description="Base of the one-click unsubscribe link, an http(s) address; the "
                                             "subscriber's token is appended. Default: subscribe_url's "
                                             "/unsubscribe when subscribe_url is set.")
    unsubscribe_mailto: str | None = Field(
        None, description="Address for mailto unsubscribes, a bare address such as unsubscribe@example.com; "
                          "default: the From address.")
    postal_address: str | None = Field(
        None, description="The sender's postal address, printed in every email's footer (CAN-SPAM); `send` "
                          "refuses to mail a campaign without it.")
    mail_dir: Path | None = Field(
        None, description="Where the subscriber list and send ledger live (BRIEF_MAIL_DIR); default: data_dir "
                          "when it is set, else the user's data directory.")
    images: Literal["hosted", "embedded"] | None = Field(
        None, description="Charts in the email: hosted (linked from the published site at base_url) or embedded "
                          "(attached to each message); default hosted when base_url is set.")
    subscribe_url: str | None = Field(
        None, description="Address of the subscription service (serve-subscriptions), for sign-up forms.")
    send_concurrency: int = Field(4, ge=1, le=64, description="SMTP connections sending at once.")
    rate_per_second: float = Field(0, ge=0, le=10_000,
                                   description="At most this many messages a second, 0.01 to 10,000 (0: no limit).")
    rate_per_hour: float = Field(0, ge=0, le=36_000_000,
                                 description="At most this many messages an hour, 1 to 36,000,000 (0: no limit).")
    max_attempts: int = Field(4, ge=1, le=20, description="Tries per message when the server answers 4xx (temporary).")
    retry_backoff: float = Field(
        1.0, ge=0, le=300, description="Seconds before the first retry after a 4xx, 0 to 300; doubles each time.")
    max_consecutive_failures: int = Field(
        50, ge=1, description="Stop the campaign after this many messages in a row fail.")
    jobs: int | None = Field(None, ge=1, le=256, description="Worker processes for a backfill; default: one per core.")
    scheduler: str | None = Field(
        None, pattern=r"^(tcp|tls)://", description="Dask scheduler address (tcp://HOST:PORT) to run a backfill on."
    )

    @field_validator("publication_name", "tagline", "smtp_user", "scheduler")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else one_line(value)

    @field_validator("rate_per_second", "rate_per_hour")
    @classmethod
    def _rate(cls, value: float, info: ValidationInfo) -> float:
        """A rate just above 0 would space messages days apart: below the least, only 0 (no limit)."""
        least = LEAST_RATES[info.field_name or ""]
        if 0 < value < least:
            raise ValueError(f"a limit must be at least {least} (or 0 for no limit)")
        return value

    @field_validator("base_url")
    @classmethod
    def _site_address(cls, value: str) -> str:
        value = http_url(value)
        if urlsplit(value).query:
            raise ValueError("it has a query (?...): give the site's address only")
        return value if value.endswith("/") else value + "/"

    @field_validator("unsubscribe_url")
    @classmethod
    def _unsubscribe_address(cls, value: str) -> str:
        return http_url(value)

    @field_validator("subscribe_url")
    @classmethod
    def _subscribe_address(cls, value: str | None) -> str | None:
        return None if value is None else http_url(value)

    @field_validator("postal_address")
    @classmethod
    def _postal(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else one_line(value).strip()

    @field_validator("mail_from", "reply_to")
    @classmethod
    def _mailbox(cls, value: str | None) -> str | None:
        return None if value is None else mailbox(value)

    @field_validator("unsubscribe_mailto")
    @classmethod
    def _bare_address(cls, value: str | None) -> str | None:
        return None if value is None else bare_address(value)

    @field_validator("smtp_host")
    @classmethod
    def _host(cls, value: str) -> str:
        if any(character.isspace() for character in one_line(value)):
            raise ValueError("it has a space in it: give a host name or IP address only")
        return value

    @field_validator("exclude", "exclude_kinds", "formats", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("formats")
    @classmethod
    def _unique_in_order(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"{value!r} is not a locale Babel knows (try en_US, en_GB, de_DE)") from None
        return value

    @model_validator(mode="after")
    def _csv_needs_a_file(self) -> Settings:
        if self.source == "csv" and self.data is None:
            raise ValueError("source is csv but no data file is set: pass --data FILE")
        return self


FIELDS = tuple(Settings.model_fields)
PATH_FIELDS = ("data", "out_dir", "data_dir", "site_dir", "templates_dir", "mail_dir", "events_file", "notes")
# SMTP settings also answer to the names mail tools use; SMTP_PASSWORD is deliberately not here.
MAIL_ENV = {"SMTP_HOST": "smtp_host", "SMTP_PORT": "smtp_port", "SMTP_SECURITY": "smtp_security",
            "SMTP_USER": "smtp_user", "MAIL_FROM": "mail_from"}


def load_settings(
    config: Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge the layers in order and validate the result once."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    layers = [_file_layer(config), _env_layer(env or {}), ({k: v for k, v in (flags or {}).items() if v is not None}, {})]
    for layer, where in layers:
        for key, value in layer.items():
            values[key] = value
            origins[key] = where.get(key, "the command line")
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        raise UsageError(_explain(error, origins)) from None


def _file_layer(config: Path | None) -> tuple[dict[str, Any], dict[str, str]]:
    if config is None:
        return {}, {}
    try:
        raw = config.read_bytes()
    except OSError as error:
        raise UsageError(f"{config}: cannot read the settings file ({error.strerror}). Check the --config path.") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is not an error
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UsageError(f"{config}, line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x}). "
                         "Save the file as UTF-8.") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{config}: not valid TOML ({error}). Fix the syntax; see README for an example.") from None
    lines = text.splitlines()
    where = {key: f"{config}, line {_line_of(lines, key)}" for key in table}
    for key in PATH_FIELDS:
        if isinstance(table.get(key), str):
            table[key] = str(config.parent / table[key])
    return table, where


def _line_of(lines: list[str], key: str) -> int:
    """The line where `key` is set (`key = ...`, `"key" = ...`) or opens a table (`[key]`, `[[key]]`)."""
    pattern = re.compile(rf'^\s*(?:{re.escape(key)}|"{re.escape(key)}"|\'{re.escape(key)}\')\s*=|^\s*\[\[?\s*{re.escape(key)}\s*\]')
    return next((number for number, line in enumerate(lines, start=1) if pattern.match(line)), 1)


def _env_layer(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    known = {ENV_PREFIX + key.upper() for key in FIELDS} | OTHER_ENV
    for name in sorted(env):
        if name.startswith(ENV_PREFIX) and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" Did you mean {close[0]}?" if close else f" Settings from the environment are {', '.join(sorted(known))}."
            raise UsageError(f"environment variable {name} is not a setting.{hint}")
    values, where = {}, {}
    for key in FIELDS:
        name = ENV_PREFIX + key.upper()
        if name in env:
            values[key] = env[name]
            where[key] = f"environment variable {name}"
    for name, key in MAIL_ENV.items():  # the conventional names; a BRIEF_* twin wins
        if name in env and key not in values:
            values[key] = env[name]
            where[key] = f"environment variable {name}"
    return values, where


def _explain(error: ValidationError, origins: Mapping[str, str]) -> str:
    first = error.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else ""
    where = origins.get(key, "settings")
    if first["type"] == "extra_forbidden":
        return f"{where}: unknown setting {key!r}. Known settings: {', '.join(FIELDS)}."
    message = first["msg"].removeprefix("Value error, ")
    if key:
        item = "".join(f" item {part + 1}" if isinstance(part, int) else f", {part}" for part in first["loc"][1:])
        return f"{where}: setting {key!r}{item} is invalid: {message} (got {first.get('input')!r})."
    return f"settings: {message}."
