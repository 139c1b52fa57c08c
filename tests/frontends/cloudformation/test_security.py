"""Security groups (EC2's default egress, merged rule resources) and network ACLs."""

from __future__ import annotations

from policycheck.model import NaclEntry, SgRule, SourceRef, Unknown

from .conftest import Loader

GROUPS = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      GroupName: web
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          Description: https
        - IpProtocol: "6"
          FromPort: 80
          ToPort: 80
          CidrIpv6: "::/0"
        - IpProtocol: "-1"
          FromPort: 0
          ToPort: 65535
          SourceSecurityGroupId: !Ref App
        - IpProtocol: icmp
          FromPort: 8
          ToPort: -1
          SourcePrefixListId: pl-1
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - IpProtocol: udp
          FromPort: 53
          ToPort: 53
          DestinationSecurityGroupId: !GetAtt Web.GroupId
  AppIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref App
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !Ref Web
  AppOut:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt App.GroupId
      IpProtocol: 50
      FromPort: 1
      ToPort: 2
      CidrIp: 10.0.0.0/8
  Classic:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: default vpc}
  ClassicIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupName: web, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}
  DefaultIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Vpc.DefaultSecurityGroup
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
  Elsewhere:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: sg-123, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
"""


def _line(text: str, start: int = 0) -> int:
    lines = GROUPS.lstrip("\n").splitlines()
    return lines.index(text, start) + 1


def _source(address: str, line: int, kind: str = "AWS::EC2::SecurityGroup") -> SourceRef:
    return SourceRef(file="template.yaml", line=line, address=address, resource_type=kind)


def test_inline_rules_one_per_peer_with_their_own_lines(load: Loader) -> None:
    web = load(GROUPS).model.security_groups[0]
    assert (web.id, web.vpc, web.name) == ("Web", "Vpc", "web")
    first = _line("        - IpProtocol: tcp")
    assert web.rules[:4] == [
        SgRule(
            direction="ingress",
            protocol="tcp",
            from_port=443,
            to_port=443,
            cidr="0.0.0.0/0",
            description="https",
            source=_source("Web", first),
        ),
        SgRule(
            direction="ingress",
            protocol="tcp",
            from_port=80,
            to_port=80,
            cidr="::/0",
            source=_source("Web", first + 5),
        ),
        SgRule(
            direction="ingress",
            protocol="all",
            security_group="App",
            source=_source("Web", first + 9),
        ),
        SgRule(
            direction="ingress",
            protocol="icmp",
            from_port=8,
            to_port=-1,
            prefix_list=Unknown(reason="prefix list 'pl-1' is not declared in this template"),
            source=_source("Web", first + 13),
        ),
    ]


def test_group_without_egress_gets_ec2_default_egress(load: Loader) -> None:
    groups = {group.id: group for group in load(GROUPS).model.security_groups}
    default_egress = SgRule(
        direction="egress", protocol="all", cidr="0.0.0.0/0", source=_source("Web", _line("  Web:"))
    )
    assert groups["Web"].rules[4] == default_egress
    assert [r.direction for r in groups["App"].rules].count("egress") == 2  # declared + AppOut
    assert not any(r.cidr == "0.0.0.0/0" and r.direction == "egress" for r in groups["App"].rules)


def test_separate_rule_resources_merge_into_their_group(load: Loader) -> None:
    app = {group.id: group for group in load(GROUPS).model.security_groups}["App"]
    assert app.rules == [
        SgRule(
            direction="egress",
            protocol="udp",
            from_port=53,
            to_port=53,
            security_group="Web",
            source=_source("App", _line("        - IpProtocol: udp")),
        ),
        SgRule(
            direction="ingress",
            protocol="tcp",
            from_port=8080,
            to_port=8080,
            security_group="Web",
            source=_source("AppIn", _line("  AppIn:"), "AWS::EC2::SecurityGroupIngress"),
        ),
        SgRule(
            direction="egress",
            protocol="50",
            cidr="10.0.0.0/8",
            source=_source("AppOut", _line("  AppOut:"), "AWS::EC2::SecurityGroupEgress"),
        ),
    ]


def test_rule_by_group_name_and_default_vpc_group(load: Loader) -> None:
    groups = {group.id: group for group in load(GROUPS).model.security_groups}
    classic = groups["Classic"]
    assert classic.vpc is None
    assert [r.direction for r in classic.rules] == ["egress"]
    assert groups["Web"].rules[-1].source.address == "ClassicIn"
    assert groups["Web"].rules[-1].from_port == 22


def test_rules_on_the_vpc_default_group_model_that_group(load: Loader) -> None:
    result = load(GROUPS)
    default = {group.id: group for group in result.model.security_groups}[
        "Vpc.DefaultSecurityGroup"
    ]
    assert default.is_default and default.vpc == "Vpc"
    assert [(r.direction, r.protocol, r.cidr, r.security_group) for r in default.rules] == [
        ("ingress", "all", None, "Vpc.DefaultSecurityGroup"),
        ("egress", "all", "0.0.0.0/0", None),
        ("ingress", "tcp", "0.0.0.0/0", None),
    ]
    # Web and App name each other, which CloudFormation rejects; both are still modelled.
    cycle, elsewhere = result.diagnostics
    assert (cycle.level, cycle.line) == ("error", _line("  Web:"))
    assert "circular dependency between resources Web, App" in cycle.message
    assert elsewhere.line == _line("  Elsewhere:") and "sg-123" in elsewhere.message


NACL = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  InSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 22, To: 22}
  InPing:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: "110"
      Protocol: "1"
      RuleAction: deny
      CidrBlock: 10.0.0.0/8
      Icmp: {Type: 8, Code: -1}
  OutAll:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: -1
      Egress: true
      RuleAction: ALLOW
      Ipv6CidrBlock: "::/0"
  OutUdp:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 120
      Protocol: 17
      Egress: "true"
      RuleAction: allow
      CidrBlock: 10.0.0.7/8
      PortRange: {From: 1024, To: 65535}
  Assoc:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: !Ref Sub, NetworkAclId: !Ref Acl}
  OnDefault:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl
      RuleNumber: 50
      Protocol: 6
      RuleAction: deny
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 3389, To: 3389}
"""


