"""CIS AWS Foundations, section 4 (Monitoring): metric filters and alarms on the
CloudTrail log group, decided when the trail's log group or the filters are declared in
the scanned unit. The required filter terms are data (``metric-filters.yaml``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from policycheck.checks.cis_aws_foundations import (
    PACKAGE,
    SATISFY_ELSEWHERE,
    AccountScope,
    account_scope,
    controls,
    make_finding,
    missing_anchor,
)
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding
from policycheck.model import CloudTrail, LogMetricFilter, MetricAlarm, ModelObject, Unknown
from policycheck.rules.catalogue import package_data


@dataclass(frozen=True)
class MonitorSpec:
    control: str
    title: str
    fragments: tuple[str, ...]
    """Normalised fragments the filter pattern must contain."""


def _normalise(pattern: str) -> str:
    return "".join(pattern.split()).replace('"', "").replace("'", "").lower()


def _spec(control: str, raw: Mapping[str, Any]) -> MonitorSpec:
    fragments = [_normalise(str(f)) for f in raw.get("all", [])]
    fragments += [_normalise(f"$.eventName={name}") for name in raw.get("events", [])]
    return MonitorSpec(control=control, title=str(raw["title"]), fragments=tuple(fragments))


@lru_cache(maxsize=1)
def monitor_specs() -> dict[str, MonitorSpec]:
    """Control id -> what its metric filter must match (from metric-filters.yaml)."""
    raw = package_data(PACKAGE, "metric-filters.yaml")
    return {str(control): _spec(str(control), spec) for control, spec in raw.items()}


def filter_matches(spec: MonitorSpec, pattern: str) -> bool:
    text = _normalise(pattern)
    return all(fragment in text for fragment in spec.fragments)


def _has_alarm(metric_filter: LogMetricFilter, alarms: list[MetricAlarm]) -> bool:
    return any(alarm.alarm_actions
               and alarm.metric_name == metric_filter.metric_name
               and (alarm.metric_namespace == metric_filter.metric_namespace
                    or isinstance(alarm.metric_namespace, Unknown)
                    or isinstance(metric_filter.metric_namespace, Unknown))
               for alarm in alarms)


def _on_trail_group(metric_filter: LogMetricFilter, groups: list[object]) -> bool:
    """The filter reads one of the trails' log groups; an unresolved group on either side
    is taken to be the trail's (the finding would otherwise rest on a guess)."""
    if not groups or isinstance(metric_filter.log_group, Unknown):
        return True
    return any(metric_filter.log_group == g or isinstance(g, Unknown) for g in groups)


def _judged(ctx: CheckContext) -> tuple[ModelObject | None, list[object]]:
    """(anchor, trail log groups) when this unit is judged, else (None, [])."""
    scope = account_scope(ctx)
    if scope is AccountScope.NEVER:
        return None, []
    trails: list[CloudTrail] = [t for t in ctx.model.cloudtrails
                                if t.cloudwatch_log_group is not None]
    groups: list[object] = [t.cloudwatch_log_group for t in trails]
    if trails:
        return trails[0], groups
    specs = monitor_specs().values()
    cis_filters = [f for f in ctx.model.log_metric_filters if isinstance(f.pattern, str)
                   and any(filter_matches(s, f.pattern) for s in specs)]
    if cis_filters:
        return cis_filters[0], []
    if scope is AccountScope.ALWAYS:
        return next(iter(ctx.model.objects()), None), []
    return None, []


def metric_filters_and_alarms(ctx: CheckContext) -> Iterable[Finding]:
    """4.1-4.15: one finding per monitored event class without a filter and an alarm."""
    anchor, groups = _judged(ctx)
    if anchor is None:
        return
    wanted = [str(c) for c in ctx.params["monitors"]]
    filters = [f for f in ctx.model.log_metric_filters
               if isinstance(f.pattern, str) and _on_trail_group(f, groups)]
    for control in wanted:
        spec = monitor_specs()[control]
        matching = [f for f in filters if isinstance(f.pattern, str)
                    and filter_matches(spec, f.pattern)]
        alarmed = [f for f in matching if _has_alarm(f, ctx.model.metric_alarms)]
        if alarmed:
            continue
        if matching:
            where: ModelObject = matching[0]
            message = (f"Metric filter {where.id} matches {spec.title} but no alarm with an "
                       f"action watches its metric, so nobody is notified.")
        else:
            where = anchor
            message = (f"No metric filter on the CloudTrail log group matches {spec.title} "
                       f"(with an alarm that notifies), so they go unnoticed. "
                       f"{SATISFY_ELSEWHERE}")
        yield make_finding(ctx, where, message, control, frameworks=controls(ctx, control))


def security_hub_enabled(ctx: CheckContext) -> Iterable[Finding]:
    """CIS 4.16: Security Hub enabled. Declaring the hub enables it; an account-baseline
    unit (account_scope) that sets up logging but declares no hub is reported once."""
    if ctx.model.security_hub_accounts:
        return
    anchor = missing_anchor(ctx, "logging")
    if anchor is not None:
        yield make_finding(ctx, anchor, "This unit sets up account logging but does not "
                           "enable AWS Security Hub, so findings from AWS services and "
                           f"security standards are not aggregated. {SATISFY_ELSEWHERE}",
                           "missing")
