"""Bad input never raises: errors and notices with file and line; determinism."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform import load_terraform

Loader = Callable[..., Any]


def test_malformed_file_is_an_error_and_other_files_are_modelled(load: Loader) -> None:
    result = load(
        {
            "a_bad.tf": 'resource "aws_vpc" "x" {\n  cidr_block = [1,\n}\n',
            "b_good.tf": 'resource "aws_vpc" "y" {\n  cidr_block = "10.0.0.0/16"\n}\n',
        }
    )
    assert [v.id for v in result.model.vpcs] == ["aws_vpc.y"]
    errors = [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]
    assert [(e.file, e.line) for e in errors] == [("stack/a_bad.tf", 3)]


def test_unmodelled_types_modules_and_unknown_counts(load: Loader) -> None:
    result = load(
        'resource "aws_sqs_queue" "a" {}\n'
        'resource "aws_sqs_queue" "b" {\n  count = 2\n}\n'
        'module "net" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'output "x" {\n  value = aws_sqs_queue.a.id\n}\n'
    )
    messages = [(d.level, d.line, d.message) for d in result.diagnostics]
    assert messages == [
        (
            DiagnosticLevel.NOTICE,
            1,
            "resource type aws_sqs_queue is not modelled yet (3 resources)",
        ),
        (
            DiagnosticLevel.NOTICE,
            5,
            "module net not resolved: run terraform init (source terraform-aws-modules/vpc/aws)",
        ),
    ]


def test_locals_cycle_is_an_error_naming_the_cycle(load: Loader) -> None:
    result = load(
        "locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\n"
        'resource "aws_vpc" "v" {\n  cidr_block = local.a\n}\n'
    )
    errors = [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]
    assert len(errors) == 1
    assert "local.a -> local.b -> local.c -> local.a" in errors[0].message
    assert result.model.vpcs[0].cidr_blocks[0].reason.startswith("reference cycle")


def test_resource_attribute_cycle_does_not_hang(load: Loader) -> None:
    result = load(
        'resource "aws_subnet" "a" {\n  vpc_id = "v"\n  cidr_block = aws_subnet.b.cidr_block\n}\n'
        'resource "aws_subnet" "b" {\n  vpc_id = "v"\n  cidr_block = aws_subnet.a.cidr_block\n}\n'
    )
    assert any("reference cycle" in d.message for d in result.diagnostics)


def test_empty_folder_and_unit_names(tmp_path: Path) -> None:
    result = load_terraform(tmp_path, tmp_path, TerraformInputs())
    assert result.model.unit == "."
    assert result.diagnostics == []


def test_loading_is_deterministic(load: Loader) -> None:
    text = """
variable "azs" {
  type    = set(string)
  default = ["c", "a", "b"]
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "s" {
  for_each   = var.azs
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(aws_vpc.v.cidr_block, 8, index(sort(tolist(var.azs)), each.key))
}
resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = { b = 2, a = 1 }
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [var.missing]
    }
  }
}
"""
    first, second = load(text), load(text)
    assert first.model.model_dump_json() == second.model.model_dump_json()
    assert first.diagnostics == second.diagnostics
    assert [s.id for s in first.model.subnets] == [
        'aws_subnet.s["a"]',
        'aws_subnet.s["b"]',
        'aws_subnet.s["c"]',
    ]


def test_missing_folder_does_not_raise(tmp_path: Path) -> None:
    result = load_terraform(tmp_path / "absent", tmp_path, TerraformInputs())
    assert result.model.unit == "absent"
