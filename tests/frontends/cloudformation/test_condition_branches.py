"""Conditions on deploy-time values: both branches assessed, findings say which."""

from __future__ import annotations

from pathlib import Path

from policycheck.conditional import describe
from policycheck.frontends.interface import CloudFormationInputs
from policycheck.scan import ScanOptions, scan

TEMPLATE = Path(__file__).with_name("branches.yaml")


def _ports(parameters: tuple[tuple[str, str], ...] = ()) -> dict[tuple[int, int], list[str]]:
    options = ScanOptions(rules=("NET003",),
                          cloudformation=CloudFormationInputs(parameters=parameters))
    findings = scan([TEMPLATE], options).findings
    return {f.ports[0]: (f.assumptions or []) for f in findings if f.ports}


def test_unknown_condition_yields_a_conditional_finding() -> None:
    result = scan([TEMPLATE], ScanOptions(rules=("NET003",)))
    by_port = {f.ports[0]: f for f in result.findings if f.ports}
    assert set(by_port) == {(22, 22), (443, 443)}
    ssh, https = by_port[(22, 22)], by_port[(443, 443)]
    assert ssh.message.endswith("Only if condition SshOpen is true.")
    assert ssh.assumptions == ["if condition SshOpen is true"]
    assert not https.assumptions and "Only if" not in https.message
    assert any("condition SshOpen depends on a value known only at deploy" in d.message
               for d in result.diagnostics)


def test_param_decides_the_condition() -> None:
    assert _ports((("AllowSsh", "false"),)) == {(443, 443): []}
    assert _ports((("AllowSsh", "true"),)) == {(22, 22): [], (443, 443): []}


def test_describe_prefers_one_condition_then_two_then_cases() -> None:
    assignments = [{"A": a, "B": b} for a in (True, False) for b in (True, False)]
    assert describe(assignments, {0, 1}) == "if condition A is true"
    assert describe(assignments, {3}) == "if condition A is false and condition B is false"
    assert describe(assignments, {0, 3}) == (
        "if (condition A is true and condition B is true) or "
        "(condition A is false and condition B is false)")


def test_cli_param_file_decides_the_condition(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from policycheck.cli import app

    params = tmp_path / "params.json"
    params.write_text(json.dumps([{"ParameterKey": "AllowSsh", "ParameterValue": "false"}]))
    result = CliRunner().invoke(app, ["scan", str(TEMPLATE), "--param-file", str(params),
                                      "-f", "json", "--fail-on", "critical"])
    assert result.exit_code == 0, result.output
    ports = {tuple(f["ports"][0]) for f in json.loads(result.output)["findings"]
             if f["rule_id"] == "NET003"}
    assert ports == {(443, 443)}
