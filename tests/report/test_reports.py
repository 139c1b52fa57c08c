"""Text and JSON reports over hand-made scan results."""

from __future__ import annotations

import json

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, PathHop, Severity, fingerprint, sort_findings
from policycheck.report.json import SCHEMA_VERSION, render_json
from policycheck.report.text import render_text
from policycheck.scan import ScanResult


def _finding(rule: str, severity: Severity, file: str, line: int, **extra: object) -> Finding:
    return Finding(rule_id=rule, package="network-reachability", severity=severity,
                   title=f"title of {rule}", message=f"message of {rule}",
                   resource=f"aws_instance.r{line}", resource_type="aws_instance",
                   file=file, line=line, remediation="close it",
                   fingerprint=fingerprint(rule, str(line)), **extra)  # type: ignore[arg-type]


def _result(findings: list[Finding], diagnostics: list[Diagnostic] | None = None) -> ScanResult:
    return ScanResult(root="/x", units=[], findings=sort_findings(findings),
                      diagnostics=diagnostics or [])


def test_findings_sorted_most_severe_first_then_file_and_line() -> None:
    findings = [_finding("NET005", Severity.INFORMATIONAL, "a.tf", 1),
                _finding("NET003", Severity.MEDIUM, "b.tf", 9),
                _finding("NET003", Severity.MEDIUM, "a.tf", 30),
                _finding("NET001", Severity.HIGH, "z.tf", 2)]
    ordered = [(f.severity, f.file, f.line) for f in sort_findings(findings)]
    assert ordered == [(Severity.HIGH, "z.tf", 2), (Severity.MEDIUM, "a.tf", 30),
                       (Severity.MEDIUM, "b.tf", 9), (Severity.INFORMATIONAL, "a.tf", 1)]


def test_severity_lowering_stops_at_low() -> None:
    assert Severity.HIGH.lowered(1) is Severity.MEDIUM
    assert Severity.MEDIUM.lowered(5) is Severity.LOW
    assert Severity.INFORMATIONAL.lowered(1) is Severity.INFORMATIONAL
    assert Severity.HIGH.at_least(Severity.MEDIUM) and not Severity.LOW.at_least(Severity.MEDIUM)


def test_json_document_shape_and_reachability_fields() -> None:
    reach = _finding("NET003", Severity.HIGH, "main.tf", 4, finding_type="RecognizedPortNoAgent",
                     path_kind="IGW", protocol="tcp", ports=[(22, 22)], sources=["0.0.0.0/0"],
                     path=[PathHop(type="InternetGateway", resource="aws_internet_gateway.g",
                                   detail="attached", file="net.tf", line=3)],
                     assumptions=[])
    other = _finding("CIS001", Severity.LOW, "main.tf", 8)
    errors = [Diagnostic(level=DiagnosticLevel.ERROR, file="bad.tf", line=2, message="boom"),
              Diagnostic(level=DiagnosticLevel.NOTICE, file="main.tf", line=5, message="fyi")]
    document = json.loads(render_json(_result([reach, other], errors)))
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["summary"]["by_severity"] == {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 0,
                                                  "LOW": 1, "INFORMATIONAL": 0}
    assert document["errors"] == [{"file": "bad.tf", "line": 2, "message": "boom"}]
    assert document["notices"] == [{"file": "main.tf", "line": 5, "message": "fyi"}]
    first, second = document["findings"]
    assert first["ports"] == [[22, 22]] and first["path"][0]["line"] == 3
    assert "ports" not in second and "path" not in second  # non-reachability finding


def test_text_report_groups_by_severity_and_counts() -> None:
    text = render_text(_result([
        _finding("NET001", Severity.HIGH, "a.tf", 1, path_kind="IGW",
                 path=[PathHop(type="SecurityGroup", resource="aws_security_group.s",
                               detail="ingress tcp 22 from 0.0.0.0/0", file="a.tf", line=9)]),
        _finding("NET005", Severity.INFORMATIONAL, "a.tf", 1)]))
    assert text.index("HIGH (1)") < text.index("INFORMATIONAL (1)")
    assert "-> SecurityGroup aws_security_group.s: ingress tcp 22 from 0.0.0.0/0  (a.tf:9)" in text
    assert text.rstrip().endswith("0 errors, 0 notices.")
    assert "2 findings (0 critical, 1 high, 0 medium, 0 low, 1 informational)" in text


def test_empty_result_renders() -> None:
    assert "0 findings" in render_text(_result([]))
    assert json.loads(render_json(_result([])))["findings"] == []
