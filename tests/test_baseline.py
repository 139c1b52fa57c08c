"""Baselines: written by ``baseline create``, matched by fingerprint, stable across edits."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from policycheck.baseline import SCHEMA_VERSION, load_baseline
from policycheck.cli import app
from policycheck.scan import ScanOptions, scan
from tests.test_suppressions import write_stack

runner = CliRunner()

RDP_RULE = """
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = aws_security_group.ssh.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
"""


def _create(stack: Path, baseline: Path) -> None:
    # Baselines are exercised on reachability findings; the CIS rules that also fire on
    # this security group would make every count depend on them.
    (stack.parent / ".policycheck.yaml").write_text("packages: [network-reachability]\n")
    result = runner.invoke(app, ["baseline", "create", str(stack), "-o", str(baseline)])
    assert result.exit_code == 0, result.output
    assert "wrote 2 fingerprints" in result.output


def test_baseline_file_is_readable_and_sorted(tmp_path: Path) -> None:
    stack, baseline = write_stack(tmp_path / "stack"), tmp_path / "baseline.json"
    _create(stack, baseline)
    document = json.loads(baseline.read_text())
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["tool"]["name"] == "policycheck"
    entries = document["findings"]
    assert [e["fingerprint"] for e in entries] == sorted(e["fingerprint"] for e in entries)
    assert {(e["rule_id"], e["resource"], e["file"]) for e in entries} == {
        ("NET003", "aws_instance.web", "main.tf"), ("NET005", "aws_instance.web", "main.tf")}


def test_scan_with_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    stack, baseline = write_stack(tmp_path / "stack"), tmp_path / "baseline.json"
    _create(stack, baseline)
    scan_args = ["scan", str(stack), "--baseline", str(baseline), "--fail-on", "low",
                 "--format", "json"]
    clean = runner.invoke(app, scan_args)
    assert clean.exit_code == 0, clean.output
    document = json.loads(clean.stdout)
    assert document["findings"] == [] and document["summary"]["baselined"] == 2

    # Unrelated edits: blank lines, comments and a new resource above; code moves down.
    main = stack / "main.tf"
    main.write_text('\n\n# the web tier\nresource "aws_s3_bucket" "logs" {\n  bucket = "l"\n}\n'
                    "\n\n" + main.read_text())
    (stack / "network.tf").write_text("# network\n\n" + (stack / "network.tf").read_text())
    moved = runner.invoke(app, scan_args)
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.stdout)["summary"]["baselined"] == 2

    # A new port opened: exactly one new recognized-port finding.
    (stack / "rdp.tf").write_text(RDP_RULE)
    new = runner.invoke(app, [*scan_args, "--skip-rules", "NET005"])
    assert new.exit_code == 1, new.output
    (finding,) = json.loads(new.stdout)["findings"]
    assert (finding["rule_id"], finding["ports"]) == ("NET003", [[3389, 3389]])


def test_aggregate_exposure_is_new_when_its_ports_change(tmp_path: Path) -> None:
    stack, baseline = write_stack(tmp_path / "stack"), tmp_path / "baseline.json"
    _create(stack, baseline)
    (stack / "rdp.tf").write_text(RDP_RULE)
    result = scan([stack], ScanOptions(baseline=load_baseline(baseline),
                                      packages=("network-reachability",)))
    assert sorted(f.rule_id for f in result.findings) == ["NET003", "NET005"]
    assert [f.rule_id for f in result.baselined] == ["NET003"]


def test_unreadable_baseline_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    stack = write_stack(tmp_path / "stack")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1}')
    result = runner.invoke(app, ["scan", str(stack), "--baseline", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: not a policycheck baseline" in result.stderr
    missing = runner.invoke(app, ["scan", str(stack), "--baseline", str(tmp_path / "no")])
    assert missing.exit_code == 2 and "cannot read baseline" in missing.stderr
