"""Mapping of VPCs, subnets, gateways, elastic IPs, routes and route tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policycheck.model import RouteTargetKind, Unknown

Loader = Callable[..., Any]

VPC = """
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.7/16"
  assign_generated_ipv6_cidr_block = true
  tags = { Name = "main", Count = 3 }
}
"""


def test_vpc_blocks_and_associations(load: Loader) -> None:
    model = load(
        VPC + 'resource "aws_vpc_ipv4_cidr_block_association" "extra" {\n'
        '  vpc_id = aws_vpc.main.id\n  cidr_block = "10.1.0.0/16"\n}\n'
        'resource "aws_vpc_ipv6_cidr_block_association" "v6" {\n'
        '  vpc_id = aws_vpc.main.id\n  ipv6_cidr_block = "2001:db8::/56"\n}\n'
        'resource "aws_default_vpc" "default" {}\n'
    ).model
    vpc, default = model.vpcs
    assert vpc.cidr_blocks == ["10.0.0.0/16", "10.1.0.0/16"]
    assert vpc.ipv6_cidr_blocks == [Unknown(reason="Amazon-provided IPv6 block"), "2001:db8::/56"]
    assert vpc.tags == {"Name": "main", "Count": "3"}
    assert (vpc.source.file, vpc.source.line, vpc.source.resource_type) == (
        "stack/main.tf",
        2,
        "aws_vpc",
    )
    assert default.is_default and default.id == "aws_default_vpc.default"


def test_subnet_defaults_and_values(load: Loader) -> None:
    model = load(
        VPC
        + 'resource "aws_subnet" "a" {\n  vpc_id = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"\n'
        '  availability_zone = "eu-west-1a"\n}\n'
        'resource "aws_subnet" "b" {\n  vpc_id = "vpc-123"\n  cidr_block = "10.0.2.0/24"\n'
        "  map_public_ip_on_launch = true\n  assign_ipv6_address_on_creation = true\n"
        '  ipv6_cidr_block = "2001:db8:0:1::/64"\n}\n'
    ).model
    a, b = model.subnets
    assert (a.vpc, a.map_public_ip_on_launch, a.availability_zone) == (
        "aws_vpc.main",
        False,
        "eu-west-1a",
    )
    assert b.vpc == Unknown(reason="vpc-123 is not declared in this configuration")
    assert b.map_public_ip_on_launch is True and b.assign_ipv6_address_on_creation is True
    assert b.ipv6_cidr_block == "2001:db8:0:1::/64"


def test_gateways_and_elastic_ips(load: Loader) -> None:
    model = load(
        VPC
        + """
