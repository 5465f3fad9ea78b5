"""Command line: `python build.py` builds the latest complete week; `brief` takes options.

Exit codes: 0 ok; 2 bad input, arguments or settings; 1 anything unexpected (a short
message, and the traceback only with --debug). A reader of stdout that goes away early
(`build.py subscribers list | head -1`) ends the command quietly with 0 (`run`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from reports.cli.briefs import backfill, brief, check_command, sources_command
from reports.cli.common import use_verbosity
from reports.cli.mailing import bounces, send, send_status, serve_subscriptions, subscribers
from reports.cli.publishing import fetch, serve, site

PACKAGE = "crypto-weekly-brief"


class ClosedPipe(Exception):
    """stdout's reader went away. Not an OSError, so that click (which exits 1 on EPIPE) lets it through
    to `run`."""


class Commands(click.Group):
    """The command group; a closed stdout anywhere below it becomes ClosedPipe."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)  # --help and --version print from here
        except BrokenPipeError:
            raise ClosedPipe from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise ClosedPipe from None


@click.group(cls=Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=PACKAGE, message="%(prog)s %(version)s")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only: no warnings, progress or reports.")
@click.option("-v", "--verbose", is_flag=True, help="Also print debug lines (which settings file is used, ...).")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool, debug: bool) -> None:
    """Build a weekly crypto market brief (HTML, PDF, Markdown, JSON) from market data.

    With no command, builds the latest complete week of the bundled data into out/. Settings come
    from --config, else ./brief.toml, else brief.toml in the user config directory.
    """
    use_verbosity(ctx, quiet, verbose)
    ctx.obj = {**(ctx.obj or {}), "debug": debug}
    if ctx.invoked_subcommand is None:
        ctx.invoke(brief)


# Every command with the one line `build.py --help` lists it by (click would cut a long docstring's first
# sentence short with "..."); tests/test_cli_conventions.py checks each fits an 80-column terminal.
COMMANDS: tuple[tuple[click.Command, str], ...] = (
    (brief, "Build one week's brief into OUT/<week-ending>/."),
    (fetch, "Pull new CoinGecko data into the local store."),
    (site, "Publish the built briefs as a static web site."),
    (serve, "Preview a built site on http://127.0.0.1:PORT/."),
    (subscribers, "Manage the subscriber list (import, list, remove)."),
    (send, "Email a built brief to every subscriber, once."),
    (send_status, "Where a brief's email campaign stands."),
    (serve_subscriptions, "Run the sign-up and unsubscribe web service."),
    (bounces, "Record bounces and complaints from a Maildir."),
    (backfill, "Build every week in a date range, in parallel."),
    (check_command, "Fact-check a built brief.json against its facts."),
    (sources_command, "Each live source's newest day, last pull and staleness."),
)
SUBCOMMANDS = {
    ("subscribers", "import"): "Add subscribers from a CSV (email,name,tags).",
    ("subscribers", "list"): "Print the list, tab-separated.",
    ("subscribers", "remove"): "Delete a subscriber from the list.",
    ("subscribers", "suppress"): "Never mail an address again, recording why.",
    ("subscribers", "unsubscribe"): "Unsubscribe the subscriber whose link carries TOKEN.",
    ("bounces", "import"): "Mark bounced and complaining addresses from a Maildir.",
}
for _command, _line in COMMANDS:
    _command.short_help = _line
    main.add_command(_command)
for (_group, _name), _line in SUBCOMMANDS.items():
    main.commands[_group].commands[_name].short_help = _line  # type: ignore[attr-defined]


def run() -> None:
    """The command-line entry point (build.py, `crypto-brief`): `main`, then a quick exit.

    A finished build leaves a large heap (pandas, matplotlib, WeasyPrint); tearing it down object
    by object takes about a third of a second and serves nothing, since every file was written
    and renamed into place and every store closed before `main` returned. So once the output
    streams are flushed the process ends at once. (Tests call `main` and keep the usual exit.)
    """
    status: object = 0
    try:
        try:
            main(obj={"process": True})  # the whole process is this command's: it may start helpers and exit fast
        except SystemExit as stop:
            status = stop.code
        sys.stdout.flush()  # output still buffered may find the pipe closed too
    except (ClosedPipe, BrokenPipeError):
        # The reader of stdout left (`| head -1`): as the Python docs advise (signal module, "Note on
        # SIGPIPE"), point stdout at devnull so nothing more is tried on it, and end as a success.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 0
    if isinstance(status, int):
        code = status
    elif status is None:
        code = 0
    else:  # sys.exit("message")
        print(status, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
