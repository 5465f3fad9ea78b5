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

from reports.core.errors import BriefError
from reports.core.settings import FORMATS, Settings, load_settings

DEBUG_ENV = "BRIEF_DEBUG"


def _run(action, debug: bool, written: list[Path] | None = None) -> None:
    """Run a command's action and map what it raises to a message and an exit code. A command that
    writes folders one by one passes `written` and appends each as it is done, so an error says
    what is kept; a command that passes nothing makes no claim about what was written."""
    try:
        action()
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


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build a weekly crypto market brief (HTML, PDF, Markdown, JSON) from market data.

    With no command, builds the latest complete week of the bundled data into out/.
    """
    ctx.obj = {**(ctx.obj or {}), "debug": debug}
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
@click.option("--source", type=click.Choice(["bundled", "csv", "coingecko"]),
              help="Where the market data comes from: the dataset shipped with the package (default), a CSV file, "
                   "or CoinGecko (pulls what is new into the local store, then builds from the store).")
@click.option("--data", type=click.Path(path_type=Path),
              help="With --source csv: a long-format CSV, one row per UTC day and asset, columns "
                   "date,asset,close (required) and symbol,name,rank,market_cap,volume (optional).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Output directory; the brief goes to OUT/<week-ending>/. Default: out.")
@click.option("--formats", callback=_formats, metavar="LIST",
              help="Comma-separated subset of html,pdf,md,json. Default: all four.")
@click.option("--locale", help="Locale for numbers and dates, e.g. en_US (default), en_GB, de_DE.")
@click.option("--offline", is_flag=True, default=None,
              help="Build from the local CoinGecko store without calling the API (implies --source coingecko).")
@click.option("--allow-stale", is_flag=True, default=None,
              help="Build even if the CoinGecko store ends before the requested week; the brief says so "
                   "(implies --source coingecko).")
@data_dir_option
@click.option("--asset", metavar="ID",
              help="Build this asset's brief instead of the market brief (id, symbol or name: bitcoin, eth), "
                   "into OUT/assets/<asset-id>/<week-ending>/.")
@click.option("--assets", "asset_spec", metavar="SPEC",
              help="Build several assets' briefs: comma-separated ids or symbols, or topN (top10: the N largest "
                   "by rank on the data's last day, without excluded kinds such as stablecoins).")
@config_option
@debug_option
@click.pass_context
def brief(ctx: click.Context, week_ending=None, source=None, data=None, out_dir=None, formats=None, locale=None,
          offline=None, allow_stale=None, data_dir=None, asset=None, asset_spec=None, config=None,
          debug_here=False) -> None:
    """Build one weekly brief into OUT/<week-ending>/ (brief.html, .pdf, .md, .json and charts/)."""
    debug = debug_flag(ctx, debug_here)
    written: list[Path] = []

    def action() -> None:
        flags = {"week_ending": week_ending, "source": source, "data": data, "out_dir": out_dir,
                 "formats": formats, "locale": locale, "offline": offline or None, "allow_stale": allow_stale or None,
                 "data_dir": data_dir}
        if data is not None and source is None:
            flags["source"] = "csv"
        if (offline or allow_stale) and source is None:
            flags["source"] = "coingecko"
        settings = settings_from(config, flags)
        if (ctx.obj or {}).get("process"):
            _use_both_cores(settings)
        from reports.build.pipeline import build_brief

        if asset or asset_spec:
            return _asset_briefs(settings, ",".join(spec for spec in (asset, asset_spec) if spec), written)
        result = build_brief(settings)
        written.append(result.folder)
        click.echo(f"{result.folder}: {result.story.headline.text}")

    _run(action, debug, written)


def _use_both_cores(settings: Settings) -> None:
    """A single cold build: WeasyPrint loads in a second process while this one imports pandas and
    makes the facts (so it starts first), and half the charts are drawn in a forked child."""
    if "pdf" in settings.formats:
        from reports.render.pdf import start_print_worker

        start_print_worker()
    from reports.charts.canvas import use_second_core

    use_second_core()


def _asset_briefs(settings: Settings, spec: str, written: list[Path]) -> None:
    """`brief --asset/--assets`: one line per asset brief written, each added to `written`."""
    from reports.build.assets import build_asset_briefs

    for result in build_asset_briefs(settings, spec):
        written.append(result.folder)
        click.echo(f"{result.folder}: {result.story.headline.text}")


@main.command()
@data_dir_option
@config_option
@debug_option
@click.pass_context
def fetch(ctx: click.Context, data_dir=None, config=None, debug_here=False) -> None:
    """Pull what is new from CoinGecko into the local market-data store, without building a brief.

    Key: COINGECKO_API_KEY (optional), COINGECKO_PLAN=demo|pro, COINGECKO_BASE_URL to use a mirror.
    """

    def action() -> None:
        from reports.data.sources.coingecko.pull import pull, summary

        click.echo(summary(pull(settings_from(config, {"data_dir": data_dir}))))

    _run(action, debug_flag(ctx, debug_here))


@main.command()
@click.option("--out", "site_dir", type=click.Path(path_type=Path), metavar="SITE_DIR",
              help="Where the site is published (replaced atomically). Default: site.")
@click.option("--briefs", "out_dir", type=click.Path(path_type=Path), metavar="OUT_DIR",
              help="The folder of built briefs, OUT/<week-ending>/ (the brief command's --out). Default: out.")
@click.option("--base-url", metavar="URL",
              help="The site's public address, for canonical URLs, feeds, sitemap and social cards "
                   "(BRIEF_BASE_URL). Default: http://localhost:8000/.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="A folder of overrides: NAME.html.j2 replaces templates/site/NAME.html.j2, assets/... "
                   "replaces or adds site assets, static/... is copied to the site root.")
@click.option("--build-missing", is_flag=True,
              help="First build, through the pipeline, every week of the data that has no brief in OUT_DIR.")
@click.option("--formats", callback=_formats, metavar="LIST",
              help="With --build-missing: the formats to build (json is always added). Default: all four.")
@config_option
@data_dir_option
@debug_option
@click.pass_context
def site(ctx: click.Context, site_dir=None, out_dir=None, base_url=None, templates_dir=None, build_missing=False,
         formats=None, config=None, data_dir=None, debug_here=False) -> None:
    """Publish the built briefs as a static web site: pages, archive, feeds, sitemap."""
    debug = debug_flag(ctx, debug_here)

    def action() -> None:
        from reports.publish.site.backfill import build_missing as backfill
        from reports.publish.site.build import build_site

        settings = settings_from(config, {"site_dir": site_dir, "out_dir": out_dir, "base_url": base_url,
                                          "templates_dir": templates_dir, "formats": formats, "data_dir": data_dir})
        if build_missing:
            backfill(settings, settings.out_dir, report=lambda line: click.echo(line, err=True))
        result = build_site(settings)
        done = result.published
        click.echo(f"{done.site_dir}: {result.weeks} weeks, {result.pages} pages; {len(done.written)} files written, "
                   f"{len(done.unchanged)} unchanged, {len(done.removed)} removed, in {result.seconds:.2f} s")

    _run(action, debug)


@main.command()
@click.argument("site_dir", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@debug_option
@click.pass_context
def serve(ctx: click.Context, site_dir: Path, port: int, debug_here=False) -> None:
    """Preview a built site on http://127.0.0.1:PORT/ (Ctrl-C stops it)."""
    debug = debug_flag(ctx, debug_here)

    def action() -> None:
        from reports.publish.site.serve import make_server

        server = make_server(site_dir, port)
        click.echo(f"Serving {site_dir} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped")
        finally:
            server.server_close()

    _run(action, debug)


