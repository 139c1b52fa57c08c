"""Elastic Load Balancing (v2 and classic), launch templates and autoscaling groups."""

from __future__ import annotations

from policycheck.frontends.cloudformation.build_compute import (
    block_devices,
    metadata_options,
    user_data_origin,
    user_data_text,
)
from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.values import (
    Obj,
    Value,
    as_bool,
    as_int,
    as_list,
    as_ref,
    as_refs,
    as_text,
    tags_of,
)
from policycheck.model import (
    AutoScalingGroup,
    LaunchTemplate,
    LbListener,
    ListenerAction,
    LoadBalancer,
    TargetGroup,
    TargetGroupAttachment,
    Unknown,
)


def _objs(value: Value) -> list[Obj]:
    items = as_list(value)
    return [] if isinstance(items, Unknown) else [item for item in items if isinstance(item, Obj)]


def _attribute(ctx: BuildContext, key: str) -> str | Unknown | None:
    for item in _objs(ctx.get("LoadBalancerAttributes")):
        if as_text(item.get("Key")) == key:
            return as_text(item.get("Value"))
    return None


def _bool_attribute(ctx: BuildContext, key: str) -> bool | Unknown | None:
    text = _attribute(ctx, key)
    return text if isinstance(text, Unknown) or text is None else text.lower() == "true"


def build_load_balancer(ctx: BuildContext) -> None:
    """``AWS::ElasticLoadBalancingV2::LoadBalancer``."""
    kind = as_text(ctx.get("Type")) or "application"
    scheme = as_text(ctx.get("Scheme")) or "internet-facing"
    subnets = as_refs(ctx.get("Subnets"), "subnet") + [
        as_ref(item.get("SubnetId"), "subnet") for item in _objs(ctx.get("SubnetMappings"))]
    ctx.draft.add(LoadBalancer(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        load_balancer_type=kind if kind in ("application", "network", "gateway") else "application",
        scheme=scheme if scheme in ("internet-facing", "internal") or isinstance(scheme, Unknown)
        else Unknown(reason=f"scheme {scheme!r}"),
        subnets=subnets,
        security_groups=as_refs(ctx.get("SecurityGroups"), "security group"),
        ip_address_type=as_text(ctx.get("IpAddressType")),
        drop_invalid_header_fields=_bool_attribute(
            ctx, "routing.http.drop_invalid_header_fields.enabled"),
        # Off unless the attribute turns it on, as AWS (and the Terraform front-end) do.
        access_logs_enabled=_bool_attribute(ctx, "access_logs.s3.enabled") or False))


def _actions(value: Value) -> list[ListenerAction]:
    actions = []
    for item in _objs(value):
        groups = [] if item.get("TargetGroupArn") is None else [
            as_ref(item.get("TargetGroupArn"), "target group")]
        forward = item.get("ForwardConfig")
        if isinstance(forward, Obj):
            groups += [as_ref(tg.get("TargetGroupArn"), "target group")
                       for tg in _objs(forward.get("TargetGroups"))]
        redirect = item.get("RedirectConfig")
        actions.append(ListenerAction(
            type=as_text(item.get("Type")) or Unknown(reason="action has no Type"),
            target_groups=groups,
            redirect_protocol=as_text(redirect.get("Protocol"))
            if isinstance(redirect, Obj) else None))
    return actions


def build_listener(ctx: BuildContext) -> None:
    """``AWS::ElasticLoadBalancingV2::Listener``."""
    certificates = _objs(ctx.get("Certificates"))
    ctx.draft.add(LbListener(
        id=ctx.id, source=ctx.source,
        load_balancer=as_ref(ctx.get("LoadBalancerArn"), "load balancer"),
        protocol=as_text(ctx.get("Protocol")) or Unknown(reason="listener protocol not set"),
        port=as_int(ctx.get("Port")), ssl_policy=as_text(ctx.get("SslPolicy")),
        certificate=as_ref(certificates[0].get("CertificateArn"), "certificate")
        if certificates else None,
        default_actions=_actions(ctx.get("DefaultActions"))))


