"""`make bench`: how fast a brief is, cold and warm, how fast a backfill is, and QuantStats beside it.

Every figure is the median of several runs (the machine may be shared; medians resist noise).
Cold runs are separate processes, timed with a wall clock; their peak memory is measured in
as many more runs (see `timed`). The parsed-data cache and matplotlib's font cache are
warmed by one untimed run first, as they are on any machine after its first build (and so
are Python's bytecode caches, even where the shell sets PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "reports" / "data" / "bundle"
BACKFILL = ("2025-08-01", "2026-03-31")  # every Sunday the bundled prices cover


def timed(command: list[str], env: dict[str, str], sample: bool = False) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one child process and every process it starts.

    Memory is the larger of the child's own maximum resident set (from wait4) and, when
    `sample`, the highest memory of the child and its descendants together (a PDF helper, a
    chart helper, pool workers), sampled every 10 ms as the sum of their proportional set
    sizes (PSS: a page a forked child still shares with its parent counts once, split between
    them). Sampling takes CPU from the run on a 2-core machine, so walls come from unsampled runs.
    """
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = 0
    while sample:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, _tree_rss(child.pid))
        time.sleep(0.01)
    else:
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    return wall, max(usage.ru_maxrss / 1024, tree_peak / 2**20)


def _tree_rss(pid: int) -> int:
    """Bytes of memory `pid` and all its descendants hold now, shared pages counted once (PSS)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def cold(label: str, command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    timed(command, env)  # warm the disk and the caches; not counted
    samples = [timed(command, env) for _ in range(runs)]
    memory = [timed(command, env, sample=True)[1] for _ in range(runs)]
    wall = statistics.median(s[0] for s in samples)
    rss = statistics.median(memory)
    print(f"{label}: median {wall:.2f} s wall over {runs} cold runs (walls {', '.join(f'{s[0]:.2f}' for s in samples)}); "
          f"median {rss:.0f} MB peak memory (process tree, PSS) over {runs} more")
    return wall, rss


def warm(weeks: int) -> float:
    """Seconds per full brief inside one process that has already loaded everything."""
    from reports.build.pipeline import build_week, load_data
    from reports.core.settings import load_settings
    from reports.build.batch import week_ends
    from reports.facts.week import resolve_week

    with tempfile.TemporaryDirectory() as out:
        settings = load_settings(flags={"out_dir": Path(out)})
        data = load_data(settings)
        ends = [end for end in week_ends(date(2025, 8, 1), date(2026, 3, 22), "sunday")][-(weeks + 1):]
        ends = [end for end in ends if _supported(data, end, resolve_week)]
        build_week(data, ends[0], settings)  # first brief loads fonts and templates: not counted
        samples = []
        for end in ends[1:]:
            started = time.perf_counter()
            build_week(data, end, settings)
            samples.append(time.perf_counter() - started)
    per_brief = statistics.median(samples)
    print(f"warm process: median {per_brief:.2f} s per full brief over {len(samples)} weeks "
          f"(min {min(samples):.2f}, max {max(samples):.2f})")
    return per_brief


def _supported(data, end, resolve_week) -> bool:
    try:
        resolve_week(data, end, "sunday")
        return True
    except Exception:
        return False


def backfill(env: dict[str, str], jobs: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "build.py", "backfill", "--from", BACKFILL[0], "--to", BACKFILL[1],
                   "--out", out, "--jobs", str(jobs)]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
        built = int(result.stdout.split("built ")[1].split(",")[0])
        print(f"backfill {BACKFILL[0]}..{BACKFILL[1]} on {jobs} processes: {built} full briefs in {wall:.1f} s "
              f"= {wall / max(built, 1):.2f} s per brief (wall, whole command)")
        again = [timed(command, env)[0] for _ in range(3)]
        print(f"backfill again, nothing changed: median {statistics.median(again):.2f} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="cold runs per command (median reported)")
    parser.add_argument("--weeks", type=int, default=8, help="weeks built in the warm process")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the backfill")
    parser.add_argument("--quantstats", metavar="PYTHON", help="a Python with QuantStats installed (.bench-venv)")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: cold,warm,backfill")
    args = parser.parse_args()
    skip = set(args.skip.split(","))

    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1774224000")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine, the untimed first run leaves .pyc files
    with tempfile.TemporaryDirectory() as scratch:
        env["BRIEF_DATA_DIR"] = str(Path(scratch) / "data")
        env["MPLCONFIGDIR"] = env.get("MPLCONFIGDIR", str(Path(scratch) / "mpl"))
        os.environ.update({key: env[key] for key in ("SOURCE_DATE_EPOCH", "BRIEF_DATA_DIR", "MPLCONFIGDIR")})
        print(f"machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        ours = None
        if "cold" not in skip:
            ours = cold("our brief (html, pdf, md, json, 5 charts), cold process",
                        [sys.executable, "build.py", "brief", "--out", str(Path(scratch) / "out")], env, args.runs)
        if args.quantstats:
            theirs = cold("QuantStats HTML report, bitcoin vs ether, cold process",
                          [args.quantstats, str(ROOT / "bench" / "qs_report.py"), str(DATA / "coinmetrics_daily.csv"),
                           str(Path(scratch) / "quantstats.html")], env, args.runs)
            if ours:
                print(f"ratio ours / QuantStats: {ours[0] / theirs[0]:.2f} x wall, {ours[1] / theirs[1]:.2f} x peak RSS")
        if "warm" not in skip:
            warm(args.weeks)
        if "backfill" not in skip:
            backfill(env, args.jobs)
        print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
