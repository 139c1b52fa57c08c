"""Each example has a reviewed golden JSON report; the scan must reproduce it exactly.

Regenerate after a reviewed change with ``UPDATE_GOLDEN=1 pytest tests/test_examples.py``
and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policycheck.report.json import render_json
from policycheck.scan import scan

EXAMPLES = sorted(p for p in (Path(__file__).parents[1] / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_matches_golden_report(example: Path) -> None:
    report = render_json(scan([example]))
    golden = example / "expected-report.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(report, encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run with UPDATE_GOLDEN=1 and review it"
    assert report == golden.read_text(encoding="utf-8")


def test_scan_is_deterministic() -> None:
    first = render_json(scan(EXAMPLES))
    assert render_json(scan(EXAMPLES)) == first
