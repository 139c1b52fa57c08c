"""IAM (roles, users, groups, policies, instance profiles), KMS, CloudTrail, Config,
CloudWatch metric filters and alarms."""

from __future__ import annotations

from policycheck.frontends.cloudformation.draft import BuildContext
from policycheck.frontends.cloudformation.policies import policy_document
from policycheck.frontends.cloudformation.values import (
    LogicalId,
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
    CloudTrail,
    ConfigRecorder,
    DataEventSelector,
    IamGroup,
    IamInstanceProfile,
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
    IamUser,
    KmsKey,
    LogMetricFilter,
    MetricAlarm,
    PolicyDocument,
    Unknown,
)


def _objs(value: Value) -> list[Obj]:
    items = as_list(value)
    return [] if isinstance(items, Unknown) else [item for item in items if isinstance(item, Obj)]


def _inline(ctx: BuildContext) -> list[PolicyDocument]:
    return [doc for item in _objs(ctx.get("Policies"))
            if (doc := policy_document(ctx, item.get("PolicyDocument"))) is not None]


def managed_policies(value: Value) -> list[str | Unknown]:
    """Policies of the template by id; AWS-managed (or other) ARNs as plain strings."""
    items = as_list(value)
    if isinstance(items, Unknown):
        return [items]
    found: list[str | Unknown] = []
    for item in items:
        text = as_text(item)
        found.append(str(item) if isinstance(item, LogicalId)
                     else text if text is not None else Unknown(reason="policy ARN"))
    return found


def build_role(ctx: BuildContext) -> None:
    """``AWS::IAM::Role``."""
    ctx.draft.add(IamRole(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        name=as_text(ctx.get("RoleName")),
        assume_role_policy=policy_document(ctx, ctx.get("AssumeRolePolicyDocument")),
        inline_policies=_inline(ctx), managed_policies=managed_policies(
            ctx.get("ManagedPolicyArns")),
        permissions_boundary=None if ctx.get("PermissionsBoundary") is None
        else managed_policies(ctx.get("PermissionsBoundary"))[0]))


def build_user(ctx: BuildContext) -> None:
    """``AWS::IAM::User``."""
    ctx.draft.add(IamUser(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        name=as_text(ctx.get("UserName")), inline_policies=_inline(ctx),
        managed_policies=managed_policies(ctx.get("ManagedPolicyArns")),
        groups=as_refs(ctx.get("Groups"), "group")))


def build_group(ctx: BuildContext) -> None:
    """``AWS::IAM::Group``."""
    ctx.draft.add(IamGroup(
        id=ctx.id, source=ctx.source, name=as_text(ctx.get("GroupName")),
        inline_policies=_inline(ctx),
        managed_policies=managed_policies(ctx.get("ManagedPolicyArns"))))


def build_policy(ctx: BuildContext) -> None:
    """``AWS::IAM::Policy`` (inline, attached on creation) and ``ManagedPolicy``."""
    name = ctx.get("PolicyName") or ctx.get("ManagedPolicyName")
    document = policy_document(ctx, ctx.get("PolicyDocument"))
    ctx.draft.add(IamPolicy(
        id=ctx.id, source=ctx.source, name=as_text(name),
        document=document or PolicyDocument(unknown=Unknown(reason="no PolicyDocument"))))
    roles = as_refs(ctx.get("Roles"), "role")
    users = as_refs(ctx.get("Users"), "user")
    groups = as_refs(ctx.get("Groups"), "group")
    if roles or users or groups:
        ctx.draft.add(IamPolicyAttachment(
            id=f"{ctx.id}.Attachment", source=ctx.source, policy=ctx.id,
            roles=roles, users=users, groups=groups))


def build_instance_profile(ctx: BuildContext) -> None:
    """``AWS::IAM::InstanceProfile`` (its single role)."""
    roles = as_refs(ctx.get("Roles"), "role")
    ctx.draft.add(IamInstanceProfile(id=ctx.id, source=ctx.source,
                                     role=roles[0] if roles else None))


def build_kms_key(ctx: BuildContext) -> None:
    """``AWS::KMS::Key``."""
    spec = as_text(ctx.get("KeySpec"))
    rotation = as_bool(ctx.get("EnableKeyRotation"))
    ctx.draft.add(KmsKey(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        key_spec="SYMMETRIC_DEFAULT" if spec is None else spec,
        enable_key_rotation=False if rotation is None else rotation,
        policy=policy_document(ctx, ctx.get("KeyPolicy")),
        deletion_window_days=as_int(ctx.get("PendingWindowInDays"))))


def build_trail(ctx: BuildContext) -> None:
    """``AWS::CloudTrail::Trail``."""
    selectors = []
    for selector in _objs(ctx.get("EventSelectors")):
        for resource in _objs(selector.get("DataResources")):
            values = as_list(resource.get("Values"))
            selectors.append(DataEventSelector(
                read_write_type=as_text(selector.get("ReadWriteType")) or "All",
                resource_type=as_text(resource.get("Type")) or Unknown(reason="no Type"),
                values=[values] if isinstance(values, Unknown)
                else [t for v in values if (t := as_text(v)) is not None]))

    def flag(name: str, default: bool) -> bool | Unknown:
        value = as_bool(ctx.get(name))
        return default if value is None else value

    ctx.draft.add(CloudTrail(
        id=ctx.id, source=ctx.source, tags=tags_of(ctx.get("Tags")),
        is_multi_region=flag("IsMultiRegionTrail", False),
        include_global_service_events=flag("IncludeGlobalServiceEvents", True),
        log_file_validation=flag("EnableLogFileValidation", False),
        kms_key=None if ctx.get("KMSKeyId") is None else as_ref(ctx.get("KMSKeyId"), "KMS key"),
        cloudwatch_log_group=None if ctx.get("CloudWatchLogsLogGroupArn") is None
        else as_ref(ctx.get("CloudWatchLogsLogGroupArn"), "log group"),
        is_logging=flag("IsLogging", True), data_events=selectors))


def build_config_recorder(ctx: BuildContext) -> None:
    """``AWS::Config::ConfigurationRecorder``."""
    group = ctx.get("RecordingGroup")
    group = group if isinstance(group, Obj) else Obj()
    every = as_bool(group.get("AllSupported"))
    global_types = as_bool(group.get("IncludeGlobalResourceTypes"))
    ctx.draft.add(ConfigRecorder(
        id=ctx.id, source=ctx.source, all_supported=True if every is None else every,
        include_global_resource_types=False if global_types is None else global_types))


def build_metric_filter(ctx: BuildContext) -> None:
    """``AWS::Logs::MetricFilter``."""
    transforms = _objs(ctx.get("MetricTransformations"))
    first = transforms[0] if transforms else Obj()
    group = ctx.get("LogGroupName")
    ctx.draft.add(LogMetricFilter(
        id=ctx.id, source=ctx.source,
        log_group=str(group) if isinstance(group, LogicalId) else as_text(group),
        pattern=as_text(ctx.get("FilterPattern")) or "",
        metric_name=as_text(first.get("MetricName")),
        metric_namespace=as_text(first.get("MetricNamespace"))))


def build_alarm(ctx: BuildContext) -> None:
    """``AWS::CloudWatch::Alarm``."""
    ctx.draft.add(MetricAlarm(
        id=ctx.id, source=ctx.source, metric_name=as_text(ctx.get("MetricName")),
        metric_namespace=as_text(ctx.get("Namespace")),
        alarm_actions=as_refs(ctx.get("AlarmActions"), "alarm action")))
