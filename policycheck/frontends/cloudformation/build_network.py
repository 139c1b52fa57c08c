"""VPCs, subnets, route tables, routes and gateways.

CloudFormation cannot declare or replace a VPC's main route table: it stays implicit
(local routes only) and is not listed in the model.
"""

from __future__ import annotations

from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.values import (
    LogicalId,
    Value,
    as_bool,
    as_ref,
    as_refs,
    as_text,
    tags_of,
)
from policycheck.model import (
    EgressOnlyInternetGateway,
    ElasticIp,
    InternetGateway,
    NatGateway,
    Route,
    RouteTable,
    RouteTableAssociation,
    RouteTargetKind,
    Subnet,
    Unknown,
    Vpc,
    canonical_cidr,
)


def optional_cidr(value: Value) -> str | Unknown | None:
    """A canonical CIDR, or None when the property is absent."""
    return None if value is None else canonical_cidr(value)


def required_ref(ctx: BuildContext, name: str, what: str) -> str | Unknown:
    """A reference property that AWS requires; missing becomes Unknown with a notice."""
    value = ctx.get(name)
    if value is None:
        ctx.notice(f"{name} is missing")
        return Unknown(reason=f"{ctx.id} has no {name}")
    return as_ref(value, what)


def optional_ref(ctx: BuildContext, name: str, what: str) -> str | Unknown | None:
    value = ctx.get(name)
    return None if value is None else as_ref(value, what)


def build_vpc(ctx: BuildContext) -> None:
    """``AWS::EC2::VPC``: its primary IPv4 block (secondary ones come from VPCCidrBlock)."""
    blocks: list[str | Unknown] = []
    if ctx.get("CidrBlock") is not None:
        blocks.append(canonical_cidr(ctx.get("CidrBlock")))
    elif ctx.get("Ipv4IpamPoolId") is not None:
        blocks.append(Unknown(reason="IPv4 block allocated from an IPAM pool at deploy"))
    ctx.draft.vpcs[ctx.id] = Vpc(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")), cidr_blocks=blocks
    )


def build_vpc_cidr_block(ctx: BuildContext) -> None:
    """``AWS::EC2::VPCCidrBlock``: a secondary IPv4 or an IPv6 block of a VPC."""
    vpc_id = as_ref(ctx.get("VpcId"), "VPC")
    vpc = ctx.draft.vpcs.get(vpc_id) if isinstance(vpc_id, str) else None
    if vpc is None:
        ctx.notice(f"VPC {vpc_id} is not in this template; the block is not modelled")
        return
    ipv4 = list(vpc.cidr_blocks)
    ipv6 = list(vpc.ipv6_cidr_blocks)
    if ctx.get("CidrBlock") is not None:
        ipv4.append(canonical_cidr(ctx.get("CidrBlock")))
    elif ctx.get("Ipv4IpamPoolId") is not None:
        ipv4.append(Unknown(reason="IPv4 block allocated from an IPAM pool at deploy"))
    amazon = as_bool(ctx.get("AmazonProvidedIpv6CidrBlock"))
    if ctx.get("Ipv6CidrBlock") is not None:
        ipv6.append(canonical_cidr(ctx.get("Ipv6CidrBlock")))
    elif amazon is True or isinstance(amazon, Unknown):
        ipv6.append(Unknown(reason="Amazon-provided IPv6 block"))
    elif ctx.get("Ipv6Pool") is not None or ctx.get("Ipv6IpamPoolId") is not None:
        ipv6.append(Unknown(reason="IPv6 block allocated from a pool at deploy"))
    ctx.draft.vpcs[vpc.id] = vpc.model_copy(update={"cidr_blocks": ipv4, "ipv6_cidr_blocks": ipv6})


def build_subnet(ctx: BuildContext) -> None:
    """``AWS::EC2::Subnet``; ``MapPublicIpOnLaunch`` defaults to false."""
    zone = as_text(ctx.get("AvailabilityZone"))
    ctx.draft.subnets[ctx.id] = Subnet(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        vpc=required_ref(ctx, "VpcId", "VPC"),
        cidr_block=optional_cidr(ctx.get("CidrBlock")),
        ipv6_cidr_block=optional_cidr(ctx.get("Ipv6CidrBlock")),
        map_public_ip_on_launch=as_bool(ctx.get("MapPublicIpOnLaunch")) or False,
        assign_ipv6_address_on_creation=as_bool(ctx.get("AssignIpv6AddressOnCreation")) or False,
        availability_zone=zone,
    )


def build_route_table(ctx: BuildContext) -> None:
    """``AWS::EC2::RouteTable``: routes are merged in from Route resources."""
    ctx.draft.route_tables[ctx.id] = RouteTable(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        vpc=required_ref(ctx, "VpcId", "VPC"),
    )


