"""Security groups: union of ingress rules, defaults, references and attribution."""

from __future__ import annotations

from policycheck.reachability import analyse
from tests.reachability.builders import (
    Net,
    codes,
    ingress,
    public_net,
    reaches,
    route,
    unknown,
    verdict,
)


def test_private_instance_with_open_sg_lists_every_blocker() -> None:
    net = Net()
    net.vpc()
    net.subnet(map_public_ip_on_launch=False)
    net.igw()
    net.nat()
    net.route_table(routes=[route("0.0.0.0/0", "nat")], subnets=["subnet"])
    net.sg(rules=[ingress("tcp", (22, 22), "0.0.0.0/0")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == [
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS",
        "NO_ROUTE_TO_DESTINATION",
    ]


def test_multiple_groups_union() -> None:
    net = public_net(sg_rules=[ingress("tcp", (22, 22), "0.0.0.0/0")])
    net.sg("sg-web", rules=[ingress("tcp", (443, 443), "0.0.0.0/0")])
    net.instance(sgs=["sg", "sg-web"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert reaches(result, "web", "1.2.3.4", 6, 443)
    assert not reaches(result, "web", "1.2.3.4", 6, 80)
    assert [(e.ports, e.path[4].resource) for e in result.exposures] == [
        (((22, 22),), "sg"),
        (((443, 443),), "sg-web"),
    ]


def test_overlapping_rules_are_credited_once_in_group_then_declaration_order() -> None:
    net = public_net(sg_rules=[ingress("tcp", (0, 65535), "0.0.0.0/0")])
    net.sg("sg-b", rules=[ingress("tcp", (22, 22), "0.0.0.0/0")])
    net.instance(sgs=["sg-b", "sg"])
    result = analyse(net.build())
    [exposure] = result.exposures
    assert exposure.path[4].resource == "sg"
    assert exposure.path[4].detail == "ingress tcp 0-65535 from 0.0.0.0/0"


def test_rule_referencing_a_group_admits_no_internet_source() -> None:
    net = public_net(sg_rules=[ingress("tcp", (22, 22), group="sg-bastion")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == ["ENI_SG_RULES_MISMATCH"]


def test_group_without_ingress_rules() -> None:
    net = public_net(sg_rules=[])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert codes(result, "web") == ["SG_HAS_NO_RULES"]


def test_no_groups_means_the_implicit_default_group() -> None:
    net = public_net()
    net.instance(sgs=[])
    result = analyse(net.build())
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.code == "ENI_SG_RULES_MISMATCH"
    assert blocker.resource == "vpc default security group"


def test_no_groups_means_the_declared_default_group() -> None:
    net = public_net()
    net.sg(
        "aws_default_security_group.d",
        rules=[ingress("tcp", (80, 80), "0.0.0.0/0")],
        is_default=True,
    )
    net.instance(sgs=[])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 80)
    assert result.exposures[0].path[4].resource == "aws_default_security_group.d"


def test_sources_are_reported_as_configured() -> None:
    net = public_net(
        sg_rules=[
            ingress("tcp", (22, 22), "0.0.0.0/0"),
            ingress("tcp", (3389, 3389), "198.51.100.0/24"),
        ]
    )
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert [e.sources for e in result.exposures] == [("0.0.0.0/0",), ("198.51.100.0/24",)]
    assert not reaches(result, "web", "10.1.2.3", 6, 22)  # not an internet source


def test_private_only_cidr_admits_nothing_from_the_internet() -> None:
    net = public_net(sg_rules=[ingress("tcp", (22, 22), "10.0.0.0/8")])
    net.instance(sgs=["sg"])
    assert codes(analyse(net.build()), "web") == ["ENI_SG_RULES_MISMATCH"]


def test_prefix_list_rule_is_permissive_with_assumption() -> None:
    net = public_net(sg_rules=[ingress("tcp", (443, 443), prefix_list="pl-corp")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 443)
    assert any("pl-corp" in a for a in result.exposures[0].assumptions)


def test_unknown_rule_cidr_and_ports_are_permissive() -> None:
    net = public_net(
        sg_rules=[ingress("tcp", (unknown("var.port"), unknown("var.port")), unknown("var.cidr"))]
    )
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 8080)
    assert set(result.exposures[0].assumptions) >= {"var.port", "var.cidr"}


def test_unknown_group_reference_is_permissive() -> None:
    net = public_net()
    net.instance(sgs=[unknown("data.aws_security_group.shared")])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 17, 53)
    assert "data.aws_security_group.shared" in result.exposures[0].assumptions


def test_icmp_rule_type_and_all_types() -> None:
    net = public_net(sg_rules=[ingress("icmp", (8, 0), "0.0.0.0/0")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 1, 8)
    assert not reaches(result, "web", "1.2.3.4", 1, 3)
    net = public_net(sg_rules=[ingress("icmp", (-1, -1), "0.0.0.0/0")])
    net.instance(sgs=["sg"])
    [exposure] = analyse(net.build()).exposures
    assert (exposure.protocol, exposure.ports) == ("icmp", ((0, 255),))


def test_other_protocol_has_no_ports() -> None:
    net = public_net(sg_rules=[ingress("47", None, "0.0.0.0/0")])
    net.instance(sgs=["sg"])
    [exposure] = analyse(net.build()).exposures
    assert (exposure.protocol, exposure.ports) == ("47", ())
