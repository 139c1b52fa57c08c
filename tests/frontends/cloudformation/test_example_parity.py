"""Every Terraform example has a CloudFormation twin (``examples/<name>-cfn``): the two
give the same model modulo ids and sources, and the same reachability findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policycheck.findings import Finding
from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs, TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.scan import ScanOptions, scan

from .parity import canonical, differences

EXAMPLES = Path(__file__).parents[3] / "examples"
TERRAFORM = sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and any(p.glob("*.tf")))
TWINS = [(p, EXAMPLES / f"{p.name}-cfn") for p in TERRAFORM
         if (EXAMPLES / f"{p.name}-cfn").is_dir()]


DOCUMENTED_DIFFERENCES: dict[str, tuple[str, frozenset[str]]] = {
    "three-tier-hardened": (
        "aws_default_security_group empties the VPC's default group; CloudFormation "
        "cannot manage the default group's rules", frozenset({"default security group"})),
    "modules-web": (
        "Terraform's default_tags also tag instance profiles, which take no Tags in "
        "CloudFormation; a root_block_device has no device name, a BlockDeviceMapping "
        "names /dev/xvda", frozenset({"iam_instance_profiles.tags", "instances.device_name"})),
    "host-risks": (
        "the image is an aws_ami name-filter lookup in Terraform and a public SSM image "
        "parameter in CloudFormation (same operating system, same CVE003 finding)",
        frozenset({"images", "instances.ami"})),
}
"""Twins whose models differ by design (docs/cloudformation.md, differences from
Terraform): what the comparison leaves out for them, and why."""


def _without_default_groups(model: dict[str, list[Any]]) -> dict[str, list[Any]]:
    groups = [g for g in model.get("security_groups", []) if not g.get("is_default")]
    return {**model, "security_groups": groups}


def test_every_terraform_example_has_a_cloudformation_twin() -> None:
    assert [p.name for p, _ in TWINS] == [p.name for p in TERRAFORM]


@pytest.mark.parametrize("pair", TWINS, ids=lambda pair: pair[0].name)
def test_twin_models_are_equal(pair: tuple[Path, Path]) -> None:
    terraform, twin = pair
    template = twin / "template.yaml"
    _, ignored = DOCUMENTED_DIFFERENCES.get(terraform.name, ("", frozenset[str]()))
    left = canonical(load_terraform(terraform, terraform, TerraformInputs()).model, ignored)
    right = canonical(load_cloudformation(template, twin, CloudFormationInputs()).model,
                      ignored)
    if "default security group" in ignored:
        left, right = _without_default_groups(left), _without_default_groups(right)
    assert sum(map(len, right.values())) > 10
    assert not differences(left, right)


def _signature(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted((f.rule_id, f.severity, f.finding_type, f.path_kind, f.protocol,
                   tuple(f.ports or ()), tuple(f.sources or ())) for f in findings)


@pytest.mark.parametrize("pair", TWINS, ids=lambda pair: pair[0].name)
def test_twin_findings_match(pair: tuple[Path, Path]) -> None:
    terraform, twin = pair
    left, right = scan([terraform]), scan([twin])
    assert not right.errors
    assert right.findings, "a twin that finds nothing proves nothing"
    assert _signature(right.findings) == _signature(left.findings)
    assert {Path(f.file).suffix for f in right.findings} == {".yaml"}


CUSTOM = EXAMPLES / "custom-policies"
CUSTOM_TWIN = EXAMPLES / "custom-policies-cfn"


def test_custom_policies_twin_model_is_equal() -> None:
    stack = CUSTOM / "stack"  # the Terraform stack lives beside its policies
    left = canonical(load_terraform(stack, stack, TerraformInputs()).model, frozenset())
    right = canonical(load_cloudformation(CUSTOM_TWIN / "template.yaml", CUSTOM_TWIN,
                                          CloudFormationInputs()).model, frozenset())
    assert sum(map(len, right.values())) == 5  # VPC, subnet, group, two instances
    assert not differences(left, right)


def test_custom_policies_twin_findings_match() -> None:
    """The same custom rules fire on both formats, with one documented difference:
    ORG002 (every rule has a description) also sees the allow-all egress rule AWS
    gives a group CloudFormation creates without ``SecurityGroupEgress``, which has no
    description; Terraform removes that rule."""
    options = ScanOptions(custom_policies=(CUSTOM / "policies",))
    left, right = scan([CUSTOM / "stack"], options), scan([CUSTOM_TWIN], options)
    assert not left.errors and not right.errors
    twin_only = [(f.rule_id, f.resource) for f in right.findings if f.rule_id == "ORG002"]
    assert twin_only == [("ORG002", "AppGroup")]
    assert _signature([f for f in right.findings if f.rule_id != "ORG002"]) == _signature(
        left.findings)
    assert ("ORG001", "Orphan") in {(f.rule_id, f.resource) for f in right.findings}
