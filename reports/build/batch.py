"""Backfill: every week in a range (and, if asked, every asset's brief for it), in parallel, incrementally.

The work splits into jobs, one per brief: `(week_end, asset_id)`, with `asset_id` None for
the market brief. The parent process loads and validates the data once, resolves every
week (a week the data cannot support is skipped with the reason), and computes each
job's inputs hash: the data the week can see (every row up to its last day), the asset
catalog, the code, templates and assets, the versions of the libraries that draw and
lay out, the settings that change output, and a pinned clock. A job whose folder holds
that hash in `.inputs.sha256` and all its files is unchanged and skipped.

The rest run as pure tasks, from inputs to `{relative path: bytes}`: in local worker
processes (forked after the data is loaded, so each reuses it) or on a Dask cluster
(`scheduler`: the data is scattered to every worker once). Either way the results come
back to this process, which writes each brief's folder atomically, hash file included.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from reports.core import clock
from reports.core.errors import BriefError, UsageError
from reports.data.model import MarketData
from reports.core.atomic import write_week
from reports.build.dates import Dates, recorded
from reports.build.pipeline import load_data
from reports.core.progress import BatchProgress
from reports.render import FILENAMES
from reports.core.safepath import within
from reports.core.settings import WEEKDAYS, Settings
from reports.facts.week import Week, resolve_week

HASH_FILE = ".inputs.sha256"
ROOT = Path(__file__).resolve().parents[2]
CODE = (ROOT / "reports", ROOT / "templates", ROOT / "assets")
# Libraries whose version can change the bytes of a brief.
LIBRARIES = ("matplotlib", "weasyprint", "pydyf", "pillow", "fonttools", "jinja2", "babel", "pandas", "numpy", "pyyaml")
# Settings that say where or how to run a batch, not what a brief says.
NOT_INPUTS = {"out_dir", "data_dir", "week_ending", "jobs", "scheduler"}


@dataclass(frozen=True, order=True)
class Job:
    """One brief: the market brief of a week (asset_id None) or one asset's brief of that week."""

    week_end: date
    asset_id: str | None = None

    def order(self) -> tuple[date, str]:
        """Market brief first within a week, then assets by id (None does not sort against str)."""
        return self.week_end, self.asset_id or ""

    @property
    def label(self) -> str:
        return self.week_end.isoformat() + (f" {self.asset_id}" if self.asset_id else "")

    def parent(self, out_dir: Path) -> Path:
        return within(out_dir, "assets", self.asset_id) if self.asset_id else out_dir

    def folder(self, out_dir: Path) -> Path:
        return self.parent(out_dir) / self.week_end.isoformat()


@dataclass(frozen=True)
class Skipped:
    job: Job
    reason: str


