"""Instances, their primary interface, and network interfaces."""

from __future__ import annotations

import base64

from policycheck.model import InterfaceAttachment, SourceRef, Unknown

from .conftest import Loader

ENCODED = base64.b64encode(b"#!/bin/sh\nyum install -y httpd\n").decode()

COMPUTE = f"""
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {{CidrBlock: 10.0.0.0/16}}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {{GroupDescription: d, VpcId: !Ref Vpc}}
  Named:
    Type: AWS::EC2::SecurityGroup
    Properties: {{GroupDescription: d, GroupName: legacy}}
  Simple:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      InstanceType: t3.micro
      SubnetId: !Ref Sub
      SecurityGroupIds: [!Ref Sg]
      SecurityGroups: [legacy, !Ref Named, other]
      Ipv6AddressCount: "2"
      Ipv6Addresses: [{{Ipv6Address: "2001:db8::5"}}]
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          echo ${{AWS::Region}}
      Tags: [{{Key: Role, Value: web}}]
  Encoded:
    Type: AWS::EC2::Instance
    Properties:
      UserData: {ENCODED}
  Primary:
    Type: AWS::EC2::Instance
    Properties:
      NetworkInterfaces:
        - DeviceIndex: "0"
          SubnetId: !Ref Sub
          GroupSet: [!GetAtt Sg.GroupId]
          AssociatePublicIpAddress: true
          Ipv6AddressCount: 1
        - DeviceIndex: 1
          NetworkInterfaceId: !Ref Eni
        - DeviceIndex: 2
          SubnetId: !Ref Sub
          GroupSet: [!Ref Sg]
          PrivateIpAddress: 10.0.0.9
  Eni:
    Type: AWS::EC2::NetworkInterface
    Properties:
      SubnetId: !Ref Sub
      GroupSet: [!Ref Sg]
      PrivateIpAddress: 10.0.0.5
      PrivateIpAddresses:
        - {{PrivateIpAddress: 10.0.0.5, Primary: true}}
        - {{PrivateIpAddress: 10.0.0.6, Primary: false}}
      Ipv6AddressCount: 1
      Tags: [{{Key: Name, Value: eni}}]
  Spare:
    Type: AWS::EC2::NetworkInterface
    Properties: {{SubnetId: !Ref Sub}}
  SpareAttach:
    Type: AWS::EC2::NetworkInterfaceAttachment
    Properties: {{InstanceId: !Ref Simple, NetworkInterfaceId: !Ref Spare, DeviceIndex: "1"}}
"""


def _line(text: str) -> int:
    return COMPUTE.lstrip("\n").splitlines().index(text) + 1


def test_instance_properties(load: Loader) -> None:
    simple = load(COMPUTE).model.instances[0]
    assert simple.subnet == "Sub"
    assert simple.security_groups == [
        "Sg",
        "Named",
        "Named",
        Unknown(reason="security group named 'other' is not declared in this template"),
    ]
    assert simple.associate_public_ip_address is None
    assert simple.ipv6_address_count == 2
    assert simple.ipv6_addresses == ["2001:db8::5"]
    assert simple.ami == "ami-1"
    assert simple.instance_type == "t3.micro"
    assert simple.user_data == "#!/bin/bash\necho us-east-1\n"
    assert simple.tags == {"Role": "web"}


def test_literal_base64_user_data_is_decoded(load: Loader) -> None:
    encoded = load(COMPUTE).model.instances[1]
    assert encoded.user_data == "#!/bin/sh\nyum install -y httpd\n"
    assert encoded.subnet is None  # the default VPC
    assert encoded.security_groups == []


def test_primary_interface_is_written_on_the_instance(load: Loader) -> None:
    model = load(COMPUTE).model
    primary = model.instances[2]
    assert primary.subnet == "Sub"
    assert primary.security_groups == ["Sg"]
    assert primary.associate_public_ip_address is True
    assert primary.ipv6_address_count == 1

    def source(line: int) -> SourceRef:
        return SourceRef(
            file="template.yaml", line=line, address="Primary", resource_type="AWS::EC2::Instance"
        )

    second = _line("        - DeviceIndex: 1")
    third = _line("        - DeviceIndex: 2")
    assert primary.network_interfaces == [
        InterfaceAttachment(device_index=1, network_interface="Eni", source=source(second)),
        InterfaceAttachment(
            device_index=2, network_interface="Primary.NetworkInterfaces[2]", source=source(third)
        ),
    ]
    created = {eni.id: eni for eni in model.network_interfaces}["Primary.NetworkInterfaces[2]"]
    assert (created.subnet, created.security_groups, created.private_ips) == (
        "Sub",
        ["Sg"],
        ["10.0.0.9"],
    )
    assert (created.attached_instance, created.device_index) == ("Primary", 2)


def test_network_interfaces_and_attachment(load: Loader) -> None:
    interfaces = {eni.id: eni for eni in load(COMPUTE).model.network_interfaces}
    eni = interfaces["Eni"]
    assert eni.subnet == "Sub"
    assert eni.security_groups == ["Sg"]
    assert eni.private_ips == ["10.0.0.5", "10.0.0.6"]
    assert eni.ipv6_address_count == 1
    assert eni.tags == {"Name": "eni"}
    assert (eni.attached_instance, eni.device_index) == (None, None)
    spare = interfaces["Spare"]
    assert (spare.attached_instance, spare.device_index) == ("Simple", 1)
    assert spare.ipv6_address_count == 0
    assert spare.security_groups == []
