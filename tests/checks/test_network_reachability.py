"""Classification of exposures into Inspector's finding types, on hand-made results."""

from __future__ import annotations

import pytest

from policycheck.checks.engine import run_checks
from policycheck.findings import Finding, Severity
from policycheck.model import Instance, Model, SourceRef
from policycheck.reachability.result import Exposure, Hop, PathKind, ReachabilityResult
from policycheck.rules.catalogue import load_catalogue

SRC = SourceRef(file="main.tf", line=40, address="aws_instance.web",
                resource_type="aws_instance")


def _model(tags: dict[str, str] | None = None) -> Model:
    return Model(unit=".", instances=[Instance(id="aws_instance.web", source=SRC,
                                               subnet="aws_subnet.a", tags=tags or {})])


def _exposure(protocol: str, ports: tuple[tuple[int, int], ...],
              kind: PathKind = PathKind.IGW, sources: tuple[str, ...] = ("0.0.0.0/0",),
              sg_rule: str = "ingress tcp from 0.0.0.0/0",
              assumptions: tuple[str, ...] = ()) -> Exposure:
    return Exposure(
        target="aws_instance.web", target_source=SRC, interface="aws_instance.web",
        path_kind=kind, protocol=protocol, ports=ports, sources=sources,
        path=(Hop(type="InternetGateway", resource="aws_internet_gateway.main",
                  detail="attached to aws_vpc.main"),
              Hop(type="SecurityGroup", resource="aws_security_group.web", detail=sg_rule,
                  source=SourceRef(file="sg.tf", line=7, address="aws_security_group.web",
                                   resource_type="aws_security_group"))),
        assumptions=assumptions)


def _run(model: Model, *exposures: Exposure) -> list[Finding]:
    rules = [r for r in load_catalogue().values() if r.package == "network-reachability"]
    return run_checks(model, ReachabilityResult(exposures=exposures), rules)


def _by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def test_no_agent_for_each_recognized_service_without_declared_listeners() -> None:
    findings = _run(_model(), _exposure("tcp", ((20, 23),)))
    no_agent = _by_rule(findings, "NET003")
    assert {(f.message.split(" (")[0], tuple(f.ports or ())) for f in no_agent} == {
        ("FTP", ((20, 21),)), ("SSH", ((22, 22),)), ("Telnet", ((23, 23),))}
    severities = {f.message.split(" (")[0]: f.severity for f in no_agent}
    assert severities == {"FTP": Severity.HIGH, "SSH": Severity.MEDIUM,
                          "Telnet": Severity.HIGH}
    assert not _by_rule(findings, "NET001") and not _by_rule(findings, "NET002")


def test_declared_listeners_split_served_idle_and_unrecognized() -> None:
    model = _model({"policycheck:listeners": "tcp/22, tcp/9000"})
    findings = _run(model, _exposure("tcp", ((0, 65535),)))
    with_listener = _by_rule(findings, "NET001")
    assert [(f.ports, f.severity) for f in with_listener] == [([(22, 22)], Severity.MEDIUM)]
    idle = _by_rule(findings, "NET002")
    assert len(idle) == 1, "idle recognized ports are aggregated per exposure"
    assert (3389, 3389) in (idle[0].ports or [])
    assert (22, 22) not in (idle[0].ports or [])
    assert idle[0].severity is Severity.MEDIUM  # most severe service HIGH, lowered one step
    unrecognized = _by_rule(findings, "NET004")
    assert [(f.ports, f.severity) for f in unrecognized] == [([(9000, 9000)], Severity.LOW)]
    assert not _by_rule(findings, "NET003")


def test_udp_listener_does_not_serve_tcp_port() -> None:
    model = _model({"policycheck:listeners": "udp/53"})
    findings = _run(model, _exposure("tcp", ((53, 53),)))
    assert not _by_rule(findings, "NET001")
    assert [f.ports for f in _by_rule(findings, "NET002")] == [[(53, 53)]]


def test_protocol_all_covers_tcp_and_udp_services() -> None:
    findings = _run(_model(), _exposure("all", ((0, 65535),)))
    protocols = {f.protocol for f in _by_rule(findings, "NET003")}
    assert protocols == {"tcp", "udp"}
    aggregate = _by_rule(findings, "NET005")
    assert {(f.protocol, tuple(f.ports or ())) for f in aggregate} == {
        ("tcp", ((0, 65535),)), ("udp", ((0, 65535),))}


def test_icmp_exposure_yields_no_port_findings() -> None:
    findings = _run(_model(), _exposure("icmp", ((8, 8),)))
    assert findings == []


def test_peering_path_lowers_severity() -> None:
    findings = _run(_model(), _exposure("tcp", ((22, 22),), kind=PathKind.PEERING))
    assert [f.severity for f in _by_rule(findings, "NET003")] == [Severity.LOW]


def test_aggregate_merges_paths_per_interface_and_protocol() -> None:
    findings = _run(_model(), _exposure("tcp", ((22, 22),)),
                    _exposure("tcp", ((80, 80),), sources=("203.0.113.0/24",),
                              sg_rule="ingress tcp 80 from 203.0.113.0/24"))
    aggregate = _by_rule(findings, "NET005")
    assert len(aggregate) == 1
    assert aggregate[0].ports == [(22, 22), (80, 80)]
    assert aggregate[0].sources == ["0.0.0.0/0", "203.0.113.0/24"]
    assert aggregate[0].severity is Severity.INFORMATIONAL


def test_finding_carries_path_location_and_assumptions() -> None:
    exposure = _exposure("tcp", ((22, 22),), assumptions=("var.cidr has no value",))
    finding = _by_rule(_run(_model(), exposure), "NET003")[0]
    assert (finding.file, finding.line, finding.resource) == ("main.tf", 40, "aws_instance.web")
    assert finding.resource_type == "aws_instance"
    assert finding.path and finding.path[1].file == "sg.tf" and finding.path[1].line == 7
    assert "Conditional on: var.cidr has no value" in finding.message
    assert finding.assumptions == ["var.cidr has no value"]


def test_fingerprint_is_stable_across_line_moves_and_distinct_per_port() -> None:
    first = _by_rule(_run(_model(), _exposure("tcp", ((22, 23),))), "NET003")
    moved_source = SRC.model_copy(update={"line": 99})
    moved = _exposure("tcp", ((22, 23),)).model_copy(update={"target_source": moved_source})
    second = _by_rule(_run(_model(), moved), "NET003")
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert len({f.fingerprint for f in first}) == 2


@pytest.mark.parametrize("tag, expected", [
    ("tcp/22", [(22, 22)]), ("22", [(22, 22)]), ("tcp/20-23", [(20, 21), (22, 22), (23, 23)]),
])
def test_listener_tag_forms(tag: str, expected: list[tuple[int, int]]) -> None:
    findings = _run(_model({"policycheck:listeners": tag}), _exposure("tcp", ((20, 23),)))
    assert sorted(p for f in _by_rule(findings, "NET001") for p in f.ports or []) == expected
