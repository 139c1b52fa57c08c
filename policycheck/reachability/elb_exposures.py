"""Exposures and verdicts of load balancers and of the targets behind them.

The load balancer's own exposure is its IGW path restricted to each listener (path kind
IGW, ``listener`` set). Each target then gets, per listener that reaches it, one
exposure of path kind ELB: its ports are the target port, its sources the clients that
reach the listener, its path the load balancer's path followed by the target group and
the target side (NACL both ways, security group), and it names the listener.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netaddr import IPSet

from policycheck.model import LambdaFunction, LoadBalancer, Model, SourceRef
from policycheck.reachability.boxes import (
    Box,
    Piece,
    combine,
    merge_assumptions,
    overlaps,
    region_and,
    region_of,
)
from policycheck.reachability.elb_path import (
    ListenerPlan,
    Target,
    is_open_nlb,
    listener_plans,
    node_addresses,
    open_admission_piece,
    target_services,
)
from policycheck.reachability.explain import FAMILIES, blocked_verdict
from policycheck.reachability.exposures import exposures_for, shared_drafts
from policycheck.reachability.igw_path import IgwPathAnalysis
from policycheck.reachability.interfaces import InterfaceSpec
from policycheck.reachability.nacl import entry_number, reply_space
from policycheck.reachability.result import Blocker, EndpointVerdict, Exposure, Hop, PathKind
from policycheck.reachability.sets import (
    IntervalSet,
    cidrs_of,
    family_addresses,
    split_by_protocol,
)
from policycheck.reachability.topology import declared_source

_NAMES = {6: "tcp", 17: "udp"}


@dataclass
class _ListenerReach:
    clients: IPSet = field(default_factory=IPSet)
    """Internet addresses that reach the listener."""
    shown: IPSet = field(default_factory=IPSet)
    """The same as the load balancer's exposures show them (CIDRs as configured)."""
    path: tuple[Hop, ...] = ()
    assumptions: tuple[str, ...] = ()


@dataclass
class ElbOutcome:
    exposures: list[Exposure] = field(default_factory=list)
    verdicts: list[EndpointVerdict] = field(default_factory=list)
    blocked: dict[str, list[Blocker]] = field(default_factory=dict)
    """Target interface -> blockers, for targets no listener reaches."""
    reached: set[str] = field(default_factory=set)


def _lb_side(paths: IgwPathAnalysis, lb: LoadBalancer, specs: list[InterfaceSpec],
             plans: list[ListenerPlan], outcome: ElbOutcome) -> dict[str, _ListenerReach]:
    reach = {plan.listener.id: _ListenerReach() for plan in plans}
    for spec in specs:
        subnet = spec.placement.subnet
        if subnet is None:
            continue
        subnet_paths = paths.subnet_paths(subnet)
        first_hop = subnet_paths.gateway_hop()
        if is_open_nlb(lb):
            pieces = combine(subnet_paths.pieces, [open_admission_piece(lb)])
        else:
            found = paths.interface_paths(spec)
            pieces = list(found.pieces) if found is not None else []
        for family in FAMILIES:
            grant = spec.public_ipv4 if family == "ipv4" else spec.ipv6
            exposed = False
            for plan in plans:
                if grant is None or first_hop is None:
                    continue
                listener_box = Box(family_addresses(family), plan.services)
                on_listener = [
                    Piece(piece.box & listener_box, (*piece.hops, plan.hop),
                          merge_assumptions(piece.assumptions, plan.assumptions),
                          piece.configured)
                    for piece in pieces if piece.box & listener_box
                ]
                drafts = shared_drafts(family, on_listener, subnet_paths.sources)
                found_exposures = [
                    exposure.model_copy(update={"listener": plan.listener.id})
                    for exposure in exposures_for(spec, family, grant, first_hop, drafts,
                                                  subnet_paths.gateway.assumptions)
                ]
                outcome.exposures.extend(found_exposures)
                exposed = exposed or bool(found_exposures)
                state = reach[plan.listener.id]
                for piece in on_listener:
                    state.clients |= piece.box.addresses & subnet_paths.sources
                for exposure in found_exposures:
                    state.shown |= IPSet(exposure.sources)
                if found_exposures and not state.path:
                    state.path = found_exposures[0].path
                    state.assumptions = found_exposures[0].assumptions
            if exposed:
                outcome.verdicts.append(EndpointVerdict(
                    target=spec.target, interface=spec.interface, path_kind=PathKind.IGW,
                    address_family=family, reachable=True))
                continue
            placed = paths.interface_paths(spec)
            verdict = (blocked_verdict(placed, family) if placed is not None else None)
            blockers = list(verdict.blockers) if verdict is not None else []
            if not plans:
                blockers.append(Blocker(code="ELB_LISTENER_PORT_RESTRICTION", resource=lb.id,
                                        detail=f"{lb.id} has no listener",
                                        source=declared_source(lb.source)))
            elif not blockers and grant is not None:
                # the path is open, only not on any listener's protocol and port
                ports = ", ".join(plan.hop.detail for plan in plans)
                blockers.append(Blocker(
                    code="ELB_LISTENER_PORT_RESTRICTION", resource=lb.id,
                    detail=f"the route, NACL and security groups admit no {ports}",
                    source=declared_source(lb.source)))
            outcome.verdicts.append(EndpointVerdict(
                target=spec.target, interface=spec.interface, path_kind=PathKind.IGW,
                address_family=family, reachable=False, blockers=tuple(blockers)))
    return reach


