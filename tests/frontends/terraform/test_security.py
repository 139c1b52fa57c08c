"""Security groups (inline and separate rules) and network ACLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policycheck.model import Unknown

Loader = Callable[..., Any]

GROUPS = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0", "10.0.0.1/8"]
    ipv6_cidr_blocks = ["::/0"]
    prefix_list_ids  = ["pl-1"]
    security_groups  = [aws_security_group.lb.id]
    self             = true
  }
}
resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.main.id
}
resource "aws_security_group_rule" "ssh" {
  type                     = "ingress"
  security_group_id        = aws_security_group.web.id
  protocol                 = "6"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = aws_security_group.lb.id
}
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "-1"
  from_port         = 1
  to_port           = 2
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_vpc_security_group_ingress_rule" "v6" {
  security_group_id            = aws_security_group.lb.id
  ip_protocol                  = "udp"
  from_port                    = 53
  to_port                      = 53
  referenced_security_group_id = aws_security_group.web.id
}
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}
"""


def test_inline_rules_one_per_peer(load: Loader) -> None:
    web = load(GROUPS).model.security_groups[0]
    inline = [r for r in web.rules if r.source.address == "aws_security_group.web"]
    assert [(r.cidr, r.prefix_list, r.security_group) for r in inline] == [
        ("0.0.0.0/0", None, None),
        ("10.0.0.0/8", None, None),
        ("::/0", None, None),
        (None, Unknown(reason="pl-1 is not declared in this configuration"), None),
        (None, None, "aws_security_group.lb"),
        (None, None, "aws_security_group.web"),
    ]
    assert all(
        (r.direction, r.protocol, r.from_port, r.to_port) == ("ingress", "tcp", 443, 443)
        for r in inline
    )
    assert inline[0].source.line == 8


def test_separate_rules_merged_with_their_own_source(load: Loader) -> None:
    web, lb, _default = load(GROUPS).model.security_groups
    separate = [r for r in web.rules if r.source.address != "aws_security_group.web"]
    assert [
        (r.source.address, r.direction, r.protocol, r.from_port, r.cidr, r.security_group)
        for r in separate
    ] == [
        ("aws_security_group_rule.ssh", "ingress", "tcp", 22, None, "aws_security_group.lb"),
        ("aws_vpc_security_group_egress_rule.all", "egress", "all", None, "0.0.0.0/0", None),
    ]
    assert separate[0].source.resource_type == "aws_security_group_rule"
    assert [(r.protocol, r.security_group) for r in lb.rules] == [("udp", "aws_security_group.web")]
    assert isinstance(lb.name, Unknown)


def test_no_egress_block_means_no_egress_rule(load: Loader) -> None:
    lb = load(GROUPS).model.security_groups[1]
    assert [r.direction for r in lb.rules] == ["ingress"]


def test_default_security_group(load: Loader) -> None:
    default = load(GROUPS).model.security_groups[2]
    assert (default.is_default, default.vpc, default.name, default.rules) == (
        True,
        "aws_vpc.main",
        "default",
        [],
    )


def test_group_without_vpc_is_in_the_default_vpc(load: Loader) -> None:
    group = load('resource "aws_security_group" "g" {\n  name = "g"\n}\n').model.security_groups[0]
    assert group.vpc is None


NACLS = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_network_acl" "acl" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.a.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
  egress {
    rule_no    = 200
    action     = "deny"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
resource "aws_network_acl_rule" "icmp" {
  network_acl_id  = aws_network_acl.acl.id
  rule_number     = 110
  protocol        = "icmp"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
  icmp_type       = 8
  icmp_code       = 0
  egress          = true
}
resource "aws_network_acl_association" "b" {
  network_acl_id = aws_network_acl.acl.id
  subnet_id      = aws_subnet.b.id
}
resource "aws_default_network_acl" "default" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "all"
    cidr_block = "10.0.0.0/16"
    from_port  = 0
    to_port    = 0
  }
}
"""


def test_network_acl_entries_and_associations(load: Loader) -> None:
    acl, _default = load(NACLS).model.network_acls
    assert acl.vpc == "aws_vpc.main"
    assert acl.subnets == ["aws_subnet.a", "aws_subnet.b"]
    entries = [
        (e.rule_number, e.egress, e.protocol, e.action, e.cidr, e.from_port, e.to_port)
        for e in acl.entries
    ]
    assert entries == [
        (100, False, "tcp", "allow", "0.0.0.0/0", 22, 22),
        (200, True, "all", "deny", "0.0.0.0/0", None, None),
        (110, True, "icmp", "allow", "::/0", None, None),
    ]
    assert (acl.entries[2].icmp_type, acl.entries[2].icmp_code) == (8, 0)
    assert acl.entries[0].source.line == 16
    assert acl.entries[2].source.address == "aws_network_acl_rule.icmp"


def test_default_network_acl(load: Loader) -> None:
    default = load(NACLS).model.network_acls[1]
    assert (default.is_default, default.vpc) == (True, "aws_vpc.main")
    assert [(e.rule_number, e.protocol) for e in default.entries] == [(100, "all")]
