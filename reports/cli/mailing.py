"""The email commands: the subscribers group and its subcommands, send, send-status."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reports.cli.common import LOG, _mail_settings, config_option, data_dir_option, runs, say
from reports.core.settings import Settings

if TYPE_CHECKING:
    import sqlite3


@click.group()
def subscribers() -> None:
    """The subscriber list (a SQLite file in the data directory)."""


def _subscriber_db(config: Path | None, data_dir: Path | None) -> sqlite3.Connection:
    """The subscriber database of these settings (--config, --data-dir)."""
    from reports.publish.mail.store import open_store

    return open_store(_mail_settings(config, data_dir))


@subscribers.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@data_dir_option
@config_option
@runs
def subscribers_import(csv_file: Path, data_dir=None, config=None) -> None:
    """Add subscribers from a CSV with the columns email,name,tags (name and tags optional; tags
    separated by commas or semicolons). Bad rows are reported with their line and skipped."""
    from reports.publish.mail import subscribers as store

    report = store.import_csv(_subscriber_db(config, data_dir), csv_file)
    for bad in (*report.bad, *report.notes):
        LOG.warning(bad)
    say(f"{csv_file}: {report.added} added, {report.updated} already on the list (updated), "
               f"{report.merged} duplicate rows merged, {len(report.bad)} bad rows skipped")


@subscribers.command("list")
@data_dir_option
@config_option
@runs
def subscribers_list(data_dir=None, config=None) -> None:
    """Print the list: address, status, name and tags, tab-separated."""
    from reports.publish.mail import subscribers as store

    for person in store.all_subscribers(_subscriber_db(config, data_dir)):
        click.echo("\t".join((person.email, person.status, person.name, ",".join(person.tags))))


@subscribers.command("remove")
@click.argument("email")
@data_dir_option
@config_option
@runs
def subscribers_remove(email: str, data_dir=None, config=None) -> None:
    """Delete a subscriber from the list (campaigns already under way then skip them)."""
    from reports.publish.mail import subscribers as store

    store.remove(_subscriber_db(config, data_dir), email)
    say(f"removed {email}")


@subscribers.command("unsubscribe")
@click.argument("token")
@data_dir_option
@config_option
@runs
def subscribers_unsubscribe(token: str, data_dir=None, config=None) -> None:
    """Unsubscribe the subscriber whose unsubscribe link carries TOKEN; they are never mailed again."""
    from reports.publish.mail import subscribers as store

    say(f"unsubscribed {store.unsubscribe(_subscriber_db(config, data_dir), token)}")


@subscribers.command("suppress")
@click.argument("email")
@click.option("--as", "status", type=click.Choice(["bounced", "complained", "unsubscribed"]), required=True,
              help="Why: a bounce or spam complaint reported by your provider, or an unsubscribe request.")
@data_dir_option
@config_option
@runs
def subscribers_suppress(email: str, status: str, data_dir=None, config=None) -> None:
    """Never mail EMAIL again, recording why (kept on the list so a re-import cannot add it back)."""
    from reports.publish.mail import subscribers as store

    store.suppress_address(_subscriber_db(config, data_dir), email, status)
    say(f"suppressed {email} ({status})")


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Write each message as an .eml file and send nothing.")
@click.option("--eml-dir", type=click.Path(path_type=Path),
              help="With --dry-run: where the .eml files go. Default: FOLDER-eml beside the week's folder.")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most N messages in this run.")
@click.option("--to", "to", metavar="ADDRESS", help="Send one test copy to ADDRESS only (not recorded).")
@data_dir_option
@config_option
@runs
def send(debug: bool, folder: Path, dry_run=False, eml_dir=None, limit=None, to=None, data_dir=None,
         config=None) -> None:
    """Email the brief in FOLDER (OUT/<week>) to every subscriber, exactly once.

    SMTP comes from settings or SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, MAIL_FROM and the
    password from SMTP_PASSWORD. Safe to rerun after a crash: only what is not yet sent is sent.
    Exit 1 when the run stopped early or delivered none of the messages it attempted; exit 2 when
    another run of the same brief is under way (this one then sends nothing).
    """
    from reports.core.errors import UsageError
    from reports.publish.mail import drafts, safety
    from reports.publish.mail.failures import RunStopped

    settings = _mail_settings(config, data_dir)
    if eml_dir is not None and not dry_run:
        raise UsageError("--eml-dir only goes with --dry-run.")
    if dry_run or to is not None:
        for warning in safety.warnings(settings):
            LOG.warning(warning.removeprefix("warning: "))
    else:
        safety.require_safe(settings)
    try:
        if dry_run:
            target = eml_dir or folder.parent / f"{folder.name}-eml"
            written = drafts.write_drafts(settings, folder, target, to, limit)
            say(f"dry run: wrote {len(written)} messages to {target}; nothing was sent")
        elif to is not None:
            say(f"test copy to {to}: {drafts.send_test(settings, folder, to)}")
        else:
            _campaign(settings, folder, limit)
    except RunStopped as stopped:  # a bug at one row: its traceback, with --debug
        if debug and stopped.__cause__ is not None:
            traceback.print_exception(stopped.__cause__)
        raise


def _campaign(settings: Settings, folder: Path, limit: int | None) -> None:
    """`send` for real: the campaign's run, its tally, and RunStopped when it stopped early."""
    from reports.publish.mail.failures import RunStopped
    from reports.publish.mail.sender import Campaign

    outcome = Campaign(settings, folder).run(limit)
    say(f"{outcome.brief}: {outcome.attempted} messages attempted in this run")
    say(str(outcome.tally))
    failure = outcome.failure()
    if failure:
        raise RunStopped(failure) from outcome.error


