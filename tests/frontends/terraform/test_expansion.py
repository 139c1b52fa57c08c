"""count, for_each and dynamic: instances, addresses and references to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policycheck.diagnostics import DiagnosticLevel
from policycheck.model import Unknown

Loader = Callable[..., Any]
Evaluator = Callable[..., Any]

SUBNETS = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "counted" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}
resource "aws_subnet" "keyed" {
  for_each   = { a = 10, b = 11 }
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
  tags       = { Name = each.key }
}
resource "aws_subnet" "set" {
  for_each   = toset(["10.0.30.0/24", "10.0.20.0/24"])
  vpc_id     = aws_vpc.main.id
  cidr_block = each.value
}
"""


def test_count_and_for_each_addresses(load: Loader) -> None:
    model = load(SUBNETS).model
    assert [(s.id, s.cidr_block) for s in model.subnets] == [
        ("aws_subnet.counted[0]", "10.0.0.0/24"),
        ("aws_subnet.counted[1]", "10.0.1.0/24"),
        ('aws_subnet.keyed["a"]', "10.0.10.0/24"),
        ('aws_subnet.keyed["b"]', "10.0.11.0/24"),
        ('aws_subnet.set["10.0.20.0/24"]', "10.0.20.0/24"),
        ('aws_subnet.set["10.0.30.0/24"]', "10.0.30.0/24"),
    ]
    assert model.subnets[2].tags == {"Name": "a"}
    assert all(s.vpc == "aws_vpc.main" for s in model.subnets)


def test_references_to_instances_and_splats(evaluate: Evaluator) -> None:
    assert evaluate("aws_subnet.counted[1].id", SUBNETS)[0] == "aws_subnet.counted[1]"
    assert evaluate('aws_subnet.keyed["b"].id', SUBNETS)[0] == 'aws_subnet.keyed["b"]'
    assert evaluate("aws_subnet.counted[*].id", SUBNETS)[0] == [
        "aws_subnet.counted[0]",
        "aws_subnet.counted[1]",
    ]
    assert evaluate("[for k, s in aws_subnet.keyed : s.cidr_block]", SUBNETS)[0] == [
        "10.0.10.0/24",
        "10.0.11.0/24",
    ]
    assert evaluate("length(aws_subnet.counted)", SUBNETS)[0] == 2
    assert evaluate("aws_vpc.main.id", SUBNETS)[0] == "aws_vpc.main"


def test_configured_and_computed_attributes(evaluate: Evaluator) -> None:
    assert evaluate("aws_subnet.counted[0].cidr_block", SUBNETS)[0] == "10.0.0.0/24"
    assert evaluate("aws_vpc.main.arn", SUBNETS)[0] == Unknown(
        reason="computed attribute arn of aws_vpc.main"
    )


def test_zero_count_and_empty_for_each_produce_nothing(load: Loader) -> None:
    result = load(
        'resource "aws_vpc" "a" {\n  count = 0\n  cidr_block = "10.0.0.0/16"\n}\n'
        'resource "aws_vpc" "b" {\n  for_each = {}\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
    assert result.model.vpcs == []
    assert result.diagnostics == []


def test_unknown_count_is_one_instance_with_notice(load: Loader) -> None:
    result = load(
        'variable "n" {\n  type = number\n}\n'
        'resource "aws_vpc" "a" {\n  count = var.n\n  cidr_block = "10.0.0.0/16"\n}\n'
        'resource "aws_subnet" "s" {\n  vpc_id = aws_vpc.a[0].id\n'
        '  cidr_block = "10.0.0.0/24"\n}\n'
    )
    assert [v.id for v in result.model.vpcs] == ["aws_vpc.a"]
    assert result.model.subnets[0].vpc == "aws_vpc.a"
    notices = [d for d in result.diagnostics if "assessed as one instance" in d.message]
    assert notices and notices[0].line == 4 and notices[0].level == DiagnosticLevel.NOTICE


def test_dynamic_blocks_with_iterator(load: Loader) -> None:
    text = """
locals {
  ports = { ssh = 22, https = 443 }
}
resource "aws_security_group" "sg" {
  name = "sg"
  dynamic "ingress" {
    for_each = local.ports
    iterator = port
    content {
      description = port.key
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  dynamic "egress" {
    for_each = ["10.0.0.0/8"]
    content {
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = [egress.value]
    }
  }
}
"""
    group = load(text).model.security_groups[0]
    assert [(r.direction, r.description, r.from_port, r.cidr) for r in group.rules] == [
        ("ingress", "https", 443, "0.0.0.0/0"),
        ("ingress", "ssh", 22, "0.0.0.0/0"),
        ("egress", None, None, "10.0.0.0/8"),
    ]
    assert group.rules[0].source.line == 7
    assert group.rules[2].source.line == 18


def test_resources_may_reference_each_other_in_any_order(load: Loader) -> None:
    text = """
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.late.id
  cidr_block = cidrsubnet(aws_vpc.late.cidr_block, 4, 1)
}
resource "aws_vpc" "late" {
  cidr_block = local.cidr
}
locals {
  cidr = "10.8.0.0/16"
}
"""
    subnet = load(text).model.subnets[0]
    assert (subnet.vpc, subnet.cidr_block) == ("aws_vpc.late", "10.8.16.0/20")
