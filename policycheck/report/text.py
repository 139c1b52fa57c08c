"""The terminal report: findings grouped by severity, each with its path and its fix."""

from __future__ import annotations

import textwrap

from policycheck.diagnostics import DiagnosticLevel
from policycheck.findings import Finding, Severity
from policycheck.scan import ScanResult

_WIDTH = 100


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=_WIDTH, initial_indent=indent,
                         subsequent_indent=indent) or [indent]


def _finding_lines(finding: Finding) -> list[str]:
    lines = [f"  {finding.rule_id}  {finding.title}",
             f"    {finding.resource}  ({finding.file}:{finding.line})"]
    lines += _wrap(finding.message, "    ")
    if finding.path:
        lines.append("    path:")
        lines.append("      internet" if finding.path_kind in ("IGW", "ELB") else
                     f"      {finding.path_kind}")
        for hop in finding.path:
            where = f"  ({hop.file}:{hop.line})" if hop.file else ""
            lines.append(f"      -> {hop.type} {hop.resource}: {hop.detail}{where}")
    lines += _wrap(f"fix: {finding.remediation}", "    ")
    return lines


def render_text(result: ScanResult) -> str:
    out: list[str] = []
    for severity in Severity:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        out.append(f"{severity.value} ({len(group)})")
        for finding in group:
            out += _finding_lines(finding)
            out.append("")
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    notices = [d for d in result.diagnostics if d.level is DiagnosticLevel.NOTICE]
    for title, items in (("errors", errors), ("notices", notices)):
        if items:
            out.append(f"{title.upper()} ({len(items)})")
            for d in items:
                where = f"{d.file}:{d.line}" if d.line else d.file
                out += _wrap(f"{where}: {d.message}", "  ")
            out.append("")
    counts = ", ".join(
        f"{sum(1 for f in result.findings if f.severity is s)} {s.value.lower()}"
        for s in Severity)
    hidden = "".join(f"; {count} {what}" for count, what in (
        (len(result.suppressed), "suppressed"), (len(result.baselined), "in the baseline"))
        if count)
    out.append(f"{len(result.findings)} findings ({counts}) in {len(result.units)} "
               f"unit{'s' if len(result.units) != 1 else ''}{hidden}; "
               f"{len(errors)} errors, {len(notices)} notices.")
    return "\n".join(out) + "\n"
