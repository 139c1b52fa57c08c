"""GitHub Actions workflow commands: one annotation per finding and per input error.

``::error`` for CRITICAL/HIGH, ``::warning`` for MEDIUM, ``::notice`` for LOW and
INFORMATIONAL (and for notices about the inputs). GitHub shows them on the run's
summary and on the pull request's changed lines. ``policycheck scan`` writes them to
stderr by itself when ``GITHUB_ACTIONS=true``; ``--format github`` writes them as a report.

Paths are made relative to ``GITHUB_WORKSPACE`` (the checkout) when the scan root lies
inside it, since that is what GitHub resolves annotation files against; otherwise they
stay relative to the scan root, like every other report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import PurePosixPath

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, Severity
from policycheck.scan import ScanResult

COMMAND: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFORMATIONAL: "notice",
}


def escape_data(value: str) -> str:
    """A command's message: ``%``, CR and LF are percent-encoded (``%`` first)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A command's property value: as data, plus ``:`` and ``,`` which end a property."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line, e.g. ``::error file=a.tf,line=3,title=NET001::text``."""
    fields = ",".join(f"{key}={escape_property(str(value))}"
                      for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + fields if fields else ''}::{escape_data(message)}"


def _workspace_prefix(root: str, environ: Mapping[str, str]) -> PurePosixPath | None:
    workspace = environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return None
    try:
        return PurePosixPath(root).relative_to(PurePosixPath(workspace))
    except ValueError:
        return None


def _path(file: str, prefix: PurePosixPath | None) -> str:
    return (prefix / file).as_posix() if prefix is not None else file


def _finding_command(finding: Finding, prefix: PurePosixPath | None) -> str:
    message = (f"{' '.join(finding.message.split())}\n"
               f"Fix: {' '.join(finding.remediation.split())}")
    return command(COMMAND[finding.severity], message, file=_path(finding.file, prefix),
                   line=max(1, finding.line),
                   title=f"{finding.rule_id} ({finding.severity.value}) {finding.title}")


def _diagnostic_command(diagnostic: Diagnostic, prefix: PurePosixPath | None) -> str:
    name = "error" if diagnostic.level is DiagnosticLevel.ERROR else "notice"
    title = ("policycheck could not assess this input" if name == "error"
             else "policycheck notice")
    return command(name, diagnostic.message, file=_path(diagnostic.file, prefix),
                   line=diagnostic.line, title=title)


def workflow_commands(result: ScanResult,
                      environ: Mapping[str, str] | None = None) -> list[str]:
    """Every workflow command for ``result``: findings in report order, then the inputs'
    errors and notices."""
    prefix = _workspace_prefix(result.root, os.environ if environ is None else environ)
    lines = [_finding_command(f, prefix) for f in result.findings]
    lines += [_diagnostic_command(d, prefix) for d in result.diagnostics
              if d.level is DiagnosticLevel.ERROR]
    lines += [_diagnostic_command(d, prefix) for d in result.diagnostics
              if d.level is DiagnosticLevel.NOTICE]
    return lines


def render_github(result: ScanResult) -> str:
    lines = workflow_commands(result)
    return "\n".join(lines) + "\n" if lines else ""
