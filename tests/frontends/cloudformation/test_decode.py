"""Reading templates: sniffing, malformed input, JSON and YAML alike."""

from __future__ import annotations

from pathlib import Path

from policycheck.frontends.cloudformation import is_cloudformation_template

from .conftest import Loader


def test_sniff_accepts_yaml_and_json_templates(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\n")
    (tmp_path / "b.yml").write_text("# comment\nResources:\n  X:\n    Type: AWS::S3::Bucket\n")
    (tmp_path / "c.json").write_text('{\n  "Resources": {}\n}\n')
    (tmp_path / "d.template").write_text('{"AWSTemplateFormatVersion": "2010-09-09"}')
    for name in ("a.yaml", "b.yml", "c.json", "d.template"):
        assert is_cloudformation_template(tmp_path / name), name


def test_sniff_rejects_other_files(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicas: 3\nimage: nginx\n")
    (tmp_path / "nested.yaml").write_text("spec:\n  Resources: 1\n")
    (tmp_path / "main.tf").write_text("Resources:\n")
    for name in ("values.yaml", "nested.yaml", "main.tf", "missing.yaml"):
        assert not is_cloudformation_template(tmp_path / name), name


def test_malformed_yaml_is_an_error_with_its_line(load: Loader) -> None:
    result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: [10.0.0.0/16
          Other: 1
        """
    )
    assert result.model.vpcs == []
    [error] = result.diagnostics
    assert error.level == "error"
    assert error.file == "template.yaml"
    assert error.line == 6


def test_malformed_json_is_an_error_with_its_line(load: Loader) -> None:
    result = load(
        '{\n  "Resources": {\n    "Vpc": {\n      "Type": "AWS::EC2::VPC",,\n  }\n}\n',
        name="t.json",
    )
    assert [d.level for d in result.diagnostics] == ["error"]
    assert result.diagnostics[0].line == 4


def test_duplicate_keys_are_errors(load: Loader) -> None:
    result = load(
        """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
          Vpc:
            Type: AWS::EC2::VPC
        """
    )
    assert {d.line for d in result.diagnostics if d.level == "error"} == {2, 4}


def test_top_level_list_is_an_error(load: Loader) -> None:
    result = load("- a\n- b\n")
    assert [d.level for d in result.diagnostics] == ["error"]


def test_json_template_has_lines(load: Loader) -> None:
    result = load(
        """
        {
          "Resources": {
            "Vpc": {
              "Type": "AWS::EC2::VPC",
              "Properties": {"CidrBlock": {"Fn::Join": ["/", ["10.1.0.0", "16"]]}}
            }
          }
        }
        """,
        name="sub/net.json",
    )
    [vpc] = result.model.vpcs
    assert vpc.cidr_blocks == ["10.1.0.0/16"]
    assert vpc.source.line == 3
    assert vpc.source.file == "sub/net.json"
    assert result.model.unit == "sub/net.json"


def test_resource_without_type_is_an_error_and_others_still_load(load: Loader) -> None:
    result = load(
        """
        Resources:
          Broken:
            Properties: {}
          Vpc:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: 10.0.0.0/16}
        """
    )
    assert [v.id for v in result.model.vpcs] == ["Vpc"]
    assert [(d.level, d.line) for d in result.diagnostics] == [("error", 2)]


def test_unknown_resource_types_give_one_notice_per_type(load: Loader) -> None:
    result = load(
        """
        Resources:
          A:
            Type: AWS::SNS::Topic
          B:
            Type: AWS::SNS::Topic
          C:
            Type: Custom::Thing
        """
    )
    messages = [(d.level, d.line, d.message) for d in result.diagnostics]
    assert messages == [
        ("notice", 2, "resource type AWS::SNS::Topic is not modelled yet (2 resources)"),
        ("notice", 6, "resource type Custom::Thing is not modelled yet (1 resource)"),
    ]
