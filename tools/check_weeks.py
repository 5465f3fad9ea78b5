"""Fact-check the brief of every week the bundled data allows (in-process, no charts or files).

Usage: .venv/bin/python tools/check_weeks.py [--first YYYY-MM-DD] [--last YYYY-MM-DD]
Prints each failure with its week, then one summary line; exits 2 if any week fails.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.check.report import check_story  # noqa: E402
from reports.facts.market import compute_facts  # noqa: E402
from reports.core.settings import load_settings  # noqa: E402
from reports.data.sources import bundled  # noqa: E402
from reports.data.validate import validate  # noqa: E402
from reports.facts.week import resolve_week  # noqa: E402
from reports.story.write import write_story  # noqa: E402


def buildable_weeks(data) -> list[date]:
    """Every day with prices whose day seven days earlier also has prices."""
    observed = data.prices.observed()
    days = {day.date() for day in observed.index[observed]}
    return sorted(day for day in days if day - timedelta(days=7) in days)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=date.fromisoformat)
    parser.add_argument("--last", type=date.fromisoformat)
    args = parser.parse_args()
    data = validate(bundled.load())
    weeks = [w for w in buildable_weeks(data) if (args.first is None or w >= args.first) and (args.last is None or w <= args.last)]
    published = datetime(2026, 2, 9, tzinfo=timezone.utc)
    sentences = figures = failed = 0
    for week_end in weeks:
        settings = load_settings(flags={"week_ending": week_end})
        facts = compute_facts(data, resolve_week(data, week_end, settings.week_ends_on), settings)
        report = check_story(write_story(facts, settings, published), settings)
        sentences, figures = sentences + report.sentences, figures + report.numbers
        for failure in report.failures:
            failed += 1
            print(f"{week_end} {failure}")
    print(f"{len(weeks)} weeks ({weeks[0]} .. {weeks[-1]}): {sentences} sentences, {figures} figures checked, "
          f"{failed} failure(s)")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