def _nacl_source(address: str) -> SourceRef:
    line = NACL.lstrip("\n").splitlines().index(f"  {address}:") + 1
    return SourceRef(
        file="template.yaml", line=line, address=address, resource_type="AWS::EC2::NetworkAclEntry"
    )


def test_nacl_entries_and_associations(load: Loader) -> None:
    result = load(NACL)
    acl = result.model.network_acls[0]
    assert (acl.id, acl.vpc, acl.subnets, acl.is_default) == ("Acl", "Vpc", ["Sub"], False)
    assert acl.entries == [
        NaclEntry(
            rule_number=100,
            egress=False,
            protocol="tcp",
            action="allow",
            cidr="0.0.0.0/0",
            from_port=22,
            to_port=22,
            source=_nacl_source("InSsh"),
        ),
        NaclEntry(
            rule_number=110,
            egress=False,
            protocol="icmp",
            action="deny",
            cidr="10.0.0.0/8",
            icmp_type=8,
            icmp_code=-1,
            source=_nacl_source("InPing"),
        ),
        NaclEntry(
            rule_number=100,
            egress=True,
            protocol="all",
            action="allow",
            cidr="::/0",
            source=_nacl_source("OutAll"),
        ),
        NaclEntry(
            rule_number=120,
            egress=True,
            protocol="udp",
            action="allow",
            cidr="10.0.0.0/8",
            from_port=1024,
            to_port=65535,
            source=_nacl_source("OutUdp"),
        ),
    ]
    assert result.diagnostics == []


def test_entries_on_the_default_nacl_keep_aws_defaults(load: Loader) -> None:
    acls = {acl.id: acl for acl in load(NACL).model.network_acls}
    default = acls["Vpc.DefaultNetworkAcl"]
    assert default.is_default and default.vpc == "Vpc"
    assert [(e.rule_number, e.egress, e.protocol, e.action, e.cidr) for e in default.entries] == [
        (100, False, "all", "allow", "0.0.0.0/0"),
        (100, True, "all", "allow", "0.0.0.0/0"),
        (50, False, "tcp", "deny", "0.0.0.0/0"),
    ]
