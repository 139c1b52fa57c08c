"""Route propagation declared as its own resource (Terraform and CloudFormation) reaches
the route table, so on-premises sources behind the VPN gateway get a return route."""

from __future__ import annotations

from pathlib import Path

from policycheck.scan import ScanOptions, scan

TERRAFORM = '''
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpn_gateway" "vgw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "198.51.100.7"
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "office" {
  vpn_gateway_id      = aws_vpn_gateway.vgw.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
}
resource "aws_vpn_connection_route" "office" {
  vpn_connection_id      = aws_vpn_connection.office.id
  destination_cidr_block = "192.168.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}
resource "aws_vpn_gateway_route_propagation" "app" {
  vpn_gateway_id = aws_vpn_gateway.vgw.id
  route_table_id = aws_route_table.app.id
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["192.168.0.0/16"]
  }
}
resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}
'''

CLOUDFORMATION = '''
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {Type: ipsec.1}
  VgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, VpnGatewayId: !Ref Vgw}
  Office:
    Type: AWS::EC2::CustomerGateway
    Properties: {BgpAsn: 65000, IpAddress: 198.51.100.7, Type: ipsec.1}
  OfficeVpn:
    Type: AWS::EC2::VPNConnection
    Properties: {Type: ipsec.1, VpnGatewayId: !Ref Vgw, CustomerGatewayId: !Ref Office,
                 StaticRoutesOnly: true}
  OfficeRoute:
    Type: AWS::EC2::VPNConnectionRoute
    Properties: {VpnConnectionId: !Ref OfficeVpn, DestinationCidrBlock: 192.168.0.0/16}
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  AppRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  AppPropagation:
    Type: AWS::EC2::VPNGatewayRoutePropagation
    DependsOn: VgwAttachment
    Properties: {VpnGatewayId: !Ref Vgw, RouteTableIds: [!Ref AppRouteTable]}
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref AppSubnet, RouteTableId: !Ref AppRouteTable}
  AppGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 192.168.0.0/16}
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      SubnetId: !Ref AppSubnet
      SecurityGroupIds: [!Ref AppGroup]
'''


def _vgw_ssh(path: Path) -> list[tuple[str, str, list[tuple[int, int]] | None]]:
    result = scan([path], ScanOptions(packages=("network-reachability",)))
    assert not result.errors, result.errors
    return [(f.rule_id, f.path_kind or "", f.ports) for f in result.findings
            if f.path_kind == "VGW" and f.rule_id == "NET003"]


def test_terraform_propagation_resource_opens_the_vgw_path(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TERRAFORM)
    assert _vgw_ssh(tmp_path) == [("NET003", "VGW", [(22, 22)])]
    (tmp_path / "main.tf").write_text(TERRAFORM.replace(
        'resource "aws_vpn_gateway_route_propagation"', 'resource "aws_s3_bucket"').replace(
        '  vpn_gateway_id = aws_vpn_gateway.vgw.id\n  route_table_id = aws_route_table.app.id\n',
        ""))
    assert _vgw_ssh(tmp_path) == [], "without propagation the reply has no route to the VGW"


def test_cloudformation_propagation_resource_opens_the_vgw_path(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    template.write_text(CLOUDFORMATION)
    assert _vgw_ssh(template) == [("NET003", "VGW", [(22, 22)])]
