"""Stale intended exposure (NET006): a declared exposure that is not actually reachable.

Intended exposure is declared in the configuration file (``intended_exposure``, handed
to this rule as its ``intended_exposure`` parameter) or on the resource itself with the
tag ``policycheck:intended-exposure``::

    policycheck:intended-exposure = "tcp/80,443 via ELB; tcp/22 via IGW"

(each declaration: ``PROTOCOL/PORTS`` with ports or ranges separated by commas, then
optionally ``via`` one or more of ``IGW``, ``ELB`` — default both). A declaration is
*stale* for a matching endpoint when none of its ports is reachable from the internet by
one of its paths: the configuration promises an exposure the network does not provide
(the tier moved behind a VPN, the listener changed port), and the promise would silently
cover a future, unintended exposure. Only endpoints are judged — resources the
reachability analysis placed — so a tag match on a VPC or a bucket is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any

from policycheck.checks.registry import CheckContext
from policycheck.config import IntendedExposure, IntentMatch, port_range
from policycheck.findings import Finding, fingerprint
from policycheck.model import Model, ModelObject
from policycheck.reachability.result import ReachabilityResult

INTENT_TAG = "policycheck:intended-exposure"
PARAMETER = "intended_exposure"
_DECLARATION = re.compile(
    r"^\s*(?P<protocol>tcp|udp)\s*/\s*(?P<ports>[\d\s,-]+?)"
    r"(?:\s+via\s+(?P<via>[A-Za-z]+(?:\s*,\s*[A-Za-z]+)*))?\s*$", re.IGNORECASE)


class IntentTagError(ValueError):
    """A ``policycheck:intended-exposure`` tag that cannot be read."""


def parse_intent_tag(resource: str, value: str) -> list[IntendedExposure]:
    """The declarations of one tag value, each matching exactly ``resource``."""
    intents = []
    for text in value.split(";"):
        if not text.strip():
            continue
        found = _DECLARATION.match(text)
        if found is None:
            raise IntentTagError(f"cannot read {text.strip()!r} in tag {INTENT_TAG} "
                                 f"(expected e.g. 'tcp/80,443 via ELB')")
        ports = [p.strip() for p in found["ports"].split(",") if p.strip()]
        via = [v.strip().upper() for v in (found["via"] or "IGW,ELB").split(",")]
        try:
            intents.append(IntendedExposure.model_validate({
                "match": {"resource": resource}, "protocol": found["protocol"].lower(),
                "ports": ports, "via": via, "reason": f"tag {INTENT_TAG} = {value}"}))
        except ValueError as exc:
            raise IntentTagError(f"{text.strip()!r} in tag {INTENT_TAG}: {exc}") from None
    return intents


def tag_intents(model: Model) -> list[IntendedExposure]:
    """Every readable declaration in the model's ``policycheck:intended-exposure`` tags."""
    intents: list[IntendedExposure] = []
    for obj in model.objects():
        value = obj.tags.get(INTENT_TAG)
        if value:
            try:
                intents += parse_intent_tag(obj.id, value)
            except IntentTagError:
                continue  # reported as a diagnostic by the scan's notices
    return intents


def intent_parameters(intents: Sequence[IntendedExposure]) -> dict[str, dict[str, Any]]:
    """The configuration's declarations as NET006's parameter (rule id -> values)."""
    if not intents:
        return {}
    return {"NET006": {PARAMETER: tuple(intents)}}


def _matches(match: IntentMatch, obj: ModelObject) -> bool:
    if match.resource is not None:
        return fnmatchcase(obj.id, match.resource)
    return all(obj.tags.get(key) == value for key, value in (match.tag or {}).items())


def _reachable(intent: IntendedExposure, target: str, result: ReachabilityResult) -> bool:
    declared = [port_range(p) for p in intent.ports]
    for exposure in result.exposures:
        if exposure.target != target or exposure.path_kind.value not in intent.via:
            continue
        if exposure.protocol not in (intent.protocol, "all"):
            continue
        if any(low <= hi and lo <= high for low, high in exposure.ports for lo, hi in declared):
            return True
    return False


def stale_intents(model: Model, result: ReachabilityResult,
                  intents: Iterable[IntendedExposure]
                  ) -> Iterator[tuple[IntendedExposure, ModelObject]]:
    """(declaration, endpoint) for every endpoint a declaration matches that none of its
    declared ports reaches by its paths."""
    endpoints = {v.target for v in result.verdicts} | {e.target for e in result.exposures}
    for intent in intents:
        for target in sorted(endpoints):
            obj = model.get(target)
            if obj is not None and _matches(intent.match, obj) and not _reachable(
                    intent, target, result):
                yield intent, obj


def _describe(intent: IntendedExposure) -> str:
    ports = ", ".join(str(p) for p in intent.ports)
    return f"{intent.protocol} {ports} from the internet via {'/'.join(intent.via)}"


def stale_intended_exposure(ctx: CheckContext) -> Iterable[Finding]:
    """NET006: one informational finding per (declaration, endpoint) that is stale."""
    configured: Sequence[Any] = ctx.params.get(PARAMETER, ())
    intents = [IntendedExposure.model_validate(i) if isinstance(i, Mapping) else i
               for i in configured] + tag_intents(ctx.model)
    for intent, obj in stale_intents(ctx.model, ctx.reachability, intents):
        what = _describe(intent)
        origin = intent.reason or "the configuration's intended_exposure"
        yield Finding(
            rule_id=ctx.rule.id, package=ctx.rule.package, severity=ctx.rule.severity,
            title=ctx.rule.title,
            message=(f"Intended exposure of {obj.id} ({what}) is not reachable: no declared "
                     f"port is reachable by those paths. Declared by {origin}."),
            resource=obj.id, resource_type=obj.source.resource_type, file=obj.source.file,
            line=obj.source.line, remediation=ctx.rule.docs.remediation.strip(),
            frameworks=ctx.rule.frameworks,
            fingerprint=fingerprint(ctx.rule.id, obj.id, intent.protocol,
                                    ",".join(str(p) for p in intent.ports), *intent.via),
        )
