"""Parameter files, suppressions in Metadata, nested stacks, SAM and LanguageExtensions."""

from __future__ import annotations

import json
from pathlib import Path

from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs
from policycheck.model import Suppression, Unknown

from .conftest import Loader

SG = """
Parameters:
  Cidr:
    Type: String
    AllowedValues: [10.0.0.0/8, 0.0.0.0/0]
    Default: 10.0.0.0/8
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      policycheck:
        ignore:
          - id: NET001
            reason: bastion by design
          - id: NET005
    Properties:
      GroupDescription: d
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}
"""


def _cidr(result: object) -> object:
    return result.model.security_groups[0].rules[0].cidr  # type: ignore[attr-defined]


def test_parameter_files_in_both_formats_and_param_wins(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(SG, encoding="utf-8")
    cli = tmp_path / "cli.json"
    cli.write_text(json.dumps([{"ParameterKey": "Cidr", "ParameterValue": "0.0.0.0/0"}]))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"Parameters": {"Cidr": "192.168.0.0/16"}}))

    def load(**kwargs: object) -> object:
        return load_cloudformation(template, tmp_path, CloudFormationInputs(**kwargs))  # type: ignore[arg-type]

    assert _cidr(load(parameter_files=(cli,))) == "0.0.0.0/0"
    later = load(parameter_files=(cli, config))
    assert _cidr(later) == "192.168.0.0/16"
    notices = [d.message for d in later.diagnostics]  # type: ignore[attr-defined]
    assert any("not one of its AllowedValues" in m for m in notices)
    assert _cidr(load(parameter_files=(config,), parameters=(("Cidr", "0.0.0.0/0"),))) \
        == "0.0.0.0/0"


def test_bad_parameter_file_is_an_error_with_its_line(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(SG, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "Parameters": {\n    "Cidr": \n}\n')
    result = load_cloudformation(template, tmp_path, CloudFormationInputs(parameter_files=(bad,)))
    [error] = [d for d in result.diagnostics if d.level == "error"]
    assert error.line == 4 and "parameter file" in error.message
    assert _cidr(result) == "10.0.0.0/8"  # the scan goes on with the default


def test_metadata_suppressions(load: Loader) -> None:
    result = load(SG)
    assert result.model.suppressions == [
        Suppression(rule_id="NET001", reason="bastion by design", file="template.yaml",
                    line=12, applies_to="Sg"),
        Suppression(rule_id="NET005", reason=None, file="template.yaml", line=14,
                    applies_to="Sg"),
    ]


PARENT = """
Parameters:
  Admin: {Type: String, Default: 0.0.0.0/0}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Net:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        VpcId: !Ref Vpc
        Admin: !Ref Admin
  Host:
    Type: AWS::EC2::Instance
    Properties:
      SubnetId: !GetAtt Net.Outputs.SubnetId
      SecurityGroupIds: [!GetAtt Net.Outputs.GroupId]
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/remote.yaml
"""

CHILD = """
Parameters:
  VpcId: {Type: AWS::EC2::VPC::Id}
  Admin: {Type: String}
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: 10.0.1.0/24}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Admin}
Outputs:
  SubnetId: {Value: !Ref Subnet}
  GroupId: {Value: !GetAtt Group.GroupId}
"""


def test_nested_stack_parameters_outputs_and_sources(load: Loader, tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(CHILD, encoding="utf-8")
    result = load(PARENT)
    [subnet] = result.model.subnets
    assert (subnet.id, subnet.vpc) == ("Net.Subnet", "Vpc")
    assert (subnet.source.file, subnet.source.line) == ("child.yaml", 6)
    [group] = result.model.security_groups
    assert group.id == "Net.Group" and group.rules[0].cidr == "0.0.0.0/0"
    [host] = result.model.instances
    assert (host.subnet, host.security_groups) == ("Net.Subnet", ["Net.Group"])
    notices = [(d.file, d.message) for d in result.diagnostics]
    assert any(f == "template.yaml" and "Remote: nested stack template not read" in m
               for f, m in notices)
    assert not any("AWS::CloudFormation::Stack" in m for _, m in notices)


def test_missing_nested_template_is_a_notice(load: Loader) -> None:
    result = load(PARENT)
    assert any("child.yaml not found" in d.message for d in result.diagnostics)
    assert isinstance(result.model.instances[0].subnet, Unknown)


def test_fn_length_and_to_json_string(load: Loader) -> None:
    result = load(
        """
        Transform: AWS::LanguageExtensions
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: d
              GroupName: !Sub ["n${Count}", {Count: !Length [x, y, z]}]
              Tags: [{Key: json, Value: !ToJsonString {a: [1, 2]}}]
        """
    )
    [group] = result.model.security_groups
    assert group.name == "n3"
    assert group.tags == {"json": '{"a":[1,2]}'}


def test_fn_for_each_expands_resources(load: Loader) -> None:
    result = load(
        """
        Transform: AWS::LanguageExtensions
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: 10.0.0.0/16}
          Fn::ForEach::Subnets:
            - Zone
            - [a, b]
            - Subnet${Zone}:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  AvailabilityZone: !Sub us-east-1${Zone}
                  CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 1, 8]]
        """
    )
    assert [(s.id, s.availability_zone) for s in result.model.subnets] == [
        ("Subneta", "us-east-1a"), ("Subnetb", "us-east-1b")]


def test_sam_function_url_is_translated_offline(load: Loader) -> None:
    result = load(
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              CodeUri: src/
              FunctionUrlConfig: {AuthType: NONE}
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties: {GroupDescription: d}
        """
    )
    assert not [d for d in result.diagnostics if d.level == "error"]
    assert [g.id for g in result.model.security_groups] == ["Sg"]
    [function] = result.model.lambda_functions
    assert (function.id, function.runtime, function.source.line) == ("Api", "python3.12", 3)
    [url] = result.model.lambda_function_urls
    assert (url.function, url.authorization_type) == ("Api", "NONE")
    assert url.source.line == 3  # generated ApiUrl points at the SAM resource
    [role] = result.model.iam_roles
    assert role.managed_policies == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
