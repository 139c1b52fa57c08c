"""Finding the units to assess."""

from __future__ import annotations

from pathlib import Path

from policycheck.discover import Unit, UnitKind, discover, scan_root


def test_folders_with_tf_files_are_root_modules_and_templates_are_found(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text("")
    (tmp_path / "net" / ".terraform").mkdir()
    (tmp_path / "net" / ".terraform" / "cached.tf").write_text("")
    (tmp_path / "stack.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    (tmp_path / "values.yaml").write_text("replicas: 3\n")
    (tmp_path / "package.json").write_text('{"name": "x"}')
    units = discover([tmp_path])
    assert units == sorted([Unit(UnitKind.TERRAFORM, (tmp_path / "net").resolve()),
                            Unit(UnitKind.CLOUDFORMATION, (tmp_path / "stack.yaml").resolve())])


def test_a_tf_file_stands_for_its_folder(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text("")
    (tmp_path / "b.tf").write_text("")
    units = discover([tmp_path / "a.tf", tmp_path / "b.tf"])
    assert units == [Unit(UnitKind.TERRAFORM, tmp_path.resolve())]


def test_scan_root_is_the_common_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.tf").write_text("")
    assert scan_root([tmp_path / "a"]) == (tmp_path / "a").resolve()
    assert scan_root([tmp_path / "a", tmp_path / "b" / "x.tf"]) == tmp_path.resolve()
