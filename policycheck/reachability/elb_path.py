"""Internet -> load balancer -> listener -> target group -> target (path kinds IGW and ELB).

An internet-facing ALB, NLB or classic ELB has a node with a public address in each of
its subnets; the IGW path to those nodes (route, NACL, the load balancer's security
groups) restricted to the listener ports is the load balancer's own exposure. Each
listener forwards to target groups (default actions and listener rules) or, for a
classic ELB, to its instances; the targets are attachments, autoscaling groups, ECS
services and Lambda functions. A target is reached when its subnet's NACL (both ways)
and its security groups admit the packet from the load balancer on the target port:
from the load balancer's subnets (a rule naming the load balancer's group admits them),
or — an NLB without security groups preserves client addresses — from the clients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from netaddr import IPSet

from policycheck.model import (
    LbListener,
    LoadBalancer,
    Model,
    TargetGroup,
    Unknown,
)
from policycheck.reachability.boxes import Piece, universe
from policycheck.reachability.endpoints import interface_name
from policycheck.reachability.interfaces import AddressGrant, InterfaceSpec, place
from policycheck.reachability.result import Hop
from policycheck.reachability.sets import (
    IntervalSet,
    ip_set,
    protocol_services,
)
from policycheck.reachability.topology import DEFAULT_VPC_ASSUMPTION, Topology, declared_source

_TCP, _UDP = 6, 17
_LISTENER_PROTOCOLS = {
    "HTTP": (_TCP,), "HTTPS": (_TCP,), "TCP": (_TCP,), "TLS": (_TCP,), "SSL": (_TCP,),
    "UDP": (_UDP,), "TCP_UDP": (_TCP, _UDP),
}


@dataclass(frozen=True)
class Target:
    """One thing a listener forwards to, with the port it receives traffic on."""

    target: str
    """The target's model id (instance, autoscaling group, ECS service, Lambda function)."""
    port: int | None
    """None: unknown (every port of the protocol is assumed) or not applicable (Lambda)."""
    hop: Hop
    """The target group (or classic listener) that forwards to it."""
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListenerPlan:
    """A listener: the services it accepts and the targets it forwards to."""

    listener: LbListener
    protocols: tuple[int, ...]
    services: IntervalSet
    hop: Hop
    targets: tuple[Target, ...]
    assumptions: tuple[str, ...] = ()


def is_open_nlb(lb: LoadBalancer) -> bool:
    """An NLB without security groups filters nothing and preserves client addresses."""
    return lb.load_balancer_type == "network" and not lb.security_groups


def lb_specs(topology: Topology, lb: LoadBalancer, default_vpc: bool) -> list[InterfaceSpec]:
    """The load balancer's nodes, one per subnet, public when it is internet-facing."""
    places: list[object] = list(lb.subnets) or [None]
    assumptions: tuple[str, ...] = ()
    if isinstance(lb.scheme, Unknown):
        assumptions = (f"load balancer assumed internet-facing: {lb.scheme.reason}",)
    facing = lb.scheme != "internal"
    grant = AddressGrant("public address of an internet-facing load balancer node",
                         lb.source, assumptions) if facing else None
    dual = lb.ip_address_type == "dualstack"
    specs = []
    for subnet_ref in places:
        specs.append(InterfaceSpec(
            interface=interface_name(lb.id, subnet_ref if isinstance(subnet_ref, str) else None,
                                     len(places)),
            kind="LoadBalancer", target=lb.id, target_source=lb.source,
            placement=place(topology, subnet_ref, default_vpc),
            security_groups=tuple(lb.security_groups),
            public_ipv4=grant, no_public_ipv4="the load balancer's scheme is internal",
            ipv6=grant if dual and facing else None,
            no_ipv6="the load balancer is not dualstack",
            assumptions=(DEFAULT_VPC_ASSUMPTION,) if subnet_ref is None else ()))
    return specs


def open_admission_piece(lb: LoadBalancer) -> Piece:
    """What an NLB without security groups admits: everything (listeners restrict it)."""
    hop = Hop(type="LoadBalancer", resource=lb.id,
              detail="no security groups: the network load balancer filters nothing",
              source=declared_source(lb.source))
    return Piece(universe(), (hop,))


def _services(protocols: Iterable[int], port: int | None) -> IntervalSet:
    result = IntervalSet()
    for protocol in protocols:
        result = result | (protocol_services(protocol) if port is None
                           else protocol_services(protocol, port, port))
    return result


