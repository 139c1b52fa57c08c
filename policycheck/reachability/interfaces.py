"""Which network interfaces exist, where they sit, and which addresses they have.

Every instance has a primary interface (id = the instance id) unless it attaches an
explicit ENI at device index 0, which then is the primary. Every explicit ENI is an
interface too; its target (what a user fixes) is the instance it is attached to, else
the ENI itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycheck.model import (
    ElasticIp,
    Instance,
    LaunchTemplate,
    Model,
    NetworkInterface,
    SourceRef,
    Subnet,
    Unknown,
)
from policycheck.reachability.topology import (
    DEFAULT_VPC_ASSUMPTION,
    DEFAULT_VPC_SUBNET_ID,
    Topology,
)


@dataclass(frozen=True)
class AddressGrant:
    """Why an interface has a public IPv4 or an IPv6 address."""

    detail: str
    """e.g. ``public IPv4 via subnet map_public_ip_on_launch``."""
    source: SourceRef | None = None
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """Where an interface lives, or why it cannot be placed."""

    subnet: Subnet | None
    problem_code: str = ""
    """``UNKNOWN_SUBNET`` or ``NO_SUBNET`` when ``subnet`` is None."""
    problem: str = ""


@dataclass(frozen=True)
class InterfaceSpec:
    """One network interface as the reachability analysis sees it."""

    interface: str
    kind: str
    """``Instance`` for an instance's implicit primary interface, else ``NetworkInterface``."""
    target: str
    target_source: SourceRef
    placement: Placement
    security_groups: tuple[str | Unknown, ...]
    public_ipv4: AddressGrant | None
    no_public_ipv4: str
    """Why there is no public IPv4 (when ``public_ipv4`` is None)."""
    ipv6: AddressGrant | None
    no_ipv6: str
    assumptions: tuple[str, ...] = ()
    """Placement assumptions such as the default VPC."""


EipIndex = tuple[dict[str, ElasticIp], dict[str, ElasticIp]]


def _eip_for(index: EipIndex, *, instance: str | None, eni: str | None) -> ElasticIp | None:
    by_instance, by_eni = index
    found = by_instance.get(instance) if instance is not None else None
    if found is None and eni is not None:
        found = by_eni.get(eni)
    return found


def _eip_index(model: Model) -> EipIndex:
    """Elastic IPs by instance and by ENI (first declared wins)."""
    by_instance: dict[str, ElasticIp] = {}
    by_eni: dict[str, ElasticIp] = {}
    for eip in model.elastic_ips:
        if isinstance(eip.instance, str):
            by_instance.setdefault(eip.instance, eip)
        if isinstance(eip.network_interface, str):
            by_eni.setdefault(eip.network_interface, eip)
    return by_instance, by_eni


def _eip_grant(eip: ElasticIp) -> AddressGrant:
    return AddressGrant(f"public IPv4 via {eip.id}", eip.source)


def place(topology: Topology, ref: object, assume_default_vpc: bool) -> Placement:
    """The subnet ``ref`` names; None places the resource in the default VPC."""
    if ref is None:
        if assume_default_vpc:
            return Placement(topology.subnet(DEFAULT_VPC_SUBNET_ID))
        return Placement(None, "NO_SUBNET", "no subnet given and the default VPC assumption is off")
    if isinstance(ref, Unknown):
        return Placement(None, "UNKNOWN_SUBNET", f"subnet unknown: {ref.reason}")
    subnet = topology.subnet(ref)
    if subnet is None:
        return Placement(None, "UNKNOWN_SUBNET", f"subnet {ref} is not in the model")
    if isinstance(subnet.vpc, Unknown):
        return Placement(
            None, "UNKNOWN_SUBNET", f"VPC of subnet {subnet.id} unknown: {subnet.vpc.reason}"
        )
    return Placement(subnet)


def _instance_public_ipv4(
    index: EipIndex, instance: Instance, subnet: Subnet | None
) -> tuple[AddressGrant | None, str]:
    eip = _eip_for(index, instance=instance.id, eni=None)
    if eip is not None:
        return _eip_grant(eip), ""
    flag = instance.associate_public_ip_address
    if isinstance(flag, Unknown):
        return AddressGrant("public IPv4 via associate_public_ip_address", None, (flag.reason,)), ""
    if flag is True:
        return AddressGrant("public IPv4 via associate_public_ip_address", instance.source), ""
    if flag is False:
        return None, "associate_public_ip_address is false and no elastic IP is associated"
    on_launch = subnet.map_public_ip_on_launch if subnet is not None else False
    where = subnet.id if subnet is not None else "subnet"
    if isinstance(on_launch, Unknown):
        return AddressGrant(
            "public IPv4 via subnet map_public_ip_on_launch", None, (on_launch.reason,)
        ), ""
    if on_launch:
        source = subnet.source if subnet is not None else None
        return AddressGrant("public IPv4 via subnet map_public_ip_on_launch", source), ""
    return None, f"{where} does not map public IPs on launch and no elastic IP is associated"


