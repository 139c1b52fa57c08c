"""Policies known except for after-apply values keep their statements, Unknown leaves only."""

from __future__ import annotations

from policycheck.checks import cis_storage
from policycheck.model import PolicyDocument, Unknown
from tests.checks.cis_helpers import run
from tests.frontends.terraform.conftest import Loader

BUCKET = """
resource "aws_s3_bucket" "x" {
  bucket = "pass-data"
}
resource "aws_s3_bucket_policy" "x" {
  bucket = aws_s3_bucket.x.id
  policy = %s
}
%s
"""

JSONENCODE = """jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyHttp"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.x.arn, "${aws_s3_bucket.x.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })"""

HEREDOC = """<<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyHttp",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["${aws_s3_bucket.x.arn}", "${aws_s3_bucket.x.arn}/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
  }]
}
EOF"""

DATA_SOURCE = """
data "aws_iam_policy_document" "deny_http" {
  statement {
    sid       = "DenyHttp"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.x.arn, "${aws_s3_bucket.x.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
"""

ARN = "computed attribute arn of aws_s3_bucket.x"


def _bucket_policy(load: Loader, policy: str, extra: str = "") -> PolicyDocument:
    model = load(BUCKET % (policy, extra)).model
    document = model.s3_buckets[0].policy
    assert document is not None
    return document


def _assert_deny_http_kept(load: Loader, policy: str, extra: str = "") -> None:
    document = _bucket_policy(load, policy, extra)
    assert document.unknown is None
    [statement] = document.statements
    assert (statement.sid, statement.effect, statement.actions) == ("DenyHttp", "Deny", ["s3:*"])
    first, objects = statement.resources
    assert first == Unknown(reason=ARN)
    assert isinstance(objects, Unknown) and objects.reason.startswith(ARN)
    assert [(c.operator, c.key, c.values) for c in statement.conditions] == [
        ("Bool", "aws:SecureTransport", ["false"])
    ]
    model = load(BUCKET % (policy, extra)).model
    assert run(cis_storage.bucket_denies_http, model) == []


def test_jsonencode_policy_with_an_after_apply_arn_keeps_its_statement(load: Loader) -> None:
    _assert_deny_http_kept(load, JSONENCODE)


def test_heredoc_policy_with_an_after_apply_arn_keeps_its_statement(load: Loader) -> None:
    _assert_deny_http_kept(load, HEREDOC)


def test_policy_document_data_source_with_an_after_apply_arn_keeps_its_statement(
    load: Loader,
) -> None:
    _assert_deny_http_kept(load, "data.aws_iam_policy_document.deny_http.json", DATA_SOURCE)


def test_a_heredoc_that_only_parses_with_the_value_stays_unknown_as_a_whole(
    load: Loader,
) -> None:
    unquoted = HEREDOC.replace('"Resource": [', '"Resource": [${aws_s3_bucket.x.arn}, ')
    document = _bucket_policy(load, unquoted)
    assert document.statements == [] and document.unknown == Unknown(reason=ARN)


def test_text_computed_from_a_partial_policy_stays_unknown_as_a_whole(load: Loader) -> None:
    document = _bucket_policy(load, f'replace({JSONENCODE}, "Deny", "Allow")')
    assert document.statements == [] and document.unknown == Unknown(reason=ARN)


def test_role_policy_via_jsonencode_keeps_action_star_beside_an_unknown_resource(
    load: Loader,
) -> None:
    model = load("""
resource "aws_s3_bucket" "x" {}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = aws_s3_bucket.x.arn }]
  })
}
""").model
    [document] = model.iam_roles[0].inline_policies
    [statement] = document.statements
    assert (document.unknown, statement.effect, statement.actions) == (None, "Allow", ["*"])
    assert statement.resources == [Unknown(reason=ARN)]