# --- email (issue 6) -----------------------------------------------------------------------------

def _mail_settings(config, data_dir) -> Settings:
    return settings_from(config, {"data_dir": data_dir})


@main.group()
def subscribers() -> None:
    """The subscriber list (a SQLite file in the data directory)."""


@subscribers.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@data_dir_option
@config_option
@debug_option
@click.pass_context
def subscribers_import(ctx: click.Context, csv_file: Path, data_dir=None, config=None, debug_here=False) -> None:
    """Add subscribers from a CSV with the columns email,name,tags (name and tags optional; tags
    separated by commas or semicolons). Bad rows are reported with their line and skipped."""

    def action() -> None:
        from reports.publish.mail import subscribers as store
        from reports.publish.mail.store import connect

        report = store.import_csv(connect(_mail_settings(config, data_dir).data_dir), csv_file)
        for bad in (*report.bad, *report.notes):
            click.echo(f"warning: {bad}", err=True)
        click.echo(f"{csv_file}: {report.added} added, {report.updated} already on the list (updated), "
                   f"{report.merged} duplicate rows merged, {len(report.bad)} bad rows skipped")

    _run(action, debug_flag(ctx, debug_here))


@subscribers.command("list")
@data_dir_option
@config_option
@debug_option
@click.pass_context
def subscribers_list(ctx: click.Context, data_dir=None, config=None, debug_here=False) -> None:
    """Print the list: address, status, name and tags, tab-separated."""

    def action() -> None:
        from reports.publish.mail import subscribers as store
        from reports.publish.mail.store import connect

        for person in store.all_subscribers(connect(_mail_settings(config, data_dir).data_dir)):
            click.echo("\t".join((person.email, person.status, person.name, ",".join(person.tags))))

    _run(action, debug_flag(ctx, debug_here))


