"""The assessment template: validation errors name file and line, discovery stops at the
git root, the command line overrides the file, ``policycheck init``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.config import ConfigError, find_config, load_config
from policycheck.findings import Severity
from policycheck.scan import ScanOptions
from policycheck.settings import prepare
from tests.test_suppressions import write_stack

runner = CliRunner()

FULL = """\
packages: [network-reachability]
skip_rules: [net004]
fail_on: medium
targets: [stack]
as_of: 2025-06-01
terraform:
  vars: {environment: prod, count: 2}
  var_files: [prod.tfvars]
cloudformation:
  parameters: {VpcCidr: 10.0.0.0/16}
recognized_ports:
  - {name: Admin console, protocol: tcp, ports: [8443, "9000-9010"], severity: HIGH}
severity_overrides: {NET005: low}
intended_exposure:
  - match: {tag: {Role: web}}
    from: internet
    ports: [443]
    via: [ELB]
suppressions:
  - rule: NET003
    resource: aws_instance.web
    reason: bastion host
    until: 2030-01-01
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_every_key_loads(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path / ".policycheck.yaml", FULL))
    assert config.fail_on is Severity.MEDIUM
    assert config.severity_overrides == {"NET005": Severity.LOW}
    assert config.suppressions[0].until == date(2030, 1, 1)
    assert config.lines["suppressions.0"] == 20
    assert config.resolve(config.targets[0]) == tmp_path / "stack"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("packages: []\nfail_on: high\nseverty_overrides: {}\n", 3, "severty_overrides: Extra"),
    ("suppressions:\n  - rule: NET003\n    reason: x\n    until: someday\n", 4,
     "suppressions.0.until"),
    ("recognized_ports:\n  - {name: x, ports: [70000], severity: HIGH}\n", 2, "70000"),
    ("intended_exposure:\n  - match: {tag: {A: b}, resource: x}\n    ports: [1]\n", 2,
     "exactly one of"),
    ("fail_on: [high\n", 2, "expected"),
])
def test_invalid_files_name_the_file_and_line(tmp_path: Path, text: str, line: int,
                                              message: str) -> None:
    path = _write(tmp_path / ".policycheck.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


def test_pyproject_section(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml",
                  '[project]\nname = "x"\n\n[tool.policycheck]\nfail_on = "low"\n')
    assert find_config(tmp_path / "sub") == path
    assert load_config(path).fail_on is Severity.LOW
    _write(path, '[tool.policycheck]\nfail_onn = "low"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: fail_onn: Extra inputs"):
        load_config(path)


def test_discovery_walks_up_to_the_git_root(tmp_path: Path) -> None:
    outer = _write(tmp_path / ".policycheck.yaml", "fail_on: low\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra" / "web").mkdir(parents=True)
    assert find_config(repo / "infra" / "web") is None
    inner = _write(repo / ".policycheck.yml", "fail_on: low\n")
    assert find_config(repo / "infra" / "web") == inner
    assert find_config(tmp_path / "elsewhere.tf") == outer


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    _write(tmp_path / ".policycheck.yaml", FULL)
    cli = ScanOptions(packages=("cis-aws-foundations",), as_of=date(2024, 1, 1))
    run = prepare([], cli, fail_on="critical", config_file=tmp_path / ".policycheck.yaml")
    assert run.paths == [tmp_path / "stack"]
    assert run.fail_on is Severity.CRITICAL
    assert run.options.packages == ("cis-aws-foundations",)
    assert run.options.skip_rules == ("NET004",)
    assert run.options.as_of == date(2024, 1, 1)
    assert run.options.terraform.vars == (("environment", "prod"), ("count", "2"))
    assert run.options.terraform.var_files == (tmp_path / "prod.tfvars",)
    assert run.options.suppressions[0].file.endswith(".policycheck.yaml")
    assert run.options.suppressions[0].line == 20
    extra = run.options.rule_parameters["NET003"]["extra_services"]
    assert extra[0].ports == ((8443, 8443), (9000, 9010))


def test_cli_uses_the_nearest_file(tmp_path: Path) -> None:
    stack = write_stack(tmp_path / "stack")
    _write(tmp_path / ".policycheck.yaml", "fail_on: medium\n")  # NET003 here is MEDIUM
    assert runner.invoke(app, ["scan", str(stack)]).exit_code == 1
    assert runner.invoke(app, ["scan", str(stack), "--fail-on", "high"]).exit_code == 0
    _write(tmp_path / ".policycheck.yaml",
           "fail_on: low\npackages: [network-reachability]\n"
           "severity_overrides: {NET003: LOW, NET005: LOW}\n"
           "suppressions:\n  - {rule: NET005, reason: aggregate is noise here}\n")
    result = runner.invoke(app, ["scan", str(stack), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [(f["rule_id"], f["severity"]) for f in document["findings"]] == [("NET003", "LOW")]
    assert document["suppressed"][0]["suppression"]["origin"] == "config"


def test_cli_invalid_configuration_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    stack = write_stack(tmp_path / "stack")
    bad = _write(tmp_path / "custom.yaml", "fail_on: high\nunknown_key: 1\n")
    result = runner.invoke(app, ["scan", str(stack), "--config", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: unknown_key: Extra inputs are not permitted" in result.stderr
    assert runner.invoke(app, ["scan", str(stack), "--as-of", "June"]).exit_code == 2


def test_recognized_ports_from_the_configuration(tmp_path: Path) -> None:
    stack = write_stack(tmp_path / "stack")
    security = stack / "security.tf"
    security.write_text(security.read_text().replace("= 22", "= 8443"))
    _write(tmp_path / ".policycheck.yaml",
           "recognized_ports:\n  - {name: Admin console, ports: [8443], severity: CRITICAL}\n")
    result = runner.invoke(app, ["scan", str(stack), "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    (admin,) = [f for f in findings if f["rule_id"] == "NET003"]
    assert admin["severity"] == "CRITICAL" and "Admin console" in admin["message"]


def test_init_writes_a_valid_commented_template(tmp_path: Path) -> None:
    target = tmp_path / ".policycheck.yaml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert target.read_text().startswith("# policycheck assessment template")
    assert load_config(target).fail_on is Severity.HIGH
    refused = runner.invoke(app, ["init", str(target)])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    target.write_text("changed")
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0
    assert "suppressions" in target.read_text()


TRAIL = '''
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "logs"
}
'''


def _cis301(stack: Path) -> list[str]:
    result = runner.invoke(app, ["scan", str(stack), "--format", "json",
                                 "--packages", "cis-aws-foundations"])
    assert result.exit_code in (0, 1), result.output
    return [f["rule_id"] for f in json.loads(result.stdout)["findings"]
            if f["rule_id"] == "CIS301"]


def test_rule_parameters_override_rule_defaults(tmp_path: Path) -> None:
    stack = tmp_path / "stack"
    _write(stack / "main.tf", TRAIL)  # a single-region trail: CIS 3.1
    assert _cis301(stack) == ["CIS301"]
    _write(tmp_path / ".policycheck.yaml",
           "rule_parameters:\n  CIS301: {account_scope: never}\n")
    assert _cis301(stack) == []


@pytest.mark.parametrize("body, message", [
    ("rule_parameters:\n  NOPE999: {x: 1}\n", "unknown rule 'NOPE999'"),
    ("rule_parameters:\n  CIS301: {colour: red}\n", "CIS301 has no parameter colour"),
])
def test_rule_parameters_are_checked_against_the_rule(tmp_path: Path, body: str,
                                                       message: str) -> None:
    stack = tmp_path / "stack"
    _write(stack / "main.tf", TRAIL)
    config = _write(tmp_path / ".policycheck.yaml", body)
    result = runner.invoke(app, ["scan", str(stack)])
    assert result.exit_code == 2
    assert message in result.output and str(config.name) in result.output


def test_policies_folder_named_in_the_configuration(tmp_path: Path) -> None:
    rules = Path(__file__).parents[1] / "examples" / "custom-policies" / "policies"
    stack = Path(__file__).parents[1] / "examples" / "custom-policies" / "stack"
    config = _write(tmp_path / "policycheck.yaml", f"policies: [{rules}]\n")
    result = runner.invoke(app, ["scan", str(stack), "--config", str(config), "-f", "json"])
    ids = {f["rule_id"] for f in json.loads(result.stdout)["findings"]}
    assert "ORG001" in ids
