"""Resource builders field by field: load balancing, launch templates and ASGs,
Lambda with its URL, RDS, S3 with its separate configuration resources, IAM documents."""

from __future__ import annotations

import json

from tests.frontends.terraform.conftest import Evaluator, Loader

NETWORK = """
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_security_group" "lb" { vpc_id = aws_vpc.v.id }
resource "aws_security_group" "app" { vpc_id = aws_vpc.v.id }
"""

LOAD_BALANCING = (
    NETWORK
    + """
resource "aws_lb" "internal" {
  internal                   = true
  load_balancer_type         = "application"
  subnets                    = [aws_subnet.a.id, aws_subnet.b.id]
  security_groups            = [aws_security_group.lb.id]
  drop_invalid_header_fields = true
  access_logs {
    bucket  = "logs"
    enabled = true
  }
}
resource "aws_lb_target_group" "app" {
  port        = 8443
  protocol    = "HTTPS"
  target_type = "ip"
  vpc_id      = aws_vpc.v.id
}
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.https.arn
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
}
resource "aws_lb_target_group_attachment" "ip" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = "10.0.1.10"
  port             = 8443
}
"""
)


def test_load_balancer_fields(load: Loader) -> None:
    model = load(LOAD_BALANCING).model
    lb = model.load_balancers[0]
    assert (lb.id, lb.load_balancer_type, lb.scheme) == (
        "aws_lb.internal",
        "application",
        "internal",
    )
    assert lb.subnets == ["aws_subnet.a", "aws_subnet.b"]
    assert lb.security_groups == ["aws_security_group.lb"]
    assert (lb.drop_invalid_header_fields, lb.access_logs_enabled) == (True, True)


def test_listeners_actions_and_rules(load: Loader) -> None:
    listeners = {item.id: item for item in load(LOAD_BALANCING).model.lb_listeners}
    https = listeners["aws_lb_listener.https"]
    assert (https.load_balancer, https.protocol, https.port) == ("aws_lb.internal", "HTTPS", 443)
    assert https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [(a.type, a.target_groups) for a in https.default_actions] == [
        ("forward", ["aws_lb_target_group.app"])
    ]
    assert [(a.type, a.target_groups) for a in https.rule_actions] == [
        ("forward", ["aws_lb_target_group.app"])
    ]
    http = listeners["aws_lb_listener.http"]
    assert (http.protocol, http.port) == ("HTTP", 80)
    assert [(a.type, a.redirect_protocol) for a in http.default_actions] == [("redirect", "HTTPS")]


def test_target_groups_and_attachments(load: Loader) -> None:
    model = load(LOAD_BALANCING).model
    group = model.target_groups[0]
    assert (group.vpc, group.protocol, group.port, group.target_type) == (
        "aws_vpc.v",
        "HTTPS",
        8443,
        "ip",
    )
    attachment = model.target_group_attachments[0]
    assert (attachment.target_group, attachment.target, attachment.port) == (
        "aws_lb_target_group.app",
        "10.0.1.10",
        8443,
    )


COMPUTE = (
    NETWORK
    + """
resource "aws_lb_target_group" "app" {
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.v.id
}
resource "aws_iam_instance_profile" "app" { name = "app" }
resource "aws_launch_template" "app" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/sh\\nyum -y update\\n")
  iam_instance_profile {
    name = aws_iam_instance_profile.app.name
  }
  network_interfaces {
    associate_public_ip_address = true
    subnet_id                   = aws_subnet.a.id
    security_groups             = [aws_security_group.app.id]
  }
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted   = true
      volume_type = "gp3"
    }
  }
}
resource "aws_autoscaling_group" "app" {
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]
  min_size            = 2
  max_size            = 6
  target_group_arns   = [aws_lb_target_group.app.arn]
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
}
"""
)


def test_launch_template_fields(load: Loader) -> None:
    template = load(COMPUTE).model.launch_templates[0]
    assert (template.template_kind, template.ami, template.instance_type) == (
        "launch_template",
        "ami-0123456789abcdef0",
        "t3.small",
    )
    assert template.user_data == "#!/bin/sh\nyum -y update\n"
    assert template.associate_public_ip_address is True
    assert template.subnet == "aws_subnet.a"
    assert template.security_groups == ["aws_security_group.app"]
    assert template.iam_instance_profile == "aws_iam_instance_profile.app"
    assert template.metadata_options is not None
    assert (template.metadata_options.http_endpoint, template.metadata_options.http_tokens) == (
        "enabled",
        "optional",
    )
    assert [(d.device_name, d.encrypted, d.volume_type) for d in template.block_devices] == [
        ("/dev/xvda", True, "gp3")
    ]


