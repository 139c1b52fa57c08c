"""Hosts and their network interfaces."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, SourceRef, Unknown


class NetworkInterface(ModelObject):
    subnet: Ref
    security_groups: list[Ref] = []
    """Empty means the VPC's default security group."""
    private_ips: list[str | Unknown] = []
    ipv6_address_count: int | Unknown = 0
    ipv6_addresses: list[str | Unknown] = []
    attached_instance: Ref | None = None
    device_index: int | Unknown | None = None


class InterfaceAttachment(BaseModel):
    """An explicit interface attached to an instance at launch."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    device_index: int | Unknown
    network_interface: Ref
    source: SourceRef


class Instance(ModelObject):
    subnet: Ref | None = None
    """None means the account's default VPC (a default subnet)."""
    security_groups: list[Ref] = []
    """Security-group ids; empty means the VPC's default security group."""
    associate_public_ip_address: bool | Unknown | None = None
    """None means the subnet's ``map_public_ip_on_launch`` decides."""
    ipv6_address_count: int | Unknown | None = None
    ipv6_addresses: list[str | Unknown] = []
    network_interfaces: list[InterfaceAttachment] = []
    ami: str | Unknown | None = None
    instance_type: str | Unknown | None = None
    user_data: str | Unknown | None = None