@click.command("send-status")
@click.argument("folder", type=click.Path(path_type=Path))
@data_dir_option
@config_option
@runs
def send_status(folder: Path, data_dir=None, config=None) -> None:
    """Where the campaign for the brief in FOLDER stands: sent + failed + suppressed + pending."""
    from reports.publish.mail.sender import status

    key, tally, failed = status(_mail_settings(config, data_dir), folder)
    if tally is None:
        click.echo(f"{key}: not sent yet")
        return
    click.echo(f"{key}: {tally}")
    for email, answer in failed:
        click.echo(f"failed\t{email}\t{answer}")


@click.command("serve-subscriptions")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8025, show_default=True, help="Port to listen on.")
@click.option("--tags", default="market", show_default=True,
              help="Tags a subscriber can choose on the preferences page, separated by commas.")
@click.option("--rate-per-minute", type=click.IntRange(min=1), default=30, show_default=True,
              help="Requests a minute accepted from one IP address.")
@click.option("--resend-after", type=click.FloatRange(min=0), default=600.0, show_default=True,
              help="Seconds before a second confirmation mail may go to the same address.")
@data_dir_option
@config_option
@runs
def serve_subscriptions(host: str, port: int, tags: str, rate_per_minute: int, resend_after: float, data_dir=None,
                        config=None) -> None:
    """Serve the subscription service: sign-up with double opt-in, one-click unsubscribe (RFC 8058)
    and preferences, on the subscriber list `send` uses. Confirmation mails go out through the SMTP
    settings; the signing key comes from SUBSCRIBE_SECRET. Links point at subscribe_url (default:
    http://HOST:PORT/); set unsubscribe_url to its /unsubscribe."""
    from reports.publish.subscribe.serve import serve

    serve(_mail_settings(config, data_dir), host, port, tuple(t.strip() for t in tags.split(",") if t.strip()),
          rate_per_minute, resend_after)


@click.group()
def bounces() -> None:
    """What came back: delivery-status notifications and complaints."""


@bounces.command("import")
@click.argument("maildir", type=click.Path(path_type=Path))
@data_dir_option
@config_option
@runs
def bounces_import(maildir: Path, data_dir=None, config=None) -> None:
    """Read the Maildir MAILDIR: hard bounces (DSN) mark their addresses bounced, ARF complaints mark
    theirs complained; neither is mailed again. Temporary failures change nothing."""
    from reports.publish.mail.bounces import import_maildir

    say(str(import_maildir(_subscriber_db(config, data_dir), maildir)))
