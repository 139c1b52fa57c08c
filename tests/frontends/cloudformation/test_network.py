"""VPCs, subnets, routing, gateways and Elastic IPs."""

from __future__ import annotations

from policycheck.model import RouteTargetKind, SourceRef, Unknown

from .conftest import Loader

NETWORK = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.1.0/16
      Tags: [{Key: Name, Value: main}, {Key: Unknown, Value: !Ref AWS::AccountId}]
  Secondary:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/16}
  Ipv6:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Public:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      Ipv6CidrBlock: 2001:db8:0:1::/64
      AssignIpv6AddressOnCreation: "true"
      MapPublicIpOnLaunch: true
      AvailabilityZone: us-east-1a
  Private:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Eigw:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties: {VpcId: !Ref Vpc}
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {Type: ipsec.1}
  NatIp:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Public
      AllocationId: !GetAtt NatIp.AllocationId
  PrivateNat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref Private, ConnectivityType: private}
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ToIgw:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRt
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  ToEigw:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRt
      DestinationIpv6CidrBlock: "::/0"
      EgressOnlyInternetGatewayId: !Ref Eigw
  ToVgw:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicRt,
                 DestinationCidrBlock: 172.16.0.0/12, GatewayId: !Ref Vgw}
  ToLiteralIgw:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicRt,
                 DestinationCidrBlock: 8.8.8.8/32, GatewayId: igw-0abc}
  ToPeer:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRt
      DestinationPrefixListId: pl-123
      VpcPeeringConnectionId: pcx-1
  ToNat:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicRt,
                 DestinationCidrBlock: 192.168.0.0/16, NatGatewayId: !Ref Nat}
  ToTgw:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicRt,
                 DestinationCidrBlock: 10.50.0.0/16, TransitGatewayId: tgw-1}
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {RouteTableId: !Ref PublicRt, SubnetId: !Ref Public}
  EdgeAssoc:
    Type: AWS::EC2::GatewayRouteTableAssociation
    Properties: {RouteTableId: !Ref PublicRt, GatewayId: !Ref Igw}
