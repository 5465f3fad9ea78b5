"""The commands that build and check briefs: brief, backfill, check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reports.cli.common import (_formats, _week, config_option, data_dir_option, runs, say, settings_from,
                                warn_about_base_url)
from reports.core.settings import Settings


@click.command()
@click.option("--week-ending", callback=_week, metavar="YYYY-MM-DD",
              help="Last day of the week (the week is that day and the six before it). "
                   "Default: the latest complete week ending on the configured weekday (Sunday).")
@click.option("--source", type=click.Choice(["bundled", "csv", "coingecko", "live"]),
              help="Where the market data comes from: the dataset shipped with the package (default), a CSV file, "
                   "CoinGecko (pulls what is new into the local store, then builds from the store), or live "
                   "(pulls every live source, then builds the latest complete week; exit 3 if a source failed).")
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
@click.option("--events", "events_file", type=click.Path(path_type=Path),
              help="A CSV of scheduled events for What to Watch: date,end,title,url,assets (see README).")
@click.option("--notes", type=click.Path(path_type=Path),
              help="The editor's notes: a Markdown file with From the desk, Reactions & Quotes and Unconfirmed "
                   "sections (see README).")
@config_option
@runs
def brief(ctx: click.Context, written: list[Path], week_ending=None, source=None, data=None, out_dir=None,
          formats=None, locale=None, offline=None, allow_stale=None, data_dir=None, asset=None, asset_spec=None,
          events_file=None, notes=None, config=None) -> None:
    """Build one weekly brief into OUT/<week-ending>/ (brief.html, .pdf, .md, .json and charts/)."""
    flags = {"week_ending": week_ending, "source": source, "data": data, "out_dir": out_dir,
             "formats": formats, "locale": locale, "offline": offline or None, "allow_stale": allow_stale or None,
             "data_dir": data_dir, "events_file": events_file, "notes": notes}
    if data is not None and source is None:
        flags["source"] = "csv"
    if (offline or allow_stale) and source is None:
        flags["source"] = "coingecko"
    settings = settings_from(config, flags)
    if (ctx.obj or {}).get("process"):
        _use_both_cores(settings)
    from reports.build.pipeline import build_brief

    if asset or asset_spec:
        story = _asset_briefs(settings, ",".join(spec for spec in (asset, asset_spec) if spec), written)
    else:
        result = build_brief(settings)  # with --source live, pulls every live source first (sources/live.py)
        written.append(result.folder)
        say(f"{result.folder}: {result.story.headline.text}")
        story = result.story
    warn_about_base_url(settings)  # once it is built: a rejected build says one thing, its error
    failed = _failed_sources(story)
    if failed:
        from reports.data.sources.live import FAILED_EXIT

        for failure in failed:
            click.echo(f"warning: {failure.line()}", err=True)
        sys.exit(FAILED_EXIT)


def _failed_sources(story) -> tuple:
    """The live sources that could not be pulled for this build, as its facts carry them (none but for
    --source live): the brief's data notes name them, and the command exits 3 so cron can alert."""
    fresh = story.facts.quality.freshness if story is not None else None
    return fresh.failed if fresh is not None else ()


def _use_both_cores(settings: Settings) -> None:
    """A single cold build: WeasyPrint loads in a second process while this one imports pandas and
    makes the facts (so it starts first), and half the charts are drawn in a forked child."""
    if "pdf" in settings.formats:
        from reports.render.pdf import start_print_worker

        start_print_worker()
    from reports.charts.draw import use_second_core

    use_second_core()


def _asset_briefs(settings: Settings, spec: str, written: list[Path]):
    """`brief --asset/--assets`: one line per asset brief written, each added to `written`; the last story."""
    from reports.build.assets import build_asset_briefs

    story = None
    for result in build_asset_briefs(settings, spec):
        written.append(result.folder)
        say(f"{result.folder}: {result.story.headline.text}")
        story = result.story
    return story


@click.command()
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
@runs
def backfill(start, end, assets=None, jobs=None, scheduler=None, out_dir=None, formats=None, config=None,
             data_dir=None) -> None:
    """Build every week ending in a range, in parallel, skipping briefs whose inputs have not changed."""
    from reports.build.batch import backfill as run_backfill

    settings = settings_from(config, {"out_dir": out_dir, "formats": formats, "data_dir": data_dir,
                                      "jobs": jobs, "scheduler": scheduler})
    summary = run_backfill(settings, start, end, assets)
    for line in summary.lines():
        say(line)


@click.command("check")
@click.argument("brief_json", type=click.Path(path_type=Path))
@runs
def check_command(brief_json: Path) -> None:
    """Fact-check a built brief: every figure, direction word and superlative in OUT/<week>/brief.json
    against the facts it cites. Exit 0 when clean, 2 listing each failure."""
    from reports.check.report import check_file, failures_text, summary

    report = check_file(brief_json)
    if not report.ok:
        click.echo(failures_text(brief_json, report.failures))
        sys.exit(2)
    click.echo(summary(brief_json, report))


@click.command("sources")
@click.option("--week-ending", callback=_week, metavar="YYYY-MM-DD",
              help="The week to judge staleness for. Default: the latest complete week.")
@config_option
@data_dir_option
@runs
def sources_command(week_ending=None, config=None, data_dir=None) -> None:
    """Each live source: its newest stored day, its last pull, and whether it is stale for the week to build."""
    from reports.core import clock
    from reports.data.sources.live import statuses

    settings = settings_from(config, {"week_ending": week_ending, "data_dir": data_dir})
    for status in statuses(settings, clock.now().date()):
        click.echo(status.line())
