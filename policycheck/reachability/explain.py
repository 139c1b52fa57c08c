"""Verdicts: is an interface reachable from the internet, and if not, what blocks it.

Blockers use AWS VPC Reachability Analyzer's explanation codes. To list *every* setting
that would have to change, the components are walked in a fixed order (public address,
internet gateway, security groups, NACL inbound, NACL outbound, return route) with a
running set of internet packets: a component that stops all of them is a blocker and
is then treated as open, so the walk goes on and judges the next components on what
would reach them. Opening every listed blocker therefore opens the path.
"""

from __future__ import annotations

from netaddr import IPSet

from policycheck.model import SourceRef
from policycheck.reachability.boxes import Box, overlaps, region_and, region_of
from policycheck.reachability.igw_path import InterfacePaths
from policycheck.reachability.interfaces import InterfaceSpec
from policycheck.reachability.nacl import Denial, entry_number, reply_space
from policycheck.reachability.result import Blocker, EndpointVerdict, PathKind
from policycheck.reachability.sets import ALL_SERVICES, IntervalSet, family_addresses
from policycheck.reachability.topology import declared_source, is_implicit
from policycheck.reachability.trusted import construct

FAMILIES = ("ipv4", "ipv6")


def _source(source: SourceRef | None) -> SourceRef | None:
    return declared_source(source) if source is not None else None


def unplaced_verdicts(spec: InterfaceSpec) -> list[EndpointVerdict]:
    """Verdicts for an interface whose subnet is unknown or missing."""
    blocker = Blocker(
        code=spec.placement.problem_code,
        resource=spec.interface,
        detail=spec.placement.problem,
        source=spec.target_source,
    )
    return [
        EndpointVerdict(
            target=spec.target,
            interface=spec.interface,
            path_kind=PathKind.IGW,
            address_family=family,
            reachable=False,
            blockers=(blocker,),
        )
        for family in FAMILIES
    ]


def _acl_blockers(
    paths: InterfacePaths, denials: tuple[Denial, ...], running: list[Box], outbound: bool
) -> list[Blocker]:
    acl = paths.subnet.nacl.acl
    blockers = []
    for denial in denials:
        if not overlaps(denial.boxes, running):
            continue
        direction = "outbound" if outbound else "inbound"
        suffix = " (return traffic)" if outbound else ""
        source = _source(denial.entry.source) if denial.entry is not None else None
        blockers.append(
            Blocker(
                code="SUBNET_ACL_RESTRICTION",
                resource=acl.id,
                detail=f"{direction} {denial.rule}{suffix}",
                source=source,
                rule_number=entry_number(denial),
            )
        )
    return blockers


def _route_blockers(paths: InterfacePaths, running: list[Box]) -> list[Blocker]:
    routing = paths.subnet.routing
    table = routing.table
    addresses = IPSet()
    for box in running:
        addresses |= box.addresses
    shadowed = addresses & routing.igw_destinations
    if shadowed:
        return [
            Blocker(
                code="MORE_SPECIFIC_ROUTE",
                resource=table.id,
                detail=f"{region.label} is more specific than the route back to the gateway",
                source=_source(region.route.source) if region.route is not None else None,
            )
            for region in routing.regions
            if not region.to_igw and region.addresses & shadowed
        ]
    igw = paths.subnet.gateway.gateway
    where = igw.id if igw is not None else "an internet gateway"
    if paths.subnet.via is not None:
        where = paths.subnet.via.hop.resource
    what = "implicit main route table (local routes only)" if is_implicit(table) else table.id
    return [
        Blocker(
            code="NO_ROUTE_TO_DESTINATION",
            resource=table.id,
            detail=f"{what} has no route to {where} for the source addresses",
            source=_source(table.source),
        )
    ]


def component_blockers(paths: InterfacePaths, family: str,
                       services: IntervalSet = ALL_SERVICES,
                       sources: IPSet | None = None) -> list[Blocker]:
    """Greedy walk over SGs, NACL in, NACL out and the route (see the module docstring),
    for the path's sources (or ``sources``) and ``services``."""
    blockers: list[Blocker] = []
    start = paths.subnet.sources if sources is None else sources & paths.subnet.sources
    running = [Box(start & family_addresses(family), services)]
    admission = paths.admission
    after_sg = region_and(running, region_of(admission.pieces))
    if after_sg:
        running = after_sg
    else:
        code = "ENI_SG_RULES_MISMATCH" if admission.has_ingress_rules else "SG_HAS_NO_RULES"
        names = ", ".join(group.id for group in admission.groups)
        detail = (
            f"no ingress rule of {names} admits {_sources_name(paths)}"
            if admission.has_ingress_rules
            else f"{names} have no ingress rules"
        )
        first = admission.groups[0]
        blockers.append(
            Blocker(code=code, resource=first.id, detail=detail, source=_source(first.source))
        )
    nacl = paths.subnet.nacl
    after_in = region_and(running, region_of(nacl.inbound.allowed))
    if after_in:
        running_in = after_in
    else:
        blockers.extend(_acl_blockers(paths, nacl.inbound.denied, running, outbound=False))
        running_in = running
    running = running_in
    after_out = region_and(running, region_of(nacl.outbound.allowed))
    if after_out:
        running = after_out
    else:
        replies = [Box(box.addresses, reply_space(box.services)) for box in running]
        blockers.extend(_acl_blockers(paths, nacl.outbound.denied, replies, outbound=True))
    if not region_and(running, region_of(paths.subnet.routing.igw_pieces())):
        blockers.extend(_route_blockers(paths, running))
    return blockers


def _sources_name(paths: InterfacePaths) -> str:
    via = paths.subnet.via
    return "internet sources" if via is None else f"sources behind {via.hop.resource}"


ComponentCache = dict[tuple[object, ...], list[Blocker]]
"""Component blockers by (subnet, security groups, family): shared by every interface
with the same placement, so verdicts cost one walk per distinct placement."""


def blocked_verdict(paths: InterfacePaths, family: str,
                    cache: ComponentCache | None = None) -> EndpointVerdict:
    """The verdict for a placed interface with no exposure over ``family``: every blocker."""
    spec = paths.spec
    blockers: list[Blocker] = []
    grant = spec.public_ipv4 if family == "ipv4" else spec.ipv6
    if grant is None:
        blockers.append(
            Blocker(
                code="IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS",
                resource=spec.interface,
                detail=spec.no_public_ipv4 if family == "ipv4" else spec.no_ipv6,
                source=spec.target_source,
            )
        )
    vpc = paths.subnet.vpc
    if paths.subnet.gateway.gateway is None:
        blockers.append(
            Blocker(
                code="NO_ROUTE_TO_DESTINATION",
                resource=vpc.id,
                detail=f"no internet gateway is attached to {vpc.id}",
                source=_source(vpc.source),
            )
        )
    key = (paths.subnet.context, tuple(g.id for g in paths.admission.groups), family)
    if cache is None or key not in cache:
        components = component_blockers(paths, family)
        if cache is None:
            blockers.extend(components)
        else:
            cache[key] = components
    if cache is not None:
        blockers.extend(cache[key])
    return construct(
        EndpointVerdict,
        target=spec.target,
        interface=spec.interface,
        path_kind=PathKind.IGW,
        address_family=family,
        reachable=False,
        blockers=tuple(blockers),
    )


def reachable_verdict(spec: InterfaceSpec, family: str) -> EndpointVerdict:
    """The verdict for an interface with at least one exposure over ``family``."""
    return construct(
        EndpointVerdict,
        target=spec.target,
        interface=spec.interface,
        path_kind=PathKind.IGW,
        address_family=family,
        reachable=True,
    )
