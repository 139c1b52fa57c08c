"""``policycheck reach``: the path, or every blocker with Reachability Analyzer codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.queries import QueryError, ReachQuery, reach
from policycheck.scan import ScanOptions, scan

EXAMPLES = Path(__file__).parents[1] / "examples"
WEB = EXAMPLES / "insecure-web"
runner = CliRunner()


def _reach(target: str, *extra: str, path: Path = WEB) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["reach", str(path), "--to", target, "--format", "json",
                                 *extra])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, object] = json.loads(result.stdout)
    return result.exit_code, document


def _codes(document: dict[str, object], family: str = "ipv4") -> list[tuple[str, object]]:
    blocked = document["blocked"]
    assert isinstance(blocked, list)
    return [(b["code"], b["rule_number"]) for path in blocked
            if path["address_family"] == family for b in path["blockers"]]


def test_private_instance_is_blocked_by_route_and_public_ip() -> None:
    code, document = _reach("aws_instance.app", "--from", "internet", "--port", "22")
    assert code == 1 and document["reachable"] is False
    assert _codes(document) == [("IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS", None),
                                ("NO_ROUTE_TO_DESTINATION", None)]


def test_nacl_deny_rule_is_named_with_its_number() -> None:
    code, document = _reach("aws_instance.web[0]", "--port", "22")
    assert code == 1
    assert _codes(document) == [("SUBNET_ACL_RESTRICTION", 90)]


def test_same_instance_on_an_allowed_port_is_reachable() -> None:
    code, document = _reach("aws_instance.web[0]", "--port", "443")
    assert code == 0 and document["reachable"] is True


def test_bastion_is_reachable_with_its_path() -> None:
    code, document = _reach("aws_instance.bastion", "--port", "22")
    assert code == 0
    paths = document["paths"]
    assert isinstance(paths, list) and len(paths) == 1
    hops = [hop["type"] for hop in paths[0]["path"]]
    assert hops == ["InternetGateway", "RouteTable", "NetworkAcl", "NetworkAcl",
                    "SecurityGroup", "Instance"]
    assert paths[0]["ports"] == [[22, 22]]


def test_closed_port_on_public_instance_is_a_security_group_mismatch() -> None:
    _, document = _reach("aws_instance.bastion", "--port", "80")
    assert _codes(document) == [("ENI_SG_RULES_MISMATCH", None)]


def test_text_output_names_codes_and_rule_numbers() -> None:
    result = runner.invoke(app, ["reach", str(WEB), "--to", "aws_instance.web[0]",
                                 "--port", "22"])
    assert result.exit_code == 1
    assert "SUBNET_ACL_RESTRICTION rule 90: aws_network_acl.public_b" in result.stdout


def test_cloudformation_example_gives_the_same_codes() -> None:
    _, document = _reach("App", "--port", "22", path=EXAMPLES / "insecure-web-cfn")
    assert [c for c, _ in _codes(document)] == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS",
                                                "NO_ROUTE_TO_DESTINATION"]


def test_address_source_is_checked_against_the_path_sources() -> None:
    code, _ = _reach("aws_instance.bastion", "--from", "198.51.100.7", "--port", "22")
    assert code == 0
    code, document = _reach("aws_instance.app", "--from", "10.9.0.1", "--port", "22")
    assert code == 1
    assert [c for c, _ in _codes(document)] == ["DISCONNECTED_VPCS"]


def test_unknown_resource_and_bad_source_exit_2() -> None:
    result = runner.invoke(app, ["reach", str(WEB), "--to", "aws_instance.nope"])
    assert result.exit_code == 2 and "not an endpoint" in result.output
    result = runner.invoke(app, ["reach", str(WEB), "--to", "aws_instance.app",
                                 "--from", "moon"])
    assert result.exit_code == 2 and "--from" in result.output


def test_library_query_raises_for_unknown_target() -> None:
    model = scan([WEB], ScanOptions(rules=("NET005",))).units[0].model
    with pytest.raises(QueryError):
        reach(model, ReachQuery(source="internet", target="aws_s3_bucket.none"))


def _codes_of(answer: object) -> list[str]:
    from policycheck.queries import ReachAnswer

    assert isinstance(answer, ReachAnswer)
    return [b.code for path in answer.blocked for b in path.blockers]


def test_target_behind_load_balancer() -> None:
    from tests.reachability.builders import lb_net

    model = lb_net().build()
    through = reach(model, ReachQuery(source="internet", target="web", port=8080))
    assert through.reachable and through.paths[0].load_balancer == "lb"
    other = reach(model, ReachQuery(source="internet", target="web", port=22))
    assert "TARGET_PORT_RESTRICTION" in _codes_of(other)
    listener = reach(model, ReachQuery(source="internet", target="lb", port=80))
    assert "ELB_LISTENER_PORT_RESTRICTION" in _codes_of(listener)
    assert reach(model, ReachQuery(source="internet", target="lb", port=443)).reachable


def test_vgw_query_names_the_missing_route_and_address() -> None:
    from tests.reachability.test_gateways_and_endpoints import _vpn_net

    routed = _vpn_net(["192.168.0.0/16"], True, []).build()
    assert reach(routed, ReachQuery(source="vgw", target="app", port=22)).reachable
    assert reach(routed, ReachQuery(source="192.168.4.4", target="app", port=22)).reachable
    outside = reach(routed, ReachQuery(source="172.20.0.1", target="app", port=22))
    assert _codes_of(outside) == ["DISCONNECTED_VPCS"]
    unrouted = _vpn_net(["192.168.0.0/16"], False, []).build()
    assert _codes_of(reach(unrouted, ReachQuery(source="vgw", target="app", port=22))) == [
        "NO_ROUTE_TO_DESTINATION"]


def test_peering_query_without_peering_is_disconnected() -> None:
    from tests.reachability.test_gateways_and_endpoints import _vpn_net

    model = _vpn_net(["192.168.0.0/16"], True, []).build()
    answer = reach(model, ReachQuery(source="peering", target="app", port=22))
    assert _codes_of(answer) == ["DISCONNECTED_VPCS"]
