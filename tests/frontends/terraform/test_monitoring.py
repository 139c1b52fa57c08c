"""CloudWatch metric filters and alarms, field by field (build_monitoring)."""

from __future__ import annotations

from policycheck.model import Unknown
from tests.frontends.terraform.conftest import Loader

MONITORING = """
resource "aws_cloudwatch_log_group" "trail" { name = "cloudtrail" }
resource "aws_sns_topic" "alerts" { name = "security-alerts" }
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "audit-logs"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
}
resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-usage"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.userIdentity.type = \\"Root\\" }"
  metric_transformation {
    name      = "RootUsage"
    namespace = "CIS"
    value     = "1"
  }
}
resource "aws_cloudwatch_log_metric_filter" "elsewhere" {
  name           = "elsewhere"
  log_group_name = "org-trail-logs"
  pattern        = "ERROR"
  metric_transformation {
    name      = "Errors"
    namespace = "App"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-usage"
  metric_name         = "RootUsage"
  namespace           = "CIS"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}
resource "aws_cloudwatch_metric_alarm" "silent" {
  alarm_name          = "silent"
  metric_name         = "Errors"
  namespace           = "App"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
}
"""


def test_metric_filters_are_modelled_with_their_log_group_and_metric(load: Loader) -> None:
    filters = {f.id: f for f in load(MONITORING).model.log_metric_filters}
    root = filters["aws_cloudwatch_log_metric_filter.root"]
    assert root.log_group == "aws_cloudwatch_log_group.trail"
    assert root.pattern == '{ $.userIdentity.type = "Root" }'
    assert (root.metric_name, root.metric_namespace) == ("RootUsage", "CIS")
    elsewhere = filters["aws_cloudwatch_log_metric_filter.elsewhere"]
    assert elsewhere.log_group == "org-trail-logs"


def test_metric_alarms_are_modelled_with_their_metric_and_actions(load: Loader) -> None:
    alarms = {a.id: a for a in load(MONITORING).model.metric_alarms}
    root = alarms["aws_cloudwatch_metric_alarm.root"]
    assert (root.metric_name, root.metric_namespace) == ("RootUsage", "CIS")
    assert len(root.alarm_actions) == 1
    silent = alarms["aws_cloudwatch_metric_alarm.silent"]
    assert (silent.metric_name, silent.alarm_actions) == ("Errors", [])


def test_a_metric_name_read_from_the_filter_is_unknown_not_guessed(load: Loader) -> None:
    config = MONITORING.replace(
        'metric_name         = "RootUsage"',
        "metric_name = aws_cloudwatch_log_metric_filter.root.metric_transformation[0].name")
    alarms = {a.id: a for a in load(config).model.metric_alarms}
    assert isinstance(alarms["aws_cloudwatch_metric_alarm.root"].metric_name, Unknown)


def test_the_trail_names_its_log_group_or_says_why_not(load: Loader) -> None:
    trail = load(MONITORING).model.cloudtrails[0]
    group = trail.cloudwatch_log_group
    assert group == "aws_cloudwatch_log_group.trail" or isinstance(group, Unknown)
