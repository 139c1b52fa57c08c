"""Instances and network interfaces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policycheck.model import Unknown

Loader = Callable[..., Any]

HOSTS = """
resource "aws_subnet" "s" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.0.0/24"
}
resource "aws_security_group" "named" {
  name = "ssh-only"
}
resource "aws_instance" "web" {
  ami                         = "ami-123"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.s.id
  vpc_security_group_ids      = [aws_security_group.named.id]
  associate_public_ip_address = true
  ipv6_address_count          = 1
  user_data                   = "#!/bin/sh"
  tags = { Role = "web" }
}
resource "aws_instance" "classic" {
  security_groups = ["ssh-only", "missing"]
}
resource "aws_network_interface" "eni" {
  subnet_id       = aws_subnet.s.id
  security_groups = [aws_security_group.named.id]
  private_ips     = ["10.0.0.10"]
  attachment {
    instance     = aws_instance.web.id
    device_index = 1
  }
}
resource "aws_network_interface" "spare" {
  subnet_id = aws_subnet.s.id
}
resource "aws_network_interface_attachment" "spare" {
  instance_id          = aws_instance.classic.id
  network_interface_id = aws_network_interface.spare.id
  device_index         = 2
}
resource "aws_network_interface_sg_attachment" "spare" {
  security_group_id    = aws_security_group.named.id
  network_interface_id = aws_network_interface.spare.id
}
resource "aws_instance" "with_nic" {
  network_interface {
    network_interface_id = aws_network_interface.spare.id
    device_index         = 0
  }
}
"""


def test_instance_fields(load: Loader) -> None:
    web, classic, with_nic = load(HOSTS).model.instances
    assert (web.subnet, web.security_groups, web.associate_public_ip_address) == (
        "aws_subnet.s",
        ["aws_security_group.named"],
        True,
    )
    assert (web.ami, web.instance_type, web.user_data, web.ipv6_address_count) == (
        "ami-123",
        "t3.micro",
        "#!/bin/sh",
        1,
    )
    assert web.tags == {"Role": "web"}
    assert classic.subnet is None and classic.associate_public_ip_address is None
    assert classic.security_groups == [
        "aws_security_group.named",
        Unknown(reason="no security group named 'missing' in this configuration"),
    ]
    attachment = with_nic.network_interfaces[0]
    assert (attachment.device_index, attachment.network_interface) == (
        0,
        "aws_network_interface.spare",
    )
    assert attachment.source.line == 44


def test_network_interfaces_and_attachments(load: Loader) -> None:
    eni, spare = load(HOSTS).model.network_interfaces
    assert (eni.subnet, eni.private_ips, eni.attached_instance, eni.device_index) == (
        "aws_subnet.s",
        ["10.0.0.10"],
        "aws_instance.web",
        1,
    )
    assert (spare.attached_instance, spare.device_index, spare.security_groups) == (
        "aws_instance.classic",
        2,
        ["aws_security_group.named"],
    )


PROFILE_NAMED_LIKE_ITS_ROLE = """
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}
resource "aws_instance" "web" {
  ami                  = "ami-123"
  iam_instance_profile = aws_iam_instance_profile.app.name
}
resource "aws_launch_template" "workers" {
  iam_instance_profile {
    name = aws_iam_instance_profile.app.name
  }
}
"""


def test_instance_profile_by_name_shared_with_its_role(load: Loader) -> None:
    """A profile named like its role (the usual case) is still found by its name."""
    model = load(PROFILE_NAMED_LIKE_ITS_ROLE).model
    assert model.instances[0].iam_instance_profile == "aws_iam_instance_profile.app"
    assert model.launch_templates[0].iam_instance_profile == "aws_iam_instance_profile.app"
