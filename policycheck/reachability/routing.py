"""Longest-prefix routing of the *return* traffic: which sources can be answered via the IGW.

A reply to a source address leaves the subnet by the route whose destination is the
most specific prefix containing that address, the VPC's implicit ``local`` routes
included. Sorting routes from the longest prefix to the shortest and letting each take
only the addresses no earlier route took gives the whole partition in one pass, without
looking at a single address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from netaddr import IPNetwork, IPSet

from policycheck.model import InternetGateway, Route, RouteTable, RouteTargetKind, Unknown, Vpc
from policycheck.reachability.boxes import Piece, address_box
from policycheck.reachability.result import Hop
from policycheck.reachability.sets import all_addresses, cidr_set
from policycheck.reachability.topology import declared_source, implicit_source


@dataclass(frozen=True, eq=False)
class RouteRegion:
    """The addresses whose replies take one route (``route`` None: no route matches)."""

    addresses: IPSet
    route: Route | None
    label: str
    to_igw: bool
    """True when the replies take the path's gateway (the IGW, VGW, peering or TGW)."""
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Routing:
    """How one route table answers every address."""

    table: RouteTable
    regions: tuple[RouteRegion, ...]
    igw_destinations: IPSet
    """Everything some IGW route covers, whether or not a more specific route wins."""

    def igw_pieces(self) -> list[Piece]:
        """Addresses answered via the IGW, each with the route hop that does it."""
        return [
            Piece(
                address_box(region.addresses),
                (
                    Hop(
                        type="RouteTable",
                        resource=self.table.id,
                        detail=region.label,
                        source=declared_source(region.route.source) if region.route else None,
                    ),
                ),
                region.assumptions,
            )
            for region in self.regions
            if region.to_igw
        ]


def _target_name(route: Route) -> str:
    if isinstance(route.target, str):
        return route.target
    if isinstance(route.target, Unknown):
        return f"unknown {route.target_kind.value}"
    return route.target_kind.value


def _igw_assumption(route: Route, igw: InternetGateway | None) -> tuple[bool, tuple[str, ...]]:
    """Whether ``route`` sends replies to the VPC's IGW, and what that assumes."""
    if route.target_kind is RouteTargetKind.UNKNOWN:
        reason = (
            route.target.reason if isinstance(route.target, Unknown) else "route target unknown"
        )
        return True, (f"route target assumed to be the internet gateway: {reason}",)
    if route.target_kind is not RouteTargetKind.INTERNET_GATEWAY:
        return False, ()
    if isinstance(route.target, Unknown):
        return True, (route.target.reason,)
    # With no IGW attached, any IGW route counts so that the explanation names only the
    # missing attachment; nothing is reachable then anyway.
    return igw is None or route.target in (None, igw.id), ()


def routes_to(kind: RouteTargetKind, gateway_id: str) -> RouteTest:
    """A route test for a VGW, peering connection or transit gateway; routes with an
    unknown target are assumed to lead there (and say so)."""

    def test(route: Route) -> tuple[bool, tuple[str, ...]]:
        if route.target_kind is RouteTargetKind.UNKNOWN:
            reason = route.target.reason if isinstance(route.target, Unknown) else "unknown"
            return True, (f"route target assumed to be {gateway_id}: {reason}",)
        if route.target_kind is not kind:
            return False, ()
        if isinstance(route.target, Unknown):
            return True, (route.target.reason,)
        return route.target == gateway_id, ()

    return test


def _local_routes(vpc: Vpc) -> list[Route]:
    source = implicit_source(f"{vpc.id} local route")
    return [
        Route(destination=cidr, target_kind=RouteTargetKind.LOCAL, source=source)
        for cidr in [*vpc.cidr_blocks, *vpc.ipv6_cidr_blocks]
        if isinstance(cidr, str)
    ]


RouteTest = Callable[[Route], tuple[bool, tuple[str, ...]]]
"""Whether a route sends replies to the path's gateway, and what that assumes."""


def route_return_traffic(table: RouteTable, vpc: Vpc, igw: InternetGateway | None) -> Routing:
    """Partition every address by the route its replies take (longest prefix wins)."""
    return route_to_gateway(table, vpc, lambda route: _igw_assumption(route, igw))


def route_to_gateway(
    table: RouteTable, vpc: Vpc, to_gateway: RouteTest, propagated: Sequence[Route] = ()
) -> Routing:
    """Partition every address by the route its replies take (longest prefix wins);
    ``propagated`` routes (learned from a VGW) lose to static routes of the same prefix."""
    declared = [(index, route) for index, route in enumerate([*table.routes, *propagated])]
    with_prefix = [
        (IPNetwork(route.destination).prefixlen, index, route)
        for index, route in [(-1, local) for local in _local_routes(vpc)] + declared
        if isinstance(route.destination, str)
    ]
    with_prefix.sort(key=lambda item: (-item[0], item[1]))
    regions: list[RouteRegion] = []
    taken = IPSet()
    igw_destinations = IPSet()
    for _, _, route in with_prefix:
        assert isinstance(route.destination, str)
        destination = cidr_set(route.destination)
        to_igw, assumptions = to_gateway(route)
        if to_igw:
            igw_destinations |= destination
        mine = destination - taken
        taken |= destination
        if mine:
            label = f"{route.destination} -> {_target_name(route)}"
            regions.append(RouteRegion(mine, route, label, to_igw, assumptions))
    unrouted = all_addresses() - taken
    if unrouted:
        regions.append(RouteRegion(unrouted, None, "no route", False))
    # Prefix lists and unknown destinations: contents unknown, so a route of that kind to
    # the IGW is assumed to cover every address not yet answered via the IGW; any other
    # target is assumed to match nothing.
    for route in table.routes:
        if isinstance(route.destination, str):
            continue
        to_igw, assumptions = to_gateway(route)
        if not to_igw:
            continue
        if route.destination_prefix_list is not None:
            name = route.destination_prefix_list
            what = name.reason if isinstance(name, Unknown) else f"prefix list {name}"
            assumption = f"{what}: contents unknown, assumed to include the source addresses"
        else:
            what = route.destination.reason if route.destination else "route destination"
            assumption = f"route destination unknown, assumed to match: {what}"
        already = IPSet()
        for region in regions:
            if region.to_igw:
                already |= region.addresses
        rest = all_addresses() - already
        igw_destinations |= rest
        if rest:
            label = f"{what} -> {_target_name(route)}"
            regions = [_without(region, rest) for region in regions]
            regions = [region for region in regions if region.addresses]
            regions.append(RouteRegion(rest, route, label, True, (*assumptions, assumption)))
    return Routing(table, tuple(regions), igw_destinations)


def _without(region: RouteRegion, addresses: IPSet) -> RouteRegion:
    return RouteRegion(
        region.addresses - addresses, region.route, region.label, region.to_igw, region.assumptions
    )
