"""Every rule's fixtures, discovered automatically: positives fire exactly on their
``# expect:`` lines, negatives never fire, and Terraform and CloudFormation agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.diagnostics import DiagnosticLevel
from policycheck.findings import Finding
from policycheck.rules.catalogue import load_catalogue
from policycheck.scan import ScanOptions, scan
from tests.policies.fixtures import Fixture, all_fixtures, fixtures_of

FIXTURES = all_fixtures()


def _findings(fixture: Fixture) -> list[Finding]:
    result = scan([fixture.path], ScanOptions(rules=(fixture.rule.id,)))
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    assert not errors, f"fixture did not load cleanly: {errors}"
    assert result.units, "fixture produced no unit"
    return [f for f in result.findings if f.rule_id == fixture.rule.id]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.test_id)
def test_fixture(fixture: Fixture) -> None:
    findings = _findings(fixture)
    got = {(Path(f.file).name, f.line) for f in findings}
    if fixture.kind == "positive":
        expected = fixture.expected()
        assert expected, "a positive fixture must mark at least one line with # expect:"
        assert got == expected, "\n".join(f.message for f in findings)
    else:
        assert not findings, "\n".join(f.message for f in findings)


def _signature(findings: list[Finding]) -> list[tuple[object, ...]]:
    """What must agree across formats: everything but names, files and lines."""
    return sorted(
        (f.rule_id, f.severity, f.finding_type, f.path_kind, f.protocol,
         tuple(f.ports or ()), tuple(f.sources or ()), tuple(h.type for h in f.path or ()))
        for f in findings)


PAIRS = [
    (tf, cf)
    for rule in load_catalogue().values()
    for tf in fixtures_of(rule) if tf.format == "terraform"
    for cf in fixtures_of(rule)
    if cf.format == "cloudformation" and cf.kind == tf.kind and cf.name == tf.name
]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0].rule.id}-{p[0].kind}-{p[0].name}")
def test_terraform_and_cloudformation_fixtures_agree(pair: tuple[Fixture, Fixture]) -> None:
    tf, cf = pair
    assert _signature(_findings(tf)) == _signature(_findings(cf))
