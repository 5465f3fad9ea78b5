"""Backfill: the weeks of a range, built in parallel (local processes or a real Dask cluster) and
incrementally, with weeks the data cannot support skipped with their reason."""

from __future__ import annotations

import calendar
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import run_cli
from reports.build.batch import HASH_FILE, Job, backfill, week_ends
from reports.core.settings import load_settings

FIRST, LAST = date(2026, 3, 9), date(2026, 3, 22)  # two Sundays: 2026-03-15 (a rally) and 2026-03-22
QUICK = "html,md,json"  # no PDF: the PDF is tested end to end elsewhere and is the slowest part


def settings(out: Path, **overrides):
    return load_settings(flags={"out_dir": out, "formats": QUICK, **overrides})


def files_of(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def run(out: Path, start=FIRST, end=LAST, **overrides):
    return backfill(settings(out, **overrides), start, end, stream=io.StringIO(), progress=False)


def test_week_ends_are_every_configured_weekday_in_the_range():
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    sundays = [start + timedelta(days=n) for n in range((end - start).days + 1)
               if (start + timedelta(days=n)).weekday() == calendar.SUNDAY]
    assert week_ends(start, end, "sunday") == sundays
    assert len(sundays) == 13 and sundays[0] == date(2026, 1, 4)
    fridays = week_ends(start, end, "friday")
    assert fridays[0] == date(2026, 1, 2) and all(day.weekday() == calendar.FRIDAY for day in fridays)
    assert week_ends(date(2026, 1, 5), date(2026, 1, 10), "sunday") == []


@pytest.mark.slow
def test_a_backfill_builds_each_week_then_skips_what_has_not_changed(tmp_path):
    first = run(tmp_path, jobs=2)
    assert first.built == (Job(date(2026, 3, 15)), Job(date(2026, 3, 22)))
    assert first.unchanged == () and first.skipped == ()
    for week in ("2026-03-15", "2026-03-22"):
        folder = tmp_path / week
        assert {"brief.html", "brief.md", "brief.json", HASH_FILE} <= {p.name for p in folder.iterdir()}
        assert len((folder / HASH_FILE).read_text().strip()) == 64
    before = files_of(tmp_path)

    again = run(tmp_path, jobs=2)
    assert again.built == () and again.unchanged == first.built
    assert files_of(tmp_path) == before  # nothing rewritten

    (tmp_path / "2026-03-22" / "brief.md").unlink()  # a missing output is rebuilt
    assert run(tmp_path).built == (Job(date(2026, 3, 22)),)

    relocalised = run(tmp_path, locale="de_DE")  # a setting that changes the output rebuilds every week
    assert relocalised.built == first.built
    assert (tmp_path / "2026-03-22" / "brief.md").read_bytes() != before["2026-03-22/brief.md"]


@pytest.mark.slow
def test_parallel_processes_give_the_same_bytes_as_a_serial_build(tmp_path):
    run(tmp_path / "serial", jobs=1)
    run(tmp_path / "parallel", jobs=2)
    serial, parallel = files_of(tmp_path / "serial"), files_of(tmp_path / "parallel")
    assert len(serial) >= 18 and serial == parallel


def test_weeks_the_data_cannot_support_are_skipped_with_the_reason(tmp_path):
    summary = run(tmp_path, start=date(2020, 1, 1), end=date(2020, 1, 12))
    assert summary.built == ()
    assert [skipped.job for skipped in summary.skipped] == [Job(date(2020, 1, 5)), Job(date(2020, 1, 12))]
    assert all("No data for the week ending" in skipped.reason for skipped in summary.skipped)
    assert not any(tmp_path.iterdir())


def test_the_cli_prints_a_summary_and_rejects_a_reversed_range(tmp_path):
    result = run_cli("backfill", "--from", "2020-01-01", "--to", "2020-01-12", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "built 0, unchanged (skipped) 0, skipped for a reason 2" in result.output
    assert "skipped 2020-01-05: No data for the week ending 2020-01-05" in result.output
    reversed_range = run_cli("backfill", "--from", "2026-03-22", "--to", "2026-03-01", "--out", str(tmp_path))
    assert reversed_range.exit_code == 2
    assert "--from 2026-03-22 is after --to 2026-03-01" in reversed_range.output


@pytest.mark.slow
def test_a_dask_cluster_builds_the_same_bytes_as_a_serial_build(tmp_path):
    distributed = pytest.importorskip("dask.distributed")  # the test extra installs it

    run(tmp_path / "serial", jobs=1)
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        summary = run(tmp_path / "dask", scheduler=cluster.scheduler_address)
        # the briefs really ran as tasks of this scheduler
        assert any(name.startswith("brief") for name in cluster.scheduler.task_prefixes)
    assert summary.built == (Job(date(2026, 3, 15)), Job(date(2026, 3, 22)))
    serial, on_dask = files_of(tmp_path / "serial"), files_of(tmp_path / "dask")
    assert len(serial) >= 18 and serial == on_dask


def test_parsed_data_is_cached_and_a_changed_file_misses_the_cache(tmp_path):
    from conftest import raw_rows
    from reports.build.pipeline import load_data

    rows = [row for row in raw_rows("coingecko_top100_daily.csv") if row["name"] == "Bitcoin"][:30]
    data_file = tmp_path / "prices.csv"
    data_file.write_text("date,asset,close\n" + "".join(f"{r['date']},bitcoin,{r['price_usd']}\n" for r in rows))
    chosen = load_settings(flags={"source": "csv", "data": data_file, "data_dir": tmp_path / "cache"})
    first = load_data(chosen)
    assert first.prices.close["bitcoin"].iloc[-1] == float(rows[-1]["price_usd"])
    cached = list((tmp_path / "cache" / "parsed").glob("market-*.pickle"))
    assert len(cached) == 1
    assert load_data(chosen).prices.close.equals(first.prices.close)

    rows[-1]["price_usd"] = "12345.5"  # the file changes: the cache must not answer for it
    data_file.write_text("date,asset,close\n" + "".join(f"{r['date']},bitcoin,{r['price_usd']}\n" for r in rows))
    changed = load_data(chosen)
    assert changed.prices.close["bitcoin"].iloc[-1] == 12345.5

    for path in (tmp_path / "cache" / "parsed").glob("*.pickle"):  # a damaged cache is rebuilt, not fatal
        path.write_bytes(b"not a pickle")
    assert load_data(chosen).prices.close.equals(changed.prices.close)


def test_a_backfill_with_assets_builds_the_market_and_asset_briefs_then_skips_them(tmp_path):
    """One week, the market brief plus bitcoin's and ether's: all written, and a rerun builds nothing."""
    args = ("backfill", "--from", "2026-03-09", "--to", "2026-03-15", "--assets", "bitcoin,ethereum",
            "--formats", "json", "--jobs", "1", "--out", str(tmp_path))
    first = run_cli(*args)
    assert first.exit_code == 0, first.output
    assert "built 3," in first.output
    for folder in (tmp_path / "2026-03-15", tmp_path / "assets" / "bitcoin" / "2026-03-15",
                   tmp_path / "assets" / "ethereum" / "2026-03-15"):
        assert (folder / "brief.json").is_file(), folder
    second = run_cli(*args)
    assert second.exit_code == 0, second.output
    assert "built 0, unchanged (skipped) 3" in second.output


@pytest.mark.parametrize("asset_id", [None, "ethereum"])
def test_a_task_takes_its_clock_from_the_batch_not_from_the_worker(bundled_data, tmp_path, monkeypatch, asset_id):
    """A cluster worker may run with another SOURCE_DATE_EPOCH (or none), and without the brief's folder:
    the brief still carries the batch's one time stamp and the dates recorded by its last build, so its
    bytes do not depend on where it ran."""
    import json
    from datetime import datetime, timezone

    from reports.build.batch import render_job
    from reports.build.dates import Dates

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # this "worker" believes it is 1970
    stamp = datetime(2026, 4, 2, 9, 0, tzinfo=timezone.utc)
    published = datetime(2026, 3, 23, 6, 0, tzinfo=timezone.utc)
    previous = Dates(published, published, "an older content hash")  # the last build said something else
    files = render_job(bundled_data, Job(LAST, asset_id), settings(tmp_path, formats="json"), stamp, "0" * 64,
                       previous)
    doc = json.loads(files["brief.json"])
    assert (doc["publishedAt"], doc["updatedAt"]) == ("2026-03-23T06:00:00Z", "2026-04-02T09:00:00Z")