def test_autoscaling_group_fields(load: Loader) -> None:
    group = load(COMPUTE).model.autoscaling_groups[0]
    assert group.launch_template == "aws_launch_template.app"
    assert group.subnets == ["aws_subnet.a", "aws_subnet.b"]
    assert group.target_groups == ["aws_lb_target_group.app"]
    assert (group.min_size, group.max_size) == (2, 6)


SERVERLESS = (
    NETWORK
    + """
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
resource "aws_kms_key" "fn" {}
resource "aws_lambda_function" "fn" {
  function_name = "handler"
  runtime       = "python3.12"
  role          = aws_iam_role.fn.arn
  kms_key_arn   = aws_kms_key.fn.arn
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.app.id]
  }
  environment {
    variables = { STAGE = "prod" }
  }
  tracing_config {
    mode = "Active"
  }
}
resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "AWS_IAM"
  cors {
    allow_origins = ["https://example.com"]
  }
}
"""
)


def test_lambda_function_and_url(load: Loader) -> None:
    model = load(SERVERLESS).model
    function = model.lambda_functions[0]
    assert (function.function_name, function.runtime, function.role) == (
        "handler",
        "python3.12",
        "aws_iam_role.fn",
    )
    assert function.subnets == ["aws_subnet.a", "aws_subnet.b"]
    assert function.security_groups == ["aws_security_group.app"]
    assert function.environment == {"STAGE": "prod"}
    assert (function.kms_key, function.tracing_mode) == ("aws_kms_key.fn", "Active")
    url = model.lambda_function_urls[0]
    assert (url.function, url.authorization_type, url.cors_allow_origins) == (
        "aws_lambda_function.fn",
        "AWS_IAM",
        ["https://example.com"],
    )
    trust = model.iam_roles[0].assume_role_policy
    assert trust is not None
    assert trust.statements[0].principals == {"Service": ["lambda.amazonaws.com"]}


DATABASES = (
    NETWORK
    + """
resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_db_instance" "db" {
  engine                              = "postgres"
  engine_version                      = "16.3"
  port                                = 5433
  publicly_accessible                 = false
  storage_encrypted                   = true
  multi_az                            = true
  auto_minor_version_upgrade          = false
  iam_database_authentication_enabled = true
  backup_retention_period             = 14
  deletion_protection                 = true
  db_subnet_group_name                = aws_db_subnet_group.db.name
  vpc_security_group_ids              = [aws_security_group.app.id]
}
resource "aws_rds_cluster" "aurora" {
  engine                 = "aurora-mysql"
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.app.id]
  storage_encrypted      = true
}
resource "aws_rds_cluster_instance" "aurora" {
  count               = 2
  cluster_identifier  = aws_rds_cluster.aurora.id
  engine              = aws_rds_cluster.aurora.engine
  instance_class      = "db.r6g.large"
  publicly_accessible = true
}
"""
)


def test_rds_instance_fields(load: Loader) -> None:
    db = load(DATABASES).model.db_instances[0]
    assert (db.engine, db.engine_version, db.port) == ("postgres", "16.3", 5433)
    assert (db.publicly_accessible, db.storage_encrypted, db.multi_az) == (False, True, True)
    assert (db.auto_minor_version_upgrade, db.iam_database_authentication) == (False, True)
    assert (db.backup_retention_days, db.deletion_protection) == (14, True)
    assert db.subnet_group == "aws_db_subnet_group.db"
    assert db.security_groups == ["aws_security_group.app"]


def test_rds_cluster_and_its_instances(load: Loader) -> None:
    model = load(DATABASES).model
    cluster = model.db_clusters[0]
    assert (cluster.engine, cluster.storage_encrypted) == ("aurora-mysql", True)
    assert cluster.subnet_group == "aws_db_subnet_group.db"
    assert cluster.security_groups == ["aws_security_group.app"]
    members = [db for db in model.db_instances if db.cluster is not None]
    assert [(db.id, db.cluster, db.engine, db.publicly_accessible) for db in members] == [
        ("aws_rds_cluster_instance.aurora[0]", "aws_rds_cluster.aurora", "aurora-mysql", True),
        ("aws_rds_cluster_instance.aurora[1]", "aws_rds_cluster.aurora", "aurora-mysql", True),
    ]


STORAGE = """
resource "aws_kms_key" "s3" {}
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_s3_bucket" "data" { bucket = "data-${terraform.workspace}" }
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
  }
}
resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"
  }
}
resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "data/"
}
resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  acl    = "private"
}
resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
data "aws_iam_policy_document" "tls" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::data-default/*"]
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
resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.tls.json
}
"""


