"""Parameters (defaults, overrides, missing values) and conditions."""

from __future__ import annotations

from policycheck.model import Unknown

from .conftest import Loader

PARAMETERS = """
Parameters:
  Cidr:
    Type: String
    Default: 10.0.0.0/16
  Admin:
    Type: String
  Port:
    Type: Number
    Default: 22
  Zones:
    Type: List<AWS::EC2::AvailabilityZone::Name>
  Names:
    Type: CommaDelimitedList
    Default: a,b
  VpcId:
    Type: AWS::EC2::VPC::Id
    Default: vpc-0123
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      VpcId: !Ref VpcId
      GroupName: !Join ["-", !Ref Names]
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: !Ref Port
          ToPort: !Ref Port
          CidrIp: !Ref Admin
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
      AvailabilityZone: !Select [0, !Ref Zones]
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
"""


def test_defaults_and_missing_values(load: Loader) -> None:
    result = load(PARAMETERS)
    [sg] = result.model.security_groups
    assert result.model.vpcs[0].cidr_blocks == ["10.0.0.0/16"]
    assert sg.name == "a-b"
    ingress = sg.rules[0]
    assert (ingress.from_port, ingress.to_port) == (22, 22)
    assert ingress.cidr == Unknown(reason="parameter Admin has no value")
    assert isinstance(sg.vpc, Unknown)
    assert isinstance(result.model.instances[0].ami, Unknown)
    notices = {(d.line, d.message.split(";")[0]) for d in result.diagnostics}
    assert (5, "parameter Admin has no value") in notices
    zones = (
        "parameter Zones (List<AWS::EC2::AvailabilityZone::Name>) names an existing AWS resource"
    )
    assert (10, zones) in notices
    assert (15, "parameter VpcId (AWS::EC2::VPC::Id) names an existing AWS resource") in notices
    assert (18, "parameter Ami is read from SSM Parameter Store at deploy") in notices
    assert all(d.level == "notice" for d in result.diagnostics)


def test_overrides_win_and_the_last_one_counts(load: Loader) -> None:
    result = load(
        PARAMETERS,
        parameters=(
            ("Admin", "192.168.1.7/0"),
            ("Cidr", "10.9.0.0/16"),
            ("Cidr", "10.8.0.0/16"),
            ("Ami", "ami-42"),
            ("Names", "x, y ,z"),
        ),
    )
    [sg] = result.model.security_groups
    assert result.model.vpcs[0].cidr_blocks == ["10.8.0.0/16"]
    assert sg.rules[0].cidr == "0.0.0.0/0"  # EC2 drops host bits
    assert sg.name == "x-y-z"
    assert result.model.instances[0].ami == "ami-42"
    assert not any("Admin" in d.message for d in result.diagnostics)


def test_override_for_an_undeclared_parameter_is_a_notice(load: Loader) -> None:
    result = load("Resources: {}\n", parameters=(("Nope", "1"),))
    assert [d.message for d in result.diagnostics] == [
        "--param Nope does not match a parameter of this template"
    ]


CONDITIONS = """
Parameters:
  Env:
    Type: String
    Default: dev
  Unset:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsDev, !Equals ["true", true]]
  Either: {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [1, "1"]}]}
  Depends: !Equals [!Ref Unset, "yes"]
  FalseAnd: !And [!Condition IsProd, !Condition Depends]
Resources:
  ProdVpc:
    Type: AWS::EC2::VPC
    Condition: IsProd
    Properties: {CidrBlock: 10.0.0.0/16}
  DevVpc:
    Type: AWS::EC2::VPC
    Condition: Both
    Properties:
      CidrBlock: !If [IsProd, 10.0.0.0/16, 10.1.0.0/16]
      Tags:
        - Key: Either
          Value: !If [Either, 'yes', 'no']
        - !If [IsProd, {Key: Prod, Value: "1"}, !Ref AWS::NoValue]
        - Key: Optional
          Value: !If [IsDev, !Ref AWS::NoValue, x]
  MaybeVpc:
    Type: AWS::EC2::VPC
    Condition: Depends
    Properties: {CidrBlock: 10.2.0.0/16}
  NeverVpc:
    Type: AWS::EC2::VPC
    Condition: FalseAnd
    Properties: {CidrBlock: 10.3.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !If [IsProd, !Ref ProdVpc, !Ref DevVpc]
      CidrBlock: 10.1.0.0/24
      MapPublicIpOnLaunch: !If [IsProd, !Ref AWS::NoValue, true]
"""


def test_conditions_drop_resources_and_pick_branches(load: Loader) -> None:
    result = load(CONDITIONS)
    vpcs = {vpc.id: vpc for vpc in result.model.vpcs}
    assert list(vpcs) == ["DevVpc", "MaybeVpc"]
    assert vpcs["DevVpc"].cidr_blocks == ["10.1.0.0/16"]
    assert vpcs["DevVpc"].tags == {"Either": "yes"}
    [subnet] = result.model.subnets
    assert subnet.vpc == "DevVpc"
    assert subnet.map_public_ip_on_launch is True


def test_condition_on_an_unknown_is_assessed_both_ways_with_a_notice(load: Loader) -> None:
    result = load(CONDITIONS)
    messages = [d.message for d in result.diagnostics if d.level == "notice"]
    depends = [m for m in messages if m.startswith("condition Depends")]
    assert len(depends) == 1
    assert "parameter Unset has no value" in depends[0]
    assert "both possibilities are assessed" in depends[0]
    assert [v.conditions for v in result.variants] == [{"Depends": True}, {"Depends": False}]
    assert [[vpc.id for vpc in v.model.vpcs] for v in result.variants] == [
        ["DevVpc", "MaybeVpc"], ["DevVpc"]]
    assert result.model == result.variants[0].model
    assert not any("FalseAnd" in m for m in messages)  # decided by IsProd alone


def test_no_value_removes_the_property_and_prod_flips_everything(load: Loader) -> None:
    result = load(CONDITIONS, parameters=(("Env", "prod"), ("Unset", "no")))
    assert [vpc.id for vpc in result.model.vpcs] == ["ProdVpc"]
    [subnet] = result.model.subnets
    assert subnet.vpc == "ProdVpc"
    assert subnet.map_public_ip_on_launch is False  # property removed → default


def test_reference_to_a_resource_that_is_not_created(load: Loader) -> None:
    result = load(
        """
        Conditions:
          Never: !Equals [a, b]
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Condition: Never
          Sub:
            Type: AWS::EC2::Subnet
            Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
        """
    )
    assert isinstance(result.model.subnets[0].vpc, Unknown)
    assert "condition Never is false" in result.diagnostics[0].message


def test_cyclic_conditions_are_reported_not_looped(load: Loader) -> None:
    result = load(
        """
        Conditions:
          A: !Condition B
          B: !Not [!Condition A]
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Condition: A
            Properties: {CidrBlock: 10.0.0.0/16}
        """
    )
    assert any(d.level == "error" and "refers to itself" in d.message for d in result.diagnostics)
