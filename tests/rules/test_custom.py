"""Custom JMESPath policies: loading, validation errors with file and line, evaluation,
and the same scan pipeline and reports as bundled rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.diagnostics import DiagnosticLevel
from policycheck.model import Instance, Model, SourceRef
from policycheck.rules.catalogue import load_catalogue
from policycheck.rules.custom import evaluate, load_custom_policies, truthy
from policycheck.scan import ScanOptions, scan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom-policies"

VALID = """id: ORG100
name: owner-tag
title: Instances carry an Owner tag
severity: LOW
resource_types: [Instance]
condition: "!(tags.Owner)"
"""


def _policy(tmp_path: Path, body: str, name: str = "rule.yaml") -> Path:
    folder = tmp_path / "policies" / "ORG100-owner-tag"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body)
    return tmp_path / "policies"


def _instance(name: str, tags: dict[str, str]) -> Instance:
    return Instance(id=f"aws_instance.{name}", tags=tags,
                    source=SourceRef(file="main.tf", line=3, address=f"aws_instance.{name}",
                                     resource_type="aws_instance"))


def test_example_policy_fires_on_the_example_stack_only_where_it_should() -> None:
    result = scan([EXAMPLE / "stack"],
                  ScanOptions(custom_policies=(EXAMPLE / "policies",), packages=("custom",)))
    assert not result.errors
    assert [(f.rule_id, f.resource, f.package) for f in result.findings] == [
        ("ORG001", "aws_instance.orphan", "custom")]
    assert result.findings[0].line == 32 and result.findings[0].file == "main.tf"


def test_condition_selects_violations(tmp_path: Path) -> None:
    policies = load_custom_policies([_policy(tmp_path, VALID)])
    assert not policies.diagnostics
    model = Model(unit=".", instances=[_instance("a", {"Owner": "x"}), _instance("b", {})])
    findings, errors = evaluate(policies.rules["ORG100"], model)
    assert [f.resource for f in findings] == ["aws_instance.b"] and not errors
    assert findings[0].fingerprint != ""


def test_resource_types_accept_kinds_and_collections(tmp_path: Path) -> None:
    body = VALID.replace("[Instance]", "[instances, LaunchTemplate]")
    rule = load_custom_policies([_policy(tmp_path, body)]).rules["ORG100"]
    assert rule.collections == ("instances", "launch_templates")


@pytest.mark.parametrize("value, expected", [
    (None, False), (False, False), ("", False), ([], False), ({}, False),
    (0, True), (True, True), ("x", True), ([0], True)])
def test_jmespath_truthiness(value: object, expected: bool) -> None:
    assert truthy(value) is expected


@pytest.mark.parametrize("body, line, words", [
    (VALID + "colour: red\n", 7, "colour"),
    (VALID.replace('"!(tags.Owner)"', '"tags.[Owner"'), 6, "JMESPath"),
    (VALID.replace("[Instance]", "[Instanse]"), 5, "unknown resource type"),
    (VALID.replace("ORG100", "NET001"), 1, "already used"),
    (VALID.replace("severity: LOW", "severity: SEVERE"), 4, "severity"),
    (VALID + "  bad: [\n", None, "invalid YAML"),
    ("- just a list\n", 1, "mapping"),
])
def test_invalid_policies_are_errors_with_file_and_line(
        tmp_path: Path, body: str, line: int | None, words: str) -> None:
    folder = _policy(tmp_path, body)
    policies = load_custom_policies([folder], reserved=load_catalogue())
    assert not policies.rules
    (problem,) = policies.diagnostics
    assert problem.level is DiagnosticLevel.ERROR
    assert problem.file.endswith("ORG100-owner-tag/rule.yaml")
    assert words in problem.message
    if line is not None:
        assert problem.line == line


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    (problem,) = load_custom_policies([tmp_path / "nope"]).diagnostics
    assert "not found" in problem.message


def test_duplicate_custom_ids_are_reported(tmp_path: Path) -> None:
    folder = _policy(tmp_path, VALID)
    (folder / "other.yaml").write_text(VALID.replace("owner-tag", "other-name"))
    policies = load_custom_policies([folder])
    assert list(policies.rules) == ["ORG100"]
    assert "already used" in policies.diagnostics[0].message


def test_evaluation_error_is_reported_not_swallowed(tmp_path: Path) -> None:
    body = VALID.replace('"!(tags.Owner)"', '"length(`5`)"')
    rule = load_custom_policies([_policy(tmp_path, body)]).rules["ORG100"]
    findings, errors = evaluate(rule, Model(unit=".", instances=[_instance("a", {})]))
    assert not findings and "failed on aws_instance.a" in errors[0].message


def test_cli_runs_custom_policies_and_exits_2_on_a_broken_one(tmp_path: Path) -> None:
    runner = CliRunner()
    stack, policies = str(EXAMPLE / "stack"), str(EXAMPLE / "policies")
    ok = runner.invoke(app, ["scan", stack, "--policies", policies, "--fail-on", "low"])
    assert ok.exit_code == 1 and "ORG001" in ok.output
    broken = _policy(tmp_path, VALID.replace('"!(tags.Owner)"', '"tags.[Owner"'))
    failed = runner.invoke(app, ["scan", stack, "--policies", str(broken)])
    assert failed.exit_code == 2 and "JMESPath" in failed.output


def test_custom_findings_can_be_skipped_like_bundled_rules() -> None:
    result = scan([EXAMPLE / "stack"], ScanOptions(custom_policies=(EXAMPLE / "policies",),
                                                   packages=("custom",), skip_rules=("ORG001",)))
    assert not result.findings