@subscribers.command("remove")
@click.argument("email")
@data_dir_option
@config_option
@debug_option
@click.pass_context
def subscribers_remove(ctx: click.Context, email: str, data_dir=None, config=None, debug_here=False) -> None:
    """Delete a subscriber from the list (campaigns already under way then skip them)."""

    def action() -> None:
        from reports.publish.mail import subscribers as store
        from reports.publish.mail.store import connect

        store.remove(connect(_mail_settings(config, data_dir).data_dir), email)
        click.echo(f"removed {email}")

    _run(action, debug_flag(ctx, debug_here))


@subscribers.command("unsubscribe")
@click.argument("token")
@data_dir_option
@config_option
@debug_option
@click.pass_context
def subscribers_unsubscribe(ctx: click.Context, token: str, data_dir=None, config=None, debug_here=False) -> None:
    """Unsubscribe the subscriber whose unsubscribe link carries TOKEN; they are never mailed again."""

    def action() -> None:
        from reports.publish.mail import subscribers as store
        from reports.publish.mail.store import connect

        click.echo(f"unsubscribed {store.unsubscribe(connect(_mail_settings(config, data_dir).data_dir), token)}")

    _run(action, debug_flag(ctx, debug_here))


@subscribers.command("suppress")
@click.argument("email")
@click.option("--as", "status", type=click.Choice(["bounced", "complained", "unsubscribed"]), required=True,
              help="Why: a bounce or spam complaint reported by your provider, or an unsubscribe request.")
@data_dir_option
@config_option
@debug_option
@click.pass_context
def subscribers_suppress(ctx: click.Context, email: str, status: str, data_dir=None, config=None,
                         debug_here=False) -> None:
    """Never mail EMAIL again, recording why (kept on the list so a re-import cannot add it back)."""

    def action() -> None:
        from reports.publish.mail import subscribers as store
        from reports.publish.mail.store import connect

        store.suppress_address(connect(_mail_settings(config, data_dir).data_dir), email, status)
        click.echo(f"suppressed {email} ({status})")

    _run(action, debug_flag(ctx, debug_here))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Write each message as an .eml file and send nothing.")
@click.option("--eml-dir", type=click.Path(path_type=Path),
              help="With --dry-run: where the .eml files go. Default: FOLDER-eml beside the week's folder.")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most N messages in this run.")
