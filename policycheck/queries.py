"""Ad-hoc reachability queries: ``policycheck reach --from SOURCE --to RESOURCE``.

The answer is either every path by which the packets reach the resource (the analysis'
own exposures, filtered to the query), or, per interface, path kind and address family,
every component that blocks them, with AWS VPC Reachability Analyzer's explanation codes.
Blockers are judged on the queried packets only (protocol, port, source address), so a
NACL that denies port 22 is named for ``--port 22`` and not for ``--port 443``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from netaddr import AddrFormatError, IPNetwork, IPSet
from pydantic import BaseModel, ConfigDict

from policycheck.model import Model
from policycheck.reachability import ReachabilityOptions, ReachabilityResult
from policycheck.reachability.analysis import Prepared, prepare
from policycheck.reachability.elb_path import listener_plans
from policycheck.reachability.explain import component_blockers
from policycheck.reachability.gateways import vpc_gateways
from policycheck.reachability.interfaces import InterfaceSpec
from policycheck.reachability.result import Blocker, Exposure, PathKind
from policycheck.reachability.sets import (
    ALL_SERVICES,
    IntervalSet,
    describe_services,
    internet_addresses,
    rule_services,
)
from policycheck.reachability.topology import declared_source

NAMED_SOURCES: dict[str, tuple[PathKind, ...]] = {
    "internet": (PathKind.IGW, PathKind.ELB),
    "vgw": (PathKind.VGW,),
    "peering": (PathKind.PEERING,),
    "tgw": (PathKind.TGW,),
}
_PRIVATE_KINDS = (PathKind.VGW, PathKind.PEERING, PathKind.TGW)
DEFAULT_OPTIONS = ReachabilityOptions()


class QueryError(ValueError):
    """A query that cannot be answered: unknown resource, malformed source or port."""


@dataclass(frozen=True)
class ReachQuery:
    source: str
    """``internet``, ``vgw``, ``peering``, ``tgw``, or an IP address or CIDR."""
    target: str
    """Terraform address or CloudFormation logical id of the resource (or an interface)."""
    port: int | None = None
    """None: any port."""
    protocol: str = "tcp"

    def kinds(self) -> tuple[PathKind, ...]:
        named = NAMED_SOURCES.get(self.source.lower())
        if named is not None:
            return named
        addresses = self.addresses()
        assert addresses is not None
        if addresses & internet_addresses():
            return (PathKind.IGW, PathKind.ELB)
        return _PRIVATE_KINDS

    def addresses(self) -> IPSet | None:
        """The source addresses, or None for a named source (its gateways' own sources)."""
        if self.source.lower() in NAMED_SOURCES:
            return None
        try:
            return IPSet([IPNetwork(self.source).cidr])
        except (AddrFormatError, ValueError):
            raise QueryError(f"--from must be internet, vgw, peering, tgw or an IP address "
                             f"or CIDR, not {self.source!r}") from None

    def services(self) -> IntervalSet:
        if self.protocol == "all":
            return ALL_SERVICES
        try:
            return rule_services(self.protocol, self.port, self.port)
        except (KeyError, ValueError):
            raise QueryError(f"unknown protocol {self.protocol!r}") from None

    def describe(self) -> str:
        return describe_services(self.protocol, self.port, self.port)


class BlockedPath(BaseModel):
    """One way in that the queried packets do not get through, and every reason."""

    model_config = ConfigDict(frozen=True)

    target: str
    interface: str
    path_kind: PathKind
    address_family: str
    blockers: tuple[Blocker, ...]


class ReachAnswer(BaseModel):
    """The answer to one query: the paths, or what blocks every way in."""

    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    protocol: str
    port: int | None
    reachable: bool
    paths: tuple[Exposure, ...] = ()
    blocked: tuple[BlockedPath, ...] = ()


def names_target(target: str, resource: str, interface: str) -> bool:
    """Whether the query's RESOURCE names this exposure or interface: its resource, its
    interface, or one of the per-subnet interfaces ``resource (subnet)``."""
    return target in (resource, interface) or interface.startswith(f"{target} (")


def _exposure_services(exposure: Exposure) -> IntervalSet:
    if exposure.protocol == "all":
        return ALL_SERVICES
    if not exposure.ports:
        return rule_services(exposure.protocol)
    found = IntervalSet()
    for low, high in exposure.ports:
        found |= rule_services(exposure.protocol, low, high)
    return found


def matching_paths(query: ReachQuery, result: ReachabilityResult) -> list[Exposure]:
    """The exposures of the target that carry some of the queried packets."""
    kinds, services, addresses = query.kinds(), query.services(), query.addresses()
    found = []
    for exposure in result.exposures:
        if exposure.path_kind not in kinds:
            continue
        if not names_target(query.target, exposure.target, exposure.interface):
            continue
        if not services & _exposure_services(exposure):
            continue
        if addresses is not None and not addresses & IPSet(exposure.sources):
            continue
        found.append(exposure)
    return found


def _families(query: ReachQuery, spec: InterfaceSpec, prepared: Prepared) -> tuple[str, ...]:
    addresses = query.addresses()
    if addresses is not None:
        return tuple(f for f, v in (("ipv4", 4), ("ipv6", 6))
                     if any(cidr.version == v for cidr in addresses.iter_cidrs()))
    subnet = spec.placement.subnet
    vpc = prepared.topology.vpc(subnet.vpc if subnet and isinstance(subnet.vpc, str) else "")
    return ("ipv4", "ipv6") if (vpc.ipv6_cidr_blocks or spec.ipv6) else ("ipv4",)


def _listener_blockers(query: ReachQuery, model: Model, lb_id: str) -> list[Blocker]:
    lb = next((lb for lb in model.load_balancers if lb.id == lb_id), None)
    if lb is None:
        return []
    plans = listener_plans(model, lb)
    if any(plan.services & query.services() for plan in plans):
        return []
    ports = ", ".join(plan.listener.id for plan in plans) or "no listener"
    return [Blocker(code="ELB_LISTENER_PORT_RESTRICTION", resource=lb.id,
                    detail=f"no listener accepts {query.describe()} ({ports})",
                    source=declared_source(lb.source))]


def _igw_blocked(query: ReachQuery, model: Model, prepared: Prepared,
                 spec: InterfaceSpec) -> Iterator[BlockedPath]:
    listeners = _listener_blockers(query, model, spec.target)
    for family in _families(query, spec, prepared):
        found = prepared.paths.interface_paths(spec)
        blockers: list[Blocker] = list(listeners)
        if found is None:
            blockers.append(Blocker(code=spec.placement.problem_code, resource=spec.interface,
                                    detail=spec.placement.problem, source=spec.target_source))
        else:
            grant = spec.public_ipv4 if family == "ipv4" else spec.ipv6
            if grant is None:
                blockers.append(Blocker(
                    code="IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS", resource=spec.interface,
                    detail=spec.no_public_ipv4 if family == "ipv4" else spec.no_ipv6,
                    source=spec.target_source))
            vpc = found.subnet.vpc
            if found.subnet.gateway.gateway is None:
                blockers.append(Blocker(
                    code="NO_ROUTE_TO_DESTINATION", resource=vpc.id,
                    detail=f"no internet gateway is attached to {vpc.id}",
                    source=declared_source(vpc.source)))
            if query.addresses() is None or query.addresses() & found.subnet.sources:
                blockers += component_blockers(found, family, query.services(),
                                               query.addresses())
        if blockers:
            yield BlockedPath(target=spec.target, interface=spec.interface,
                              path_kind=PathKind.IGW, address_family=family,
                              blockers=tuple(dict.fromkeys(blockers)))


def _elb_blocked(query: ReachQuery, result: ReachabilityResult,
                 spec: InterfaceSpec) -> Iterator[BlockedPath]:
    """Behind a load balancer: reached on other ports only, or the ELB verdict's blockers."""
    elsewhere = [e for e in result.exposures
                 if e.path_kind is PathKind.ELB and e.interface == spec.interface]
    blockers: list[Blocker] = []
    for exposure in elsewhere:
        ports = ", ".join(f"{low}" if low == high else f"{low}-{high}"
                          for low, high in exposure.ports)
        blockers.append(Blocker(
            code="TARGET_PORT_RESTRICTION", resource=exposure.load_balancer or spec.target,
            detail=f"{exposure.listener} forwards to {spec.interface} on {exposure.protocol} "
                   f"{ports} only, not {query.describe()}"))
    if not elsewhere:
        for verdict in result.verdicts:
            if verdict.path_kind is PathKind.ELB and verdict.interface == spec.interface:
                blockers += verdict.blockers
    if blockers:
        yield BlockedPath(target=spec.target, interface=spec.interface,
                          path_kind=PathKind.ELB, address_family="ipv4",
                          blockers=tuple(dict.fromkeys(blockers)))


def _private_blocked(query: ReachQuery, model: Model, prepared: Prepared,
                     spec: InterfaceSpec) -> Iterator[BlockedPath]:
    subnet = spec.placement.subnet
    if subnet is None or not isinstance(subnet.vpc, str):
        return
    kinds, addresses = query.kinds(), query.addresses()
    gateways = [g for g in vpc_gateways(model, prepared.topology).get(subnet.vpc, [])
                if g.kind in kinds and (addresses is None or addresses & g.sources)]
    if not gateways:
        what = "/".join(kind.value for kind in kinds)
        towards = f" from {query.source}" if addresses is not None else ""
        yield BlockedPath(
            target=spec.target, interface=spec.interface, path_kind=kinds[0],
            address_family="ipv4", blockers=(Blocker(
                code="DISCONNECTED_VPCS" if kinds != (PathKind.VGW,)
                else "NO_ROUTE_TO_DESTINATION",
                resource=subnet.vpc,
                detail=f"no {what} connection leads into {subnet.vpc}{towards}"),))
        return
    for gateway in gateways:
        found = prepared.paths.interface_paths(spec, gateway)
        if found is None:
            continue
        blockers = component_blockers(found, "ipv4", query.services(), addresses)
        if blockers:
            yield BlockedPath(target=spec.target, interface=spec.interface,
                              path_kind=gateway.kind, address_family="ipv4",
                              blockers=tuple(dict.fromkeys(blockers)))


def target_specs(query: ReachQuery, prepared: Prepared) -> list[InterfaceSpec]:
    """The interfaces of the queried resource (a load balancer's: its nodes)."""
    specs = [s for s in prepared.specs if names_target(query.target, s.target, s.interface)]
    return specs + [s for s in prepared.lbs.get(query.target, [])]


def reach(model: Model, query: ReachQuery,
          options: ReachabilityOptions = DEFAULT_OPTIONS,
          result: ReachabilityResult | None = None) -> ReachAnswer:
    """Answer ``query`` on ``model`` (``result``: its analysis, when already computed).

    Raises ``QueryError`` when the resource has no interface in the model."""
    from policycheck.reachability import analyse

    query.kinds()  # validates the source and protocol before any work
    query.services()
    result = result if result is not None else analyse(model, options)
    head = {"source": query.source, "target": query.target, "protocol": query.protocol,
            "port": query.port}
    paths = matching_paths(query, result)
    if paths:
        return ReachAnswer(**head, reachable=True, paths=tuple(paths))
    prepared = prepare(model, options)
    specs = target_specs(query, prepared)
    managed = [e for e in result.exposures if e.target == query.target]
    if not specs and not managed:
        raise QueryError(f"{query.target} is not an endpoint in this model (an instance, "
                         f"autoscaling group, load balancer, database, interface...)")
    blocked: list[BlockedPath] = []
    kinds = query.kinds()
    for spec in specs:
        if PathKind.IGW in kinds:
            blocked += _igw_blocked(query, model, prepared, spec)
        if PathKind.ELB in kinds:
            blocked += _elb_blocked(query, result, spec)
        if any(kind in kinds for kind in _PRIVATE_KINDS):
            blocked += _private_blocked(query, model, prepared, spec)
    return ReachAnswer(**head, reachable=False, blocked=tuple(blocked))


def reach_in_units(units: list[tuple[Model, ReachabilityResult]], query: ReachQuery,
                   options: ReachabilityOptions = DEFAULT_OPTIONS) -> ReachAnswer:
    """Answer ``query`` in the first unit that has the resource."""
    problem = QueryError(f"{query.target} is not an endpoint in any assessed unit")
    for model, result in units:
        try:
            return reach(model, query, options, result)
        except QueryError as exc:
            if query.source.lower() not in NAMED_SOURCES and "--from" in str(exc):
                raise
            problem = exc
    raise problem


def _where(source: object) -> str:
    file, line = getattr(source, "file", ""), getattr(source, "line", 0)
    return f"  [{file}:{line}]" if file else ""


def render_text(answer: ReachAnswer) -> str:
    """The answer for a terminal: each path hop by hop, or each blocked way in."""
    services = describe_services(answer.protocol, answer.port, answer.port)
    verdict = "reachable" if answer.reachable else "NOT reachable"
    lines = [f"{answer.source} -> {answer.target} ({services}): {verdict}"]
    for exposure in answer.paths:
        ports = ", ".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in exposure.ports)
        via = f" via {exposure.load_balancer} ({exposure.listener})" if exposure.load_balancer \
            else ""
        lines.append(f"\n  {exposure.path_kind.value} path to {exposure.interface}{via}: "
                     f"{exposure.protocol} {ports or 'all'} from {', '.join(exposure.sources)}")
        for step, hop in enumerate(exposure.path, 1):
            lines.append(f"    {step}. {hop.type} {hop.resource}: {hop.detail}"
                         f"{_where(hop.source)}")
        for assumption in exposure.assumptions:
            lines.append(f"    assuming: {assumption}")
    for blocked in answer.blocked:
        lines.append(f"\n  {blocked.path_kind.value} path to {blocked.interface} "
                     f"({blocked.address_family}) is blocked by:")
        for blocker in blocked.blockers:
            number = f" rule {blocker.rule_number}" if blocker.rule_number is not None else ""
            lines.append(f"    {blocker.code}{number}: {blocker.resource}: {blocker.detail}"
                         f"{_where(blocker.source)}")
    if not answer.reachable and not answer.blocked:
        lines.append("  no way in carries these packets")
    return "\n".join(lines) + "\n"


def render_json(answer: ReachAnswer) -> str:
    return answer.model_dump_json(indent=2) + "\n"
