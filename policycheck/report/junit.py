"""The JUnit XML report, for CI servers that show test results (Jenkins, GitLab, ...).

One ``<testsuite>`` per assessed unit (a Terraform root module or a template); one
``<testcase>`` per finding, failing with the severity, message, location, path and fix;
a passing ``no findings`` testcase for a unit without findings so CI shows green; a
skipped testcase per suppressed finding, with the suppression's reason; input
errors as ``<error>`` testcases in an ``input errors`` suite; notices in the suite's
``<system-out>``. No timestamps or durations: the output is deterministic.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding
from policycheck.report.units import unit_names, unit_of
from policycheck.scan import ScanResult
from policycheck.suppressions.records import SuppressedFinding

_UNASSIGNED = "policycheck"
_ERRORS_SUITE = "input errors"


def _ports(finding: Finding) -> str:
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in finding.ports or [])


def _case_name(finding: Finding) -> str:
    name = f"{finding.rule_id} {finding.resource}"
    if finding.protocol:
        name += f" {finding.protocol} {_ports(finding)}".rstrip()
    return name


def _failure_text(finding: Finding) -> str:
    lines = [f"{finding.severity.value} {finding.rule_id} {finding.title}",
             f"{finding.resource} ({finding.file}:{finding.line})",
             " ".join(finding.message.split())]
    if finding.path:
        lines.append("path:")
        lines.append("  internet" if finding.path_kind in ("IGW", "ELB")
                     else f"  {finding.path_kind}")
        for hop in finding.path:
            where = f" ({hop.file}:{hop.line})" if hop.file else ""
            lines.append(f"  -> {hop.type} {hop.resource}: {hop.detail}{where}")
    for assumption in finding.assumptions or []:
        lines.append(f"assumes: {assumption}")
    lines.append(f"fix: {' '.join(finding.remediation.split())}")
    return "\n".join(lines)


def _where(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.file}:{diagnostic.line}" if diagnostic.line else diagnostic.file


def _suite(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "testsuite", {"name": name, "tests": "0", "failures": "0",
                                               "errors": "0", "skipped": "0"})


def _count(element: ET.Element, attribute: str) -> None:
    element.set(attribute, str(int(element.get(attribute, "0")) + 1))


def _finding_case(suite: ET.Element, finding: Finding) -> None:
    case = ET.SubElement(suite, "testcase", {
        "name": _case_name(finding), "classname": f"{finding.package}.{finding.rule_id}",
        "file": finding.file, "line": str(max(1, finding.line))})
    failure = ET.SubElement(case, "failure", {
        "message": f"{finding.severity.value}: {' '.join(finding.message.split())}",
        "type": finding.severity.value})
    failure.text = _failure_text(finding)
    _count(suite, "tests")
    _count(suite, "failures")


def _suppressed_case(suite: ET.Element, suppressed: SuppressedFinding) -> None:
    finding, record = suppressed.finding, suppressed.suppression
    case = ET.SubElement(suite, "testcase", {
        "name": _case_name(finding), "classname": f"{finding.package}.{finding.rule_id}",
        "file": finding.file, "line": str(max(1, finding.line))})
    where = f"{record.file}:{record.line}" if record.line else record.file
    ET.SubElement(case, "skipped", {
        "message": f"suppressed ({record.origin.value}, {where}): "
                   f"{record.reason or '(no reason given)'}"})
    _count(suite, "tests")
    _count(suite, "skipped")


def _error_case(suite: ET.Element, diagnostic: Diagnostic) -> None:
    attributes = {"name": _where(diagnostic), "classname": "policycheck.inputs",
                  "file": diagnostic.file}
    if diagnostic.line:
        attributes["line"] = str(diagnostic.line)
    case = ET.SubElement(suite, "testcase", attributes)
    error = ET.SubElement(case, "error", {"message": diagnostic.message,
                                          "type": "InputError"})
    error.text = f"{_where(diagnostic)}: {diagnostic.message}"
    _count(suite, "tests")
    _count(suite, "errors")


def _display(unit: str, root: str) -> str:
    """A unit's suite name: its path, or the scanned folder's name for the root itself."""
    return unit if unit != "." else (PurePosixPath(root).name or ".")


def junit_tree(result: ScanResult) -> ET.Element:
    units = unit_names(result)
    root = ET.Element("testsuites", {"name": "policycheck"})
    suites: dict[str, ET.Element] = {unit: _suite(root, _display(unit, result.root))
                                     for unit in units}
    for finding in result.findings:
        unit = unit_of(finding.file, units)
        if unit is None:
            unit = _UNASSIGNED
            if unit not in suites:
                suites[unit] = _suite(root, _UNASSIGNED)
        _finding_case(suites[unit], finding)
    for suppressed in getattr(result, "suppressed", []):
        unit = unit_of(suppressed.finding.file, units)
        if unit is None:
            unit = _UNASSIGNED
            if unit not in suites:
                suites[unit] = _suite(root, _UNASSIGNED)
        _suppressed_case(suites[unit], suppressed)
    for unit in units:
        suite = suites[unit]
        if suite.get("tests") == suite.get("skipped"):
            ET.SubElement(suite, "testcase", {"name": "no findings",
                                              "classname": "policycheck.assessment"})
            _count(suite, "tests")
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    if errors:
        error_suite = _suite(root, _ERRORS_SUITE)
        for diagnostic in errors:
            _error_case(error_suite, diagnostic)
    notices: dict[str, list[str]] = {}
    for d in result.diagnostics:
        if d.level is DiagnosticLevel.NOTICE:
            notices.setdefault(unit_of(d.file, units) or _UNASSIGNED, []).append(
                f"notice: {_where(d)}: {d.message}")
    for unit, lines in notices.items():
        if unit not in suites:
            suites[unit] = _suite(root, _UNASSIGNED)
        ET.SubElement(suites[unit], "system-out").text = "\n".join(lines)
    for attribute in ("tests", "failures", "errors", "skipped"):
        total = sum(int(suite.get(attribute, "0")) for suite in root)
        root.set(attribute, str(total))
    return root


def render_junit(result: ScanResult) -> str:
    tree = junit_tree(result)
    ET.indent(tree, space="  ")
    return ET.tostring(tree, encoding="unicode", xml_declaration=True) + "\n"
