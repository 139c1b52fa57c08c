"""Inspector's network reachability finding types over the reachability result.

Each exposure (packets reaching an interface by one path) is classified against the
recognized-port list and the host's declared listeners:

* a recognized port with a declared listener  -> RecognizedPortWithListener (NET001)
* a recognized port, listeners declared, none on it -> RecognizedPortNoListener (NET002)
* a recognized port, no listeners declared     -> RecognizedPortNoAgent (NET003)
* another port with a declared listener        -> UnrecognizedPortWithListener (NET004)
* every reachable tcp/udp range per interface  -> NetworkExposure (NET005)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from policycheck.checks import port_ranges
from policycheck.checks.port_ranges import PortRanges
from policycheck.checks.registry import CheckContext
from policycheck.checks.severity_table import (
    RecognizedService,
    recognized_services,
    severity_table,
)
from policycheck.findings import Finding, PathHop, Severity, fingerprint
from policycheck.hostconfig.listeners import DeclaredListeners, host_listeners
from policycheck.reachability.result import Exposure

WITH_LISTENER = "RecognizedPortWithListener"
NO_LISTENER = "RecognizedPortNoListener"
NO_AGENT = "RecognizedPortNoAgent"
UNRECOGNIZED = "UnrecognizedPortWithListener"
AGGREGATE = "NetworkExposure"

_ROUTE_WORDS = {
    "IGW": "from the internet through an internet gateway",
    "ELB": "from the internet through a load balancer",
    "VGW": "from on-premises networks through a VPN gateway",
    "PEERING": "from a peered VPC",
    "TGW": "through a transit gateway",
}


@dataclass(frozen=True)
class _Classified:
    finding_type: str
    exposure: Exposure
    protocol: str
    ports: PortRanges
    service: str | None
    base: Severity | None


def _protocol_pieces(exposure: Exposure) -> Iterator[tuple[str, PortRanges]]:
    """The tcp/udp parts of an exposure (protocol ``all`` is both, on every port)."""
    if exposure.protocol in ("tcp", "udp"):
        yield exposure.protocol, exposure.ports
    elif exposure.protocol == "all":
        yield "tcp", ((0, 65535),)
        yield "udp", ((0, 65535),)


def _listener_ports(declared: DeclaredListeners, protocol: str) -> PortRanges:
    return port_ranges.union([
        (item.from_port, item.to_port) for item in declared.listeners
        if item.protocol == protocol
    ])


def _listeners_for(ctx: CheckContext, target: str) -> DeclaredListeners | None:
    cache: dict[str, DeclaredListeners | None] = ctx.shared.setdefault(
        "network-reachability.listeners", {})
    if target not in cache:
        cache[target] = host_listeners(ctx.model, target)
    return cache[target]


@dataclass(frozen=True)
class _PortClass:
    """A classification of ports, independent of which exposure they belong to."""

    finding_type: str
    ports: PortRanges
    service: str | None
    base: Severity | None


@lru_cache(maxsize=4096)
def _classify_ports(extra: tuple[RecognizedService, ...], declared: DeclaredListeners | None,
                    protocol: str, ports: PortRanges) -> tuple[_PortClass, ...]:
    """Classify one protocol's reachable ports; memoised because estates repeat the same
    (listeners, protocol, ports) combinations across many interfaces. ``extra`` are the
    configuration's recognized ports (the ``extra_services`` parameter)."""
    result: list[_PortClass] = []
    listening = _listener_ports(declared, protocol) if declared else ()
    recognized_all: PortRanges = ()
    idle_services: list[tuple[str, PortRanges, Severity]] = []
    for service in (*recognized_services(), *extra):
        if service.protocol != protocol:
            continue
        reachable = port_ranges.intersect(ports, service.ports)
        recognized_all = port_ranges.union(recognized_all, service.ports)
        if not reachable:
            continue
        if declared is None:
            result.append(_PortClass(NO_AGENT, reachable, service.name, service.severity))
            continue
        served = port_ranges.intersect(reachable, listening)
        idle = port_ranges.subtract(reachable, listening)
        if served:
            result.append(_PortClass(WITH_LISTENER, served, service.name, service.severity))
        if idle:
            idle_services.append((service.name, idle, service.severity))
    if idle_services:
        # One finding per exposure for every idle recognized port: an all-open group
        # would otherwise yield dozens of near-identical findings.
        result.append(_PortClass(
            NO_LISTENER, port_ranges.union(*(ports for _, ports, _ in idle_services)),
            _service_list([name for name, _, _ in idle_services]),
            min((sev for _, _, sev in idle_services), key=lambda sev: sev.rank)))
    other = port_ranges.subtract(port_ranges.intersect(ports, listening), recognized_all)
    if other:
        result.append(_PortClass(UNRECOGNIZED, other, None, None))
    return tuple(result)


def _classify_exposure(ctx: CheckContext, exposure: Exposure) -> Iterator[_Classified]:
    declared = _listeners_for(ctx, exposure.target)
    for protocol, ports in _protocol_pieces(exposure):
        extra = tuple(ctx.params.get("extra_services", ()))
        for item in _classify_ports(extra, declared, protocol, ports):
            yield _Classified(item.finding_type, exposure, protocol, item.ports,
                              item.service, item.base)


