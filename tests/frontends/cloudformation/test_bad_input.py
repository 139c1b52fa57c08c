"""Bad input (issue 4, item 8): each case is an error diagnostic with file and line,
the scan exits 2, and another template in the same scan is still assessed."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from policycheck.cli import app

GOOD = (
    Path(__file__).parents[3]
    / "policies/network-reachability/NET003-recognized-port-no-agent/fixtures"
    / "cloudformation/positive-ssh-open.yaml"
)
"""A deployable template with one NET003 finding (on FailSsh), scanned beside the bad one."""

runner = CliRunner()


def scan_beside_good(tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    """Scan a folder holding ``name`` (bad) and ``good.yaml``; check what every case must
    satisfy and return the JSON report."""
    shutil.copy(GOOD, tmp_path / "good.yaml")
    (tmp_path / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path), "-f", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 2
    document: dict[str, Any] = json.loads(result.output)
    assert [(f["rule_id"], f["file"], f["resource"]) for f in document["findings"]
            if f["rule_id"] == "NET003"] == [("NET003", "good.yaml", "FailSsh")]
    assert document["summary"]["units"] == 2
    assert all(error["file"] == name for error in document["errors"])
    return document


def errors(document: dict[str, Any]) -> list[tuple[int | None, str]]:
    return [(error["line"], error["message"]) for error in document["errors"]]


def test_invalid_yaml(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "bad.yaml", """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: [10.0.0.0/16
        """)
    [(line, _)] = errors(document)
    assert line in (5, 6)


def test_invalid_json(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "bad.json", """
        {"Resources": {
          "Vpc": {"Type": "AWS::EC2::VPC",
                  "Properties": {"CidrBlock" "10.0.0.0/16"}}
        }}
        """)
    [(line, _)] = errors(document)
    assert line == 3


def test_unknown_intrinsic_function(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "bad.yaml", """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: {"Fn::Frobnicate": [a, b]}
        """)
    assert errors(document) == [(5, "Fn::Frobnicate is not an intrinsic function; its "
                                    "value is unknown")]


def test_circular_reference(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "bad.yaml", """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: 10.0.0.0/16}
          Web:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              VpcId: !Ref Vpc
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref App}
          App:
            Type: AWS::EC2::SecurityGroup
            DependsOn: Db
            Properties:
              GroupDescription: app
              VpcId: !Ref Vpc
          Db:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: !Sub "db of ${Web.GroupId}"
              VpcId: !Ref Vpc
        """)
    assert errors(document) == [(5, "circular dependency between resources Web, App, Db "
                                    "(CloudFormation rejects the template)")]


def test_ref_to_missing_resource(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "bad.yaml", """
        Resources:
          Subnet:
            Type: AWS::EC2::Subnet
            Properties:
              VpcId: !Ref MissingVpc
              CidrBlock: 10.0.0.0/24
        """)
    [(line, message)] = errors(document)
    assert line == 5 and message.startswith("Ref to MissingVpc, which is not a parameter")


def test_ref_to_missing_parameter(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "bad.yaml", """
        Parameters:
          Env: {Type: String, Default: prod}
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: !Ref VpcCidr
              Tags: [{Key: Env, Value: !Ref Env}]
        """)
    [(line, message)] = errors(document)
    assert line == 7 and message.startswith("Ref to VpcCidr, which is not a parameter")


def test_oversized_template(tmp_path: Path) -> None:
    padding = "# padding\n" * (11 * 1024 * 1024 // 10)  # 11 MB, over the 10 MB limit
    document = scan_beside_good(tmp_path, "big.yaml",
                                "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n" + padding)
    [(line, message)] = errors(document)
    assert "limit" in message or "larger than" in message
    assert line is None or line >= 1  # the whole file: no line is more at fault


def test_deeply_nested_template(tmp_path: Path) -> None:
    document = scan_beside_good(tmp_path, "deep.yaml",
                                "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n"
                                "      CidrBlock: " + "[" * 300 + "]" * 300 + "\n")
    [(line, message)] = errors(document)
    assert line == 5 and "deep" in message