def test_s3_configuration_resources_merge_into_the_bucket(load: Loader) -> None:
    buckets = {b.id: b for b in load(STORAGE).model.s3_buckets}
    data, logs = buckets["aws_s3_bucket.data"], buckets["aws_s3_bucket.logs"]
    assert data.bucket_name == "data-default"
    assert (data.encryption_algorithm, data.kms_key) == ("aws:kms", "aws_kms_key.s3")
    assert (data.versioning_enabled, data.mfa_delete) == (True, True)
    assert data.logging_target == "aws_s3_bucket.logs"
    assert data.acl == "private"
    block = data.public_access_block
    assert block is not None
    assert (block.block_public_acls, block.block_public_policy) == (True, True)
    assert (block.ignore_public_acls, block.restrict_public_buckets) == (True, True)
    assert data.policy is not None
    statement = data.policy.statements[0]
    assert (statement.sid, statement.effect, statement.actions) == (
        "DenyInsecureTransport",
        "Deny",
        ["s3:*"],
    )
    assert statement.principals == {"*": ["*"]}  # "Principal": "*"
    assert statement.resources == ["arn:aws:s3:::data-default/*"]
    assert [(c.operator, c.key, c.values) for c in statement.conditions] == [
        ("Bool", "aws:SecureTransport", ["false"])
    ]
    assert (logs.versioning_enabled, logs.policy, logs.logging_target) == (None, None, None)


IAM = """
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "full" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid         = "NoIam"
    effect      = "Deny"
    not_actions = ["s3:*"]
    not_resources = ["arn:aws:s3:::b"]
  }
  statement {
    sid     = "CrossAccount"
    actions = ["sts:AssumeRole"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["abc", "def"]
    }
  }
}
resource "aws_iam_policy" "full" {
  name   = "full"
  policy = data.aws_iam_policy_document.full.json
}
resource "aws_iam_user" "ci" { name = "ci" }
resource "aws_iam_user_policy" "ci" {
  name   = "inline"
  user   = aws_iam_user.ci.name
  policy = data.aws_iam_policy_document.base.json
}
"""


def test_policy_documents_field_by_field(load: Loader) -> None:
    model = load(IAM).model
    document = model.iam_policies[0].document
    assert document is not None and document.version == "2012-10-17"
    read, no_iam, cross = document.statements
    assert (read.sid, read.effect, read.actions) == (
        "Read",
        "Allow",
        ["s3:GetObject", "s3:ListBucket"],
    )
    assert read.resources == ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    assert (no_iam.effect, no_iam.actions, no_iam.not_actions) == ("Deny", [], ["s3:*"])
    assert no_iam.not_resources == ["arn:aws:s3:::b"]
    assert cross.principals == {
        "AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    }
    assert [(c.operator, c.key, c.values) for c in cross.conditions] == [
        ("StringEquals", "sts:ExternalId", ["abc", "def"])
    ]


def test_policy_document_json_has_the_provider_shape(evaluate: Evaluator) -> None:
    text, diagnostics = evaluate("data.aws_iam_policy_document.full.json", IAM)
    assert not diagnostics
    rendered = json.loads(text)
    assert [s.get("Sid") for s in rendered["Statement"]] == ["Read", "NoIam", "CrossAccount"]
    assert rendered["Statement"][2]["Principal"] == {
        "AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    }
    assert rendered["Statement"][1]["NotAction"] == "s3:*"  # one value: a string


def test_inline_user_policy_merges_into_the_user(load: Loader) -> None:
    user = load(IAM).model.iam_users[0]
    assert user.name == "ci"
    assert user.inline_policies
    assert user.inline_policies[0].statements[0].actions == ["s3:GetObject", "s3:ListBucket"]


MFA_DELETE = """
resource "aws_s3_bucket" "legacy_on" {
  versioning {
    enabled    = true
    mfa_delete = true
  }
}
resource "aws_s3_bucket" "legacy_plain" {
  versioning { enabled = true }
}
resource "aws_s3_bucket" "separate_off" {}
resource "aws_s3_bucket_versioning" "separate_off" {
  bucket = aws_s3_bucket.separate_off.id
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Disabled"
  }
}
resource "aws_s3_bucket" "unversioned" {}
"""


def test_mfa_delete_from_inline_versioning_and_the_versioning_resource(load: Loader) -> None:
    buckets = {b.id: b.mfa_delete for b in load(MFA_DELETE).model.s3_buckets}
    assert buckets == {"aws_s3_bucket.legacy_on": True, "aws_s3_bucket.legacy_plain": None,
                       "aws_s3_bucket.separate_off": False, "aws_s3_bucket.unversioned": None}
