"""The package's layout holds: every module imports on its own, in a fresh interpreter.

An import cycle or a module that only works after another has been imported fails here
(before the move, `import reports.validate` on its own raised ImportError).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "reports").rglob("*.py")
)
STAGES = ("core", "document", "data", "facts", "story", "charts", "render", "build", "publish", "check", "cli")  # in import order


def imported(path: Path) -> list[str]:
    """The `reports.*` modules a file imports, at its top or inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("reports."):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("reports.")]
    return found


def test_the_folders_are_the_stages():
    folders = sorted(path.name for path in (ROOT / "reports").iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == sorted(STAGES)
    assert [path.name for path in (ROOT / "reports").glob("*.py")] == ["__init__.py"]


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_on_its_own(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_imports_run_one_way_down_the_stages():
    """A stage imports only itself and the stages before it (core <- document <- data <- facts <- story
    <- charts <- render <- build <- publish <- check <- cli), and every import is absolute."""
    upward = []
    for path in sorted((ROOT / "reports").rglob("*.py")):
        stage = path.relative_to(ROOT / "reports").parts[0]
        if stage not in STAGES:
            continue
        for module in imported(path):
            other = module.split(".")[1]
            if STAGES.index(other) > STAGES.index(stage):
                upward.append(f"{path.relative_to(ROOT)} imports {module}")
        relative = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(node, ast.ImportFrom) and node.level]
        assert not relative, f"{path.relative_to(ROOT)}: relative import on line {relative[0].lineno}"
    assert upward == []


def test_publishers_never_import_the_build_or_the_facts():
    """The site and the mailer read what a build wrote (brief.json through reports.document), never
    the stages that made it (the Jinja environment of render/ is shared): publishing cannot change a brief."""
    reached = [f"{path.relative_to(ROOT)} imports {module}"
               for path in sorted((ROOT / "reports" / "publish").rglob("*.py"))
               for module in imported(path)
               if module.split(".")[1] in ("build", "facts", "story", "charts") or module == "reports.data.model"]
    assert reached == []


def test_the_checker_reads_the_document_only():
    reached = [f"{path.relative_to(ROOT)} imports {module}"
               for path in sorted((ROOT / "reports" / "check").rglob("*.py"))
               for module in imported(path)
               if module.split(".")[1] in ("data", "facts", "build", "publish")]
    assert reached == []
