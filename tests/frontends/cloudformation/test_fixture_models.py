"""Every rule fixture written in both formats (same kind and name) must produce the same
model, modulo ids, sources and the documented differences (see ``parity``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs, TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.rules.catalogue import load_catalogue

from .parity import canonical, differences

Pair = tuple[str, Path, Path]
"""(rule-kind-name id, Terraform folder, CloudFormation template)."""


def _pairs() -> list[Pair]:
    pairs = []
    for rule in load_catalogue().values():
        for folder in sorted((rule.fixtures / "terraform").glob("*-*")):
            kind, _, name = folder.name.partition("-")
            for suffix in (".yaml", ".yml", ".json"):
                template = rule.fixtures / "cloudformation" / f"{folder.name}{suffix}"
                if folder.is_dir() and template.is_file():
                    pairs.append((f"{rule.id}-{kind}-{name}", folder, template))
    return pairs


PAIRS = _pairs()

_ATTACHMENTS = (
    "documented difference: Terraform attaches managed policies with separate attachment "
    "resources, CloudFormation with the principal's ManagedPolicyArns (both also land in the "
    "principal's managed_policies, which is compared)",
    frozenset({"iam_policy_attachments"}))

_ROOT_DEVICE = (
    "documented difference: Terraform's root_block_device has no device name, while a "
    "CloudFormation mapping names one and the front-end infers root from it (/dev/xvda); "
    "the findings on encryption are compared by the rule-fixture parity test",
    frozenset({"instances.block_devices", "launch_templates.block_devices"}))
_NAMED_ROLES = (
    "the Terraform fixture names its roles and attaches with attachment resources; the "
    "CloudFormation one lets AWS name the roles and uses ManagedPolicyArns",
    frozenset({"iam_roles.name", "iam_policy_attachments"}))

_LOG_GROUPS = (
    "documented difference: CloudWatch log groups are not model objects, so a trail's and "
    "a metric filter's references to one keep each format's own id (Terraform address, "
    "CloudFormation logical id); the findings are compared by the rule-fixture parity test",
    frozenset({"cloudtrails.cloudwatch_log_group", "log_metric_filters.log_group"}))

KNOWN_FIXTURE_DIFFERENCES: dict[str, tuple[str, frozenset[str]]] = {
    "CIS401-positive-trail-without-filters": _LOG_GROUPS,
    "CIS401-positive-root-filter-without-alarm": _LOG_GROUPS,
    "CIS505-positive-default-group-with-rules": (
        "documented difference: aws_default_security_group replaces the default group's "
        "rules, while rules added in CloudFormation join AWS's default self-referencing "
        "ingress rule", frozenset({"security_groups.rules"})),
    "CIS103-positive-user-policies": _ATTACHMENTS,
    "CIS103-negative-permissions-through-groups": _ATTACHMENTS,
    "CIS104-positive-admin-policies": _ATTACHMENTS,
    "CIS104-negative-scoped-policies": _ATTACHMENTS,
    "CIS105-positive-group-without-support-role": _ATTACHMENTS,
    "CIS105-negative-support-role": _ATTACHMENTS,
    "CIS107-positive-cloudshell-attached": _ATTACHMENTS,
    "CIS107-negative-read-only": _ATTACHMENTS,
    "NET003-negative-private-subnet": (
        "the Terraform fixture sets associate_public_ip_address = true, the "
        "CloudFormation one sets no AssociatePublicIpAddress (same verdict: no route)",
        frozenset({"instances.associate_public_ip_address"})),
    "CVE001-negative-supported-runtime": (
        "the Terraform fixture names its role, the CloudFormation one lets AWS name it",
        frozenset({"iam_roles.name"})),
    "CVE001-positive-deprecated-runtime": (
        "the Terraform fixture names its role, the CloudFormation one lets AWS name it",
        frozenset({"iam_roles.name"})),
    "CVE002-positive-old-engines": (
        "the Terraform fixture names its role, the CloudFormation one lets AWS name it",
        frozenset({"iam_roles.name"})),
    "CVE003-negative-supported-images": (
        "documented difference: an AMI is looked up by an aws_ami data source in "
        "Terraform and by an SSM public parameter in CloudFormation",
        frozenset({"images", "instances.ami", "launch_templates.ami"})),
    "CVE003-positive-eol-images": (
        "documented difference: an AMI is looked up by an aws_ami data source in "
        "Terraform and by an SSM public parameter in CloudFormation",
        frozenset({"images", "instances.ami", "launch_templates.ami"})),
    "SBP011-negative-volumes": _ROOT_DEVICE,
    "SBP011-positive-volumes": _ROOT_DEVICE,
    "SBP012-negative-instance-role": _NAMED_ROLES,
    "SBP012-positive-instance-role": _NAMED_ROLES,
}
"""Fixture pairs whose two formats state different things (fix the fixture, then drop
it here) or differ by design: the fields left out of their comparison, and why."""


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair[0])
def test_fixture_models_agree(pair: Pair) -> None:
    name, folder, template = pair
    _, ignored = KNOWN_FIXTURE_DIFFERENCES.get(name, ("", frozenset[str]()))
    terraform = load_terraform(folder, folder, TerraformInputs()).model
    cloudformation = load_cloudformation(template, template.parent, CloudFormationInputs()).model
    assert not differences(canonical(terraform, ignored), canonical(cloudformation, ignored))


def test_every_rule_has_a_compared_pair() -> None:
    assert {name.split("-")[0] for name, _, _ in PAIRS} == set(load_catalogue())
