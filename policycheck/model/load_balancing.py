"""Elastic Load Balancing: ALB, NLB, GWLB and classic ELB, listeners and targets."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, Unknown


class LoadBalancer(ModelObject):
    load_balancer_type: Literal["application", "network", "gateway", "classic"]
    scheme: Literal["internet-facing", "internal"] | Unknown = "internet-facing"
    subnets: list[Ref] = []
    """Subnets (``subnets``, ``subnet_mapping``); empty with availability zones only means
    the default VPC (classic ELB)."""
    security_groups: list[Ref] = []
    """Empty for an NLB without groups: client addresses are preserved to the targets."""
    availability_zones: list[str | Unknown] = []
    ip_address_type: str | Unknown | None = None
    instances: list[Ref] = []
    """Classic ELB registered instances."""
    drop_invalid_header_fields: bool | Unknown | None = None
    access_logs_enabled: bool | Unknown | None = None


class ListenerAction(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str | Unknown
    """forward, redirect, fixed-response, authenticate-oidc, authenticate-cognito."""
    target_groups: list[Ref] = []
    redirect_protocol: str | Unknown | None = None


class LbListener(ModelObject):
    """A listener (classic ELB listeners are listed one object each)."""

    load_balancer: Ref
    protocol: str | Unknown
    """HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE; classic: HTTP, HTTPS, TCP, SSL."""
    port: int | Unknown | None = None
    ssl_policy: str | Unknown | None = None
    certificate: Ref | None = None
    default_actions: list[ListenerAction] = []
    rule_actions: list[ListenerAction] = []
    """Actions of listener rules (``aws_lb_listener_rule``), merged here."""
    instance_port: int | Unknown | None = None
    """Classic ELB: the port on the instances."""
    instance_protocol: str | Unknown | None = None


class TargetGroup(ModelObject):
    vpc: Ref | None = None
    protocol: str | Unknown | None = None
    port: int | Unknown | None = None
    target_type: Literal["instance", "ip", "lambda", "alb"] | Unknown = "instance"


class TargetGroupAttachment(ModelObject):
    target_group: Ref
    target: Ref | str
    """An instance/Lambda id, or an IP address for ``ip`` target groups."""
    port: int | Unknown | None = None
