"""Security groups, their rules, and network ACLs, with EC2's own defaults.

EC2 gives a new security group an allow-all egress rule to ``0.0.0.0/0`` unless the
group declares ``SecurityGroupEgress``; that rule is written into the model, so the
model states what AWS deploys. An empty list (or one emptied by ``AWS::NoValue``)
counts as not declaring egress. Separate ``AWS::EC2::SecurityGroupEgress`` resources
add to the default rule: EC2 removes it only for egress declared on the group.

Rules and entries declared on a VPC's default security group or network ACL
(``Fn::GetAtt Vpc.DefaultSecurityGroup``) are modelled on a default object that
starts with AWS's default rules.
"""

from __future__ import annotations

from policycheck.frontends.cloudformation.build_network import optional_cidr, required_ref
from policycheck.frontends.cloudformation.draft import BuildContext, ModelDraft
from policycheck.frontends.cloudformation.values import (
    Obj,
    Value,
    as_bool,
    as_int,
    as_list,
    as_ref,
    as_text,
    tags_of,
)
from policycheck.model import (
    NaclEntry,
    NetworkAcl,
    SecurityGroup,
    SgRule,
    SourceRef,
    Unknown,
    canonical_cidr,
    canonical_protocol,
)

PORTED_PROTOCOLS = frozenset({"tcp", "udp", "icmp", "icmpv6"})
"""Protocols whose rules carry ports (ICMP: type and code); EC2 ignores ports otherwise."""

_PEERS = {
    "ingress": (
        ("CidrIp", "cidr"),
        ("CidrIpv6", "cidr"),
        ("SourcePrefixListId", "prefix_list"),
        ("SourceSecurityGroupId", "security_group"),
        ("SourceSecurityGroupName", "group_name"),
    ),
    "egress": (
        ("CidrIp", "cidr"),
        ("CidrIpv6", "cidr"),
        ("DestinationPrefixListId", "prefix_list"),
        ("DestinationSecurityGroupId", "security_group"),
    ),
}


def group_by_name(draft: ModelDraft, name: Value) -> str | Unknown:
    """The security group of this template with GroupName ``name``."""
    if isinstance(name, Unknown):
        return name
    if isinstance(name, str):
        logical_id = draft.group_names.get(str(name))
        if logical_id is not None:
            return logical_id
    return Unknown(reason=f"security group named {name!r} is not declared in this template")


def security_group_rules(
    ctx: BuildContext, rule: Obj, direction: str, source: SourceRef
) -> list[SgRule]:
    """One SgRule per peer of a CloudFormation rule (ingress or egress)."""
    protocol = canonical_protocol(rule.get("IpProtocol", Unknown(reason="rule has no IpProtocol")))
    from_port: int | Unknown | None = None
    to_port: int | Unknown | None = None
    if isinstance(protocol, Unknown) or protocol in PORTED_PROTOCOLS:
        from_port, to_port = as_int(rule.get("FromPort")), as_int(rule.get("ToPort"))
    description = as_text(rule.get("Description"))
    rules: list[SgRule] = []
    for prop, field in _PEERS["egress" if direction == "egress" else "ingress"]:
        value = rule.get(prop)
        if value is None:
            continue
        peer: dict[str, str | Unknown] = {}
        if field == "cidr":
            peer["cidr"] = canonical_cidr(value)
        elif field == "group_name":
            peer["security_group"] = group_by_name(ctx.draft, value)
        else:
            peer[field] = as_ref(value, "prefix list" if field == "prefix_list" else "group")
        rules.append(
            SgRule(
                direction="egress" if direction == "egress" else "ingress",
                protocol=protocol,
                from_port=from_port,
                to_port=to_port,
                description=description if isinstance(description, str) else None,
                source=source,
                **peer,
            )
        )
    if not rules:
        ctx.notice(f"a {direction} rule has no CIDR, prefix list or group; ignored", source.line)
    return rules


