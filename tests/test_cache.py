"""The parse cache: hits only while every file the unit was built from is unchanged,
corrupt entries are misses, and nothing read back is executed (JSON, validated)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policycheck.scan import ScanOptions, scan

EXAMPLE = Path(__file__).parents[1] / "examples" / "insecure-web"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLE, target / "web", ignore=shutil.ignore_patterns("*.json", "*.md"))
    return target


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json"))


def test_warm_scan_reuses_the_model_and_reports_the_same(repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(cache_dir=tmp_path / "cache")
    cold = scan([repo], options)
    assert len(_entries(tmp_path / "cache")) == 1
    warm = scan([repo], options)
    assert warm.model_dump() == cold.model_dump()


def test_an_edit_to_any_file_read_is_a_miss(repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(cache_dir=tmp_path / "cache")
    before = scan([repo], options)
    security = repo / "web" / "security.tf"
    security.write_text(security.read_text(encoding="utf-8").replace("22", "2222"),
                        encoding="utf-8")
    after = scan([repo], options)
    fresh = scan([repo], ScanOptions())
    assert after.model_dump() == fresh.model_dump()
    assert after.model_dump() != before.model_dump()


def test_a_new_file_in_the_module_is_a_miss(repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(cache_dir=tmp_path / "cache")
    scan([repo], options)
    (repo / "web" / "extra.tf").write_text(
        'resource "aws_s3_bucket" "extra" {\n  bucket = "extra"\n}\n', encoding="utf-8")
    after = scan([repo], options)
    assert any(b.id == "aws_s3_bucket.extra" for b in after.units[0].model.s3_buckets)


def test_corrupt_entries_are_misses(repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(cache_dir=tmp_path / "cache")
    expected = scan([repo], options).model_dump()
    for garbage in (b"", b"{not json", b'{"format": 1, "key": "x"}',
                    b"\x80\x04\x95 pickle-looking bytes"):
        for entry in _entries(tmp_path / "cache"):
            entry.write_bytes(garbage)
        assert scan([repo], options).model_dump() == expected


def test_deleted_cache_and_unwritable_cache_only_cost_speed(repo: Path, tmp_path: Path) -> None:
    options = ScanOptions(cache_dir=tmp_path / "cache")
    expected = scan([repo], options).model_dump()
    shutil.rmtree(tmp_path / "cache")
    assert scan([repo], options).model_dump() == expected
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    assert scan([repo], ScanOptions(cache_dir=blocked)).model_dump() == expected
