"""`make bench`: how fast a brief is, cold and warm, the floor a warm brief could reach, how fast
a backfill is, and QuantStats beside it.

Every figure is the median of several runs (the machine may be shared; medians resist noise).
Cold runs are separate processes, timed with a wall clock; their peak memory is measured in
as many more runs (see `timed`). The parsed-data cache and matplotlib's font cache are
warmed by one untimed run first, as they are on any machine after its first build (and so
are Python's bytecode caches, even where the shell sets PYTHONDONTWRITEBYTECODE).

The floor (see `floor`) is what the two libraries a brief is made with cost on their own for
the bundled data's latest week: WeasyPrint laying out and writing the brief's print HTML, plus
matplotlib drawing and encoding its five charts. "warm brief / floor" says how far a warm
brief is from it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pickle
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


def floor(runs: int, env: dict[str, str], warm_brief: float | None) -> None:
    """Seconds WeasyPrint and matplotlib alone take for the latest week's brief, in a fresh process.

    The inputs are made once, here, by the package (its latest-week story, charts and print HTML,
    with SOURCE_DATE_EPOCH pinning the clock). A new process (`_floor_child`), which never imports
    the package's renderers, then does one untimed round (imports are done, fonts and the first
    layout loaded: a warm process) and `runs` timed rounds. A round is
      - WeasyPrint: `HTML(string=html, base_url=assets).write_pdf()`, on the HTML the PDF renderer
        lays out (the same template with `print=True`), its stylesheet and @font-face rules inline
        and each chart an <img> of the brief's PNG file on disk. WeasyPrint's default path: it sets
        up its fonts, parses the stylesheet and decodes and re-compresses every PNG on each call,
        which the package's renderer does not (it keeps the first two and copies the PNG data as
        it is), so a part of our brief can be faster than its part of the floor;
      - matplotlib: for each of the five figures, the package's own drawer building it (`lay_out`:
        the artists, the axes and the margins fitted from measured tick labels), then
        `savefig(png)` (rasterising and PNG encoding through Pillow) at the figure's 200 dpi and
        the package's zlib level (RGBA, where the package writes RGB).
    The floor is the median round; it leaves out the facts, the story, the HTML, Markdown and JSON
    files, and writing the week's folder, which the warm brief includes.
    """
    from reports.build.pipeline import load_data
    from reports.charts.draw import draw_charts
    from reports.core import clock
    from reports.core.settings import load_settings
    from reports.facts.market import compute_facts
    from reports.facts.week import resolve_week
    from reports.render.html import chart_images, page
    from reports.render.templating import ASSETS, font_faces, stylesheet
    from reports.story.write import write_story

    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder)
        settings = load_settings(flags={"out_dir": inputs / "out"})
        data = load_data(settings)
        week = resolve_week(data, None, settings.week_ends_on)
        story = write_story(compute_facts(data, week, settings), settings, clock.now())
        brief = draw_charts(story)
        for chart in brief.charts:
            (inputs / f"{chart.id}.png").write_bytes(chart.png)
        images = chart_images(brief, lambda chart_id, extension: (inputs / f"{chart_id}.{extension}").as_uri())
        html = page(brief, settings, images, font_faces(False), stylesheet(), print=True)
        (inputs / "brief.html").write_text(html, encoding="utf-8")
        (inputs / "story.pickle").write_bytes(pickle.dumps(story))
        (inputs / "base_url").write_text(str(ASSETS), encoding="utf-8")
        command = [sys.executable, __file__, "--floor-of", folder, "--runs", str(runs)]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr}")
    rounds = json.loads(done.stdout)
    total = statistics.median(pdf + charts for pdf, charts in rounds)
    ratio = f"   warm brief / floor  {warm_brief / total:.2f}x" if warm_brief else ""
    print(f"floor (WeasyPrint + matplotlib alone)  {total:.2f} s{ratio}   "
          f"(median over {len(rounds)} rounds in a fresh process, week ending {week.end}: "
          f"WeasyPrint {statistics.median(pdf for pdf, _ in rounds):.2f} s, "
          f"matplotlib {statistics.median(charts for _, charts in rounds):.2f} s)")


def _floor_child(folder: Path, runs: int) -> None:
    """The timed part of `floor`: prints [[WeasyPrint seconds, matplotlib seconds], ...] as JSON."""
    import matplotlib
    from weasyprint import HTML

    from reports.charts.canvas import PNG_COMPRESSION, STYLE
    from reports.charts.draw import lay_out
    from reports.core.formatting import Formatter

    html = (folder / "brief.html").read_text(encoding="utf-8")
    base_url = (folder / "base_url").read_text(encoding="utf-8")
    story = pickle.loads((folder / "story.pickle").read_bytes())

    def pdf() -> None:
        HTML(string=html, base_url=base_url).write_pdf()

    def charts() -> None:
        fmt = Formatter(story.locale)
        for figure in story.figures:
            mpl, _ = lay_out(figure, story, fmt)
            with matplotlib.rc_context(STYLE):
                mpl.savefig(io.BytesIO(), format="png", pil_kwargs={"compress_level": PNG_COMPRESSION})

    rounds = []
    for _ in range(runs + 1):  # the first round loads fonts and lays out for the first time: not counted
        started = time.perf_counter()
        pdf()
        laid_out = time.perf_counter()
        charts()
        rounds.append([laid_out - started, time.perf_counter() - laid_out])
    print(json.dumps(rounds[1:]))


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


def message_size(env: dict[str, str], scratch: Path) -> None:
    """The size of one subscriber's message as `send` writes it (a dry run: the same bytes it mails),
    with the charts hosted on the site (base_url set, the PDF linked) and embedded (with and without
    the PDF attached)."""
    out, people = scratch / "mail-out", scratch / "people.csv"
    subprocess.run([sys.executable, "build.py", "brief", "--out", str(out)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    (week,) = [folder for folder in out.iterdir() if folder.is_dir() and folder.name[:1].isdigit()]
    people.write_text("email,name\nana@example.com,Ana\n", encoding="utf-8")
    mail_env = {**env, "BRIEF_DATA_DIR": str(scratch / "mail-data"), "MAIL_FROM": "Brief <brief@example.com>"}
    subprocess.run([sys.executable, "build.py", "subscribers", "import", str(people)], cwd=ROOT, env=mail_env,
                   check=True, capture_output=True)
    sizes = {}
    for label, extra in (("hosted images, PDF linked", {"BRIEF_BASE_URL": "https://brief.example.com/",
                                                        "BRIEF_IMAGES": "hosted"}),
                         ("embedded images, no PDF", {"BRIEF_IMAGES": "embedded", "BRIEF_ATTACH_PDF": "false"}),
                         ("embedded images and the PDF", {"BRIEF_IMAGES": "embedded"})):
        drafts = scratch / f"eml-{len(sizes)}"
        subprocess.run([sys.executable, "build.py", "send", str(week), "--dry-run", "--eml-dir", str(drafts)],
                       cwd=ROOT, env={**mail_env, **extra}, check=True, capture_output=True)
        (message,) = drafts.iterdir()
        sizes[label] = message.stat().st_size
    print("email message per subscriber: " + "; ".join(f"{label} {size:,} bytes ({size / 1024:.1f} KB)"
                                                       for label, size in sizes.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="cold runs per command (median reported)")
    parser.add_argument("--weeks", type=int, default=8, help="weeks built in the warm process")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the backfill")
    parser.add_argument("--quantstats", metavar="PYTHON", help="a Python with QuantStats installed (.bench-venv)")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: cold,warm,floor,backfill,mail")
    parser.add_argument("--floor-of", type=Path, help=argparse.SUPPRESS)  # the floor's timed process
    args = parser.parse_args()
    if args.floor_of:
        _floor_child(args.floor_of, args.runs)
        return
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
        warm_brief = None
        if "warm" not in skip:
            warm_brief = warm(args.weeks)
        if "floor" not in skip:
            floor(args.runs, env, warm_brief)
        if "backfill" not in skip:
            backfill(env, args.jobs)
        if "mail" not in skip:
            message_size(env, Path(scratch))
        print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
