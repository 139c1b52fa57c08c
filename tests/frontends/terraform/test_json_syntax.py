"""``*.tf.json`` files: the same model as the equivalent ``.tf`` files, with JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform import load_terraform
from tests.frontends.terraform.conftest import Loader, write

HCL = """
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
variable "ports" {
  type    = list(number)
  default = [22, 443]
}
locals {
  name = "web-${var.cidr}"
}
resource "aws_vpc" "main" {
  cidr_block = var.cidr
  tags       = { Name = local.name, Literal = "$${kept}" }
}
resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [lookup({ all = "0.0.0.0/0" }, "all")]
  }
}
resource "aws_subnet" "tier" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
"""

JSON: dict[str, Any] = {
    "//": "the same stack in JSON syntax",
    "variable": {
        "cidr": {"type": "string", "default": "10.0.0.0/16"},
        "ports": {"type": "list(number)", "default": [22, 443]},
    },
    "locals": {"name": "web-${var.cidr}"},
    "resource": {
        "aws_vpc": {
            "main": {
                "cidr_block": "${var.cidr}",
                "tags": {"Name": "${local.name}", "Literal": "$${kept}"},
            }
        },
        "aws_security_group": {
            "web": {
                "vpc_id": "${aws_vpc.main.id}",
                "dynamic": {
                    "ingress": {
                        "for_each": "${var.ports}",
                        "iterator": "port",
                        "content": {
                            "from_port": "${port.value}",
                            "to_port": "${port.value}",
                            "protocol": "tcp",
                            "cidr_blocks": ["0.0.0.0/0"],
                        },
                    }
                },
                "egress": [
                    {
                        "from_port": 0,
                        "to_port": 0,
                        "protocol": "-1",
                        "cidr_blocks": ['${lookup({ all = "0.0.0.0/0" }, "all")}'],
                    }
                ],
            }
        },
        "aws_subnet": {
            "tier": {
                "count": 2,
                "vpc_id": "${aws_vpc.main.id}",
                "cidr_block": "${cidrsubnet(var.cidr, 8, count.index)}",
            }
        },
    },
}


def _without_sources(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_sources(v) for k, v in node.items() if k not in ("source", "unit")}
    if isinstance(node, list):
        return [_without_sources(item) for item in node]
    return node


def test_json_syntax_gives_the_model_of_the_same_hcl(tmp_path: Path) -> None:
    write(tmp_path / "hcl", {"main.tf": HCL})
    write(tmp_path / "json", {"main.tf.json": json.dumps(JSON, indent=2)})
    from_hcl = load_terraform(tmp_path / "hcl", tmp_path, TerraformInputs())
    from_json = load_terraform(tmp_path / "json", tmp_path, TerraformInputs())
    assert not from_hcl.diagnostics and not from_json.diagnostics
    assert from_json.model.vpcs[0].tags == {"Name": "web-10.0.0.0/16", "Literal": "${kept}"}
    rules = from_json.model.security_groups[0].rules
    assert [(r.direction, r.from_port) for r in rules] == [
        ("ingress", 22),
        ("ingress", 443),
        ("egress", None),  # all traffic: no port range
    ]
    dump = [_without_sources(m.model.model_dump(mode="json")) for m in (from_hcl, from_json)]
    assert dump[0] == dump[1]


def test_json_blocks_name_their_lines(load: Loader) -> None:
    text = json.dumps(JSON, indent=2)
    model = load({"main.tf.json": text}).model
    lines = text.splitlines()
    vpc_line = lines.index('      "main": {') + 1
    assert (model.vpcs[0].source.file, model.vpcs[0].source.line) == (
        "stack/main.tf.json",
        vpc_line,
    )


def test_json_and_hcl_files_of_one_module_are_read_together(load: Loader) -> None:
    more = {"resource": {"aws_internet_gateway": {"gw": {"vpc_id": "${aws_vpc.main.id}"}}}}
    result = load({"main.tf": HCL, "gateway.tf.json": json.dumps(more)})
    assert not result.diagnostics
    assert [g.vpc for g in result.model.internet_gateways] == ["aws_vpc.main"]


def test_malformed_json_is_an_error_with_its_line(load: Loader) -> None:
    text = '{\n  "resource": {\n    "aws_vpc": {\n      "main": { "cidr_block": }\n'
    result = load({"bad.tf.json": text, "main.tf": HCL})
    errors = [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]
    assert [(e.file, e.line) for e in errors] == [("stack/bad.tf.json", 4)]
    assert result.model.vpcs  # the other files are still modelled


def test_a_bad_expression_in_json_is_an_error_with_its_line(load: Loader) -> None:
    text = '{\n  "locals": {\n    "x": "${1 +}"\n  }\n}\n'
    result = load({"bad.tf.json": text})
    assert [(d.file, d.line) for d in result.diagnostics] == [("stack/bad.tf.json", 3)]


def test_local_modules_called_from_json_are_found(tmp_path: Path) -> None:
    from policycheck.frontends.terraform.module_sources import local_module_folders

    call = {"module": {"net": {"source": "./modules/net", "cidr": "10.0.0.0/16"}}}
    write(tmp_path / "stack", {"main.tf.json": json.dumps(call)})
    write(tmp_path / "stack" / "modules" / "net", {"main.tf": 'variable "cidr" {}\n'})
    folders = local_module_folders(tmp_path / "stack")
    assert folders == {(tmp_path / "stack" / "modules" / "net").resolve()}
