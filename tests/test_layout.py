"""The package's layout holds: every module imports on its own, in a fresh interpreter.

An import cycle or a module that only works after another has been imported fails here
(before the move, `import reports.validate` on its own raised ImportError).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "reports").rglob("*.py")
)
STAGES = ("core", "data", "facts", "story", "charts", "render", "build", "publish", "check", "cli")


def test_the_folders_are_the_stages():
    folders = sorted(path.name for path in (ROOT / "reports").iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == sorted(STAGES)
    assert [path.name for path in (ROOT / "reports").glob("*.py")] == ["__init__.py"]


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_on_its_own(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
