"""CIS AWS Foundations, section 5 (Networking), from templates."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Sequence

from policycheck.checks.cis_aws_foundations import (
    SATISFY_ELSEWHERE,
    controls,
    make_finding,
    missing_anchor,
    unknown_note,
)
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import (
    MetadataOptions,
    ModelObject,
    NaclEntry,
    RouteTargetKind,
    SgRule,
    Unknown,
    Vpc,
    VpcPeeringConnection,
    canonical_cidr,
)

IPV4_ANY, IPV6_ANY = "0.0.0.0/0", "::/0"


def _covered_ports(protocol: str | Unknown, from_port: int | Unknown | None,
                   to_port: int | Unknown | None, ports: Sequence[int]) -> list[int]:
    """The given TCP/UDP ports a rule admits; an unknown protocol or port counts as all."""
    if isinstance(protocol, str) and protocol not in ("tcp", "udp", "all"):
        return []
    if protocol == "all" or isinstance(protocol, Unknown):
        return list(ports)
    if from_port is None or to_port is None or isinstance(from_port, Unknown) \
            or isinstance(to_port, Unknown):
        return list(ports)
    low, high = (from_port, to_port) if from_port <= to_port else (to_port, from_port)
    if low < 0:  # -1 means every port
        return list(ports)
    return [port for port in ports if low <= port <= high]


def _ports_text(ports: Sequence[int]) -> str:
    return ", ".join(str(p) for p in ports)


def _ingress_from_anywhere(rule: SgRule, sources: Sequence[str]) -> str | Unknown | None:
    """The world CIDR the ingress rule admits, an Unknown when its CIDR is unknown, or
    None (not from anywhere)."""
    if rule.direction != "ingress" or rule.cidr is None:
        return None
    cidr = canonical_cidr(rule.cidr)
    if isinstance(cidr, Unknown):
        return cidr
    return cidr if cidr in sources else None


# 5.1.2: CIFS; 5.3 and 5.4: administration ports on security groups ----------------


def _sg_findings(ctx: CheckContext, ports: Sequence[int], service: str,
                 v4_control: str, v6_control: str) -> Iterator[Finding]:
    sources = [str(s) for s in ctx.params["sources"]]
    for group in ctx.model.security_groups:
        for rule in group.rules:
            world = _ingress_from_anywhere(rule, sources)
            if world is None:
                continue
            hit = _covered_ports(rule.protocol, rule.from_port, rule.to_port, ports)
            if not hit:
                continue
            ipv6 = isinstance(world, str) and ":" in world
            shown = world if isinstance(world, str) else "an unknown source"
            note = unknown_note(world, rule.protocol, rule.from_port, rule.to_port)
            protocol = rule.protocol if isinstance(rule.protocol, str) else "unknown"
            yield make_finding(
                ctx, group,
                f"Security group {group.id} allows {service} port(s) {_ports_text(hit)} "
                f"({protocol}) from {shown}{note}.",
                shown, protocol, _ports_text(hit), str(rule.source.line), at=rule.source,
                frameworks=controls(ctx, v6_control if ipv6 else v4_control))


def sg_admin_ports(ctx: CheckContext) -> Iterable[Finding]:
    """5.3 for 0.0.0.0/0, 5.4 for ::/0 (an unknown source counts as IPv4)."""
    ports = [int(p) for p in ctx.params["admin_ports"]]
    yield from _sg_findings(ctx, ports, "remote administration", "5.3", "5.4")


def sg_cifs(ctx: CheckContext) -> Iterable[Finding]:
    """5.1.2: CIFS/SMB from anywhere, either address family."""
    ports = [int(p) for p in ctx.params["cifs_ports"]]
    yield from _sg_findings(ctx, ports, "CIFS", "5.1.2", "5.1.2")


# 5.2: administration ports on network ACLs -------------------------------------------


def _shadowed(entry: NaclEntry, port: int, entries: Sequence[NaclEntry]) -> bool:
    """A lower-numbered deny for the same world CIDR and port is evaluated first."""
    if isinstance(entry.rule_number, Unknown):
        return False
    for other in entries:
        if (other.egress or other.action != "deny" or isinstance(other.rule_number, Unknown)
                or other.rule_number >= entry.rule_number or other.cidr != entry.cidr):
            continue
        if other.protocol not in ("all", entry.protocol):
            continue
        if _covered_ports(other.protocol, other.from_port, other.to_port, [port]):
            return True
    return False


def nacl_admin_ports(ctx: CheckContext) -> Iterable[Finding]:
    ports = [int(p) for p in ctx.params["admin_ports"]]
    sources = [str(s) for s in ctx.params["sources"]]
    for acl in ctx.model.network_acls:
        for entry in acl.entries:
            if entry.egress or entry.action == "deny":
                continue
            cidr = canonical_cidr(entry.cidr)
            if isinstance(cidr, str) and cidr not in sources:
                continue
            hit = [p for p in _covered_ports(entry.protocol, entry.from_port, entry.to_port,
                                             ports) if not _shadowed(entry, p, acl.entries)]
            if not hit:
                continue
            shown = cidr if isinstance(cidr, str) else "an unknown source"
            note = unknown_note(cidr, entry.action, entry.protocol, entry.rule_number)
            number = entry.rule_number if isinstance(entry.rule_number, int) else "?"
            yield make_finding(ctx, acl, f"Network ACL {acl.id} rule #{number} allows "
                               f"remote administration port(s) {_ports_text(hit)} from "
                               f"{shown}{note}.", str(number), _ports_text(hit),
                               at=entry.source)


# 5.5: the default security group restricts all traffic ------------------------------


def default_sg_restricts_all(ctx: CheckContext) -> Iterable[Finding]:
    managed: set[str] = set()
    for group in ctx.model.security_groups:
        if not group.is_default:
            continue
        if isinstance(group.vpc, str):
            managed.add(group.vpc)
        if group.rules:
            yield make_finding(ctx, group, f"The default security group {group.id} has "
                               f"{len(group.rules)} rule(s); it should allow no traffic so "
                               f"that resources placed in it by default are isolated.")
    if not ctx.params["report_unmanaged"]:
        return
    for vpc in ctx.model.vpcs:
        if vpc.id not in managed and not vpc.is_default:
            yield make_finding(ctx, vpc, f"VPC {vpc.id} leaves its default security group "
                               f"with AWS's default rules (all traffic between members, all "
                               f"egress); manage it with no rules.", "unmanaged")


# 5.6: routing tables for VPC peering are "least access" -----------------------------


def _peer_blocks(ctx: CheckContext, peering: VpcPeeringConnection,
                 own_vpc: object) -> list[str] | None:
    """Known CIDR blocks of the VPC on the other side of a peering, or None."""
    blocks: list[str] = [b for b in peering.peer_cidr_blocks if isinstance(b, str)]
    for side in (peering.vpc, peering.peer_vpc):
        vpc = ctx.model.get(side)
        if isinstance(vpc, Vpc) and vpc.id != own_vpc:
            blocks += [b for b in (*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks)
                       if isinstance(b, str)]
    return blocks or None


def _within(destination: str, blocks: Sequence[str]) -> bool:
    net = ipaddress.ip_network(destination, strict=False)
    for block in blocks:
        other = ipaddress.ip_network(block, strict=False)
        if net.version == other.version and net.subnet_of(other):  # type: ignore[arg-type]
            return True
    return False


def peering_least_access(ctx: CheckContext) -> Iterable[Finding]:
    whole_vpc_ok = bool(ctx.params["allow_whole_peer_vpc"])
    for table in ctx.model.route_tables:
        for route in table.routes:
            if route.target_kind is not RouteTargetKind.VPC_PEERING:
                continue
            destination = canonical_cidr(route.destination) if route.destination else None
            if not isinstance(destination, str):
                continue
            peering = ctx.model.get(route.target)
            blocks = (_peer_blocks(ctx, peering, table.vpc)
                      if isinstance(peering, VpcPeeringConnection) else None)
            reason = None
            if destination in (IPV4_ANY, IPV6_ANY):
                reason = "sends every address"
            elif blocks is not None and not _within(destination, blocks):
                reason = "covers addresses outside the peer VPC"
            elif blocks is not None and not whole_vpc_ok and destination in blocks:
                reason = "opens the whole peer VPC rather than the subnets that need it"
            if reason:
                yield make_finding(ctx, table, f"Route table {table.id} {reason} "
                                   f"({destination}) to peering connection {route.target}.",
                                   destination, at=route.source)


# 5.7: IMDSv2 only --------------------------------------------------------------------


def _imds_verdict(options: MetadataOptions | None) -> tuple[bool, list[object]]:
    if options is None:
        return False, []
    if options.http_endpoint == "disabled":
        return True, []
    return options.http_tokens == "required", [options.http_tokens, options.http_endpoint]


def imdsv2_required(ctx: CheckContext) -> Iterable[Finding]:
    hosts: list[tuple[ModelObject, MetadataOptions | None]] = [
        *((i, i.metadata_options) for i in ctx.model.instances),
        *((t, t.metadata_options) for t in ctx.model.launch_templates),
    ]
    for host, options in hosts:
        ok, unknowns = _imds_verdict(options)
        if not ok:
            setting = ("no metadata options (IMDSv1 stays available unless the AMI "
                       "defaults to IMDSv2)" if options is None else
                       "http_tokens not 'required'")
            yield make_finding(ctx, host, f"{host.id} allows IMDSv1: {setting}"
                               f"{unknown_note(*unknowns)}.")


# 5.1.1: EBS encryption by default ---------------------------------------------------


def ebs_default_encryption(ctx: CheckContext) -> Iterable[Finding]:
    settings = ctx.model.ebs_encryption_by_default
    for setting in settings:
        if setting.enabled is not True:
            yield make_finding(ctx, setting, f"EBS encryption by default is turned off"
                               f"{unknown_note(setting.enabled)}; new volumes in this "
                               f"region are created unencrypted unless each asks.")
    if settings:
        return
    anchor = missing_anchor(ctx, "account-defaults")
    if anchor is not None:
        yield make_finding(ctx, anchor, f"This unit manages account-level defaults but does "
                           f"not turn on EBS encryption by default. {SATISFY_ELSEWHERE}",
                           "missing")
