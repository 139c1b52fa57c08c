"""The private ways in: VPN gateways (VGW), peering connections and transit gateways.

Each is a ``Gateway``: where packets come from and which routes lead back.

* **VGW**: an attached VPN gateway. Sources are the on-premises prefixes of its VPN
  connections' static routes, or *any on-premises address* when a connection uses
  dynamic (BGP) routing or none is declared. Replies must be routed back to the VGW by
  a static route, or by propagation when the subnet's table propagates from the VGW
  (the connections' static routes; for BGP, prefixes assumed to cover the sources).
* **Peering**: for each side, sources are the peer's subnets whose route tables send
  this VPC's blocks to the peering connection (the peer's declared or known blocks
  when its subnets are outside the configuration); replies need a route back to the
  peering connection. Security-group rules naming a group in the peer VPC admit that
  group's members.
* **TGW** (basic): sources are the blocks of the other VPCs attached to the same transit
  gateway and its VPN connections' prefixes; replies need a route to the transit gateway.

IPv4 only: VPN gateways carry IPv4, and peered IPv6 is rare enough to leave for later.
"""

from __future__ import annotations

from collections import defaultdict

from netaddr import IPSet

from policycheck.model import (
    Model,
    Route,
    RouteTargetKind,
    Subnet,
    Unknown,
    VpcPeeringConnection,
    VpnConnection,
)
from policycheck.reachability.explain import component_blockers
from policycheck.reachability.exposures import exposures_for, shared_drafts
from policycheck.reachability.igw_path import Gateway, IgwPathAnalysis
from policycheck.reachability.interfaces import AddressGrant, InterfaceSpec
from policycheck.reachability.result import EndpointVerdict, Exposure, Hop, PathKind
from policycheck.reachability.routing import route_to_gateway, routes_to
from policycheck.reachability.sets import ALL_IPV4, cidr_set, ip_set
from policycheck.reachability.topology import Topology, declared_source, implicit_source

PRIVATE_IPV4 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
ANY_ON_PREMISES = "any on-premises address (dynamic routing or no VPN connection declared)"


def _on_premises(connections: list[VpnConnection]) -> tuple[IPSet, bool, tuple[str, ...]]:
    """Sources behind VPN connections, whether they are "any", and what was assumed."""
    if not connections:
        return ip_set((ALL_IPV4,)), True, (ANY_ON_PREMISES,)
    sources = ip_set()
    for connection in connections:
        if connection.static_routes_only is not True or not connection.static_routes:
            return ip_set((ALL_IPV4,)), True, (ANY_ON_PREMISES,)
        for cidr in connection.static_routes:
            if isinstance(cidr, Unknown):
                return ip_set((ALL_IPV4,)), True, (cidr.reason,)
            sources |= cidr_set(cidr)
    return sources, False, ()


def _propagated(gateway_id: str, sources: IPSet, any_source: bool) -> tuple[Route, ...]:
    source = implicit_source(f"routes propagated from {gateway_id}")
    # BGP may advertise anything: two halves beat a static default route, as a more
    # specific advertisement would; the VPC's own (longer) blocks still win.
    cidrs = ("0.0.0.0/1", "128.0.0.0/1") if any_source else tuple(
        str(cidr) for cidr in sources.iter_cidrs())
    return tuple(Route(destination=cidr, target_kind=RouteTargetKind.VPN_GATEWAY,
                       target=gateway_id, source=source) for cidr in cidrs)


def _vgw_gateways(model: Model) -> dict[str, list[Gateway]]:
    found: dict[str, list[Gateway]] = defaultdict(list)
    for vgw in model.vpn_gateways:
        if not isinstance(vgw.vpc, str):
            continue
        connections = [c for c in model.vpn_connections if c.vpn_gateway == vgw.id]
        sources, any_source, assumptions = _on_premises(connections)
        names = ", ".join(c.id for c in connections) or "no VPN connection declared"
        tables = frozenset(t.id for t in model.route_tables if vgw.id in t.propagating_vgws)
        hop = Hop(type="VpnGateway", resource=vgw.id,
                  detail=f"attached to {vgw.vpc}; on-premises via {names}",
                  source=declared_source(vgw.source))
        found[vgw.vpc].append(Gateway(
            PathKind.VGW, vgw.id, hop, sources,
            routes_to(RouteTargetKind.VPN_GATEWAY, vgw.id),
            _propagated(vgw.id, sources, any_source), tables, assumptions))
    return found


