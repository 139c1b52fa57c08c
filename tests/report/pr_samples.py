"""Scan results shared by the pull-request format tests: a real example and a small
hand-made one covering every severity, a custom rule and input problems."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, PathHop, Severity, fingerprint, sort_findings
from policycheck.scan import ScanResult, scan

SCHEMAS = Path(__file__).parents[1] / "schemas"
INSECURE_WEB = Path(__file__).parents[2] / "examples" / "insecure-web"


@lru_cache(maxsize=1)
def insecure_web() -> ScanResult:
    """The scan of examples/insecure-web (computed once per test session)."""
    result = scan([INSECURE_WEB])
    assert not result.errors, result.errors
    return result


SSH_PATH = [
    PathHop(type="InternetGateway", resource="aws_internet_gateway.main",
            detail="attached to aws_vpc.main", file="net.tf", line=3),
    PathHop(type="RouteTable", resource="aws_route_table.public",
            detail="0.0.0.0/0 -> aws_internet_gateway.main", file="net.tf", line=9),
    PathHop(type="NetworkAcl", resource="aws_vpc.main default network ACL",
            detail="default NACL allows all"),
    PathHop(type="SecurityGroup", resource='aws_security_group.ssh["a,b"]',
            detail="ingress tcp 22 from 0.0.0.0/0", file="sg.tf", line=14),
    PathHop(type="Instance", resource="aws_instance.bastion",
            detail="public IPv4 via subnet map_public_ip_on_launch", file="main.tf", line=1),
]


def _finding(rule: str, severity: Severity, line: int, **extra: object) -> Finding:
    return Finding(rule_id=rule, package="network-reachability", severity=severity,
                   title=f"title of {rule}", message=f"message of {rule} at line {line}",
                   resource=f"aws_instance.r{line}", resource_type="aws_instance",
                   file="main.tf", line=line, remediation="close it",
                   fingerprint=fingerprint(rule, str(line)), **extra)


def synthetic() -> ScanResult:
    """One finding per severity (one with a path, one of an uncatalogued rule),
    an input error and a notice."""
    findings = [
        _finding("NET001", Severity.CRITICAL, 1),
        _finding("NET003", Severity.HIGH, 2, finding_type="RecognizedPortNoAgent",
                 path_kind="IGW", protocol="tcp", ports=[(22, 22)],
                 sources=["0.0.0.0/0"], path=SSH_PATH, assumptions=[]),
        _finding("NET002", Severity.MEDIUM, 3),
        _finding("CUS001", Severity.LOW, 4),
        _finding("NET005", Severity.INFORMATIONAL, 5),
    ]
    diagnostics = [
        Diagnostic(level=DiagnosticLevel.ERROR, file="broken.tf", line=7,
                   message="unexpected token: 100%, really\nsecond line"),
        Diagnostic(level=DiagnosticLevel.NOTICE, file="main.tf", line=2,
                   message="unsupported resource type aws_foo"),
    ]
    return ScanResult(root="/repo", units=[], findings=sort_findings(findings),
                      diagnostics=diagnostics)


def with_suppressed() -> ScanResult:
    """``synthetic()`` plus one finding hidden by an inline comment and one by the
    configuration file (without a reason)."""
    from policycheck.suppressions.records import Origin, SuppressedFinding, SuppressionRecord

    base = synthetic()
    hidden = [
        SuppressedFinding(
            finding=_finding("NET003", Severity.MEDIUM, 20),
            suppression=SuppressionRecord(rule_id="NET003", origin=Origin.INLINE,
                                          reason="bastion, reviewed", file="main.tf",
                                          line=19, target_line=20)),
        SuppressedFinding(
            finding=_finding("SEC001", Severity.LOW, 30),
            suppression=SuppressionRecord(rule_id="SEC001", origin=Origin.CONFIG,
                                          reason=None, file=".policycheck.yaml", line=4)),
    ]
    return ScanResult(root=base.root, units=base.units, findings=base.findings,
                      diagnostics=base.diagnostics, suppressed=hidden,
                      baselined=[_finding("NET004", Severity.LOW, 40)])
