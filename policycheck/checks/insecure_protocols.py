"""Package ``insecure-protocols``: cleartext services a host runs or exposes, plaintext
and outdated-TLS load-balancer listeners (the pre-deploy form of Inspector's runtime
behaviour analysis)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from policycheck.checks.cve import finding
from policycheck.checks.cve_data import tls_policies
from policycheck.checks.registry import CheckContext
from policycheck.findings import Finding, PathHop, Severity, fingerprint
from policycheck.hostconfig.listeners import DeclaredListeners, host_listeners
from policycheck.model import LbListener, LoadBalancer, Unknown
from policycheck.reachability.result import Exposure
from policycheck.rules.catalogue import package_data

PACKAGE = "insecure-protocols"
Listeners = DeclaredListeners | None


@dataclass(frozen=True)
class CleartextProtocol:
    name: str
    ports: tuple[tuple[str, int, int], ...]
    packages: frozenset[str]
    services: frozenset[str]
    severity: Severity
    use_instead: str


@lru_cache(maxsize=1)
def cleartext_protocols() -> tuple[CleartextProtocol, ...]:
    """``policies/insecure-protocols/protocols.yaml``, typed."""
    return tuple(
        CleartextProtocol(
            name=entry["name"],
            ports=tuple((str(p), int(low), int(high)) for p, low, high in entry["ports"]),
            packages=frozenset(entry["packages"]), services=frozenset(entry["services"]),
            severity=Severity(entry["severity"]), use_instead=entry["use_instead"])
        for entry in package_data(PACKAGE, "protocols.yaml")["protocols"])


def _port_text(protocol: CleartextProtocol) -> str:
    return ", ".join(f"{p}/{low}" if low == high else f"{p}/{low}-{high}"
                     for p, low, high in protocol.ports)


# IPR002: cleartext ports reachable --------------------------------------------------

_ROUTES = {"IGW": "from the internet", "ELB": "from the internet through a load balancer",
           "VGW": "from on-premises networks", "PEERING": "from a peered VPC",
           "TGW": "through a transit gateway"}


def _overlap(exposure: Exposure, protocol: CleartextProtocol, listeners: Listeners,
             narrow: int) -> list[tuple[int, int]]:
    """The protocol's ports in the exposure that matter: those a declared listener
    serves when the host declares listeners; else those of a narrow rule (at most
    ``narrow`` ports), which opens the protocol on purpose — a wide range or protocol
    ``all`` without listener information is left to NET005's exposure summary."""
    found = []
    for proto, low, high in protocol.ports:
        if exposure.protocol not in (proto, "all"):
            continue
        ranges = exposure.ports if exposure.protocol != "all" else ((0, 65535),)
        for first, last in ranges:
            piece = (max(first, low), min(last, high))
            if piece[0] > piece[1]:
                continue
            if listeners is None:
                if last - first + 1 <= narrow:
                    found.append(piece)
                continue
            found += [(max(piece[0], item.from_port), min(piece[1], item.to_port))
                      for item in listeners.listeners
                      if item.protocol == proto and item.from_port <= piece[1]
                      and piece[0] <= item.to_port]
    return found


def _reachable(ctx: CheckContext) -> Iterator[tuple[Exposure, CleartextProtocol,
                                                    list[tuple[int, int]]]]:
    kinds = {str(k) for k in ctx.params.get("path_kinds", ["IGW", "ELB"])}
    narrow = int(ctx.params.get("narrow_range", 16))
    declared: dict[str, Listeners] = {}
    for exposure in ctx.reachability.exposures:
        if exposure.path_kind.value not in kinds:
            continue
        if exposure.target not in declared:
            declared[exposure.target] = host_listeners(ctx.model, exposure.target)
        for protocol in cleartext_protocols():
            ports = _overlap(exposure, protocol, declared[exposure.target], narrow)
            if ports:
                yield exposure, protocol, ports


def cleartext_port_reachable(ctx: CheckContext) -> Iterable[Finding]:
    for exposure, protocol, ports in _reachable(ctx):
        where = exposure.target_source
        shown = ", ".join(f"{low}" if low == high else f"{low}-{high}" for low, high in ports)
        proto = exposure.protocol if exposure.protocol != "all" else protocol.ports[0][0]
        yield Finding(
            rule_id=ctx.rule.id, package=ctx.rule.package, severity=protocol.severity,
            title=ctx.rule.title,
            message=(f"{protocol.name} ({proto} {shown}) on {exposure.target} is reachable "
                     f"{_ROUTES[exposure.path_kind.value]} from "
                     f"{', '.join(exposure.sources)}: it carries credentials and data in "
                     f"clear text. Use {protocol.use_instead}."),
            resource=exposure.target, resource_type=where.resource_type, file=where.file,
            line=where.line, remediation=ctx.rule.docs.remediation.strip(),
            frameworks=ctx.rule.frameworks,
            fingerprint=fingerprint(ctx.rule.id, exposure.target, protocol.name,
                                    exposure.path_kind.value, exposure.interface),
            path_kind=exposure.path_kind.value, protocol=proto, ports=ports,
            sources=list(exposure.sources),
            path=[PathHop(type=h.type, resource=h.resource, detail=h.detail,
                          file=h.source.file if h.source else None,
                          line=h.source.line if h.source else None)
                  for h in exposure.path],
            assumptions=list(exposure.assumptions) or None,
        )


