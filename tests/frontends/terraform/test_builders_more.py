"""Resource builders not covered elsewhere: ECS, CloudTrail, KMS, flow logs, VPN,
peering and transit gateways (one configuration, the model objects they become)."""

from __future__ import annotations

from tests.frontends.terraform.conftest import Loader

CONFIG = """
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_ecs_cluster" "c" {
  name = "apps"
}
resource "aws_ecs_task_definition" "t" {
  family                = "web"
  network_mode          = "awsvpc"
  container_definitions = jsonencode([{ name = "web", image = "nginx:1.25",
    portMappings = [{ containerPort = 8080 }] }])
}
resource "aws_ecs_service" "s" {
  name            = "web"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
}
resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
resource "aws_cloudtrail" "trail" {
  name                       = "all"
  s3_bucket_name             = "logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.k.arn
}
resource "aws_flow_log" "f" {
  vpc_id       = aws_vpc.a.id
  traffic_type = "REJECT"
}
resource "aws_vpn_gateway" "vgw" {
  vpc_id = aws_vpc.a.id
}
resource "aws_customer_gateway" "cgw" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "vpn" {
  vpn_gateway_id      = aws_vpn_gateway.vgw.id
  customer_gateway_id = aws_customer_gateway.cgw.id
  type                = "ipsec.1"
  static_routes_only  = true
}
resource "aws_vpc_peering_connection" "p" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
}
resource "aws_ec2_transit_gateway" "tgw" {}
resource "aws_ec2_transit_gateway_vpc_attachment" "att" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.b.id
  subnet_ids         = []
}
"""


def test_every_family_becomes_model_objects(load: Loader) -> None:
    result = load(CONFIG)
    model = result.model
    assert [e.id for e in model.ecs_clusters] == ["aws_ecs_cluster.c"]
    assert [t.id for t in model.ecs_task_definitions] == ["aws_ecs_task_definition.t"]
    service = model.ecs_services[0]
    assert service.id == "aws_ecs_service.s"
    assert "aws_ecs_task_definition.t" in service.model_dump_json()
    assert [k.id for k in model.kms_keys] == ["aws_kms_key.k"]
    assert model.kms_keys[0].model_dump().get("rotation_enabled", True) is True
    trail = model.cloudtrails[0]
    assert trail.id == "aws_cloudtrail.trail"
    assert "aws_kms_key.k" in trail.model_dump_json()
    flow = model.flow_logs[0]
    assert "aws_vpc.a" in flow.model_dump_json() and "REJECT" in flow.model_dump_json()
    assert [v.id for v in model.vpn_gateways] == ["aws_vpn_gateway.vgw"]
    assert [c.id for c in model.customer_gateways] == ["aws_customer_gateway.cgw"]
    vpn = model.vpn_connections[0]
    assert "aws_customer_gateway.cgw" in vpn.model_dump_json()
    peering = model.vpc_peering_connections[0]
    assert {"aws_vpc.a", "aws_vpc.b"} <= set(peering.model_dump_json().replace('"', " ").split())
    assert [t.id for t in model.transit_gateways] == ["aws_ec2_transit_gateway.tgw"]
    assert "aws_vpc.b" in model.transit_gateway_attachments[0].model_dump_json()
