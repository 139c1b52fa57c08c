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

from policycheck.frontends.cloudformation import build_balancing as balancing
from policycheck.frontends.cloudformation import build_compute as compute
from policycheck.frontends.cloudformation import build_connectivity as connectivity
from policycheck.frontends.cloudformation import build_identity as identity
from policycheck.frontends.cloudformation import build_network as network
from policycheck.frontends.cloudformation import build_security as security
from policycheck.frontends.cloudformation import build_services as services
from policycheck.frontends.cloudformation.declarations import ResourceDecl
from policycheck.frontends.cloudformation.draft import BuildContext, ModelDraft
from policycheck.frontends.cloudformation.intrinsics import Resolver
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import NO_VALUE, Obj, as_text

Builder = Callable[[BuildContext], None]

def _gateway_attachment(ctx: BuildContext) -> None:
    """``AWS::EC2::VPCGatewayAttachment``: an internet or a VPN gateway."""
    network.build_gateway_attachment(ctx)
    if ctx.get("VpnGatewayId") is not None:
        connectivity.attach_vpn_gateway(ctx)


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
    "AWS::EC2::VPNGateway": connectivity.build_vpn_gateway,
    "AWS::EC2::CustomerGateway": connectivity.build_customer_gateway,
    "AWS::EC2::VPCPeeringConnection": connectivity.build_vpc_peering,
    "AWS::EC2::TransitGateway": connectivity.build_transit_gateway,
    "AWS::EC2::LaunchTemplate": balancing.build_launch_template,
    "AWS::AutoScaling::LaunchConfiguration": balancing.build_launch_configuration,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": balancing.build_load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": balancing.build_target_group,
    "AWS::ElasticLoadBalancing::LoadBalancer": balancing.build_classic_load_balancer,
    "AWS::Lambda::Function": services.build_lambda_function,
    "AWS::ECS::Cluster": services.build_ecs_cluster,
    "AWS::ECS::TaskDefinition": services.build_task_definition,
    "AWS::RDS::DBSubnetGroup": services.build_db_subnet_group,
    "AWS::ElastiCache::SubnetGroup": services.build_db_subnet_group,
    "AWS::Redshift::ClusterSubnetGroup": services.build_db_subnet_group,
    "AWS::RDS::DBCluster": services.build_db_cluster,
    "AWS::S3::Bucket": services.build_s3_bucket,
    "AWS::KMS::Key": identity.build_kms_key,
    "AWS::IAM::Role": identity.build_role,
    "AWS::IAM::User": identity.build_user,
    "AWS::IAM::Group": identity.build_group,
    "AWS::IAM::ManagedPolicy": identity.build_policy,
}

SECOND_PASS: dict[str, Builder] = {
    "AWS::EC2::VPCCidrBlock": network.build_vpc_cidr_block,
    "AWS::EC2::Route": network.build_route,
    "AWS::EC2::VPNGatewayRoutePropagation": network.build_vpn_gateway_route_propagation,
    "AWS::EC2::SubnetRouteTableAssociation": network.build_subnet_route_table_association,
    "AWS::EC2::GatewayRouteTableAssociation": network.build_gateway_route_table_association,
    "AWS::EC2::VPCGatewayAttachment": _gateway_attachment,
    "AWS::EC2::EIPAssociation": network.build_eip_association,
    "AWS::EC2::SecurityGroupIngress": security.build_security_group_rule,
    "AWS::EC2::SecurityGroupEgress": security.build_security_group_rule,
    "AWS::EC2::NetworkAclEntry": security.build_network_acl_entry,
    "AWS::EC2::SubnetNetworkAclAssociation": security.build_subnet_network_acl_association,
    "AWS::EC2::Instance": compute.build_instance,
    "AWS::EC2::NetworkInterfaceAttachment": compute.build_network_interface_attachment,
    "AWS::EC2::VPNConnection": connectivity.build_vpn_connection,
    "AWS::EC2::TransitGatewayAttachment": connectivity.build_transit_gateway_attachment,
    "AWS::EC2::TransitGatewayVpcAttachment": connectivity.build_transit_gateway_attachment,
    "AWS::EC2::VPCEndpoint": connectivity.build_vpc_endpoint,
    "AWS::EC2::FlowLog": connectivity.build_flow_log,
    "AWS::EC2::Volume": services.build_ebs_volume,
    "AWS::ElasticLoadBalancingV2::Listener": balancing.build_listener,
    "AWS::AutoScaling::AutoScalingGroup": balancing.build_autoscaling_group,
    "AWS::Lambda::Url": services.build_lambda_url,
    "AWS::ECS::Service": services.build_ecs_service,
    "AWS::EKS::Cluster": services.build_eks_cluster,
    "AWS::RDS::DBInstance": services.build_db_instance,
    "AWS::ElastiCache::CacheCluster": services.build_cache_cluster,
    "AWS::ElastiCache::ReplicationGroup": services.build_cache_cluster,
    "AWS::Redshift::Cluster": services.build_redshift_cluster,
    "AWS::OpenSearchService::Domain": services.build_opensearch_domain,
    "AWS::Elasticsearch::Domain": services.build_opensearch_domain,
    "AWS::EFS::FileSystem": services.build_efs,
    "AWS::S3::BucketPolicy": services.build_bucket_policy,
    "AWS::IAM::Policy": identity.build_policy,
    "AWS::IAM::InstanceProfile": identity.build_instance_profile,
    "AWS::CloudTrail::Trail": identity.build_trail,
    "AWS::Config::ConfigurationRecorder": identity.build_config_recorder,
    "AWS::SecurityHub::Hub": identity.build_security_hub,
    "AWS::Logs::MetricFilter": identity.build_metric_filter,
    "AWS::CloudWatch::Alarm": identity.build_alarm,
}

THIRD_PASS: dict[str, Builder] = {
    "AWS::ElasticLoadBalancingV2::ListenerRule": balancing.build_listener_rule,
    "AWS::EC2::VPNConnectionRoute": connectivity.build_vpn_connection_route,
}
"""Resources merged into objects built in the second pass."""


@dataclass(frozen=True)
class Scope:
    """One template of a stack tree: its resources, resolver, file and diagnostics."""

    declarations: list[ResourceDecl]
    resolver: Resolver
    file: str
    sink: DiagnosticSink


BUILDERS = {**FIRST_PASS, **SECOND_PASS, **THIRD_PASS}

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
            if decl.type in BUILDERS:
                contexts.append(_context(decl, scope.resolver, scope.file, draft, scope.sink))
    for ctx in contexts:
        if ctx.decl.type == "AWS::EC2::SecurityGroup":
            name = as_text(ctx.get("GroupName"))
            if isinstance(name, str):
                draft.group_names.setdefault(name, ctx.id)
    for builders in (FIRST_PASS, SECOND_PASS, THIRD_PASS):
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
        if decl.type in BUILDERS or decl.type in HANDLED:
            continue
        counts[decl.type] = counts.get(decl.type, 0) + 1
        first_line.setdefault(decl.type, decl.line)
    for kind, count in counts.items():
        plural = "resource" if count == 1 else "resources"
        sink.notice(
            first_line[kind], f"resource type {kind} is not modelled yet ({count} {plural})"
        )
