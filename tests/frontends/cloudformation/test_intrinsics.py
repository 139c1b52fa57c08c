"""Intrinsic functions, in short (YAML tag) and long form."""

from __future__ import annotations

import pytest

from policycheck.model import Unknown

from .conftest import Loader


def _vpc_tags(load: Loader, tags: str, **kwargs: object) -> dict[str, str]:
    result = load(
        f"""
Parameters:
  Env:
    Type: String
    Default: prod
  Names:
    Type: CommaDelimitedList
    Default: "alpha, beta,gamma"
Mappings:
  Sizes:
    us-east-1: {{Small: t3.micro}}
    eu-west-1: {{Small: t3.nano}}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags:
{tags}
""",
        **kwargs,
    )
    return result.model.vpcs[0].tags


def _tag(key: str, value: str) -> str:
    return f"        - Key: {key}\n          Value: {value}\n"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("!Ref Env", "prod"),
        ("{Ref: Env}", "prod"),
        ('!Sub "${Env}-${AWS::Region}"', "prod-us-east-1"),
        ('{"Fn::Sub": "${Env}-x"}', "prod-x"),
        ('!Sub ["${A}/${Env}", {A: !Ref "AWS::Partition"}]', "aws/prod"),
        ('!Sub "${!Literal}-${Env}"', "${Literal}-prod"),
        ("!Sub '${Vpc}'", "Vpc"),
        ("!Join ['-', [a, !Ref Env, 3]]", "a-prod-3"),
        ("!Join ['', [!Select [1, !Ref Names], x]]", "betax"),
        ("!Select [2, !Split [',', 'a,b,c']]", "c"),
        ("{'Fn::Select': ['0', {'Fn::GetAZs': ''}]}", "us-east-1a"),
        ("!Select [2, !GetAZs eu-west-1]", "eu-west-1c"),
        ("!FindInMap [Sizes, !Ref 'AWS::Region', Small]", "t3.micro"),
        ("!Select [3, !Cidr [10.0.0.0/16, 4, 8]]", "10.0.3.0/24"),
        ("!Select [1, !Cidr ['2001:db8::/56', 2, 64]]", "2001:db8:0:1::/64"),
        ("!Ref AWS::URLSuffix", "amazonaws.com"),
        ("!Base64 plain", "plain"),
    ],
)
def test_expression_values(load: Loader, expression: str, expected: str) -> None:
    assert _vpc_tags(load, _tag("T", expression)) == {"T": expected}


def test_region_comes_from_inputs(load: Loader) -> None:
    tags = _vpc_tags(
        load,
        _tag("Az", "!Select [0, !GetAZs '']")
        + _tag("Size", "!FindInMap [Sizes, !Ref 'AWS::Region', Small]"),
        region="eu-west-1",
    )
    assert tags == {"Az": "eu-west-1a", "Size": "t3.nano"}


@pytest.mark.parametrize(
    "expression",
    [
        "!Ref AWS::AccountId",
        "!Sub '${AWS::StackName}-x'",
        "!ImportValue shared-vpc",
        "!Join ['', [a, !Ref AWS::StackId]]",
        "!GetAtt Vpc.DefaultRouteTable",
        "!Select [9, [a, b]]",
        "!FindInMap [Sizes, nowhere, Small]",
    ],
)
def test_unknown_values_are_not_tags(load: Loader, expression: str) -> None:
    assert _vpc_tags(load, _tag("T", expression)) == {}


def test_unknown_propagates_with_its_reason(load: Loader) -> None:
    result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: !Join ["", [!ImportValue base, "/16"]]
          Sub:
            Type: AWS::EC2::Subnet
            Properties:
              VpcId: !Ref Vpc
              CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]]
              Ipv6CidrBlock: !Select [0, !GetAtt Vpc.Ipv6CidrBlocks]
        """
    )
    assert result.model.vpcs[0].cidr_blocks == [
        Unknown(reason="Fn::ImportValue base is resolved only at deploy")
    ]
    subnet = result.model.subnets[0]
    assert subnet.cidr_block == Unknown(reason="Fn::ImportValue base is resolved only at deploy")
    assert subnet.ipv6_cidr_block == Unknown(
        reason="attribute Ipv6CidrBlocks of Vpc is known only after deploy"
    )


def test_ref_to_undefined_name_is_unknown_with_an_error(load: Loader) -> None:
    result = load(
        """
        Resources:
          Sub:
            Type: AWS::EC2::Subnet
            Properties:
              VpcId: !Ref Missing
              CidrBlock: 10.0.0.0/24
        """
    )
    assert result.model.subnets[0].vpc == Unknown(reason="Missing is not defined in this template")
    assert [(d.level, d.line) for d in result.diagnostics] == [("error", 5)]
    assert "Missing" in result.diagnostics[0].message


def test_get_att_long_and_string_forms(load: Loader) -> None:
    result = load(
        """
        {"Resources": {
          "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
          "Sg": {"Type": "AWS::EC2::SecurityGroup",
                 "Properties": {"GroupDescription": "d", "VpcId": {"Ref": "Vpc"}}},
          "I": {"Type": "AWS::EC2::Instance", "Properties": {
            "SecurityGroupIds": [{"Fn::GetAtt": ["Sg", "GroupId"]},
                                 {"Fn::GetAtt": "Vpc.DefaultSecurityGroup"},
                                 {"Fn::Sub": "${Sg.GroupId}"}]}}
        }}
        """,
        name="t.json",
    )
    assert result.model.instances[0].security_groups == ["Sg", "Vpc.DefaultSecurityGroup", "Sg"]


def test_unknown_function_is_unknown_with_an_error(load: Loader) -> None:
    result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: {"Fn::Nope": [a, b]}
        """
    )
    assert isinstance(result.model.vpcs[0].cidr_blocks[0], Unknown)
    assert [d.level for d in result.diagnostics] == ["error"]


def test_valid_but_unmodelled_function_is_unknown_with_a_notice(load: Loader) -> None:
    result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: {"Fn::Transform": {Name: Macro}}
        """
    )
    assert isinstance(result.model.vpcs[0].cidr_blocks[0], Unknown)
    assert [d.level for d in result.diagnostics] == ["notice"]
