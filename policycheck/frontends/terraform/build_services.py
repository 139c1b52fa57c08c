"""Load balancers, listeners and target groups; launch templates and autoscaling; ECS; Lambda."""

from __future__ import annotations

import json
from typing import Any

from policycheck.frontends.terraform.build import (
    Build,
    Builder,
    flag,
    integer,
    tags,
    text,
    text_list,
)
from policycheck.frontends.terraform.expand import BlockView, Instance
from policycheck.frontends.terraform.values import Value, deep_unknown
from policycheck.model import (
    AutoScalingGroup,
    BlockDevice,
    ContainerDefinition,
    EcsCluster,
    EcsLoadBalancerBinding,
    EcsService,
    EcsTaskDefinition,
    LambdaFunction,
    LambdaFunctionUrl,
    LaunchTemplate,
    LbListener,
    ListenerAction,
    LoadBalancer,
    MetadataOptions,
    MountPoint,
    PortMapping,
    Ref,
    SourceRef,
    TargetGroup,
    TargetGroupAttachment,
    TaskVolume,
    Unknown,
)
from policycheck.model.compute import UserDataOrigin


def _base(build: Build, inst: Instance) -> dict[str, Any]:
    return {"id": inst.address, "source": build.source(inst), "tags": tags(inst.view)}


def load_balancer(build: Build, inst: Instance) -> None:
    view = inst.view
    classic = inst.type == "aws_elb"
    kind = "classic" if classic else view.get("load_balancer_type", "application")
    subnets = build.refs(view.get("subnets"))
    subnets += [build.ref(m.get("subnet_id")) for m in view.children("subnet_mapping")]
    internal = flag(view.get("internal"), False)
    scheme: Any = (
        internal
        if isinstance(internal, Unknown)
        else ("internal" if internal else "internet-facing")
    )
    logs = view.children("access_logs")
    build.add(
        "load_balancers",
        LoadBalancer(
            **_base(build, inst),
            load_balancer_type=kind if isinstance(kind, str) else "application",
            scheme=scheme,
            subnets=subnets,
            security_groups=build.refs(view.get("security_groups")),
            availability_zones=text_list(view.get("availability_zones")),
            ip_address_type=text(view.get("ip_address_type")),
            instances=build.refs(view.get("instances")),
            drop_invalid_header_fields=flag(view.get("drop_invalid_header_fields")),
            access_logs_enabled=flag(logs[0].get("enabled"), True) if logs else False,
        ),
    )
    for listener in view.children("listener") if classic else []:
        build.add(
            "lb_listeners",
            LbListener(
                id=f"{inst.address}:listener:{listener.get('lb_port')}",
                source=build.nested_source(inst, listener),
                load_balancer=inst.address,
                protocol=str(listener.get("lb_protocol", "TCP")).upper(),
                port=integer(listener.get("lb_port")),
                instance_port=integer(listener.get("instance_port")),
                instance_protocol=text(listener.get("instance_protocol")),
                certificate=build.optional_ref(listener.get("ssl_certificate_id")),
            ),
        )


def _actions(build: Build, blocks: list[BlockView]) -> list[ListenerAction]:
    actions = []
    for action in blocks:
        groups = build.refs(action.get("target_group_arn"))
        for forward in action.children("forward"):
            groups += [build.ref(t.get("arn")) for t in forward.children("target_group")]
        redirect = action.children("redirect")
        actions.append(
            ListenerAction(
                type=text(action.get("type")) or Unknown(reason="action type not set"),
                target_groups=groups,
                redirect_protocol=text(redirect[0].get("protocol", "#{protocol}"))
                if redirect
                else None,
            )
        )
    return actions


def listener(build: Build, inst: Instance) -> None:
    view = inst.view
    port = integer(view.get("port"))
    protocol = view.get("protocol")
    if protocol is None:
        # The provider defaults to HTTP for ALBs; NLB listeners must set it.
        protocol = "HTTP"
    build.add(
        "lb_listeners",
        LbListener(
            **_base(build, inst),
            load_balancer=build.ref(view.get("load_balancer_arn")),
            protocol=text(protocol) or "HTTP",
            port=port,
            ssl_policy=text(view.get("ssl_policy")),
            certificate=build.optional_ref(view.get("certificate_arn")),
            default_actions=_actions(build, view.children("default_action")),
        ),
    )


