"""``count``/``for_each`` on data sources, and ``self`` where Terraform allows it."""

from __future__ import annotations

import json
from pathlib import Path

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.interface import TerraformInputs
from policycheck.frontends.terraform.context import ModulePlace, Reporter, Shared
from policycheck.frontends.terraform.expand import BlockView, expand
from policycheck.frontends.terraform.load import collect, read_module
from policycheck.frontends.terraform.modules import new_context
from policycheck.frontends.terraform.variables import resolve_variables
from policycheck.model import Unknown
from tests.frontends.terraform.conftest import Evaluator, Loader, write

DOCS = """
data "aws_iam_policy_document" "read" {
  for_each = toset(["logs", "data"])
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${each.key}/*"]
  }
}
data "aws_iam_policy_document" "numbered" {
  count = 2
  statement {
    sid     = "S${count.index}"
    actions = ["sqs:SendMessage"]
    resources = ["*"]
  }
}
"""


def test_for_each_on_a_data_source_gives_a_map_of_instances(evaluate: Evaluator) -> None:
    value, diagnostics = evaluate("sort(keys(data.aws_iam_policy_document.read))", DOCS)
    assert (value, diagnostics) == (["data", "logs"], [])
    text, _ = evaluate('data.aws_iam_policy_document.read["logs"].json', DOCS)
    statement = json.loads(text)["Statement"][0]
    assert statement["Resource"] == "arn:aws:s3:::logs/*"


def test_count_on_a_data_source_gives_a_list_of_instances(evaluate: Evaluator) -> None:
    value, _ = evaluate("length(data.aws_iam_policy_document.numbered)", DOCS)
    assert value == 2
    text, _ = evaluate("data.aws_iam_policy_document.numbered[1].json", DOCS)
    assert json.loads(text)["Statement"][0]["Sid"] == "S1"
    sids, _ = evaluate(
        "[for d in data.aws_iam_policy_document.numbered : jsondecode(d.json).Statement[0].Sid]",
        DOCS,
    )
    assert sids == ["S0", "S1"]


def test_an_unknown_count_on_a_data_source_is_one_unindexed_instance(
    evaluate: Evaluator,
) -> None:
    prelude = (
        'variable "n" {\n  type = number\n}\n'
        'data "aws_iam_policy_document" "d" {\n  count = var.n\n'
        '  statement {\n    actions = ["s3:*"]\n    resources = ["*"]\n  }\n}\n'
    )
    value, diagnostics = evaluate("data.aws_iam_policy_document.d.json", prelude)
    assert json.loads(value)["Statement"][0]["Action"] == "s3:*"
    assert any(
        "count of data.aws_iam_policy_document.d is unknown" in d.message for d in diagnostics
    )


def test_aws_ami_with_for_each_gives_an_image_per_instance(load: Loader) -> None:
    model = load(
        'data "aws_ami" "os" {\n'
        '  for_each    = { ubuntu = "099720109477", amazon = "137112412989" }\n'
        "  owners      = [each.value]\n"
        "  most_recent = true\n"
        '  filter {\n    name   = "name"\n    values = ["${each.key}-*"]\n  }\n}\n'
        'resource "aws_instance" "web" {\n  ami = data.aws_ami.os["ubuntu"].id\n'
        '  instance_type = "t3.micro"\n}\n'
    ).model
    images = {image.id: image for image in model.images}
    assert sorted(images) == ['data.aws_ami.os["amazon"]', 'data.aws_ami.os["ubuntu"]']
    ubuntu = images['data.aws_ami.os["ubuntu"]']
    assert (ubuntu.owners, ubuntu.name_filters, ubuntu.most_recent) == (
        ["099720109477"],
        ["ubuntu-*"],
        True,
    )
    assert model.instances[0].ami == 'data.aws_ami.os["ubuntu"]'


SELF = """
resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  connection {
    host = self.public_ip
    user = "ec2-user"
  }
  provisioner "local-exec" {
    command = "echo ${self.instance_type} ${self.id}"
  }
}
"""


def test_self_in_provisioner_and_connection_blocks(load: Loader, tmp_path: Path) -> None:
    result = load(SELF)
    assert not [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]
    view = _instance_view(tmp_path / "self", SELF)
    command = view.children("provisioner")[0].get("command")
    assert command == "echo t3.micro aws_instance.web"
    host = view.children("connection")[0].get("host")
    assert isinstance(host, Unknown) and "public_ip" in host.reason


def test_self_elsewhere_is_an_error(load: Loader) -> None:
    result = load(
        'resource "aws_instance" "web" {\n  ami = "ami-1"\n  instance_type = self.ami\n}\n'
    )
    errors = [d for d in result.diagnostics if d.level == DiagnosticLevel.ERROR]
    assert [(e.line, "self is only available" in e.message) for e in errors] == [(3, True)]


def _instance_view(folder: Path, text: str) -> BlockView:
    """The expanded view of the only resource of ``text``, as the builders see it."""
    write(folder, {"main.tf": text})
    reporter = Reporter()
    decls = collect(read_module(folder, folder, reporter), reporter)
    variables = resolve_variables(decls.variables, folder, folder, TerraformInputs(), reporter)
    shared = Shared(reporter, scan_root=folder, root_folder=folder, repo_root=folder)
    ctx = new_context(decls, variables, reporter, ModulePlace(folder=folder), shared)
    return expand(ctx, decls.resources["aws_instance"]["web"]).instances[0].view
