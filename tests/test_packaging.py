"""An installed wheel carries the rule packages (policies/ is data, not code), so that
pre-commit's `language: python` hook and `pip install` users get every rule."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
# pip builds in an isolated environment with setuptools from the package registry, as a
# user's `pip install` and pre-commit's python hooks do.


def test_wheel_contains_every_rule_and_its_data(tmp_path: Path) -> None:
    # Build from a copy, so setuptools' build/ folder never lands in the checkout.
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--wheel-dir", str(tmp_path), str(source)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("policycheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"policycheck/policies/{p.relative_to(ROOT / 'policies').as_posix()}"
                for p in (ROOT / "policies").rglob("*") if p.is_file()
                and p.suffix in (".yaml", ".yml", ".json", ".tf", ".md")}
    assert expected and expected <= names, sorted(expected - names)[:5]