def listener_rule(build: Build, inst: Instance) -> None:
    view = inst.view
    for action in _actions(build, view.children("action")):
        build.contribute(build.ref(view.get("listener_arn")), "rule_actions", action)


def target_group(build: Build, inst: Instance) -> None:
    view = inst.view
    target_type = view.get("target_type", "instance")
    build.add(
        "target_groups",
        TargetGroup(
            **_base(build, inst),
            vpc=build.optional_ref(view.get("vpc_id")),
            protocol=text(view.get("protocol")),
            port=integer(view.get("port")),
            target_type=target_type
            if target_type in ("instance", "ip", "lambda", "alb")
            or isinstance(target_type, Unknown)
            else "instance",
        ),
    )


def target_group_attachment(build: Build, inst: Instance) -> None:
    view = inst.view
    target = view.get("target_id")
    ref = build.ref(target)
    build.add(
        "target_group_attachments",
        TargetGroupAttachment(
            **_base(build, inst),
            target_group=build.ref(view.get("target_group_arn")),
            target=target if isinstance(ref, Unknown) and isinstance(target, str) else ref,
            port=integer(view.get("port")),
        ),
    )


def _metadata(view: BlockView) -> MetadataOptions | None:
    blocks = view.children("metadata_options")
    if not blocks:
        return None
    block = blocks[0]
    fields = MetadataOptions.model_fields
    values = {
        "http_tokens": text(block.get("http_tokens")),
        "http_endpoint": text(block.get("http_endpoint")),
        "http_put_response_hop_limit": integer(block.get("http_put_response_hop_limit")),
    }
    return MetadataOptions(**{k: v for k, v in values.items() if k in fields and v is not None})


_HEREDOCS = ("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM")


def user_data_origin(view: BlockView, resource: SourceRef) -> UserDataOrigin | None:
    """Where ``user_data`` (or ``user_data_base64``) is written: the line after a heredoc's
    ``<<EOF`` when the expression holds one heredoc (lines map one to one), else the line
    of the attribute (``file()``, ``templatefile()``, a quoted string)."""
    written = getattr(view, "hcl", None)  # a plan's block: the configuration's, if at hand
    block = written.block if isinstance(written, BlockView) else view.block
    for name in ("user_data", "user_data_base64"):
        attr = block.attributes.get(name)
        if attr is None:
            if view.has(name):  # a plan alone: no expression to read lines from
                return UserDataOrigin(source=resource, inline=False)
            continue
        heredocs = list(attr.expr.scan_values(
            lambda token: getattr(token, "type", None) in _HEREDOCS))
        if len(heredocs) == 1 and isinstance(heredocs[0].line, int):
            line, inline = heredocs[0].line + 1, True
        else:
            line, inline = attr.line, False
        return UserDataOrigin(source=resource.model_copy(update={"line": line}), inline=inline)
    return None


def devices(build: Build, inst: Instance) -> list[BlockDevice]:
    """Block devices of an instance, launch template or launch configuration."""
    view = inst.view
    result = []
    for mapping in view.children("block_device_mappings"):
        for ebs in mapping.children("ebs"):
            result.append(_device(build, inst, ebs, mapping.get("device_name"), False))
    for name in ("root_block_device", "ebs_block_device"):
        for block in view.children(name):
            device = block.get("device_name")
            result.append(_device(build, inst, block, device, name == "root_block_device"))
    return result


def _device(build: Build, inst: Instance, block: BlockView, name: Value, root: bool) -> BlockDevice:
    return BlockDevice(
        device_name=text(name),
        root=root,
        encrypted=flag(block.get("encrypted")),
        kms_key=build.optional_ref(block.get("kms_key_id")),
        volume_type=text(block.get("volume_type")),
        source=build.nested_source(inst, block),
    )


def metadata_options(view: BlockView) -> MetadataOptions | None:
    """``metadata_options`` of an instance, launch template or launch configuration."""
    return _metadata(view)


def instance_profile_ref(build: Build, value: Value) -> Ref | None:
    """The instance profile named by ``value``: its name is looked up among instance
    profiles only, since a role often has the same name."""
    return None if value is None else build.named(value, "aws_iam_instance_profile")


