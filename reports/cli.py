"""Command line: `python build.py` builds the latest complete week; `brief` takes options.

Exit codes: 0 ok; 2 bad input, arguments or settings; 1 anything unexpected (a short
message, and the traceback only with --debug).
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

import click

from .errors import BriefError
from .settings import FORMATS, Settings, load_settings

DEBUG_ENV = "BRIEF_DEBUG"


def _run(action, debug: bool) -> None:
    try:
        action()
    except BriefError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was written", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so briefly, point at --debug
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"unexpected error: {type(error).__name__}: {error}\n"
                "Nothing was written. Run again with --debug for the traceback, and report it.",
                err=True,
            )
        sys.exit(1)


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


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build a weekly crypto market brief (HTML, PDF, Markdown, JSON) from market data.

    With no command, builds the latest complete week of the bundled data into out/.
    """
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:
        ctx.invoke(brief)


def debug_flag(ctx: click.Context, debug_here: bool) -> bool:
    """--debug on the group or the subcommand, or BRIEF_DEBUG in the environment."""
    return debug_here or (ctx.obj or {}).get("debug", False) or bool(os.environ.get(DEBUG_ENV))


def settings_from(config: Path | None, flags: dict) -> Settings:
    """Settings for a subcommand: defaults < --config file < BRIEF_* environment < flags."""
    return load_settings(config, os.environ, flags)


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


@main.command()
@click.option("--week-ending", callback=_week, metavar="YYYY-MM-DD",
              help="Last day of the week (the week is that day and the six before it). "
                   "Default: the latest complete week ending on the configured weekday (Sunday).")
@click.option("--source", type=click.Choice(["bundled", "csv"]),
              help="Where the market data comes from: the dataset shipped with the package (default) or a CSV file.")
@click.option("--data", type=click.Path(path_type=Path),
              help="With --source csv: a long-format CSV, one row per UTC day and asset, columns "
                   "date,asset,close (required) and symbol,name,rank,market_cap,volume (optional).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Output directory; the brief goes to OUT/<week-ending>/. Default: out.")
@click.option("--formats", callback=_formats, metavar="LIST",
              help="Comma-separated subset of html,pdf,md,json. Default: all four.")
@click.option("--locale", help="Locale for numbers and dates, e.g. en_US (default), en_GB, de_DE.")
@config_option
@debug_option
@click.pass_context
def brief(ctx: click.Context, week_ending=None, source=None, data=None, out_dir=None, formats=None, locale=None,
          config=None, debug_here=False) -> None:
    """Build one weekly brief into OUT/<week-ending>/ (brief.html, .pdf, .md, .json and charts/)."""
    debug = debug_flag(ctx, debug_here)

    def action() -> None:
        from .pipeline import build_brief

        flags = {"week_ending": week_ending, "source": source, "data": data, "out_dir": out_dir,
                 "formats": formats, "locale": locale}
        if data is not None and source is None:
            flags["source"] = "csv"
        settings = settings_from(config, flags)
        result = build_brief(settings)
        click.echo(f"{result.folder}: {result.story.headline.text}")

    _run(action, debug)


@main.command("check")
@click.argument("brief_json", type=click.Path(path_type=Path))
@debug_option
@click.pass_context
def check_command(ctx: click.Context, brief_json: Path, debug_here=False) -> None:
    """Fact-check a built brief: every figure, direction word and superlative in OUT/<week>/brief.json
    against the facts it cites. Exit 0 when clean, 2 listing each failure."""
    debug = debug_flag(ctx, debug_here)

    def action() -> None:
        from .check import check_file, failures_text, summary

        report = check_file(brief_json)
        if not report.ok:
            click.echo(failures_text(brief_json, report.failures))
            sys.exit(2)
        click.echo(summary(brief_json, report))

    _run(action, debug)


if __name__ == "__main__":
    main()