def build_listener_rule(ctx: BuildContext) -> None:
    """``AWS::ElasticLoadBalancingV2::ListenerRule``: its actions merge into the listener."""
    ref = as_ref(ctx.get("ListenerArn"), "listener")
    listener = ctx.draft.get_other(ref, LbListener)
    if listener is None:
        ctx.notice(f"listener {ref} is not in this template; the rule is not modelled")
        return
    ctx.draft.add(listener.model_copy(update={
        "rule_actions": [*listener.rule_actions, *_actions(ctx.get("Actions"))]}))


def build_target_group(ctx: BuildContext) -> None:
    """``AWS::ElasticLoadBalancingV2::TargetGroup`` and its ``Targets``."""
    kind = as_text(ctx.get("TargetType")) or "instance"
    ctx.draft.add(TargetGroup(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        vpc=None if ctx.get("VpcId") is None else as_ref(ctx.get("VpcId"), "VPC"),
        protocol=as_text(ctx.get("Protocol")), port=as_int(ctx.get("Port")),
        target_type=kind if kind in ("instance", "ip", "lambda", "alb")
        or isinstance(kind, Unknown) else Unknown(reason=f"target type {kind!r}")))
    for index, target in enumerate(_objs(ctx.get("Targets"))):
        raw = target.get("Id")
        ref = as_ref(raw, "target") if kind in ("instance", "lambda", "alb") else as_text(raw)
        ctx.draft.add(TargetGroupAttachment(
            id=f"{ctx.id}.Targets[{index}]", source=ctx.source_at(target.line),
            target_group=ctx.id,
            target=ref if ref is not None else Unknown(reason="target has no Id"),
            port=as_int(target.get("Port"))))


def build_classic_load_balancer(ctx: BuildContext) -> None:
    """``AWS::ElasticLoadBalancing::LoadBalancer`` with one LbListener per listener."""
    scheme = as_text(ctx.get("Scheme")) or "internet-facing"
    logs = ctx.get("AccessLoggingPolicy")
    ctx.draft.add(LoadBalancer(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        load_balancer_type="classic",
        scheme=scheme if scheme in ("internet-facing", "internal") or isinstance(scheme, Unknown)
        else Unknown(reason=f"scheme {scheme!r}"),
        subnets=as_refs(ctx.get("Subnets"), "subnet"),
        security_groups=as_refs(ctx.get("SecurityGroups"), "security group"),
        availability_zones=_texts(ctx.get("AvailabilityZones")),
        instances=as_refs(ctx.get("Instances"), "instance"),
        access_logs_enabled=as_bool(logs.get("Enabled")) if isinstance(logs, Obj) else None))
    for index, item in enumerate(_objs(ctx.get("Listeners"))):
        ctx.draft.add(LbListener(
            id=f"{ctx.id}.Listeners[{index}]", source=ctx.source_at(item.line),
            load_balancer=ctx.id,
            protocol=as_text(item.get("Protocol")) or Unknown(reason="no Protocol"),
            port=as_int(item.get("LoadBalancerPort")),
            instance_port=as_int(item.get("InstancePort")),
            instance_protocol=as_text(item.get("InstanceProtocol")),
            certificate=None if item.get("SSLCertificateId") is None
            else as_ref(item.get("SSLCertificateId"), "certificate")))


def _texts(value: Value) -> list[str | Unknown]:
    items = as_list(value)
    if isinstance(items, Unknown):
        return [items]
    return [text if (text := as_text(item)) is not None else Unknown(reason="not text")
            for item in items]


