"""Command line: `python build.py` builds the latest complete week; `brief` takes options.

Exit codes: 0 ok; 2 bad input, arguments or settings; 1 anything unexpected (a short
message, and the traceback only with --debug).
"""

from __future__ import annotations

import os
import sys

import click

from reports.cli.briefs import backfill, brief, check_command
from reports.cli.mailing import bounces, send, send_status, serve_subscriptions, subscribers
from reports.cli.publishing import fetch, serve, site


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


main.add_command(brief)
main.add_command(fetch)
main.add_command(site)
main.add_command(serve)
main.add_command(subscribers)
main.add_command(send)
main.add_command(send_status)
main.add_command(serve_subscriptions)
main.add_command(bounces)
main.add_command(backfill)
main.add_command(check_command)


def run() -> None:
    """The command-line entry point (build.py, `crypto-brief`): `main`, then a quick exit.

    A finished build leaves a large heap (pandas, matplotlib, WeasyPrint); tearing it down object
    by object takes about a third of a second and serves nothing, since every file was written
    and renamed into place and every store closed before `main` returned. So once the output
    streams are flushed the process ends at once. (Tests call `main` and keep the usual exit.)
    """
    status: object = 0
    try:
        main(obj={"process": True})  # the whole process is this command's: it may start helpers and exit fast
    except SystemExit as stop:
        status = stop.code
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
