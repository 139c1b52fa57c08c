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


def _module_tree(tmp_path: Path) -> Path:
    """Two root modules sharing a local module, which calls a nested one."""
    (tmp_path / ".git").mkdir()
    for folder in ("live/prod", "live/stage", "modules/web", "modules/host", "other"):
        (tmp_path / folder).mkdir(parents=True)
    for root in ("prod", "stage"):
        (tmp_path / "live" / root / "main.tf").write_text(
            'module "web" {\n  source = "../../modules/web"\n}\n')
    (tmp_path / "modules/web/main.tf").write_text('module "host" {\n  source = "../host"\n}\n')
    (tmp_path / "modules/host/main.tf").write_text('resource "aws_vpc" "v" {}\n')
    registry = 'module "r" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    (tmp_path / "other/main.tf").write_text(registry)
    return tmp_path


def test_local_module_folders_are_not_root_modules_of_their_own(tmp_path: Path) -> None:
    root = _module_tree(tmp_path).resolve()
    assert discover([root]) == [Unit(UnitKind.TERRAFORM, root / "live/prod"),
                                Unit(UnitKind.TERRAFORM, root / "live/stage"),
                                Unit(UnitKind.TERRAFORM, root / "other")]


def test_a_changed_module_file_maps_to_every_root_module_using_it(tmp_path: Path) -> None:
    root = _module_tree(tmp_path).resolve()
    users = [Unit(UnitKind.TERRAFORM, root / "live/prod"),
             Unit(UnitKind.TERRAFORM, root / "live/stage")]
    assert discover([root / "modules/host/main.tf"]) == users  # through modules/web
    assert discover([root / "modules/web/main.tf", root / "live/prod/main.tf"]) == users
    assert discover([root / "other/main.tf"]) == [Unit(UnitKind.TERRAFORM, root / "other")]


def test_a_module_folder_scanned_alone_is_still_assessed(tmp_path: Path) -> None:
    root = _module_tree(tmp_path).resolve()
    assert discover([root / "modules"]) == [Unit(UnitKind.TERRAFORM, root / "modules/web")]


def test_terraform_plan_json_files_are_units(tmp_path: Path) -> None:
    plan = '{"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {}}'
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "prod.json").write_text(plan)
    (tmp_path / "plans" / "other.json").write_text('{"format_version": "1.0"}')
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "main.tf").write_text("")
    (tmp_path / "stack" / "plan.json").write_text(plan)
    found = discover([tmp_path])
    assert found == [Unit(UnitKind.TERRAFORM, (tmp_path / "stack").resolve()),
                     Unit(UnitKind.TERRAFORM_PLAN, (tmp_path / "plans" / "prod.json").resolve())]
    # A plan beside its configuration is assessed when named.
    named = discover([tmp_path / "stack" / "plan.json"])
    assert named == [Unit(UnitKind.TERRAFORM_PLAN, (tmp_path / "stack" / "plan.json").resolve())]


def test_a_folder_of_tf_json_files_is_a_root_module(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf.json").write_text('{"resource": {}}')
    expected = [Unit(UnitKind.TERRAFORM, (tmp_path / "net").resolve())]
    assert discover([tmp_path]) == expected
    assert discover([tmp_path / "net" / "main.tf.json"]) == expected
