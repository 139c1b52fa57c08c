"""``policycheck diff``: folders and git revisions, text, JSON and Markdown."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.exposure_diff import diff_exposures, revision_checkout
from policycheck.model import SourceRef
from policycheck.reachability import Exposure, PathKind, ReachabilityResult

runner = CliRunner()

NETWORK = '''
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
resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s.id
  vpc_security_group_ids = [aws_security_group.web.id]
}
'''


def _group(*rules: tuple[int, str]) -> str:
    body = "".join(
        f'''  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
''' for port, cidr in rules)
    return f'resource "aws_security_group" "web" {{\n  vpc_id = aws_vpc.v.id\n{body}}}\n'


def _write(folder: Path, *rules: tuple[int, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(NETWORK + _group(*rules))
    return folder


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


def test_folders_opened_closed_and_changed(tmp_path: Path) -> None:
    base = _write(tmp_path / "base", (443, "0.0.0.0/0"), (22, "198.51.100.0/28"),
                  (8080, "0.0.0.0/0"))
    head = _write(tmp_path / "head", (443, "0.0.0.0/0"), (22, "0.0.0.0/0"),
                  (3389, "0.0.0.0/0"))
    result = runner.invoke(app, ["diff", str(base), str(head), "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    summary = {key: [(c["target"], c["ports"], c["sources"]) for c in document[key]]
               for key in ("opened", "closed", "changed")}
    assert summary == {
        "opened": [("aws_instance.web", [[3389, 3389]], ["0.0.0.0/0"])],
        "closed": [("aws_instance.web", [[8080, 8080]], ["0.0.0.0/0"])],
        "changed": [("aws_instance.web", [[22, 22]], ["0.0.0.0/0"])],
    }
    assert document["changed"][0]["base_sources"] == ["198.51.100.0/28"]


def test_no_change_exits_0_and_markdown_has_tables(tmp_path: Path) -> None:
    base = _write(tmp_path / "base", (443, "0.0.0.0/0"))
    head = _write(tmp_path / "head", (443, "0.0.0.0/0"))
    same = runner.invoke(app, ["diff", str(base), str(head)])
    assert same.exit_code == 0 and "0 opened, 0 closed, 0 changed" in same.stdout
    wider = _write(tmp_path / "wider", (443, "0.0.0.0/0"), (22, "0.0.0.0/0"))
    markdown = runner.invoke(app, ["diff", str(base), str(wider), "--format", "markdown"])
    assert "### Became reachable" in markdown.stdout
    assert "| `aws_instance.web` | tcp 22 | IGW | 0.0.0.0/0 |" in markdown.stdout


def test_base_ref_uses_a_temporary_worktree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    stack = _write(repo / "infra", (443, "0.0.0.0/0"))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _write(stack, (443, "0.0.0.0/0"), (22, "0.0.0.0/0"))
    result = runner.invoke(app, ["diff", "--base-ref", "HEAD", str(stack)])
    assert result.exit_code == 1, result.output
    assert "+ aws_instance.web tcp 22 by IGW from 0.0.0.0/0" in result.stdout
    listed = subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout
    assert len(listed.strip().splitlines()) == 1, "the temporary worktree was not removed"


def test_base_ref_errors_exit_2(tmp_path: Path) -> None:
    outside = _write(tmp_path / "plain", (443, "0.0.0.0/0"))
    assert runner.invoke(app, ["diff", "--base-ref", "HEAD", str(outside)]).exit_code == 2
    repo = tmp_path / "repo"
    _write(repo, (443, "0.0.0.0/0"))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    with pytest.raises(ValueError), revision_checkout(repo, "no-such-ref"):
        pass
    assert runner.invoke(app, ["diff", str(repo)]).exit_code == 2


def _exposure(ports: tuple[tuple[int, int], ...], sources: tuple[str, ...],
              interface: str) -> Exposure:
    return Exposure(target="asg", target_source=SourceRef(file="f", line=1, address="asg",
                                                    resource_type="aws_autoscaling_group"),
                    interface=interface, path_kind=PathKind.IGW, protocol="tcp", ports=ports,
                    sources=sources, path=())


def test_interfaces_of_one_target_are_merged_and_split_by_sources() -> None:
    base = ReachabilityResult(exposures=(_exposure(((22, 22),), ("10.0.0.0/8",), "asg (a)"),))
    head = ReachabilityResult(exposures=(
        _exposure(((20, 25),), ("10.0.0.0/8",), "asg (a)"),
        _exposure(((23, 23),), ("0.0.0.0/0",), "asg (b)"),
    ))
    result = diff_exposures([(".", base)], [(".", head)])
    assert [(c.ports, c.sources) for c in result.opened] == [
        (((20, 21), (24, 25)), ("10.0.0.0/8",)),
        (((23, 23),), ("0.0.0.0/0", "10.0.0.0/8")),
    ]
    assert not result.closed and not result.changed