"""


def _line_of(text: str) -> int:
    return NETWORK.lstrip("\n").splitlines().index(text) + 1


def test_vpc_blocks_and_tags(load: Loader) -> None:
    [vpc] = load(NETWORK).model.vpcs
    assert vpc.cidr_blocks == ["10.0.0.0/16", "10.1.0.0/16"]
    assert vpc.ipv6_cidr_blocks == [Unknown(reason="Amazon-provided IPv6 block")]
    assert vpc.tags == {"Name": "main"}
    assert vpc.source == SourceRef(
        file="template.yaml", line=2, address="Vpc", resource_type="AWS::EC2::VPC"
    )


def test_subnets(load: Loader) -> None:
    public, private = load(NETWORK).model.subnets
    assert public.vpc == "Vpc"
    assert public.cidr_block == "10.0.0.0/24"
    assert public.ipv6_cidr_block == "2001:db8:0:1::/64"
    assert public.map_public_ip_on_launch is True
    assert public.assign_ipv6_address_on_creation is True
    assert public.availability_zone == "us-east-1a"
    assert private.map_public_ip_on_launch is False
    assert private.assign_ipv6_address_on_creation is False
    assert private.ipv6_cidr_block is None
    assert private.availability_zone is None


def test_gateways_and_nat(load: Loader) -> None:
    model = load(NETWORK).model
    [igw] = model.internet_gateways
    assert (igw.id, igw.vpc) == ("Igw", "Vpc")
    [eigw] = model.egress_only_internet_gateways
    assert eigw.vpc == "Vpc"
    nat, private_nat = model.nat_gateways
    assert (nat.subnet, nat.connectivity_type, nat.allocation) == ("Public", "public", "NatIp")
    assert (private_nat.connectivity_type, private_nat.allocation) == ("private", None)


def test_routes_merge_into_their_table_with_target_kinds(load: Loader) -> None:
    result = load(NETWORK)
    [table] = result.model.route_tables
    assert table.is_main is False
    routes = [
        (r.destination, r.destination_prefix_list, r.target_kind, r.target) for r in table.routes
    ]
    assert routes == [
        ("0.0.0.0/0", None, RouteTargetKind.INTERNET_GATEWAY, "Igw"),
        ("::/0", None, RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY, "Eigw"),
        ("172.16.0.0/12", None, RouteTargetKind.VPN_GATEWAY, "Vgw"),
        (
            "8.8.8.8/32",
            None,
            RouteTargetKind.INTERNET_GATEWAY,
            Unknown(reason="gateway 'igw-0abc' is not declared in this template"),
        ),
        (
            None,
            Unknown(reason="prefix list 'pl-123' is not declared in this template"),
            RouteTargetKind.VPC_PEERING,
            Unknown(reason="route target 'pcx-1' is not declared in this template"),
        ),
        ("192.168.0.0/16", None, RouteTargetKind.NAT_GATEWAY, "Nat"),
        (
            "10.50.0.0/16",
            None,
            RouteTargetKind.TRANSIT_GATEWAY,
            Unknown(reason="route target 'tgw-1' is not declared in this template"),
        ),
    ]
    assert table.routes[0].source.address == "ToIgw"
    assert table.routes[0].source.resource_type == "AWS::EC2::Route"
    assert table.routes[0].source.line == _line_of("  ToIgw:")


def test_associations(load: Loader) -> None:
    subnet_assoc, edge_assoc = load(NETWORK).model.route_table_associations
    assert (subnet_assoc.route_table, subnet_assoc.subnet, subnet_assoc.gateway) == (
        "PublicRt",
        "Public",
        None,
    )
    assert (edge_assoc.route_table, edge_assoc.subnet, edge_assoc.gateway) == (
        "PublicRt",
        None,
        "Igw",
    )


def test_main_route_table_is_implicit(load: Loader) -> None:
    model = load(NETWORK).model
    assert model.main_route_table_associations == []
    assert not any(table.is_main for table in model.route_tables)


def test_vpn_gateway_is_modelled_without_notices(load: Loader) -> None:
    result = load(NETWORK)
    assert [d.message for d in result.diagnostics] == []
    assert [(g.id, g.vpc) for g in result.model.vpn_gateways] == [("Vgw", None)]


def test_route_declared_before_its_table_and_table_outside_template(load: Loader) -> None:
    result = load(
        """
        Resources:
          Early:
            Type: AWS::EC2::Route
            Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: local}
          Elsewhere:
            Type: AWS::EC2::Route
            Properties: {RouteTableId: rtb-1, DestinationCidrBlock: 0.0.0.0/0, GatewayId: igw-1}
          Rt:
            Type: AWS::EC2::RouteTable
            Properties: {VpcId: vpc-1}
        """
    )
    [table] = result.model.route_tables
    assert [(r.target_kind, r.target) for r in table.routes] == [(RouteTargetKind.LOCAL, None)]
    assert table.vpc == Unknown(reason="VPC 'vpc-1' is not declared in this template")
    assert [(d.line, d.level) for d in result.diagnostics] == [(5, "notice")]


def test_eip_association(load: Loader) -> None:
    model = load(
        """
        Resources:
          Ip:
            Type: AWS::EC2::EIP
          Direct:
            Type: AWS::EC2::EIP
            Properties: {InstanceId: !Ref Host}
          Classic:
            Type: AWS::EC2::EIP
          Host:
            Type: AWS::EC2::Instance
          Eni:
            Type: AWS::EC2::NetworkInterface
            Properties: {SubnetId: subnet-1}
          ByAllocation:
            Type: AWS::EC2::EIPAssociation
            Properties: {AllocationId: !GetAtt Ip.AllocationId, NetworkInterfaceId: !Ref Eni}
          ByAddress:
            Type: AWS::EC2::EIPAssociation
            Properties: {EIP: !Ref Classic, InstanceId: !Ref Host}
        """
    ).model
    ips = {ip.id: (ip.instance, ip.network_interface) for ip in model.elastic_ips}
    assert ips == {"Ip": (None, "Eni"), "Direct": ("Host", None), "Classic": ("Host", None)}