def target_services(plan: ListenerPlan, target: Target) -> IntervalSet:
    """What the target receives: the listener's protocols on the target port."""
    return _services(plan.protocols, target.port)


def _port(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _group_targets(model: Model, group: TargetGroup, via: str) -> list[Target]:
    port = _port(group.port)
    assumptions = (group.port.reason,) if isinstance(group.port, Unknown) else ()
    targets: list[Target] = []

    def hop(target: str, target_port: int | None) -> Hop:
        where = f" port {target_port}" if target_port is not None else ""
        return Hop(type="TargetGroup", resource=group.id,
                   detail=f"{via} forwards to {target}{where}",
                   source=declared_source(group.source))

    for attachment in model.target_group_attachments:
        if attachment.target_group == group.id and isinstance(attachment.target, str):
            target_port = _port(attachment.port) or port
            targets.append(Target(attachment.target, target_port,
                                  hop(attachment.target, target_port), assumptions))
    for asg in model.autoscaling_groups:
        if group.id in asg.target_groups:
            targets.append(Target(asg.id, port, hop(asg.id, port), assumptions))
    for service in model.ecs_services:
        for binding in service.load_balancers:
            if binding.target_group == group.id:
                container_port = _port(binding.container_port) or port
                targets.append(Target(service.id, container_port,
                                      hop(service.id, container_port), assumptions))
    return targets


def _classic_targets(model: Model, lb: LoadBalancer, listener: LbListener) -> list[Target]:
    port = _port(listener.instance_port) or _port(listener.port)
    via = f"{listener.id}"
    members = [ref for ref in lb.instances if isinstance(ref, str)]
    members += [asg.id for asg in model.autoscaling_groups
                if lb.id in asg.classic_load_balancers]
    members += [service.id for service in model.ecs_services
                if any(b.classic_load_balancer == lb.id for b in service.load_balancers)]
    return [
        Target(member, port, Hop(type="LbListener", resource=listener.id,
                                 detail=f"{via} forwards to {member} port {port}",
                                 source=declared_source(listener.source)))
        for member in members
    ]


def listener_plans(model: Model, lb: LoadBalancer) -> list[ListenerPlan]:
    """Every listener of ``lb`` with the services it accepts and its targets."""
    plans = []
    for listener in model.lb_listeners:
        if listener.load_balancer != lb.id:
            continue
        assumptions: list[str] = []
        protocol = listener.protocol
        if isinstance(protocol, Unknown):
            protocols: tuple[int, ...] = (_TCP, _UDP)
            assumptions.append(protocol.reason)
        else:
            protocols = _LISTENER_PROTOCOLS.get(protocol.upper(), ())
        if not protocols:
            continue  # GENEVE (gateway load balancers) carries no inbound service
        port = _port(listener.port)
        if isinstance(listener.port, Unknown):
            assumptions.append(listener.port.reason)
        names = "/".join("udp" if p == _UDP else "tcp" for p in protocols)
        shown = port if port is not None else "any port"
        hop = Hop(type="LbListener", resource=listener.id,
                  detail=f"listener {protocol} {shown} ({names})",
                  source=declared_source(listener.source))
        if lb.load_balancer_type == "classic":
            targets = _classic_targets(model, lb, listener)
        else:
            targets = []
            for action in [*listener.default_actions, *listener.rule_actions]:
                if action.type != "forward" and not isinstance(action.type, Unknown):
                    continue
                for ref in action.target_groups:
                    group = model.get(ref)
                    if isinstance(group, TargetGroup):
                        targets.extend(_group_targets(model, group, listener.id))
        plans.append(ListenerPlan(listener, protocols, _services(protocols, port), hop,
                                  tuple(dict.fromkeys(targets)), tuple(assumptions)))
    return plans


def node_addresses(topology: Topology, specs: Iterable[InterfaceSpec]) -> IPSet:
    """Where a load balancer's nodes have addresses: its subnets (else their VPC's blocks)."""
    addresses = ip_set()
    for spec in specs:
        subnet = spec.placement.subnet
        if subnet is None:
            continue
        if isinstance(subnet.cidr_block, str):
            addresses |= ip_set((subnet.cidr_block,))
        else:
            vpc = topology.vpc(subnet.vpc if isinstance(subnet.vpc, str) else "")
            addresses |= ip_set(c for c in vpc.cidr_blocks if isinstance(c, str))
    return addresses
