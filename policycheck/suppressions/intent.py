"""Intended exposure: reachability findings fully covered by a declared intent (a public
web tier on 443 through a load balancer) are reported as suppressed, the intent as reason.

"Fully covered": the finding's target matches the intent (tag or address glob), its path
goes through one of the intent's gateways (``via``), and every reachable port is declared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

from policycheck.config import IntendedExposure, port_range
from policycheck.findings import Finding
from policycheck.model import Model
from policycheck.suppressions.records import Origin, SuppressedFinding, SuppressionRecord


def _targets(intent: IntendedExposure, finding: Finding, model: Model) -> bool:
    if intent.match.resource is not None:
        return fnmatchcase(finding.resource, intent.match.resource)
    obj = model.get(finding.resource)
    tags = intent.match.tag or {}
    return obj is not None and all(obj.tags.get(k) == v for k, v in tags.items())


def covers(intent: IntendedExposure, finding: Finding, model: Model) -> bool:
    if finding.path_kind not in intent.via or finding.protocol != intent.protocol:
        return False
    if not finding.ports or not _targets(intent, finding, model):
        return False
    declared = [port_range(p) for p in intent.ports]
    return all(any(lo <= low and high <= hi for lo, hi in declared)
               for low, high in finding.ports)


def _record(index: int, intent: IntendedExposure, finding: Finding) -> SuppressionRecord:
    what = (f"resource {intent.match.resource}" if intent.match.resource is not None else
            "tag " + ", ".join(f"{k}={v}" for k, v in (intent.match.tag or {}).items()))
    ports = ", ".join(str(p) for p in intent.ports)
    reason = intent.reason or (f"intended exposure of {what}: {intent.protocol} {ports} "
                               f"from the internet via {'/'.join(intent.via)}")
    return SuppressionRecord(rule_id=finding.rule_id, origin=Origin.INTENT, reason=reason,
                             file=f"intended_exposure[{index}]", resource=finding.resource)


def apply_intents(findings: Iterable[Finding], intents: Sequence[IntendedExposure],
                  model: Model) -> tuple[list[Finding], list[SuppressedFinding]]:
    """(findings no intent covers, findings an intent covers with the intent)."""
    kept: list[Finding] = []
    covered: list[SuppressedFinding] = []
    for finding in findings:
        index = next((i for i, intent in enumerate(intents)
                      if covers(intent, finding, model)), None)
        if index is None:
            kept.append(finding)
        else:
            covered.append(SuppressedFinding(
                finding=finding, suppression=_record(index, intents[index], finding)))
    return kept, covered
