"""GitLab code quality: the Code Climate fields GitLab reads, severities mapped, one
issue per finding carrying its fingerprint, input errors as issues."""

from __future__ import annotations

import json
from typing import Any

from policycheck.report.gitlab import INPUT_ERROR_CHECK, render_gitlab
from policycheck.scan import ScanResult
from tests.report.pr_samples import insecure_web, synthetic

_REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def _issues(result: ScanResult) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(render_gitlab(result))
    for issue in issues:
        assert set(issue) >= _REQUIRED
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    return issues


def test_severity_mapping() -> None:
    issues = _issues(synthetic())
    by_rule = {i["check_name"]: i["severity"] for i in issues}
    assert by_rule == {"NET001": "blocker", "NET003": "critical", "NET002": "major",
                       "CUS001": "minor", "NET005": "info", INPUT_ERROR_CHECK: "major"}


def test_one_issue_per_finding_with_fingerprint_and_location() -> None:
    result = insecure_web()
    issues = _issues(result)
    assert len(issues) == len(result.findings)
    for issue, finding in zip(issues, result.findings, strict=True):
        assert issue["fingerprint"] == finding.fingerprint
        assert issue["location"] == {"path": finding.file, "lines": {"begin": finding.line}}
        assert issue["check_name"] == finding.rule_id
        assert finding.severity.value in issue["description"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab dedups on it


def test_input_error_is_an_issue_with_a_stable_fingerprint() -> None:
    (error,) = [i for i in _issues(synthetic()) if i["check_name"] == INPUT_ERROR_CHECK]
    assert error["location"] == {"path": "broken.tf", "lines": {"begin": 7}}
    again = [i for i in _issues(synthetic()) if i["check_name"] == INPUT_ERROR_CHECK]
    assert again[0]["fingerprint"] == error["fingerprint"]


def test_empty_report_is_an_empty_list() -> None:
    empty = ScanResult(root="/r", units=[], findings=[], diagnostics=[])
    assert json.loads(render_gitlab(empty)) == []
