"""Turn admitted pieces into ``Exposure`` records users can read.

Pieces are decoded from the service line into protocols and port ranges, internet
sources are shown as the CIDRs the crediting security-group rule names, and pieces with
the same path are merged — but only where the union is again a product of sources and
ports (equal sources: ports merge; equal ports: sources merge), so an exposure never
claims a packet that is not reachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from netaddr import IPSet

from policycheck.model.addresses import PROTOCOL_NUMBERS
from policycheck.reachability.boxes import Piece, merge_assumptions
from policycheck.reachability.interfaces import AddressGrant, InterfaceSpec
from policycheck.reachability.result import Exposure, Hop, PathKind
from policycheck.reachability.sets import (
    ALL_SERVICES,
    PORTED_PROTOCOLS,
    TYPED_PROTOCOLS,
    IntervalSet,
    cidrs_of,
    family_addresses,
    split_by_protocol,
)
from policycheck.reachability.trusted import construct

_DETAIL = attrgetter("detail")
_RESOURCE = attrgetter("resource")
_NAMES = {number: name for name, number in PROTOCOL_NUMBERS.items()}
_ICMP_TYPES = IntervalSet.closed(0, 255)


@dataclass(eq=False)
class _Draft:
    hops: tuple[Hop, ...]
    protocol: str
    ports: IntervalSet
    sources: IPSet
    assumptions: tuple[str, ...]

    def sources_key(self) -> tuple[str, ...]:
        return cidrs_of(self.sources)


def _decode(services: IntervalSet) -> list[tuple[str, IntervalSet]]:
    """``(protocol, ports)`` pairs; ports are empty for protocols without ports."""
    if services == ALL_SERVICES:
        return [("all", IntervalSet.closed(0, 65535))]
    decoded: dict[str, IntervalSet] = {}
    for number, ports in split_by_protocol(services):
        name = _NAMES.get(number, str(number))
        if number in TYPED_PROTOCOLS:
            ports = ports & _ICMP_TYPES
        elif number not in PORTED_PROTOCOLS:
            ports = IntervalSet()
        decoded[name] = decoded.get(name, IntervalSet()) | ports
    return list(decoded.items())


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Merge drafts with the same path whose union is still a sources x ports product."""
    while True:
        before = len(drafts)
        by_ports: dict[tuple[object, ...], list[_Draft]] = {}
        for draft in drafts:
            by_ports.setdefault((draft.hops, draft.protocol, draft.ports), []).append(draft)
        merged: list[_Draft] = []
        for group in by_ports.values():
            first = group[0]
            if len(group) > 1:  # one union of every member's CIDRs: a single merge pass
                first.sources = IPSet([cidr for draft in group
                                       for cidr in draft.sources.iter_cidrs()])
                first.assumptions = merge_assumptions(*(draft.assumptions for draft in group))
            merged.append(first)
        by_sources: dict[tuple[object, ...], _Draft] = {}
        for draft in merged:
            source_key = (draft.hops, draft.protocol, draft.sources_key())
            known = by_sources.get(source_key)
            if known is None:
                by_sources[source_key] = draft
            else:
                known.ports = known.ports | draft.ports
                known.assumptions = merge_assumptions(known.assumptions, draft.assumptions)
        drafts = list(by_sources.values())
        if len(drafts) == before:
            return drafts


def _shown_sources(reached: IPSet, configured_elsewhere: IPSet) -> IPSet:
    """The internet sources as users wrote them: adding back the non-internet addresses
    of the crediting rule (``0.0.0.0/0`` rather than the public blocks) when that reads
    shorter. Either way the sources' internet part is exactly ``reached``."""
    widened = reached | configured_elsewhere
    if len(widened.iter_cidrs()) <= len(reached.iter_cidrs()):
        return widened
    return reached


def interface_hop(spec: InterfaceSpec, grant: AddressGrant) -> Hop:
    """The last hop: the interface and the address the traffic is sent to."""
    return Hop(
        type=spec.kind,
        resource=spec.interface,
        detail=grant.detail,
        source=grant.source or spec.target_source,
    )


@dataclass(frozen=True)
class DraftExposure:
    """An exposure without its interface: what every interface with the same subnet,
    security groups and address family shares."""

    hops: tuple[Hop, ...]
    protocol: str
    ports: tuple[tuple[int, int], ...]
    sources: tuple[str, ...]
    assumptions: tuple[str, ...]


DraftCache = dict[tuple[object, ...], tuple[DraftExposure, ...]]


def shared_drafts(
    family: str, pieces: Iterable[Piece], internet_sources: IPSet, widen: bool = True
) -> tuple[DraftExposure, ...]:
    """The merged exposures of a placement (subnet and groups) over one family; with
    ``widen`` sources read as the crediting rule wrote them (internet paths only)."""
    internet = internet_sources & family_addresses(family)
    everything = family_addresses(family)
    drafts: list[_Draft] = []
    for piece in pieces:
        reached = piece.box.addresses & internet
        if not reached:
            continue
        configured = piece.configured if piece.configured is not None else piece.box.addresses
        shown = _shown_sources(reached, (configured & everything) - internet) if widen else reached
        for protocol, ports in _decode(piece.box.services):
            drafts.append(_Draft(piece.hops, protocol, ports, shown, piece.assumptions))
    return tuple(
        DraftExposure(draft.hops, draft.protocol, tuple(draft.ports.closed_ranges()),
                      draft.sources_key(), draft.assumptions)
        for draft in _merge(drafts)
    )


def exposures_for(
    spec: InterfaceSpec,
    family: str,
    grant: AddressGrant,
    first_hop: Hop,
    drafts: Iterable[DraftExposure],
    assumptions: tuple[str, ...],
    path_kind: PathKind = PathKind.IGW,
) -> list[Exposure]:
    """The exposures of one interface over one address family: the placement's shared
    drafts framed by the gateway hop and the interface's own address hop."""
    last_hop = interface_hop(spec, grant)
    common = merge_assumptions(assumptions, spec.assumptions, grant.assumptions)
    # construct: every field is built here from validated model values, and validating
    # (or even model_construct-ing) hundreds of thousands of exposures dominated the time.
    return [
        construct(
            Exposure,
            target=spec.target,
            target_source=spec.target_source,
            interface=spec.interface,
            path_kind=path_kind,
            protocol=draft.protocol,
            ports=draft.ports,
            sources=draft.sources,
            path=(first_hop, *draft.hops, last_hop),
            assumptions=merge_assumptions(common, draft.assumptions),
            listener=None,
            load_balancer=None,
        )
        for draft in drafts
    ]


def exposure_order(exposure: Exposure) -> tuple[object, ...]:
    """Deterministic order: target, interface, protocol, first port, then the rest."""
    return (
        exposure.target,
        exposure.interface,
        exposure.protocol,
        exposure.ports[0] if exposure.ports else (-1, -1),
        exposure.ports,
        exposure.sources,
        tuple(map(_DETAIL, exposure.path)),
        tuple(map(_RESOURCE, exposure.path)),
    )