@click.option("--to", "to", metavar="ADDRESS", help="Send one test copy to ADDRESS only (not recorded).")
@data_dir_option
@config_option
@debug_option
@click.pass_context
def send(ctx: click.Context, folder: Path, dry_run=False, eml_dir=None, limit=None, to=None, data_dir=None,
         config=None, debug_here=False) -> None:
    """Email the brief in FOLDER (OUT/<week>) to every subscriber, exactly once.

    SMTP comes from settings or SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, MAIL_FROM and the
    password from SMTP_PASSWORD. Safe to rerun after a crash: only what is not yet sent is sent.
    Exit 1 when the run stopped early or delivered none of the messages it attempted; exit 2 when
    another run of the same brief is under way (this one then sends nothing).
    """
    debug = debug_flag(ctx, debug_here)

    def campaign(settings: Settings) -> None:
        from reports.publish.mail.failures import RunStopped
        from reports.publish.mail.sender import Campaign

        outcome = Campaign(settings, folder).run(limit)
        click.echo(f"{outcome.brief}: {outcome.attempted} messages attempted in this run")
        click.echo(str(outcome.tally))
        failure = outcome.failure()
        if failure:
            raise RunStopped(failure) from outcome.error

    def action() -> None:
        from reports.core.errors import UsageError
        from reports.publish.mail import drafts
        from reports.publish.mail.failures import RunStopped

        settings = _mail_settings(config, data_dir)
        if eml_dir is not None and not dry_run:
            raise UsageError("--eml-dir only goes with --dry-run.")
        try:
            if dry_run:
                target = eml_dir or folder.parent / f"{folder.name}-eml"
                written = drafts.write_drafts(settings, folder, target, to, limit)
                click.echo(f"dry run: wrote {len(written)} messages to {target}; nothing was sent")
            elif to is not None:
                click.echo(f"test copy to {to}: {drafts.send_test(settings, folder, to)}")
            else:
                campaign(settings)
        except RunStopped as stopped:  # a bug at one row: its traceback, with --debug
            if debug and stopped.__cause__ is not None:
                traceback.print_exception(stopped.__cause__)
            raise

    _run(action, debug)


@main.command("send-status")
@click.argument("folder", type=click.Path(path_type=Path))
@data_dir_option
@config_option
@debug_option
@click.pass_context
def send_status(ctx: click.Context, folder: Path, data_dir=None, config=None, debug_here=False) -> None:
    """Where the campaign for the brief in FOLDER stands: sent + failed + suppressed + pending."""

    def action() -> None:
        from reports.publish.mail.sender import status

        key, tally, failed = status(_mail_settings(config, data_dir), folder)
        if tally is None:
            click.echo(f"{key}: not sent yet")
            return
        click.echo(f"{key}: {tally}")
        for email, answer in failed:
            click.echo(f"failed\t{email}\t{answer}")

    _run(action, debug_flag(ctx, debug_here))


@main.command()
@click.option("--from", "start", callback=_week, required=True, metavar="YYYY-MM-DD",
              help="First day of the range: the first week built is the first that ends on or after it.")
@click.option("--to", "end", callback=_week, required=True, metavar="YYYY-MM-DD",
              help="Last day of the range: the last week built is the last that ends on or before it.")
@click.option("--assets", metavar="SPEC",
              help="Also build per-asset briefs for each week: ids or symbols (bitcoin,eth) or topN (top10).")
@click.option("--jobs", type=click.IntRange(1, 256), help="Worker processes. Default: one per core (BRIEF_JOBS).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run the briefs on this Dask scheduler instead of local processes (BRIEF_SCHEDULER).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Output directory. Default: out.")
@click.option("--formats", callback=_formats, metavar="LIST", help="Comma-separated subset of html,pdf,md,json.")
@config_option
@data_dir_option
@debug_option
@click.pass_context
def backfill(ctx: click.Context, start, end, assets=None, jobs=None, scheduler=None, out_dir=None, formats=None,
             config=None, data_dir=None, debug_here=False) -> None:
    """Build every week ending in a range, in parallel, skipping briefs whose inputs have not changed."""
    debug = debug_flag(ctx, debug_here)

    def action() -> None:
        from reports.build.batch import backfill as run_backfill

        settings = settings_from(config, {"out_dir": out_dir, "formats": formats, "data_dir": data_dir,
                                          "jobs": jobs, "scheduler": scheduler})
        summary = run_backfill(settings, start, end, assets)
        for line in summary.lines():
            click.echo(line)

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
        from reports.check.checker import check_file, failures_text, summary

        report = check_file(brief_json)
        if not report.ok:
            click.echo(failures_text(brief_json, report.failures))
            sys.exit(2)
        click.echo(summary(brief_json, report))

    _run(action, debug)


if __name__ == "__main__":
    main()


def run() -> None:
    """The command-line entry point (build.py, `crypto-brief`): `main`, then a quick exit.

    A finished build leaves a large heap (pandas, matplotlib, WeasyPrint); tearing it down object
    by object takes about a third of a second and serves nothing, since every file was written
    and renamed into place and every store closed before `main` returned. So once the output
    streams are flushed the process ends at once. (Tests call `main` and keep the usual exit.)
    """
    try:
        main(obj={"process": True})  # the whole process is this command's: it may start helpers and exit fast
        code = 0
    except SystemExit as stop:
        code = stop.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
