"""Hosts and their network interfaces."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, SourceRef, Unknown


class MetadataOptions(BaseModel):
    """Instance metadata service settings (IMDS)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    http_endpoint: str | Unknown | None = None
    """``enabled`` or ``disabled``; None means the AWS default (enabled)."""
    http_tokens: str | Unknown | None = None
    """``required`` (IMDSv2 only) or ``optional``; None means the AWS/AMI default."""
    http_put_response_hop_limit: int | Unknown | None = None


class BlockDevice(BaseModel):
    """A root or data volume declared on an instance or launch template."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    device_name: str | Unknown | None = None
    root: bool = False
    encrypted: bool | Unknown | None = None
    """None means not set (the account's default encryption decides)."""
    kms_key: Ref | None = None
    volume_type: str | Unknown | None = None
    source: SourceRef


class UserDataOrigin(BaseModel):
    """Where user data is written in the template, so facts read from it point at lines."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceRef
    """File and line: the line holding the text's line 1 when ``inline``, else the line of
    the ``user_data`` attribute (``UserData`` key)."""
    inline: bool = False
    """True when the text is written line for line in the template (a heredoc, a YAML
    block scalar), so user-data line N is template line ``source.line + N - 1``."""


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
    """An AMI id, or the id of an ``ImageDescription`` (AMI lookup) in the model."""
    instance_type: str | Unknown | None = None
    user_data: str | Unknown | None = None
    """Decoded user data text (base64 and ``Fn::Base64`` undone)."""
    user_data_origin: UserDataOrigin | None = None
    """Where the user data is written (filled by the front-ends; None when not known)."""
    launch_template: Ref | None = None
    metadata_options: MetadataOptions | None = None
    block_devices: list[BlockDevice] = []
    iam_instance_profile: Ref | None = None


class ImageDescription(ModelObject):
    """What an AMI lookup (``data "aws_ami"``) says about an image before deploy."""

    image_id: str | Unknown | None = None
    owners: list[str | Unknown] = []
    name_filters: list[str | Unknown] = []
    most_recent: bool | Unknown | None = None


class LaunchTemplate(ModelObject):
    """A launch template or launch configuration: what instances it starts will be."""

    template_kind: Literal["launch_template", "launch_configuration"] = "launch_template"
    """``launch_template`` or ``launch_configuration``."""
    ami: Ref | None = None
    instance_type: str | Unknown | None = None
    user_data: str | Unknown | None = None
    user_data_origin: UserDataOrigin | None = None
    """Where the user data is written (filled by the front-ends; None when not known)."""
    security_groups: list[Ref] = []
    associate_public_ip_address: bool | Unknown | None = None
    subnet: Ref | None = None
    ipv6_address_count: int | Unknown | None = None
    metadata_options: MetadataOptions | None = None
    block_devices: list[BlockDevice] = []
    iam_instance_profile: Ref | None = None


class AutoScalingGroup(ModelObject):
    launch_template: Ref | None = None
    subnets: list[Ref] = []
    """``vpc_zone_identifier``; empty with availability zones only means the default VPC."""
    availability_zones: list[str | Unknown] = []
    target_groups: list[Ref] = []
    """``target_group_arns`` and ``aws_autoscaling_attachment`` merged."""
    classic_load_balancers: list[Ref] = []
    min_size: int | Unknown | None = None
    max_size: int | Unknown | None = None


class EbsVolume(ModelObject):
    encrypted: bool | Unknown | None = None
    kms_key: Ref | None = None
    availability_zone: str | Unknown | None = None
    attached_instance: Ref | None = None


class EbsEncryptionByDefault(ModelObject):
    enabled: bool | Unknown = True