def _allow_all_egress(source: SourceRef, cidr: str = "0.0.0.0/0") -> SgRule:
    return SgRule(direction="egress", protocol="all", cidr=cidr, source=source)


def build_security_group(ctx: BuildContext) -> None:
    """``AWS::EC2::SecurityGroup`` with its inline rules (and EC2's default egress)."""
    rules: list[SgRule] = []
    for direction, prop in (("ingress", "SecurityGroupIngress"), ("egress", "SecurityGroupEgress")):
        items = as_list(ctx.get(prop))
        if isinstance(items, Unknown):
            ctx.notice(f"{prop} is unknown ({items.reason}); its rules are not modelled")
            continue
        for item in items:
            if isinstance(item, Obj):
                rules.extend(security_group_rules(ctx, item, direction, ctx.source_at(item.line)))
    egress = as_list(ctx.get("SecurityGroupEgress"))
    if not isinstance(egress, Unknown) and not egress:
        rules.append(_allow_all_egress(ctx.source))
    vpc = ctx.get("VpcId")
    name = as_text(ctx.get("GroupName"))
    if name is None:  # CloudFormation generates one at deploy
        name = Unknown(reason=f"name of {ctx.id} is generated by CloudFormation")
    ctx.draft.security_groups[ctx.id] = SecurityGroup(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        vpc=None if vpc is None else as_ref(vpc, "VPC"),
        name=name,
        rules=rules,
    )


def build_security_group_rule(ctx: BuildContext) -> None:
    """``AWS::EC2::SecurityGroupIngress``/``Egress``, merged into its group."""
    direction = "egress" if ctx.decl.type.endswith("Egress") else "ingress"
    if ctx.get("GroupId") is not None:
        group_id = as_ref(ctx.get("GroupId"), "security group")
    else:
        group_id = group_by_name(ctx.draft, ctx.get("GroupName"))
    group = _group_or_default(ctx.draft, group_id)
    if group is None:
        ctx.notice(f"security group {group_id} is not in this template; the rule is not modelled")
        return
    rules = security_group_rules(ctx, ctx.props, direction, ctx.source)
    ctx.draft.security_groups[group.id] = group.model_copy(update={"rules": [*group.rules, *rules]})


def _group_or_default(draft: ModelDraft, group_id: str | Unknown) -> SecurityGroup | None:
    if not isinstance(group_id, str):
        return None
    if group_id in draft.security_groups:
        return draft.security_groups[group_id]
    vpc_id, _, attribute = group_id.rpartition(".")
    vpc = draft.vpcs.get(vpc_id)
    if attribute != "DefaultSecurityGroup" or vpc is None:
        return None
    # AWS's default group: all traffic from its own members, all traffic out.
    rules = [
        SgRule(direction="ingress", protocol="all", security_group=group_id, source=vpc.source),
        _allow_all_egress(vpc.source),
    ]
    if vpc.ipv6_cidr_blocks:
        rules.append(_allow_all_egress(vpc.source, "::/0"))
    group = SecurityGroup(
        id=group_id, source=vpc.source, vpc=vpc.id, rules=rules, is_default=True, name="default"
    )
    draft.security_groups[group_id] = group
    return group


def build_network_acl(ctx: BuildContext) -> None:
    """``AWS::EC2::NetworkAcl``: entries and subnets come from their own resources."""
    ctx.draft.network_acls[ctx.id] = NetworkAcl(
        id=ctx.id,
        source=ctx.source,
        tags=tags_of(ctx.get("Tags")),
        vpc=required_ref(ctx, "VpcId", "VPC"),
    )


