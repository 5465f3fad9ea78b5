"""Benchmark the site build: a full build of every week in OUT, a rebuild that changes nothing,
and the rebuild after adding one week (the newest), each timed in-process.

    .venv/bin/python tools/bench_site.py --briefs /tmp/i5out [--runs 3]

OUT is copied to a temporary folder first and never changed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.core.settings import load_settings  # noqa: E402
from reports.publish.site.briefs import is_week_folder  # noqa: E402
from reports.publish.site.build import build_site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=Path, required=True, help="a folder of built briefs, OUT/<date>/")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out, held = Path(scratch) / "out", Path(scratch) / "held"
        shutil.copytree(args.briefs, out)
        newest = max(folder for folder in out.iterdir() if is_week_folder(folder))
        for run in range(1, args.runs + 1):
            site = Path(scratch) / f"site-{run}"
            settings = load_settings(flags={"out_dir": out, "site_dir": site, "base_url": "https://brief.example.com/"})
            newest.rename(held)
            full = build_site(settings)
            same = build_site(settings)
            held.rename(newest)
            added = build_site(settings)
            print(f"run {run}: full build of {full.weeks} weeks {full.seconds:.2f} s ({len(full.published.written)} files); "
                  f"no-change rebuild {same.seconds:.2f} s ({len(same.published.written)} written); "
                  f"after adding {newest.name} {added.seconds:.2f} s ({len(added.published.written)} written, "
                  f"{len(added.published.unchanged)} unchanged)")


if __name__ == "__main__":
    main()
