"""The email commands: the subscribers group and its subcommands, send, send-status."""

from __future__ import annotations

import traceback
from pathlib import Path

import click

from reports.cli.common import _mail_settings, _run, config_option, data_dir_option, debug_flag, debug_option
from reports.core.settings import Settings


@click.group()
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


@click.command()
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


@click.command("send-status")
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
