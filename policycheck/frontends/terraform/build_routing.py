"""Route tables, routes (inline and ``aws_route``) and their associations."""

from __future__ import annotations

import re

from policycheck.frontends.terraform.build import Build, Builder, tags
from policycheck.frontends.terraform.expand import BlockView, Instance
from policycheck.frontends.terraform.values import Loc
from policycheck.model import (
    MainRouteTableAssociation,
    Ref,
    Route,
    RouteTable,
    RouteTableAssociation,
    RouteTargetKind,
    Unknown,
    canonical_cidr,
)

K = RouteTargetKind

# Route arguments whose target kind is fixed by the argument itself.
_TARGET_ARGUMENTS = {
    "egress_only_gateway_id": K.EGRESS_ONLY_INTERNET_GATEWAY,
    "nat_gateway_id": K.NAT_GATEWAY,
    "transit_gateway_id": K.TRANSIT_GATEWAY,
    "vpc_peering_connection_id": K.VPC_PEERING,
    "network_interface_id": K.NETWORK_INTERFACE,
    "vpc_endpoint_id": K.VPC_ENDPOINT,
    "instance_id": K.INSTANCE,
    "carrier_gateway_id": K.CARRIER_GATEWAY,
    "local_gateway_id": K.LOCAL_GATEWAY,
}

# `gateway_id` takes any gateway: its kind comes from what it references.
_KIND_BY_RESOURCE_TYPE = {
    "aws_internet_gateway": K.INTERNET_GATEWAY,
    "aws_vpn_gateway": K.VPN_GATEWAY,
    "aws_egress_only_internet_gateway": K.EGRESS_ONLY_INTERNET_GATEWAY,
    "aws_nat_gateway": K.NAT_GATEWAY,
    "aws_ec2_transit_gateway": K.TRANSIT_GATEWAY,
    "aws_vpc_peering_connection": K.VPC_PEERING,
    "aws_network_interface": K.NETWORK_INTERFACE,
    "aws_instance": K.INSTANCE,
    "aws_vpc_endpoint": K.VPC_ENDPOINT,
    "aws_ec2_carrier_gateway": K.CARRIER_GATEWAY,
}
_KIND_BY_ID_PREFIX = {
    "igw-": K.INTERNET_GATEWAY,
    "vgw-": K.VPN_GATEWAY,
    "nat-": K.NAT_GATEWAY,
    "pcx-": K.VPC_PEERING,
    "tgw-": K.TRANSIT_GATEWAY,
    "eigw-": K.EGRESS_ONLY_INTERNET_GATEWAY,
    "eni-": K.NETWORK_INTERFACE,
    "i-": K.INSTANCE,
    "vpce-": K.VPC_ENDPOINT,
    "cagw-": K.CARRIER_GATEWAY,
    "lgw-": K.LOCAL_GATEWAY,
}


_MODULE_PREFIX = re.compile(r'(?:module\.[^.\[]+(?:\["(?:[^"\\]|\\.)*"\]|\[\d+\])?\.)*')


def resource_type_of(address: str) -> str:
    """``module.net["a"].aws_internet_gateway.this`` → ``aws_internet_gateway``."""
    rest = address[_MODULE_PREFIX.match(address).end():]  # type: ignore[union-attr]
    return rest.split(".", 1)[0]


def _gateway_kind(build: Build, value: object) -> RouteTargetKind:
    if not isinstance(value, str):
        return K.UNKNOWN
    if value in build.known_ids:
        return _KIND_BY_RESOURCE_TYPE.get(resource_type_of(value), K.UNKNOWN)
    for prefix, kind in _KIND_BY_ID_PREFIX.items():
        if value.startswith(prefix):
            return kind
    return K.UNKNOWN