def _instance_ipv6(instance: Instance, subnet: Subnet | None) -> tuple[AddressGrant | None, str]:
    count = instance.ipv6_address_count
    if isinstance(count, Unknown):
        return AddressGrant("IPv6 address via ipv6_address_count", None, (count.reason,)), ""
    if instance.ipv6_addresses or (count is not None and count > 0):
        return AddressGrant("IPv6 address via ipv6_address_count", instance.source), ""
    if count is not None or subnet is None:
        return None, "no IPv6 address"
    assign = subnet.assign_ipv6_address_on_creation
    if subnet.ipv6_cidr_block is None or assign is False:
        return None, "no IPv6 address (subnet does not assign IPv6 addresses)"
    detail = "IPv6 address via subnet assign_ipv6_address_on_creation"
    if isinstance(assign, Unknown):
        return AddressGrant(detail, None, (assign.reason,)), ""
    return AddressGrant(detail, subnet.source), ""


def _eni_ipv6(eni: NetworkInterface) -> tuple[AddressGrant | None, str]:
    count = eni.ipv6_address_count
    if isinstance(count, Unknown):
        return AddressGrant("IPv6 address via ipv6_address_count", None, (count.reason,)), ""
    if eni.ipv6_addresses or count > 0:
        return AddressGrant("IPv6 address via ipv6_address_count", eni.source), ""
    return None, "no IPv6 address"


def interface_specs(
    model: Model, topology: Topology, assume_default_vpc: bool
) -> list[InterfaceSpec]:
    """Every network interface of the model, in a deterministic order."""
    owner_of: dict[str, Instance] = {}
    primary_eni: dict[str, str] = {}
    for instance in model.instances:
        for attachment in instance.network_interfaces:
            if isinstance(attachment.network_interface, str):
                owner_of[attachment.network_interface] = instance
                if attachment.device_index == 0:
                    primary_eni[instance.id] = attachment.network_interface
    enis = {eni.id: eni for eni in model.network_interfaces}
    eips = _eip_index(model)
    specs: list[InterfaceSpec] = []
    for instance in model.instances:
        if primary_eni.get(instance.id) in enis:
            continue
        template = model.get(instance.launch_template)
        groups = list(instance.security_groups)
        subnet_ref = instance.subnet
        if isinstance(template, LaunchTemplate):
            groups = groups or list(template.security_groups)
            subnet_ref = subnet_ref if subnet_ref is not None else template.subnet
        placement = place(topology, subnet_ref, assume_default_vpc)
        ipv4, no_ipv4 = _instance_public_ipv4(eips, instance, placement.subnet)
        ipv6, no_ipv6 = _instance_ipv6(instance, placement.subnet)
        specs.append(
            InterfaceSpec(
                interface=instance.id,
                kind="Instance",
                target=instance.id,
                target_source=instance.source,
                placement=placement,
                security_groups=tuple(groups),
                public_ipv4=ipv4,
                no_public_ipv4=no_ipv4,
                ipv6=ipv6,
                no_ipv6=no_ipv6,
                assumptions=(DEFAULT_VPC_ASSUMPTION,) if subnet_ref is None else (),
            )
        )
    for eni in model.network_interfaces:
        owner = owner_of.get(eni.id)
        if owner is None and isinstance(eni.attached_instance, str):
            found = model.get(eni.attached_instance)
            owner = found if isinstance(found, Instance) else None
        is_primary = owner is not None and primary_eni.get(owner.id) == eni.id
        eip = _eip_for(
            eips, instance=owner.id if owner is not None and is_primary else None, eni=eni.id
        )
        ipv6, no_ipv6 = _eni_ipv6(eni)
        specs.append(
            InterfaceSpec(
                interface=eni.id,
                kind="NetworkInterface",
                target=owner.id if owner is not None else eni.id,
                target_source=owner.source if owner is not None else eni.source,
                placement=place(topology, eni.subnet, assume_default_vpc),
                security_groups=tuple(eni.security_groups),
                public_ipv4=_eip_grant(eip) if eip is not None else None,
                no_public_ipv4="no elastic IP is associated with the network interface",
                ipv6=ipv6,
                no_ipv6=no_ipv6,
            )
        )
    return sorted(specs, key=lambda spec: (spec.target, spec.interface))
