"""The packet-by-packet oracle for the load-balancer, VPN-gateway and peering paths.

Like ``oracle.Oracle`` it walks one concrete packet with the standard library's
``ipaddress`` and shares no code with ``policycheck.reachability``. Where AWS leaves an
address open until deploy (a load balancer node's private address, the target's private
address) the packet is admitted when *some* address of the subnet would let it through;
the candidate addresses are the subnet's first address and every rule or route boundary
inside it, since between two boundaries every address is treated alike.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from policycheck.model import (
    Instance,
    LbListener,
    LoadBalancer,
    Model,
    RouteTable,
    RouteTargetKind,
    SecurityGroup,
    Subnet,
    TargetGroup,
    Vpc,
    VpnConnection,
)
from tests.reachability.oracle import (
    Address,
    Oracle,
    contains,
    first_match_allows,
    is_internet,
    parse,
    port_matches,
    protocol_matches,
    reply_candidates,
)

LISTENER_PROTOCOLS = {
    "HTTP": (6,), "HTTPS": (6,), "TCP": (6,), "TLS": (6,), "UDP": (17,), "TCP_UDP": (6, 17),
}
# Dynamic (BGP) routing may advertise anything: policycheck's stated convention is two
# /1 halves, which beat a static default route but not a VPC's own blocks.
BGP_HALVES = ("0.0.0.0/1", "128.0.0.0/1")


def network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return parse(cidr)


class PathOracle(Oracle):
    """Answers "does this packet reach this interface" for the ELB, VGW and PEERING paths."""

    def __init__(self, model: Model) -> None:
        super().__init__(model)
        self._members: dict[str, list[str]] = {}
        self._addresses: dict[str, list[Address]] = {}

    # -- shared steps ---------------------------------------------------------------

    def vpc_of(self, vpc_id: object) -> Vpc:
        return next(v for v in self.model.vpcs if v.id == vpc_id)

    def own_block(self, vpc: Vpc, address: Address) -> bool:
        blocks = [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks]
        return any(contains(c, address) for c in blocks if isinstance(c, str))

    def table(self, subnet: Subnet) -> RouteTable | None:
        model = self.model
        table_id = next(
            (a.route_table for a in model.route_table_associations if a.subnet == subnet.id),
            None,
        )
        if table_id is None:
            table_id = next((m.route_table for m in model.main_route_table_associations
                             if m.vpc == subnet.vpc), None)
        if table_id is None:
            table_id = next(
                (t.id for t in model.route_tables if t.is_main and t.vpc == subnet.vpc), None)
        return next((t for t in model.route_tables if t.id == table_id), None)

    def next_hop(self, subnet: Subnet, address: Address,
                 propagation: bool = True) -> tuple[str, object]:
        """(kind, target) of the route the subnet's table picks for ``address``: longest
        prefix; at equal length the VPC's own block, then static routes, then routes
        propagated from a VPN gateway (left out when ``propagation`` is False: the IGW
        path, like policycheck's, reads unknown BGP advertisements permissively)."""
        table = self.table(subnet)
        candidates: list[tuple[int, int, str, object]] = []
        vpc = self.vpc_of(subnet.vpc)
        for cidr in [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks]:
            if isinstance(cidr, str) and contains(cidr, address):
                candidates.append((network(cidr).prefixlen, 2, "local", None))
        for route in table.routes if table is not None else []:
            if isinstance(route.destination, str) and contains(route.destination, address):
                candidates.append(
                    (network(route.destination).prefixlen, 1, route.target_kind.value,
                     route.target))
        for vgw in table.propagating_vgws if table is not None and propagation else []:
            for cidr in self.propagated(vgw):
                if contains(cidr, address):
                    candidates.append(
                        (network(cidr).prefixlen, 0, RouteTargetKind.VPN_GATEWAY.value, vgw))
        if not candidates:
            return "none", None
        _, _, kind, target = max(candidates, key=lambda c: (c[0], c[1]))
        return kind, target

    def nacl_passes(self, subnet: Subnet, address: Address, protocol: int, port: int) -> bool:
        """The subnet's NACL lets the packet in and its reply out (some ephemeral port)."""
        entries = self._acl_entries(subnet)
        inbound = [e for e in entries if not e.egress]
        outbound = [e for e in entries if e.egress]
        return first_match_allows(inbound, address, protocol, port) and any(
            first_match_allows(outbound, address, protocol, reply)
            for reply in reply_candidates(outbound, protocol)
        )

    def members(self, group: str) -> list[str]:
        """CIDRs of the subnets holding an interface of ``group`` (what a rule naming the
        group admits when the sender's exact address is left open)."""
        if group not in self._members:
            self._members[group] = self._member_cidrs(group)
        return self._members[group]

    def _member_cidrs(self, group: str) -> list[str]:
        model = self.model
        subnets: list[object] = []
        for instance in model.instances:
            groups = self._effective(instance.subnet, instance.security_groups)
            if group in groups:
                subnets.append(instance.subnet)
        for eni in model.network_interfaces:
            if group in self._effective(eni.subnet, eni.security_groups):
                subnets.append(eni.subnet)
        for lb in model.load_balancers:
            if lb.load_balancer_type == "network" and not lb.security_groups:
                continue  # an NLB without groups is in no group
            for subnet_ref in lb.subnets:
                if group in self._effective(subnet_ref, lb.security_groups):
                    subnets.append(subnet_ref)
        cidrs = []
        for ref in subnets:
            subnet = self._subnet(ref)
            if subnet is not None and isinstance(subnet.cidr_block, str):
                cidrs.append(subnet.cidr_block)
        return cidrs

    def _effective(self, subnet_ref: object, groups: Iterable[object]) -> list[str]:
        named = [g for g in groups if isinstance(g, str)]
        if named:
            return named
        subnet = self._subnet(subnet_ref)
        if subnet is None:
            return []
        return [g.id for g in self.model.security_groups if g.is_default and g.vpc == subnet.vpc]

    def admits(self, groups: list[SecurityGroup], address: Address, protocol: int, port: int,
               by_reference: bool) -> bool:
        """Some ingress rule of the groups admits the packet: a CIDR containing the source,
        or (``by_reference``) a group whose members' subnets contain it."""
        for group in groups:
            for rule in group.rules:
                if rule.direction != "ingress":
                    continue
                assert isinstance(rule.protocol, str)
                low = rule.from_port if isinstance(rule.from_port, int) else None
                high = rule.to_port if isinstance(rule.to_port, int) else None
                if not (protocol_matches(rule.protocol, protocol)
                        and port_matches(protocol, port, low, high, rule.protocol)):
                    continue
                if isinstance(rule.cidr, str) and contains(rule.cidr, address):
                    return True
                if by_reference and isinstance(rule.security_group, str) and any(
                    contains(cidr, address) for cidr in self.members(rule.security_group)
                ):
                    return True
        return False

    def boundaries(self) -> list[str]:
        """Every CIDR a rule, route or subnet names."""
        model = self.model
        cidrs = {rule.cidr for group in model.security_groups for rule in group.rules}
        cidrs |= {item.cidr for acl in model.network_acls for item in acl.entries}
        cidrs |= {r.destination for table in model.route_tables for r in table.routes}
        cidrs |= {s.cidr_block for s in model.subnets}
        return [c for c in cidrs if isinstance(c, str)]

    def addresses_in(self, subnet: Subnet) -> list[Address]:
        """One address of each piece of the subnet that the model's CIDRs cut it into."""
        if subnet.id not in self._addresses:
            self._addresses[subnet.id] = self._pieces(subnet)
        return self._addresses[subnet.id]

    def _pieces(self, subnet: Subnet) -> list[Address]:
        assert isinstance(subnet.cidr_block, str)
        whole = network(subnet.cidr_block)
        points = {int(whole.network_address)}
        for cidr in self.boundaries():
            piece = network(cidr)
            if piece.version != whole.version:
                continue
            points |= {int(piece.network_address), int(piece.broadcast_address) + 1}
        low, high = int(whole.network_address), int(whole.broadcast_address)
        return [ipaddress.ip_address(p) for p in sorted(points) if low <= p <= high]

    def placed(self, interface: str) -> tuple[Subnet | None, list[SecurityGroup]]:
        subnet, groups, _, _ = self._interface(interface)
        if subnet is None:
            return None, []
        return subnet, self._groups(subnet, groups)

    # -- internet -> load balancer -> target -----------------------------------------

    def listeners(self, lb: LoadBalancer) -> list[LbListener]:
        return [item for item in self.model.lb_listeners if item.load_balancer == lb.id]

    def lb_node_reached(self, lb: LoadBalancer, subnet: Subnet, address: Address,
                        protocol: int, port: int) -> bool:
        """A client packet reaches the load balancer's node in ``subnet`` on ``port``."""
        if lb.scheme == "internal" or not is_internet(address) or address.version != 4:
            return False
        vpc = self.vpc_of(subnet.vpc)
        if self.own_block(vpc, address):
            return False
        igw = next((g.id for g in self.model.internet_gateways if g.vpc == subnet.vpc), None)
        via_igw = (RouteTargetKind.INTERNET_GATEWAY.value, igw)
        if igw is None or self.next_hop(subnet, address, propagation=False) != via_igw:
            return False
        if not self.nacl_passes(subnet, address, protocol, port):
            return False
        if lb.load_balancer_type == "network" and not lb.security_groups:
            return True
        groups = [g for g in lb.security_groups if isinstance(g, str)]
        return self.admits(self._groups(subnet, groups), address, protocol, port, False)

    def reaches(self, interface: str, source: str, protocol: int, port: int) -> bool:
        """The IGW path, to an instance or interface or to a load balancer's node."""
        if any(interface == lb.id or interface.startswith(f"{lb.id} (")
               for lb in self.model.load_balancers):
            return self.reaches_lb_node(interface, source, protocol, port)
        return super().reaches(interface, source, protocol, port)

    def reaches_lb_node(self, interface: str, source: str, protocol: int, port: int) -> bool:
        """The load balancer's own exposure: ``interface`` names one of its nodes."""
        address = ipaddress.ip_address(source)
        for lb in self.model.load_balancers:
            refs = [s for s in lb.subnets if isinstance(s, str)]
            for ref in refs:
                name = lb.id if len(refs) == 1 else f"{lb.id} ({ref})"
                subnet = self._subnet(ref)
                if name != interface or subnet is None:
                    continue
                for listener in self.listeners(lb):
                    protocols = LISTENER_PROTOCOLS.get(str(listener.protocol), ())
                    if (listener.port == port and protocol in protocols
                            and self.lb_node_reached(lb, subnet, address, protocol, port)):
                        return True
        return False

    def targets(self, listener: LbListener) -> list[tuple[str, int | None]]:
        """(target id, target port) of every target the listener forwards to."""
        found = []
        for action in listener.default_actions:
            if action.type != "forward":
                continue
            for ref in action.target_groups:
                group = next((g for g in self.model.target_groups if g.id == ref), None)
                if not isinstance(group, TargetGroup):
                    continue
                for attachment in self.model.target_group_attachments:
                    if attachment.target_group == group.id:
                        port = attachment.port if isinstance(attachment.port, int) else group.port
                        found.append((str(attachment.target),
                                      port if isinstance(port, int) else None))
        return found

    def reaches_via_lb(self, interface: str, source: str, protocol: int, port: int) -> bool:
        """Client ``source`` -> a listener -> target instance ``interface`` on ``port``."""
        address = ipaddress.ip_address(source)
        instance = next((i for i in self.model.instances if i.id == interface), None)
        if instance is None:
            return False
        target_subnet, target_groups = self.placed(interface)
        if target_subnet is None:
            return False
        for lb in self.model.load_balancers:
            subnets = [s for s in (self._subnet(r) for r in lb.subnets) if s is not None]
            for listener in self.listeners(lb):
                protocols = LISTENER_PROTOCOLS.get(str(listener.protocol), ())
                if protocol not in protocols or not isinstance(listener.port, int):
                    continue
                if (interface, port) not in self.targets(listener):
                    continue
                if not any(self.lb_node_reached(lb, s, address, protocol, listener.port)
                           for s in subnets):
                    continue
                if self._lb_to_target(lb, subnets, instance, target_subnet, target_groups,
                                      address, protocol, port):
                    return True
        return False

    def _lb_to_target(self, lb: LoadBalancer, subnets: list[Subnet], instance: Instance,
                      subnet: Subnet, groups: list[SecurityGroup], client: Address,
                      protocol: int, port: int) -> bool:
        if lb.load_balancer_type == "network" and not lb.security_groups:
            senders = [client]  # client addresses are preserved
        else:
            senders = [a for s in subnets for a in self.addresses_in(s)]
        return any(
            self.nacl_passes(subnet, sender, protocol, port)
            and self.admits(groups, sender, protocol, port, True)
            for sender in senders
        )

    # -- on-premises -> VGW ----------------------------------------------------------

    def propagated(self, vgw: object) -> list[str]:
        connections = [c for c in self.model.vpn_connections if c.vpn_gateway == vgw]
        if self.any_on_premises(connections):
            return list(BGP_HALVES)
        return [r for c in connections for r in c.static_routes if isinstance(r, str)]

    @staticmethod
    def any_on_premises(connections: list[VpnConnection]) -> bool:
        """Dynamic routing, or no connection declared: any address may be on-premises."""
        return not connections or any(
            c.static_routes_only is not True or not c.static_routes for c in connections
        )

    def reaches_via_vgw(self, interface: str, source: str, protocol: int, port: int) -> bool:
        address = ipaddress.ip_address(source)
        subnet, groups = self.placed(interface)
        if subnet is None or address.version != 4:
            return False
        if self.own_block(self.vpc_of(subnet.vpc), address):
            return False
        for vgw in self.model.vpn_gateways:
            if vgw.vpc != subnet.vpc:
                continue
            connections = [c for c in self.model.vpn_connections if c.vpn_gateway == vgw.id]
            if not self.any_on_premises(connections) and not any(
                contains(r, address) for c in connections for r in c.static_routes
                if isinstance(r, str)
            ):
                continue
            if self.next_hop(subnet, address) != (RouteTargetKind.VPN_GATEWAY.value, vgw.id):
                continue
            if self.nacl_passes(subnet, address, protocol, port) and self.admits(
                    groups, address, protocol, port, True):
                return True
        return False

    # -- peer VPC -> peering connection -----------------------------------------------

    def reaches_via_peering(self, interface: str, source: str, protocol: int,
                            port: int) -> bool:
        address = ipaddress.ip_address(source)
        subnet, groups = self.placed(interface)
        if subnet is None or address.version != 4:
            return False
        for pcx in self.model.vpc_peering_connections:
            for local, peer in ((pcx.vpc, pcx.peer_vpc), (pcx.peer_vpc, pcx.vpc)):
                if local != subnet.vpc:
                    continue
                senders = [s for s in self.model.subnets if s.vpc == peer
                           and isinstance(s.cidr_block, str) and contains(s.cidr_block, address)]
                peering = (RouteTargetKind.VPC_PEERING.value, pcx.id)
                # the sender's table must send some address of the target's subnet to
                # the peering connection (the target's own address is left open)
                outward = any(self.next_hop(sender, target) == peering
                              for sender in senders for target in self.addresses_in(subnet))
                if not outward or self.next_hop(subnet, address) != peering:
                    continue
                if self.nacl_passes(subnet, address, protocol, port) and self.admits(
                        groups, address, protocol, port, True):
                    return True
        return False

