"""Gateway -> subnet -> network interface: the IGW path, and the same checks for the
VGW, peering and transit gateway paths (``Gateway`` says where packets come from and
which routes lead back to it).

The cost stays linear: the subnet-level part (return route to the IGW, NACL inbound and
outbound) is computed once per subnet, the security-group part once per distinct set of
groups, and their combination once per (subnet, group set); each interface then only
adds its own address hop.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from netaddr import IPSet

from policycheck.model import Route, SecurityGroup, Subnet, Vpc
from policycheck.reachability.boxes import Piece, combine
from policycheck.reachability.interfaces import InterfaceSpec
from policycheck.reachability.nacl import NaclPaths, nacl_paths
from policycheck.reachability.result import Hop, PathKind
from policycheck.reachability.routing import (
    RouteTest,
    Routing,
    route_return_traffic,
    route_to_gateway,
)
from policycheck.reachability.security_groups import GroupAdmission, GroupMembers, admitted
from policycheck.reachability.sets import internet_addresses, ip_set
from policycheck.reachability.topology import GatewayChoice, Topology, declared_source


@dataclass(frozen=True, eq=False)
class Gateway:
    """A way into a VPC other than its internet gateway: a VPN gateway, a peering
    connection or a transit gateway attachment."""

    kind: PathKind
    id: str
    hop: Hop
    """The first hop of every path through it."""
    sources: IPSet
    """Addresses packets may come from (on-premises prefixes, the peer's blocks...)."""
    route_test: RouteTest
    """Whether a route of the subnet's table sends replies back through this gateway."""
    propagated: tuple[Route, ...] = ()
    """Routes the gateway propagates into tables that enable propagation from it."""
    propagating_tables: frozenset[str] = frozenset()
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class SubnetPaths:
    """Everything about the way in to one subnet that does not depend on the interface."""

    subnet: Subnet
    vpc: Vpc
    gateway: GatewayChoice
    routing: Routing
    nacl: NaclPaths
    pieces: tuple[Piece, ...]
    """Packets whose replies are routed to the IGW and that both NACL directions pass."""
    sources: IPSet
    """Sources as this VPC sees them, outside its own blocks (a packet claiming to come
    from inside the VPC is answered locally, never via the gateway, and listing the hole
    in every result would only obscure it). For the IGW path: public addresses."""
    path_kind: PathKind = PathKind.IGW
    via: Gateway | None = None
    """The gateway of a VGW, peering or TGW path (None: the VPC's internet gateway)."""

    @property
    def context(self) -> tuple[str, str, str, str]:
        """What the pieces depend on: VPC, route table, NACL and gateway — subnets that
        share them share every computation."""
        via = self.via.id if self.via is not None else ""
        return (self.vpc.id, self.routing.table.id, self.nacl.acl.id, via)

    def gateway_hop(self) -> Hop | None:
        if self.via is not None:
            return self.via.hop
        igw = self.gateway.gateway
        if igw is None:
            return None
        return Hop(
            type="InternetGateway",
            resource=igw.id,
            detail=f"attached to {self.vpc.id}",
            source=declared_source(igw.source),
        )


@dataclass(frozen=True, eq=False)
class InterfacePaths:
    """The IGW path analysis of one placed interface."""

    spec: InterfaceSpec
    subnet: SubnetPaths
    admission: GroupAdmission
    pieces: tuple[Piece, ...]
    """Subnet pieces combined with security-group pieces (no IGW or address hop yet)."""


@dataclass
class IgwPathAnalysis:
    """Caches the shared parts while interfaces are analysed one by one."""

    topology: Topology
    members: GroupMembers | None = None
    """Addresses of each group's members, so rules naming a group admit them."""
    _subnets: dict[str, SubnetPaths] = field(default_factory=dict)
    _acls: dict[str, NaclPaths] = field(default_factory=dict)
    _via: dict[tuple[str, str], SubnetPaths] = field(default_factory=dict)
    _groups: dict[tuple[str, ...], GroupAdmission] = field(default_factory=dict)
    _combined: dict[tuple[object, ...], tuple[Piece, ...]] = field(default_factory=dict)

    def subnet_paths(self, subnet: Subnet) -> SubnetPaths:
        """Route and NACL pieces of ``subnet``, computed once."""
        vpc_id = subnet.vpc if isinstance(subnet.vpc, str) else ""
        table = self.topology.route_table(subnet)
        nacl = self.nacl(subnet)
        key = f"{vpc_id}\n{table.id}\n{nacl.acl.id}"
        known = self._subnets.get(key)
        if known is not None:
            return known if known.subnet is subnet else replace(known, subnet=subnet)
        vpc = self.topology.vpc(vpc_id)
        gateway = self.topology.internet_gateway(vpc_id)
        routing = route_return_traffic(table, vpc, gateway.gateway)
        pieces = combine(combine(routing.igw_pieces(), nacl.inbound.allowed), nacl.outbound.allowed)
        internet = internet_addresses() - _own_blocks(vpc)
        paths = SubnetPaths(subnet, vpc, gateway, routing, nacl, tuple(pieces), internet)
        self._subnets[key] = paths
        return paths

    def nacl(self, subnet: Subnet) -> NaclPaths:
        """Both directions of the subnet's NACL, evaluated once per NACL."""
        acl = self.topology.network_acl(subnet)
        known = self._acls.get(acl.id)
        if known is None:
            known = self._acls[acl.id] = nacl_paths(acl)
        return known

    def via_paths(self, subnet: Subnet, gateway: Gateway) -> SubnetPaths:
        """Route and NACL pieces of ``subnet`` for packets arriving through ``gateway``."""
        table = self.topology.route_table(subnet)
        key = (f"{subnet.vpc}\n{table.id}\n{self.topology.network_acl(subnet).id}", gateway.id)
        known = self._via.get(key)
        if known is not None:
            return known if known.subnet is subnet else replace(known, subnet=subnet)
        vpc = self.topology.vpc(subnet.vpc if isinstance(subnet.vpc, str) else "")
        propagated = gateway.propagated if table.id in gateway.propagating_tables else ()
        routing = route_to_gateway(table, vpc, gateway.route_test, propagated)
        nacl = self.nacl(subnet)
        pieces = combine(combine(routing.igw_pieces(), nacl.inbound.allowed), nacl.outbound.allowed)
        sources = gateway.sources - _own_blocks(vpc)
        known = SubnetPaths(subnet, vpc, GatewayChoice(None, gateway.assumptions), routing, nacl,
                            tuple(pieces), sources, gateway.kind, gateway)
        self._via[key] = known
        return known

    def groups_of(self, spec: InterfaceSpec, vpc_id: str) -> tuple[SecurityGroup, ...]:
        """The interface's groups; none declared means the VPC's default group."""
        if not spec.security_groups:
            return (self.topology.default_security_group(vpc_id),)
        return tuple(self.topology.security_group(ref) for ref in spec.security_groups)

    def admission(self, groups: tuple[SecurityGroup, ...]) -> GroupAdmission:
        """What the groups admit, computed once per distinct set of groups."""
        key = tuple(sorted({group.id for group in groups}))
        known = self._groups.get(key)
        if known is None:
            unique = {group.id: group for group in groups}
            known = admitted(list(unique.values()), self.members)
            self._groups[key] = known
        return known

    def interface_paths(
        self, spec: InterfaceSpec, gateway: Gateway | None = None
    ) -> InterfacePaths | None:
        """The IGW path (or the path through ``gateway``) of a placed interface; None
        when it cannot be placed."""
        subnet = spec.placement.subnet
        if subnet is None:
            return None
        paths = self.subnet_paths(subnet) if gateway is None else self.via_paths(subnet, gateway)
        groups = self.groups_of(spec, paths.vpc.id)
        admission = self.admission(groups)
        key = (*paths.context, tuple(g.id for g in admission.groups))
        combined = self._combined.get(key)
        if combined is None:
            combined = tuple(combine(paths.pieces, admission.pieces))
            self._combined[key] = combined
        return InterfacePaths(spec, paths, admission, combined)


def _own_blocks(vpc: Vpc) -> IPSet:
    return ip_set(
        cidr for cidr in [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks] if isinstance(cidr, str)
    )
