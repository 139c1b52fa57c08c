"""The rules engine: run the selected rules' checks over one unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from policycheck.checks import CHECKS
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import Model
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleMeta


def run_checks(model: Model, reachability: ReachabilityResult,
               rules: Iterable[RuleMeta],
               parameters: Mapping[str, Mapping[str, Any]] | None = None,
               shared: dict[str, Any] | None = None) -> list[Finding]:
    """Every given rule's check over one unit; the checks share one memo per unit.

    ``parameters`` (rule id -> values) override the rule.yaml defaults (configuration);
    ``shared`` seeds the memo (the suppression stage hands its audit this way)."""
    shared = {} if shared is None else shared
    findings: list[Finding] = []
    for rule in rules:
        params = {**rule.parameters, **(parameters or {}).get(rule.id, {})}
        context = CheckContext(model=model, reachability=reachability, rule=rule,
                               params=params, shared=shared)
        findings.extend(CHECKS[rule.id](context))
    return findings
