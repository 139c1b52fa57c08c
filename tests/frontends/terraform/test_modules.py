"""Modules: local and cached sources, inputs, outputs, count/for_each, providers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform import load_terraform
from policycheck.model import Unknown


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


Loader = Callable[..., Any]

NET = """
variable "cidr" { type = string }
variable "subnets" {
  type    = number
  default = 2
}
resource "aws_vpc" "this" { cidr_block = var.cidr }
resource "aws_subnet" "a" {
  count      = var.subnets
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "vpc_id" { value = aws_vpc.this.id }
output "subnet_ids" { value = aws_subnet.a[*].id }
output "cidr" { value = aws_vpc.this.cidr_block }
"""

WEB = """
variable "vpc_id" {}
variable "subnet_id" {}
variable "port" { type = number }
variable "name" { type = string }
resource "aws_security_group" "web" {
  vpc_id = var.vpc_id
  name   = "web-${var.name}"
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
module "host" {
  source    = "../host"
  subnet_id = var.subnet_id
  sg_ids    = [aws_security_group.web.id]
}
output "sg_id" { value = aws_security_group.web.id }
"""

HOST = """
variable "subnet_id" {}
variable "sg_ids" { type = list(string) }
resource "aws_instance" "web" {
  count                  = 1
  ami                    = "ami-1"
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.sg_ids
}
"""

ROOT = """
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Owner = "team" }
  }
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
  default_tags {
    tags = { Owner = "west" }
  }
}
module "net" {
  source = "./modules/net"
  cidr   = "10.0.0.0/16"
}
module "web" {
  source    = "./modules/web"
  for_each  = { blue = { port = 80 }, green = { port = 8080 } }
  vpc_id    = module.net.vpc_id
  subnet_id = module.net.subnet_ids[1]
  port      = each.value.port
  name      = each.key
  providers = { aws = aws.west }
}
"""


def _tree(tmp_path: Path, root: str = ROOT) -> Path:
    write(tmp_path / "stack", {"main.tf": root})
    write(tmp_path / "stack" / "modules" / "net", {"main.tf": NET})
    write(tmp_path / "stack" / "modules" / "web", {"main.tf": WEB})
    write(tmp_path / "stack" / "modules" / "host", {"main.tf": HOST})
    return tmp_path / "stack"


def test_nested_modules_with_for_each_pass_values_through(tmp_path: Path) -> None:
    result = load_terraform(_tree(tmp_path), tmp_path, TerraformInputs())
    model = result.model
    assert [s.id for s in model.subnets] == [
        "module.net.aws_subnet.a[0]",
        "module.net.aws_subnet.a[1]",
    ]
    assert [s.cidr_block for s in model.subnets] == ["10.0.0.0/24", "10.0.1.0/24"]
    groups = {g.id: g for g in model.security_groups}
    blue = groups['module.web["blue"].aws_security_group.web']
    assert blue.vpc == "module.net.aws_vpc.this"
    assert blue.name == "web-blue"
    assert [r.from_port for r in blue.rules] == [80]
    assert [r.from_port for r in groups['module.web["green"].aws_security_group.web'].rules] == [
        8080
    ]
    hosts = {i.id: i for i in model.instances}
    host = hosts['module.web["green"].module.host.aws_instance.web[0]']
    assert host.subnet == "module.net.aws_subnet.a[1]"
    assert host.security_groups == ['module.web["green"].aws_security_group.web']
    assert host.source.file == "stack/modules/host/main.tf"
    assert host.source.line == 4
    assert not [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]


def test_default_tags_follow_provider_aliases_into_modules(tmp_path: Path) -> None:
    model = load_terraform(_tree(tmp_path), tmp_path, TerraformInputs()).model
    assert model.vpcs[0].tags == {"Owner": "team"}
    assert {g.tags["Owner"] for g in model.security_groups} == {"west"}


def test_count_on_module_and_addresses(tmp_path: Path) -> None:
    root = (
        'module "net" {\n  count = 2\n  source = "./modules/net"\n'
        '  cidr = "10.${count.index}.0.0/16"\n  subnets = 1\n}\n'
    )
    model = load_terraform(_tree(tmp_path, root), tmp_path, TerraformInputs()).model
    assert [(v.id, v.cidr_blocks) for v in model.vpcs] == [
        ("module.net[0].aws_vpc.this", ["10.0.0.0/16"]),
        ("module.net[1].aws_vpc.this", ["10.1.0.0/16"]),
    ]
    assert model.subnets[1].vpc == "module.net[1].aws_vpc.this"


def test_registry_module_without_init_is_one_notice(tmp_path: Path) -> None:
    root = (
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        'resource "aws_subnet" "x" {\n  vpc_id = module.vpc.vpc_id\n'
        '  cidr_block = "10.0.0.0/24"\n}\n'
    )
    result = load_terraform(_tree(tmp_path, root), tmp_path, TerraformInputs())
    notices = [d.message for d in result.diagnostics if "not resolved" in d.message]
    assert notices == [
        "module vpc not resolved: run terraform init (source terraform-aws-modules/vpc/aws)"
    ]
    vpc = result.model.subnets[0].vpc
    assert isinstance(vpc, Unknown) and "terraform init" in vpc.reason


def test_cached_module_resolved_from_modules_json(tmp_path: Path) -> None:
    root = 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n  cidr = "10.9.0.0/16"\n}\n'
    folder = _tree(tmp_path, root)
    write(folder / ".terraform" / "modules" / "vpc", {"main.tf": NET})
    manifest = {
        "Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {
                "Key": "vpc",
                "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws",
                "Dir": ".terraform/modules/vpc",
            },
        ]
    }
    (folder / ".terraform" / "modules" / "modules.json").write_text(json.dumps(manifest))
    model = load_terraform(folder, tmp_path, TerraformInputs()).model
    assert [v.id for v in model.vpcs] == ["module.vpc.aws_vpc.this"]
    assert model.vpcs[0].cidr_blocks == ["10.9.0.0/16"]


def test_module_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "stack", {"main.tf": 'module "a" {\n  source = "./a"\n}\n'})
    write(tmp_path / "stack" / "a", {"main.tf": 'module "b" {\n  source = "../a"\n}\n'})
    result = load_terraform(tmp_path / "stack", tmp_path, TerraformInputs())
    errors = [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]
    assert [(e.file, e.line) for e in errors] == [("stack/a/main.tf", 1)]
    assert "module cycle" in errors[0].message


def test_missing_required_input_and_unknown_argument(tmp_path: Path) -> None:
    root = 'module "net" {\n  source = "./modules/net"\n  colour = "red"\n}\n'
    result = load_terraform(_tree(tmp_path, root), tmp_path, TerraformInputs())
    messages = sorted(d.message for d in result.diagnostics if d.level == DiagnosticLevel.ERROR)
    assert messages == [
        "module net has no variable colour",
        "module net: required input cidr is not set",
    ]
    assert isinstance(result.model.vpcs[0].cidr_blocks[0], Unknown)


def test_cycle_between_module_output_and_input(tmp_path: Path) -> None:
    root = 'module "net" {\n  source = "./modules/net"\n  cidr = module.net.cidr\n}\n'
    result = load_terraform(_tree(tmp_path, root), tmp_path, TerraformInputs())
    assert any("reference cycle" in d.message for d in result.diagnostics)
