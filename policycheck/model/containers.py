"""Containers: ECS task definitions and services, EKS clusters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import ModelObject, Ref, SourceRef, Unknown


class PortMapping(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    container_port: int | Unknown | None = None
    host_port: int | Unknown | None = None
    protocol: str | Unknown = "tcp"


class MountPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source_volume: str | Unknown | None = None
    container_path: str | Unknown | None = None
    read_only: bool | Unknown | None = None


class ContainerDefinition(BaseModel):
    """One container of a task definition (``container_definitions`` JSON decoded)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | Unknown | None = None
    image: str | Unknown | None = None
    essential: bool | Unknown | None = None
    privileged: bool | Unknown | None = None
    user: str | Unknown | None = None
    """None means the image's user (root unless the image says otherwise)."""
    readonly_root_filesystem: bool | Unknown | None = None
    port_mappings: list[PortMapping] = []
    environment: dict[str, str | Unknown] = {}
    secrets: dict[str, str | Unknown] = {}
    """Name -> valueFrom (Secrets Manager / SSM ARN)."""
    mount_points: list[MountPoint] = []
    linux_capabilities_add: list[str | Unknown] = []
    source: SourceRef | None = None


class TaskVolume(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | Unknown
    host_path: str | Unknown | None = None
    """Set for bind mounts of a host path."""


class EcsTaskDefinition(ModelObject):
    family: str | Unknown | None = None
    network_mode: str | Unknown | None = None
    """awsvpc, bridge, host, none; None means the default (bridge on EC2)."""
    requires_compatibilities: list[str | Unknown] = []
    containers: list[ContainerDefinition] = []
    containers_unknown: Unknown | None = None
    """Set when the container definitions could not be read."""
    volumes: list[TaskVolume] = []
    task_role: Ref | None = None
    execution_role: Ref | None = None
    pid_mode: str | Unknown | None = None
    ipc_mode: str | Unknown | None = None


class EcsLoadBalancerBinding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_group: Ref | None = None
    classic_load_balancer: Ref | None = None
    container_name: str | Unknown | None = None
    container_port: int | Unknown | None = None


class EcsService(ModelObject):
    cluster: Ref | None = None
    task_definition: Ref | None = None
    launch_type: str | Unknown | None = None
    subnets: list[Ref] = []
    security_groups: list[Ref] = []
    assign_public_ip: bool | Unknown | None = None
    load_balancers: list[EcsLoadBalancerBinding] = []


class EcsCluster(ModelObject):
    container_insights: bool | Unknown | None = None


class EksCluster(ModelObject):
    version: str | Unknown | None = None
    role: Ref | None = None
    subnets: list[Ref] = []
    security_groups: list[Ref] = []
    endpoint_public_access: bool | Unknown = True
    endpoint_private_access: bool | Unknown = False
    public_access_cidrs: list[str | Unknown] = ["0.0.0.0/0"]
    enabled_log_types: list[str | Unknown] = []
    secrets_encryption_key: Ref | None = None
