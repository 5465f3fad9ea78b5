#!/usr/bin/env python3
"""Entry script: `python build.py` builds the latest complete week; `--help` lists the rest."""

from reports.cli.main import run

if __name__ == "__main__":
    run()
