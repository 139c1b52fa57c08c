"""The virtual network: VPCs, subnets, routing, gateways, NACLs and security groups.

Field values that cannot be known before deploy are ``Unknown``; references to other
objects are ids (``Ref``). Front-ends fill these classes; analyses only read them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from policycheck.model.base import ModelObject, Ref, SourceRef, Unknown
from policycheck.model.iam import PolicyDocument


class Vpc(ModelObject):
    cidr_blocks: list[str | Unknown] = []
    """IPv4 blocks: the primary one first, then secondary associations."""
    ipv6_cidr_blocks: list[str | Unknown] = []
    """IPv6 blocks; an Amazon-provided block is Unknown (assigned at deploy)."""
    is_default: bool = False
    """True for the account's default VPC (``aws_default_vpc`` or the implicit one)."""


class Subnet(ModelObject):
    vpc: Ref
    cidr_block: str | Unknown | None = None
    ipv6_cidr_block: str | Unknown | None = None
    map_public_ip_on_launch: bool | Unknown = False
    assign_ipv6_address_on_creation: bool | Unknown = False
    availability_zone: str | Unknown | None = None


class RouteTargetKind(StrEnum):
    LOCAL = "local"
    INTERNET_GATEWAY = "internet_gateway"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress_only_internet_gateway"
    NAT_GATEWAY = "nat_gateway"
    VPN_GATEWAY = "vpn_gateway"
    VPC_PEERING = "vpc_peering"
    TRANSIT_GATEWAY = "transit_gateway"
    INSTANCE = "instance"
    NETWORK_INTERFACE = "network_interface"
    VPC_ENDPOINT = "vpc_endpoint"
    CARRIER_GATEWAY = "carrier_gateway"
    LOCAL_GATEWAY = "local_gateway"
    UNKNOWN = "unknown"


class Route(BaseModel):
    """One route: a destination (CIDR or prefix list) sent to one target."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    destination: str | Unknown | None = None
    """Canonical IPv4 or IPv6 CIDR; None when the route uses a prefix list."""
    destination_prefix_list: Ref | None = None
    target_kind: RouteTargetKind
    target: Ref | None = None
    """Id of the target object; None for ``local``."""
    source: SourceRef


class RouteTable(ModelObject):
    vpc: Ref
    routes: list[Route] = []
    """Declared routes; the implicit ``local`` route for the VPC's blocks is not listed."""
    is_main: bool = False
    """True for the VPC's default (main) route table (``aws_default_route_table``)."""
    propagating_vgws: list[Ref] = []


class RouteTableAssociation(ModelObject):
    route_table: Ref
    subnet: Ref | None = None
    gateway: Ref | None = None


class MainRouteTableAssociation(ModelObject):
    vpc: Ref
    route_table: Ref


class InternetGateway(ModelObject):
    vpc: Ref | None = None
    """The attached VPC (inline ``vpc_id`` or an attachment resource); None if detached."""


class EgressOnlyInternetGateway(ModelObject):
    vpc: Ref


class NatGateway(ModelObject):
    subnet: Ref
    connectivity_type: Literal["public", "private"] = "public"
    allocation: Ref | None = None


class ElasticIp(ModelObject):
    instance: Ref | None = None
    network_interface: Ref | None = None
    """Set from the EIP itself or from an association resource."""


class NaclEntry(BaseModel):
    """A numbered NACL rule; rules are evaluated in number order, first match wins."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_number: int | Unknown
    egress: bool
    protocol: str | Unknown
    """Canonical protocol (see ``canonical_protocol``)."""
    action: Literal["allow", "deny"] | Unknown
    cidr: str | Unknown
    """Canonical IPv4 or IPv6 CIDR."""
    from_port: int | Unknown | None = None
    to_port: int | Unknown | None = None
    icmp_type: int | Unknown | None = None
    icmp_code: int | Unknown | None = None
    source: SourceRef

    @model_validator(mode="before")
    @classmethod
    def _ports_only_for_tcp_udp(cls, data: object) -> object:
        # AWS ignores a NACL entry's port range unless the protocol is tcp or udp; both
        # front-ends then agree on one canonical form whatever the template wrote there.
        return _drop_ports(data, keep=("tcp", "udp"))


class NetworkAcl(ModelObject):
    vpc: Ref
    subnets: list[Ref] = []
    """Associated subnets (inline ``subnet_ids`` and association resources)."""
    entries: list[NaclEntry] = []
    is_default: bool = False
    """True for ``aws_default_network_acl``: the VPC's default NACL as managed in code."""


class SgRule(BaseModel):
    """One security-group rule with exactly one peer (CIDR, prefix list or group)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    direction: Literal["ingress", "egress"]
    protocol: str | Unknown
    from_port: int | Unknown | None = None
    to_port: int | Unknown | None = None
    cidr: str | Unknown | None = None
    prefix_list: Ref | None = None
    security_group: Ref | None = None
    description: str | None = None
    source: SourceRef

    @model_validator(mode="before")
    @classmethod
    def _ports_only_where_meaningful(cls, data: object) -> object:
        # For icmp/icmpv6 the "ports" are the ICMP type and code; for all (-1) and other
        # protocol numbers AWS ignores them.
        return _drop_ports(data, keep=("tcp", "udp", "icmp", "icmpv6"))


def _drop_ports(data: object, keep: tuple[str, ...]) -> object:
    """Clear from_port/to_port when the (known) protocol has no ports."""
    if not isinstance(data, dict):
        return data
    protocol = data.get("protocol")
    if isinstance(protocol, str) and protocol not in keep:
        return {**data, "from_port": None, "to_port": None}
    return data


class SecurityGroup(ModelObject):
    vpc: Ref | None = None
    """None means the account's default VPC."""
    name: str | Unknown | None = None
    rules: list[SgRule] = []
    """Inline rules and separate rule resources, each with its own source."""
    is_default: bool = False
    """True for ``aws_default_security_group``."""


class VpnGateway(ModelObject):
    vpc: Ref | None = None
    """The attached VPC (inline or ``aws_vpn_gateway_attachment`` /
    ``AWS::EC2::VPCGatewayAttachment``)."""


class CustomerGateway(ModelObject):
    ip_address: str | Unknown | None = None
    bgp_asn: int | Unknown | None = None


class VpnConnection(ModelObject):
    vpn_gateway: Ref | None = None
    transit_gateway: Ref | None = None
    customer_gateway: Ref | None = None
    static_routes_only: bool | Unknown = False
    static_routes: list[str | Unknown] = []
    """On-premises CIDRs (``aws_vpn_connection_route`` and inline); empty with dynamic
    routing means any on-premises address."""


class VpcPeeringConnection(ModelObject):
    vpc: Ref
    """The requester VPC."""
    peer_vpc: Ref
    """The accepter VPC (Unknown when it lives outside the configuration)."""
    peer_cidr_blocks: list[str | Unknown] = []
    """Known CIDRs of a peer outside the configuration, if declared."""


class TransitGateway(ModelObject):
    default_route_table_association: bool | Unknown = True
    default_route_table_propagation: bool | Unknown = True


class TransitGatewayAttachment(ModelObject):
    transit_gateway: Ref
    vpc: Ref | None = None
    subnets: list[Ref] = []


class VpcEndpoint(ModelObject):
    vpc: Ref
    service_name: str | Unknown | None = None
    endpoint_type: str | Unknown = "Gateway"
    subnets: list[Ref] = []
    security_groups: list[Ref] = []
    route_tables: list[Ref] = []
    policy: PolicyDocument | None = None
