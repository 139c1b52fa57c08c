"""Mapping the template's resources onto the model, in two passes.

Pass one creates the objects that others refer to (VPCs, subnets, tables, groups,
NACLs...); pass two merges in what CloudFormation declares separately — routes, rule
resources, NACL entries, associations and attachments — and builds instances, whose
groups may be named. Within each pass resources are taken in template order, so the
model is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from policycheck.frontends.cloudformation import build_compute as compute
from policycheck.frontends.cloudformation import build_network as network
from policycheck.frontends.cloudformation import build_security as security
from policycheck.frontends.cloudformation.declarations import ResourceDecl
from policycheck.frontends.cloudformation.draft import BuildContext, ModelDraft
from policycheck.frontends.cloudformation.intrinsics import Resolver
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import NO_VALUE, Obj, as_text

Builder = Callable[[BuildContext], None]

FIRST_PASS: dict[str, Builder] = {
    "AWS::EC2::VPC": network.build_vpc,
    "AWS::EC2::Subnet": network.build_subnet,
    "AWS::EC2::RouteTable": network.build_route_table,
    "AWS::EC2::InternetGateway": network.build_internet_gateway,
    "AWS::EC2::EgressOnlyInternetGateway": network.build_egress_only_internet_gateway,
    "AWS::EC2::NatGateway": network.build_nat_gateway,
    "AWS::EC2::EIP": network.build_eip,
    "AWS::EC2::NetworkAcl": security.build_network_acl,
    "AWS::EC2::SecurityGroup": security.build_security_group,
    "AWS::EC2::NetworkInterface": compute.build_network_interface,
}

SECOND_PASS: dict[str, Builder] = {
    "AWS::EC2::VPCCidrBlock": network.build_vpc_cidr_block,
    "AWS::EC2::Route": network.build_route,
    "AWS::EC2::SubnetRouteTableAssociation": network.build_subnet_route_table_association,
    "AWS::EC2::GatewayRouteTableAssociation": network.build_gateway_route_table_association,
    "AWS::EC2::VPCGatewayAttachment": network.build_gateway_attachment,
    "AWS::EC2::EIPAssociation": network.build_eip_association,
    "AWS::EC2::SecurityGroupIngress": security.build_security_group_rule,
    "AWS::EC2::SecurityGroupEgress": security.build_security_group_rule,
    "AWS::EC2::NetworkAclEntry": security.build_network_acl_entry,
    "AWS::EC2::SubnetNetworkAclAssociation": security.build_subnet_network_acl_association,
    "AWS::EC2::Instance": compute.build_instance,
    "AWS::EC2::NetworkInterfaceAttachment": compute.build_network_interface_attachment,
}


@dataclass(frozen=True)
class Scope:
    """One template of a stack tree: its resources, resolver, file and diagnostics."""

    declarations: list[ResourceDecl]
    resolver: Resolver
    file: str
    sink: DiagnosticSink


HANDLED = frozenset({"AWS::CloudFormation::Stack"})
"""Types read elsewhere (nested stacks are opened by ``stack``), not reported as unmodelled."""


def build_model(scopes: list[Scope]) -> ModelDraft:
    """Map every active, modelled resource of every template of a stack tree (a parent
    and its nested stacks) into one draft; report each type not modelled, once."""
    draft = ModelDraft()
    contexts: list[BuildContext] = []
    for scope in scopes:
        active = [d for d in scope.declarations if scope.resolver.resource_is_active(d)]
        _report_unmodelled(active, scope.sink)
        for decl in active:
            if decl.type in FIRST_PASS or decl.type in SECOND_PASS:
                contexts.append(_context(decl, scope.resolver, scope.file, draft, scope.sink))
    for ctx in contexts:
        if ctx.decl.type == "AWS::EC2::SecurityGroup":
            name = as_text(ctx.get("GroupName"))
            if isinstance(name, str):
                draft.group_names.setdefault(name, ctx.id)
    for builders in (FIRST_PASS, SECOND_PASS):
        for ctx in contexts:
            builder = builders.get(ctx.decl.type)
            if builder is not None:
                builder(ctx)
    return draft


def _context(
    decl: ResourceDecl, resolver: Resolver, file: str, draft: ModelDraft, sink: DiagnosticSink
) -> BuildContext:
    props: Any = resolver.resolve(decl.properties, decl.line)
    if props is not None and props is not NO_VALUE and not isinstance(props, Obj):
        sink.error(decl.line, f"{decl.logical_id}: Properties must be a mapping")
    return BuildContext(
        decl=decl,
        props=props if isinstance(props, Obj) else Obj(line=decl.line),
        file=file,
        draft=draft,
        sink=sink,
        resolver=resolver,
    )


def _report_unmodelled(active: list[ResourceDecl], sink: DiagnosticSink) -> None:
    counts: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for decl in active:
        if decl.type in FIRST_PASS or decl.type in SECOND_PASS or decl.type in HANDLED:
            continue
        counts[decl.type] = counts.get(decl.type, 0) + 1
        first_line.setdefault(decl.type, decl.line)
    for kind, count in counts.items():
        plural = "resource" if count == 1 else "resources"
        sink.notice(
            first_line[kind], f"resource type {kind} is not modelled yet ({count} {plural})"
        )
