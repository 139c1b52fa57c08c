"""Security groups: the union of the interface's groups' ingress rules (stateful).

Replies to admitted packets are always allowed out, so egress rules play no part in
inbound reachability. To keep findings from double counting, every packet is credited
to exactly one rule: rules are taken in (group id, declaration) order and each gets only
what the rules before it did not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from netaddr import IPSet

from policycheck.model import SecurityGroup, SgRule, Unknown
from policycheck.reachability.boxes import Box, Piece, subtract
from policycheck.reachability.result import Hop
from policycheck.reachability.sets import (
    ALL_SERVICES,
    all_addresses,
    cidr_set,
    describe_services,
    ip_set,
    rule_services,
)
from policycheck.reachability.topology import declared_source

GroupMembers = Callable[[str], IPSet]
"""The addresses of a security group's members (the subnets of the interfaces, load
balancer nodes and endpoints that use it): what a rule naming the group admits."""


@dataclass(frozen=True, eq=False)
class GroupAdmission:
    """What a set of security groups admits, piece by crediting rule."""

    groups: tuple[SecurityGroup, ...]
    pieces: tuple[Piece, ...]
    has_ingress_rules: bool


def _peer(
    rule: SgRule, members: GroupMembers | None = None
) -> tuple[str, object, tuple[str, ...]]:
    """A description of the rule's peer, its addresses and the assumptions made."""
    if rule.security_group is not None:
        # Members of a group have VPC (or peered VPC) addresses: never internet sources.
        # They are the subnets of the group's members, so that a target admitting a load
        # balancer's group, or a group across a peering, admits exactly those.
        ref = rule.security_group
        addresses = members(ref) if members is not None and isinstance(ref, str) else ip_set()
        return f"security group {ref}", addresses, ()
    if rule.prefix_list is not None:
        name = rule.prefix_list
        what = name.reason if isinstance(name, Unknown) else f"prefix list {name}"
        return (
            f"prefix list {name}" if isinstance(name, str) else "unknown prefix list",
            all_addresses(),
            (f"{what}: contents unknown, assumed to include internet addresses",),
        )
    if isinstance(rule.cidr, Unknown):
        return "unknown CIDR", all_addresses(), (rule.cidr.reason,)
    if rule.cidr is None:
        return "nowhere", ip_set(), ()
    return rule.cidr, cidr_set(rule.cidr), ()


def _int_or_none(value: int | Unknown | None) -> int | None:
    return value if isinstance(value, int) else None


def _services(rule: SgRule) -> tuple[str, object, tuple[str, ...]]:
    if isinstance(rule.protocol, Unknown):
        return "unknown protocol", ALL_SERVICES, (rule.protocol.reason,)
    unknown_ports = [
        port.reason for port in (rule.from_port, rule.to_port) if isinstance(port, Unknown)
    ]
    low, high = _int_or_none(rule.from_port), _int_or_none(rule.to_port)
    if rule.protocol in ("icmp", "icmpv6"):
        high = low  # for ICMP, from_port is the type and to_port the code
    if unknown_ports:
        low = high = None
    text = describe_services(rule.protocol, low, high)
    return text, rule_services(rule.protocol, low, high), tuple(unknown_ports)


def describe_rule(rule: SgRule) -> str:
    """``ingress tcp 22 from 0.0.0.0/0``."""
    services, _, _ = _services(rule)
    peer, _, _ = _peer(rule)
    return f"{rule.direction} {services} from {peer}"


def admitted(
    groups: Sequence[SecurityGroup], members: GroupMembers | None = None
) -> GroupAdmission:
    """The packets the groups admit (every source, not only the internet), by rule."""
    ordered = sorted(groups, key=lambda group: group.id)
    pieces: list[Piece] = []
    earlier: list[Box] = []
    has_rules = False
    for group in ordered:
        for rule in group.rules:
            if rule.direction != "ingress":
                continue
            has_rules = True
            services_text, services, service_assumptions = _services(rule)
            peer_text, addresses, peer_assumptions = _peer(rule, members)
            box = Box(addresses, services)  # type: ignore[arg-type]
            if not box:
                continue
            fresh = [box]
            for taken in earlier:
                fresh = subtract(fresh, taken)
            earlier.append(box)
            hop = Hop(
                type="SecurityGroup",
                resource=group.id,
                detail=f"ingress {services_text} from {peer_text}",
                source=declared_source(rule.source),
            )
            assumptions = (*peer_assumptions, *service_assumptions)
            pieces.extend(Piece(part, (hop,), assumptions, part.addresses) for part in fresh)
    return GroupAdmission(tuple(ordered), tuple(pieces), has_rules)
