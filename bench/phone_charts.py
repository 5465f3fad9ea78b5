"""What the phone versions of the charts (the site's narrow PNGs) add to a brief's build, per week.

For each week, the market brief's and one asset brief's figures are drawn both ways in this process
(fonts, data and story already loaded, as in a batch), each way the median of several rounds:
the desktop PNGs alone, and the phone PNGs alone; the phone time is what a build now adds.

    .venv/bin/python bench/phone_charts.py [--weeks 2026-03-01,2026-03-08,2026-03-15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default="2026-03-01,2026-03-08,2026-03-15")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from reports.build.pipeline import load_data
    from reports.charts.draw import _raster
    from reports.core.formatting import Formatter
    from reports.core.settings import load_settings
    from reports.facts.asset import compute_asset_facts
    from reports.facts.week import resolve_week
    from reports.story.asset import write_asset_story
    from reports.story.write import write_story
    from reports.facts.market import compute_facts

    settings = load_settings()
    data = load_data(settings)
    print(f"{'week':<12}{'brief':<10}{'charts':>7}{'desktop s':>11}{'phone s':>9}{'added':>8}")
    for text in args.weeks.split(","):
        week = resolve_week(data, date.fromisoformat(text), settings.week_ends_on)
        stories = {"market": write_story(compute_facts(data, week, settings), settings, settings_now()),
                   "bitcoin": write_asset_story(compute_asset_facts(data, week, "bitcoin", settings), settings,
                                                settings_now())}
        for name, story in stories.items():
            fmt = Formatter(story.locale)
            times = {}
            for phone in (False, True):
                runs = []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    for figure in story.figures:
                        _raster(figure, story, fmt, phone)
                    runs.append(time.perf_counter() - started)
                times[phone] = statistics.median(runs)
            print(f"{text:<12}{name:<10}{len(story.figures):>7}{times[False]:>11.3f}{times[True]:>9.3f}"
                  f"{times[True] / times[False]:>7.0%}")


def settings_now():
    from reports.core import clock

    return clock.now()


if __name__ == "__main__":
    main()
