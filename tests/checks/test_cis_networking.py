"""CIS section 5 checks on hand-built models."""

from __future__ import annotations

from typing import Any

from policycheck.checks import cis_networking as net
from policycheck.checks.cis_aws_foundations import V3, V5
from policycheck.model import (
    EbsEncryptionByDefault,
    Instance,
    LaunchTemplate,
    MetadataOptions,
    Model,
    NaclEntry,
    NetworkAcl,
    Route,
    RouteTable,
    RouteTargetKind,
    SecurityGroup,
    SgRule,
    Unknown,
    Vpc,
    VpcPeeringConnection,
)
from tests.checks.cis_helpers import run, src

ADMIN: dict[str, Any] = {"admin_ports": [22, 3389], "sources": ["0.0.0.0/0", "::/0"]}


def _sg(*rules: SgRule, default: bool = False, vpc: str = "vpc") -> SecurityGroup:
    return SecurityGroup(id="sg", source=src("sg"), vpc=vpc, rules=list(rules),
                         is_default=default)


def _ingress(protocol: str | Unknown, low: int | None, high: int | None,
             cidr: str | Unknown, line: int = 5) -> SgRule:
    return SgRule(direction="ingress", protocol=protocol, from_port=low, to_port=high,
                  cidr=cidr, source=src("sg", line))


def test_admin_port_findings_name_the_control_of_their_address_family() -> None:
    model = Model(unit=".", security_groups=[_sg(_ingress("tcp", 22, 22, "0.0.0.0/0", 5),
                                                 _ingress("tcp", 3389, 3389, "::/0", 9))])
    findings = run(net.sg_admin_ports, model, ("5.3", "5.4"), ("5.2", "5.3"), **ADMIN)
    by_line = {f.line: f.frameworks for f in findings}
    assert by_line == {5: {V5: ["5.3"], V3: ["5.2"]}, 9: {V5: ["5.4"], V3: ["5.3"]}}


def test_all_protocols_and_wide_ranges_cover_admin_ports_but_icmp_does_not() -> None:
    model = Model(unit=".", security_groups=[_sg(
        _ingress("all", None, None, "0.0.0.0/0", 3), _ingress("udp", 0, 65535, "0.0.0.0/0", 4),
        _ingress("icmp", 22, 22, "0.0.0.0/0", 5), _ingress("tcp", 80, 443, "0.0.0.0/0", 6),
        _ingress("tcp", 22, 22, "10.0.0.0/8", 7))])
    findings = run(net.sg_admin_ports, model, **ADMIN)
    assert sorted(f.line for f in findings) == [3, 4]
    assert "22, 3389" in findings[0].message


def test_host_bits_are_canonicalised_and_unknown_sources_are_reported_conditionally() -> None:
    unknown = Unknown(reason="var.admin_cidr has no value")
    model = Model(unit=".", security_groups=[_sg(_ingress("tcp", 22, 22, "1.2.3.4/0", 3),
                                                 _ingress("tcp", 22, 22, unknown, 4))])
    findings = run(net.sg_admin_ports, model, ("5.3", "5.4"), **ADMIN)
    assert sorted(f.line for f in findings) == [3, 4]
    conditional = next(f for f in findings if f.line == 4)
    assert "var.admin_cidr has no value" in conditional.message
    assert conditional.frameworks == {V5: ["5.3"]}


def test_egress_is_ignored() -> None:
    rule = SgRule(direction="egress", protocol="all", cidr="0.0.0.0/0", source=src("sg"))
    assert not run(net.sg_admin_ports, Model(unit=".", security_groups=[_sg(rule)]), **ADMIN)


def test_cifs_reports_both_families_under_one_control() -> None:
    model = Model(unit=".", security_groups=[_sg(_ingress("tcp", 445, 445, "0.0.0.0/0", 3),
                                                 _ingress("tcp", 445, 445, "::/0", 4))])
    findings = run(net.sg_cifs, model, ("5.1.2",), cifs_ports=[445],
                   sources=["0.0.0.0/0", "::/0"])
    assert [f.frameworks for f in findings] == [{V5: ["5.1.2"]}] * 2


def _entry(number: int | Unknown, action: str, protocol: str, cidr: str,
           low: int | None = None, high: int | None = None) -> NaclEntry:
    return NaclEntry(rule_number=number, egress=False, protocol=protocol, action=action,
                     cidr=cidr, from_port=low, to_port=high, source=src("acl", 10))


def _acl(*entries: NaclEntry) -> Model:
    return Model(unit=".", network_acls=[NetworkAcl(id="acl", source=src("acl"), vpc="vpc",
                                                    entries=list(entries))])


NACL: dict[str, Any] = {"admin_ports": [22, 3389], "sources": ["0.0.0.0/0"]}