def _target_side(paths: IgwPathAnalysis, spec: InterfaceSpec, sources: IPSet,
                 services: IntervalSet, assumptions: tuple[str, ...]
                 ) -> tuple[list[Piece], list[Blocker]]:
    """Packets from the load balancer that the target's NACL and groups pass, or the
    blockers when none do."""
    subnet = spec.placement.subnet
    if subnet is None:
        return [], [Blocker(code=spec.placement.problem_code, resource=spec.interface,
                            detail=spec.placement.problem, source=spec.target_source)]
    vpc = subnet.vpc if isinstance(subnet.vpc, str) else ""
    nacl = paths.nacl(subnet)
    admission = paths.admission(paths.groups_of(spec, vpc))
    entry = [Piece(Box(sources, services), (), assumptions)]
    pieces = combine(combine(combine(entry, nacl.inbound.allowed), nacl.outbound.allowed),
                     admission.pieces)
    if pieces:
        return pieces, []
    blockers: list[Blocker] = []
    running = [Box(sources, services)]
    if not region_and(running, region_of(admission.pieces)):
        names = ", ".join(group.id for group in admission.groups)
        first = admission.groups[0]
        blockers.append(Blocker(
            code="ENI_SG_RULES_MISMATCH", resource=first.id,
            detail=f"no ingress rule of {names} admits the load balancer on the target port",
            source=declared_source(first.source)))
    for direction, denials, region in (
        ("inbound", nacl.inbound.denied, running),
        ("outbound", nacl.outbound.denied,
         [Box(box.addresses, reply_space(box.services)) for box in running]),
    ):
        allowed = nacl.inbound.allowed if direction == "inbound" else nacl.outbound.allowed
        if region_and(running, region_of(allowed)):
            continue
        for denial in denials:
            if overlaps(denial.boxes, region):
                blockers.append(Blocker(
                    code="SUBNET_ACL_RESTRICTION", resource=nacl.acl.id,
                    detail=f"{direction} {denial.rule} (traffic from the load balancer)",
                    source=declared_source(denial.entry.source) if denial.entry else None,
                    rule_number=entry_number(denial)))
    return [], blockers


