"""Odd input never raises: it becomes diagnostics and Unknowns."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs

from .conftest import Loader

ODD_TEMPLATES = [
    "",
    "Resources:\n",
    "Resources: [1, 2]\nParameters: 3\nConditions: [a]\nMappings: x\n",
    "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: [1]\n",
    "Resources:\n  A:\n    Type: AWS::EC2::SecurityGroup\n    Condition: [x]\n"
    "    Properties:\n      SecurityGroupIngress: oops\n      SecurityGroupEgress: [1, [2]]\n",
    "Resources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n"
    "      NetworkInterfaces: [a, {DeviceIndex: x}]\n      Tags: nope\n"
    "      SecurityGroupIds: !Ref [1]\n      SubnetId: !GetAtt 7\n",
    "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n"
    "      CidrBlock: !If [{a: b}, 1, 2]\n      X: !Sub [a, b, c]\n      Y: !Sub [a, 1]\n"
    "      Z: !Cidr [nonsense, 2, 8]\n      W: !Select [a, b]\n      V: !Join [1]\n"
    "      U: !FindInMap [a]\n      T: !Split [',', !Ref AWS::Nope]\n",
    "Conditions:\n  C: !Equals [a]\n  D: {Fn::Bogus: []}\n"
    "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Condition: C\n"
    "  B:\n    Type: AWS::EC2::VPC\n    Condition: D\n  E:\n    Type: AWS::EC2::VPC\n"
    "    Condition: Missing\n",
    "Resources:\n  R:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n"
    "      NetworkAclId: !Ref Nope\n  S:\n    Type: AWS::EC2::SubnetNetworkAclAssociation\n"
    "  T:\n    Type: AWS::EC2::EIPAssociation\n  U:\n    Type: AWS::EC2::VPCCidrBlock\n"
    "  V:\n    Type: AWS::EC2::NetworkInterfaceAttachment\n  W:\n    Type: AWS::EC2::Route\n",
    "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: "
    + "[" * 150
    + "]" * 150
    + "\n",
]


@pytest.mark.parametrize("text", ODD_TEMPLATES)
def test_odd_templates_do_not_raise(load: Loader, text: str) -> None:
    result = load(text)
    result.model.model_dump_json()


def test_unreadable_and_missing_files_are_errors(tmp_path: Path) -> None:
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00Resources")
    for path in (binary, tmp_path / "missing.yaml", tmp_path):
        result = load_cloudformation(path, tmp_path, CloudFormationInputs())
        assert [d.level for d in result.diagnostics] == ["error"]


def test_get_att_cycle_is_reported(load: Loader) -> None:
    result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: !GetAtt Vpc.CidrBlock
        """
    )
    assert result.model.vpcs[0].cidr_blocks[0].unknown  # type: ignore[union-attr]
    assert any("depends on itself" in d.message for d in result.diagnostics)


def test_properties_removed_by_no_value_mean_no_properties(load: Loader) -> None:
    result = load(
        """
        Conditions:
          Never: !Equals [a, b]
        Resources:
          Igw:
            Type: AWS::EC2::InternetGateway
            Properties: !If [Never, {Tags: []}, !Ref AWS::NoValue]
        """
    )
    assert [igw.id for igw in result.model.internet_gateways] == ["Igw"]
    assert result.diagnostics == []


def test_transform_is_reported(load: Loader) -> None:
    result = load("Transform: Custom::Macro\nResources: {}\n")
    assert [d.level for d in result.diagnostics] == ["notice"]
    assert "not applied" in result.diagnostics[0].message


def test_sniff_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    from policycheck.frontends.cloudformation import is_cloudformation_template

    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfResources:\n  A:\n    Type: AWS::S3::Bucket\n")
    assert is_cloudformation_template(path)
