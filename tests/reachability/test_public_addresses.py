"""Which interfaces have a public IPv4 or an IPv6 address."""

from __future__ import annotations

from policycheck.reachability import analyse
from tests.reachability.builders import attachment, codes, public_net, reaches, unknown, verdict


def test_subnet_map_public_ip_on_launch_gives_public_ipv4() -> None:
    net = public_net(map_public=True)
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    [exposure] = result.exposures
    assert exposure.protocol == "tcp" and exposure.ports == ((22, 22),)
    assert exposure.sources == ("0.0.0.0/0",)
    assert exposure.path[-1].detail == "public IPv4 via subnet map_public_ip_on_launch"
    assert [hop.type for hop in exposure.path] == [
        "InternetGateway",
        "RouteTable",
        "NetworkAcl",
        "NetworkAcl",
        "SecurityGroup",
        "Instance",
    ]


def test_private_subnet_without_flag_has_no_public_ipv4() -> None:
    net = public_net(map_public=False)
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"]


def test_associate_flag_true_overrides_private_subnet() -> None:
    net = public_net(map_public=False)
    net.instance(sgs=["sg"], associate_public_ip_address=True)
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert result.exposures[0].path[-1].detail == "public IPv4 via associate_public_ip_address"


def test_associate_flag_false_overrides_public_subnet() -> None:
    net = public_net(map_public=True)
    net.instance(sgs=["sg"], associate_public_ip_address=False)
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"]


def test_associate_flag_none_defers_to_subnet() -> None:
    net = public_net(map_public=True)
    net.instance(sgs=["sg"], associate_public_ip_address=None)
    assert reaches(analyse(net.build()), "web", "1.2.3.4", 6, 22)


def test_unknown_associate_flag_is_public_with_assumption() -> None:
    net = public_net(map_public=False)
    net.instance(sgs=["sg"], associate_public_ip_address=unknown("var.public has no value"))
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert "var.public has no value" in result.exposures[0].assumptions


def test_unknown_subnet_flag_is_public_with_assumption() -> None:
    net = public_net(map_public=unknown("var.map has no value"))  # type: ignore[arg-type]
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert "var.map has no value" in result.exposures[0].assumptions


def test_eip_on_instance_gives_public_ipv4() -> None:
    net = public_net(map_public=False)
    net.instance(sgs=["sg"], associate_public_ip_address=False)
    net.eip("aws_eip.web", instance="web")
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    hop = result.exposures[0].path[-1]
    assert hop.detail == "public IPv4 via aws_eip.web"
    assert hop.source is not None and hop.source.address == "aws_eip.web"


def test_explicit_eni_needs_an_eip() -> None:
    net = public_net(map_public=True)
    net.eni("eni", sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "eni") == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"]
    net.eip("aws_eip.eni", eni="eni")
    result = analyse(net.build())
    assert reaches(result, "eni", "1.2.3.4", 6, 22)
    assert result.exposures[0].target == "eni"
    assert result.exposures[0].path[-1].type == "NetworkInterface"


def test_attached_eni_targets_the_instance_and_primary_replaces_implicit_interface() -> None:
    net = public_net(map_public=True)
    net.eni("eni", sgs=["sg"])
    net.instance(sgs=[], network_interfaces=[attachment("eni", 0)])
    net.eip("aws_eip.web", instance="web")
    result = analyse(net.build())
    assert {v.interface for v in result.verdicts} == {"eni"}
    [exposure] = result.exposures
    assert exposure.target == "web" and exposure.interface == "eni"
    assert exposure.path[-1].detail == "public IPv4 via aws_eip.web"


def test_secondary_eni_is_its_own_interface() -> None:
    net = public_net(map_public=True)
    net.eni("eni2", sgs=["sg"], attached_instance="web")
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert {v.interface for v in result.verdicts} == {"web", "eni2"}
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert not reaches(result, "eni2", "1.2.3.4", 6, 22)
    assert verdict(result, "eni2").blockers[0].code == "IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"
