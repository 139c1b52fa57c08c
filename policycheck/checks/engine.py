"""The rules engine: run the selected rules' checks over one unit."""

from __future__ import annotations

from collections.abc import Iterable

from policycheck.checks import CHECKS
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import Model
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleMeta


def run_checks(model: Model, reachability: ReachabilityResult,
               rules: Iterable[RuleMeta]) -> list[Finding]:
    """Every given rule's check over one unit; the checks share one memo per unit."""
    shared: dict[str, object] = {}
    findings: list[Finding] = []
    for rule in rules:
        context = CheckContext(model=model, reachability=reachability, rule=rule,
                               params=dict(rule.parameters), shared=shared)
        findings.extend(CHECKS[rule.id](context))
    return findings
