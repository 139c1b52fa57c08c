"""The same inputs give byte-identical reports: whatever the hash seed, the number of
worker processes, or whether the models came from the parse cache (DESIGN §5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parents[1] / "examples"


def _reports(tmp_path: Path, name: str, seed: str, *args: str) -> tuple[bytes, bytes]:
    json_out, sarif_out = tmp_path / f"{name}.json", tmp_path / f"{name}.sarif"
    env = {**os.environ, "PYTHONHASHSEED": seed,
           "POLICYCHECK_CACHE_DIR": str(tmp_path / "cache")}
    completed = subprocess.run(
        [sys.executable, "-m", "policycheck", "scan", str(EXAMPLES), "--as-of", "2025-01-01",
         "-f", "json", "-o", str(json_out), "-f", "sarif", "-o", str(sarif_out), *args],
        env=env, capture_output=True, text=True, check=False)
    assert completed.returncode in (0, 1, 2), completed.stderr
    assert "Traceback" not in completed.stderr
    return json_out.read_bytes(), sarif_out.read_bytes()


def test_reports_are_byte_identical_across_seeds_jobs_and_cache(tmp_path: Path) -> None:
    baseline = _reports(tmp_path, "serial", "1", "--jobs", "1", "--no-cache")
    assert b'"findings"' in baseline[0]
    assert _reports(tmp_path, "parallel", "2", "--jobs", "4", "--no-cache") == baseline
    assert _reports(tmp_path, "cold-cache", "3", "--jobs", "4") == baseline
    assert any((tmp_path / "cache").rglob("*.json"))
    assert _reports(tmp_path, "warm-cache", "4", "--jobs", "1") == baseline
