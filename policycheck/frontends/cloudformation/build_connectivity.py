"""VPN, peering, transit gateways, VPC endpoints and flow logs."""

from __future__ import annotations

from policycheck.frontends.cloudformation.build_network import optional_cidr, required_ref
from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.policies import policy_document
from policycheck.frontends.cloudformation.values import (
    as_bool,
    as_int,
    as_list,
    as_ref,
    as_refs,
    as_text,
    tags_of,
)
from policycheck.model import (
    CustomerGateway,
    FlowLog,
    TransitGateway,
    TransitGatewayAttachment,
    Unknown,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)


def build_vpn_gateway(ctx: BuildContext) -> None:
    """``AWS::EC2::VPNGateway`` (attached by a ``VPCGatewayAttachment``)."""
    ctx.draft.add(VpnGateway(id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags"))))


def attach_vpn_gateway(ctx: BuildContext) -> None:
    """The ``VpnGatewayId`` side of ``AWS::EC2::VPCGatewayAttachment``."""
    ref = as_ref(ctx.get("VpnGatewayId"), "VPN gateway")
    gateway = ctx.draft.get_other(ref, VpnGateway)
    if gateway is None:
        ctx.notice(f"VPN gateway {ref} is not in this template; not modelled")
        return
    ctx.draft.add(gateway.model_copy(update={"vpc": required_ref(ctx, "VpcId", "VPC")}))


def build_customer_gateway(ctx: BuildContext) -> None:
    """``AWS::EC2::CustomerGateway``."""
    address = as_text(ctx.get("IpAddress"))
    ctx.draft.add(CustomerGateway(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        ip_address=address, bgp_asn=as_int(ctx.get("BgpAsn"))))


def build_vpn_connection(ctx: BuildContext) -> None:
    """``AWS::EC2::VPNConnection``."""
    static = as_bool(ctx.get("StaticRoutesOnly"))
    ctx.draft.add(VpnConnection(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        vpn_gateway=_optional(ctx, "VpnGatewayId", "VPN gateway"),
        transit_gateway=_optional(ctx, "TransitGatewayId", "transit gateway"),
        customer_gateway=_optional(ctx, "CustomerGatewayId", "customer gateway"),
        static_routes_only=False if static is None else static))


def build_vpn_connection_route(ctx: BuildContext) -> None:
    """``AWS::EC2::VPNConnectionRoute``: an on-premises CIDR of a static VPN."""
    ref = as_ref(ctx.get("VpnConnectionId"), "VPN connection")
    connection = ctx.draft.get_other(ref, VpnConnection)
    if connection is None:
        ctx.notice(f"VPN connection {ref} is not in this template; not modelled")
        return
    cidr = optional_cidr(ctx.get("DestinationCidrBlock")) or Unknown(reason="no destination")
    ctx.draft.add(connection.model_copy(
        update={"static_routes": [*connection.static_routes, cidr]}))


def build_vpc_peering(ctx: BuildContext) -> None:
    """``AWS::EC2::VPCPeeringConnection``."""
    ctx.draft.add(VpcPeeringConnection(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        vpc=required_ref(ctx, "VpcId", "VPC"), peer_vpc=required_ref(ctx, "PeerVpcId", "VPC")))


def build_transit_gateway(ctx: BuildContext) -> None:
    """``AWS::EC2::TransitGateway``."""
    association = as_text(ctx.get("DefaultRouteTableAssociation"))
    propagation = as_text(ctx.get("DefaultRouteTablePropagation"))
    ctx.draft.add(TransitGateway(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        default_route_table_association=_enabled(association),
        default_route_table_propagation=_enabled(propagation)))


def build_transit_gateway_attachment(ctx: BuildContext) -> None:
    """``AWS::EC2::TransitGatewayAttachment`` / ``TransitGatewayVpcAttachment``."""
    ctx.draft.add(TransitGatewayAttachment(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        transit_gateway=required_ref(ctx, "TransitGatewayId", "transit gateway"),
        vpc=_optional(ctx, "VpcId", "VPC"),
        subnets=as_refs(ctx.get("SubnetIds"), "subnet")))


def build_vpc_endpoint(ctx: BuildContext) -> None:
    """``AWS::EC2::VPCEndpoint``."""
    kind = as_text(ctx.get("VpcEndpointType"))
    ctx.draft.add(VpcEndpoint(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        vpc=required_ref(ctx, "VpcId", "VPC"), service_name=as_text(ctx.get("ServiceName")),
        endpoint_type="Gateway" if kind is None else kind,
        subnets=as_refs(ctx.get("SubnetIds"), "subnet"),
        security_groups=as_refs(ctx.get("SecurityGroupIds"), "security group"),
        route_tables=as_refs(ctx.get("RouteTableIds"), "route table"),
        policy=policy_document(ctx, ctx.get("PolicyDocument"))))


def build_flow_log(ctx: BuildContext) -> None:
    """``AWS::EC2::FlowLog``."""
    resource = ctx.get("ResourceId")
    ids = as_list(resource)
    ctx.draft.add(FlowLog(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        resource=as_ref(ids[0] if isinstance(ids, list) and ids else resource, "resource"),
        traffic_type=as_text(ctx.get("TrafficType")),
        destination_type=as_text(ctx.get("LogDestinationType")) or "cloud-watch-logs"))


def _optional(ctx: BuildContext, name: str, what: str) -> str | Unknown | None:
    value = ctx.get(name)
    return None if value is None else as_ref(value, what)


def _enabled(text: str | Unknown | None) -> bool | Unknown:
    if isinstance(text, Unknown):
        return text
    return text is None or text.lower() == "enable"
