"""What the reachability analysis hands to the checks: exposures with their paths,
and per-endpoint verdicts that explain why something is *not* reachable."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from policycheck.model.base import SourceRef


class PathKind(StrEnum):
    """How traffic arrives, after Inspector's network reachability route kinds."""

    IGW = "IGW"
    ELB = "ELB"
    VGW = "VGW"
    PEERING = "PEERING"
    TGW = "TGW"


class Hop(BaseModel):
    """One component on a path and the route or rule that let the traffic through
    (or, in a verdict, the setting that stopped it)."""

    model_config = ConfigDict(frozen=True)

    type: str
    """Model kind: ``InternetGateway``, ``RouteTable``, ``NetworkAcl``, ``SecurityGroup``..."""
    resource: str
    """Model id (Terraform address or CloudFormation logical id)."""
    detail: str
    """e.g. ``0.0.0.0/0 -> aws_internet_gateway.main``, ``#100 allow tcp 22 from 0.0.0.0/0``."""
    source: SourceRef | None = None
    """Where the route or rule is declared; None for implicit AWS defaults."""


class Exposure(BaseModel):
    """A set of packets that reach one network interface, all by the same path."""

    model_config = ConfigDict(frozen=True)

    target: str
    """The resource a user fixes: the instance, or the network interface itself."""
    target_source: SourceRef
    interface: str
    """Interface id: ``<instance id>`` for an instance's primary interface, else the ENI id."""
    path_kind: PathKind
    protocol: str
    """tcp, udp, icmp, icmpv6, all, or an IANA protocol number."""
    ports: tuple[tuple[int, int], ...]
    """Inclusive ranges: ports for tcp/udp, ICMP types for icmp/icmpv6, () otherwise."""
    sources: tuple[str, ...]
    """Canonical CIDRs the packets may come from (IPv4 and/or IPv6), sorted."""
    path: tuple[Hop, ...]
    """Ordered from the source side to the interface."""
    assumptions: tuple[str, ...] = ()
    """Unknown values treated permissively, and assumptions such as the default VPC."""
    listener: str | None = None
    """The load balancer listener the traffic enters by (load balancers and ELB-path
    targets); None otherwise."""
    load_balancer: str | None = None
    """For path kind ELB: the load balancer in front of the target."""


class Blocker(BaseModel):
    """A component that stops a path, with AWS Reachability Analyzer's explanation code."""

    model_config = ConfigDict(frozen=True)

    code: str
    """e.g. ``NO_ROUTE_TO_DESTINATION``, ``SUBNET_ACL_RESTRICTION``, ``ENI_SG_RULES_MISMATCH``."""
    resource: str
    detail: str
    source: SourceRef | None = None
    rule_number: int | None = None
    """For ``SUBNET_ACL_RESTRICTION``: the number of the NACL entry that denies (None for
    the implicit final deny)."""


class EndpointVerdict(BaseModel):
    """For one interface and path kind: reachable from the internet or not, and why not."""

    model_config = ConfigDict(frozen=True)

    target: str
    interface: str
    path_kind: PathKind
    address_family: str
    """``ipv4`` or ``ipv6``."""
    reachable: bool
    blockers: tuple[Blocker, ...] = ()
    """Every setting that would have to change for the path to open (empty if reachable)."""


class ReachabilityResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    exposures: tuple[Exposure, ...] = ()
    verdicts: tuple[EndpointVerdict, ...] = ()
