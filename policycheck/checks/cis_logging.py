"""CIS AWS Foundations, section 3 (Logging), from templates."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policycheck.checks.cis_aws_foundations import (
    SATISFY_ELSEWHERE,
    controls,
    make_finding,
    missing_anchor,
    unknown_note,
)
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import CloudTrail, DataEventSelector, S3Bucket, Unknown


def _records_all_regions(trail: CloudTrail) -> bool:
    return trail.is_multi_region is True and trail.is_logging is not False


def _unknowns(trail: CloudTrail) -> list[Unknown]:
    return [v for v in (trail.is_multi_region, trail.is_logging) if isinstance(v, Unknown)]


# 3.1: CloudTrail in all regions -------------------------------------------------------


def cloudtrail_multi_region(ctx: CheckContext) -> Iterable[Finding]:
    trails = ctx.model.cloudtrails
    if any(_records_all_regions(t) for t in trails):
        return
    anchor = missing_anchor(ctx, "logging", preferred=trails)
    if anchor is None:
        return
    if trails:
        message = ("No trail in this unit is a logging multi-region trail, so API activity "
                   "in the other regions is not recorded")
    else:
        message = "This unit declares no CloudTrail trail, so API activity is not recorded"
    note = unknown_note(*(u for t in trails for u in _unknowns(t)))
    yield make_finding(ctx, anchor, f"{message}{note}. {SATISFY_ELSEWHERE}", "missing")


# 3.2: log file validation -------------------------------------------------------------


def cloudtrail_log_validation(ctx: CheckContext) -> Iterable[Finding]:
    for trail in ctx.model.cloudtrails:
        if trail.log_file_validation is not True:
            yield make_finding(ctx, trail, f"Trail {trail.id} does not validate its log "
                               f"files, so tampering with delivered logs goes unnoticed"
                               f"{unknown_note(trail.log_file_validation)}.")


# 3.3: AWS Config ----------------------------------------------------------------------


def config_recorder(ctx: CheckContext) -> Iterable[Finding]:
    recorders = ctx.model.config_recorders
    for recorder in recorders:
        gaps = []
        if recorder.all_supported is not True:
            gaps.append("does not record all supported resource types")
        if recorder.include_global_resource_types is not True:
            gaps.append("does not include global resource types (IAM)")
        if recorder.enabled is False or isinstance(recorder.enabled, Unknown):
            gaps.append("is not started")
        if gaps:
            note = unknown_note(recorder.all_supported, recorder.include_global_resource_types,
                                recorder.enabled)
            yield make_finding(ctx, recorder, f"Config recorder {recorder.id} "
                               f"{' and '.join(gaps)}{note}.")
    if recorders:
        return
    anchor = missing_anchor(ctx, "logging")
    if anchor is not None:
        yield make_finding(ctx, anchor, f"This unit sets up account logging but declares no "
                           f"AWS Config recorder, so resource configuration history is not "
                           f"kept. {SATISFY_ELSEWHERE}", "missing")


# 3.4: access logging on the CloudTrail bucket ----------------------------------------


def cloudtrail_bucket_logging(ctx: CheckContext) -> Iterable[Finding]:
    seen: set[str] = set()
    for trail in ctx.model.cloudtrails:
        bucket = ctx.model.get(trail.s3_bucket)
        if not isinstance(bucket, S3Bucket) or bucket.id in seen:
            continue  # a bucket outside the unit is judged where it is declared
        seen.add(bucket.id)
        if bucket.logging_target is None:
            yield make_finding(ctx, bucket, f"Bucket {bucket.id} receives the logs of trail "
                               f"{trail.id} but has no server access logging, so reads of "
                               f"the audit trail are not recorded.")


# 3.5: CloudTrail encrypted with a KMS key ---------------------------------------------


def cloudtrail_kms_encryption(ctx: CheckContext) -> Iterable[Finding]:
    for trail in ctx.model.cloudtrails:
        if trail.kms_key is None:
            yield make_finding(ctx, trail, f"Trail {trail.id} does not encrypt its logs with "
                               f"a KMS key (SSE-KMS), so anyone who can read the bucket can "
                               f"read the logs.")


# 3.6: KMS key rotation ----------------------------------------------------------------


def kms_key_rotation(ctx: CheckContext) -> Iterable[Finding]:
    for key in ctx.model.kms_keys:
        if key.key_spec != "SYMMETRIC_DEFAULT" and not isinstance(key.key_spec, Unknown):
            continue  # AWS rotates only symmetric encryption keys
        if key.enable_key_rotation is not True:
            yield make_finding(ctx, key, f"KMS key {key.id} is symmetric but automatic key "
                               f"rotation is off"
                               f"{unknown_note(key.key_spec, key.enable_key_rotation)}.")


# 3.7: VPC flow logs -------------------------------------------------------------------


def vpc_flow_logs(ctx: CheckContext) -> Iterable[Finding]:
    logged: set[str] = set()
    for flow_log in ctx.model.flow_logs:
        traffic = flow_log.traffic_type
        if isinstance(flow_log.resource, str) and (
                isinstance(traffic, Unknown) or str(traffic).upper() in ("ALL", "REJECT")):
            logged.add(flow_log.resource)
    for vpc in ctx.model.vpcs:
        if vpc.id not in logged:
            yield make_finding(ctx, vpc, f"VPC {vpc.id} has no flow log capturing rejected "
                               f"traffic (REJECT or ALL).")


# 3.8 and 3.9: S3 object-level logging -------------------------------------------------

_ALL_BUCKETS = re.compile(r"^arn:[^:]+:s3(:::)?$")


def _logs_s3_objects(selector: DataEventSelector, kind: str) -> bool:
    if selector.resource_type != "AWS::S3::Object":
        return False
    read_write = selector.read_write_type
    wanted = {"write": ("All", "WriteOnly"), "read": ("All", "ReadOnly")}[kind]
    if read_write not in wanted and not isinstance(read_write, Unknown):
        return False
    return any(isinstance(v, str) and _ALL_BUCKETS.match(v) for v in selector.values)


def s3_object_level_logging(ctx: CheckContext) -> Iterable[Finding]:
    """3.8 (write events) and 3.9 (read events), one finding per missing kind."""
    trails = ctx.model.cloudtrails
    for kind, control in (("write", "3.8"), ("read", "3.9")):
        if any(_records_all_regions(t) and any(_logs_s3_objects(s, kind) for s in t.data_events)
               for t in trails):
            continue
        anchor = missing_anchor(ctx, "logging", preferred=trails)
        if anchor is None:
            return
        yield make_finding(ctx, anchor, f"No multi-region trail in this unit logs S3 "
                           f"object-level {kind} events for all buckets (data events "
                           f"AWS::S3::Object). {SATISFY_ELSEWHERE}", kind,
                           frameworks=controls(ctx, control))