_TARGETS: tuple[tuple[str, RouteTargetKind], ...] = (
    ("EgressOnlyInternetGatewayId", RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY),
    ("NatGatewayId", RouteTargetKind.NAT_GATEWAY),
    ("TransitGatewayId", RouteTargetKind.TRANSIT_GATEWAY),
    ("VpcPeeringConnectionId", RouteTargetKind.VPC_PEERING),
    ("NetworkInterfaceId", RouteTargetKind.NETWORK_INTERFACE),
    ("InstanceId", RouteTargetKind.INSTANCE),
    ("VpcEndpointId", RouteTargetKind.VPC_ENDPOINT),
    ("CarrierGatewayId", RouteTargetKind.CARRIER_GATEWAY),
    ("LocalGatewayId", RouteTargetKind.LOCAL_GATEWAY),
)

_GATEWAY_TYPES = {
    "AWS::EC2::InternetGateway": RouteTargetKind.INTERNET_GATEWAY,
    "AWS::EC2::VPNGateway": RouteTargetKind.VPN_GATEWAY,
    "AWS::EC2::EgressOnlyInternetGateway": RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY,
}

_GATEWAY_PREFIXES = (
    ("igw-", RouteTargetKind.INTERNET_GATEWAY),
    ("vgw-", RouteTargetKind.VPN_GATEWAY),
    ("eigw-", RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY),
    ("nat-", RouteTargetKind.NAT_GATEWAY),
    ("tgw-", RouteTargetKind.TRANSIT_GATEWAY),
    ("pcx-", RouteTargetKind.VPC_PEERING),
    ("vpce-", RouteTargetKind.VPC_ENDPOINT),
    ("cagw-", RouteTargetKind.CARRIER_GATEWAY),
    ("lgw-", RouteTargetKind.LOCAL_GATEWAY),
)


def _gateway_kind(ctx: BuildContext, gateway: Value) -> RouteTargetKind:
    if isinstance(gateway, LogicalId):
        kind = ctx.resolver.resource_type(str(gateway))
        return _GATEWAY_TYPES.get(kind or "", RouteTargetKind.UNKNOWN)
    if isinstance(gateway, str):
        if gateway == "local":
            return RouteTargetKind.LOCAL
        for prefix, kind_by_prefix in _GATEWAY_PREFIXES:
            if gateway.startswith(prefix):
                return kind_by_prefix
    return RouteTargetKind.UNKNOWN


def _route_target(ctx: BuildContext) -> tuple[RouteTargetKind, str | Unknown | None]:
    gateway = ctx.get("GatewayId")
    if gateway is not None:
        kind = _gateway_kind(ctx, gateway)
        if kind is RouteTargetKind.LOCAL:
            return kind, None
        return kind, as_ref(gateway, "gateway")
    for name, kind in _TARGETS:
        if ctx.get(name) is not None:
            return kind, as_ref(ctx.get(name), "route target")
    return RouteTargetKind.UNKNOWN, Unknown(reason=f"route {ctx.id} has no target")


def build_route(ctx: BuildContext) -> None:
    """``AWS::EC2::Route``, merged into its table with its own SourceRef."""
    table_id = as_ref(ctx.get("RouteTableId"), "route table")
    table = ctx.draft.route_tables.get(table_id) if isinstance(table_id, str) else None
    if table is None:
        ctx.notice(f"route table {table_id} is not in this template; the route is not modelled")
        return
    destination: str | Unknown | None = None
    prefix_list: str | Unknown | None = None
    if ctx.get("DestinationCidrBlock") is not None:
        destination = canonical_cidr(ctx.get("DestinationCidrBlock"))
    elif ctx.get("DestinationIpv6CidrBlock") is not None:
        destination = canonical_cidr(ctx.get("DestinationIpv6CidrBlock"))
    elif ctx.get("DestinationPrefixListId") is not None:
        prefix_list = as_ref(ctx.get("DestinationPrefixListId"), "prefix list")
    else:
        destination = Unknown(reason=f"route {ctx.id} has no destination")
    kind, target = _route_target(ctx)
    route = Route(
        destination=destination,
        destination_prefix_list=prefix_list,
        target_kind=kind,
        target=target,
        source=ctx.source,
    )
    ctx.draft.route_tables[table.id] = table.model_copy(update={"routes": [*table.routes, route]})


