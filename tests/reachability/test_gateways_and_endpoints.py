"""VGW, peering and transit paths; databases, ECS tasks and managed public endpoints."""

from __future__ import annotations

from policycheck.model import (
    DbInstance,
    DbSubnetGroup,
    EksCluster,
    LambdaFunction,
    LambdaFunctionUrl,
    OpenSearchDomain,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from policycheck.reachability import PathKind, ReachabilityResult, analyse
from tests.reachability.builders import Net, add, ingress, public_net, route, src


def _of(result: ReachabilityResult, target: str,
        kind: PathKind) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((e.protocol, e.sources) for e in result.exposures
                  if e.target == target and e.path_kind is kind)


def _vpn_net(static: list[str] | None, propagate: bool, routes: list[object]) -> Net:
    net = Net()
    net.vpc()
    net.subnet(cidr="10.0.1.0/24")
    add(net, "vpn_gateways", VpnGateway(id="vgw", source=src("vgw"), vpc="vpc"))
    add(net, "vpn_connections", VpnConnection(
        id="vpn", source=src("vpn"), vpn_gateway="vgw", static_routes_only=static is not None,
        static_routes=static or []))
    net.route_table(routes=routes, subnets=["subnet"])  # type: ignore[arg-type]
    if propagate:
        table = net.parts["route_tables"][0]
        net.parts["route_tables"] = [table.model_copy(update={"propagating_vgws": ["vgw"]})]
    net.sg(rules=[ingress("tcp", (22, 22), "0.0.0.0/0")])
    net.instance("app", sgs=["sg"])
    return net


def test_vgw_static_route_exposes_to_on_premises_prefix() -> None:
    net = _vpn_net(["192.168.0.0/16"], False, [route("192.168.0.0/16", "vgw", kind="vgw")])
    result = analyse(net.build())
    assert _of(result, "app", PathKind.VGW) == [("tcp", ("192.168.0.0/16",))]


def test_vgw_needs_a_route_back_or_propagation() -> None:
    no_route = analyse(_vpn_net(["192.168.0.0/16"], False, []).build())
    assert _of(no_route, "app", PathKind.VGW) == []
    verdict = next(v for v in no_route.verdicts if v.path_kind is PathKind.VGW)
    assert "NO_ROUTE_TO_DESTINATION" in {b.code for b in verdict.blockers}
    propagated = analyse(_vpn_net(["192.168.0.0/16"], True, []).build())
    assert _of(propagated, "app", PathKind.VGW) == [("tcp", ("192.168.0.0/16",))]


def test_dynamic_vpn_means_any_on_premises_address() -> None:
    result = analyse(_vpn_net(None, True, []).build())
    exposure = next(e for e in result.exposures if e.path_kind is PathKind.VGW)
    assert any("any on-premises address" in a for a in exposure.assumptions)


def test_peering_needs_routes_on_both_sides_and_admits_peer_group() -> None:
    net = Net()
    net.vpc("a", cidr="10.0.0.0/16")
    net.vpc("b", cidr="10.1.0.0/16")
    net.subnet("sa", vpc="a", cidr="10.0.1.0/24")
    net.subnet("sb", vpc="b", cidr="10.1.1.0/24")
    add(net, "vpc_peering_connections", VpcPeeringConnection(
        id="pcx", source=src("pcx"), vpc="a", peer_vpc="b"))
    net.route_table("rta", vpc="a", routes=[route("10.1.0.0/16", "pcx")], subnets=["sa"])
    net.route_table("rtb", vpc="b", routes=[route("10.0.0.0/16", "pcx")], subnets=["sb"])
    net.sg("sg-client", vpc="b", rules=[])
    net.sg("sg-db", vpc="a", rules=[ingress("tcp", (5432, 5432), group="sg-client")])
    net.instance("client", subnet="sb", sgs=["sg-client"])
    net.instance("db", subnet="sa", sgs=["sg-db"])
    result = analyse(net.build())
    assert _of(result, "db", PathKind.PEERING) == [("tcp", ("10.1.1.0/24",))]
    # Without the peer's route back, nothing comes through.
    net.parts["route_tables"][1] = net.parts["route_tables"][1].model_copy(update={"routes": []})
    assert _of(analyse(net.build()), "db", PathKind.PEERING) == []


def test_publicly_accessible_database_in_public_subnet() -> None:
    net = public_net(sg_rules=[ingress("tcp", (5432, 5432), "0.0.0.0/0")])
    add(net, "db_subnet_groups", DbSubnetGroup(id="dbsg", source=src("dbsg"),
                                               subnets=["subnet"]))
    add(net, "db_instances", DbInstance(id="db", source=src("db", "aws_db_instance"),
                                        publicly_accessible=True, subnet_group="dbsg",
                                        security_groups=["sg"]))
    result = analyse(net.build())
    assert _of(result, "db", PathKind.IGW) == [("tcp", ("0.0.0.0/0",))]
    private = net.parts["db_instances"][0].model_copy(update={"publicly_accessible": False})
    net.parts["db_instances"] = [private]
    result = analyse(net.build())
    assert _of(result, "db", PathKind.IGW) == []
    verdict = next(v for v in result.verdicts if v.target == "db" and v.address_family == "ipv4")
    assert verdict.blockers[0].code == "IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"


def test_managed_public_endpoints() -> None:
    net = Net()
    add(net, "eks_clusters", EksCluster(id="eks", source=src("eks"),
                                        public_access_cidrs=["203.0.113.9/24"]))
    add(net, "opensearch_domains", OpenSearchDomain(id="search", source=src("search"),
                                                    enforce_https=True))
    add(net, "lambda_functions", LambdaFunction(id="fn", source=src("fn")))
    add(net, "lambda_function_urls", LambdaFunctionUrl(id="url", source=src("url"),
                                                       function="fn", authorization_type="NONE"))
    result = analyse(net.build())
    assert _of(result, "eks", PathKind.IGW) == [("tcp", ("203.0.113.0/24",))]
    assert [e.ports for e in result.exposures if e.target == "search"] == [((443, 443),)]
    assert _of(result, "fn", PathKind.IGW) == [("tcp", ("0.0.0.0/0", "::/0"))]
