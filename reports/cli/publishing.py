"""The commands that fetch data and publish the site: fetch, site, serve."""

from __future__ import annotations

from pathlib import Path

import click

from reports.cli.common import (_formats, base_url_problem, config_option, data_dir_option, runs, say, settings_from,
                                warn_about_base_url)
from reports.core.errors import UsageError
from reports.core.progress import shown


@click.command()
@data_dir_option
@config_option
@runs
def fetch(data_dir=None, config=None) -> None:
    """Pull what is new from CoinGecko into the local market-data store, without building a brief.

    Key: COINGECKO_API_KEY (optional), COINGECKO_PLAN=demo|pro, COINGECKO_BASE_URL to use a mirror.
    """
    from reports.data.sources.coingecko.pull import pull, summary

    say(summary(pull(settings_from(config, {"data_dir": data_dir}))))


@click.command()
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
@click.option("--deploy", is_flag=True,
              help="Build the site for its public address: refuse (exit 2) while base_url is on this machine "
                   "(the http://localhost:8000/ default), instead of warning.")
@config_option
@data_dir_option
@runs
def site(site_dir=None, out_dir=None, base_url=None, templates_dir=None, build_missing=False, formats=None,
         deploy=False, config=None, data_dir=None) -> None:
    """Publish the built briefs as a static web site: pages, archive, feeds, sitemap."""
    from reports.publish.site.build import build_site

    settings = settings_from(config, {"site_dir": site_dir, "out_dir": out_dir, "base_url": base_url,
                                      "templates_dir": templates_dir, "formats": formats, "data_dir": data_dir})
    problem = base_url_problem(settings)
    if deploy and problem:
        raise UsageError(f"cannot deploy: {problem}")
    if build_missing:
        from reports.cli.missing_weeks import build_missing as backfill

        backfill(settings, settings.out_dir, report=lambda line: click.echo(line, err=True) if shown() else None)
    result = build_site(settings)
    done = result.published
    say(f"{done.site_dir}: {result.weeks} weeks, {result.pages} pages; {len(done.written)} files written, "
        f"{len(done.unchanged)} unchanged, {len(done.removed)} removed, in {result.seconds:.2f} s")
    warn_about_base_url(settings)  # once it is published: a failed build says one thing, its error


@click.command()
@click.argument("site_dir", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@runs
def serve(site_dir: Path, port: int) -> None:
    """Preview a built site on http://127.0.0.1:PORT/ (Ctrl-C stops it)."""
    from reports.publish.site.serve import make_server

    server = make_server(site_dir, port)
    click.echo(f"Serving {site_dir} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