@dataclass(frozen=True)
class Summary:
    built: tuple[Job, ...] = ()
    unchanged: tuple[Job, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    seconds: float = 0.0

    def lines(self) -> Iterator[str]:
        yield (f"built {len(self.built)}, unchanged (skipped) {len(self.unchanged)}, "
               f"skipped for a reason {len(self.skipped)}, in {self.seconds:.1f} s")
        for skipped in self.skipped:
            yield f"  skipped {skipped.job.label}: {skipped.reason}"


@dataclass(frozen=True)
class Plan:
    todo: tuple[tuple[Job, str], ...]
    unchanged: tuple[Job, ...] = ()
    skipped: tuple[Skipped, ...] = field(default=())


def backfill(settings: Settings, start: date, end: date, assets: str | None = None,
             stream: TextIO | None = None, progress: bool | None = None) -> Summary:
    """Build every brief of the weeks ending in start..end whose inputs changed; see the module doc."""
    if end < start:
        raise UsageError(f"--from {start} is after --to {end}: give the earlier date first.")
    started = time.perf_counter()
    data = load_data(settings)
    plan = make_plan(data, settings, start, end, assets)
    bar = BatchProgress(len(plan.todo), stream, progress)
    built, skipped = [], list(plan.skipped)
    try:
        for job, outcome in _run(data, settings, plan.todo):
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
                bar.advance(job.label, f"skipped: {outcome.reason}")
            else:
                write_week(job.parent(settings.out_dir), job.week_end.isoformat(), outcome)
                built.append(job)
                bar.advance(job.label, "built")
    finally:
        bar.close()
    return Summary(tuple(sorted(built, key=Job.order)), plan.unchanged,
                   tuple(sorted(skipped, key=lambda s: s.job.order())),
                   time.perf_counter() - started)


def week_ends(start: date, end: date, ends_on: str) -> list[date]:
    """Every day in start..end that falls on the weekday weeks end on."""
    first = start + timedelta(days=(WEEKDAYS.index(ends_on) - start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)] if first <= end else []


def make_plan(data: MarketData, settings: Settings, start: date, end: date, assets: str | None) -> Plan:
    """Sort the range's briefs into to build (with their inputs hash), unchanged, and skipped with a reason."""
    asset_ids: tuple[str | None, ...] = (None,)
    if assets:
        from reports.build.assets import resolve_assets  # the per-asset briefs' own module

        asset_ids += resolve_assets(data, assets, tuple(settings.exclude_kinds))
    todo: list[tuple[Job, str]] = []
    unchanged: list[tuple[Job, str]] = []
    skipped: list[Skipped] = []
    for week_end in week_ends(start, end, settings.week_ends_on):
        try:
            resolve_week(data, week_end, settings.week_ends_on)
        except BriefError as error:
            skipped += [Skipped(Job(week_end, asset), str(error)) for asset in asset_ids]
            continue
        window = _window_digest(data, week_end)
        for asset in asset_ids:
            job = Job(week_end, asset)
            digest = inputs_hash(window, job, settings)
            (unchanged if _is_current(job, digest, settings) else todo).append((job, digest))
    return Plan(tuple(todo), tuple(job for job, _ in unchanged), tuple(skipped))


def inputs_hash(window: bytes, job: Job, settings: Settings) -> str:
    digest = hashlib.sha256(b"crypto-brief-inputs/1\0")
    digest.update(window)
    digest.update(code_fingerprint().encode())
    digest.update(settings.model_dump_json(exclude=NOT_INPUTS).encode())
    for path in (settings.events_file, settings.notes):  # the user's files are inputs by their content
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"-")
    digest.update(f"\0{job.asset_id or ''}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.hexdigest()


def _window_digest(data: MarketData, week_end: date) -> bytes:
    """A digest of everything in the data a week ending `week_end` can see: each frame up to that day."""
    digest = hashlib.sha256()
    cut = pd.Timestamp(week_end)
    for frame in _frames(data):
        if frame is None:
            digest.update(b"-")
            continue
        columns, index, rows = _row_hashes(frame)
        digest.update(columns)
        digest.update(rows[: index.searchsorted(cut, side="right")].tobytes())
    infos = [data.prices.info] + [series.info for series in (data.history, data.market, data.sentiment) if series]
    digest.update(repr((sorted(data.assets.items()), data.ignored_columns, infos)).encode())
    return digest.digest()


def _frames(data: MarketData) -> list[pd.DataFrame | None]:
    return [data.prices.close, data.prices.rank, data.prices.market_cap, data.prices.volume,
            data.history.close if data.history else None, data.market.frame if data.market else None,
            data.sentiment.frame if data.sentiment else None]


_ROW_HASHES: dict[int, tuple[pd.DataFrame, bytes, pd.Index, np.ndarray]] = {}


def _row_hashes(frame: pd.DataFrame) -> tuple[bytes, pd.Index, np.ndarray]:
    """The frame's column names and one hash per row, computed once per frame: a row's hash depends
    on that row alone, so a week's window is a prefix of them (hashing each week's slice again made
    a plan of a year of weeks cost seconds)."""
    key = id(frame)
    if key not in _ROW_HASHES or _ROW_HASHES[key][0] is not frame:
        rows = pd.util.hash_pandas_object(frame, index=True).to_numpy()
        _ROW_HASHES[key] = (frame, "\0".join(map(str, frame.columns)).encode(), frame.index, rows)
    return _ROW_HASHES[key][1:]


@cache
def code_fingerprint() -> str:
    """SHA-256 over the package's code, templates and assets, and the versions of the rendering libraries."""
    digest = hashlib.sha256()
    for root in CODE:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


def _is_current(job: Job, digest: str, settings: Settings) -> bool:
    folder = job.folder(settings.out_dir)
    try:
        recorded = (folder / HASH_FILE).read_text(encoding="ascii").strip()
    except OSError:
        return False
    return recorded == digest and all((folder / FILENAMES[fmt]).is_file() for fmt in settings.formats)


# --- running the jobs ------------------------------------------------------------------------------


def render_job(data: MarketData, job: Job, settings: Settings, now: datetime, digest: str,
               previous: Dates | None = None) -> dict[str, bytes] | Skipped:
    """One brief's files as bytes, with its inputs hash: a pure task, the same locally and on a cluster
    (the clock and the dates recorded in the brief's folder travel with it: a worker's own
    SOURCE_DATE_EPOCH and file system play no part)."""
    from reports.build.assets import render_asset_week
    from reports.build.pipeline import render_week

    week = Week(job.week_end)
    try:
        if job.asset_id:
            files = render_asset_week(data, week, job.asset_id, settings, now, previous)[1]
        else:
            files = render_week(data, week, settings, now, previous=previous).files
    except BriefError as error:  # the data cannot support this brief: say why, build the others
        return Skipped(job, str(error))
    return {**files, HASH_FILE: (digest + "\n").encode("ascii")}


def _run(data: MarketData, settings: Settings, todo: Iterable[tuple[Job, str]]) -> Iterator[tuple[Job, dict | Skipped]]:
    todo = list(todo)
    if not todo:
        return iter(())
    now = clock.now()  # one stamp for the whole batch, so every brief agrees on it
    if settings.scheduler:
        return _on_dask(data, settings, todo, now)
    return _on_processes(data, settings, todo, now)


_DATA: MarketData | None = None  # each worker process's copy of the validated data


def _adopt(data: MarketData | None, settings: Settings) -> None:
    global _DATA
    _DATA = data if data is not None else load_data(settings)


def _work(job: Job, settings: Settings, now: datetime, digest: str, previous: Dates | None):
    if _DATA is None:
        raise RuntimeError("the worker has no data: `_adopt` loads it when the worker starts")
    return job, render_job(_DATA, job, settings, now, digest, previous)


def _on_processes(data, settings, todo, now) -> Iterator[tuple[Job, dict | Skipped]]:
    import multiprocessing

    jobs = min(settings.jobs or os.cpu_count() or 1, len(todo))
    if jobs == 1:
        for job, digest in todo:
            yield job, render_job(data, job, settings, now, digest, recorded(job.folder(settings.out_dir)))
        return
    _warm_up(settings)
    forked = "fork" in multiprocessing.get_all_start_methods()
    # Forked workers inherit the loaded data and the warm imports; spawned ones load the data once each.
    context = multiprocessing.get_context("fork" if forked else "spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_adopt,
                             initargs=(data if forked else None, settings)) as pool:
        futures = [pool.submit(_work, job, settings, now, digest, recorded(job.folder(settings.out_dir)))
                   for job, digest in todo]
        for future in as_completed(futures):
            yield future.result()


def _warm_up(settings: Settings) -> None:
    """Import the drawing and layout stages, and load their fonts, before forking: the workers
    then share all of it instead of each doing it again."""
    from reports.charts import canvas as charts
    from reports import render  # noqa: F401

    charts.register_fonts()
    if "pdf" in settings.formats:
        from reports.render.pdf import warm_up

        warm_up()


def _on_dask(data, settings, todo, now) -> Iterator[tuple[Job, dict | Skipped]]:
    try:
        from dask.distributed import Client, as_completed as completed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'crypto-weekly-brief[cluster]'.") from None
    try:
        client = Client(settings.scheduler, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {settings.scheduler} ({error}). "
                         "Check the address and that the scheduler is running.") from None
    with client:
        shared = client.scatter(data, broadcast=True)
        futures = {
            client.submit(render_job, shared, job, settings, now, digest, recorded(job.folder(settings.out_dir)),
                          key=f"brief-{job.week_end}-{job.asset_id or 'market'}-{digest[:16]}"): job
            for job, digest in todo
        }
        for future in completed(futures):
            yield futures[future], future.result()
