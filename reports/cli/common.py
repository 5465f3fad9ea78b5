"""What the commands share: the error-to-exit-code mapping (`runs`, the one command helper),
option callbacks, shared options, how a command gets its settings (and finds brief.toml), and how
much it prints (-q/-v: the level of the `reports` logger)."""

from __future__ import annotations

import functools
import inspect
import logging
import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from reports.core.errors import BriefError
from reports.core.progress import shown
from reports.core.settings import CONFIG_FILE, DEFAULT_BASE_URL, FORMATS, Settings, default_config_dir, load_settings
from reports.core.values import local_address

DEBUG_ENV = "BRIEF_DEBUG"
LOG = logging.getLogger("reports")


def runs(body: Callable[..., None]) -> Callable[..., None]:
    """Make `body` a command's callback: it runs under `_run` (what it raises becomes a message and
    an exit code) and the command gets --debug, last among its options. `body` is called with the
    command's parameters; if it names them, also with `ctx` (the click context), `debug` (--debug
    here or on the group, or BRIEF_DEBUG) and `written` (a list to append each brief folder to as
    it is done, so that an error says what is kept). Put it right above the function, below the
    click decorators."""
    wanted = [name for name in ("ctx", "debug", "written") if name in inspect.signature(body).parameters]

    @debug_option
    @click.pass_context
    @functools.wraps(body)
    def callback(ctx: click.Context, debug_here: bool = False, **params: Any) -> None:
        debug = debug_flag(ctx, debug_here)
        written: list[Path] | None = [] if "written" in wanted else None
        given = {"ctx": ctx, "debug": debug, "written": written}
        _run(functools.partial(body, **params, **{name: given[name] for name in wanted}), debug, written)

    return callback


def _run(action: Callable[[], None], debug: bool, written: list[Path] | None = None) -> None:
    """Run a command's action and map what it raises to a message and an exit code. A command that
    writes folders one by one passes `written` and appends each as it is done, so an error says
    what is kept; a command that passes nothing makes no claim about what was written."""
    try:
        action()
    except BrokenPipeError:
        raise  # the reader of stdout went away: not an error of ours, the entry point ends quietly (main.run)
    except BriefError as error:
        click.echo(f"error: {error}" + (f" {_kept(written)}" if written else ""), err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted" + (f": {_kept(written)}" if written is not None else ""), err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so briefly, point at --debug
        if debug:
            traceback.print_exc()
        else:
            kept = f"{_kept(written)} " if written is not None else ""
            click.echo(f"unexpected error: {type(error).__name__}: {error}\n"
                       f"{kept}Run again with --debug for the traceback, and report it.", err=True)
        sys.exit(1)


def _kept(written: list[Path]) -> str:
    if not written:
        return "Nothing was written."
    if len(written) == 1:
        return f"The brief written before this is kept ({written[0]}); nothing else was written."
    return f"The {len(written)} briefs written before this are kept (the last: {written[-1]}); nothing else was written."


def _week(ctx, param, value: str | None):
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form, for example 2026-02-06.") from None


def _formats(ctx, param, value: str | None):
    if value is None:
        return None
    chosen = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"{', '.join(unknown) or 'nothing'} is not a format; choose from {', '.join(FORMATS)}.")
    return chosen


def debug_flag(ctx: click.Context, debug_here: bool) -> bool:
    """--debug on the group or the subcommand, or BRIEF_DEBUG in the environment."""
    return debug_here or (ctx.obj or {}).get("debug", False) or bool(os.environ.get(DEBUG_ENV))


def settings_from(config: Path | None, flags: dict) -> Settings:
    """Settings for a subcommand: defaults < brief.toml (--config, else found) < BRIEF_* environment < flags."""
    return load_settings(find_config(config), os.environ, flags)


def find_config(given: Path | None) -> Path | None:
    """The settings file: --config when given, else ./brief.toml, else brief.toml in the user's config
    directory ($XDG_CONFIG_HOME/crypto-weekly-brief/), else none. -v names the one used."""
    if given is not None:
        LOG.debug("settings file: %s (--config)", given)
        return given
    for folder, where in ((Path.cwd(), "the working directory"), (default_config_dir(), "the user config directory")):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            LOG.debug("settings file: %s (found in %s)", candidate, where)
            return candidate
    LOG.debug("settings file: none (no %s in %s or %s); defaults, BRIEF_* and flags only",
              CONFIG_FILE, Path.cwd(), default_config_dir())
    return None


def base_url_problem(settings: Settings) -> str | None:
    """What is wrong with publishing for base_url, or None: an address on this machine (the default
    http://localhost:8000/) makes every feed, canonical URL and social card point where no reader can go."""
    if not local_address(settings.base_url):
        return None
    default = " (the default)" if settings.base_url == DEFAULT_BASE_URL else ""
    return (f"the base_url setting is {settings.base_url}{default}, so feeds, canonical URLs and social cards "
            "point at this machine. Set base_url in brief.toml or BRIEF_BASE_URL (or pass site --base-url) to the "
            "site's public address.")


def warn_about_base_url(settings: Settings) -> None:
    problem = base_url_problem(settings)
    if problem is not None:
        LOG.warning(problem)


def say(line: str) -> None:
    """A command's report of what it did (stdout), left out under -q (only errors)."""
    if shown():
        click.echo(line)


class _Echo(logging.Handler):
    """Log records as lines on stderr through click (so a test's CliRunner captures them): `warning: ...`."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            prefix = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
            click.echo(prefix + record.getMessage(), err=True)
        except BrokenPipeError:
            raise
        except Exception:
            self.handleError(record)


def use_verbosity(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """-q: errors only (no warnings, progress or reports); -v: debug lines too; neither: warnings.
    Set on the `reports` logger for this command, and put back as it was when the command ends."""
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose ask for opposite things: give one of them.")
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING
    handler = _Echo(level)
    before = LOG.level
    LOG.addHandler(handler)
    LOG.setLevel(level)

    def restore() -> None:
        LOG.removeHandler(handler)
        LOG.setLevel(before)

    ctx.call_on_close(restore)


config_option = click.option(
    "--config", type=click.Path(path_type=Path),
    help="A brief.toml settings file. Order of precedence: defaults, this file, BRIEF_* environment "
         "variables, then these flags.")
debug_option = click.option("--debug", "debug_here", is_flag=True,
                            help="Show the full traceback of an unexpected error.")
data_dir_option = click.option(
    "--data-dir", type=click.Path(path_type=Path),
    help="Where the market-data store and the subscriber database live (BRIEF_DATA_DIR). "
         "Default: the user's cache directory.")


def _mail_settings(config, data_dir) -> Settings:
    return settings_from(config, {"data_dir": data_dir})
