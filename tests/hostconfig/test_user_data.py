"""Listeners implied by user data, target groups and container port mappings."""

from __future__ import annotations

from policycheck.hostconfig.listeners import host_listeners
from policycheck.hostconfig.user_data import host_services
from policycheck.model import Instance, Model, SourceRef

SRC = SourceRef(file="main.tf", line=1, address="aws_instance.web", resource_type="aws_instance")


def test_shell_commands_found_inside_compound_statements() -> None:
    script = """#!/bin/bash
set -e
if ! command -v nginx; then
  sudo apt-get install -y nginx openssh-server curl
fi
systemctl enable --now redis-server.service && echo done
for s in a b; do service vsftpd start; done
docker run -d -p 0.0.0.0:8443:443 -p 53:53/udp image
echo "systemctl enable telnetd"   # a string, not a command
"""
    found = host_services(script)
    assert found.services == {"nginx", "openssh-server", "redis-server", "vsftpd"}
    assert found.published == [("tcp", 8443), ("udp", 53)]


def test_cloud_config_packages_and_runcmd() -> None:
    found = host_services("#cloud-config\npackages: [httpd, git]\nruncmd:\n"
                          "  - systemctl start mysqld\n  - [systemctl, enable, telnetd]\n")
    assert found.services == {"httpd", "mysqld", "telnetd"}


def test_unparsable_line_is_a_problem_not_a_crash() -> None:
    found = host_services("systemctl start sshd\nif then fi ((\n")
    assert "sshd" in found.services and found.problems


def test_instance_listeners_from_user_data_and_tag_wins() -> None:
    web = Instance(id="web", source=SRC, user_data="yum install -y httpd")
    model = Model(unit=".", instances=[web])
    listeners = host_listeners(model, "web")
    assert listeners is not None
    assert {(item.protocol, item.from_port) for item in listeners.listeners} == {
        ("tcp", 80), ("tcp", 443)}
    tagged = web.model_copy(update={"tags": {"policycheck:listeners": "tcp/22"}})
    listeners = host_listeners(Model(unit=".", instances=[tagged]), "web")
    assert listeners is not None and [i.from_port for i in listeners.listeners] == [22]
    assert host_listeners(Model(unit=".", instances=[web.model_copy(
        update={"user_data": None})]), "web") is None