# IPR003: plain HTTP listeners -------------------------------------------------------


def _balancer(ctx: CheckContext, listener: LbListener) -> LoadBalancer | None:
    found = ctx.model.get(listener.load_balancer)
    return found if isinstance(found, LoadBalancer) else None


def _serves_content(listener: LbListener) -> bool:
    """Whether some action answers with the application (not a redirect or fixed text)."""
    actions = [*listener.default_actions, *listener.rule_actions]
    if not actions:
        return True  # classic ELB listeners forward to the instance port
    return any(str(a.type).lower() not in ("redirect", "fixed-response") for a in actions)


def http_listener_without_redirect(ctx: CheckContext) -> Iterable[Finding]:
    for listener in ctx.model.lb_listeners:
        if not isinstance(listener.protocol, str) or listener.protocol.upper() != "HTTP":
            continue
        balancer = _balancer(ctx, listener)
        if balancer is None or balancer.scheme == "internal" or not _serves_content(listener):
            continue
        note = (f" (scheme unknown: {balancer.scheme.reason})"
                if isinstance(balancer.scheme, Unknown) else "")
        port = listener.port if isinstance(listener.port, int) else "?"
        yield finding(ctx, listener, (
            f"Internet-facing load balancer {balancer.id} serves plain HTTP on port {port} "
            f"through listener {listener.id} without redirecting to HTTPS{note}: requests, "
            f"cookies and credentials cross the internet in clear text."), str(port))


# IPR004: outdated TLS policies ------------------------------------------------------

_TLS = ("HTTPS", "TLS", "SSL")


def tls_listener_outdated_policy(ctx: CheckContext) -> Iterable[Finding]:
    policies = tls_policies()
    for listener in ctx.model.lb_listeners:
        if not isinstance(listener.protocol, str) or listener.protocol.upper() not in _TLS:
            continue
        if isinstance(listener.ssl_policy, Unknown):
            continue
        name = listener.ssl_policy or policies.default_policy
        weak = policies.weak(name)
        if weak is None:
            continue
        how = "has" if listener.ssl_policy else "sets no policy, so it gets ELB's default"
        yield finding(ctx, listener, (
            f"TLS listener {listener.id} {how} security policy {weak.policy}, which still "
            f"accepts TLS {weak.min_tls} (TLS 1.0 and 1.1 are deprecated by RFC 8996). Use "
            f"{policies.recommended}. Source: {weak.source}"), weak.policy)
    for domain in ctx.model.opensearch_domains:
        policy = domain.tls_security_policy
        weak = policies.weak(policy) if isinstance(policy, str) else None
        if weak is not None:
            yield finding(ctx, domain, (
                f"OpenSearch domain {domain.id} uses TLS policy {weak.policy}, which "
                f"accepts TLS {weak.min_tls}. Use Policy-Min-TLS-1-2-PFS-2023-10. Source: "
                f"{weak.source}"), weak.policy)


# IPR001: cleartext servers installed or started -------------------------------------


def cleartext_service_installed(ctx: CheckContext) -> Iterable[Finding]:
    from policycheck.hostconfig.extract import hosts_with_user_data
    from policycheck.hostconfig.model import Fact

    for host, config in hosts_with_user_data(ctx.model.instances, ctx.model.launch_templates):
        # Package names are matched as packages, unit names as services: ``telnet`` is
        # the client package but the server's xinetd service.
        facts: list[tuple[str, str, Fact]] = [(p.name, "installs", p) for p in config.packages]
        facts += [(s.name, f"{s.action}s", s) for s in config.services
                  if s.action in ("enable", "start", "restart")]
        reported: set[str] = set()
        for name, verb, fact in facts:
            for protocol in cleartext_protocols():
                names = protocol.packages if verb == "installs" else protocol.services
                if name not in names:
                    continue
                if protocol.name in reported:
                    continue
                reported.add(protocol.name)
                at = fact.at
                where = ((at.template_file, at.template_line)
                         if at.template_file is not None and at.template_line is not None
                         else None)
                yield Finding(
                    rule_id=ctx.rule.id, package=ctx.rule.package,
                    severity=protocol.severity, title=ctx.rule.title,
                    message=(f"User data of {host.id} {verb} {name} (user data line "
                             f"{at.line}): a {protocol.name} server ({_port_text(protocol)}) "
                             f"sends credentials and data in clear text. Use "
                             f"{protocol.use_instead}."),
                    resource=host.id, resource_type=host.source.resource_type,
                    file=where[0] if where else host.source.file,
                    line=where[1] if where else host.source.line,
                    remediation=ctx.rule.docs.remediation.strip(),
                    frameworks=ctx.rule.frameworks,
                    fingerprint=fingerprint(ctx.rule.id, host.id, protocol.name))