def _target(build: Build, view: BlockView) -> tuple[RouteTargetKind, Ref | None]:
    gateway = view.get("gateway_id")
    if gateway == "local":
        return K.LOCAL, None
    if gateway is not None:
        kind = _gateway_kind(build, gateway)
        target = build.ref(gateway)
        if kind is K.UNKNOWN and not isinstance(target, Unknown):
            target = Unknown(reason=f"cannot tell what kind of gateway {gateway} is")
        return kind, target
    for argument, kind in _TARGET_ARGUMENTS.items():
        value = view.get(argument)
        if value is not None:
            return kind, build.ref(value)
    return K.UNKNOWN, Unknown(reason="route has no target")


def make_route(build: Build, instance: Instance, view: BlockView, separate: bool) -> Route:
    """A Route from an inline ``route`` block or an ``aws_route`` resource."""
    prefix = "destination_" if separate else ""
    ipv4 = view.get(f"{prefix}cidr_block")
    ipv6 = view.get(f"{prefix}ipv6_cidr_block")
    prefix_list = view.get("destination_prefix_list_id")
    destination = None
    if ipv4 is not None:
        destination = canonical_cidr(ipv4)
    elif ipv6 is not None:
        destination = canonical_cidr(ipv6)
    elif prefix_list is None:
        destination = Unknown(reason="route has no destination")
    kind, target = _target(build, view)
    return Route(
        destination=destination,
        destination_prefix_list=build.optional_ref(prefix_list) if destination is None else None,
        target_kind=kind,
        target=target,
        source=build.source(instance) if separate else build.nested_source(instance, view),
    )


def route_table(build: Build, instance: Instance) -> None:
    view = instance.view
    main = instance.type == "aws_default_route_table"
    if main:
        token = view.get("default_route_table_id")
        vpc = build.vpc_of_token(token, "default_route_table_id")
        if isinstance(vpc, Unknown):
            vpc = build.vpc_of_token(token, "main_route_table_id")
    else:
        vpc = build.ref(view.get("vpc_id"))
    build.add(
        "route_tables",
        RouteTable(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            vpc=vpc,
            routes=[make_route(build, instance, r, False) for r in view.children("route")],
            is_main=main,
            propagating_vgws=build.refs(view.get("propagating_vgws")),
        ),
    )


def route(build: Build, instance: Instance) -> None:
    table = build.ref(instance.view.get("route_table_id"))
    if not build.contribute(table, "routes", make_route(build, instance, instance.view, True)):
        assert isinstance(table, Unknown)
        build.ctx.notice(
            Loc(instance.file, instance.line),
            f"{instance.address} is not assessed: its route table is unknown ({table.reason})",
        )


def vpn_gateway_route_propagation(build: Build, instance: Instance) -> None:
    """``aws_vpn_gateway_route_propagation``: merged into the table's propagating_vgws."""
    table = build.ref(instance.view.get("route_table_id"))
    gateway = build.ref(instance.view.get("vpn_gateway_id"))
    if not build.contribute(table, "propagating_vgws", gateway):
        assert isinstance(table, Unknown)
        build.ctx.notice(
            Loc(instance.file, instance.line),
            f"{instance.address} is not assessed: its route table is unknown ({table.reason})",
        )


def route_table_association(build: Build, instance: Instance) -> None:
    view = instance.view
    build.add(
        "route_table_associations",
        RouteTableAssociation(
            id=instance.address,
            source=build.source(instance),
            route_table=build.ref(view.get("route_table_id")),
            subnet=build.optional_ref(view.get("subnet_id")),
            gateway=build.optional_ref(view.get("gateway_id")),
        ),
    )


def main_route_table_association(build: Build, instance: Instance) -> None:
    view = instance.view
    build.add(
        "main_route_table_associations",
        MainRouteTableAssociation(
            id=instance.address,
            source=build.source(instance),
            vpc=build.ref(view.get("vpc_id")),
            route_table=build.ref(view.get("route_table_id")),
        ),
    )


BUILDERS: dict[str, Builder] = {
    "aws_route_table": route_table,
    "aws_default_route_table": route_table,
    "aws_route": route,
    "aws_vpn_gateway_route_propagation": vpn_gateway_route_propagation,
    "aws_route_table_association": route_table_association,
    "aws_main_route_table_association": main_route_table_association,
}
