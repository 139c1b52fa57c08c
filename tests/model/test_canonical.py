"""Canonical CIDRs, protocols and ports: both front-ends produce one form."""

from __future__ import annotations

import pytest

from policycheck.model import NaclEntry, SgRule, SourceRef, Unknown, canonical_cidr
from policycheck.model.addresses import canonical_protocol

SRC = SourceRef(file="f", line=1, address="a", resource_type="t")


@pytest.mark.parametrize("raw, expected", [
    ("192.168.1.7/0", "0.0.0.0/0"), ("10.1.2.3/8", "10.0.0.0/8"), (" 10.0.0.0/16 ", "10.0.0.0/16"),
    ("2001:db8::1/32", "2001:db8::/32"), ("::/0", "::/0"),
])
def test_cidr_host_bits_are_dropped_as_ec2_does(raw: str, expected: str) -> None:
    assert canonical_cidr(raw) == expected


@pytest.mark.parametrize("raw", ["10.0.0.0", "not-a-cidr", "", 42, "10.0.0.0/33"])
def test_invalid_cidr_is_unknown_with_reason(raw: object) -> None:
    value = canonical_cidr(raw)
    assert isinstance(value, Unknown) and "CIDR" in value.reason


@pytest.mark.parametrize("raw, expected", [
    ("-1", "all"), (-1, "all"), ("ALL", "all"), ("6", "tcp"), ("tcp", "tcp"), (17, "udp"),
    ("1", "icmp"), ("58", "icmpv6"), ("47", "47"),
])
def test_protocols(raw: object, expected: str) -> None:
    assert canonical_protocol(raw) == expected


@pytest.mark.parametrize("raw", ["tcpp", "256", True])
def test_invalid_protocol_is_unknown(raw: object) -> None:
    assert isinstance(canonical_protocol(raw), Unknown)


def test_ports_cleared_where_aws_ignores_them() -> None:
    icmp_entry = NaclEntry(rule_number=100, egress=False, protocol="icmp", action="allow",
                           cidr="0.0.0.0/0", from_port=0, to_port=0, icmp_type=8, source=SRC)
    assert (icmp_entry.from_port, icmp_entry.to_port, icmp_entry.icmp_type) == (None, None, 8)
    tcp_entry = NaclEntry(rule_number=100, egress=False, protocol="tcp", action="allow",
                          cidr="0.0.0.0/0", from_port=22, to_port=22, source=SRC)
    assert (tcp_entry.from_port, tcp_entry.to_port) == (22, 22)
    all_rule = SgRule(direction="ingress", protocol="all", from_port=0, to_port=0,
                      cidr="0.0.0.0/0", source=SRC)
    assert (all_rule.from_port, all_rule.to_port) == (None, None)
    icmp_rule = SgRule(direction="ingress", protocol="icmp", from_port=8, to_port=0,
                       cidr="0.0.0.0/0", source=SRC)
    assert (icmp_rule.from_port, icmp_rule.to_port) == (8, 0)
