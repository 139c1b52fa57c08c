"""The JSON report: a versioned contract that users' scripts rely on.

Change it only additively (new keys), and bump the minor schema version when you do.
"""

from __future__ import annotations

import json
from typing import Any

from policycheck import __version__
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Severity
from policycheck.scan import ScanResult

SCHEMA_VERSION = "1.1"
"""1.1: ``suppressed`` (findings a suppression hid, with it) and ``baselined``."""


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {"file": d.file, "line": d.line, "message": d.message}


def report_document(result: ScanResult) -> dict[str, Any]:
    by_severity = {severity.value: 0 for severity in Severity}
    for finding in result.findings:
        by_severity[finding.severity.value] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "policycheck", "version": __version__},
        "findings": [f.model_dump(mode="json", exclude_none=True) for f in result.findings],
        "summary": {"by_severity": by_severity, "total": len(result.findings),
                    "units": len(result.units), "suppressed": len(result.suppressed),
                    "baselined": len(result.baselined)},
        "errors": [_diagnostic(d) for d in result.diagnostics
                   if d.level is DiagnosticLevel.ERROR],
        "notices": [_diagnostic(d) for d in result.diagnostics
                    if d.level is DiagnosticLevel.NOTICE],
        "suppressed": [
            {"finding": s.finding.model_dump(mode="json", exclude_none=True),
             "suppression": s.suppression.model_dump(mode="json", exclude_none=True)}
            for s in result.suppressed],
        "baselined": [f.model_dump(mode="json", exclude_none=True) for f in result.baselined],
    }


def render_json(result: ScanResult) -> str:
    return json.dumps(report_document(result), indent=2, ensure_ascii=False) + "\n"