def launch_template(build: Build, inst: Instance) -> None:
    view = inst.view
    config = inst.type == "aws_launch_configuration"
    nics = view.children("network_interfaces")
    groups = build.refs(view.get("vpc_security_group_ids") or view.get("security_groups"))
    public_ip = flag(view.get("associate_public_ip_address"))
    subnet = None
    for nic in nics:
        groups += build.refs(nic.get("security_groups"))
        public_ip = flag(nic.get("associate_public_ip_address"), public_ip)  # type: ignore[arg-type]
        subnet = build.optional_ref(nic.get("subnet_id")) or subnet
    profile = view.children("iam_instance_profile")
    profile_value = (
        view.get("iam_instance_profile")
        if config
        else ((profile[0].get("name") or profile[0].get("arn")) if profile else None)
    )
    build.add(
        "launch_templates",
        LaunchTemplate(
            **_base(build, inst),
            template_kind="launch_configuration" if config else "launch_template",
            ami=text(view.get("image_id")),
            instance_type=text(view.get("instance_type")),
            user_data=_user_data(view),
            user_data_origin=user_data_origin(view, build.source(inst)),
            security_groups=groups,
            associate_public_ip_address=public_ip,
            subnet=subnet,
            metadata_options=_metadata(view),
            block_devices=devices(build, inst),
            iam_instance_profile=instance_profile_ref(build, profile_value),
        ),
    )


def _user_data(view: BlockView) -> str | Unknown | None:
    import base64

    value = text(view.get("user_data"))
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True).decode()
    except ValueError:
        return value  # launch configurations take plain text


def autoscaling_group(build: Build, inst: Instance) -> None:
    view = inst.view
    template: Any = view.get("launch_configuration")
    for block in view.children("launch_template"):
        template = block.get("id") or block.get("name")
    for policy in view.children("mixed_instances_policy"):
        for spec in policy.children("launch_template"):
            for inner in spec.children("launch_template_specification"):
                template = inner.get("launch_template_id") or inner.get("launch_template_name")
    build.add(
        "autoscaling_groups",
        AutoScalingGroup(
            **_base(build, inst),
            launch_template=build.optional_ref(template),
            subnets=build.refs(view.get("vpc_zone_identifier")),
            availability_zones=text_list(view.get("availability_zones")),
            target_groups=build.refs(view.get("target_group_arns")),
            classic_load_balancers=build.refs(view.get("load_balancers")),
            min_size=integer(view.get("min_size")),
            max_size=integer(view.get("max_size")),
        ),
    )


def autoscaling_attachment(build: Build, inst: Instance) -> None:
    view = inst.view
    group = build.ref(view.get("autoscaling_group_name"))
    if view.has("lb_target_group_arn"):
        build.contribute(group, "target_groups", build.ref(view.get("lb_target_group_arn")))
    if view.has("elb"):
        build.contribute(group, "classic_load_balancers", build.ref(view.get("elb")))


def _containers(value: Value) -> tuple[list[ContainerDefinition], Unknown | None]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [], Unknown(reason="container_definitions is not valid JSON")
    unknown = deep_unknown(value)
    if isinstance(value, Unknown) or not isinstance(value, list):
        return [], unknown or Unknown(reason="container_definitions is not a list")
    result = []
    for item in value:
        if not isinstance(item, dict):
            continue
        linux = item.get("linuxParameters") or {}
        caps = (linux.get("capabilities") or {}).get("add") or []
        result.append(
            ContainerDefinition(
                name=text(item.get("name")),
                image=text(item.get("image")),
                essential=flag(item.get("essential")),
                privileged=flag(item.get("privileged")),
                user=text(item.get("user")),
                readonly_root_filesystem=flag(item.get("readonlyRootFilesystem")),
                port_mappings=[
                    PortMapping(
                        container_port=integer(p.get("containerPort")),
                        host_port=integer(p.get("hostPort")),
                        protocol=text(p.get("protocol")) or "tcp",
                    )
                    for p in item.get("portMappings") or []
                ],
                environment={
                    str(e.get("name")): text(e.get("value")) or ""
                    for e in item.get("environment") or []
                },
                secrets={
                    str(e.get("name")): text(e.get("valueFrom")) or ""
                    for e in item.get("secrets") or []
                },
                mount_points=[
                    MountPoint(
                        source_volume=text(m.get("sourceVolume")),
                        container_path=text(m.get("containerPath")),
                        read_only=flag(m.get("readOnly")),
                    )
                    for m in item.get("mountPoints") or []
                ],
                linux_capabilities_add=text_list(caps),
            )
        )
    return result, unknown


