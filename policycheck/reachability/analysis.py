"""The entry point: analyse a model for internet exposure of network interfaces."""

from __future__ import annotations

from dataclasses import dataclass

from policycheck.model import Model
from policycheck.reachability.explain import (
    FAMILIES,
    ComponentCache,
    blocked_verdict,
    reachable_verdict,
    unplaced_verdicts,
)
from policycheck.reachability.exposures import (
    DraftCache,
    exposure_order,
    exposures_for,
    shared_drafts,
)
from policycheck.reachability.igw_path import IgwPathAnalysis
from policycheck.reachability.interfaces import interface_specs
from policycheck.reachability.result import EndpointVerdict, Exposure, ReachabilityResult
from policycheck.reachability.topology import Topology


@dataclass(frozen=True)
class ReachabilityOptions:
    """Settings of the reachability analysis."""

    assume_default_vpc: bool = True
    """Place resources with no subnet in the account's default VPC (public subnets, default
    NACL and security group) and say so in their exposures; when False they are reported
    as not analysable (``NO_SUBNET``)."""


def analyse(
    model: Model, options: ReachabilityOptions = ReachabilityOptions()
) -> ReachabilityResult:
    """Every internet exposure of every network interface (path kind IGW), and for every
    interface and address family a verdict listing all blockers when it is unreachable."""
    topology = Topology(model)
    igw_paths = IgwPathAnalysis(topology)
    exposures: list[Exposure] = []
    verdicts: list[EndpointVerdict] = []
    blocker_cache: ComponentCache = {}
    draft_cache: DraftCache = {}
    for spec in interface_specs(model, topology, options.assume_default_vpc):
        paths = igw_paths.interface_paths(spec)
        if paths is None:
            verdicts.extend(unplaced_verdicts(spec))
            continue
        first_hop = paths.subnet.gateway_hop()
        for family in FAMILIES:
            grant = spec.public_ipv4 if family == "ipv4" else spec.ipv6
            found: list[Exposure] = []
            if grant is not None and first_hop is not None:
                assumptions = paths.subnet.gateway.assumptions
                key = (paths.subnet.subnet.id,
                       tuple(group.id for group in paths.admission.groups), family)
                if key not in draft_cache:
                    draft_cache[key] = shared_drafts(family, paths.pieces,
                                                     paths.subnet.internet)
                found = exposures_for(spec, family, grant, first_hop, draft_cache[key],
                                      assumptions)
            exposures.extend(found)
            verdicts.append(
                reachable_verdict(spec, family)
                if found
                else blocked_verdict(paths, family, blocker_cache)
            )
    exposures.sort(key=exposure_order)
    verdicts.sort(key=lambda verdict: (verdict.target, verdict.interface, verdict.address_family))
    return ReachabilityResult(exposures=tuple(exposures), verdicts=tuple(verdicts))
