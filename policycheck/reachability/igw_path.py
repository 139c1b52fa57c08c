"""Internet -> internet gateway -> subnet -> network interface (path kind IGW).

The cost stays linear: the subnet-level part (return route to the IGW, NACL inbound and
outbound) is computed once per subnet, the security-group part once per distinct set of
groups, and their combination once per (subnet, group set); each interface then only
adds its own address hop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netaddr import IPSet

from policycheck.model import SecurityGroup, Subnet, Vpc
from policycheck.reachability.boxes import Piece, combine
from policycheck.reachability.interfaces import InterfaceSpec
from policycheck.reachability.nacl import NaclPaths, nacl_paths
from policycheck.reachability.result import Hop
from policycheck.reachability.routing import Routing, route_return_traffic
from policycheck.reachability.security_groups import GroupAdmission, admitted
from policycheck.reachability.sets import internet_addresses, ip_set
from policycheck.reachability.topology import GatewayChoice, Topology, declared_source


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
    internet: IPSet
    """Internet sources as this VPC sees them: public addresses outside its own blocks
    (a packet claiming to come from inside the VPC is answered locally, never via the IGW,
    and listing the hole in every result would only obscure it)."""

    def gateway_hop(self) -> Hop | None:
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
    _subnets: dict[str, SubnetPaths] = field(default_factory=dict)
    _groups: dict[tuple[str, ...], GroupAdmission] = field(default_factory=dict)
    _combined: dict[tuple[str, tuple[str, ...]], tuple[Piece, ...]] = field(default_factory=dict)

    def subnet_paths(self, subnet: Subnet) -> SubnetPaths:
        """Route and NACL pieces of ``subnet``, computed once."""
        known = self._subnets.get(subnet.id)
        if known is not None:
            return known
        vpc_id = subnet.vpc if isinstance(subnet.vpc, str) else ""
        vpc = self.topology.vpc(vpc_id)
        gateway = self.topology.internet_gateway(vpc_id)
        routing = route_return_traffic(self.topology.route_table(subnet), vpc, gateway.gateway)
        nacl = nacl_paths(self.topology.network_acl(subnet))
        pieces = combine(combine(routing.igw_pieces(), nacl.inbound.allowed), nacl.outbound.allowed)
        own_blocks = ip_set(
            cidr for cidr in [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks] if isinstance(cidr, str)
        )
        internet = internet_addresses() - own_blocks
        paths = SubnetPaths(subnet, vpc, gateway, routing, nacl, tuple(pieces), internet)
        self._subnets[subnet.id] = paths
        return paths

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
            known = admitted(list(unique.values()))
            self._groups[key] = known
        return known

    def interface_paths(self, spec: InterfaceSpec) -> InterfacePaths | None:
        """The IGW path of a placed interface; None when it cannot be placed."""
        subnet = spec.placement.subnet
        if subnet is None:
            return None
        paths = self.subnet_paths(subnet)
        groups = self.groups_of(spec, paths.vpc.id)
        admission = self.admission(groups)
        key = (subnet.id, tuple(group.id for group in admission.groups))
        combined = self._combined.get(key)
        if combined is None:
            combined = tuple(combine(paths.pieces, admission.pieces))
            self._combined[key] = combined
        return InterfacePaths(spec, paths, admission, combined)
