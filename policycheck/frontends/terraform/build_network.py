"""VPCs, subnets, gateways and elastic IPs."""

from __future__ import annotations

from policycheck.frontends.terraform.build import Build, Builder, flag, tags, text
from policycheck.frontends.terraform.expand import Instance
from policycheck.model import (
    EgressOnlyInternetGateway,
    ElasticIp,
    InternetGateway,
    NatGateway,
    Subnet,
    Unknown,
    Vpc,
    canonical_cidr,
)

# Every account's default VPC is created with this block.
_DEFAULT_VPC_CIDR = "172.31.0.0/16"
_AMAZON_IPV6 = "Amazon-provided IPv6 block"


def _ipv6_blocks(instance: Instance) -> list[str | Unknown]:
    view = instance.view
    blocks: list[str | Unknown] = []
    if view.has("ipv6_cidr_block"):
        blocks.append(canonical_cidr(view.get("ipv6_cidr_block")))
    generated = flag(view.get("assign_generated_ipv6_cidr_block"), False)
    if isinstance(generated, Unknown):
        blocks.append(generated)
    elif generated and not blocks:
        blocks.append(Unknown(reason=_AMAZON_IPV6))
    elif not blocks and view.has("ipv6_ipam_pool_id"):
        blocks.append(Unknown(reason="IPv6 block allocated from an IPAM pool"))
    return blocks


def vpc(build: Build, instance: Instance) -> None:
    view = instance.view
    default = instance.type == "aws_default_vpc"
    cidrs: list[str | Unknown] = []
    if default:
        cidrs.append(_DEFAULT_VPC_CIDR)
    elif view.has("cidr_block"):
        cidrs.append(canonical_cidr(view.get("cidr_block")))
    elif view.has("ipv4_ipam_pool_id"):
        cidrs.append(Unknown(reason="IPv4 block allocated from an IPAM pool"))
    build.add(
        "vpcs",
        Vpc(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            cidr_blocks=cidrs,
            ipv6_cidr_blocks=_ipv6_blocks(instance),
            is_default=default,
        ),
    )


def vpc_ipv4_association(build: Build, instance: Instance) -> None:
    view = instance.view
    if view.has("cidr_block"):
        cidr = canonical_cidr(view.get("cidr_block"))
    else:
        cidr = Unknown(reason=f"IPv4 block of {instance.address} allocated from an IPAM pool")
    build.contribute(build.ref(view.get("vpc_id")), "cidr_blocks", cidr)


def vpc_ipv6_association(build: Build, instance: Instance) -> None:
    view = instance.view
    if view.has("ipv6_cidr_block"):
        cidr = canonical_cidr(view.get("ipv6_cidr_block"))
    else:
        cidr = Unknown(reason=_AMAZON_IPV6)
    build.contribute(build.ref(view.get("vpc_id")), "ipv6_cidr_blocks", cidr)


def subnet(build: Build, instance: Instance) -> None:
    view = instance.view
    public_ip = flag(view.get("map_public_ip_on_launch"), False)
    ipv6_on_create = flag(view.get("assign_ipv6_address_on_creation"), False)
    build.add(
        "subnets",
        Subnet(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            vpc=build.ref(view.get("vpc_id")),
            cidr_block=_optional_cidr(view.get("cidr_block")),
            ipv6_cidr_block=_optional_cidr(view.get("ipv6_cidr_block")),
            map_public_ip_on_launch=public_ip if public_ip is not None else False,
            assign_ipv6_address_on_creation=ipv6_on_create if ipv6_on_create is not None else False,
            availability_zone=text(view.get("availability_zone")),
        ),
    )


def _optional_cidr(value: object) -> str | Unknown | None:
    return None if value is None else canonical_cidr(value)


def internet_gateway(build: Build, instance: Instance) -> None:
    view = instance.view
    build.add(
        "internet_gateways",
        InternetGateway(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            vpc=build.optional_ref(view.get("vpc_id")),
        ),
    )


def internet_gateway_attachment(build: Build, instance: Instance) -> None:
    view = instance.view
    build.set_later(
        build.ref(view.get("internet_gateway_id")), "vpc", build.ref(view.get("vpc_id"))
    )


def egress_only_internet_gateway(build: Build, instance: Instance) -> None:
    view = instance.view
    build.add(
        "egress_only_internet_gateways",
        EgressOnlyInternetGateway(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            vpc=build.ref(view.get("vpc_id")),
        ),
    )


def nat_gateway(build: Build, instance: Instance) -> None:
    view = instance.view
    private = view.get("connectivity_type") == "private"
    build.add(
        "nat_gateways",
        NatGateway(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            subnet=build.ref(view.get("subnet_id")),
            connectivity_type="private" if private else "public",
            allocation=build.optional_ref(view.get("allocation_id")),
        ),
    )


def elastic_ip(build: Build, instance: Instance) -> None:
    view = instance.view
    build.add(
        "elastic_ips",
        ElasticIp(
            id=instance.address,
            source=build.source(instance),
            tags=tags(view),
            instance=build.optional_ref(view.get("instance")),
            network_interface=build.optional_ref(view.get("network_interface")),
        ),
    )


def elastic_ip_association(build: Build, instance: Instance) -> None:
    view = instance.view
    eip = build.ref(view.get("allocation_id"))
    if view.has("instance_id"):
        build.set_later(eip, "instance", build.ref(view.get("instance_id")))
    if view.has("network_interface_id"):
        build.set_later(eip, "network_interface", build.ref(view.get("network_interface_id")))


BUILDERS: dict[str, Builder] = {
    "aws_vpc": vpc,
    "aws_default_vpc": vpc,
    "aws_vpc_ipv4_cidr_block_association": vpc_ipv4_association,
    "aws_vpc_ipv6_cidr_block_association": vpc_ipv6_association,
    "aws_subnet": subnet,
    "aws_internet_gateway": internet_gateway,
    "aws_internet_gateway_attachment": internet_gateway_attachment,
    "aws_egress_only_internet_gateway": egress_only_internet_gateway,
    "aws_nat_gateway": nat_gateway,
    "aws_eip": elastic_ip,
    "aws_eip_association": elastic_ip_association,
}
