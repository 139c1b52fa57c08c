"""CDK cloud assemblies: the manifest's stacks are the units; nested stacks are opened
through their ``aws:asset:path``; lines point into the synthesized templates."""

from __future__ import annotations

import json
from pathlib import Path

from policycheck.discover import Unit, UnitKind, discover
from policycheck.frontends.cloudformation import load_cloudformation
from policycheck.frontends.interface import CloudFormationInputs

PARENT = {
    "Parameters": {"BootstrapVersion": {
        "Type": "AWS::SSM::Parameter::Value<String>",
        "Default": "/cdk-bootstrap/hnb659fds/version"}},
    "Resources": {
        "VpcA1B2": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "NetNestedStackABCD": {
            "Type": "AWS::CloudFormation::Stack",
            "Properties": {
                "TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"},
                                                  ".amazonaws.com/cdk/abc.json"]]},
                "Parameters": {"refVpc": {"Ref": "VpcA1B2"}}},
            "Metadata": {"aws:cdk:path": "App/Net.NestedStack/Resource",
                         "aws:asset:path": "AppNet1234.nested.template.json"}},
    },
}

NESTED = {
    "Parameters": {"refVpc": {"Type": "String"}},
    "Resources": {
        "Sg0": {"Type": "AWS::EC2::SecurityGroup",
                "Properties": {"GroupDescription": "web", "VpcId": {"Ref": "refVpc"},
                               "SecurityGroupIngress": [
                                   {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                    "CidrIp": "0.0.0.0/0"}]}},
    },
}


def _assembly(root: Path) -> Path:
    out = root / "cdk.out"
    out.mkdir()
    (out / "App.template.json").write_text(json.dumps(PARENT, indent=1))
    (out / "AppNet1234.nested.template.json").write_text(json.dumps(NESTED, indent=1))
    (out / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {
        "App": {"type": "aws:cloudformation:stack",
                "properties": {"templateFile": "App.template.json"}},
        "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}))
    return out


def test_only_manifest_stacks_are_units(tmp_path: Path) -> None:
    out = _assembly(tmp_path)
    stack = Unit(UnitKind.CLOUDFORMATION, (out / "App.template.json").resolve())
    assert discover([tmp_path]) == [stack]
    assert discover([out / "manifest.json"]) == [stack]


def test_nested_stack_is_read_through_its_asset_path(tmp_path: Path) -> None:
    out = _assembly(tmp_path)
    result = load_cloudformation(out / "App.template.json", tmp_path, CloudFormationInputs())
    [group] = result.model.security_groups
    assert group.id == "NetNestedStackABCD.Sg0"
    assert group.vpc == "VpcA1B2"
    assert group.source.file == "cdk.out/AppNet1234.nested.template.json"
    lines = (out / "AppNet1234.nested.template.json").read_text().splitlines()
    assert lines[group.source.line - 1].strip().startswith('"Sg0"')
    assert not [d for d in result.diagnostics if d.level == "error"]


def test_templates_opened_as_nested_stacks_are_not_units(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "net.yaml").write_text("Resources: {}\n")
    (tmp_path / "other.yaml").write_text("Resources: {}\n")
    (tmp_path / "root.yaml").write_text(
        "Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties: {TemplateURL: stacks/net.yaml}\n")
    assert [u.path.name for u in discover([tmp_path])] == ["other.yaml", "root.yaml"]