resource "aws_subnet" "pub" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
resource "aws_internet_gateway" "detached" {}
resource "aws_internet_gateway_attachment" "att" {
  internet_gateway_id = aws_internet_gateway.detached.id
  vpc_id              = aws_vpc.main.id
}
resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  subnet_id     = aws_subnet.pub.id
  allocation_id = aws_eip.nat.id
}
resource "aws_nat_gateway" "private" {
  subnet_id         = aws_subnet.pub.id
  connectivity_type = "private"
}
resource "aws_instance" "web" {
  ami = "ami-1"
}
resource "aws_eip" "web" {}
resource "aws_eip_association" "web" {
  allocation_id = aws_eip.web.id
  instance_id   = aws_instance.web.id
}
"""
    ).model
    assert model.internet_gateways[0].vpc == "aws_vpc.main"
    assert model.egress_only_internet_gateways[0].vpc == "aws_vpc.main"
    nat, private = model.nat_gateways
    assert (nat.subnet, nat.allocation, nat.connectivity_type) == (
        "aws_subnet.pub",
        "aws_eip.nat",
        "public",
    )
    assert private.connectivity_type == "private"
    eips = {e.id: e for e in model.elastic_ips}
    assert eips["aws_eip.web"].instance == "aws_instance.web"
    assert eips["aws_eip.nat"].instance is None


ROUTING = (
    VPC
    + """
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_vpn_gateway" "vgw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
resource "aws_route_table" "rt" {
  vpc_id           = aws_vpc.main.id
  propagating_vgws = [aws_vpn_gateway.vgw.id]
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block = "::/0"
    egress_only_gateway_id = "eigw-1"
  }
  route {
    cidr_block = "192.168.0.0/16"
    gateway_id = aws_vpn_gateway.vgw.id
  }
  route {
    cidr_block = "10.0.0.0/16"
    gateway_id = "local"
  }
  route {
    destination_prefix_list_id = "pl-123"
    gateway_id                 = "pcx-9"
  }
  route {
    cidr_block = "172.16.0.0/12"
    gateway_id = var.unknown_gateway
  }
}
variable "unknown_gateway" {}
resource "aws_route" "extra" {
  route_table_id         = aws_route_table.rt.id
  destination_cidr_block = "10.50.0.0/16"
  transit_gateway_id     = "tgw-1"
}
resource "aws_route_table_association" "s" {
  subnet_id      = aws_subnet.s.id
  route_table_id = aws_route_table.rt.id
}
resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.igw.id
  route_table_id = aws_route_table.rt.id
}
resource "aws_main_route_table_association" "main" {
  vpc_id         = aws_vpc.main.id
  route_table_id = aws_route_table.rt.id
}
"""
)


def test_route_table_routes_and_target_kinds(load: Loader) -> None:
    model = load(ROUTING).model
    table = model.route_tables[0]
    kinds = [(r.destination, r.target_kind, r.target) for r in table.routes]
    k = RouteTargetKind
    assert kinds[0] == ("0.0.0.0/0", k.INTERNET_GATEWAY, "aws_internet_gateway.igw")
    assert kinds[1][:2] == ("::/0", k.EGRESS_ONLY_INTERNET_GATEWAY)
    assert kinds[2] == ("192.168.0.0/16", k.VPN_GATEWAY, "aws_vpn_gateway.vgw")
    assert kinds[3] == ("10.0.0.0/16", k.LOCAL, None)
    assert kinds[4][:2] == (None, k.VPC_PEERING)
    assert isinstance(table.routes[4].destination_prefix_list, Unknown)
    assert kinds[5][1] == k.UNKNOWN and isinstance(kinds[5][2], Unknown)
    assert kinds[6] == (
        "10.50.0.0/16",
        k.TRANSIT_GATEWAY,
        Unknown(reason="tgw-1 is not declared in this configuration"),
    )
    assert table.routes[0].source.line == 21
    assert table.routes[0].source.address == "aws_route_table.rt"
    assert table.routes[6].source.address == "aws_route.extra"
    assert table.propagating_vgws == ["aws_vpn_gateway.vgw"]


def test_route_table_associations(load: Loader) -> None:
    model = load(ROUTING).model
    subnet_assoc, edge_assoc = model.route_table_associations
    assert (subnet_assoc.subnet, subnet_assoc.route_table) == ("aws_subnet.s", "aws_route_table.rt")
    assert edge_assoc.gateway == "aws_internet_gateway.igw" and edge_assoc.subnet is None
    main = model.main_route_table_associations[0]
    assert (main.vpc, main.route_table) == ("aws_vpc.main", "aws_route_table.rt")


def test_default_route_table_and_routes_to_the_main_table(load: Loader) -> None:
    model = load(
        VPC
        + """
resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-123"
  }
}
resource "aws_route" "via_main_id" {
  route_table_id         = aws_vpc.main.main_route_table_id
  destination_cidr_block = "10.9.0.0/16"
  nat_gateway_id         = "nat-1"
}
"""
    ).model
    table = model.route_tables[0]
    assert (table.id, table.vpc, table.is_main) == (
        "aws_default_route_table.main",
        "aws_vpc.main",
        True,
    )
    assert [r.target_kind for r in table.routes] == [
        RouteTargetKind.INTERNET_GATEWAY,
        RouteTargetKind.NAT_GATEWAY,
    ]


def test_route_to_unmanaged_main_table_is_reported(load: Loader) -> None:
    result = load(
        VPC + 'resource "aws_route" "r" {\n  route_table_id = aws_vpc.main.main_route_table_id\n'
        '  destination_cidr_block = "0.0.0.0/0"\n  gateway_id = "igw-1"\n}\n'
    )
    assert result.model.route_tables == []
    assert any("main route table of aws_vpc.main" in d.message for d in result.diagnostics)
