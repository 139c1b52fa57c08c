"""Default VPC assumption, unknown subnets, verdict coverage and deterministic output."""

from __future__ import annotations

from policycheck.reachability import ReachabilityOptions, analyse
from policycheck.reachability.topology import DEFAULT_VPC_ASSUMPTION
from tests.reachability.builders import Net, codes, ingress, public_net, reaches, unknown, verdict


def _default_vpc_net() -> Net:
    net = Net()
    net.sg("sg", vpc=None, rules=[ingress("tcp", (22, 22), "0.0.0.0/0")])
    net.instance("web", subnet=None, sgs=["sg"])
    return net


def test_instance_without_subnet_lands_in_the_default_vpc() -> None:
    result = analyse(_default_vpc_net().build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    [exposure] = result.exposures
    assert DEFAULT_VPC_ASSUMPTION in exposure.assumptions
    assert exposure.path[1].detail.startswith("0.0.0.0/0 ->")
    assert exposure.path[-1].detail == "public IPv4 via subnet map_public_ip_on_launch"


def test_default_vpc_with_default_group() -> None:
    net = Net()
    net.instance("web", subnet=None)
    result = analyse(net.build())
    assert codes(result, "web") == ["ENI_SG_RULES_MISMATCH"]
    net.sg("dsg", vpc=None, rules=[ingress("tcp", (80, 80), "0.0.0.0/0")], is_default=True)
    assert reaches(analyse(net.build()), "web", "1.2.3.4", 6, 80)


def test_default_vpc_assumption_off() -> None:
    result = analyse(_default_vpc_net().build(), ReachabilityOptions(assume_default_vpc=False))
    assert not result.exposures
    for family in ("ipv4", "ipv6"):
        assert codes(result, "web", family) == ["NO_SUBNET"]


def test_unknown_subnet_cannot_be_placed() -> None:
    net = public_net()
    net.instance(subnet=unknown("var.subnet_id has no value"), sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.code == "UNKNOWN_SUBNET"
    assert "var.subnet_id has no value" in blocker.detail


def test_dangling_subnet_reference_cannot_be_placed() -> None:
    net = public_net()
    net.instance(subnet="subnet-0123", sgs=["sg"])
    assert codes(analyse(net.build()), "web") == ["UNKNOWN_SUBNET"]


def test_unknown_igw_attachment_is_assumed_with_reason() -> None:
    net = public_net()
    net.parts["internet_gateways"] = []
    net.igw("igw", vpc=unknown("attachment vpc unknown"))
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert "attachment vpc unknown" in result.exposures[0].assumptions


def test_every_interface_gets_both_families_and_output_is_sorted() -> None:
    net = public_net(sg_rules=[ingress("all", None, "0.0.0.0/0")])
    net.instance("b", sgs=["sg"])
    net.instance("a", sgs=["sg"])
    net.eni("eni", sgs=["sg"])
    result = analyse(net.build())
    keys = [(v.target, v.interface, v.address_family) for v in result.verdicts]
    assert keys == sorted(keys) and len(keys) == 6
    order = [(e.target, e.interface, e.protocol) for e in result.exposures]
    assert order == sorted(order)
    assert analyse(net.build()) == result


def test_many_interfaces_share_subnet_and_group_computations() -> None:
    net = public_net()
    for index in range(300):
        net.instance(f"i-{index:03d}", sgs=["sg"])
    result = analyse(net.build())
    assert len(result.exposures) == 300
    assert all(v.reachable for v in result.verdicts if v.address_family == "ipv4")