def task_definition(build: Build, inst: Instance) -> None:
    view = inst.view
    containers, unknown = _containers(view.get("container_definitions"))
    volumes = [
        TaskVolume(name=text(v.get("name")) or "", host_path=text(v.get("host_path")))
        for v in view.children("volume")
    ]
    build.add(
        "ecs_task_definitions",
        EcsTaskDefinition(
            **_base(build, inst),
            family=text(view.get("family")),
            network_mode=text(view.get("network_mode")),
            requires_compatibilities=text_list(view.get("requires_compatibilities")),
            containers=containers,
            containers_unknown=unknown,
            volumes=volumes,
            task_role=build.optional_ref(view.get("task_role_arn")),
            execution_role=build.optional_ref(view.get("execution_role_arn")),
            pid_mode=text(view.get("pid_mode")),
            ipc_mode=text(view.get("ipc_mode")),
        ),
    )


def ecs_service(build: Build, inst: Instance) -> None:
    view = inst.view
    network = view.children("network_configuration")
    bindings = [
        EcsLoadBalancerBinding(
            target_group=build.optional_ref(lb.get("target_group_arn")),
            classic_load_balancer=build.optional_ref(lb.get("elb_name")),
            container_name=text(lb.get("container_name")),
            container_port=integer(lb.get("container_port")),
        )
        for lb in view.children("load_balancer")
    ]
    build.add(
        "ecs_services",
        EcsService(
            **_base(build, inst),
            cluster=build.optional_ref(view.get("cluster")),
            task_definition=build.optional_ref(view.get("task_definition")),
            launch_type=text(view.get("launch_type")),
            subnets=build.refs(network[0].get("subnets")) if network else [],
            security_groups=build.refs(network[0].get("security_groups")) if network else [],
            assign_public_ip=flag(network[0].get("assign_public_ip"), False) if network else None,
            load_balancers=bindings,
        ),
    )


def ecs_cluster(build: Build, inst: Instance) -> None:
    insights = None
    for setting in inst.view.children("setting"):
        if setting.get("name") == "containerInsights":
            insights = flag(setting.get("value") == "enabled")
    build.add("ecs_clusters", EcsCluster(**_base(build, inst), container_insights=insights))


def lambda_function(build: Build, inst: Instance) -> None:
    view = inst.view
    vpc = view.children("vpc_config")
    env = view.children("environment")
    variables = env[0].get("variables", {}) if env else {}
    tracing = view.children("tracing_config")
    build.add(
        "lambda_functions",
        LambdaFunction(
            **_base(build, inst),
            function_name=text(view.get("function_name")),
            runtime=text(view.get("runtime")),
            package_type=text(view.get("package_type")),
            image_uri=text(view.get("image_uri")),
            role=build.optional_ref(view.get("role")),
            subnets=build.refs(vpc[0].get("subnet_ids")) if vpc else [],
            security_groups=build.refs(vpc[0].get("security_group_ids")) if vpc else [],
            environment={str(k): text(v) or "" for k, v in variables.items()}
            if isinstance(variables, dict)
            else {},
            kms_key=build.optional_ref(view.get("kms_key_arn")),
            tracing_mode=text(tracing[0].get("mode")) if tracing else None,
        ),
    )


def lambda_url(build: Build, inst: Instance) -> None:
    view = inst.view
    cors = view.children("cors")
    build.add(
        "lambda_function_urls",
        LambdaFunctionUrl(
            **_base(build, inst),
            function=build.ref(view.get("function_name")),
            authorization_type=text(view.get("authorization_type"))
            or Unknown(reason="authorization_type not set"),
            cors_allow_origins=text_list(cors[0].get("allow_origins")) if cors else [],
        ),
    )


BUILDERS: dict[str, Builder] = {
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_elb": load_balancer,
    "aws_lb_listener": listener,
    "aws_alb_listener": listener,
    "aws_lb_listener_rule": listener_rule,
    "aws_lb_target_group": target_group,
    "aws_alb_target_group": target_group,
    "aws_lb_target_group_attachment": target_group_attachment,
    "aws_launch_template": launch_template,
    "aws_launch_configuration": launch_template,
    "aws_autoscaling_group": autoscaling_group,
    "aws_autoscaling_attachment": autoscaling_attachment,
    "aws_ecs_task_definition": task_definition,
    "aws_ecs_service": ecs_service,
    "aws_ecs_cluster": ecs_cluster,
    "aws_lambda_function": lambda_function,
    "aws_lambda_function_url": lambda_url,
}