def _peer_sources(model: Model, topology: Topology, pcx: VpcPeeringConnection, peer: object,
                  local: object) -> tuple[IPSet, tuple[str, ...]]:
    """Addresses in the peer VPC that route to ``local`` through the peering."""
    local_blocks = ip_set(c for c in topology.vpc(str(local)).cidr_blocks if isinstance(c, str))
    if isinstance(peer, str) and topology.obj(peer) is not None:
        subnets = [s for s in model.subnets if s.vpc == peer]
        if not subnets:
            blocks = topology.vpc(peer).cidr_blocks
            return ip_set(c for c in blocks if isinstance(c, str)), (
                f"no subnets of {peer} declared: all its blocks assumed to route back",)
        sources = ip_set()
        vpc = topology.vpc(peer)
        for subnet in subnets:
            routing = route_to_gateway(topology.route_table(subnet), vpc,
                                       routes_to(RouteTargetKind.VPC_PEERING, pcx.id))
            sends = any(region.to_igw and region.addresses & local_blocks
                        for region in routing.regions)
            if sends and isinstance(subnet.cidr_block, str):
                sources |= cidr_set(subnet.cidr_block)
        return sources, ()
    known = [c for c in pcx.peer_cidr_blocks if isinstance(c, str)]
    if known:
        return ip_set(known), ()
    return ip_set(PRIVATE_IPV4), (f"{pcx.id}: peer blocks unknown, assumed any private address",)


def _peering_gateways(model: Model, topology: Topology) -> dict[str, list[Gateway]]:
    found: dict[str, list[Gateway]] = defaultdict(list)
    for pcx in model.vpc_peering_connections:
        for local, peer in ((pcx.vpc, pcx.peer_vpc), (pcx.peer_vpc, pcx.vpc)):
            if not isinstance(local, str) or topology.obj(local) is None:
                continue
            sources, assumptions = _peer_sources(model, topology, pcx, peer, local)
            hop = Hop(type="VpcPeeringConnection", resource=pcx.id,
                      detail=f"from {peer if isinstance(peer, str) else 'the peer VPC'}",
                      source=declared_source(pcx.source))
            found[local].append(Gateway(
                PathKind.PEERING, f"{pcx.id} -> {local}", hop, sources,
                routes_to(RouteTargetKind.VPC_PEERING, pcx.id), (), frozenset(), assumptions))
    return found


def _tgw_gateways(model: Model, topology: Topology) -> dict[str, list[Gateway]]:
    found: dict[str, list[Gateway]] = defaultdict(list)
    for attachment in model.transit_gateway_attachments:
        if not isinstance(attachment.vpc, str) or not isinstance(attachment.transit_gateway, str):
            continue
        tgw = attachment.transit_gateway
        sources = ip_set()
        for other in model.transit_gateway_attachments:
            if other.transit_gateway == tgw and other.vpc != attachment.vpc:
                blocks = topology.vpc(str(other.vpc)).cidr_blocks
                sources |= ip_set(c for c in blocks if isinstance(c, str))
        connections = [c for c in model.vpn_connections if c.transit_gateway == tgw]
        assumptions: tuple[str, ...] = ()
        if connections:
            on_premises, _, assumptions = _on_premises(connections)
            sources |= on_premises
        if not sources:
            continue
        hop = Hop(type="TransitGateway", resource=tgw, detail=f"attached by {attachment.id}",
                  source=declared_source(attachment.source))
        found[attachment.vpc].append(Gateway(
            PathKind.TGW, f"{tgw} -> {attachment.vpc}", hop, sources,
            routes_to(RouteTargetKind.TRANSIT_GATEWAY, tgw), (), frozenset(), assumptions))
    return found


def vpc_gateways(model: Model, topology: Topology) -> dict[str, list[Gateway]]:
    """Every private gateway into each VPC."""
    result: dict[str, list[Gateway]] = defaultdict(list)
    for part in (_vgw_gateways(model), _peering_gateways(model, topology),
                 _tgw_gateways(model, topology)):
        for vpc, gateways in part.items():
            result[vpc].extend(gateways)
    return result


PRIVATE_GRANT = AddressGrant("private IPv4 address")


def private_exposures(model: Model, topology: Topology, paths: IgwPathAnalysis,
                      specs: list[InterfaceSpec]
                      ) -> tuple[list[Exposure], list[EndpointVerdict]]:
    """Exposures and verdicts of every placed endpoint through every private gateway."""
    gateways = vpc_gateways(model, topology)
    exposures: list[Exposure] = []
    verdicts: list[EndpointVerdict] = []
    if not gateways:
        return exposures, verdicts
    drafts_by_key: dict[tuple[object, ...], object] = {}
    for spec in specs:
        subnet: Subnet | None = spec.placement.subnet
        if subnet is None or not isinstance(subnet.vpc, str):
            continue
        for gateway in gateways.get(subnet.vpc, []):
            found_paths = paths.interface_paths(spec, gateway)
            if found_paths is None:
                continue
            key = (found_paths.subnet.context, tuple(g.id for g in found_paths.admission.groups))
            if key not in drafts_by_key:
                drafts_by_key[key] = shared_drafts("ipv4", found_paths.pieces,
                                                   found_paths.subnet.sources, widen=False)
            drafts = drafts_by_key[key]
            assert isinstance(drafts, tuple)
            found = exposures_for(spec, "ipv4", PRIVATE_GRANT, gateway.hop, drafts,
                                  gateway.assumptions, gateway.kind)
            exposures.extend(found)
            blockers = () if found else tuple(component_blockers(found_paths, "ipv4"))
            verdicts.append(EndpointVerdict(
                target=spec.target, interface=spec.interface, path_kind=gateway.kind,
                address_family="ipv4", reachable=bool(found), blockers=blockers))
    return exposures, verdicts
