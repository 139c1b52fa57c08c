"""Internet gateways and return routes (longest-prefix match)."""

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


def test_missing_igw_blocks_with_no_route_to_destination() -> None:
    net = public_net()
    net.parts["internet_gateways"] = []
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    blockers = verdict(result, "web").blockers
    assert [b.code for b in blockers] == ["NO_ROUTE_TO_DESTINATION"]
    assert blockers[0].detail == "no internet gateway is attached to vpc"


def test_detached_igw_is_not_a_path() -> None:
    net = public_net()
    net.parts["internet_gateways"] = []
    net.igw("igw", vpc=None)
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == ["NO_ROUTE_TO_DESTINATION"]


def test_igw_hop_names_the_vpc() -> None:
    net = public_net()
    net.instance(sgs=["sg"])
    hop = analyse(net.build()).exposures[0].path[0]
    assert (hop.type, hop.resource, hop.detail) == ("InternetGateway", "igw", "attached to vpc")


def _net_with_tables() -> Net:
    net = Net()
    net.vpc()
    net.subnet(map_public_ip_on_launch=True)
    net.igw()
    net.nat()
    net.sg(rules=[ingress("tcp", (22, 22), "0.0.0.0/0")])
    net.instance(sgs=["sg"])
    return net


def test_explicit_association_wins_over_main() -> None:
    net = _net_with_tables()
    net.route_table("main", routes=[route("0.0.0.0/0", "igw")], is_main=True)
    net.route_table("private", routes=[route("0.0.0.0/0", "nat")], subnets=["subnet"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == ["NO_ROUTE_TO_DESTINATION"]


def test_main_route_table_association_is_used_without_explicit_one() -> None:
    net = _net_with_tables()
    net.route_table("flagged", routes=[route("0.0.0.0/0", "nat")], is_main=True)
    net.route_table("public", routes=[route("0.0.0.0/0", "igw")])
    net.main_association("public")
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert result.exposures[0].path[1].resource == "public"


def test_is_main_table_is_used_without_associations() -> None:
    net = _net_with_tables()
    net.route_table("main", routes=[route("0.0.0.0/0", "igw")], is_main=True)
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert result.exposures[0].path[1].detail == "0.0.0.0/0 -> igw"


def test_implicit_main_table_has_only_local_routes() -> None:
    net = _net_with_tables()
    result = analyse(net.build())
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.code == "NO_ROUTE_TO_DESTINATION"
    assert "implicit main route table" in blocker.detail


def test_more_specific_route_carves_out_sources() -> None:
    routes = [route("0.0.0.0/0", "igw"), route("203.0.113.0/24", "nat")]
    net = public_net(routes=routes)
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert not reaches(result, "web", "203.0.113.9", 6, 22)
    assert reaches(result, "web", "203.0.114.1", 6, 22)
    assert "203.0.113.0/24" not in result.exposures[0].sources


def test_more_specific_route_covering_all_allowed_sources_blocks() -> None:
    routes = [route("0.0.0.0/0", "igw"), route("203.0.113.0/24", "nat")]
    net = public_net(routes=routes, sg_rules=[ingress("tcp", (22, 22), "203.0.113.0/25")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.code == "MORE_SPECIFIC_ROUTE"
    assert blocker.detail.startswith("203.0.113.0/24 -> nat")
    assert blocker.source is not None


def test_return_route_only_via_nat_is_not_reachable() -> None:
    net = public_net(routes=[route("0.0.0.0/0", "nat")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures
    assert codes(result, "web") == ["NO_ROUTE_TO_DESTINATION"]


def test_igw_route_for_part_of_the_internet_only() -> None:
    net = public_net(routes=[route("198.51.100.0/24", "igw")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "198.51.100.7", 6, 22)
    assert not reaches(result, "web", "1.2.3.4", 6, 22)
    assert result.exposures[0].sources == ("198.51.100.0/24",)


def test_vpc_own_public_block_is_not_an_internet_source() -> None:
    net = public_net(sg_rules=[ingress("tcp", (22, 22), "198.51.100.0/24")])
    net.parts["vpcs"][0] = net.parts["vpcs"][0].model_copy(
        update={"cidr_blocks": ["10.0.0.0/16", "198.51.100.0/24"]}
    )
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert not result.exposures  # replies to those addresses are routed locally
    assert codes(result, "web") == ["ENI_SG_RULES_MISMATCH"]


def test_route_to_another_igw_is_not_to_the_attached_one() -> None:
    net = public_net(routes=[route("0.0.0.0/0", "igw-other", kind="igw")])
    net.instance(sgs=["sg"])
    assert not analyse(net.build()).exposures


def test_prefix_list_route_to_igw_is_permissive_with_assumption() -> None:
    net = public_net(routes=[route(None, "igw", prefix_list="pl-123")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert any("pl-123" in text for text in result.exposures[0].assumptions)


def test_prefix_list_route_elsewhere_does_not_match() -> None:
    net = public_net(routes=[route("0.0.0.0/0", "igw"), route(None, "nat", prefix_list="pl-1")])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert not result.exposures[0].assumptions


def test_unknown_route_target_is_assumed_to_be_the_igw() -> None:
    net = public_net(
        routes=[route("0.0.0.0/0", unknown("data.aws_internet_gateway.x"), kind="igw")]
    )
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert "data.aws_internet_gateway.x" in result.exposures[0].assumptions


def test_unknown_route_table_association_is_permissive() -> None:
    net = _net_with_tables()
    net.associate(unknown("module output route_table_id"), "subnet")
    result = analyse(net.build())
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert any("module output route_table_id" in a for a in result.exposures[0].assumptions)
