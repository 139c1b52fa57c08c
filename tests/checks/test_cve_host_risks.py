"""The host-risks example (issue 7's "done when"): one finding per problem, each at the
line inside the user data or template, identical from Terraform and CloudFormation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from policycheck.findings import Finding
from policycheck.scan import ScanOptions, scan

EXAMPLES = Path(__file__).parents[2] / "examples"


def _findings(name: str) -> list[Finding]:
    result = scan([EXAMPLES / name], ScanOptions(as_of=date(2026, 11, 22)))
    assert not result.errors
    return result.findings


def _signature(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted((f.rule_id, f.severity, f.finding_type, f.path_kind, f.protocol,
                   tuple(f.ports or ())) for f in findings)


def test_terraform_and_cloudformation_agree() -> None:
    assert _signature(_findings("host-risks")) == _signature(_findings("host-risks-cfn"))


def test_each_problem_is_reported_at_its_line_with_its_evidence() -> None:
    for name, lines in [("host-risks", {"CVE003": 3, "CVE004": 85, "IPR003": 111}),
                        ("host-risks-cfn", {"CVE003": 73, "CVE004": 85, "IPR003": 108})]:
        found = {f.rule_id: f for f in _findings(name) if f.package in
                 ("cve", "insecure-protocols")}
        assert {rule: found[rule].line for rule in lines} == lines
        assert "2023-05-31" in found["CVE003"].message
        assert "Ubuntu 24.04" in found["CVE003"].message
        assert "CVE-2021-41773" in found["CVE004"].message
        assert "CVE-2021-42013" in found["CVE004"].message
        assert "2.4.51" in found["CVE004"].message


def test_before_the_end_of_life_the_image_is_not_reported() -> None:
    result = scan([EXAMPLES / "host-risks"], ScanOptions(as_of=date(2023, 5, 30)))
    assert "CVE003" not in {f.rule_id for f in result.findings}