def _service_list(names: list[str], shown: int = 4) -> str:
    """``SSH, RDP`` or ``FTP, SSH, SMTP, DNS and 25 more recognized services``."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= shown + 1:
        return ", ".join(unique)
    return f"{', '.join(unique[:shown])} and {len(unique) - shown} more recognized services"


def _classified(ctx: CheckContext) -> list[_Classified]:
    key = "network-reachability.classified"
    if key not in ctx.shared:
        ctx.shared[key] = [
            item for exposure in ctx.reachability.exposures
            for item in _classify_exposure(ctx, exposure)
        ]
    result: list[_Classified] = ctx.shared[key]
    return result


def _hops(exposure: Exposure) -> list[PathHop]:
    return [
        PathHop(type=hop.type, resource=hop.resource, detail=hop.detail,
                file=hop.source.file if hop.source else None,
                line=hop.source.line if hop.source else None)
        for hop in exposure.path
    ]


def _finding(ctx: CheckContext, item: _Classified, what: str, detail: str) -> Finding:
    exposure = item.exposure
    severity = severity_table().severity(item.finding_type, exposure.path_kind, item.base)
    ports_text = port_ranges.describe(item.ports)
    sources = ", ".join(exposure.sources)
    route = _ROUTE_WORDS[exposure.path_kind]
    if exposure.load_balancer is not None:
        route = f"from the internet through {exposure.load_balancer} ({exposure.listener})"
    elif exposure.listener is not None:
        route += f" on {exposure.listener}"
    message = (f"{what} ({item.protocol} {ports_text}) on {exposure.target}: reachable "
               f"{route} from {sources}; {detail}.")
    if exposure.assumptions:
        message += " Conditional on: " + "; ".join(exposure.assumptions) + "."
    hop_ids = [hop.resource for hop in exposure.path]
    return Finding(
        rule_id=ctx.rule.id, package=ctx.rule.package, severity=severity,
        title=ctx.rule.title, message=message,
        resource=exposure.target, resource_type=exposure.target_source.resource_type,
        file=exposure.target_source.file, line=exposure.target_source.line,
        remediation=ctx.rule.docs.remediation.strip(), frameworks=ctx.rule.frameworks,
        fingerprint=fingerprint(ctx.rule.id, exposure.target, exposure.interface,
                                exposure.path_kind, item.protocol, item.service or "",
                                ports_text, *hop_ids),
        finding_type=item.finding_type, path_kind=exposure.path_kind.value,
        protocol=item.protocol, ports=list(item.ports), sources=list(exposure.sources),
        path=_hops(exposure), assumptions=list(exposure.assumptions),
    )


def _of_type(ctx: CheckContext, finding_type: str, detail: str) -> Iterator[Finding]:
    """One finding per exposure, except that a resource with one interface per subnet
    (a load balancer's nodes, an autoscaling group's instances) reachable the same way
    through each of them is reported once, naming how many interfaces share it."""
    groups: dict[tuple[object, ...], list[_Classified]] = {}
    for item in _classified(ctx):
        if item.finding_type != finding_type:
            continue
        exposure = item.exposure
        key = (exposure.target, exposure.path_kind, item.protocol, item.ports, item.service,
               exposure.sources, exposure.assumptions)
        groups.setdefault(key, []).append(item)
    for members in groups.values():
        interfaces = [m.exposure.interface for m in members]
        if len(members) == 1 or len(set(interfaces)) != len(interfaces):
            for item in members:  # several paths into one interface: each is its own
                yield _finding(ctx, item, item.service or "Port", detail)
            continue
        first = members[0]
        yield _finding(ctx, first, first.service or "Port",
                       f"{detail}; the same holds through {len(members)} network interfaces "
                       "of this resource (one per subnet), the first path is shown")


def recognized_port_with_listener(ctx: CheckContext) -> Iterable[Finding]:
    return _of_type(ctx, WITH_LISTENER, "the host declares a listener on it")


def recognized_port_no_listener(ctx: CheckContext) -> Iterable[Finding]:
    return _of_type(ctx, NO_LISTENER, "the host declares its listeners and none is on it")


def recognized_port_no_agent(ctx: CheckContext) -> Iterable[Finding]:
    return _of_type(ctx, NO_AGENT,
                    "nothing in the template says whether a service listens on it")


def unrecognized_port_with_listener(ctx: CheckContext) -> Iterable[Finding]:
    return _of_type(ctx, UNRECOGNIZED, "the host declares a listener on it")


def network_exposure(ctx: CheckContext) -> Iterable[Finding]:
    """One aggregate per (target, path kind, protocol): all reachable ranges, over every
    interface of the resource."""
    groups: dict[tuple[str, str, str], list[tuple[Exposure, PortRanges]]] = (
        defaultdict(list))
    for exposure in ctx.reachability.exposures:
        for protocol, ports in _protocol_pieces(exposure):
            key = (exposure.target, exposure.path_kind.value, protocol)
            groups[key].append((exposure, ports))
    for (_, _, protocol), members in sorted(groups.items()):
        first = members[0][0]
        ports = port_ranges.union(*(ports for _, ports in members))
        sources = sorted({source for exposure, _ in members for source in exposure.sources})
        assumptions = sorted({a for exposure, _ in members for a in exposure.assumptions})
        merged = first.model_copy(update={"sources": tuple(sources),
                                          "assumptions": tuple(assumptions)})
        item = _Classified(AGGREGATE, merged, protocol, ports, None, None)
        paths = len({exposure.path for exposure, _ in members})
        detail = f"{paths} distinct path{'s' if paths != 1 else ''}; the first is shown"
        yield _finding(ctx, item, "All reachable ports", detail)
