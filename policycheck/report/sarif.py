"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF consumers.

One run; the driver lists every rule that has a result, with its documentation and a
``security-severity`` GitHub uses to rank alerts. Locations are relative to the scan
root (``%SRCROOT%``); reachability paths become related locations and a code flow.
Suppressed findings are results carrying ``suppressions`` (``inSource`` for comments and
CloudFormation Metadata, ``external`` for the configuration file) so viewers hide them;
baselined findings are left out. The output is deterministic: no timestamps, no
absolute paths, stable order.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from policycheck import __version__
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, PathHop, Severity
from policycheck.rules.catalogue import RuleMeta, load_catalogue
from policycheck.scan import ScanResult
from policycheck.suppressions.records import Origin, SuppressedFinding

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/your-org/policycheck"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "policycheckFingerprint/v1"

SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFORMATIONAL: "0.0",
}
"""GitHub ranks alerts by this number: >= 9.0 critical, >= 7.0 high, >= 4.0 medium."""

LEVEL: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFORMATIONAL: "note",
}


def _text(value: str) -> str:
    """Folded YAML text can carry stray whitespace; SARIF messages read better without."""
    return " ".join(value.split())


def artifact_location(file: str) -> dict[str, Any]:
    return {"uri": quote(file, safe="/"), "uriBaseId": SRCROOT}


def physical_location(file: str, line: int | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": artifact_location(file)}
    if line:
        location["region"] = {"startLine": max(1, line)}
    return location


def _hop_message(hop: PathHop) -> str:
    return f"{hop.type} {hop.resource}: {hop.detail}"


def _help(rule: RuleMeta) -> dict[str, str]:
    docs = rule.docs
    references = "".join(f"\n- {ref}" for ref in docs.references)
    text = (f"{_text(docs.what)}\n\nWhy: {_text(docs.why)}\n\n"
            f"Remediation: {_text(docs.remediation)}")
    markdown = (f"**{rule.id}: {rule.title}**\n\n{_text(docs.what)}\n\n"
                f"## Why it matters\n\n{_text(docs.why)}\n\n"
                f"## Remediation\n\n{_text(docs.remediation)}")
    if references:
        text += f"\n\nReferences:{references}"
        markdown += f"\n\n## References\n{references}"
    return {"text": text, "markdown": markdown}


def _tags(package: str, frameworks: dict[str, list[str]]) -> list[str]:
    tags = ["security", package]
    for framework, controls in sorted(frameworks.items()):
        tags.append(framework)
        tags += [f"{framework}/{control}" for control in controls]
    return tags


def _rule_descriptor(rule_id: str, rule: RuleMeta | None, first: Finding) -> dict[str, Any]:
    """A rule's descriptor from the catalogue; from its first finding if not catalogued
    (a custom policy folder)."""
    if rule is None:
        return {
            "id": rule_id, "name": rule_id,
            "shortDescription": {"text": _text(first.title)},
            "fullDescription": {"text": _text(first.title)},
            "help": {"text": _text(first.remediation),
                     "markdown": f"**{rule_id}: {first.title}**\n\n{_text(first.remediation)}"},
            "defaultConfiguration": {"level": LEVEL[first.severity]},
            "properties": {"tags": _tags(first.package, first.frameworks),
                           "security-severity": SECURITY_SEVERITY[first.severity],
                           "precision": "high"},
        }
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": _text(rule.title)},
        "fullDescription": {"text": _text(rule.docs.what)},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": _tags(rule.package, rule.frameworks),
                       "security-severity": SECURITY_SEVERITY[rule.severity],
                       "precision": "high"},
    }
    if rule.docs.references:
        descriptor["helpUri"] = rule.docs.references[0]
    return descriptor


def _path_locations(finding: Finding) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The path as related locations (hops with a file) and as one ordered thread flow
    (every hop; those without a file carry only their message)."""
    related: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for hop in finding.path or []:
        location: dict[str, Any] = {"message": {"text": _hop_message(hop)}}
        if hop.file:
            location["physicalLocation"] = physical_location(hop.file, hop.line)
            related.append({"id": len(related) + 1, **location})
        steps.append({"location": location})
    source = ", ".join(finding.sources or []) or "the source network"
    flow = {"message": {"text": f"{finding.path_kind} path from {source}"},
            "threadFlows": [{"locations": steps}]}
    return related, flow


def _properties(finding: Finding) -> dict[str, Any]:
    properties: dict[str, Any] = {"severity": finding.severity.value,
                                  "resource": finding.resource,
                                  "resource_type": finding.resource_type}
    for key in ("finding_type", "path_kind", "protocol", "sources", "assumptions"):
        value = getattr(finding, key)
        if value is not None:
            properties[key] = value
    if finding.ports is not None:
        properties["ports"] = [list(interval) for interval in finding.ports]
    return properties


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    message = _text(finding.message)
    if finding.remediation:
        message += f" Fix: {_text(finding.remediation)}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [{
            "physicalLocation": physical_location(finding.file, finding.line),
            "logicalLocations": [{"fullyQualifiedName": finding.resource,
                                  "kind": "resource"}],
        }],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": _properties(finding),
    }
    if finding.path:
        related, flow = _path_locations(finding)
        if related:
            result["relatedLocations"] = related
        result["codeFlows"] = [flow]
    return result


def _suppressed_result(suppressed: SuppressedFinding, rule_index: int) -> dict[str, Any]:
    """A suppressed finding stays in the log, marked so viewers hide it."""
    record = suppressed.suppression
    suppression: dict[str, Any] = {
        "kind": "inSource" if record.origin in (Origin.INLINE, Origin.METADATA) else "external",
        "status": "accepted",
        "justification": record.reason or "(no reason given)",
        "location": {"physicalLocation": physical_location(record.file, record.line)},
        "properties": {"origin": record.origin.value},
    }
    return {**_result(suppressed.finding, rule_index), "suppressions": [suppression]}


def _notification(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "level": "error" if diagnostic.level is DiagnosticLevel.ERROR else "note",
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": physical_location(diagnostic.file,
                                                             diagnostic.line)}],
    }


def sarif_document(result: ScanResult) -> dict[str, Any]:
    catalogue = load_catalogue()
    suppressed: list[SuppressedFinding] = list(getattr(result, "suppressed", []))
    first_of: dict[str, Finding] = {}
    for finding in [*result.findings, *(s.finding for s in suppressed)]:
        first_of.setdefault(finding.rule_id, finding)
    rule_ids = sorted(first_of)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    rules = [_rule_descriptor(rule_id, catalogue.get(rule_id), first_of[rule_id])
             for rule_id in rule_ids]
    # Errors first, then notices, each in the diagnostics' own (file, line) order.
    diagnostics = sorted(result.diagnostics,
                         key=lambda d: (d.level is not DiagnosticLevel.ERROR, d.sort_key()))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "policycheck", "version": __version__,
                                "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "invocations": [{
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [_notification(d) for d in diagnostics],
            }],
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f.rule_id]) for f in result.findings]
                       + [_suppressed_result(s, index[s.finding.rule_id]) for s in suppressed],
        }],
    }


def render_sarif(result: ScanResult) -> str:
    return json.dumps(sarif_document(result), indent=2, ensure_ascii=False) + "\n"
