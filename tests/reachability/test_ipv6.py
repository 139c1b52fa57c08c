"""IPv6: addresses, ::/0 routes to the IGW and to egress-only gateways."""

from __future__ import annotations

from policycheck.reachability import analyse
from tests.reachability.builders import codes, ingress, public_net, reaches, route, verdict

OPEN_V6 = [ingress("tcp", (22, 22), "::/0")]


def test_ipv6_via_subnet_assignment_and_igw_route() -> None:
    net = public_net(ipv6=True, sg_rules=OPEN_V6)
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "2001:db8::1", 6, 22)
    assert not reaches(result, "web", "fc00::1", 6, 22)  # not global unicast
    [exposure] = result.exposures
    assert exposure.sources == ("::/0",)
    assert exposure.path[1].detail == "::/0 -> igw"
    assert exposure.path[2].detail == "default NACL allows all"
    assert exposure.path[-1].detail == "IPv6 address via subnet assign_ipv6_address_on_creation"
    assert verdict(result, "web", "ipv6").reachable
    assert codes(result, "web", "ipv4") == ["ENI_SG_RULES_MISMATCH"]


def test_ipv6_default_route_to_egress_only_gateway_is_not_inbound() -> None:
    net = public_net(
        ipv6=True, sg_rules=OPEN_V6, routes=[route("0.0.0.0/0", "igw"), route("::/0", "eigw")]
    )
    net.eigw()
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web", "ipv6") == ["NO_ROUTE_TO_DESTINATION"]


def test_instance_without_ipv6_address() -> None:
    net = public_net(ipv6=True, sg_rules=OPEN_V6)
    net.instance(sgs=["sg"], ipv6_address_count=0)
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web", "ipv6") == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"]


def test_explicit_ipv6_count_and_eni_ipv6() -> None:
    net = public_net(ipv6=True, sg_rules=OPEN_V6)
    net.parts["subnets"][0] = net.parts["subnets"][0].model_copy(
        update={"assign_ipv6_address_on_creation": False}
    )
    net.instance(sgs=["sg"], ipv6_address_count=1)
    net.eni("eni", sgs=["sg"], ipv6_address_count=1)
    result = analyse(net.build())
    assert reaches(result, "web", "2a00::1", 6, 22)
    assert reaches(result, "eni", "2a00::1", 6, 22)


def test_ipv4_only_rule_does_not_open_ipv6() -> None:
    net = public_net(ipv6=True)
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert not reaches(result, "web", "2a00::1", 6, 22)
    assert not verdict(result, "web", "ipv6").reachable