def build_launch_template(ctx: BuildContext) -> None:
    """``AWS::EC2::LaunchTemplate`` (its ``LaunchTemplateData``)."""
    data = ctx.get("LaunchTemplateData")
    data = data if isinstance(data, Obj) else Obj()
    interfaces = _objs(data.get("NetworkInterfaces"))
    primary = interfaces[0] if interfaces else Obj()
    groups = as_refs(data.get("SecurityGroupIds"), "security group") + as_refs(
        primary.get("Groups"), "security group")
    profile = data.get("IamInstanceProfile")
    ctx.draft.add(LaunchTemplate(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("TagSpecifications")),
        ami=None if data.get("ImageId") is None else as_text(data.get("ImageId")),
        instance_type=as_text(data.get("InstanceType")),
        user_data=user_data_text(data.get("UserData")),
        user_data_origin=user_data_origin(ctx, _raw_data(ctx)),
        security_groups=groups,
        associate_public_ip_address=as_bool(primary.get("AssociatePublicIpAddress")),
        subnet=None if primary.get("SubnetId") is None
        else as_ref(primary.get("SubnetId"), "subnet"),
        ipv6_address_count=as_int(primary.get("Ipv6AddressCount")),
        metadata_options=metadata_options(data.get("MetadataOptions")),
        block_devices=block_devices(ctx, data.get("BlockDeviceMappings")),
        iam_instance_profile=_profile(profile)))


def _raw_data(ctx: BuildContext) -> object:
    raw = ctx.get_raw("LaunchTemplateData")
    return raw if isinstance(raw, dict) else None


def _profile(value: Value) -> str | Unknown | None:
    if isinstance(value, Obj):
        value = value.get("Arn") if value.get("Arn") is not None else value.get("Name")
    return None if value is None else as_ref(value, "instance profile")


def build_launch_configuration(ctx: BuildContext) -> None:
    """``AWS::AutoScaling::LaunchConfiguration``."""
    ctx.draft.add(LaunchTemplate(
        id=ctx.id, source=ctx.source, template_kind="launch_configuration",
        ami=as_text(ctx.get("ImageId")), instance_type=as_text(ctx.get("InstanceType")),
        user_data=user_data_text(ctx.get("UserData")),
        user_data_origin=user_data_origin(ctx, ctx.decl.properties),
        security_groups=as_refs(ctx.get("SecurityGroups"), "security group"),
        associate_public_ip_address=as_bool(ctx.get("AssociatePublicIpAddress")),
        metadata_options=metadata_options(ctx.get("MetadataOptions")),
        block_devices=block_devices(ctx, ctx.get("BlockDeviceMappings")),
        iam_instance_profile=_profile(ctx.get("IamInstanceProfile"))))


def build_autoscaling_group(ctx: BuildContext) -> None:
    """``AWS::AutoScaling::AutoScalingGroup``."""
    template = ctx.get("LaunchTemplate")
    mixed = ctx.get("MixedInstancesPolicy")
    if template is None and isinstance(mixed, Obj):
        spec = mixed.get("LaunchTemplate")
        template = spec.get("LaunchTemplateSpecification") if isinstance(spec, Obj) else None
    launch: str | Unknown | None = None
    if isinstance(template, Obj):
        launch = as_ref(template.get("LaunchTemplateId") or template.get("LaunchTemplateName"),
                        "launch template")
    elif ctx.get("LaunchConfigurationName") is not None:
        launch = as_ref(ctx.get("LaunchConfigurationName"), "launch configuration")
    ctx.draft.add(AutoScalingGroup(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        launch_template=launch,
        subnets=as_refs(ctx.get("VPCZoneIdentifier"), "subnet"),
        availability_zones=_texts(ctx.get("AvailabilityZones")),
        target_groups=as_refs(ctx.get("TargetGroupARNs"), "target group"),
        classic_load_balancers=as_refs(ctx.get("LoadBalancerNames"), "load balancer"),
        min_size=as_int(ctx.get("MinSize")), max_size=as_int(ctx.get("MaxSize"))))
