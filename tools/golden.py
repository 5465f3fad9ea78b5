"""Golden briefs: build a fixed set of real weeks and record every output file's SHA-256.

The set is the market brief and the bitcoin, ether and tether briefs of five bundled weeks, in
every format, under a pinned clock. `tests/test_golden.py` rebuilds them and compares hashes,
so a refactor that changes a single byte of any brief is caught; the JSON and Markdown are
stored too, so that when bytes change on purpose the diff can be read.

    python tools/golden.py --update      # rebuild and record (review `git diff tests/golden` after)
    python tools/golden.py --check       # rebuild and compare, listing what differs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
MANIFEST = GOLDEN / "manifest.json"
EPOCH = "1770422400"  # 2026-02-07 00:00 UTC, the same pin as the test suite's
WEEKS = ("2025-10-27", "2025-12-14", "2026-02-06", "2026-03-15", "2026-03-22")
ASSETS = ("bitcoin", "ethereum", "tether")
READABLE = ("brief.json", "brief.md")  # kept whole beside the hashes, for reviewing a diff


def build(out: Path) -> None:
    """Build every golden brief into `out` with the real CLI, one process per week and kind."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env = {name: value for name, value in env.items() if not name.startswith("BRIEF_")}
    env["BRIEF_DATA_DIR"] = str(out / ".data-dir")
    for week in WEEKS:
        for extra in ((), ("--assets", ",".join(ASSETS))):
            command = [sys.executable, str(ROOT / "build.py"), "brief", "--week-ending", week, "--out", str(out), *extra]
            subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    shutil.rmtree(out / ".data-dir", ignore_errors=True)


def hashes(out: Path) -> dict[str, str]:
    """Every built file, by its path under `out`, with its SHA-256."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """One line per file that is missing, new or changed."""
    lines = [f"missing: {name}" for name in sorted(expected.keys() - actual.keys())]
    lines += [f"new: {name}" for name in sorted(actual.keys() - expected.keys())]
    lines += [f"changed: {name}" for name in sorted(expected.keys() & actual.keys()) if expected[name] != actual[name]]
    return lines


def record(out: Path) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    GOLDEN.mkdir(parents=True)
    for name in hashes(out):
        if Path(name).name in READABLE:
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / name, target)
    MANIFEST.write_text(json.dumps(hashes(out), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="record the current bytes as golden")
    parser.add_argument("--check", action="store_true", help="compare the current bytes with the golden ones")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        build(out)
        if args.update:
            record(out)
            print(f"recorded {len(hashes(out))} files in {MANIFEST.relative_to(ROOT)}")
            return 0
        found = differences(json.loads(MANIFEST.read_text(encoding="utf-8")), hashes(out))
        print("\n".join(found) or f"all {len(hashes(out))} files identical")
        return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
