"""The GitLab code quality report: the subset of the Code Climate issue format GitLab
reads (``description``, ``check_name``, ``fingerprint``, ``severity``, ``location``).

GitLab shows these in the merge request widget and the diff. Input errors become
``major`` issues of the check ``policycheck/input-error`` so an unreadable file is not
silently green; notices are left out (they are not problems in the code).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, Severity
from policycheck.scan import ScanResult

SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
    Severity.INFORMATIONAL: "info",
}
"""policycheck severity -> Code Climate severity (info, minor, major, critical, blocker)."""

INPUT_ERROR_CHECK = "policycheck/input-error"


def _issue(finding: Finding) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": f"{finding.rule_id} [{finding.severity.value}] "
                       f"{' '.join(finding.message.split())}",
        "content": {"body": f"{finding.title}\n\nFix: {' '.join(finding.remediation.split())}"},
        "categories": ["Security"],
        "fingerprint": finding.fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": finding.file, "lines": {"begin": max(1, finding.line)}},
    }


def _error_issue(diagnostic: Diagnostic) -> dict[str, Any]:
    identity = "\x1f".join((INPUT_ERROR_CHECK, diagnostic.file, diagnostic.message))
    return {
        "type": "issue",
        "check_name": INPUT_ERROR_CHECK,
        "description": f"policycheck could not assess this input: {diagnostic.message}",
        "categories": ["Bug Risk"],
        "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32],
        "severity": "major",
        "location": {"path": diagnostic.file, "lines": {"begin": diagnostic.line or 1}},
    }


def gitlab_issues(result: ScanResult) -> list[dict[str, Any]]:
    issues = [_issue(f) for f in result.findings]
    issues += [_error_issue(d) for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    return issues


def render_gitlab(result: ScanResult) -> str:
    return json.dumps(gitlab_issues(result), indent=2, ensure_ascii=False) + "\n"
