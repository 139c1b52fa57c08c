"""The command line end to end: exit codes, formats, output files, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from policycheck import __version__
from policycheck.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples"
runner = CliRunner()

PUBLIC_SSH = '''
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "s" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.s.id
  route_table_id = aws_route_table.r.id
}
resource "aws_security_group" "ssh" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_instance" "web" {
  ami                    = "ami-1"
  subnet_id              = aws_subnet.s.id
  vpc_security_group_ids = [aws_security_group.ssh.id]
}
variable "port" {
  default = 22
}
'''


def _stack(tmp_path: Path, text: str = PUBLIC_SSH) -> Path:
    (tmp_path / "main.tf").write_text(text)
    return tmp_path


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"policycheck {__version__}"


def test_exit_code_follows_fail_on(tmp_path: Path) -> None:
    stack = _stack(tmp_path)  # SSH from the internet: MEDIUM
    assert runner.invoke(app, ["scan", str(stack)]).exit_code == 0  # default: high
    assert runner.invoke(app, ["scan", str(stack), "--fail-on", "medium"]).exit_code == 1
    assert runner.invoke(app, ["scan", str(stack), "--var", "port=3389"]).exit_code == 1


def test_json_report_contract(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(_stack(tmp_path)), "-f", "json"])
    document = json.loads(result.output)
    assert set(document) >= {"schema_version", "tool", "findings", "summary", "errors"}
    assert document["tool"] == {"name": "policycheck", "version": __version__}
    ssh = next(f for f in document["findings"] if f["rule_id"] == "NET003")
    for key in ("rule_id", "package", "severity", "title", "message", "resource",
                "resource_type", "file", "line", "remediation", "fingerprint",
                "finding_type", "path_kind", "protocol", "ports", "sources", "path"):
        assert key in ssh, key
    assert (ssh["resource"], ssh["file"], ssh["protocol"]) == ("aws_instance.web", "main.tf",
                                                               "tcp")
    assert ssh["ports"] == [[22, 22]] and ssh["sources"] == ["0.0.0.0/0"]
    assert ssh["path_kind"] == "IGW" and ssh["finding_type"] == "RecognizedPortNoAgent"
    assert {hop["type"] for hop in ssh["path"]} >= {"InternetGateway", "RouteTable",
                                                   "SecurityGroup"}
    assert document["summary"]["by_severity"]["MEDIUM"] >= 1


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    (tmp_path / "stack").mkdir()
    stack = _stack(tmp_path / "stack")
    result = runner.invoke(app, ["scan", str(stack), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text())["findings"]


def test_malformed_file_is_an_error_but_the_rest_is_assessed(tmp_path: Path) -> None:
    _stack(tmp_path)
    (tmp_path / "broken.tf").write_text('resource "aws_vpc" "x" {\n  cidr_block = \n}\n')
    result = runner.invoke(app, ["scan", str(tmp_path), "-f", "json"])
    assert result.exit_code == 2
    document = json.loads(result.output)
    assert [e["file"] for e in document["errors"]] == ["broken.tf"]
    assert document["errors"][0]["line"] in (2, 3)
    assert any(f["rule_id"] == "NET003" for f in document["findings"])


def test_unresolved_reference_is_reported_not_fatal(tmp_path: Path) -> None:
    text = PUBLIC_SSH.replace('cidr_blocks = ["0.0.0.0/0"]', "cidr_blocks = [var.admin_cidr]")
    result = runner.invoke(app, ["scan", str(_stack(tmp_path, text)), "-f", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert any("admin_cidr" in n["message"] for n in document["notices"])
    ssh = next(f for f in document["findings"] if f["rule_id"] == "NET003")
    assert any("admin_cidr" in a for a in ssh["assumptions"])


def test_missing_path_and_bad_options(tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(app, ["scan", str(tmp_path), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(tmp_path), "--fail-on", "severe"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(tmp_path), "--var", "novalue"]).exit_code == 2


def test_text_report_shows_path_and_fix() -> None:
    result = runner.invoke(app, ["scan", str(EXAMPLES / "insecure-web")])
    assert result.exit_code == 1
    assert "HIGH (" in result.output and "path:" in result.output and "fix:" in result.output
    assert result.output.index("HIGH (") < result.output.index("MEDIUM (")


def test_private_instance_is_not_reachable_and_model_says_why() -> None:
    scan_result = runner.invoke(app, ["scan", str(EXAMPLES / "insecure-web"), "-f", "json",
                                      "--packages", "network-reachability"])
    findings = json.loads(scan_result.output)["findings"]
    assert not [f for f in findings if f["resource"] == "aws_instance.app"]
    model_result = runner.invoke(app, ["model", str(EXAMPLES / "insecure-web")])
    assert model_result.exit_code == 0
    document = json.loads(model_result.output)
    unit = document["units"][0]
    assert any(i["id"] == "aws_instance.app" for i in unit["model"]["instances"])
    verdicts = [v for v in unit["reachability"]["verdicts"]
                if v["target"] == "aws_instance.app" and v["address_family"] == "ipv4"]
    assert verdicts and not verdicts[0]["reachable"]
    codes = {b["code"] for b in verdicts[0]["blockers"]}
    assert "NO_ROUTE_TO_DESTINATION" in codes


def test_rules_list() -> None:
    result = runner.invoke(app, ["rules", "list", "--format", "json"])
    ids = [r["id"] for r in json.loads(result.output)]
    assert ids == sorted(ids) and {"NET001", "NET005"} <= set(ids)


def test_several_formats_paired_with_outputs(tmp_path: Path) -> None:
    stack = tmp_path / "stack"
    stack.mkdir()
    _stack(stack)
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["scan", str(stack), "-f", "json", "-o", str(out),
                                 "-f", "text"])
    assert result.exit_code == 0
    assert "NET003" in result.output and not result.output.lstrip().startswith("{")
    assert json.loads(out.read_text())["findings"]
    two_to_stdout = runner.invoke(app, ["scan", str(stack), "-f", "json", "-f", "text"])
    assert two_to_stdout.exit_code == 2
