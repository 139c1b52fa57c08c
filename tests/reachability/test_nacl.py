"""Network ACLs: ordering, first match, implicit deny, stateless return traffic."""

from __future__ import annotations

from policycheck.model import NaclEntry
from policycheck.reachability import analyse
from tests.reachability.builders import entry, ingress, public_net, reaches, route, unknown, verdict

ALLOW_ALL_OUT = entry(100, "allow", "all", "0.0.0.0/0", egress=True)


def _result(entries: list[NaclEntry], sg_rules: list | None = None, is_default: bool = False):  # type: ignore[no-untyped-def,type-arg]
    net = public_net(sg_rules=sg_rules)
    net.nacl(entries=entries, subnets=[] if is_default else ["subnet"], is_default=is_default)
    net.instance(sgs=["sg"])
    return analyse(net.build())


def test_deny_before_allow_blocks() -> None:
    result = _result(
        [
            entry(100, "deny", "tcp", "0.0.0.0/0", (22, 22)),
            entry(200, "allow", "all", "0.0.0.0/0"),
            ALLOW_ALL_OUT,
        ]
    )
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.code == "SUBNET_ACL_RESTRICTION"
    assert blocker.detail == "inbound #100 deny tcp 22 from 0.0.0.0/0"
    assert blocker.source is not None


