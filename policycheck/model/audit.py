"""Logging, monitoring and keys: CloudTrail, AWS Config, KMS, flow logs, metric alarms."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, Unknown
from policycheck.model.iam import PolicyDocument


class DataEventSelector(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    read_write_type: str | Unknown = "All"
    resource_type: str | Unknown
    """e.g. ``AWS::S3::Object``."""
    values: list[str | Unknown] = []


class CloudTrail(ModelObject):
    is_multi_region: bool | Unknown = False
    include_global_service_events: bool | Unknown = True
    log_file_validation: bool | Unknown = False
    kms_key: Ref | None = None
    s3_bucket: Ref | None = None
    cloudwatch_log_group: Ref | None = None
    is_logging: bool | Unknown = True
    data_events: list[DataEventSelector] = []


class ConfigRecorder(ModelObject):
    all_supported: bool | Unknown = True
    include_global_resource_types: bool | Unknown = False
    enabled: bool | Unknown | None = None
    """From the recorder status resource; None when not declared."""


class KmsKey(ModelObject):
    key_spec: str | Unknown = "SYMMETRIC_DEFAULT"
    enable_key_rotation: bool | Unknown = False
    policy: PolicyDocument | None = None
    deletion_window_days: int | Unknown | None = None


class FlowLog(ModelObject):
    resource: Ref
    """The VPC, subnet or network interface logged."""
    traffic_type: str | Unknown | None = None
    destination_type: str | Unknown | None = None


class LogMetricFilter(ModelObject):
    log_group: Ref | str | None = None
    pattern: str | Unknown
    metric_name: str | Unknown | None = None
    metric_namespace: str | Unknown | None = None


class MetricAlarm(ModelObject):
    metric_name: str | Unknown | None = None
    metric_namespace: str | Unknown | None = None
    alarm_actions: list[Ref] = []


class SecurityHubAccount(ModelObject):
    """AWS Security Hub enabled in the account and region (``aws_securityhub_account``,
    ``AWS::SecurityHub::Hub``): declaring it turns the service on."""

    enable_default_standards: bool | Unknown | None = None
