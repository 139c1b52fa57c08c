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

KNOWN_FIXTURE_DIFFERENCES = {
    "NET003-negative-private-subnet":
        "the Terraform fixture sets associate_public_ip_address = true, the "
        "CloudFormation one sets no AssociatePublicIpAddress (same verdict: no route)",
}
"""Fixtures whose two formats state different things; fix the fixture, then drop it here."""


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair[0])
def test_fixture_models_agree(pair: Pair) -> None:
    name, folder, template = pair
    if name in KNOWN_FIXTURE_DIFFERENCES:
        pytest.xfail(KNOWN_FIXTURE_DIFFERENCES[name])
    terraform = load_terraform(folder, folder, TerraformInputs()).model
    cloudformation = load_cloudformation(template, template.parent, CloudFormationInputs()).model
    assert not differences(canonical(terraform), canonical(cloudformation))


def test_every_rule_has_a_compared_pair() -> None:
    assert {name.split("-")[0] for name, _, _ in PAIRS} == set(load_catalogue())