def test_allow_before_deny_passes_and_names_the_rule() -> None:
    result = _result(
        [
            entry(200, "deny", "tcp", "0.0.0.0/0", (22, 22)),
            entry(100, "allow", "tcp", "0.0.0.0/0", (22, 22)),
            ALLOW_ALL_OUT,
        ]
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    hops = result.exposures[0].path
    assert hops[2].detail == "#100 allow tcp 22 from 0.0.0.0/0"
    assert hops[3].detail == "#100 allow all to 0.0.0.0/0 (return traffic)"


def test_deny_of_part_of_the_sources_carves_them_out() -> None:
    result = _result(
        [
            entry(90, "deny", "all", "203.0.113.0/24"),
            entry(100, "allow", "all", "0.0.0.0/0"),
            ALLOW_ALL_OUT,
        ]
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert not reaches(result, "web", "203.0.113.5", 6, 22)


def test_implicit_deny_when_nothing_matches() -> None:
    result = _result([entry(100, "allow", "tcp", "0.0.0.0/0", (80, 80)), ALLOW_ALL_OUT])
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert (blocker.code, blocker.detail) == ("SUBNET_ACL_RESTRICTION", "inbound implicit deny")


def test_egress_blocking_ephemeral_ports_blocks_return() -> None:
    result = _result(
        [
            entry(100, "allow", "all", "0.0.0.0/0"),
            entry(100, "allow", "tcp", "0.0.0.0/0", (0, 1023), egress=True),
        ]
    )
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.detail == "outbound implicit deny (return traffic)"


def test_egress_allowing_only_high_ephemeral_ports_is_enough() -> None:
    result = _result(
        [
            entry(100, "allow", "all", "0.0.0.0/0"),
            entry(100, "allow", "tcp", "0.0.0.0/0", (32768, 65535), egress=True),
        ]
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert result.exposures[0].path[3].detail == (
        "#100 allow tcp 32768-65535 to 0.0.0.0/0 (return traffic)"
    )


def test_egress_deny_first_then_allow_for_other_ports() -> None:
    result = _result(
        [
            entry(100, "allow", "all", "0.0.0.0/0"),
            entry(50, "deny", "tcp", "0.0.0.0/0", (1024, 65535), egress=True),
            entry(100, "allow", "all", "0.0.0.0/0", egress=True),
        ]
    )
    assert not result.exposures
    [blocker] = verdict(result, "web").blockers
    assert blocker.detail == "outbound #50 deny tcp 1024-65535 to 0.0.0.0/0 (return traffic)"


def test_icmp_type_matching() -> None:
    rules = [ingress("icmp", (-1, -1), "0.0.0.0/0")]
    result = _result(
        [entry(100, "allow", "icmp", "0.0.0.0/0", icmp_type=8), ALLOW_ALL_OUT], sg_rules=rules
    )
    assert reaches(result, "web", "1.2.3.4", 1, 8)
    assert not reaches(result, "web", "1.2.3.4", 1, 0)
    [exposure] = result.exposures
    assert (exposure.protocol, exposure.ports) == ("icmp", ((8, 8),))
    assert exposure.path[2].detail == "#100 allow icmp type 8 from 0.0.0.0/0"


def test_protocol_all_split_by_nacl_restriction() -> None:
    rules = [ingress("all", None, "0.0.0.0/0")]
    result = _result(
        [
            entry(100, "deny", "tcp", "0.0.0.0/0", (23, 23)),
            entry(200, "allow", "all", "0.0.0.0/0"),
            ALLOW_ALL_OUT,
        ],
        sg_rules=rules,
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert not reaches(result, "web", "1.2.3.4", 6, 23)
    assert reaches(result, "web", "1.2.3.4", 17, 23)
    assert reaches(result, "web", "1.2.3.4", 47)
    tcp = [e for e in result.exposures if e.protocol == "tcp"]
    assert [e.ports for e in tcp] == [((0, 22), (24, 65535))]
    assert not any(e.protocol == "all" for e in result.exposures)


def test_protocol_all_everything_open_is_one_exposure() -> None:
    result = _result(
        [entry(100, "allow", "all", "0.0.0.0/0"), ALLOW_ALL_OUT],
        sg_rules=[ingress("all", None, "0.0.0.0/0")],
    )
    [exposure] = result.exposures
    assert (exposure.protocol, exposure.ports, exposure.sources) == (
        "all",
        ((0, 65535),),
        ("0.0.0.0/0",),
    )


def test_declared_default_nacl_applies_with_its_entries_only() -> None:
    result = _result([entry(100, "allow", "tcp", "0.0.0.0/0", (80, 80))], is_default=True)
    assert not result.exposures
    assert {b.detail for b in verdict(result, "web").blockers} == {
        "inbound implicit deny",
        "outbound implicit deny (return traffic)",
    }


def test_implicit_default_nacl_allows_all() -> None:
    result = _result([], is_default=False)  # a NACL guarding the subnet with no entries
    assert not result.exposures
    net = public_net()
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert result.exposures[0].path[2].detail == "default NACL allows all"
    assert result.exposures[0].path[2].source is None


def test_unknown_deny_matches_nothing_and_is_recorded() -> None:
    result = _result(
        [
            entry(100, "deny", "tcp", unknown("var.blocked_cidr"), (22, 22)),
            entry(200, "allow", "all", "0.0.0.0/0"),
            ALLOW_ALL_OUT,
        ]
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert any("var.blocked_cidr" in a for a in result.exposures[0].assumptions)


def test_unknown_allow_cidr_matches_everything() -> None:
    result = _result(
        [entry(100, "allow", "tcp", unknown("var.admin_cidr"), (22, 22)), ALLOW_ALL_OUT]
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert "var.admin_cidr" in result.exposures[0].assumptions


def test_unknown_allow_ports_match_every_port() -> None:
    result = _result(
        [
            entry(100, "allow", "tcp", "0.0.0.0/0", (unknown("var.port"), unknown("var.port"))),
            ALLOW_ALL_OUT,
        ],
        sg_rules=[ingress("tcp", (0, 65535), "0.0.0.0/0")],
    )
    assert reaches(result, "web", "1.2.3.4", 6, 4444)
    assert "var.port" in result.exposures[0].assumptions


def test_allow_with_unknown_rule_number_is_assumed_first() -> None:
    result = _result(
        [
            entry(100, "deny", "all", "0.0.0.0/0"),
            entry(unknown("var.rule_number"), "allow", "tcp", "0.0.0.0/0", (22, 22)),
            ALLOW_ALL_OUT,
        ]
    )
    assert reaches(result, "web", "1.2.3.4", 6, 22)
    assert "var.rule_number" in result.exposures[0].assumptions


def test_every_blocking_component_is_listed() -> None:
    net = public_net(routes=[route("0.0.0.0/0", "nat")], map_public=False, sg_rules=[])
    net.nat()
    net.nacl(entries=[entry(100, "deny", "all", "0.0.0.0/0")], subnets=["subnet"])
    net.instance(sgs=["sg"])
    result = analyse(net.build())
    assert [b.code for b in verdict(result, "web").blockers] == [
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS",
        "SG_HAS_NO_RULES",
        "SUBNET_ACL_RESTRICTION",
        "SUBNET_ACL_RESTRICTION",
        "NO_ROUTE_TO_DESTINATION",
    ]
