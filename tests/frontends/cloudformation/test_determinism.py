"""Same input, same model: order follows the template; JSON output is byte-identical."""

from __future__ import annotations

from policycheck.frontends.interface import FrontendResult

from .conftest import Loader
from .test_compute import COMPUTE
from .test_network import NETWORK
from .test_security import GROUPS, NACL


def test_same_template_gives_identical_json(load: Loader) -> None:
    for text in (NETWORK, GROUPS, NACL, COMPUTE):
        first = load(text)
        second = load(text)
        assert first.model.model_dump_json() == second.model.model_dump_json()
        assert first.diagnostics == second.diagnostics


def test_objects_follow_template_order(load: Loader) -> None:
    result = load(
        """
        Resources:
          Zeta:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: 10.9.0.0/16}
          Alpha:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: 10.1.0.0/16}
          Mid:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: 10.5.0.0/16}
        """
    )
    assert [vpc.id for vpc in result.model.vpcs] == ["Zeta", "Alpha", "Mid"]


def test_yaml_and_json_forms_give_the_same_model(load: Loader) -> None:
    yaml_result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: !Select [0, !Split [",", "10.0.0.0/16,10.1.0.0/16"]]
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: d
              VpcId: !Ref Vpc
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Join ["/", [10.0.0.0, "8"]]}
        """,
        name="t.yaml",
    )
    json_result = load(
        """
        {"Resources": {
          "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {
            "CidrBlock": {"Fn::Select": [0, {"Fn::Split": [",", "10.0.0.0/16,10.1.0.0/16"]}]}}},
          "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "d", "VpcId": {"Ref": "Vpc"},
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                      "CidrIp": {"Fn::Join": ["/", ["10.0.0.0", "8"]]}}]}}
        }}
        """,
        name="t.json",
    )

    def shape(result: FrontendResult) -> list[object]:
        vpcs = [(v.id, v.cidr_blocks) for v in result.model.vpcs]
        rules = [
            r.model_dump(exclude={"source"}) for g in result.model.security_groups for r in g.rules
        ]
        return [vpcs, rules]

    assert shape(yaml_result) == shape(json_result)
    assert shape(yaml_result)[1][0]["cidr"] == "10.0.0.0/8"  # type: ignore[index]
