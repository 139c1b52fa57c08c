"""CloudWatch metric filters and alarms (CIS 4.1-4.15), as the CloudFormation front-end
maps ``AWS::Logs::MetricFilter`` and ``AWS::CloudWatch::Alarm``."""

from __future__ import annotations

from policycheck.frontends.terraform.build import Build, Builder, text
from policycheck.frontends.terraform.expand import Instance
from policycheck.model import LogMetricFilter, MetricAlarm, Ref, SecurityHubAccount, Unknown


def _log_group(build: Build, inst: Instance) -> Ref | str | None:
    """The filtered log group: its address when declared here, else the literal name
    (a group managed elsewhere), else Unknown."""
    raw = inst.view.get("log_group_name")
    if raw is None:
        return None
    ref = build.ref(raw)
    return raw if isinstance(ref, Unknown) and isinstance(raw, str) else ref


def metric_filter(build: Build, inst: Instance) -> None:
    """``aws_cloudwatch_log_metric_filter`` (its first metric_transformation)."""
    transforms = inst.view.children("metric_transformation")
    first = transforms[0] if transforms else None
    build.add(
        "log_metric_filters",
        LogMetricFilter(
            id=inst.address,
            source=build.source(inst),
            log_group=_log_group(build, inst),
            pattern=text(inst.view.get("pattern")) or "",
            metric_name=text(first.get("name")) if first else None,
            metric_namespace=text(first.get("namespace")) if first else None,
        ),
    )


def metric_alarm(build: Build, inst: Instance) -> None:
    """``aws_cloudwatch_metric_alarm`` (a single-metric alarm; metric queries are not
    read, so such an alarm watches no filter's metric here)."""
    view = inst.view
    build.add(
        "metric_alarms",
        MetricAlarm(
            id=inst.address,
            source=build.source(inst),
            metric_name=text(view.get("metric_name")),
            metric_namespace=text(view.get("namespace")),
            alarm_actions=build.refs(view.get("alarm_actions")),
        ),
    )


def security_hub_account(build: Build, inst: Instance) -> None:
    """``aws_securityhub_account``: Security Hub enabled (CIS 4.16)."""
    default = inst.view.get("enable_default_standards")
    build.add(
        "security_hub_accounts",
        SecurityHubAccount(
            id=inst.address,
            source=build.source(inst),
            enable_default_standards=True if default is None
            else default if isinstance(default, bool | Unknown) else None,
        ),
    )


BUILDERS: dict[str, Builder] = {
    "aws_securityhub_account": security_hub_account,
    "aws_cloudwatch_log_metric_filter": metric_filter,
    "aws_cloudwatch_metric_alarm": metric_alarm,
}
