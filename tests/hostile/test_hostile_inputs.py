"""Hostile and broken input: each case costs one clear error naming the file (and line
where there is one) — no hang, no traceback, exit code 2 — and the good unit beside it
is still assessed (its findings are still reported).

Every case is written into ``tmp_path`` by the test, next to a copy of
examples/insecure-web (the "good sibling").
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck.cli import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "insecure-web"
runner = CliRunner()


def _alias_bomb(case: Path) -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "a0: &a0 [lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    lines += ["Resources:", "  Bucket:", "    Type: AWS::S3::Bucket",
              "    Properties:", "      Tags: *a11"]
    (case / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "bomb.yaml"


def _deep_hcl(case: Path) -> str:
    depth = 5000
    (case / "main.tf").write_text(
        'locals {\n  x = ' + "[" * depth + "]" * depth + '\n}\n'
        'resource "aws_security_group" "s" {\n  tags = { x = local.x }\n}\n',
        encoding="utf-8")
    return "main.tf"


def _deep_json(case: Path) -> str:
    depth = 100_000
    (case / "deep.json").write_text(
        '{"Resources": {"A": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": '
        + "[" * depth + "]" * depth + "}}}}", encoding="utf-8")
    return "deep.json"


def _deep_yaml(case: Path) -> str:
    depth = 5000
    (case / "deep.yaml").write_text(
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: "
        + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return "deep.yaml"


def _huge_file(case: Path) -> str:
    block = b'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    with (case / "main.tf").open("wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            handle.write(block)
    return "main.tf"


def _binary_tf(case: Path) -> str:
    (case / "main.tf").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 64)
    return "main.tf"


def _invalid_utf8_yaml(case: Path) -> str:
    (case / "template.yaml").write_bytes(
        b"Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        b"      BucketName: caf\xe9\n")
    return "template.yaml"


def _symlink_loop(case: Path) -> str:
    (case / "ok.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n',
                                encoding="utf-8")
    os.symlink("loop-b.tf", case / "loop-a.tf")
    os.symlink("loop-a.tf", case / "loop-b.tf")
    os.symlink(".", case / "again")  # a folder loop for the walk
    return "loop-a.tf"


def _file_outside(case: Path) -> str:
    (case / "main.tf").write_text(
        'resource "aws_instance" "web" {\n  ami           = "ami-12345678"\n'
        '  instance_type = "t3.micro"\n  user_data     = file("/etc/passwd")\n}\n',
        encoding="utf-8")
    return "main.tf"


def _module_outside(case: Path) -> str:
    (case / "main.tf").write_text(
        'module "escape" {\n  source = "../../../../../../../../../../etc"\n}\n',
        encoding="utf-8")
    return "main.tf"


def _cyclic_modules(case: Path) -> str:
    (case / "main.tf").write_text('module "a" {\n  source = "./a"\n}\n', encoding="utf-8")
    for name, other in (("a", "b"), ("b", "a")):
        (case / name).mkdir()
        (case / name / "main.tf").write_text(
            f'module "{other}" {{\n  source = "../{other}"\n}}\n', encoding="utf-8")
    return "b/main.tf"  # where the call closes the cycle


def _cyclic_locals(case: Path) -> str:
    (case / "main.tf").write_text(
        'locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\n'
        'resource "aws_security_group" "s" {\n  name = local.a\n}\n', encoding="utf-8")
    return "main.tf"


Case = Callable[[Path], str]
CASES: dict[str, tuple[Case, str, bool]] = {
    # name: (writer, words the error must contain, whether it names a line)
    "yaml-alias-bomb": (_alias_bomb, "alias", True),
    "deep-hcl": (_deep_hcl, "nested more than", True),
    "deep-json": (_deep_json, "nested more than", True),
    "deep-yaml": (_deep_yaml, "nested more than", True),
    "50-mb-file": (_huge_file, "max_file_bytes", False),
    "binary-tf": (_binary_tf, "binary content", True),
    "invalid-utf8-yaml": (_invalid_utf8_yaml, "not valid UTF-8", True),
    "symlink-loop": (_symlink_loop, "symbolic link loop", False),
    "file-outside-repository": (_file_outside, "outside the scanned repository", True),
    "module-outside-repository": (_module_outside, "outside the scanned repository", True),
    "cyclic-modules": (_cyclic_modules, "module cycle", True),
    "cyclic-locals": (_cyclic_locals, "cycle", True),
}


def scan_json(tmp_path: Path, *args: str) -> tuple[int, dict[str, object]]:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["scan", str(tmp_path / "repo"), "-f", "json", "-o", str(out),
                                 *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(out.read_text(encoding="utf-8"))


def good_sibling(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # the repository boundary for file() and modules
    shutil.copytree(EXAMPLE, repo / "good", ignore=shutil.ignore_patterns("*.json", "*.md"))
    return repo


def assert_sibling_assessed(report: dict[str, object]) -> None:
    findings = report["findings"]
    assert isinstance(findings, list)
    assert any(f["file"].startswith("good/") and f["rule_id"] == "NET001" for f in findings)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_one_clear_error(tmp_path: Path, name: str) -> None:
    if name == "symlink-loop" and sys.platform == "win32":
        pytest.skip("symbolic links need privileges on Windows")
    writer, words, has_line = CASES[name]
    case = good_sibling(tmp_path) / "case"
    case.mkdir()
    file = writer(case)
    code, report = scan_json(tmp_path, "--no-cache", "--unit-timeout", "60")
    assert code == 2
    errors = report["errors"]
    assert isinstance(errors, list)
    mine = [e for e in errors if e["file"] == f"case/{file}" and words in e["message"]]
    assert mine, errors
    if has_line:
        assert all(isinstance(e["line"], int) and e["line"] >= 1 for e in mine), mine
    assert_sibling_assessed(report)


def _many_resources(case: Path, count: int) -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for i in range(count):
        lines += [f"  Group{i}:", "    Type: AWS::EC2::SecurityGroup", "    Properties:",
                  "      GroupDescription: many", "      SecurityGroupIngress:",
                  "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}"]
    (case / "many.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "many.yaml"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unit_over_its_time_budget_is_stopped_and_named(tmp_path: Path, jobs: str) -> None:
    """A template far too large for its time budget is stopped at the budget (in the
    scanning process, or in a worker process), reported, and the sibling is still assessed.

    40,000 resources take several times the 5 s budget on any machine, while the small
    sibling needs a fraction of it, so the outcome does not depend on the machine's speed
    or load (10,000 resources finish within a budget on a fast machine)."""
    case = good_sibling(tmp_path) / "case"
    case.mkdir()
    file = _many_resources(case, 40_000)
    code, report = scan_json(tmp_path, "--no-cache", "--unit-timeout", "5", "--jobs", jobs)
    assert code == 2
    errors = report["errors"]
    assert isinstance(errors, list)
    assert any(e["file"] == f"case/{file}" and "unit_timeout" in e["message"]
               for e in errors), errors
    assert_sibling_assessed(report)


def test_limits_are_configurable(tmp_path: Path) -> None:
    repo = good_sibling(tmp_path)
    (repo / ".policycheck.yaml").write_text("limits:\n  max_file_size_mb: 0.001\n",
                                            encoding="utf-8")
    code, report = scan_json(tmp_path, "--no-cache")
    assert code == 2
    assert any("max_file_bytes" in e["message"] for e in report["errors"])  # type: ignore[attr-defined]
    code, report = scan_json(tmp_path, "--no-cache", "--max-file-size", "1")
    assert report["errors"] == []
