"""Endpoints other than instances and explicit ENIs, as interfaces the paths can reach.

A resource that AWS places in subnets — the instances an autoscaling group launches, an
RDS instance, an ElastiCache, Redshift or OpenSearch-in-VPC cluster, the tasks of an ECS
service in ``awsvpc`` mode — gets one interface per subnet it may be placed in, named
``<resource> (<subnet>)`` when there are several. Its target is the resource a user
fixes. Resources given no subnet land in the default VPC (see ``topology``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policycheck.model import (
    AutoScalingGroup,
    DbCluster,
    DbInstance,
    DbSubnetGroup,
    EcsService,
    EcsTaskDefinition,
    LaunchTemplate,
    Model,
    ModelObject,
    Ref,
    Subnet,
    Unknown,
)
from policycheck.reachability.interfaces import (
    AddressGrant,
    InterfaceSpec,
    place,
)
from policycheck.reachability.topology import DEFAULT_VPC_ASSUMPTION, Topology

NO_PUBLIC_IPV4_IN_VPC = "the service gives it no public address"


def interface_name(target: str, subnet: Ref | None, count: int) -> str:
    """``target`` alone for a single placement, else ``target (subnet)``."""
    if count <= 1:
        return target
    where = subnet if isinstance(subnet, str) else "unknown subnet"
    return f"{target} ({where})"


def _flag_grant(
    flag: bool | Unknown | None, detail: str, obj: ModelObject, subnet: Subnet | None
) -> tuple[AddressGrant | None, str]:
    """A public IPv4 from an explicit flag, else (None) from the subnet's launch setting."""
    if isinstance(flag, Unknown):
        return AddressGrant(f"public IPv4 via {detail}", None, (flag.reason,)), ""
    if flag is True:
        return AddressGrant(f"public IPv4 via {detail}", obj.source), ""
    if flag is False:
        return None, f"{detail} is false"
    on_launch = subnet.map_public_ip_on_launch if subnet is not None else False
    if isinstance(on_launch, Unknown):
        grant = AddressGrant("public IPv4 via subnet map_public_ip_on_launch", None,
                             (on_launch.reason,))
        return grant, ""
    if on_launch and subnet is not None:
        return AddressGrant("public IPv4 via subnet map_public_ip_on_launch", subnet.source), ""
    return None, "the subnet does not map public IPs on launch"


def _specs(
    topology: Topology,
    obj: ModelObject,
    kind: str,
    subnets: Sequence[Ref],
    groups: Sequence[Ref],
    public: bool | Unknown | None,
    public_detail: str,
    assume_default_vpc: bool,
    *,
    subnet_decides: bool = False,
) -> Iterator[InterfaceSpec]:
    """One spec per subnet (``None`` for the default VPC). ``public`` is the resource's
    public-address flag; without ``subnet_decides`` a None flag means no public address."""
    places: list[Ref | None] = list(subnets) or [None]
    for subnet_ref in places:
        placement = place(topology, subnet_ref, assume_default_vpc)
        if subnet_decides or public is not None:
            ipv4, no_ipv4 = _flag_grant(public, public_detail, obj, placement.subnet)
        else:
            ipv4, no_ipv4 = None, NO_PUBLIC_IPV4_IN_VPC
        yield InterfaceSpec(
            interface=interface_name(obj.id, subnet_ref, len(places)),
            kind=kind,
            target=obj.id,
            target_source=obj.source,
            placement=placement,
            security_groups=tuple(groups),
            public_ipv4=ipv4,
            no_public_ipv4=no_ipv4,
            ipv6=None,
            no_ipv6="no IPv6 address",
            assumptions=(DEFAULT_VPC_ASSUMPTION,) if subnet_ref is None else (),
        )


def _group_subnets(model: Model, ref: Ref | None) -> list[Ref]:
    group = model.get(ref)
    if isinstance(group, DbSubnetGroup):
        return list(group.subnets)
    if isinstance(ref, Unknown):
        return [ref]
    return []


def _asg_specs(model: Model, topology: Topology, asg: AutoScalingGroup,
               default_vpc: bool) -> Iterator[InterfaceSpec]:
    template = model.get(asg.launch_template)
    if not isinstance(template, LaunchTemplate):
        template = LaunchTemplate(id=f"{asg.id} launch template", source=asg.source)
    subnets: list[Ref] = list(asg.subnets)
    if not subnets and template.subnet is not None:
        subnets = [template.subnet]
    yield from _specs(topology, asg, "AutoScalingGroup", subnets, template.security_groups,
                      template.associate_public_ip_address, "associate_public_ip_address",
                      default_vpc, subnet_decides=True)


def _db_specs(model: Model, topology: Topology, db: DbInstance,
              default_vpc: bool) -> Iterator[InterfaceSpec]:
    cluster = model.get(db.cluster)
    subnet_group = db.subnet_group
    groups: list[Ref] = list(db.security_groups)
    if isinstance(cluster, DbCluster):
        subnet_group = subnet_group or cluster.subnet_group
        groups = groups or list(cluster.security_groups)
    yield from _specs(topology, db, "DbInstance", _group_subnets(model, subnet_group), groups,
                      db.publicly_accessible, "publicly_accessible", default_vpc)


def _ecs_specs(model: Model, topology: Topology, service: EcsService,
               default_vpc: bool) -> Iterator[InterfaceSpec]:
    task = model.get(service.task_definition)
    mode = task.network_mode if isinstance(task, EcsTaskDefinition) else None
    fargate = service.launch_type == "FARGATE"
    if mode != "awsvpc" and not fargate and not isinstance(mode, Unknown):
        return  # bridge/host tasks use their container instance's interface
    yield from _specs(topology, service, "EcsService", service.subnets, service.security_groups,
                      False if service.assign_public_ip is None else service.assign_public_ip,
                      "assign_public_ip", default_vpc)


def endpoint_specs(
    model: Model, topology: Topology, assume_default_vpc: bool
) -> list[InterfaceSpec]:
    """Interfaces of autoscaling groups, databases, caches, search domains and ECS tasks."""
    specs: list[InterfaceSpec] = []
    for asg in model.autoscaling_groups:
        specs.extend(_asg_specs(model, topology, asg, assume_default_vpc))
    for db in model.db_instances:
        specs.extend(_db_specs(model, topology, db, assume_default_vpc))
    for cache in model.cache_clusters:
        specs.extend(_specs(topology, cache, "CacheCluster",
                            _group_subnets(model, cache.subnet_group), cache.security_groups,
                            None, "", assume_default_vpc))
    for redshift in model.redshift_clusters:
        specs.extend(_specs(topology, redshift, "RedshiftCluster",
                            _group_subnets(model, redshift.subnet_group),
                            redshift.security_groups, redshift.publicly_accessible,
                            "publicly_accessible", assume_default_vpc))
    for domain in model.opensearch_domains:
        if domain.subnets:  # outside a VPC: a managed public endpoint (see ``managed``)
            specs.extend(_specs(topology, domain, "OpenSearchDomain", domain.subnets,
                                domain.security_groups, None, "", assume_default_vpc))
    for service in model.ecs_services:
        specs.extend(_ecs_specs(model, topology, service, assume_default_vpc))
    return sorted(specs, key=lambda spec: (spec.target, spec.interface))

