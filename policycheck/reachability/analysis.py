"""The entry point: analyse a model for the exposure of every endpoint, by every path."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from netaddr import IPSet

from policycheck.model import Model
from policycheck.reachability.elb_exposures import elb_outcome, elb_verdicts
from policycheck.reachability.elb_path import lb_specs
from policycheck.reachability.endpoints import endpoint_specs
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
from policycheck.reachability.gateways import private_exposures
from policycheck.reachability.igw_path import IgwPathAnalysis
from policycheck.reachability.interfaces import InterfaceSpec, interface_specs
from policycheck.reachability.managed import managed_exposures
from policycheck.reachability.result import EndpointVerdict, Exposure, ReachabilityResult
from policycheck.reachability.sets import ip_set
from policycheck.reachability.topology import Topology


@dataclass(frozen=True)
class ReachabilityOptions:
    """Settings of the reachability analysis."""

    assume_default_vpc: bool = True
    """Place resources with no subnet in the account's default VPC (public subnets, default
    NACL and security group) and say so in their exposures; when False they are reported
    as not analysable (``NO_SUBNET``)."""


def group_members(topology: Topology, specs: list[InterfaceSpec]) -> dict[str, IPSet]:
    """Each security group's member addresses: the subnets of the interfaces using it
    (a subnet of unknown block counts as its VPC's blocks)."""
    members: dict[str, IPSet] = defaultdict(IPSet)
    by_subnet: dict[str, IPSet] = {}
    for spec in specs:
        subnet = spec.placement.subnet
        if subnet is None:
            continue
        addresses = by_subnet.get(subnet.id)
        if addresses is None:
            if isinstance(subnet.cidr_block, str):
                addresses = ip_set((subnet.cidr_block,))
            else:
                vpc = topology.vpc(subnet.vpc if isinstance(subnet.vpc, str) else "")
                addresses = ip_set(c for c in vpc.cidr_blocks if isinstance(c, str))
            by_subnet[subnet.id] = addresses
        groups = spec.security_groups or (topology.default_security_group(
            subnet.vpc if isinstance(subnet.vpc, str) else "").id,)
        for group in groups:
            if isinstance(group, str):
                members[group] = members[group] | addresses
    return members


def _igw_exposures(paths: IgwPathAnalysis, specs: list[InterfaceSpec]
                   ) -> tuple[list[Exposure], list[EndpointVerdict]]:
    exposures: list[Exposure] = []
    verdicts: list[EndpointVerdict] = []
    blocker_cache: ComponentCache = {}
    draft_cache: DraftCache = {}
    for spec in specs:
        found_paths = paths.interface_paths(spec)
        if found_paths is None:
            verdicts.extend(unplaced_verdicts(spec))
            continue
        first_hop = found_paths.subnet.gateway_hop()
        for family in FAMILIES:
            grant = spec.public_ipv4 if family == "ipv4" else spec.ipv6
            found: list[Exposure] = []
            if grant is not None and first_hop is not None:
                key = (found_paths.subnet.context,
                       tuple(group.id for group in found_paths.admission.groups), family)
                if key not in draft_cache:
                    draft_cache[key] = shared_drafts(family, found_paths.pieces,
                                                     found_paths.subnet.sources)
                found = exposures_for(spec, family, grant, first_hop, draft_cache[key],
                                      found_paths.subnet.gateway.assumptions)
            exposures.extend(found)
            verdicts.append(
                reachable_verdict(spec, family)
                if found
                else blocked_verdict(found_paths, family, blocker_cache)
            )
    return exposures, verdicts


@dataclass(frozen=True)
class Prepared:
    """The interface-independent parts of an analysis: the topology, every endpoint's
    interfaces, the load balancers' nodes and the path cache (queries reuse them)."""

    topology: Topology
    specs: list[InterfaceSpec]
    lbs: dict[str, list[InterfaceSpec]]
    paths: IgwPathAnalysis


def prepare(model: Model, options: ReachabilityOptions = ReachabilityOptions()) -> Prepared:
    """Place every endpoint and load balancer node; resolve group members."""
    topology = Topology(model)
    specs = interface_specs(model, topology, options.assume_default_vpc)
    specs += endpoint_specs(model, topology, options.assume_default_vpc)
    lbs = {lb.id: lb_specs(topology, lb, options.assume_default_vpc)
           for lb in model.load_balancers}
    members = group_members(topology, specs + [s for group in lbs.values() for s in group])
    empty = IPSet()
    paths = IgwPathAnalysis(topology, lambda group: members.get(group, empty))
    return Prepared(topology, specs, lbs, paths)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while. The analysis allocates hundreds of
    thousands of long-lived, acyclic records at scale; the collector's passes over them
    took almost half the time of a 10k-instance estate and free nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(
    model: Model, options: ReachabilityOptions = ReachabilityOptions()
) -> ReachabilityResult:
    """Every exposure of every endpoint — from the internet directly (IGW) and through
    load balancers (ELB), from on-premises (VGW), peered VPCs and transit gateways — and
    per endpoint, path kind and address family a verdict listing every blocker."""
    with _collector_paused():
        return _analyse(model, options)


def _analyse(model: Model, options: ReachabilityOptions) -> ReachabilityResult:
    prepared = prepare(model, options)
    topology, specs, lbs, paths = (prepared.topology, prepared.specs, prepared.lbs,
                                   prepared.paths)
    exposures, verdicts = _igw_exposures(paths, specs)
    by_target: dict[str, list[InterfaceSpec]] = defaultdict(list)
    for spec in specs:
        by_target[spec.target].append(spec)
    elb = elb_outcome(model, paths, lbs, by_target)
    exposures += elb.exposures
    verdicts += elb.verdicts + elb_verdicts(elb, specs)
    private, private_verdicts = private_exposures(model, topology, paths, specs)
    exposures += private
    verdicts += private_verdicts
    exposures += managed_exposures(model)
    exposures.sort(key=exposure_order)
    verdicts.sort(key=lambda verdict: (verdict.target, verdict.interface, verdict.path_kind,
                                       verdict.address_family))
    return ReachabilityResult(exposures=tuple(exposures), verdicts=tuple(verdicts))
