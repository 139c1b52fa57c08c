"""Packet sets as unions of boxes (addresses x services), and labelled pieces of them.

A ``Box`` is a product: every address in ``addresses`` with every service (protocol and
port, see ``sets``) in ``services``. First-match NACLs and longest-prefix routing carve
non-rectangular regions, so a packet set is a list of *disjoint* boxes. A ``Piece`` is a
box with the path that admits it: the hops (route, NACL rules, SG rule) and the unknowns
relied on. Combining two stages intersects their pieces pairwise; because the pieces of
one stage are disjoint, so are the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from netaddr import IPSet

from policycheck.reachability.result import Hop
from policycheck.reachability.sets import ALL_SERVICES, IntervalSet, all_addresses


@dataclass(frozen=True, eq=False)
class Box:
    """Every packet from one of ``addresses`` with one of ``services``."""

    addresses: IPSet
    services: IntervalSet

    def __bool__(self) -> bool:
        return bool(self.addresses) and bool(self.services)

    def __and__(self, other: Box) -> Box:
        return Box(self.addresses & other.addresses, self.services & other.services)

    def minus(self, other: Box) -> list[Box]:
        """This box without ``other``, as at most two disjoint boxes."""
        common = self.addresses & other.addresses
        if not common or not (self.services & other.services):
            return [self]
        parts = [
            Box(self.addresses - other.addresses, self.services),
            Box(common, self.services - other.services),
        ]
        return [part for part in parts if part]


def universe() -> Box:
    """Every packet of either address family."""
    return Box(all_addresses(), ALL_SERVICES)


def address_box(addresses: IPSet) -> Box:
    """Every service from ``addresses``."""
    return Box(addresses, ALL_SERVICES)


def intersect(region: Iterable[Box], box: Box) -> list[Box]:
    """The parts of ``region`` inside ``box``."""
    return [part for part in (member & box for member in region) if part]


def subtract(region: Iterable[Box], box: Box) -> list[Box]:
    """``region`` without ``box``."""
    return [part for member in region for part in member.minus(box)]


def overlaps(region: Iterable[Box], other: Iterable[Box]) -> bool:
    """True when the two regions share a packet."""
    others = list(other)
    return any(member & box for member in region for box in others)


def region_and(region: Iterable[Box], other: Iterable[Box]) -> list[Box]:
    """The intersection of two regions."""
    others = list(other)
    return [part for member in region for part in intersect(others, member)]


def compact(region: Sequence[Box]) -> list[Box]:
    """Fewer boxes for the same disjoint region: merge boxes that share a side."""
    boxes = list(region)
    while True:
        before = len(boxes)
        by_services: dict[IntervalSet, IPSet] = {}
        for box in boxes:
            by_services[box.services] = by_services.get(box.services, IPSet()) | box.addresses
        by_addresses: dict[tuple[str, ...], Box] = {}
        for services, addresses in by_services.items():
            key = tuple(str(cidr) for cidr in addresses.iter_cidrs())
            known = by_addresses.get(key)
            merged = services if known is None else known.services | services
            by_addresses[key] = Box(addresses, merged)
        boxes = list(by_addresses.values())
        if len(boxes) == before:
            return boxes


@dataclass(frozen=True, eq=False)
class Piece:
    """Packets admitted by one path: the hops that let them through and what was assumed."""

    box: Box
    hops: tuple[Hop, ...]
    assumptions: tuple[str, ...] = ()
    configured: IPSet | None = None
    """The crediting security-group rule's addresses as written (before other stages cut
    them), so that results can show users the CIDRs they recognise."""


def merge_assumptions(*groups: Iterable[str]) -> tuple[str, ...]:
    """Assumption texts in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for group in groups:
        for text in group:
            seen.setdefault(text, None)
    return tuple(seen)


def combine(first: Iterable[Piece], second: Iterable[Piece]) -> list[Piece]:
    """Pieces of packets admitted by both stages, hops of ``first`` before ``second``."""
    seconds = list(second)
    combined: list[Piece] = []
    for one in first:
        for other in seconds:
            box = one.box & other.box
            if box:
                combined.append(
                    Piece(
                        box,
                        one.hops + other.hops,
                        merge_assumptions(one.assumptions, other.assumptions),
                        one.configured if one.configured is not None else other.configured,
                    )
                )
    return combined


def region_of(pieces: Iterable[Piece]) -> list[Box]:
    """The packets of some piece."""
    return [piece.box for piece in pieces]
