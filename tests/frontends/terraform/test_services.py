"""Load balancing, autoscaling, data stores, S3 merging, IAM documents, data sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policycheck.model import Unknown

Loader = Callable[..., Any]

STACK = """
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_lb" "web" {
  subnets         = [aws_subnet.s.id]
  security_groups = []
}
resource "aws_lb_target_group" "web" {
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.v.id
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_launch_template" "web" {
  name      = "web"
  image_id  = data.aws_ami.ubuntu.id
  user_data = base64encode("#!/bin/sh\\necho hi\\n")
  metadata_options {
    http_tokens = "required"
  }
}
resource "aws_autoscaling_group" "web" {
  vpc_zone_identifier = [aws_subnet.s.id]
  min_size            = 1
  max_size            = 2
  launch_template {
    id = aws_launch_template.web.id
  }
}
resource "aws_autoscaling_attachment" "web" {
  autoscaling_group_name = aws_autoscaling_group.web.id
  lb_target_group_arn    = aws_lb_target_group.web.arn
}
data "aws_ami" "ubuntu" {
  owners      = ["099720109477"]
  most_recent = true
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}
resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = [aws_subnet.s.id]
}
resource "aws_db_instance" "db" {
  engine               = "postgres"
  publicly_accessible  = true
  db_subnet_group_name = aws_db_subnet_group.db.name
}
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket            = aws_s3_bucket.logs.id
  block_public_acls = true
}
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
}
resource "aws_iam_role" "web" {
  name               = "web"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
resource "aws_iam_role_policy_attachment" "web" {
  role       = aws_iam_role.web.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  runtime       = "python3.8"
  role          = aws_iam_role.web.arn
}
resource "aws_lambda_function_url" "f" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = "NONE"
}
"""


def test_load_balancer_listener_target_group_and_autoscaling(load: Loader) -> None:
    model = load(STACK).model
    assert model.load_balancers[0].scheme == "internet-facing"
    assert model.load_balancers[0].subnets == ["aws_subnet.s"]
    listener = model.lb_listeners[0]
    assert listener.load_balancer == "aws_lb.web"
    assert listener.default_actions[0].target_groups == ["aws_lb_target_group.web"]
    asg = model.autoscaling_groups[0]
    assert asg.launch_template == "aws_launch_template.web"
    assert asg.target_groups == ["aws_lb_target_group.web"]
    template = model.launch_templates[0]
    assert template.user_data == "#!/bin/sh\necho hi\n"
    assert template.ami == "data.aws_ami.ubuntu"
    assert template.metadata_options is not None
    assert template.metadata_options.http_tokens == "required"
    image = model.images[0]
    assert image.owners == ["099720109477"] and image.most_recent is True
    assert image.name_filters == ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]


def test_data_stores_and_separate_s3_configuration(load: Loader) -> None:
    model = load(STACK).model
    db = model.db_instances[0]
    assert db.publicly_accessible is True
    assert db.subnet_group == "aws_db_subnet_group.db"
    bucket = model.s3_buckets[0]
    assert bucket.versioning_enabled is True
    assert bucket.public_access_block is not None
    assert bucket.public_access_block.block_public_acls is True
    assert bucket.public_access_block.block_public_policy is False


def test_policy_document_data_source_and_attachments(load: Loader) -> None:
    model = load(STACK).model
    role = model.iam_roles[0]
    assert role.assume_role_policy is not None
    statement = role.assume_role_policy.statements[0]
    assert statement.effect == "Allow"
    assert statement.actions == ["sts:AssumeRole"]
    assert statement.principals == {"Service": ["ec2.amazonaws.com"]}
    assert statement.conditions[0].key == "aws:SourceAccount"
    assert role.managed_policies == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    assert model.lambda_functions[0].role == "aws_iam_role.web"
    assert model.lambda_function_urls[0].function == "aws_lambda_function.f"
    assert model.lambda_function_urls[0].authorization_type == "NONE"


def test_lookup_data_sources_are_unknown_with_reasons(load: Loader) -> None:
    model = load(
        'data "aws_vpc" "main" {\n  default = true\n}\n'
        'resource "aws_subnet" "s" {\n  vpc_id = data.aws_vpc.main.id\n'
        '  cidr_block = "10.0.0.0/24"\n}\n'
    ).model
    vpc = model.subnets[0].vpc
    assert isinstance(vpc, Unknown)
    assert vpc.reason == "data.aws_vpc.main.id: an existing VPC looked up at plan time"
