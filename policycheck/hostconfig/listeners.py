"""Listeners declared for a host.

An explicit tag wins: ``policycheck:listeners = "tcp/22, tcp/8000-8010, udp/53"`` (a
bare port means tcp; ``none`` declares that nothing listens). Without it, listeners are
implied by the host configuration: services its user data (or launch template's) starts
(``user_data``), the ports target groups send it, the port mappings of an ECS service's
containers. When nothing tells, the listeners are not known (Inspector's "no agent").
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from policycheck.model import Model

LISTENERS_TAG = "policycheck:listeners"
_ITEM = re.compile(r"^(?:(tcp|udp)/)?(\d{1,5})(?:-(\d{1,5}))?$")


class Listener(BaseModel):
    model_config = ConfigDict(frozen=True)

    protocol: Literal["tcp", "udp"]
    from_port: int
    to_port: int


class DeclaredListeners(BaseModel):
    model_config = ConfigDict(frozen=True)

    listeners: tuple[Listener, ...]
    problems: tuple[str, ...] = ()
    """Items of the tag that could not be read (reported as notices)."""
    evidence: tuple[str, ...] = ()
    """Why these listeners are believed (empty for the explicit tag)."""


def declared_listeners(tags: dict[str, str]) -> DeclaredListeners | None:
    """The listeners the tags declare, or None when the host does not declare any."""
    raw = tags.get(LISTENERS_TAG)
    if raw is None:
        return None
    listeners: list[Listener] = []
    problems: list[str] = []
    for item in re.split(r"[,\s]+", raw.strip().lower()):
        if not item or item == "none":
            continue
        match = _ITEM.match(item)
        if not match:
            problems.append(f"cannot read listener {item!r} in tag {LISTENERS_TAG}")
            continue
        protocol, first, last = match.groups()
        low, high = int(first), int(last or first)
        if not 0 <= low <= high <= 65535:
            problems.append(f"port range out of bounds: {item!r} in tag {LISTENERS_TAG}")
            continue
        listeners.append(Listener(protocol="udp" if protocol == "udp" else "tcp",
                                  from_port=low, to_port=high))
    return DeclaredListeners(listeners=tuple(listeners), problems=tuple(problems))


def _from_user_data(user_data: object, evidence: list[str]) -> list[Listener]:
    from policycheck.hostconfig.services import SERVICE_PORTS
    from policycheck.hostconfig.user_data import host_services

    if not isinstance(user_data, str) or not user_data.strip():
        return []
    found = host_services(user_data)
    listeners = []
    for service in sorted(found.services):
        evidence.append(f"user data starts {service}")
        listeners += [_listener(protocol, port) for protocol, port in SERVICE_PORTS[service]]
    for protocol, port in found.published:
        evidence.append(f"user data publishes container port {protocol}/{port}")
        listeners.append(_listener(protocol, port))
    return listeners


def _listener(protocol: str, port: int) -> Listener:
    return Listener(protocol="udp" if protocol == "udp" else "tcp", from_port=port, to_port=port)


def _target_group_ports(model: Model, target: str, evidence: list[str]) -> list[Listener]:
    from policycheck.model import AutoScalingGroup, TargetGroup

    obj = model.get(target)
    groups: list[object] = [a.target_group for a in model.target_group_attachments
                            if a.target == target]
    if isinstance(obj, AutoScalingGroup):
        groups += obj.target_groups
    listeners = []
    for ref in groups:
        group = model.get(ref)
        if isinstance(group, TargetGroup) and isinstance(group.port, int):
            protocol = "udp" if str(group.protocol).upper() == "UDP" else "tcp"
            evidence.append(f"target group {group.id} sends to port {group.port}")
            listeners.append(_listener(protocol, group.port))
    return listeners


def _container_ports(model: Model, target: str, evidence: list[str]) -> list[Listener]:
    from policycheck.model import EcsService, EcsTaskDefinition

    service = model.get(target)
    if not isinstance(service, EcsService):
        return []
    task = model.get(service.task_definition)
    if not isinstance(task, EcsTaskDefinition):
        return []
    listeners = []
    for container in task.containers:
        for mapping in container.port_mappings:
            port = mapping.container_port
            if isinstance(port, int):
                protocol = mapping.protocol if isinstance(mapping.protocol, str) else "tcp"
                evidence.append(f"container {container.name} maps port {port}")
                listeners.append(_listener(protocol, port))
    return listeners


def host_listeners(model: Model, target: str) -> DeclaredListeners | None:
    """What listens on ``target``: the explicit tag when present, else what its user data
    (or launch template's), target groups and ECS container port mappings imply; None when
    nothing in the template tells (Inspector's "no agent")."""
    from policycheck.model import AutoScalingGroup, Instance, LaunchTemplate

    obj = model.get(target)
    if obj is None:
        return None
    tagged = declared_listeners(obj.tags)
    if tagged is not None:
        return tagged
    evidence: list[str] = []
    user_data: object = None
    template_ref: object = None
    if isinstance(obj, Instance):
        user_data, template_ref = obj.user_data, obj.launch_template
    elif isinstance(obj, AutoScalingGroup):
        template_ref = obj.launch_template
    template = model.get(template_ref)
    if user_data is None and isinstance(template, LaunchTemplate):
        user_data = template.user_data
    found = (_from_user_data(user_data, evidence) + _target_group_ports(model, target, evidence)
             + _container_ports(model, target, evidence))
    if not found:
        return None
    return DeclaredListeners(listeners=tuple(dict.fromkeys(found)), evidence=tuple(evidence))
