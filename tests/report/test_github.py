"""GitHub workflow annotations: command per severity, escaping, paths relative to the
workspace, printed to stderr by ``scan`` only inside GitHub Actions."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.report.github import (
    command,
    escape_data,
    escape_property,
    workflow_commands,
)
from tests.report.pr_samples import INSECURE_WEB, synthetic

runner = CliRunner()


def test_escaping_rules() -> None:
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("warning", "hi", file="x.tf", line=None, title="T") == (
        "::warning file=x.tf,title=T::hi")


def test_one_command_per_finding_and_input_problem_with_its_level() -> None:
    lines = workflow_commands(synthetic(), environ={})
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error", "::error", "::warning", "::notice", "::notice",  # CRITICAL..INFO
        "::error",  # the input error
        "::notice",  # the notice
    ]
    assert lines[0].startswith("::error file=main.tf,line=1,title=NET001 (CRITICAL) ")
    error = lines[5]
    assert error.startswith("::error file=broken.tf,line=7,title=")
    assert error.endswith("::unexpected token: 100%25, really%0Asecond line")
    assert all("\n" not in line for line in lines)


def test_paths_relative_to_the_workspace() -> None:
    result = synthetic()  # root is /repo
    inside = workflow_commands(result, environ={"GITHUB_WORKSPACE": "/"})
    assert "file=repo/main.tf," in inside[0]
    outside = workflow_commands(result, environ={"GITHUB_WORKSPACE": "/elsewhere"})
    assert "file=main.tf," in outside[0]


def test_scan_prints_annotations_to_stderr_in_github_actions() -> None:
    workspace = str(INSECURE_WEB.parent.parent)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": workspace}
    result = runner.invoke(app, ["scan", str(INSECURE_WEB), "-f", "json"], env=env)
    assert result.exit_code == 1, result.output
    assert result.stdout.lstrip().startswith("{")  # the report itself is untouched
    lines = result.stderr.splitlines()
    assert any(line.startswith(
        "::warning file=examples/insecure-web/instances.tf,line=1,title=NET003 (MEDIUM) ")
        and "SSH (tcp 22) on aws_instance.bastion" in line for line in lines)
    assert any(line.startswith("::error ") for line in lines)
    assert any(line.startswith("::notice ") for line in lines)


def test_no_annotations_outside_github_actions() -> None:
    result = runner.invoke(app, ["scan", str(INSECURE_WEB), "-f", "json"],
                           env={"GITHUB_ACTIONS": None})
    assert "::" not in result.stderr


def test_format_github_and_input_errors(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "v" {\n  cidr_block = \n', "utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path), "-f", "github"],
                           env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": None})
    assert result.exit_code == 2
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("::error ")]
    assert line.startswith("::error file=main.tf")
    assert result.stderr.count("::error ") == 0  # not printed twice