def test_nacl_allow_from_anywhere_is_reported_unless_an_earlier_deny_shadows_it() -> None:
    assert run(net.nacl_admin_ports, _acl(_entry(100, "allow", "tcp", "0.0.0.0/0", 22, 22)),
               **NACL)
    shadowed = _acl(_entry(50, "deny", "tcp", "0.0.0.0/0", 0, 1024),
                    _entry(100, "allow", "tcp", "0.0.0.0/0", 22, 22))
    assert not run(net.nacl_admin_ports, shadowed, **NACL)
    later_deny = _acl(_entry(200, "deny", "all", "0.0.0.0/0"),
                      _entry(100, "allow", "all", "0.0.0.0/0"))
    findings = run(net.nacl_admin_ports, later_deny, **NACL)
    assert len(findings) == 1 and "22, 3389" in findings[0].message


def test_nacl_ipv6_and_narrow_sources_are_not_5_2() -> None:
    model = _acl(_entry(100, "allow", "all", "::/0"), _entry(110, "allow", "all", "10.0.0.0/8"))
    assert not run(net.nacl_admin_ports, model, **NACL)


def test_nacl_unknown_rule_number_is_never_shadowed() -> None:
    unknown = Unknown(reason="var.n")
    model = _acl(_entry(50, "deny", "tcp", "0.0.0.0/0", 22, 22),
                 _entry(unknown, "allow", "tcp", "0.0.0.0/0", 22, 22))
    findings = run(net.nacl_admin_ports, model, **NACL)
    assert len(findings) == 1 and "var.n" in findings[0].message


def test_default_group_with_rules_and_unmanaged_default_groups() -> None:
    rule = _ingress("tcp", 443, 443, "10.0.0.0/8")
    model = Model(unit=".", vpcs=[Vpc(id="vpc", source=src("vpc")),
                                  Vpc(id="other", source=src("other"))],
                  security_groups=[_sg(rule, default=True)])
    findings = run(net.default_sg_restricts_all, model, report_unmanaged=True)
    assert sorted(f.resource for f in findings) == ["other", "sg"]
    assert [f.resource for f in run(net.default_sg_restricts_all, model,
                                    report_unmanaged=False)] == ["sg"]


def _peering_model(destination: str, peer_blocks: list[str]) -> Model:
    return Model(
        unit=".",
        vpcs=[Vpc(id="a", source=src("a"), cidr_blocks=["10.0.0.0/16"]),
              Vpc(id="b", source=src("b"), cidr_blocks=peer_blocks)],
        vpc_peering_connections=[VpcPeeringConnection(id="pcx", source=src("pcx"), vpc="a",
                                                      peer_vpc="b")],
        route_tables=[RouteTable(id="rt", source=src("rt"), vpc="a", routes=[
            Route(destination=destination, target_kind=RouteTargetKind.VPC_PEERING,
                  target="pcx", source=src("rt", 7))])])


def test_peering_routes() -> None:
    def fired(destination: str, whole: bool = True, blocks: list[str] | None = None) -> bool:
        model = _peering_model(destination, blocks or ["10.1.0.0/16"])
        return bool(run(net.peering_least_access, model, allow_whole_peer_vpc=whole))

    assert fired("0.0.0.0/0")
    assert fired("10.0.0.0/8")  # wider than the peer VPC
    assert not fired("10.1.0.0/16")
    assert fired("10.1.0.0/16", whole=False)
    assert not fired("10.1.3.0/24", whole=False)
    assert not fired("10.1.3.0/24", blocks=[])  # peer blocks unknown: only /0 is judged


def test_imdsv2() -> None:
    required = MetadataOptions(http_tokens="required")
    optional = MetadataOptions(http_tokens="optional")
    disabled = MetadataOptions(http_endpoint="disabled", http_tokens="optional")
    unknown = MetadataOptions(http_tokens=Unknown(reason="var.tokens"))
    model = Model(unit=".", instances=[
        Instance(id="ok", source=src("ok"), metadata_options=required),
        Instance(id="v1", source=src("v1"), metadata_options=optional),
        Instance(id="off", source=src("off"), metadata_options=disabled),
        Instance(id="unset", source=src("unset")),
    ], launch_templates=[LaunchTemplate(id="lt", source=src("lt"), metadata_options=unknown)])
    findings = run(net.imdsv2_required, model)
    assert sorted(f.resource for f in findings) == ["lt", "unset", "v1"]
    assert "var.tokens" in next(f.message for f in findings if f.resource == "lt")


def test_ebs_default_encryption_is_account_scoped() -> None:
    off = EbsEncryptionByDefault(id="ebs", source=src("ebs"), enabled=False)
    assert [f.resource for f in run(net.ebs_default_encryption,
                                    Model(unit=".", ebs_encryption_by_default=[off]))] == ["ebs"]
    app = Model(unit=".", vpcs=[Vpc(id="vpc", source=src("vpc"))])
    assert not run(net.ebs_default_encryption, app)
    assert run(net.ebs_default_encryption, app, account_scope="always")
    assert run(net.ebs_default_encryption, Model(unit=".", ebs_encryption_by_default=[off]),
               account_scope="never")
