"""Benchmark (not a test): send one brief to N subscribers through a local aiosmtpd server and
print messages per second, then check the campaign's invariant and that nobody got two copies.

    .venv/bin/python bench/send_bench.py                       # 10,000 subscribers, builds 2026-02-06
    .venv/bin/python bench/send_bench.py --brief out/2026-02-06 --count 2000 --concurrency 8 --no-pdf

Runs `build.py send` as a subprocess (what an operator runs) against a fresh data directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import smtp_server  # noqa: E402  (the tests' recording server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brief", type=Path, help="A built week folder (default: build 2026-02-06 into a temp dir).")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-pdf", action="store_true", help="Leave the PDF attachment out.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="send-bench-"))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1770595200", BRIEF_DATA_DIR=str(work / "data"))
    for name in [n for n in env if n.startswith("BRIEF_") and n != "BRIEF_DATA_DIR"]:
        del env[name]
    python = [sys.executable, str(ROOT / "build.py")]
    brief = args.brief
    if brief is None:
        subprocess.run([*python, "brief", "--week-ending", "2026-02-06", "--formats", "html,pdf,json",
                        "--out", str(work / "out")], env=env, check=True, stdout=subprocess.DEVNULL)
        brief = work / "out" / "2026-02-06"
    roster = work / "subscribers.csv"
    roster.write_text("email,name\n" + "".join(f"reader{i:05d}@example.com,Reader {i}\n" for i in range(args.count)))
    subprocess.run([*python, "subscribers", "import", str(roster)], env=env, check=True)

    recorder = smtp_server.Recorder(keep_bodies=False)
    server = smtp_server.start(recorder)
    env.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(server.port), SMTP_SECURITY="none",
               BRIEF_SEND_CONCURRENCY=str(args.concurrency), BRIEF_ATTACH_PDF=str(not args.no_pdf).lower())
    started = time.perf_counter()
    run = subprocess.run([*python, "send", str(brief)], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    server.stop()
    print(run.stdout.strip())
    if run.returncode:
        print(run.stderr, file=sys.stderr)
        sys.exit(run.returncode)
    duplicates = sum(count - 1 for count in recorder.received.values() if count > 1)
    print(f"{recorder.count} messages received by the server, {len(recorder.received)} distinct recipients, "
          f"{duplicates} duplicates, {recorder.bytes / max(recorder.count, 1) / 1e6:.2f} MB per message")
    print(f"{recorder.count / elapsed:.1f} messages/second, {recorder.bytes / elapsed / 1e6:.1f} MB/s "
          f"({recorder.count} in {elapsed:.1f} s, concurrency {args.concurrency}, "
          f"pdf {'off' if args.no_pdf else 'on'}, including process start)")


if __name__ == "__main__":
    main()
