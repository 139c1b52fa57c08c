"""Run one CIS check function on a hand-built model, without the rule catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policycheck.checks.cis_aws_foundations import V3, V5
from policycheck.checks.registry import Check, CheckContext
from policycheck.findings import Finding
from policycheck.model import Model, SourceRef
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleDocs, RuleMeta


def src(address: str, line: int = 1, resource_type: str = "aws_thing") -> SourceRef:
    return SourceRef(file="main.tf", line=line, address=address, resource_type=resource_type)


def run(check: Check, model: Model, v5: tuple[str, ...] = ("9.9",),
        v3: tuple[str, ...] = (), **params: Any) -> list[Finding]:
    frameworks: dict[str, list[str]] = {V5: list(v5)}
    if v3:
        frameworks[V3] = list(v3)
    rule = RuleMeta(id="CIS999", name="test", title="A test rule here",
                    package="cis-aws-foundations", severity="LOW",
                    resource_types=["Model"], parameters=dict(params),
                    docs=RuleDocs(what="does a thing", why="it matters a lot",
                                  remediation="change the thing"),
                    frameworks=frameworks)
    merged: Mapping[str, Any] = {"account_scope": "auto", **params}
    context = CheckContext(model=model, reachability=ReachabilityResult(), rule=rule,
                           params=merged)
    return list(check(context))