def _target_exposures(model: Model, paths: IgwPathAnalysis, lb: LoadBalancer,
                      plan: ListenerPlan, target: Target, state: _ListenerReach,
                      lb_nodes: IPSet, specs_by_target: dict[str, list[InterfaceSpec]],
                      outcome: ElbOutcome) -> None:
    services = target_services(plan, target)
    assumptions = merge_assumptions(state.assumptions, target.assumptions)
    obj = model.get(target.target)
    if isinstance(obj, LambdaFunction):
        hop = Hop(type="LambdaFunction", resource=obj.id, detail="invoked by the load balancer",
                  source=obj.source)
        for number in plan.protocols:
            outcome.exposures.append(_exposure(
                obj.id, obj.source, obj.id, number, ((plan.listener.port, plan.listener.port),)
                if isinstance(plan.listener.port, int) else ((0, 65535),), state,
                (*state.path, target.hop, hop), assumptions, lb, plan))
        return
    open_nlb = is_open_nlb(lb)
    sources = state.clients if open_nlb else lb_nodes
    for spec in specs_by_target.get(target.target, []):
        pieces, blockers = _target_side(paths, spec, sources, services, assumptions)
        if not pieces:
            outcome.blocked.setdefault(spec.interface, []).extend(blockers)
            continue
        outcome.reached.add(spec.interface)
        reached_services = IntervalSet()
        shown = IPSet()
        for piece in pieces:
            reached_services = reached_services | piece.box.services
            shown |= piece.box.addresses
        clients = _shown(shown & state.clients, shown) if open_nlb else state.shown
        hop = Hop(type=spec.kind, resource=spec.interface,
                  detail="private address, from the load balancer", source=spec.target_source)
        path = (*state.path, target.hop, *pieces[0].hops, hop)
        extra = merge_assumptions(spec.assumptions, *(piece.assumptions for piece in pieces))
        for number, ports in split_by_protocol(reached_services):
            outcome.exposures.append(_exposure(
                spec.target, spec.target_source, spec.interface, number,
                tuple(ports.closed_ranges()), _ListenerReach(clients), path,
                merge_assumptions(assumptions, extra), lb, plan))


def _shown(reached: IPSet, configured: IPSet) -> IPSet:
    """``configured`` when it reads shorter and adds no internet address to ``reached``."""
    if len(configured.iter_cidrs()) < len(reached.iter_cidrs()):
        return configured
    return reached


def _exposure(target: str, source: SourceRef, interface: str, number: int,
              ports: tuple[tuple[int, int], ...], state: _ListenerReach,
              path: tuple[Hop, ...], assumptions: tuple[str, ...], lb: LoadBalancer,
              plan: ListenerPlan) -> Exposure:
    return Exposure(
        target=target, target_source=source, interface=interface, path_kind=PathKind.ELB,
        protocol=_NAMES.get(number, str(number)), ports=ports,
        sources=cidrs_of(state.clients), path=path, assumptions=assumptions,
        listener=plan.listener.id, load_balancer=lb.id)


def elb_outcome(model: Model, paths: IgwPathAnalysis, lbs: dict[str, list[InterfaceSpec]],
                specs_by_target: dict[str, list[InterfaceSpec]]) -> ElbOutcome:
    """Every load balancer's exposures and verdicts, and its targets' ELB exposures."""
    outcome = ElbOutcome()
    for lb in model.load_balancers:
        specs = lbs.get(lb.id, [])
        plans = listener_plans(model, lb)
        reach = _lb_side(paths, lb, specs, plans, outcome)
        nodes = node_addresses(paths.topology, specs)
        for plan in plans:
            state = reach[plan.listener.id]
            for target in plan.targets:
                if not state.clients:
                    for spec in specs_by_target.get(target.target, []):
                        outcome.blocked.setdefault(spec.interface, []).append(Blocker(
                            code="ELB_LISTENER_PORT_RESTRICTION", resource=lb.id,
                            detail=f"no internet traffic reaches {plan.listener.id}",
                            source=declared_source(plan.listener.source)))
                    continue
                _target_exposures(model, paths, lb, plan, target, state, nodes,
                                  specs_by_target, outcome)
    return outcome


def elb_verdicts(outcome: ElbOutcome, specs: list[InterfaceSpec]) -> list[EndpointVerdict]:
    """One ELB verdict per target interface behind some load balancer."""
    verdicts = []
    for spec in specs:
        if spec.interface in outcome.reached:
            verdicts.append(EndpointVerdict(target=spec.target, interface=spec.interface,
                                            path_kind=PathKind.ELB, address_family="ipv4",
                                            reachable=True))
        elif spec.interface in outcome.blocked:
            blockers = tuple(dict.fromkeys(outcome.blocked[spec.interface]))
            verdicts.append(EndpointVerdict(target=spec.target, interface=spec.interface,
                                            path_kind=PathKind.ELB, address_family="ipv4",
                                            reachable=False, blockers=blockers))
    return verdicts

