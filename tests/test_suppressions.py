"""Suppressions at the findings stage: each form, each meta rule, expiry on a fixed date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from policycheck.config import IntendedExposure
from policycheck.findings import Finding
from policycheck.model.base import Suppression
from policycheck.report.json import report_document
from policycheck.report.text import render_text
from policycheck.scan import ScanOptions, ScanResult, scan
from policycheck.suppressions.comments import parse_directive, suppressions_in_text
from policycheck.suppressions.records import Origin, SuppressionRecord, from_model
from policycheck.suppressions.stage import apply

NETWORK = """resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
"""

SECURITY_GROUP = """resource "aws_security_group" "ssh" {
  vpc_id = aws_vpc.main.id
  {above_rule}
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""

INSTANCE = """{above}
resource "aws_instance" "web" {{ {trailing}
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.ssh.id]
  tags = {{ Role = "bastion" }}
}}
"""

AS_OF = date(2025, 6, 1)


def write_stack(folder: Path, above: str = "", trailing: str = "", above_rule: str = "") -> Path:
    """A public instance with SSH open to the internet (NET003 and NET005 findings)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "network.tf").write_text(NETWORK)
    (folder / "security.tf").write_text(SECURITY_GROUP.replace("{above_rule}", above_rule))
    (folder / "main.tf").write_text(INSTANCE.format(above=above, trailing=trailing))
    return folder


# The suppression mechanics are exercised on reachability findings; other packages
# (CIS rules on the same security group) would make every expectation depend on them.
PACKAGES = ("network-reachability", "policycheck-meta")


def run(folder: Path, **options: object) -> ScanResult:
    options.setdefault("packages", PACKAGES)
    return scan([folder], ScanOptions(as_of=AS_OF, **options))  # type: ignore[arg-type]


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_directive_syntax() -> None:
    assert parse_directive(" NET003 bastion host") == (["NET003"], None, "bastion host")
    assert parse_directive(" net003, NET005 until=2025-01-31 migrating to SSM") == (
        ["NET003", "NET005"], "2025-01-31", "migrating to SSM")
    assert parse_directive(" NET003  # a note, not the reason") == (["NET003"], None, None)
    assert parse_directive("") == (["(none)"], None, None)
    found, problems = suppressions_in_text(
        "// policycheck:ignore NET003 reason\n\n# comment\nresource {}\n"
        "x = 1 # policycheck:ignore NET001 here\n# policycheck:ignore NET002 until=soon\n",
        "main.tf")
    assert [(s.rule_id, s.line, s.target_line) for s in found] == [
        ("NET003", 1, None), ("NET001", 5, 5)]
    assert problems[0].line == 6 and "until='soon'" in problems[0].message


def test_no_suppression_reports_everything(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path))
    assert ids(result.findings) == ["NET003", "NET005"] and not result.suppressed


def test_comment_above_the_resource_suppresses_that_rule_only(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, above="# policycheck:ignore NET003 bastion host"))
    assert ids(result.findings) == ["NET005"]
    (hidden,) = result.suppressed
    assert hidden.finding.rule_id == "NET003"
    assert hidden.suppression.origin is Origin.INLINE
    assert hidden.suppression.reason == "bastion host"
    assert hidden.suppression.attached_to == "aws_instance.web"


def test_trailing_comment_and_several_ids(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, trailing="# policycheck:ignore NET003,NET005 bastion"))
    assert result.findings == [] and ids([s.finding for s in result.suppressed]) == [
        "NET003", "NET005"]


def test_comment_above_the_security_group_rule_suppresses_through_the_path(
        tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, above_rule="// policycheck:ignore NET003 VPN only"))
    assert ids(result.findings) == ["NET005"]
    assert result.suppressed[0].suppression.file == "security.tf"


def test_blank_line_detaches_the_comment_which_is_then_unused(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, above="# policycheck:ignore NET003 bastion\n"))
    assert ids(result.findings) == ["NET003", "NET005", "PC003"]
    (unused,) = [f for f in result.findings if f.rule_id == "PC003"]
    assert (unused.file, unused.line, unused.severity.value) == ("main.tf", 1, "LOW")


def test_comment_without_reason_applies_and_is_reported(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, above="# policycheck:ignore NET003"))
    assert ids(result.findings) == ["NET005", "PC001"]
    assert ids([s.finding for s in result.suppressed]) == ["NET003"]


def test_unknown_rule_is_reported_and_suppresses_nothing(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, above="# policycheck:ignore NET030 typo"))
    assert ids(result.findings) == ["NET003", "NET005", "PC002"]
    assert "NET030" in next(f.message for f in result.findings if f.rule_id == "PC002")


def test_expiry_is_judged_on_the_given_date(tmp_path: Path) -> None:
    stack = write_stack(tmp_path, above="# policycheck:ignore NET003 until=2025-05-31 SSM")
    expired = run(stack)
    assert ids(expired.findings) == ["NET003", "NET005", "PC004"]
    assert "2025-05-31" in next(f.message for f in expired.findings if f.rule_id == "PC004")
    last_day = scan([stack], ScanOptions(as_of=date(2025, 5, 31), packages=PACKAGES))
    assert ids(last_day.findings) == ["NET005"]


def test_skipped_rule_suppressions_are_not_judged_unused(tmp_path: Path) -> None:
    stack = write_stack(tmp_path, above="# policycheck:ignore NET003 bastion")
    assert ids(run(stack, skip_rules=("NET003",)).findings) == ["NET005"]


def test_only_the_meta_rule_selected_still_judges_usage(tmp_path: Path) -> None:
    used = write_stack(tmp_path / "used", above="# policycheck:ignore NET003 bastion")
    unused = write_stack(tmp_path / "unused", above_rule="# policycheck:ignore NET001 x")
    assert run(used, rules=("PC003",)).findings == []
    assert ids(run(unused, rules=("PC003",)).findings) == ["PC003"]


def _config(rule: str, **fields: object) -> SuppressionRecord:
    return SuppressionRecord(rule_id=rule, origin=Origin.CONFIG, file=".policycheck.yaml",
                             line=3, **fields)


def test_configuration_suppressions(tmp_path: Path) -> None:
    stack = write_stack(tmp_path)
    by_glob = _config("NET003", reason="bastions", resource="aws_instance.w*")
    by_file = _config("NET005", reason="all of main.tf", file_glob="main*.tf")
    wrong_file = _config("NET005", reason="other files", file_glob="other/*.tf")
    result = run(stack, suppressions=(by_glob, by_file, wrong_file))
    assert ids([s.finding for s in result.suppressed]) == ["NET003", "NET005"]
    (unused,) = result.findings
    assert (unused.rule_id, unused.file, unused.line) == ("PC003", ".policycheck.yaml", 3)
    through_group = _config("NET003", reason="x", resource="aws_security_group.ssh")
    assert ids(run(stack, suppressions=(through_group,)).findings) == ["NET005"]


def test_configuration_expiry_and_missing_reason(tmp_path: Path) -> None:
    stack = write_stack(tmp_path)
    expired = _config("NET003", reason="temporary", until=date(2025, 1, 1))
    no_reason = _config("NET005")
    result = run(stack, suppressions=(expired, no_reason))
    assert ids(result.findings) == ["NET003", "PC001", "PC004"]


def test_metadata_suppression_matches_by_resource(tmp_path: Path) -> None:
    finding = run(write_stack(tmp_path)).findings[0]
    record = from_model(Suppression(rule_id=finding.rule_id, reason="r", file=finding.file,
                                    line=2, applies_to=finding.resource))
    assert record.origin is Origin.METADATA
    outcome = apply([finding], [record])
    assert outcome.kept == [] and outcome.suppressed[0].suppression is record
    elsewhere = record.model_copy(update={"resource": "aws_instance.other"})
    assert apply([finding], [elsewhere]).kept == [finding]


def test_cloudformation_comment(tmp_path: Path) -> None:
    source = Path(__file__).parents[1] / (
        "policies/policycheck-meta/PC003-suppression-unused/fixtures/cloudformation/"
        "negative-hides-a-finding.yaml")
    template = tmp_path / "stack.yaml"
    template.write_text(source.read_text())
    result = run(template)
    assert ids([s.finding for s in result.suppressed]) == ["NET003"]
    assert ids(result.findings) == ["NET005"]


def test_reports_keep_suppressed_findings(tmp_path: Path) -> None:
    result = run(write_stack(tmp_path, above="# policycheck:ignore NET003 bastion host"))
    document = json.loads(json.dumps(report_document(result)))
    assert document["summary"]["suppressed"] == 1
    (entry,) = document["suppressed"]
    assert entry["finding"]["rule_id"] == "NET003"
    assert entry["suppression"] == {"rule_id": "NET003", "origin": "inline",
                                    "reason": "bastion host", "file": "main.tf", "line": 1,
                                    "target_line": 2, "attached_to": "aws_instance.web"}
    assert "; 1 suppressed;" in render_text(result).splitlines()[-1]


def test_intended_exposure_moves_covered_findings_to_suppressed(tmp_path: Path) -> None:
    stack = write_stack(tmp_path)
    intent = IntendedExposure.model_validate(
        {"match": {"tag": {"Role": "bastion"}}, "ports": [22], "via": ["IGW"]})
    result = run(stack, intended_exposure=(intent,))
    assert result.findings == []
    assert {s.suppression.origin for s in result.suppressed} == {Origin.INTENT}
    assert "tag Role=bastion" in (result.suppressed[0].suppression.reason or "")
    other_port = IntendedExposure.model_validate(
        {"match": {"resource": "aws_instance.*"}, "ports": ["443-444"]})
    assert ids(run(stack, intended_exposure=(other_port,)).findings) == ["NET003", "NET005"]