def build_vpn_gateway_route_propagation(ctx: BuildContext) -> None:
    """``AWS::EC2::VPNGatewayRoutePropagation``: the gateway's routes propagate into each
    listed table (merged into the tables' ``propagating_vgws``)."""
    gateway = as_ref(ctx.get("VpnGatewayId"), "VPN gateway")
    for table_id in as_refs(ctx.get("RouteTableIds"), "route table"):
        table = ctx.draft.route_tables.get(table_id) if isinstance(table_id, str) else None
        if table is None:
            ctx.notice(f"route table {table_id} is not in this template; "
                       "the propagation is not modelled")
            continue
        ctx.draft.route_tables[table.id] = table.model_copy(
            update={"propagating_vgws": [*table.propagating_vgws, gateway]})


def build_subnet_route_table_association(ctx: BuildContext) -> None:
    """``AWS::EC2::SubnetRouteTableAssociation``."""
    ctx.draft.route_table_associations[ctx.id] = RouteTableAssociation(
        id=ctx.id,
        source=ctx.source,
        route_table=required_ref(ctx, "RouteTableId", "route table"),
        subnet=required_ref(ctx, "SubnetId", "subnet"),
    )


def build_gateway_route_table_association(ctx: BuildContext) -> None:
    """``AWS::EC2::GatewayRouteTableAssociation`` (edge association of a gateway)."""
    ctx.draft.route_table_associations[ctx.id] = RouteTableAssociation(
        id=ctx.id,
        source=ctx.source,
        route_table=required_ref(ctx, "RouteTableId", "route table"),
        gateway=required_ref(ctx, "GatewayId", "gateway"),
    )


def build_internet_gateway(ctx: BuildContext) -> None:
    """``AWS::EC2::InternetGateway``: detached until a VPCGatewayAttachment attaches it."""
    ctx.draft.internet_gateways[ctx.id] = InternetGateway(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags"))
    )


def build_gateway_attachment(ctx: BuildContext) -> None:
    """``AWS::EC2::VPCGatewayAttachment`` of an internet gateway (VPN: ``build_connectivity``)."""
    if ctx.get("InternetGatewayId") is None:
        return
    igw_id = as_ref(ctx.get("InternetGatewayId"), "internet gateway")
    igw = ctx.draft.internet_gateways.get(igw_id) if isinstance(igw_id, str) else None
    if igw is None:
        ctx.notice(f"internet gateway {igw_id} is not in this template; not modelled")
        return
    vpc = required_ref(ctx, "VpcId", "VPC")
    ctx.draft.internet_gateways[igw.id] = igw.model_copy(update={"vpc": vpc})


def build_egress_only_internet_gateway(ctx: BuildContext) -> None:
    """``AWS::EC2::EgressOnlyInternetGateway``."""
    ctx.draft.egress_only_internet_gateways[ctx.id] = EgressOnlyInternetGateway(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        vpc=required_ref(ctx, "VpcId", "VPC"),
    )


def build_nat_gateway(ctx: BuildContext) -> None:
    """``AWS::EC2::NatGateway``; ``ConnectivityType`` defaults to public."""
    connectivity = as_text(ctx.get("ConnectivityType"))
    if isinstance(connectivity, Unknown):
        ctx.notice(f"ConnectivityType is unknown ({connectivity.reason}); assessed as public")
    ctx.draft.nat_gateways[ctx.id] = NatGateway(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        subnet=required_ref(ctx, "SubnetId", "subnet"),
        connectivity_type="private" if connectivity == "private" else "public",
        allocation=optional_ref(ctx, "AllocationId", "Elastic IP allocation"),
    )


def build_eip(ctx: BuildContext) -> None:
    """``AWS::EC2::EIP``, possibly bound to an instance directly."""
    ctx.draft.elastic_ips[ctx.id] = ElasticIp(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        instance=optional_ref(ctx, "InstanceId", "instance"),
    )


def build_eip_association(ctx: BuildContext) -> None:
    """``AWS::EC2::EIPAssociation``: binds an EIP (by allocation or address) to a target."""
    address = ctx.get("AllocationId") if ctx.get("AllocationId") is not None else ctx.get("EIP")
    eip_id = as_ref(address, "Elastic IP")
    eip = ctx.draft.elastic_ips.get(eip_id) if isinstance(eip_id, str) else None
    if eip is None:
        ctx.notice(f"Elastic IP {eip_id} is not in this template; the association is not modelled")
        return
    update: dict[str, str | Unknown] = {}
    if ctx.get("InstanceId") is not None:
        update["instance"] = as_ref(ctx.get("InstanceId"), "instance")
    if ctx.get("NetworkInterfaceId") is not None:
        update["network_interface"] = as_ref(ctx.get("NetworkInterfaceId"), "network interface")
    ctx.draft.elastic_ips[eip.id] = eip.model_copy(update=update)
