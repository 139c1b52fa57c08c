"""security-best-practices for ECS task definitions: privileged containers, root users,
host networking, sensitive host paths, writable root filesystems, and (with Lambda)
secrets in plain environment variables.

A container's finding points at the container in CloudFormation and at the task
definition in Terraform (``container_definitions`` is one JSON string there).
"""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.checks.registry import CheckContext
from policycheck.checks.security_best_practices_aws import (
    ENV_HINT,
    finding,
    lambda_env_secrets,
    plain_secrets,
)
from policycheck.findings import Finding
from policycheck.model import ContainerDefinition, EcsTaskDefinition, Unknown

_ROOT_USERS = ("root", "0")


def _containers(ctx: CheckContext) -> Iterator[tuple[EcsTaskDefinition, ContainerDefinition,
                                                     str]]:
    for task in ctx.model.ecs_task_definitions:
        for index, container in enumerate(task.containers):
            name = container.name if isinstance(container.name, str) else f"#{index}"
            yield task, container, name


def privileged_container(ctx: CheckContext) -> Iterator[Finding]:
    for task, container, name in _containers(ctx):
        if container.privileged is True:
            yield finding(ctx, task, f"Container {name} of {task.id} runs privileged: it has "
                          f"every capability and the host's devices, so escaping to the host "
                          f"is trivial.", name, at=container.source)


def container_runs_as_root(ctx: CheckContext) -> Iterator[Finding]:
    """``user`` unset (the image's USER decides, root for most images) or a root uid."""
    for task, container, name in _containers(ctx):
        user = container.user
        if user is None:
            yield finding(ctx, task, f"Container {name} of {task.id} sets no user, so it runs "
                          f"as the image's USER — root unless the image says otherwise.",
                          name, at=container.source)
        elif isinstance(user, str) and user.split(":")[0].strip() in _ROOT_USERS:
            yield finding(ctx, task, f"Container {name} of {task.id} runs as root "
                          f"(user {user!r}).", name, at=container.source)


def host_network_mode(ctx: CheckContext) -> Iterator[Finding]:
    for task in ctx.model.ecs_task_definitions:
        if task.network_mode == "host":
            yield finding(ctx, task, f"Task definition {task.id} uses the host network mode: "
                          f"its containers share the host's network stack, reach services "
                          f"bound to localhost (including the metadata service) and bypass "
                          f"task-level security groups.")


def _sensitive(path: str, sensitive: list[str]) -> str | None:
    """The sensitive path ``path`` is or lies under (``/`` only matches itself)."""
    path = path.rstrip("/") or "/"
    for item in sensitive:
        item = item.rstrip("/") or "/"
        if path == item or (item != "/" and path.startswith(item + "/")):
            return item
    return None


def sensitive_host_path(ctx: CheckContext) -> Iterator[Finding]:
    """A host path volume on a sensitive path that a container mounts."""
    sensitive = [str(p) for p in ctx.params.get("sensitive_paths", [])]
    for task in ctx.model.ecs_task_definitions:
        for volume in task.volumes:
            if not isinstance(volume.host_path, str) or not isinstance(volume.name, str):
                continue
            if _sensitive(volume.host_path, sensitive) is None:
                continue
            for container in task.containers:
                for mount in container.mount_points:
                    if mount.source_volume != volume.name:
                        continue
                    name = container.name if isinstance(container.name, str) else "?"
                    mode = "read-only" if mount.read_only is True else "read-write"
                    yield finding(ctx, task, f"Container {name} of {task.id} mounts the "
                                  f"host's {volume.host_path} ({mode}, volume {volume.name}); "
                                  f"that gives it control over, or secrets of, the host.",
                                  name, volume.name, at=container.source)


def writable_root_filesystem(ctx: CheckContext) -> Iterator[Finding]:
    for task, container, name in _containers(ctx):
        if container.readonly_root_filesystem is True \
                or isinstance(container.readonly_root_filesystem, Unknown):
            continue
        how = "false" if container.readonly_root_filesystem is False else "not set"
        yield finding(ctx, task, f"Container {name} of {task.id} has a writable root "
                      f"filesystem (readonlyRootFilesystem {how}).", name, at=container.source)


def container_env_secrets(ctx: CheckContext) -> Iterator[Finding]:
    for task, container, name in _containers(ctx):
        for var, kind, shown in plain_secrets(container.environment):
            yield finding(ctx, task, f"Container {name} of {task.id} holds a {kind} in plain "
                          f"environment variable {var} ({shown}); {ENV_HINT}. Use the "
                          f"container's secrets (valueFrom) instead.", name, var,
                          at=container.source)


def secrets_in_environment(ctx: CheckContext) -> Iterator[Finding]:
    """Literal secrets in Lambda and ECS container environment variables."""
    yield from lambda_env_secrets(ctx)
    yield from container_env_secrets(ctx)