def _acl_or_default(draft: ModelDraft, acl_id: str | Unknown) -> NetworkAcl | None:
    if not isinstance(acl_id, str):
        return None
    if acl_id in draft.network_acls:
        return draft.network_acls[acl_id]
    vpc_id, _, attribute = acl_id.rpartition(".")
    vpc = draft.vpcs.get(vpc_id)
    if attribute != "DefaultNetworkAcl" or vpc is None:
        return None
    # AWS's default NACL allows all traffic both ways (rule 100; 101 for IPv6).
    entries = [
        NaclEntry(
            rule_number=number,
            egress=egress,
            protocol="all",
            action="allow",
            cidr=cidr,
            source=vpc.source,
        )
        for egress in (False, True)
        for number, cidr in ((100, "0.0.0.0/0"), (101, "::/0"))
        if number == 100 or vpc.ipv6_cidr_blocks
    ]
    acl = NetworkAcl(id=acl_id, source=vpc.source, vpc=vpc.id, entries=entries, is_default=True)
    draft.network_acls[acl_id] = acl
    return acl


def build_network_acl_entry(ctx: BuildContext) -> None:
    """``AWS::EC2::NetworkAclEntry``, merged into its NACL."""
    acl_id = as_ref(ctx.get("NetworkAclId"), "network ACL")
    acl = _acl_or_default(ctx.draft, acl_id)
    if acl is None:
        ctx.notice(f"network ACL {acl_id} is not in this template; the entry is not modelled")
        return
    protocol = canonical_protocol(ctx.get("Protocol"))
    action_text = as_text(ctx.get("RuleAction"))
    action: str | Unknown = Unknown(reason=f"not a rule action: {action_text!r}")
    if isinstance(action_text, Unknown):
        action = action_text
    elif isinstance(action_text, str) and action_text.lower() in ("allow", "deny"):
        action = action_text.lower()
    egress = as_bool(ctx.get("Egress"))
    if isinstance(egress, Unknown):
        ctx.notice(f"Egress is unknown ({egress.reason}); assessed as an ingress entry")
    cidr = optional_cidr(ctx.get("CidrBlock") or ctx.get("Ipv6CidrBlock"))
    ports = _entry_ports(protocol, ctx.get("PortRange"), ctx.get("Icmp"))
    entry = NaclEntry(
        rule_number=_int_or_unknown(ctx.get("RuleNumber"), "RuleNumber"),
        egress=egress is True,
        protocol=protocol,
        action=action,
        cidr=cidr if cidr is not None else Unknown(reason=f"{ctx.id} has no CIDR block"),
        source=ctx.source,
        **ports,
    )
    ctx.draft.network_acls[acl.id] = acl.model_copy(update={"entries": [*acl.entries, entry]})


def _int_or_unknown(value: Value, name: str) -> int | Unknown:
    number = as_int(value)
    return Unknown(reason=f"{name} is missing") if number is None else number


def _entry_ports(
    protocol: str | Unknown, port_range: Value, icmp: Value
) -> dict[str, int | Unknown | None]:
    ports: dict[str, int | Unknown | None] = {}
    if protocol in ("tcp", "udp") or isinstance(protocol, Unknown):
        if isinstance(port_range, Obj):
            ports["from_port"] = as_int(port_range.get("From"))
            ports["to_port"] = as_int(port_range.get("To"))
        elif isinstance(port_range, Unknown):
            ports["from_port"] = ports["to_port"] = port_range
    if protocol in ("icmp", "icmpv6") or isinstance(protocol, Unknown):
        if isinstance(icmp, Obj):
            ports["icmp_type"] = as_int(icmp.get("Type"))
            ports["icmp_code"] = as_int(icmp.get("Code"))
        elif isinstance(icmp, Unknown):
            ports["icmp_type"] = ports["icmp_code"] = icmp
    return ports


def build_subnet_network_acl_association(ctx: BuildContext) -> None:
    """``AWS::EC2::SubnetNetworkAclAssociation``: adds the subnet to its NACL."""
    acl_id = as_ref(ctx.get("NetworkAclId"), "network ACL")
    acl = _acl_or_default(ctx.draft, acl_id)
    if acl is None:
        ctx.notice(f"network ACL {acl_id} is not in this template; the association is not modelled")
        return
    subnet = required_ref(ctx, "SubnetId", "subnet")
    ctx.draft.network_acls[acl.id] = acl.model_copy(update={"subnets": [*acl.subnets, subnet]})
